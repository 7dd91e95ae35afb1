package chain

// Invariants:
//   - Reads are retried on transient errors only; writes are retried only when the error
//     is transient AND guarantees nothing was broadcast (IsNotSent), so a retry can
//     never pay, register or update an order twice. (Composite writes such as Register
//     re-check the allowance first, so a retry after a mined approve skips it.)
//   - Waiting between attempts honours ctx; the last error is returned, wrapped with the
//     attempt count.

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"math/rand/v2"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// RetryPolicy is the backoff of WithRetry.
type RetryPolicy struct {
	Attempts int           // total attempts (default 5)
	Initial  time.Duration // first delay (default 200 ms); doubles, with ±25% jitter
	Max      time.Duration // delay cap (default 10 s)
	Logger   *slog.Logger  // nil: slog.Default()
}

// WithRetry wraps c so that transient failures (IsTransient) are retried with
// exponential backoff, in the manner of restic's retrying backend.
func WithRetry(c Client, p RetryPolicy) Client {
	if p.Attempts <= 0 {
		p.Attempts = 5
	}
	if p.Initial <= 0 {
		p.Initial = 200 * time.Millisecond
	}
	if p.Max <= 0 {
		p.Max = 10 * time.Second
	}
	if p.Logger == nil {
		p.Logger = slog.Default()
	}
	return &retrying{c: c, p: p}
}

type retrying struct {
	c Client
	p RetryPolicy
}

func retry[T any](ctx context.Context, r *retrying, op string, write bool, f func() (T, error)) (T, error) {
	delay := r.p.Initial
	for attempt := 1; ; attempt++ {
		v, err := f()
		if err == nil {
			return v, nil
		}
		if !IsTransient(err) || (write && !IsNotSent(err)) {
			return v, err
		}
		if attempt >= r.p.Attempts {
			return v, fmt.Errorf("chain: %s: giving up after %d attempts: %w", op, attempt, err)
		}
		d := delay/2 + delay/4 + time.Duration(rand.Int64N(int64(delay/2)+1)) // delay ±25%
		r.p.Logger.Warn("chain operation failed, retrying", "op", op, "attempt", attempt, "in", d, "err", err)
		select {
		case <-ctx.Done():
			return v, fmt.Errorf("chain: %s: %w (last error: %w)", op, ctx.Err(), err)
		case <-time.After(d):
		}
		delay = min(delay*2, r.p.Max)
	}
}

func retry0(ctx context.Context, r *retrying, op string, write bool, f func() error) error {
	_, err := retry(ctx, r, op, write, func() (struct{}, error) { return struct{}{}, f() })
	return err
}

func (r *retrying) Address() common.Address { return r.c.Address() }
func (r *retrying) ChainID() *big.Int       { return r.c.ChainID() }
func (r *retrying) Contracts() Contracts    { return r.c.Contracts() }
func (r *retrying) Close() error            { return r.c.Close() }

func (r *retrying) SignOrderUpdate(u OrderUpdate) ([]byte, error) { return r.c.SignOrderUpdate(u) }

func (r *retrying) Deploy(ctx context.Context, p DeployParams) (Contracts, error) {
	// Not retried: deployment is three transactions and a retry would redeploy.
	return r.c.Deploy(ctx, p)
}

func (r *retrying) Params(ctx context.Context) (Params, error) {
	return retry(ctx, r, "params", false, func() (Params, error) { return r.c.Params(ctx) })
}

func (r *retrying) CurrentEpoch(ctx context.Context) (uint64, error) {
	return retry(ctx, r, "currentEpoch", false, func() (uint64, error) { return r.c.CurrentEpoch(ctx) })
}

func (r *retrying) BlockNumber(ctx context.Context) (uint64, error) {
	return retry(ctx, r, "blockNumber", false, func() (uint64, error) { return r.c.BlockNumber(ctx) })
}

func (r *retrying) GasBalance(ctx context.Context, a common.Address) (*big.Int, error) {
	return retry(ctx, r, "gasBalance", false, func() (*big.Int, error) { return r.c.GasBalance(ctx, a) })
}

func (r *retrying) Faucet(ctx context.Context) error {
	return retry0(ctx, r, "faucet", true, func() error { return r.c.Faucet(ctx) })
}

