package chain

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
)

// TestClaimAndKeeperShare: passed epochs pay the Provider their income minus the
// signers' share, claimable several at once and only once.
func TestClaimAndKeeperShare(t *testing.T) {
	v := newVerifyEnv(t, 4)
	k := v.keepers
	v.must(v.user.Deposit(v.ctx, MEMO(5)))
	v.must(v.user2.Deposit(v.ctx, MEMO(5)))
	v.order(v.user, v.prov, 1000, v.epoch()+20, 1)
	v.order(v.user2, v.prov, 3000, v.epoch()+20, 1)
	e1 := v.nextEpochRandom()
	v.order(v.user, v.prov, 2000, e1+20, 2) // grows during e1: e1 is charged at the new size
	e2 := v.nextEpochRandom()
	v.order(v.user2, v.prov, 0, e2, 2) // user2 closes at e2's start: e2 carries only user
	e3 := v.nextEpochRandom()
	v.advance(1)

	wantIncome := map[uint64]*big.Int{e1: bigMul(5000, 1e9), e2: bigMul(2000, 1e9), e3: bigMul(2000, 1e9)}
	for ep, want := range wantIncome {
		got, err := v.user.IncomeOf(v.ctx, v.prov.Address(), ep)
		v.must(err)
		wantBig(t, "income of epoch", got, want)
	}
	digest := crypto.Keccak256Hash([]byte("proof"))
	for _, ep := range []uint64{e1, e2, e3} {
		v.must(v.stranger.Certify(v.ctx, v.cert(Attestation{Provider: v.prov.Address(), Epoch: ep, Pass: true, ProofDigest: digest}, k[0], k[1], k[2])))
	}
	share := func(ep uint64) *big.Int { // per signer
		s := new(big.Int).Mul(wantIncome[ep], big.NewInt(int64(testParams.KeeperShareBps)))
		s.Div(s, big.NewInt(10000))
		return s.Div(s, big.NewInt(3))
	}
	provPart := func(ep uint64) *big.Int { return bigSub(wantIncome[ep], new(big.Int).Mul(share(ep), big.NewInt(3))) }
	st, err := v.user.CertificateOf(v.ctx, v.prov.Address(), e1)
	v.must(err)
	wantBig(t, "claimable e1", st.Claimable, provPart(e1))

	before := v.tokenBalance(v.prov.Address())
	got, err := v.prov.Claim(v.ctx, []uint64{e1, e2})
	v.must(err)
	want := new(big.Int).Add(provPart(e1), provPart(e2))
	wantBig(t, "claimed e1+e2", got, want)
	wantBig(t, "provider balance", v.tokenBalance(v.prov.Address()), new(big.Int).Add(before, want))
	_, err = v.prov.Claim(v.ctx, []uint64{e1})
	wantRevert(t, err, "epoch not passed or already claimed")
	_, err = v.prov.Claim(v.ctx, []uint64{e3, e3})
	wantRevert(t, err, "epoch not passed or already claimed")
	_, err = v.prov.Claim(v.ctx, []uint64{e3 + 1})
	wantRevert(t, err, "epoch not passed or already claimed")
	_, err = v.prov2.Claim(v.ctx, []uint64{e3})
	wantRevert(t, err, "epoch not passed or already claimed")
	got, err = v.prov.Claim(v.ctx, []uint64{e3})
	v.must(err)
	wantBig(t, "claimed e3", got, provPart(e3))
	if st, _ := v.user.CertificateOf(v.ctx, v.prov.Address(), e3); st.Status != CertClaimed || st.Claimable.Sign() != 0 {
		t.Fatalf("claimed certificate state %+v", st)
	}

	// Keepers: the three signers share 10 %; the fourth, absent, earns nothing.
	sum := new(big.Int).Add(share(e1), share(e2))
	sum.Add(sum, share(e3))
	for i, kc := range k {
		w := sum
		if i == 3 {
			w = new(big.Int)
		}
		wantBig(t, "keeper income", v.keeperIncome(kc.Address()), w)
	}
	// Shares are paid only for final epochs (no longer certifiable), once.
	_, err = k[0].ClaimKeeperIncome(v.ctx, e1, e3+1)
	wantRevert(t, err, "epochs not final")
	v.advance(int(testParams.CertifyWindow))
	kb := v.tokenBalance(k[0].Address())
	paid, err := k[0].ClaimKeeperIncome(v.ctx, e1, e3+1)
	v.must(err)
	wantBig(t, "keeper paid", paid, sum)
	wantBig(t, "keeper balance", v.tokenBalance(k[0].Address()), new(big.Int).Add(kb, sum))
	_, err = k[0].ClaimKeeperIncome(v.ctx, e1, e3+1)
	wantRevert(t, err, "bad epoch range")
	_, err = k[0].ClaimKeeperIncome(v.ctx, e3+1, e3+1)
	wantRevert(t, err, "no keeper income")
	_, err = k[3].ClaimKeeperIncome(v.ctx, e1, e3+1)
	wantRevert(t, err, "no keeper income")
	if to, err := k[0].KeeperClaimedTo(v.ctx, k[0].Address()); err != nil || to != e3+1 {
		t.Fatalf("claimed to %d, %v; want %d", to, err, e3+1)
	}
}

