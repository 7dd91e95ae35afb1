package chain

import (
	"context"
	"math/big"
	"slices"
	"testing"
	"time"
)

func TestFaucet(t *testing.T) {
	e := newEnv(t) // every client already used the faucet once
	bal, err := e.user.Balance(e.ctx, e.user.Address())
	e.must(err)
	wantBig(t, "balance after faucet", bal, MEMO(10))

	wantRevert(t, e.user.Faucet(e.ctx), "balance already >= faucet amount")

	// Below 10 MEMO again, the faucet works again.
	e.must(e.user.Transfer(e.ctx, e.stranger.Address(), MEMO(4)))
	e.must(e.user.Faucet(e.ctx))
	bal, err = e.user.Balance(e.ctx, e.user.Address())
	e.must(err)
	wantBig(t, "balance after second faucet", bal, MEMO(16))
	wantRevert(t, e.user.Faucet(e.ctx), "balance already")

	// Token metadata.
	name, err := call(e.ctx, e.user, "name", e.ct.Token, tokenABI.PackName(), nil, tokenABI.UnpackName)
	e.must(err)
	dec, err := call(e.ctx, e.user, "decimals", e.ct.Token, tokenABI.PackDecimals(), nil, tokenABI.UnpackDecimals)
	e.must(err)
	if name != "MEMO" || dec != 18 {
		t.Fatalf("token %q with %d decimals, want MEMO with 18", name, dec)
	}
	wantRevert(t, e.user.Transfer(e.ctx, e.stranger.Address(), MEMO(100)), "insufficient balance")
}

func TestRegisterAndDiscover(t *testing.T) {
	e := newEnv(t)
	e.registerAll()

	provs, err := e.user.Providers(e.ctx)
	e.must(err)
	if len(provs) != 2 || provs[0].Address != e.prov.Address() || provs[0].PeerID != testPeerID("peer-prov") ||
		!slices.Equal(provs[0].Addrs, []string{"/ip4/127.0.0.1/tcp/4002"}) || provs[1].Address != e.prov2.Address() {
		t.Fatalf("providers = %+v", provs)
	}
	keepers, err := e.user.Keepers(e.ctx)
	e.must(err)
	if len(keepers) != 1 || keepers[0].Address != e.keeper.Address() || keepers[0].PeerID != testPeerID("peer-keeper") {
		t.Fatalf("keepers = %+v", keepers)
	}
	for role, want := range map[Role]uint64{RoleUser: 2, RoleProvider: 2, RoleKeeper: 1} {
		n, err := e.user.Count(e.ctx, role)
		e.must(err)
		if n != want {
			t.Fatalf("count(%v) = %d, want %d", role, n, want)
		}
	}

	info, err := e.user.Info(e.ctx, e.prov.Address())
	e.must(err)
	if info.Role != RoleProvider || !info.Active || info.PeerID != testPeerID("peer-prov") || !info.UnlockAt.IsZero() {
		t.Fatalf("info = %+v", info)
	}
	wantBig(t, "provider pledge", info.Pledge, MEMO(2))
	bal, err := e.prov.Balance(e.ctx, e.prov.Address())
	e.must(err)
	wantBig(t, "provider balance after pledge", bal, MEMO(8))
	bal, err = e.keeper.Balance(e.ctx, e.ct.Registry)
	e.must(err)
	wantBig(t, "registry holds the pledges", bal, MEMO(2+2+3))

	info, err = e.user.Info(e.ctx, e.stranger.Address())
	e.must(err)
	if info.Role != RoleNone || info.Active {
		t.Fatalf("stranger info = %+v", info)
	}

	// Addresses change.
	e.must(e.prov.UpdateAddrs(e.ctx, testNodeKey("peer-prov-2"), []string{"/ip4/10.0.0.1/tcp/1", "/dns/x/tcp/2"}))
	provs, err = e.user.Providers(e.ctx)
	e.must(err)
	if provs[0].PeerID != testPeerID("peer-prov-2") || len(provs[0].Addrs) != 2 {
		t.Fatalf("after updateAddrs: %+v", provs[0])
	}
	wantRevert(t, e.stranger.UpdateAddrs(e.ctx, testNodeKey("x"), nil), "not registered")

	params, err := e.user.Params(e.ctx)
	e.must(err)
	if params.UnlockDelay != time.Hour || params.EpochLength != time.Hour || params.ProviderMinPledge.Cmp(MEMO(2)) != 0 ||
		params.KeeperMinPledge.Cmp(MEMO(3)) != 0 || params.Genesis == 0 {
		t.Fatalf("params = %+v", params)
	}
}

