package chain

// Invariants:
//   - A client signs with exactly one key; its transactions are sent one at a time
//     (sendMu), each waited for until mined, so nonces never race within a client.
//   - Every state-changing method returns only after its transaction is mined
//     successfully; a revert surfaces as a *RevertError (errors.Is(err, ErrReverted)),
//     usually from gas estimation, before anything is sent.
//   - An error wrapped as not-sent (IsNotSent) guarantees no transaction left this
//     client, so the operation may be retried safely.
//   - All chain traffic goes through c.b, the connection wrapped in Options.Retry's
//     retries (retry.go): reads are retried there, one request at a time. No operation
//     is retried as a whole, and once a transaction is signed only its same bytes are
//     ever re-sent (send), so nothing is built, signed or paid for twice.

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/mefs-project/mefs/chain/bindings/memotoken"
	"github.com/mefs-project/mefs/chain/bindings/registry"
	"github.com/mefs-project/mefs/chain/bindings/settlement"
)

// Client is one account's view of a MEFS deployment. Methods that change state send a
// transaction signed by the client's key and return once it is mined.
type Client interface {
	// Address is the client's account.
	Address() common.Address
	// ChainID is the chain's EIP-155 id.
	ChainID() *big.Int
	// Contracts are the deployment the client talks to (zero before Deploy).
	Contracts() Contracts
	// Deploy deploys token, Registry and Settlement, and binds the client to them.
	Deploy(ctx context.Context, p DeployParams) (Contracts, error)
	// Params reads the deployment's parameters back from the chain.
	Params(ctx context.Context) (Params, error)
	// CurrentEpoch is the settlement epoch of the latest block.
	CurrentEpoch(ctx context.Context) (uint64, error)
	// BlockNumber is the latest block's number.
	BlockNumber(ctx context.Context) (uint64, error)
	// GasBalance is account's balance of the chain's native coin (pays for gas).
	GasBalance(ctx context.Context, account common.Address) (*big.Int, error)

	// Faucet mints 10 MEMO to the client's account (only while it holds < 10 MEMO).
	Faucet(ctx context.Context) error
	// Balance is account's MEMO balance in token wei.
	Balance(ctx context.Context, account common.Address) (*big.Int, error)
	Approve(ctx context.Context, spender common.Address, amount *big.Int) error
	Transfer(ctx context.Context, to common.Address, amount *big.Int) error

	// Register registers the client's account in role with the libp2p peer id of the
	// secp256k1 node key nodeKey (proven to the Registry by a signature of nodeKey) and
	// multiaddrs, locking pledge (approved automatically; Users pass nil or 0).
	Register(ctx context.Context, role Role, nodeKey *ecdsa.PrivateKey, addrs []string, pledge *big.Int) error
	// UpdateAddrs replaces the account's node key (proven likewise) and multiaddrs.
	UpdateAddrs(ctx context.Context, nodeKey *ecdsa.PrivateKey, addrs []string) error
	AddPledge(ctx context.Context, amount *big.Int) error
	// Deregister leaves the registry; the pledge unlocks after the unlock delay.
	Deregister(ctx context.Context) error
	WithdrawPledge(ctx context.Context) error
	Info(ctx context.Context, account common.Address) (Registration, error)
	Providers(ctx context.Context) ([]Node, error)
	Keepers(ctx context.Context) ([]Node, error)
	Count(ctx context.Context, role Role) (uint64, error)
	// SetMetaRoot records root (at most MaxMetaRoot bytes) as the client
	// account's metadata root: a User's pointer to its latest metadata snapshot.
	SetMetaRoot(ctx context.Context, root []byte) error
	// MetaRootOf is account's metadata root (empty if none).
	MetaRootOf(ctx context.Context, account common.Address) ([]byte, error)
	// RegistryEvents lists the Registry's changes in blocks from..to (inclusive).
	RegistryEvents(ctx context.Context, from, to uint64) ([]RegistryEvent, error)

	// Deposit moves amount MEMO (approved automatically) into the User's deposit.
	Deposit(ctx context.Context, amount *big.Int) error
	// Withdraw takes amount of the unlocked deposit back.
	Withdraw(ctx context.Context, amount *big.Int) error
	DepositOf(ctx context.Context, user common.Address) (Deposit, error)
	// SignOrderUpdate signs u (EIP-712) with the client's key for this deployment.
	SignOrderUpdate(u OrderUpdate) ([]byte, error)
	// UpdateOrder submits an update signed by both User and Provider.
	UpdateOrder(ctx context.Context, s SignedOrderUpdate) error
	Order(ctx context.Context, user, provider common.Address) (Order, error)
	// OrdersOf lists the Users with an open order at provider.
	OrdersOf(ctx context.Context, provider common.Address) ([]common.Address, error)
	// Expire closes an ended order, settling it and refunding unused escrow.
	Expire(ctx context.Context, user, provider common.Address) error
	// AccruedIncome is provider's income: settled plus accrued but not yet settled.
	// (Paying it out needs a Keeper quorum certificate: not available yet.)
	AccruedIncome(ctx context.Context, provider common.Address) (*big.Int, error)

	// ---- verification (verify.go) ----

	// RecordRandomness records the current epoch's randomness (permissionless; a no-op
	// once recorded; reverts "randomness delay not over" early in the epoch) and
	// returns it.
	RecordRandomness(ctx context.Context) (common.Hash, error)
	// Randomness is epoch's recorded randomness (zero: not yet).
	Randomness(ctx context.Context, epoch uint64) (common.Hash, error)
	// EpochSeed is provider's challenge seed for epoch (zero: not challengeable yet).
	EpochSeed(ctx context.Context, provider common.Address, epoch uint64) (common.Hash, error)
	// KeeperCountAt is the size n of epoch's Keeper set; Quorum(n) must sign.
	KeeperCountAt(ctx context.Context, epoch uint64) (uint64, error)
	IsKeeperAt(ctx context.Context, account common.Address, epoch uint64) (bool, error)
	// KeepersAt lists the still registered members of epoch's Keeper set.
	KeepersAt(ctx context.Context, epoch uint64) ([]Node, error)
	// KeeperSetAt lists every member of epoch's Keeper set, also those gone since.
	KeeperSetAt(ctx context.Context, epoch uint64) ([]common.Address, error)
	// BLSKeyOf is account's registered BLS key (an error if it has none).
	BLSKeyOf(ctx context.Context, account common.Address) (BLSPublicKey, error)
	// HashAttestation is the EIP-712 digest of a for this deployment.
	HashAttestation(a Attestation) (common.Hash, error)
	// SignAttestation signs a with the client's Keeper BLS key (KeeperBLSKey of its
	// wallet key) for this deployment.
	SignAttestation(a Attestation) ([]byte, error)
	// Certify submits a quorum certificate (absentees in any order).
	Certify(ctx context.Context, c Certificate) error
	CertificateOf(ctx context.Context, provider common.Address, epoch uint64) (CertificateState, error)
	// IncomeOf is provider's income (its Users' charge) for an ended epoch.
	IncomeOf(ctx context.Context, provider common.Address, epoch uint64) (*big.Int, error)
	// Claim pays the client's account (a Provider) its passed epochs; returns the amount.
	Claim(ctx context.Context, epochs []uint64) (*big.Int, error)
	// KeeperIncome is keeper's unclaimed certificate share of epochs [from, to).
	KeeperIncome(ctx context.Context, keeper common.Address, from, to uint64) (*big.Int, error)
	// ClaimKeeperIncome pays the client's account (a Keeper) its share of the final
	// epochs [from, to); returns the amount.
	ClaimKeeperIncome(ctx context.Context, from, to uint64) (*big.Int, error)
	// KeeperClaimedTo is the epoch below which keeper's income was claimed.
	KeeperClaimedTo(ctx context.Context, keeper common.Address) (uint64, error)
	// ProviderStatus tells whether provider may take new chunks, and why not.
	ProviderStatus(ctx context.Context, provider common.Address) (ProviderState, error)
	// SettlementEvents lists verification events in blocks from..to (inclusive).
	SettlementEvents(ctx context.Context, from, to uint64) ([]SettlementEvent, error)

	Close() error
}

