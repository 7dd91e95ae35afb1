// Package chain is MEFS's settlement layer: the Solidity contracts (token, role
// registry with pledges, deposits and aggregated orders), their abigen bindings, and a
// small Client that speaks MEFS vocabulary (register, deposit, update an order, accrued
// income, …) and hides go-ethereum.
//
// Two backends implement Client:
//
//   - NewSimulated: go-ethereum's in-process simulated chain (ethclient/simulated) with
//     funded accounts; every transaction is committed into a block at once, and the
//     chain's JSON-RPC is also served on a loopback HTTP port for outside tools.
//   - Dial: a JSON-RPC client (HTTP or WebSocket) for real EVM chains; it estimates gas,
//     signs locally and waits for receipts.
//
// Both talk to the chain through a retrying connection (retry.go, Options.Retry):
// every read is retried on transient errors (IsTransient) with exponential backoff and
// jitter, while a signed transaction is only ever re-sent as the same bytes, so no
// operation is repeated and nothing is paid twice. wallet.go keeps keys as
// go-ethereum keystore v3 files.
//
// Solidity sources live in chain/contracts; `make contracts` recompiles them (solc from
// npm) into chain/contracts/build and regenerates chain/bindings. `go build` needs
// neither npm nor solc.
package chain