func (r *retrying) Balance(ctx context.Context, a common.Address) (*big.Int, error) {
	return retry(ctx, r, "balance", false, func() (*big.Int, error) { return r.c.Balance(ctx, a) })
}

func (r *retrying) Approve(ctx context.Context, spender common.Address, amount *big.Int) error {
	return retry0(ctx, r, "approve", true, func() error { return r.c.Approve(ctx, spender, amount) })
}

func (r *retrying) Transfer(ctx context.Context, to common.Address, amount *big.Int) error {
	return retry0(ctx, r, "transfer", true, func() error { return r.c.Transfer(ctx, to, amount) })
}

func (r *retrying) Register(ctx context.Context, role Role, peerID string, addrs []string, pledge *big.Int) error {
	return retry0(ctx, r, "register", true, func() error { return r.c.Register(ctx, role, peerID, addrs, pledge) })
}

func (r *retrying) UpdateAddrs(ctx context.Context, peerID string, addrs []string) error {
	return retry0(ctx, r, "updateAddrs", true, func() error { return r.c.UpdateAddrs(ctx, peerID, addrs) })
}

func (r *retrying) AddPledge(ctx context.Context, amount *big.Int) error {
	return retry0(ctx, r, "addPledge", true, func() error { return r.c.AddPledge(ctx, amount) })
}

func (r *retrying) Deregister(ctx context.Context) error {
	return retry0(ctx, r, "deregister", true, func() error { return r.c.Deregister(ctx) })
}

func (r *retrying) WithdrawPledge(ctx context.Context) error {
	return retry0(ctx, r, "withdrawPledge", true, func() error { return r.c.WithdrawPledge(ctx) })
}

func (r *retrying) Info(ctx context.Context, a common.Address) (Registration, error) {
	return retry(ctx, r, "info", false, func() (Registration, error) { return r.c.Info(ctx, a) })
}

func (r *retrying) Providers(ctx context.Context) ([]Node, error) {
	return retry(ctx, r, "providers", false, func() ([]Node, error) { return r.c.Providers(ctx) })
}

func (r *retrying) Keepers(ctx context.Context) ([]Node, error) {
	return retry(ctx, r, "keepers", false, func() ([]Node, error) { return r.c.Keepers(ctx) })
}

func (r *retrying) Count(ctx context.Context, role Role) (uint64, error) {
	return retry(ctx, r, "count", false, func() (uint64, error) { return r.c.Count(ctx, role) })
}

func (r *retrying) RegistryEvents(ctx context.Context, from, to uint64) ([]RegistryEvent, error) {
	return retry(ctx, r, "registryEvents", false, func() ([]RegistryEvent, error) { return r.c.RegistryEvents(ctx, from, to) })
}

func (r *retrying) Deposit(ctx context.Context, amount *big.Int) error {
	return retry0(ctx, r, "deposit", true, func() error { return r.c.Deposit(ctx, amount) })
}

func (r *retrying) Withdraw(ctx context.Context, amount *big.Int) error {
	return retry0(ctx, r, "withdraw", true, func() error { return r.c.Withdraw(ctx, amount) })
}

func (r *retrying) DepositOf(ctx context.Context, user common.Address) (Deposit, error) {
	return retry(ctx, r, "depositOf", false, func() (Deposit, error) { return r.c.DepositOf(ctx, user) })
}

func (r *retrying) UpdateOrder(ctx context.Context, s SignedOrderUpdate) error {
	return retry0(ctx, r, "updateOrder", true, func() error { return r.c.UpdateOrder(ctx, s) })
}

func (r *retrying) Order(ctx context.Context, user, provider common.Address) (Order, error) {
	return retry(ctx, r, "order", false, func() (Order, error) { return r.c.Order(ctx, user, provider) })
}

func (r *retrying) OrdersOf(ctx context.Context, provider common.Address) ([]common.Address, error) {
	return retry(ctx, r, "ordersOf", false, func() ([]common.Address, error) { return r.c.OrdersOf(ctx, provider) })
}

func (r *retrying) Expire(ctx context.Context, user, provider common.Address) error {
	return retry0(ctx, r, "expire", true, func() error { return r.c.Expire(ctx, user, provider) })
}

func (r *retrying) AccruedIncome(ctx context.Context, provider common.Address) (*big.Int, error) {
	return retry(ctx, r, "accruedIncome", false, func() (*big.Int, error) { return r.c.AccruedIncome(ctx, provider) })
}