// Options configure a Client.
type Options struct {
	// Contracts binds the client to an existing deployment (checked for code).
	Contracts Contracts
	// Logger receives debug lines per mined transaction; nil means slog.Default().
	Logger *slog.Logger
	// ReceiptTimeout bounds the wait for a transaction to be mined (default 2 min).
	ReceiptTimeout time.Duration
	// PollInterval is the first receipt poll delay of RPC clients (default 100 ms,
	// doubling up to 2 s).
	PollInterval time.Duration
	// OnReceipt, if set, is called with the operation name and receipt of every mined
	// transaction (gas accounting, metrics).
	OnReceipt func(op string, r *types.Receipt)
	// Retry is the backoff of requests that fail transiently (IsTransient): every read
	// of the chain connection, and the re-sending of an already signed transaction.
	// The zero value means 5 attempts, 200 ms initial delay, 10 s cap, with jitter;
	// Attempts: 1 disables retries.
	Retry RetryPolicy
}

// Errors.
var (
	// ErrReverted matches every *RevertError.
	ErrReverted = errors.New("chain: execution reverted")
	// ErrTxFailed is wrapped (with a RevertError) by a transaction that was
	// mined but failed: it reverted or ran out of gas at inclusion, though
	// its estimate passed, so the chain state it depends on changed.
	ErrTxFailed = errors.New("chain: transaction failed at inclusion")
	// ErrNotDeployed: the client is not bound to contracts.
	ErrNotDeployed = errors.New("chain: contracts not deployed or not configured")
	errNotSent     = errors.New("transaction not sent")
)

