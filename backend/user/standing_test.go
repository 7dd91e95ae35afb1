package user

import (
	"context"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/chain"
)

// standingChain adds on-chain Provider standing to memChain.
type standingChain struct {
	*memChain
	status map[common.Address]chain.ProviderState
}

func (c *standingChain) ProviderStatus(_ context.Context, p common.Address) (chain.ProviderState, error) {
	return c.status[p], nil
}

func TestStandingBarsFailingProviders(t *testing.T) {
	e := newSettlerEnv(t, 4)
	sc := &standingChain{memChain: e.chain, status: map[common.Address]chain.ProviderState{}}
	e.s.Chain = sc
	var failing []peer.ID
	var recovered []peer.ID
	e.s.OnFailing = func(p peer.ID, _ string) { failing = append(failing, p) }
	e.s.OnRecovered = func(p peer.ID) { recovered = append(recovered, p) }
	if _, err := e.s.Discover(e.settle); err != nil {
		t.Fatal(err)
	}
	bad := e.ids[2]
	sc.status[e.accts[2]] = chain.ProviderState{Status: chain.StatusFailing, LastFailedEpoch: 7, Failed: true}
	e.s.CheckStanding(e.settle)
	e.s.CheckStanding(e.settle) // reported once, not per check
	if slices.Contains(e.s.Providers(), bad) || len(e.s.Providers()) != 3 {
		t.Fatalf("roster %v still offers the failing provider %s", e.s.Providers(), bad)
	}
	if !slices.Equal(failing, []peer.ID{bad}) {
		t.Fatalf("OnFailing heard %v, want [%s] once", failing, bad)
	}
	if !slices.Contains(e.s.withOrders(), bad) {
		t.Fatal("a barred provider's order is no longer kept")
	}
	sc.status[e.accts[2]] = chain.ProviderState{Status: chain.StatusOK}
	e.s.CheckStanding(e.settle)
	if !slices.Contains(e.s.Providers(), bad) || !slices.Equal(recovered, []peer.ID{bad}) {
		t.Fatalf("after recovery: roster %v, OnRecovered heard %v", e.s.Providers(), recovered)
	}
}
