package user

// Invariants:
//   - Chunks go only to Providers with an open order from this User (Open
//     made or found one), so every Provider holding the User's chunks can be
//     paid for them.
//   - An order's size and root always describe a set of chunks the Provider
//     holds (it co-signs only then); the chunk index in the metadata store is
//     the User's side of that set. Updates are batched: at most one
//     transaction per Provider per Interval, whatever the upload rate.

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/backend/order"
	"github.com/mefs-project/mefs/chain"
)

// SettlementChain is what the Settler needs of the chain.
type SettlementChain interface {
	// Address is the User's account.
	Address() common.Address
	// Providers lists the registered Providers.
	Providers(ctx context.Context) ([]chain.Node, error)
	CurrentEpoch(ctx context.Context) (uint64, error)
	Order(ctx context.Context, user, provider common.Address) (chain.Order, error)
	// SignOrderUpdate signs u with the User's key.
	SignOrderUpdate(u chain.OrderUpdate) ([]byte, error)
	// UpdateOrder submits an update signed by both User and Provider.
	UpdateOrder(ctx context.Context, s chain.SignedOrderUpdate) error
}

// OrderNetwork is what the Settler needs of the Provider network.
type OrderNetwork interface {
	// Learn records the multiaddrs Provider p listens on.
	Learn(p peer.ID, addrs []string)
	// ProposeOrder asks Provider p to co-sign u over entries and returns
	// its signature.
	ProposeOrder(ctx context.Context, p peer.ID, u chain.OrderUpdate, entries []order.Entry) ([]byte, error)
}

// Settler keeps a User's storage orders on chain in step with the chunks
// placed on each Provider. It is the Roster of a User with settlement: the
// Providers with an open order.
type Settler struct {
	Chain SettlementChain
	Net   OrderNetwork
	Meta  *meta.Store
	Log   *slog.Logger
	// Price is the price per byte per epoch offered to Providers.
	Price *big.Int
	// Term is how many epochs an order runs; it is renewed when less than
	// half remains.
	Term uint64
	// Interval is how often changed orders are updated and the registry is
	// checked for new Providers.
	Interval time.Duration
	// OnFailing and OnRecovered, if set, hear of a Provider leaving and
	// regaining its standing on chain (see standing.go).
	OnFailing   func(p peer.ID, reason string)
	OnRecovered func(p peer.ID)

	mu       sync.RWMutex
	open     []peer.ID                  // Providers with an open order, sorted
	accounts map[peer.ID]common.Address // Provider peer → account
	barred   map[peer.ID]string         // out of standing on chain, and why
	// listed: when the chunk list behind each Provider's on-chain order
	// was read from the index (the order is at least that current).
	listed map[peer.ID]time.Time
}

// ListedSince reports whether Provider p's on-chain order was brought in
// step with the chunk index as read after t (OrderTracker). A Provider with
// no order lists nothing, so nothing of it is still paid for.
func (s *Settler) ListedSince(p peer.ID, t time.Time) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if !slices.Contains(s.open, p) {
		return true
	}
	at, ok := s.listed[p]
	return ok && at.After(t)
}

func (s *Settler) setListed(p peer.ID, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listed == nil {
		s.listed = map[peer.ID]time.Time{}
	}
	s.listed[p] = at
}

// Providers returns the Providers with an open order that are in standing
// on chain, sorted: those that may take new chunks.
func (s *Settler) Providers() []peer.ID {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if len(s.barred) == 0 {
		return s.open
	}
	out := make([]peer.ID, 0, len(s.open))
	for _, p := range s.open {
		if _, barred := s.barred[p]; !barred {
			out = append(out, p)
		}
	}
	return out
}

// Accounts maps every Provider with an open order to its chain account.
func (s *Settler) Accounts() map[peer.ID]common.Address {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[peer.ID]common.Address, len(s.open))
	for _, p := range s.open {
		out[p] = s.accounts[p]
	}
	return out
}

// withOrders returns every Provider with an open order, sorted.
func (s *Settler) withOrders() []peer.ID {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.open
}

// Discover reads the registry and opens an order with every registered
// Provider that has none yet. It returns how many Providers have one.
func (s *Settler) Discover(ctx context.Context) (int, error) {
	nodes, err := s.Chain.Providers(ctx)
	if err != nil {
		return 0, fmt.Errorf("list providers: %w", err)
	}
	for _, n := range nodes {
		id, err := peer.Decode(n.PeerID)
		if err != nil {
			s.Log.Warn("registered provider has a bad peer id", "account", n.Address, "peer", n.PeerID)
			continue
		}
		s.Net.Learn(id, n.Addrs)
		s.mu.Lock()
		if s.accounts == nil {
			s.accounts = map[peer.ID]common.Address{}
		}
		s.accounts[id] = n.Address
		known := slices.Contains(s.open, id)
		s.mu.Unlock()
		if known {
			continue
		}
		if err := s.update(ctx, id, n.Address); err != nil {
			s.Log.Warn("could not open an order with provider", "provider", id, "account", n.Address, "err", err)
			continue
		}
		s.mu.Lock()
		open := append(slices.Clone(s.open), id)
		slices.Sort(open)
		s.open = open
		s.mu.Unlock()
		s.Log.Info("order open with provider", "provider", id, "account", n.Address)
	}
	return len(s.Providers()), nil
}

