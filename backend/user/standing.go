package user

// Standing: the chain's word on a Provider (a failed epoch certified by the
// Keepers, a pledge slashed below the minimum). A Provider out of standing
// leaves the roster, so placement and repair send it no new chunks, and is
// reported to OnFailing, so repair treats what it holds as at risk; one back
// in standing returns to the roster and is reported to OnRecovered.
//
// Invariants:
//   - Standing filters only new placement (Providers); orders of a barred
//     Provider are still kept in step with what it holds.
//   - Standing is read only through the optional StandingChain: a chain
//     without it bars nobody.

import (
	"context"
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/chain"
)

// StandingChain is the optional part of a SettlementChain that reports a
// Provider's standing (Settlement.providerStatus).
type StandingChain interface {
	ProviderStatus(ctx context.Context, provider common.Address) (chain.ProviderState, error)
}

// standingReason says why st bars a Provider ("" when it does not).
func standingReason(st chain.ProviderState) string {
	switch st.Status {
	case chain.StatusOK:
		return ""
	case chain.StatusFailing:
		return fmt.Sprintf("failed epoch %d certified on chain", st.LastFailedEpoch)
	case chain.StatusLowPledge:
		return "pledge slashed below the minimum"
	case chain.StatusUnregistered:
		return "no longer registered"
	}
	return fmt.Sprintf("provider status %d", st.Status)
}

// CheckStanding reads the standing of every Provider with an open order.
func (s *Settler) CheckStanding(ctx context.Context) {
	sc, ok := s.Chain.(StandingChain)
	if !ok {
		return
	}
	s.mu.RLock()
	ids := slices.Clone(s.open)
	accts := make(map[peer.ID]common.Address, len(ids))
	for _, id := range ids {
		accts[id] = s.accounts[id]
	}
	s.mu.RUnlock()
	for _, id := range ids {
		st, err := sc.ProviderStatus(ctx, accts[id])
		if err != nil {
			continue // unknown standing changes nothing
		}
		s.setStanding(id, standingReason(st))
	}
}

// setStanding records why p is barred ("" for in standing) and reports
// changes.
func (s *Settler) setStanding(p peer.ID, reason string) {
	s.mu.Lock()
	old, was := s.barred[p]
	if reason == "" {
		delete(s.barred, p)
	} else {
		if s.barred == nil {
			s.barred = map[peer.ID]string{}
		}
		s.barred[p] = reason
	}
	s.mu.Unlock()
	switch {
	case reason != "" && (!was || old != reason):
		s.Log.Warn("provider out of standing on chain: no new chunks", "provider", p, "reason", reason)
		if s.OnFailing != nil {
			s.OnFailing(p, reason)
		}
	case reason == "" && was:
		s.Log.Info("provider back in standing on chain", "provider", p)
		if s.OnRecovered != nil {
			s.OnRecovered(p)
		}
	}
}