// RevertError is a contract revert with its reason string.
type RevertError struct {
	Reason string
	cause  error
}

func (e *RevertError) Error() string {
	if e.Reason == "" {
		return "execution reverted"
	}
	return "execution reverted: " + e.Reason
}

// Is makes errors.Is(err, ErrReverted) true.
func (e *RevertError) Is(target error) bool { return target == ErrReverted }

// Unwrap returns the backend's original error.
func (e *RevertError) Unwrap() error { return e.cause }

// notSentError marks failures before a transaction was handed to the chain.
type notSentError struct{ err error }

func (e *notSentError) Error() string   { return e.err.Error() }
func (e *notSentError) Unwrap() []error { return []error{e.err, errNotSent} }
func notSent(err error) error           { return &notSentError{err} }

// IsNotSent reports whether err guarantees that no transaction was broadcast.
func IsNotSent(err error) bool { return errors.Is(err, errNotSent) }

// backend is what the client needs of a chain connection; both ethclient.Client and
// the simulated backend's client provide it, and retryBackend wraps it.
type backend interface {
	bind.ContractBackend
	ethereum.BlockNumberReader
	ethereum.ChainIDReader
	BalanceAt(ctx context.Context, account common.Address, block *big.Int) (*big.Int, error)
	TransactionReceipt(ctx context.Context, hash common.Hash) (*types.Receipt, error)
}

// waitFunc returns tx's receipt once tx is mined.
type waitFunc func(ctx context.Context, tx *types.Transaction) (*types.Receipt, error)

var (
	tokenABI      = memotoken.NewMemoToken()
	registryABI   = registry.NewRegistry()
	settlementABI = settlement.NewSettlement()
)

// client implements Client over a backend; the backends differ only in wait and closer.
type client struct {
	b       backend
	key     *ecdsa.PrivateKey
	from    common.Address
	chainID *big.Int
	wait    waitFunc
	closer  func() error
	opts    Options
	log     *slog.Logger

	sendMu sync.Mutex // one transaction in flight per client
	stats  txCounters

	blsOnce sync.Once // derives blsKey from key on first use (Keepers only)
	blsKey  BLSSecretKey
	blsErr  error

	mu        sync.RWMutex
	contracts Contracts
}

func newClient(ctx context.Context, b backend, key *ecdsa.PrivateKey, wait waitFunc, closer func() error, opts Options) (*client, error) {
	if key == nil {
		return nil, errors.New("chain: nil key")
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	log = log.With("component", "chain")
	opts.Retry = opts.Retry.withDefaults()
	b = withRetry(b, opts.Retry, log)
	id, err := b.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("chain: read chain id: %w", err)
	}
	if opts.ReceiptTimeout <= 0 {
		opts.ReceiptTimeout = 2 * time.Minute
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = 100 * time.Millisecond
	}
	c := &client{
		b: b, key: key, from: crypto.PubkeyToAddress(key.PublicKey), chainID: id,
		wait: wait, closer: closer, opts: opts, log: log,
	}
	if !opts.Contracts.IsZero() {
		if err := c.checkCode(ctx, opts.Contracts); err != nil {
			return nil, err
		}
		c.contracts = opts.Contracts
	}
	return c, nil
}

