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
	// Quota is how many bytes the Provider may hold for owner, as of the
	// last Authorize with store set; limited is false if there is no bound.
	Quota(owner string) (bytes int64, limited bool)
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

func (AllowAll) Quota(string) (int64, bool) { return 0, false }

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
	// MaxTerm bounds how many epochs ahead an order may end (0: DefaultMaxTerm).
	MaxTerm uint64

	refresh sync.Mutex // one registry scan at a time
	// Slack is how many bytes a User may hold here beyond its order's size:
	// chunks stored since its last order update (default DefaultQuotaSlack).
	Slack     int64
	mu        sync.Mutex
	users     map[peer.ID]common.Address // peer → User account, learned from the registry
	refreshed time.Time                  // when users was last rebuilt from the chain
	ok        map[common.Address]admitted
}

// admitted is a positive funding check: when, and the order size it saw.
type admitted struct {
	at   time.Time
	size uint64
}

// DefaultQuotaSlack is ChainLedger.Slack's default: a User's chunks
// written between two order updates (10 s by default) fit well within it.
const DefaultQuotaSlack = 1 << 30

// Quota is the order size last seen for owner plus Slack; an owner never
// admitted to store has no quota (0, limited).
func (l *ChainLedger) Quota(owner string) (int64, bool) {
	slack := l.Slack
	if slack <= 0 {
		slack = DefaultQuotaSlack
	}
	if !common.IsHexAddress(owner) {
		return 0, true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	a, ok := l.ok[common.HexToAddress(owner)]
	if !ok {
		return 0, true
	}
	return int64(min(a.size, 1<<62)) + slack, true
}

const (
	// authTTL is how long a positive funding check is trusted.
	authTTL = 10 * time.Second
	// userTTL is how long the peer → User table is trusted for a known peer.
	userTTL = time.Minute
	// negativeTTL is how long an unknown peer is refused without asking the
	// chain: however many peer ids knock, the registry is scanned at most
	// once per negativeTTL.
	negativeTTL = 5 * time.Second
	// DefaultMaxTerm is how far ahead (in epochs) an order may end: about
	// two years of one-minute epochs, so a price is not fixed for ever.
	DefaultMaxTerm = 1 << 20
)

// userOf returns the User account whose registered peer id is p. Known
// peers are answered from the table for userTTL, unknown ones refused for
// negativeTTL after each scan of the Provider's order holders.
func (l *ChainLedger) userOf(ctx context.Context, p peer.ID) (common.Address, error) {
	if u, known, fresh := l.lookup(p); fresh {
		if !known {
			return common.Address{}, fmt.Errorf("peer %s: %w", p, ErrNoOrder)
		}
		return u, nil
	}
	l.refresh.Lock()
	defer l.refresh.Unlock()
	if u, known, fresh := l.lookup(p); fresh { // another caller just scanned
		if !known {
			return common.Address{}, fmt.Errorf("peer %s: %w", p, ErrNoOrder)
		}
		return u, nil
	}
	users, err := l.Chain.OrdersOf(ctx, l.Chain.Address())
	if err != nil {
		return common.Address{}, fmt.Errorf("list order holders: %w", err)
	}
	table := map[peer.ID]common.Address{}
	for _, a := range users {
		info, err := l.Chain.Info(ctx, a)
		if err != nil {
			return common.Address{}, fmt.Errorf("registry entry of %s: %w", a, err)
		}
		if info.Role != chain.RoleUser || !info.Active {
			continue
		}
		if id, err := peer.Decode(info.PeerID); err == nil {
			table[id] = a
		}
	}
	l.mu.Lock()
	// Peers learned from order proposals (remember) stay: a User's order
	// is co-signed off chain before it lists this Provider on chain, and a
	// rescan that forgot it would refuse the User's first chunks.
	for id, a := range l.users {
		if _, ok := table[id]; !ok {
			table[id] = a
		}
	}
	l.users, l.refreshed = table, time.Now()
	l.mu.Unlock()
	u, ok := table[p]
	if !ok {
		return common.Address{}, fmt.Errorf("peer %s: %w", p, ErrNoOrder)
	}
	return u, nil
}

// lookup answers p from the table: fresh is false when the chain must be
// asked (the table is older than the TTL that applies).
func (l *ChainLedger) lookup(p peer.ID) (u common.Address, known, fresh bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	u, known = l.users[p]
	age := time.Since(l.refreshed)
	if known {
		return u, true, age < userTTL
	}
	return u, false, !l.refreshed.IsZero() && age < negativeTTL
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
	a, fresh := l.ok[u]
	l.mu.Unlock()
	if fresh && time.Since(a.at) < authTTL {
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
	if err := l.bounded(o.Price, o.End, epoch); err != nil {
		return "", fmt.Errorf("user %s: %w (%v)", u, ErrNoOrder, err)
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
		l.ok = map[common.Address]admitted{}
	}
	l.ok[u] = admitted{at: time.Now(), size: o.Size}
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
	epoch, err := l.Chain.CurrentEpoch(ctx)
	if err != nil {
		return "", fmt.Errorf("current epoch: %w", err)
	}
	if u.End <= epoch {
		return "", fmt.Errorf("update ends at epoch %d, now is %d", u.End, epoch)
	}
	if err := l.bounded(u.Price, u.End, epoch); err != nil {
		return "", err
	}
	return u.User.Hex(), nil
}

// bounded checks an order's price and end against the Provider's terms:
// at least MinPrice (and never free), ending at most MaxTerm epochs ahead.
func (l *ChainLedger) bounded(price *big.Int, end, epoch uint64) error {
	if price == nil || price.Sign() <= 0 {
		return fmt.Errorf("order price %v: free orders are not accepted", price)
	}
	if l.MinPrice != nil && price.Cmp(l.MinPrice) < 0 {
		return fmt.Errorf("price %v below this provider's minimum %v", price, l.MinPrice)
	}
	max := l.MaxTerm
	if max == 0 {
		max = DefaultMaxTerm
	}
	if end > epoch+max {
		return fmt.Errorf("order ends at epoch %d, more than %d epochs after %d", end, max, epoch)
	}
	return nil
}

func (l *ChainLedger) Sign(u chain.OrderUpdate) ([]byte, error) { return l.Chain.SignOrderUpdate(u) }
