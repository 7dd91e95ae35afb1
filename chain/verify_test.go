package chain

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

func TestRandomnessAndSeed(t *testing.T) {
	v := newVerifyEnv(t, 1)
	v.toNextEpochStart()
	ep := v.epoch()
	_, err := v.stranger.RecordRandomness(v.ctx)
	wantRevert(t, err, "randomness delay not over")
	seed, err := v.user.EpochSeed(v.ctx, v.prov.Address(), ep)
	v.must(err)
	if seed != (common.Hash{}) {
		t.Fatalf("seed before randomness = %s, want zero", seed)
	}
	v.must(v.sim.AdjustTime(testParams.RandomnessDelay))
	r, err := v.keeper.RecordRandomness(v.ctx)
	v.must(err)
	// A second call changes nothing.
	r2, err := v.stranger.RecordRandomness(v.ctx)
	v.must(err)
	if r == (common.Hash{}) || r2 != r {
		t.Fatalf("randomness %s then %s", r, r2)
	}
	seed, err = v.user.EpochSeed(v.ctx, v.prov.Address(), ep)
	v.must(err)
	seed2, err := v.user.EpochSeed(v.ctx, v.prov2.Address(), ep)
	v.must(err)
	// seed = keccak256(abi.encode(chainid, settlement, provider, epoch, R)).
	want := crypto.Keccak256Hash(word(v.user.ChainID()), common.LeftPadBytes(v.ct.Settlement[:], 32),
		common.LeftPadBytes(v.prov.Address().Bytes(), 32), word(new(big.Int).SetUint64(ep)), r[:])
	if seed != want || seed2 == seed || seed2 == (common.Hash{}) {
		t.Fatalf("seed %s (want %s), other provider's %s", seed, want, seed2)
	}
	next, err := v.user.EpochSeed(v.ctx, v.prov.Address(), ep+1)
	v.must(err)
	if next != (common.Hash{}) {
		t.Fatalf("seed of a future epoch = %s", next)
	}
	evs, err := v.user.SettlementEvents(v.ctx, 0, mustBlock(v))
	v.must(err)
	if len(evs) != 1 || evs[0].Kind != "randomness" || evs[0].Epoch != ep || evs[0].Digest != r {
		t.Fatalf("events = %+v", evs)
	}
}

func mustBlock(v *venv) uint64 {
	n, err := v.user.BlockNumber(v.ctx)
	v.must(err)
	return n
}

func TestKeeperSetPerEpoch(t *testing.T) {
	v := newVerifyEnv(t, 3)
	ep := v.epoch()
	n, err := v.user.KeeperCountAt(v.ctx, ep)
	v.must(err)
	n1, err := v.user.KeeperCountAt(v.ctx, ep+1)
	v.must(err)
	if n != 0 || n1 != 3 {
		t.Fatalf("keeper counts %d (epoch of registration), %d (next); want 0, 3", n, n1)
	}
	if ok, _ := v.user.IsKeeperAt(v.ctx, v.keeper.Address(), ep); ok {
		t.Fatal("keeper serves in its registration epoch")
	}
	if ok, _ := v.user.IsKeeperAt(v.ctx, v.keeper.Address(), ep+1); !ok {
		t.Fatal("keeper does not serve the next epoch")
	}
	v.advance(2)
	v.must(v.keepers[1].Deregister(v.ctx))
	now := v.epoch()
	ks, err := v.user.KeepersAt(v.ctx, now)
	v.must(err)
	if len(ks) != 2 {
		t.Fatalf("keepersAt(now) lists %d (a deregistered member is listed no more); want 2", len(ks))
	}
	for e, want := range map[uint64]uint64{now - 1: 3, now: 3, now + 1: 2} {
		n, err := v.user.KeeperCountAt(v.ctx, e)
		v.must(err)
		if n != want {
			t.Errorf("keeperCountAt(%d) = %d, want %d", e, n, want)
		}
	}
	if ok, _ := v.user.IsKeeperAt(v.ctx, v.keepers[1].Address(), now); !ok {
		t.Error("a keeper leaving in epoch e is still in e's set")
	}
	if ok, _ := v.user.IsKeeperAt(v.ctx, v.keepers[1].Address(), now+1); ok {
		t.Error("a keeper that left is in the next epoch's set")
	}
	if Quorum(1) != 1 || Quorum(3) != 2 || Quorum(4) != 3 || Quorum(16) != 11 || Quorum(6) != 4 {
		t.Fatal("Quorum is not ceil(2n/3)")
	}
}

func TestPeerIDOnce(t *testing.T) {
	e := newEnv(t)
	e.registerAll()
	wantRevert(t, e.stranger.Register(e.ctx, RoleUser, testNodeKey("peer-prov"), nil, nil), "peer id registered by another account")
	wantRevert(t, e.user.UpdateAddrs(e.ctx, testNodeKey("peer-keeper"), nil), "peer id registered by another account")
	// The owner may keep and reuse its own peer id after leaving.
	e.must(e.user2.Deregister(e.ctx))
	e.advance(1) // unlock delay
	e.must(e.user2.WithdrawPledge(e.ctx))
	e.must(e.user2.Register(e.ctx, RoleUser, testNodeKey("peer-user2"), nil, nil))
}

func TestFaucetOnlyWhenDeployedWithIt(t *testing.T) {
	e := newEnv(t)
	p := testParams
	p.Faucet, p.InitialSupply = false, MEMO(1000)
	ct, err := e.deployer.Deploy(e.ctx, p)
	e.must(err)
	c := e.newClient(e.sim.Keys()[1], ct)
	wantRevert(t, c.Faucet(e.ctx), "no faucet on this deployment")
	bal, err := c.Balance(e.ctx, e.deployer.Address())
	e.must(err)
	wantBig(t, "deployer's initial supply", bal, MEMO(1000))
}