func TestRegisterRules(t *testing.T) {
	e := newEnv(t)
	e.must(e.prov.Register(e.ctx, RoleProvider, testNodeKey("p"), nil, MEMO(2)))

	// Double registration, in the same or another role.
	wantRevert(t, e.prov.Register(e.ctx, RoleProvider, testNodeKey("p"), nil, MEMO(2)), "already registered")
	wantRevert(t, e.prov.Register(e.ctx, RoleUser, testNodeKey("p"), nil, nil), "already registered")

	wantRevert(t, e.user.Register(e.ctx, Role(0), testNodeKey("u"), nil, nil), "unknown role")
	wantRevert(t, e.user.Register(e.ctx, Role(4), testNodeKey("u"), nil, nil), "unknown role")
	wantRevert(t, e.user.Register(e.ctx, RoleUser, testNodeKey("u"), nil, MEMO(1)), "users lock no pledge")
	wantRevert(t, e.user.Register(e.ctx, RoleUser, testNodeKey("u"), make([]string, 17), nil), "too many addrs")

	// Pledge below the role's minimum (Keeper needs 3).
	wantRevert(t, e.keeper.Register(e.ctx, RoleKeeper, testNodeKey("k"), nil, MEMO(2)), "pledge below minimum")
	// Missing allowance: call the contract directly, without the client's approve.
	proof, err := ProvePeer(testNodeKey("k"), e.keeper.chainID, e.ct.Registry, e.keeper.Address())
	e.must(err)
	sk, err := KeeperBLSKey(e.keys[e.keeper])
	e.must(err)
	bls, err := ProveBLSKey(sk, e.keeper.chainID, e.ct.Registry, e.keeper.Address())
	e.must(err)
	data := registryABI.PackRegisterKeeper(proof.Key, proof.Sig, []string{}, MEMO(3), bls)
	_, err = e.keeper.transact(e.ctx, "register", &e.ct.Registry, data, nil)
	wantRevert(t, err, "insufficient allowance")
	e.must(e.keeper.Approve(e.ctx, e.ct.Registry, MEMO(1)))
	_, err = e.keeper.transact(e.ctx, "register", &e.ct.Registry, data, nil)
	wantRevert(t, err, "insufficient allowance")
	// Pledge above the balance.
	wantRevert(t, e.keeper.Register(e.ctx, RoleKeeper, testNodeKey("k"), nil, MEMO(11)), "insufficient balance")

	// Nothing of the above registered anything.
	n, err := e.user.Count(e.ctx, RoleKeeper)
	e.must(err)
	if n != 0 {
		t.Fatalf("keepers = %d after failed registrations", n)
	}

	// A pledge above the minimum is fine, and can be topped up.
	e.must(e.keeper.Register(e.ctx, RoleKeeper, testNodeKey("k"), nil, MEMO(4)))
	e.must(e.keeper.AddPledge(e.ctx, MEMO(1)))
	info, err := e.user.Info(e.ctx, e.keeper.Address())
	e.must(err)
	wantBig(t, "keeper pledge", info.Pledge, MEMO(5))
	e.must(e.user.Register(e.ctx, RoleUser, testNodeKey("u"), nil, nil))
	wantRevert(t, e.user.AddPledge(e.ctx, MEMO(1)), "users lock no pledge")
}

func TestDeregisterDelay(t *testing.T) {
	e := newEnv(t)
	e.registerAll()

	wantRevert(t, e.stranger.Deregister(e.ctx), "not registered")
	wantRevert(t, e.prov.WithdrawPledge(e.ctx), "not deregistered")

	e.must(e.prov.Deregister(e.ctx))
	provs, err := e.user.Providers(e.ctx)
	e.must(err)
	if len(provs) != 1 || provs[0].Address != e.prov2.Address() {
		t.Fatalf("providers after deregister = %+v", provs)
	}
	info, err := e.user.Info(e.ctx, e.prov.Address())
	e.must(err)
	if info.Active || info.Role != RoleProvider || info.UnlockAt.IsZero() {
		t.Fatalf("info after deregister = %+v", info)
	}
	wantRevert(t, e.prov.Deregister(e.ctx), "not registered")
	wantRevert(t, e.prov.Register(e.ctx, RoleProvider, testNodeKey("p"), nil, MEMO(2)), "already registered")
	wantRevert(t, e.prov.WithdrawPledge(e.ctx), "pledge still locked")
	e.must(e.sim.AdjustTime(30 * time.Minute))
	wantRevert(t, e.prov.WithdrawPledge(e.ctx), "pledge still locked")

	e.must(e.sim.AdjustTime(31 * time.Minute))
	e.must(e.prov.WithdrawPledge(e.ctx))
	bal, err := e.prov.Balance(e.ctx, e.prov.Address())
	e.must(err)
	wantBig(t, "balance after withdrawPledge", bal, MEMO(10))
	info, err = e.user.Info(e.ctx, e.prov.Address())
	e.must(err)
	if info.Role != RoleNone {
		t.Fatalf("info after withdraw = %+v", info)
	}
	wantRevert(t, e.prov.WithdrawPledge(e.ctx), "not deregistered")

	// The account may register again, in any role.
	e.must(e.prov.Register(e.ctx, RoleKeeper, testNodeKey("again"), nil, MEMO(3)))

	// Swap-and-pop keeps the lists consistent: deregister the first of two keepers.
	e.must(e.keeper.Deregister(e.ctx))
	keepers, err := e.user.Keepers(e.ctx)
	e.must(err)
	if len(keepers) != 1 || keepers[0].Address != e.prov.Address() || keepers[0].PeerID != testPeerID("again") {
		t.Fatalf("keepers = %+v", keepers)
	}
}

