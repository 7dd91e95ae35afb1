package chain

// Invariants:
//   - Retries live at the transport boundary only: every Client talks to its chain
//     connection through retryBackend, which retries each read (calls, code, block
//     number, balances, gas estimation, nonce, header, gas price/tip, logs, receipts,
//     chain id) on transient errors only (IsTransient, judged after asRevert, so a revert
//     whose reason happens to say "timeout" is never retried). Nothing retries a Client
//     method as a whole, so no retry can rebuild and re-sign a transaction: a retry can
//     never pay, register or update an order twice, and Deploy is never repeated.
//   - retryBackend passes SendTransaction through untouched. client.send alone re-sends,
//     and only the same signed bytes (the chain accepts a transaction once), under the
//     same policy; a transaction that may have been broadcast is never rebuilt. A
//     re-send answered "already known", or "nonce too low" after an ambiguous attempt,
//     counts as sent: the receipt wait decides.
//   - Waiting between attempts honours ctx; the last error is returned, wrapped with the
//     operation and the attempt count.

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"math/rand/v2"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// RetryPolicy is the backoff applied to a Client's chain traffic (Options.Retry). The
// zero value means 5 attempts, 200 ms initial delay, 10 s cap; Attempts: 1 disables
// retries.
type RetryPolicy struct {
	Attempts int           // total attempts per request (default 5; 1: no retries)
	Initial  time.Duration // first delay (default 200 ms); doubles, with ±25% jitter
	Max      time.Duration // delay cap (default 10 s)
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.Attempts <= 0 {
		p.Attempts = 5
	}
	if p.Initial <= 0 {
		p.Initial = 200 * time.Millisecond
	}
	if p.Max <= 0 {
		p.Max = 10 * time.Second
	}
	return p
}

// retry runs f until it succeeds, fails with an error that is not transient, has been
// tried p.Attempts times, or ctx ends. p must have its defaults applied.
func retry[T any](ctx context.Context, p RetryPolicy, log *slog.Logger, op string, f func() (T, error)) (T, error) {
	delay := min(p.Initial, p.Max)
	for attempt := 1; ; attempt++ {
		v, err := f()
		if err == nil {
			return v, nil
		}
		if !IsTransient(asRevert(err)) {
			return v, err
		}
		if attempt >= p.Attempts {
			if p.Attempts == 1 {
				return v, err
			}
			return v, fmt.Errorf("%s: giving up after %d attempts: %w", op, attempt, err)
		}
		d := delay/2 + delay/4 + time.Duration(rand.Int64N(int64(delay/2)+1)) // delay ±25%
		log.Warn("chain request failed, retrying", "op", op, "attempt", attempt, "in", d, "err", err)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return v, fmt.Errorf("%s: %w (last error: %w)", op, ctx.Err(), err)
		case <-t.C:
		}
		delay = min(delay*2, p.Max)
	}
}

func retry0(ctx context.Context, p RetryPolicy, log *slog.Logger, op string, f func() error) error {
	_, err := retry(ctx, p, log, op, func() (struct{}, error) { return struct{}{}, f() })
	return err
}

// retryBackend is a backend whose reads are retried on transient errors, in the manner
// of restic's retrying backend: behaviour added by wrapping the connection.
type retryBackend struct {
	b   backend
	p   RetryPolicy
	log *slog.Logger
}

// withRetry wraps b in p's retries (p needs no defaults applied); Attempts: 1 returns b.
func withRetry(b backend, p RetryPolicy, log *slog.Logger) backend {
	p = p.withDefaults()
	if p.Attempts == 1 {
		return b
	}
	return &retryBackend{b: b, p: p, log: log}
}

func (r *retryBackend) ChainID(ctx context.Context) (*big.Int, error) {
	return retry(ctx, r.p, r.log, "eth_chainId", func() (*big.Int, error) { return r.b.ChainID(ctx) })
}

func (r *retryBackend) BlockNumber(ctx context.Context) (uint64, error) {
	return retry(ctx, r.p, r.log, "eth_blockNumber", func() (uint64, error) { return r.b.BlockNumber(ctx) })
}