// TestFailSlashesAndRefunds: a failing certificate slashes SlashBps of the pledge,
// refunds each User its charge for the epoch, pays nothing, and marks the Provider.
func TestFailSlashesAndRefunds(t *testing.T) {
	v := newVerifyEnv(t, 4)
	k := v.keepers
	v.must(v.prov.AddPledge(v.ctx, MEMO(2))) // 4 MEMO: still above the minimum after a slash
	v.must(v.user.Deposit(v.ctx, MEMO(5)))
	v.must(v.user2.Deposit(v.ctx, MEMO(5)))
	v.order(v.user, v.prov, 1000, v.epoch()+20, 1)
	v.order(v.user2, v.prov, 3000, v.epoch()+20, 1)
	ep := v.nextEpochRandom()
	v.advance(1)
	st, err := v.user.ProviderStatus(v.ctx, v.prov.Address())
	v.must(err)
	if !st.OK() || st.Failed {
		t.Fatalf("status before = %+v", st)
	}
	free := func(c *client) *big.Int {
		d, err := c.DepositOf(v.ctx, c.Address())
		v.must(err)
		return d.Free
	}
	f1, f2 := free(v.user), free(v.user2)
	held := v.tokenBalance(v.ct.Settlement)
	fail := Attestation{Provider: v.prov.Address(), Epoch: ep}
	v.must(v.stranger.Certify(v.ctx, v.cert(fail, k[0], k[2], k[3])))
	gasSlash := v.lastGas("certify")

	wantBig(t, "user refund", free(v.user), new(big.Int).Add(f1, bigMul(1000, 1e9)))
	wantBig(t, "user2 refund", free(v.user2), new(big.Int).Add(f2, bigMul(3000, 1e9)))
	info, err := v.user.Info(v.ctx, v.prov.Address())
	v.must(err)
	wantBig(t, "pledge after slash", info.Pledge, MEMO(3))
	wantBig(t, "settlement holds the slash", v.tokenBalance(v.ct.Settlement), new(big.Int).Add(held, MEMO(1)))
	_, err = v.prov.Claim(v.ctx, []uint64{ep})
	wantRevert(t, err, "epoch not passed or already claimed")
	for _, kc := range k {
		if inc := v.keeperIncome(kc.Address()); inc.Sign() != 0 {
			t.Fatalf("keeper paid %s for a failed epoch", inc)
		}
	}
	st, err = v.user.ProviderStatus(v.ctx, v.prov.Address())
	v.must(err)
	if st.Status != StatusFailing || !st.Failed || st.LastFailedEpoch != ep {
		t.Fatalf("status after failing = %+v", st)
	}
	evs, err := v.user.SettlementEvents(v.ctx, 0, mustBlock(v))
	v.must(err)
	var failed, refunds int
	for _, e := range evs {
		switch e.Kind {
		case "failed":
			failed++
			if e.Provider != v.prov.Address() || e.Epoch != ep || e.Amount.Cmp(MEMO(1)) != 0 || e.Refunded.Cmp(bigMul(4000, 1e9)) != 0 {
				t.Fatalf("ProviderFailed %+v", e)
			}
		case "refunded":
			refunds++
		}
	}
	if failed != 1 || refunds != 2 {
		t.Fatalf("%d ProviderFailed, %d Refunded events; want 1, 2", failed, refunds)
	}
	// Failing lasts FailingEpochs epochs after the failed one.
	v.advance(int(testParams.FailingEpochs))
	st, err = v.user.ProviderStatus(v.ctx, v.prov.Address())
	v.must(err)
	if !st.OK() {
		t.Fatalf("status %d epochs later = %+v", testParams.FailingEpochs, st)
	}

	// Two more failures: 3 → 2.25 (still ≥ the 2-MEMO minimum) → 1.6875 MEMO, below
	// it: the Provider is out of placement for its pledge.
	for i := 0; i < 2; i++ {
		e := v.nextEpochRandom()
		v.advance(1)
		v.must(v.stranger.Certify(v.ctx, v.cert(Attestation{Provider: v.prov.Address(), Epoch: e}, k[0], k[1], k[2])))
	}
	st, err = v.user.ProviderStatus(v.ctx, v.prov.Address())
	v.must(err)
	wantBig(t, "pledge after three slashes", st.Pledge, bigMul(16875, 1e14))
	if st.Status != StatusLowPledge {
		t.Fatalf("status below min pledge = %+v", st)
	}
	if st, _ := v.user.ProviderStatus(v.ctx, v.stranger.Address()); st.Status != StatusUnregistered {
		t.Fatalf("stranger status %+v", st)
	}
	t.Logf("failing certificate (3 signers, 2 Users refunded): %d gas", gasSlash)
}