func (c *client) checkCode(ctx context.Context, ct Contracts) error {
	for name, a := range map[string]common.Address{"token": ct.Token, "registry": ct.Registry, "settlement": ct.Settlement} {
		code, err := c.b.CodeAt(ctx, a, nil)
		if err != nil {
			return fmt.Errorf("chain: read %s contract code at %s: %w", name, a, err)
		}
		if len(code) == 0 {
			return fmt.Errorf("chain: no %s contract at %s: %w", name, a, ErrNotDeployed)
		}
	}
	return nil
}

func (c *client) Address() common.Address { return c.from }
func (c *client) ChainID() *big.Int       { return new(big.Int).Set(c.chainID) }

func (c *client) Contracts() Contracts {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.contracts
}

func (c *client) Close() error {
	if c.closer != nil {
		return c.closer()
	}
	return nil
}

func (c *client) BlockNumber(ctx context.Context) (uint64, error) {
	n, err := c.b.BlockNumber(ctx)
	if err != nil {
		return 0, fmt.Errorf("chain: block number: %w", err)
	}
	return n, nil
}

func (c *client) GasBalance(ctx context.Context, account common.Address) (*big.Int, error) {
	v, err := c.b.BalanceAt(ctx, account, nil)
	if err != nil {
		return nil, fmt.Errorf("chain: gas balance of %s: %w", account, err)
	}
	return v, nil
}

// call runs a read-only contract call at the latest block and unpacks its result.
func call[T any](ctx context.Context, c *client, op string, to common.Address, data []byte, packErr error, unpack func([]byte) (T, error)) (T, error) {
	var zero T
	if packErr != nil {
		return zero, fmt.Errorf("chain: %s: pack: %w", op, packErr)
	}
	if to == (common.Address{}) {
		return zero, fmt.Errorf("chain: %s: %w", op, ErrNotDeployed)
	}
	out, err := c.b.CallContract(ctx, ethereum.CallMsg{From: c.from, To: &to, Data: data}, nil)
	if err != nil {
		return zero, fmt.Errorf("chain: %s: %w", op, asRevert(err))
	}
	v, err := unpack(out)
	if err != nil {
		return zero, fmt.Errorf("chain: %s: unpack: %w", op, err)
	}
	return v, nil
}

// transact signs and sends a transaction to `to` (nil creates a contract) and waits for
// its receipt.
// TxStats count a client's transactions since it was opened.
type TxStats struct {
	Sent    uint64 // signed and sent
	Mined   uint64 // mined and successful
	Failed  uint64 // sent but lost, or reverted
	Refused uint64 // not sent: the gas estimate failed (a revert foreseen), or signing failed
	Gas     uint64 // gas used by mined transactions, successful or not
}

type txCounters struct{ sent, mined, failed, refused, gas atomic.Uint64 }

// TxStats reports the client's transaction counters.
func (c *client) TxStats() TxStats {
	return TxStats{Sent: c.stats.sent.Load(), Mined: c.stats.mined.Load(), Failed: c.stats.failed.Load(),
		Refused: c.stats.refused.Load(), Gas: c.stats.gas.Load()}
}

func (c *client) transact(ctx context.Context, op string, to *common.Address, data []byte, packErr error) (*types.Receipt, error) {
	return c.transactHeadroom(ctx, op, to, data, packErr, 0)
}

// transactHeadroom is transact with headroom gas added to the estimate, for
// operations whose cost depends on state that may change before inclusion.
func (c *client) transactHeadroom(ctx context.Context, op string, to *common.Address, data []byte, packErr error, headroom uint64) (*types.Receipt, error) {
	if packErr != nil {
		return nil, notSent(fmt.Errorf("chain: %s: pack: %w", op, packErr))
	}
	if to != nil && *to == (common.Address{}) {
		return nil, notSent(fmt.Errorf("chain: %s: %w", op, ErrNotDeployed))
	}
	c.sendMu.Lock()
	defer c.sendMu.Unlock()
	tx, err := c.buildTx(ctx, to, data, headroom)
	if err != nil {
		c.stats.refused.Add(1)
		return nil, notSent(fmt.Errorf("chain: %s: %w", op, err))
	}
	c.stats.sent.Add(1)
	if err := c.send(ctx, tx); err != nil {
		c.stats.failed.Add(1)
		return nil, fmt.Errorf("chain: %s: send %s: %w", op, tx.Hash(), err)
	}
	wctx, cancel := context.WithTimeout(ctx, c.opts.ReceiptTimeout)
	defer cancel()
	r, err := c.wait(wctx, tx)
	if err != nil {
		c.stats.failed.Add(1)
		return nil, fmt.Errorf("chain: %s: wait for %s: %w", op, tx.Hash(), err)
	}
	c.stats.gas.Add(r.GasUsed)
	if r.Status != types.ReceiptStatusSuccessful {
		c.stats.failed.Add(1)
		return r, fmt.Errorf("chain: %s: tx %s failed in block %d (gas used %d of %d): %w: %w", op, tx.Hash(), r.BlockNumber, r.GasUsed, tx.Gas(), ErrTxFailed, &RevertError{Reason: "transaction status 0"})
	}
	c.stats.mined.Add(1)
	c.log.Debug("tx mined", "op", op, "tx", tx.Hash(), "block", r.BlockNumber, "gas", r.GasUsed)
	if c.opts.OnReceipt != nil {
		c.opts.OnReceipt(op, r)
	}
	return r, nil
}

