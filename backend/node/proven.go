package node

// provenEpochs tracks, for every Provider the User has an order with, the
// last epoch a passing certificate covers, so the gateway can tell a client
// up to which epoch every Provider holding an object's chunks was proven
// (x-mefs-proven-epoch).
//
// Invariants:
//   - Only the chain is believed: an epoch counts once certify(pass) landed
//     (passed or claimed); a failed or uncertified epoch never does.
//   - Each refresh reads at most the certify window of epochs per Provider,
//     newest first, stopping at the last epoch already known.

import (
	"context"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/chain"
)

// provenChain is what the tracker reads.
type provenChain interface {
	CurrentEpoch(ctx context.Context) (uint64, error)
	Params(ctx context.Context) (chain.Params, error)
	CertificateOf(ctx context.Context, provider common.Address, epoch uint64) (chain.CertificateState, error)
}

type provenEpochs struct {
	chain    provenChain
	accounts func() map[peer.ID]common.Address

	mu   sync.Mutex
	last map[peer.ID]uint64
}

// LastPassed is the last epoch p's passing certificate covers.
func (t *provenEpochs) LastPassed(p peer.ID) (uint64, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.last[p]
	return e, ok
}

// run refreshes every half epoch until ctx ends.
func (t *provenEpochs) run(ctx context.Context) {
	params, err := t.chain.Params(ctx)
	if err != nil {
		return
	}
	tick := time.NewTicker(max(params.EpochLength/2, time.Second))
	defer tick.Stop()
	for {
		t.refresh(ctx, params.CertifyWindow)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (t *provenEpochs) refresh(ctx context.Context, window uint64) {
	cur, err := t.chain.CurrentEpoch(ctx)
	if err != nil || cur == 0 {
		return
	}
	for p, acct := range t.accounts() {
		lo := uint64(0) // lowest epoch worth reading
		if cur > window {
			lo = cur - window
		}
		if known, ok := t.LastPassed(p); ok && known+1 > lo {
			lo = known + 1
		}
		for e := cur; e > lo; e-- { // epochs cur-1 … lo, newest first
			c, err := t.chain.CertificateOf(ctx, acct, e-1)
			if err != nil {
				break
			}
			if c.Status == chain.CertPassed || c.Status == chain.CertClaimed {
				t.mu.Lock()
				if t.last == nil {
					t.last = map[peer.ID]uint64{}
				}
				t.last[p] = e - 1
				t.mu.Unlock()
				break
			}
		}
	}
}
