package provider

// Invariants:
//   - With a Ledger, a Provider stores chunks only for a peer that is the
//     registered peer id of a User holding an open order with this Provider
//     (end after the current epoch) that is funded (escrow locked, or free
//     deposit to grow into), and co-signs only order updates whose chunk list
//     it holds in full.

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/chain"
)

// Ledger is a Provider's view of its orders on chain.
type Ledger interface {
	// Authorize reports as which owner (its User account, hex) peer p acts,
	// and, if store is set, whether it may store chunks here.
	Authorize(ctx context.Context, p peer.ID, store bool) (owner string, err error)
	// Check vets an order update proposed by peer p before it is signed.
	Check(ctx context.Context, p peer.ID, u chain.OrderUpdate) (owner string, err error)
	// Sign signs an order update with the Provider's key.
	Sign(u chain.OrderUpdate) ([]byte, error)
}

// AllowAll is the Ledger of a Provider without settlement: every peer may
// store chunks, as itself; order updates are refused (there is no chain to
// record them on).
type AllowAll struct{}

func (AllowAll) Authorize(ctx context.Context, p peer.ID, store bool) (string, error) {
	return p.String(), nil
}

func (AllowAll) Check(ctx context.Context, p peer.ID, u chain.OrderUpdate) (string, error) {
	return "", errNoSettlement
}

func (AllowAll) Sign(u chain.OrderUpdate) ([]byte, error) { return nil, errNoSettlement }

var errNoSettlement = errors.New("this provider runs without settlement")

// LedgerChain is what a ChainLedger needs of the chain: the Provider's
// account, the registry and its orders.
type LedgerChain interface {
	// Address is the Provider's account.
	Address() common.Address
	// Info reads account's registration.
	Info(ctx context.Context, account common.Address) (chain.Registration, error)
	// OrdersOf lists the Users with an open order at provider.
	OrdersOf(ctx context.Context, provider common.Address) ([]common.Address, error)
	Order(ctx context.Context, user, provider common.Address) (chain.Order, error)
	DepositOf(ctx context.Context, user common.Address) (chain.Deposit, error)
	CurrentEpoch(ctx context.Context) (uint64, error)
	// SignOrderUpdate signs u with the Provider's key.
	SignOrderUpdate(u chain.OrderUpdate) ([]byte, error)
}

// ErrNoOrder refuses a User without an open, funded order.
var ErrNoOrder = errors.New("no open, funded order covers this user")

// ChainLedger is the Ledger of a Provider account on a chain.
type ChainLedger struct {
	Chain LedgerChain
	// MinPrice is the lowest price per byte per epoch the Provider accepts.
	MinPrice *big.Int

	mu    sync.Mutex
	users map[peer.ID]common.Address // peer → User account, learned from the registry
	ok    map[common.Address]time.Time
}

// authTTL is how long a positive funding check is trusted.
const authTTL = 10 * time.Second

// userOf returns the User account whose registered peer id is p, looking
// the Provider's order holders up on chain when p is not known yet.
func (l *ChainLedger) userOf(ctx context.Context, p peer.ID) (common.Address, error) {
	l.mu.Lock()
	u, ok := l.users[p]
	l.mu.Unlock()
	if ok {
		return u, nil
	}
	users, err := l.Chain.OrdersOf(ctx, l.Chain.Address())
	if err != nil {
		return common.Address{}, fmt.Errorf("list order holders: %w", err)
	}
	for _, a := range users {
		info, err := l.Chain.Info(ctx, a)
		if err != nil {
			return common.Address{}, fmt.Errorf("registry entry of %s: %w", a, err)
		}
		if info.Role != chain.RoleUser || !info.Active {
			continue
		}
		if id, err := peer.Decode(info.PeerID); err == nil {
			l.remember(id, a)
			if id == p {
				u, ok = a, true
			}
		}
	}
	if !ok {
		return common.Address{}, fmt.Errorf("peer %s: %w", p, ErrNoOrder)
	}
	return u, nil
}

func (l *ChainLedger) remember(p peer.ID, u common.Address) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.users == nil {
		l.users = map[peer.ID]common.Address{}
	}
	l.users[p] = u
}

func (l *ChainLedger) Authorize(ctx context.Context, p peer.ID, store bool) (string, error) {
	u, err := l.userOf(ctx, p)
	if err != nil || !store {
		return u.Hex(), err
	}
	l.mu.Lock()
	t, fresh := l.ok[u]
	l.mu.Unlock()
	if fresh && time.Since(t) < authTTL {
		return u.Hex(), nil
	}
	o, err := l.Chain.Order(ctx, u, l.Chain.Address())
	if err != nil {
		return "", fmt.Errorf("order of %s: %w", u, err)
	}
	epoch, err := l.Chain.CurrentEpoch(ctx)
	if err != nil {
		return "", fmt.Errorf("current epoch: %w", err)
	}
	if o.Nonce == 0 || o.End <= epoch {
		return "", fmt.Errorf("user %s: %w (order ended at epoch %d, now %d)", u, ErrNoOrder, o.End, epoch)
	}
	if o.Escrow == nil || o.Escrow.Sign() == 0 {
		d, err := l.Chain.DepositOf(ctx, u)
		if err != nil {
			return "", fmt.Errorf("deposit of %s: %w", u, err)
		}
		if d.Free == nil || d.Free.Sign() == 0 {
			return "", fmt.Errorf("user %s: %w (no escrow, no free deposit)", u, ErrNoOrder)
		}
	}
	l.mu.Lock()
	if l.ok == nil {
		l.ok = map[common.Address]time.Time{}
	}
	l.ok[u] = time.Now()
	l.mu.Unlock()
	return u.Hex(), nil
}

func (l *ChainLedger) Check(ctx context.Context, p peer.ID, u chain.OrderUpdate) (string, error) {
	if u.Provider != l.Chain.Address() {
		return "", fmt.Errorf("update names provider %s, this is %s", u.Provider, l.Chain.Address())
	}
	info, err := l.Chain.Info(ctx, u.User)
	if err != nil {
		return "", fmt.Errorf("registry entry of %s: %w", u.User, err)
	}
	if info.Role != chain.RoleUser || !info.Active || info.PeerID != p.String() {
		return "", fmt.Errorf("peer %s is not the registered peer of user %s", p, u.User)
	}
	l.remember(p, u.User)
	o, err := l.Chain.Order(ctx, u.User, u.Provider)
	if err != nil {
		return "", fmt.Errorf("order of %s: %w", u.User, err)
	}
	if u.Nonce != o.Nonce+1 {
		return "", fmt.Errorf("update nonce %d, want %d", u.Nonce, o.Nonce+1)
	}
	if l.MinPrice != nil && (u.Price == nil || u.Price.Cmp(l.MinPrice) < 0) {
		return "", fmt.Errorf("price %v below this provider's minimum %v", u.Price, l.MinPrice)
	}
	epoch, err := l.Chain.CurrentEpoch(ctx)
	if err != nil {
		return "", fmt.Errorf("current epoch: %w", err)
	}
	if u.End <= epoch {
		return "", fmt.Errorf("update ends at epoch %d, now is %d", u.End, epoch)
	}
	return u.User.Hex(), nil
}

func (l *ChainLedger) Sign(u chain.OrderUpdate) ([]byte, error) { return l.Chain.SignOrderUpdate(u) }
