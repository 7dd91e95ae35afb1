package chain

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// venv is an env with k extra Keepers (registered, serving from the next epoch) and
// one funded order per (user, prov) and (user2, prov).
type venv struct {
	*env
	keepers []*client
}

func newVerifyEnv(t *testing.T, k int) *venv {
	t.Helper()
	e := newEnvAccounts(t, 7+k, testParams)
	v := &venv{env: e}
	e.registerAll()
	v.keepers = append(v.keepers, e.keeper)
	for i := 0; i < k-1; i++ {
		c := e.newClient(e.sim.Keys()[7+i], e.ct)
		e.must(c.Faucet(e.ctx))
		e.must(c.Register(e.ctx, RoleKeeper, testNodeKey("peer-keeper-"+string(rune('a'+i))), nil, MEMO(3)))
		v.keepers = append(v.keepers, c)
	}
	return v
}

// order opens a 1000-byte order of user at prov until ep+end.
func (v *venv) order(user, prov *client, size uint64, end, nonce uint64) {
	v.t.Helper()
	u := OrderUpdate{User: user.Address(), Provider: prov.Address(), Size: size, Price: testPrice, End: end, Root: hashOf("root"), Nonce: nonce}
	v.must(user.UpdateOrder(v.ctx, v.signed(u, user, prov)))
}

// nextEpochRandom moves to the start of the next epoch plus the randomness delay and
// records the epoch's randomness; it returns the epoch.
func (v *venv) nextEpochRandom() uint64 {
	v.t.Helper()
	v.toNextEpochStart()
	v.must(v.sim.AdjustTime(testParams.RandomnessDelay))
	r, err := v.stranger.RecordRandomness(v.ctx)
	v.must(err)
	if r == (common.Hash{}) {
		v.t.Fatal("randomness recorded as zero")
	}
	return v.epoch()
}

// toNextEpochStart moves block time to (just after) the next epoch's start.
func (v *venv) toNextEpochStart() {
	v.t.Helper()
	p, err := v.user.Params(v.ctx)
	v.must(err)
	h, err := v.sim.backend.Client().HeaderByNumber(context.Background(), nil)
	v.must(err)
	secs := uint64(testParams.EpochLength / time.Second)
	into := (h.Time - p.Genesis) % secs
	v.must(v.sim.AdjustTime(time.Duration(secs-into) * time.Second))
}

// sign returns the BLS attestation signature of each signer.
func (v *venv) sign(a Attestation, signers ...*client) []BLSSignature {
	v.t.Helper()
	var sigs []BLSSignature
	for _, s := range signers {
		b, err := s.SignAttestation(a)
		v.must(err)
		sig, err := DecodeBLSSignature(b)
		v.must(err)
		sigs = append(sigs, sig)
	}
	return sigs
}

// cert is a's certificate signed by signers: their aggregate signature, every other
// member of the epoch's set listed absent.
func (v *venv) cert(a Attestation, signers ...*client) Certificate {
	v.t.Helper()
	set, err := v.user.KeeperSetAt(v.ctx, a.Epoch)
	v.must(err)
	signed := map[common.Address]bool{}
	for _, s := range signers {
		signed[s.Address()] = true
	}
	var absent []common.Address
	for _, k := range set {
		if !signed[k] {
			absent = append(absent, k)
		}
	}
	agg, err := AggregateSignatures(v.sign(a, signers...)...)
	v.must(err)
	return Certificate{Provider: a.Provider, Epoch: a.Epoch, Pass: a.Pass, ProofDigest: a.ProofDigest, Absentees: absent, Signature: agg[:]}
}

// keeperIncome is keeper's unclaimed income over every epoch so far.
func (v *venv) keeperIncome(keeper common.Address) *big.Int {
	v.t.Helper()
	inc, err := v.user.KeeperIncome(v.ctx, keeper, 0, v.epoch()+1)
	v.must(err)
	return inc
}

func (v *venv) tokenBalance(c common.Address) *big.Int {
	v.t.Helper()
	b, err := v.user.Balance(v.ctx, c)
	v.must(err)
	return b
}