// keeperSetHeadroom is extra gas for the operations that change the Keeper
// set: estimated in one epoch, mined in the next, they write a new checkpoint
// (count + 256-byte aggregate key, ~200k gas) where the estimate updated one.
// Unused gas is not charged.
const keeperSetHeadroom = 250_000

// epochHeadroom is extra gas for updateOrder, whose cost depends on the epoch
// it is mined in: the Provider's income walk (_advance) writes one incomeAt
// slot (~25k gas with the drop it reads) per epoch since its last update, so
// an update estimated in one epoch and mined in the next ran out of the 20 %
// margin (seen on a devnet: 156,582 of 156,582 gas used). This covers two
// crossed boundaries.
const epochHeadroom = 60_000

// buildTx estimates gas (plus headroom) and fees and signs; nothing is sent.
func (c *client) buildTx(ctx context.Context, to *common.Address, data []byte, headroom uint64) (*types.Transaction, error) {
	nonce, err := c.b.PendingNonceAt(ctx, c.from)
	if err != nil {
		return nil, fmt.Errorf("nonce: %w", err)
	}
	head, err := c.b.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("latest header: %w", err)
	}
	msg := ethereum.CallMsg{From: c.from, To: to, Data: data}
	gas, err := c.b.EstimateGas(ctx, msg)
	if err != nil {
		return nil, fmt.Errorf("estimate gas: %w", asRevert(err))
	}
	gas += gas/5 + headroom // for state that changes before inclusion
	if head.GasLimit > 0 && gas > head.GasLimit {
		gas = head.GasLimit
	}
	var txd types.TxData
	if head.BaseFee != nil {
		tip, err := c.b.SuggestGasTipCap(ctx)
		if err != nil {
			return nil, fmt.Errorf("gas tip: %w", err)
		}
		feeCap := new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
		txd = &types.DynamicFeeTx{ChainID: c.chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: gas, To: to, Data: data}
	} else {
		price, err := c.b.SuggestGasPrice(ctx)
		if err != nil {
			return nil, fmt.Errorf("gas price: %w", err)
		}
		txd = &types.LegacyTx{Nonce: nonce, GasPrice: price, Gas: gas, To: to, Data: data}
	}
	tx, err := types.SignNewTx(c.key, types.LatestSignerForChainID(c.chainID), txd)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	return tx, nil
}

// send broadcasts tx, re-sending the same signed bytes on transient errors under
// Options.Retry (safe: the chain accepts a transaction once, and a re-send the node
// already holds counts as sent). It is the only place a send is repeated; tx is never
// rebuilt or re-signed.
func (c *client) send(ctx context.Context, tx *types.Transaction) error {
	attempt := 0
	err := retry0(ctx, c.opts.Retry, c.log, "eth_sendRawTransaction", func() error {
		attempt++
		err := c.b.SendTransaction(ctx, tx)
		switch {
		case err == nil, isAlreadyKnown(err):
			return nil
		case attempt > 1 && isNonceTooLow(err):
			// An earlier attempt failed after possibly reaching the node, and tx's
			// nonce is used now: most likely by tx itself, mined meanwhile. Waiting for
			// its receipt tells (or times out); reporting failure could make a caller
			// redo an operation that succeeded.
			return nil
		}
		return err
	})
	return asRevert(err)
}
