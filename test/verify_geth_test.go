package test

// The verification layer against geth --dev with every role its own
// process: four `mefs keeper`s challenge six `mefs provider`s each epoch and
// certify on chain; honest Providers pass and claim their income, one whose
// prover lost its data (a real Provider behind --test-prover-faults) is
// failed and slashed.

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mefs-project/mefs/chain"
)

func TestGethVerificationPassAndSlash(t *testing.T) {
	const bad = 4
	g := startGethNetworkWith(t, gethOptions{Providers: 6, Epoch: 8 * time.Second, Keepers: 4,
		ProviderFlags: map[int][]string{bad: {"--test-prover-faults", "drop=1"}}})
	ctx := context.Background()
	c := g.startGateway(t, "verifykey", "verifysecret0123456789")
	mustCreateBucket(t, c, "verify")
	for i := range 8 {
		putBytes(t, c, "verify", fmt.Sprint("obj-", i), randBytes(300<<10+i*1000))
	}
	badAcct := g.Providers[bad].Account
	var passed, claimed, failed bool
	var events []chain.SettlementEvent
	for deadline := time.Now().Add(3 * time.Minute); !(passed && claimed && failed); time.Sleep(time.Second) {
		if time.Now().After(deadline) {
			t.Fatalf("after 3 min: pass %v, claim %v, slash %v; events %+v", passed, claimed, failed, events)
		}
		head, err := g.C.BlockNumber(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if events, err = g.C.SettlementEvents(ctx, 0, head); err != nil {
			t.Fatal(err)
		}
		passed, claimed, failed = false, false, false
		for _, ev := range events {
			switch {
			case ev.Kind == "certified" && ev.Pass && ev.Provider != badAcct:
				passed = true
			case ev.Kind == "claimed" && ev.Provider != badAcct:
				claimed = true
			case ev.Kind == "failed" && ev.Provider == badAcct:
				failed = true
			}
		}
	}
	for _, ev := range events {
		if ev.Kind == "failed" && ev.Provider != badAcct {
			t.Errorf("honest provider %s failed epoch %d", ev.Provider, ev.Epoch)
		}
		if (ev.Kind == "claimed" || ev.Kind == "certified" && ev.Pass) && ev.Provider == badAcct {
			t.Errorf("the Provider that lost its data: %s at epoch %d", ev.Kind, ev.Epoch)
		}
	}
	st, err := g.C.ProviderStatus(ctx, badAcct)
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != chain.StatusFailing && st.Status != chain.StatusLowPledge {
		t.Errorf("slashed Provider's status %d, want failing or low pledge", st.Status)
	}
	if st.Pledge == nil || st.Pledge.Cmp(chain.MEMO(1)) >= 0 {
		t.Errorf("slashed Provider's pledge %v, was 1 MEMO", st.Pledge)
	}
	t.Logf("%d settlement events; the bad Provider %s is %d with pledge %v", len(events), common.Address(badAcct).Hex(), st.Status, st.Pledge)
}

// waitSettlement waits until an event after block from satisfies want.
func waitSettlement(t *testing.T, g *gethNet, from uint64, wait time.Duration, what string, want func(chain.SettlementEvent) bool) chain.SettlementEvent {
	t.Helper()
	ctx := context.Background()
	for deadline := time.Now().Add(wait); time.Now().Before(deadline); time.Sleep(time.Second) {
		head, err := g.C.BlockNumber(ctx)
		if err != nil {
			t.Fatal(err)
		}
		events, err := g.C.SettlementEvents(ctx, from, head)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range events {
			if want(ev) {
				return ev
			}
		}
	}
	t.Fatalf("no %s within %v", what, wait)
	return chain.SettlementEvent{}
}

// TestGethBelowQuorumPaysNothing: with two of four Keepers down (quorum is
// three) no epoch is certified — nothing is paid or slashed — and once they
// return, certificates resume.
func TestGethBelowQuorumPaysNothing(t *testing.T) {
	const epoch = 8 * time.Second
	g := startGethNetworkWith(t, gethOptions{Providers: 6, Epoch: epoch, Keepers: 4})
	c := g.startGateway(t, "quorumkey", "quorumsecret0123456789")
	mustCreateBucket(t, c, "quorum")
	for i := range 6 {
		putBytes(t, c, "quorum", fmt.Sprint("obj-", i), randBytes(200<<10+i*1000))
	}
	certified := func(ev chain.SettlementEvent) bool { return ev.Kind == "certified" || ev.Kind == "failed" }
	first := waitSettlement(t, g, 0, 3*time.Minute, "certificate with all Keepers", certified)
	t.Logf("first certificate: epoch %d, block %d", first.Epoch, first.Block)

	g.Keepers[2].kill()
	g.Keepers[3].kill()
	// Certificates whose quorum formed before the kill may still be
	// submitted by the Keepers left: wait two epochs, then watch three.
	time.Sleep(2*epoch + 2*time.Second)
	from := blockNumber(t, g.C)
	time.Sleep(3 * epoch)
	to := blockNumber(t, g.C)
	events, err := g.C.SettlementEvents(context.Background(), from, to)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range events {
		if certified(ev) {
			t.Errorf("with 2 of 4 Keepers down: %s for %s epoch %d (block %d)", ev.Kind, ev.Provider.Hex(), ev.Epoch, ev.Block)
		}
	}

	for _, i := range []int{2, 3} {
		g.Keepers[i] = start(t, g.Dir, fmt.Sprintf("keeper%d-again", i), nil, g.KeeperArgs[i]...)
	}
	back := blockNumber(t, g.C)
	ev := waitSettlement(t, g, back, 2*time.Minute, "certificate after the Keepers returned", func(ev chain.SettlementEvent) bool {
		return ev.Kind == "certified" && ev.Pass
	})
	t.Logf("no certificate in blocks %d..%d with 2 Keepers down; certificates resumed at epoch %d (block %d)", from, to, ev.Epoch, ev.Block)
}