func TestWatchRegistry(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(e.ctx)
	defer cancel()
	start, err := e.user.BlockNumber(ctx)
	e.must(err)
	lists := WatchProviders(ctx, e.user, 10*time.Millisecond)
	events := WatchRegistry(ctx, e.user, start, 10*time.Millisecond)

	if l := <-lists; len(l) != 0 {
		t.Fatalf("first provider list = %+v, want empty", l)
	}
	e.must(e.prov.Register(ctx, RoleProvider, testNodeKey("peer-prov"), []string{"/ip4/1.2.3.4/tcp/1"}, MEMO(2)))
	if l := recv(t, lists); len(l) != 1 || l[0].PeerID != testPeerID("peer-prov") {
		t.Fatalf("provider list = %+v", l)
	}
	e.must(e.prov.UpdateAddrs(ctx, testNodeKey("peer-prov"), []string{"/ip4/5.6.7.8/tcp/1"}))
	if l := recv(t, lists); len(l) != 1 || l[0].Addrs[0] != "/ip4/5.6.7.8/tcp/1" {
		t.Fatalf("provider list = %+v", l)
	}
	e.must(e.prov.AddPledge(ctx, MEMO(1)))
	e.must(e.prov.Deregister(ctx))
	if l := recv(t, lists); len(l) != 0 {
		t.Fatalf("provider list = %+v, want empty", l)
	}

	want := []struct {
		kind   string
		amount *big.Int
	}{{"registered", MEMO(2)}, {"addrs", nil}, {"pledge", MEMO(1)}, {"deregistered", nil}}
	for _, w := range want {
		ev := recv(t, events)
		if ev.Kind != w.kind || ev.Account != e.prov.Address() || (w.amount != nil && ev.Amount.Cmp(w.amount) != 0) {
			t.Fatalf("event %+v, want kind %s amount %v", ev, w.kind, w.amount)
		}
		if ev.Kind != "pledge" && ev.Role != RoleProvider {
			t.Fatalf("event %+v: role %v", ev, ev.Role)
		}
	}
}

func recv[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v, ok := <-ch:
		if !ok {
			t.Fatal("channel closed")
		}
		return v
	case <-time.After(10 * time.Second):
		t.Fatal("timed out waiting for a watch update")
	}
	panic("unreachable")
}

func TestMetaRoot(t *testing.T) {
	e := newEnv(t)
	got, err := e.user.MetaRootOf(e.ctx, e.user.Address())
	e.must(err)
	if len(got) != 0 {
		t.Fatalf("meta root before any was set = %x, want empty", got)
	}
	// Gas of a 457-byte root (4+2): first write, then an update.
	big := make([]byte, 457)
	big[0] = 1
	e.must(e.user.SetMetaRoot(e.ctx, big))
	first := e.lastGas("setMetaRoot")
	big[1] = 2
	e.must(e.user.SetMetaRoot(e.ctx, big))
	t.Logf("setMetaRoot gas, 457-byte root: first %d, update %d", first, e.lastGas("setMetaRoot"))
	root := []byte("snapshot pointer v1")
	e.must(e.user.SetMetaRoot(e.ctx, root))
	got, err = e.stranger.MetaRootOf(e.ctx, e.user.Address())
	e.must(err)
	if string(got) != string(root) {
		t.Fatalf("meta root = %q, want %q", got, root)
	}
	// Each account writes only its own.
	e.must(e.stranger.SetMetaRoot(e.ctx, []byte("other")))
	got, err = e.user.MetaRootOf(e.ctx, e.user.Address())
	e.must(err)
	if string(got) != string(root) {
		t.Fatalf("another account's write changed the root to %q", got)
	}
	if err := e.user.SetMetaRoot(e.ctx, make([]byte, MaxMetaRoot+1)); err == nil {
		t.Fatal("a root over MaxMetaRoot was accepted")
	}
}
