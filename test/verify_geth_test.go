package test

// The verification layer against geth --dev with every role its own
// process: four `mefs keeper`s challenge six `mefs provider`s each epoch and
// certify on chain; honest Providers pass and claim their income, one whose
// prover lost its data (a real Provider behind --test-prover-faults) is
// failed and slashed.

import (
	"context"
	"fmt"
	"path/filepath"
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
	s3Addr := freeAddr(t)
	ak, sk := "verifykey", "verifysecret0123456789"
	gw := start(t, g.Dir, "gateway", []string{"MEFS_ACCESS_KEY=" + ak, "MEFS_SECRET_KEY=" + sk},
		append([]string{"gateway", "--dir", filepath.Join(g.Dir, "gateway"), "--s3", s3Addr, "--ec", "4+2", "--order-interval", "1s"},
			g.chainArgs(g.UserWallet)...)...)
	waitListening(t, gw, s3Addr)
	c := s3Client(t, "http://"+s3Addr, ak, sk)
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
