// Package erasure is the stripe codec of mefs. It owns the byte-level format
// of a stripe on its way to and from storage nodes:
//
//   - per-object key derivation (DataKey, HKDF-SHA256 from a master secret),
//   - authenticated encryption of each stripe (AES-256-GCM with a nonce and
//     associated data bound to object ID, stripe index and plaintext length),
//   - Reed-Solomon erasure coding of the sealed stripe into k data and m
//     parity chunks (Codec), and reconstruction from any k of them,
//   - chunk commitments (Commit) and per-leaf inclusion proofs (Prove,
//     Verify) used by storage audits.
//
// The package is pure: it does no disk or network I/O, keeps no global
// mutable state and starts no goroutines of its own. Placement of chunks,
// metadata about objects and transport are owned elsewhere.
package erasure