// Run updates changed orders and discovers new Providers every Interval
// until ctx ends.
func (s *Settler) Run(ctx context.Context) {
	every(ctx, s.Interval, func() {
		if _, err := s.Discover(ctx); err != nil {
			s.Log.Warn("provider discovery failed", "err", err)
		}
		s.CheckStanding(ctx)
		if err := s.UpdateDirty(ctx); err != nil {
			s.Log.Warn("order updates failed", "err", err)
		}
	})
}

// UpdateDirty updates the order of every Provider whose chunk set changed,
// and renews orders running out.
func (s *Settler) UpdateDirty(ctx context.Context) error {
	dirty, err := s.Meta.DirtyProviders()
	if err != nil {
		return err
	}
	epoch, err := s.Chain.CurrentEpoch(ctx)
	if err != nil {
		return fmt.Errorf("current epoch: %w", err)
	}
	var firstErr error
	for _, id := range s.withOrders() {
		s.mu.RLock()
		acct := s.accounts[id]
		s.mu.RUnlock()
		gen, changed := dirty[id.String()]
		if !changed {
			o, err := s.Chain.Order(ctx, s.Chain.Address(), acct)
			if err != nil || o.End > epoch+s.Term/2 {
				continue
			}
		}
		if err := s.update(ctx, id, acct); err != nil {
			s.Log.Warn("order update failed; will retry", "provider", id, "err", err)
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if changed {
			if err := s.Meta.ClearDirty(id.String(), gen); err != nil {
				return err
			}
		}
	}
	return firstErr
}

// update brings the order with Provider id (account acct) to the chunks
// the index lists for it: the Provider co-signs, the User signs and submits.
func (s *Settler) update(ctx context.Context, id peer.ID, acct common.Address) error {
	read := time.Now()
	entries, err := s.Meta.Chunks(id.String())
	if err != nil {
		return err
	}
	sum := order.Summarize(entries)
	cur, err := s.Chain.Order(ctx, s.Chain.Address(), acct)
	if err != nil {
		return fmt.Errorf("read order: %w", err)
	}
	epoch, err := s.Chain.CurrentEpoch(ctx)
	if err != nil {
		return fmt.Errorf("current epoch: %w", err)
	}
	end := cur.End
	if end <= epoch+s.Term/2 {
		end = epoch + s.Term
	}
	u := chain.OrderUpdate{User: s.Chain.Address(), Provider: acct, Size: sum.Size, Price: s.Price,
		End: end, Root: common.Hash(sum.Root), Nonce: cur.Nonce + 1}
	if cur.Nonce > 0 && cur.Size == u.Size && cur.Root == u.Root && cur.End == u.End && cur.Price.Cmp(u.Price) == 0 {
		s.setListed(id, read)
		return nil // already on chain
	}
	psig, err := s.Net.ProposeOrder(ctx, id, u, entries)
	if err != nil {
		return err
	}
	usig, err := s.Chain.SignOrderUpdate(u)
	if err != nil {
		return fmt.Errorf("sign order update: %w", err)
	}
	if err := s.Chain.UpdateOrder(ctx, chain.SignedOrderUpdate{OrderUpdate: u, UserSig: usig, ProviderSig: psig}); err != nil {
		return fmt.Errorf("submit order update: %w", err)
	}
	s.setListed(id, read)
	s.Log.Info("order updated", "provider", id, "size", u.Size, "chunks", sum.Count, "nonce", u.Nonce, "end", u.End)
	return nil
}

var _ Roster = (*Settler)(nil)

// OrderState is the User's order with one Provider as last read from chain.
type OrderState struct {
	Provider peer.ID
	Account  common.Address
	Order    chain.Order
}

// Orders reads the User's order with every Provider it has one with.
func (s *Settler) Orders(ctx context.Context) ([]OrderState, error) {
	var out []OrderState
	for _, id := range s.withOrders() {
		s.mu.RLock()
		acct := s.accounts[id]
		s.mu.RUnlock()
		o, err := s.Chain.Order(ctx, s.Chain.Address(), acct)
		if err != nil {
			return out, fmt.Errorf("read order with %s: %w", id, err)
		}
		out = append(out, OrderState{Provider: id, Account: acct, Order: o})
	}
	return out, nil
}