func (r *retryBackend) BalanceAt(ctx context.Context, a common.Address, block *big.Int) (*big.Int, error) {
	return retry(ctx, r.p, r.log, "eth_getBalance", func() (*big.Int, error) { return r.b.BalanceAt(ctx, a, block) })
}

func (r *retryBackend) TransactionReceipt(ctx context.Context, h common.Hash) (*types.Receipt, error) {
	return retry(ctx, r.p, r.log, "eth_getTransactionReceipt", func() (*types.Receipt, error) { return r.b.TransactionReceipt(ctx, h) })
}

func (r *retryBackend) CodeAt(ctx context.Context, a common.Address, block *big.Int) ([]byte, error) {
	return retry(ctx, r.p, r.log, "eth_getCode", func() ([]byte, error) { return r.b.CodeAt(ctx, a, block) })
}

func (r *retryBackend) CallContract(ctx context.Context, msg ethereum.CallMsg, block *big.Int) ([]byte, error) {
	return retry(ctx, r.p, r.log, "eth_call", func() ([]byte, error) { return r.b.CallContract(ctx, msg, block) })
}

func (r *retryBackend) EstimateGas(ctx context.Context, msg ethereum.CallMsg) (uint64, error) {
	return retry(ctx, r.p, r.log, "eth_estimateGas", func() (uint64, error) { return r.b.EstimateGas(ctx, msg) })
}

func (r *retryBackend) SuggestGasPrice(ctx context.Context) (*big.Int, error) {
	return retry(ctx, r.p, r.log, "eth_gasPrice", func() (*big.Int, error) { return r.b.SuggestGasPrice(ctx) })
}

func (r *retryBackend) SuggestGasTipCap(ctx context.Context) (*big.Int, error) {
	return retry(ctx, r.p, r.log, "eth_maxPriorityFeePerGas", func() (*big.Int, error) { return r.b.SuggestGasTipCap(ctx) })
}

func (r *retryBackend) HeaderByNumber(ctx context.Context, n *big.Int) (*types.Header, error) {
	return retry(ctx, r.p, r.log, "eth_getBlockByNumber", func() (*types.Header, error) { return r.b.HeaderByNumber(ctx, n) })
}

func (r *retryBackend) PendingCodeAt(ctx context.Context, a common.Address) ([]byte, error) {
	return retry(ctx, r.p, r.log, "eth_getCode", func() ([]byte, error) { return r.b.PendingCodeAt(ctx, a) })
}

func (r *retryBackend) PendingNonceAt(ctx context.Context, a common.Address) (uint64, error) {
	return retry(ctx, r.p, r.log, "eth_getTransactionCount", func() (uint64, error) { return r.b.PendingNonceAt(ctx, a) })
}

type txLookup struct {
	tx      *types.Transaction
	pending bool
}

func (r *retryBackend) TransactionByHash(ctx context.Context, h common.Hash) (*types.Transaction, bool, error) {
	v, err := retry(ctx, r.p, r.log, "eth_getTransactionByHash", func() (txLookup, error) {
		tx, pending, err := r.b.TransactionByHash(ctx, h)
		return txLookup{tx, pending}, err
	})
	return v.tx, v.pending, err
}

func (r *retryBackend) FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	return retry(ctx, r.p, r.log, "eth_getLogs", func() ([]types.Log, error) { return r.b.FilterLogs(ctx, q) })
}

// SubscribeFilterLogs retries establishing the subscription; a subscription that later
// fails reports that on its Err channel, as without retries.
func (r *retryBackend) SubscribeFilterLogs(ctx context.Context, q ethereum.FilterQuery, ch chan<- types.Log) (ethereum.Subscription, error) {
	return retry(ctx, r.p, r.log, "eth_subscribe", func() (ethereum.Subscription, error) { return r.b.SubscribeFilterLogs(ctx, q, ch) })
}

// SendTransaction is not retried here: a failed send may still have reached the node.
// client.send re-sends the very same signed transaction, which is safe.
func (r *retryBackend) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	return r.b.SendTransaction(ctx, tx)
}
