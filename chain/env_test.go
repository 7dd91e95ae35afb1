package chain

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"log/slog"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// quiet discards the clients' logs in tests.
var quiet = slog.New(slog.DiscardHandler)

// testParams: pledges 2 / 3 MEMO, 1 h unlock delay, 1 h epochs, faucet on, Keepers
// take 10 %, a failed epoch slashes 25 % of the pledge, randomness 1 min into an epoch.
var testParams = DeployParams{
	ProviderMinPledge: MEMO(2),
	KeeperMinPledge:   MEMO(3),
	UnlockDelay:       time.Hour,
	EpochLength:       time.Hour,
	Faucet:            true,
	KeeperShareBps:    1000,
	SlashBps:          2500,
	RandomnessDelay:   time.Minute,
	CertifyWindow:     4,
	FailingEpochs:     3,
}

// env is a simulated chain with a deployment and one client per role.
type env struct {
	t   *testing.T
	ctx context.Context
	sim *Simulated
	ct  Contracts

	deployer, user, user2, prov, prov2, keeper, stranger *client
	keys                                                 map[*client]*ecdsa.PrivateKey

	gasMu sync.Mutex
	gas   map[string][]uint64 // op -> gas used, in order
}

func newEnv(t *testing.T) *env { return newEnvAccounts(t, 7, testParams) }

// newEnvAccounts is newEnv on a chain with n ≥ 7 funded accounts, deployed with p.
func newEnvAccounts(t *testing.T, n int, p DeployParams) *env {
	t.Helper()
	sim, err := NewSimulated(SimulatedOptions{Accounts: n, NoHTTP: true, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	e := &env{t: t, ctx: context.Background(), sim: sim, keys: map[*client]*ecdsa.PrivateKey{}, gas: map[string][]uint64{}}
	e.deployer = e.newClient(sim.Keys()[0], Contracts{})
	ct, err := e.deployer.Deploy(e.ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	e.ct = ct
	cs := []**client{&e.user, &e.user2, &e.prov, &e.prov2, &e.keeper, &e.stranger}
	for i, p := range cs {
		*p = e.newClient(sim.Keys()[i+1], ct)
		if err := (*p).Faucet(e.ctx); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func (e *env) newClient(key *ecdsa.PrivateKey, ct Contracts) *client {
	e.t.Helper()
	c, err := e.sim.NewClient(key, Options{Contracts: ct, OnReceipt: e.recordGas, Logger: quiet})
	if err != nil {
		e.t.Fatal(err)
	}
	e.keys[c.(*client)] = key
	return c.(*client)
}

func (e *env) recordGas(op string, r *types.Receipt) {
	e.gasMu.Lock()
	defer e.gasMu.Unlock()
	e.gas[op] = append(e.gas[op], r.GasUsed)
}

func (e *env) lastGas(op string) uint64 {
	e.gasMu.Lock()
	defer e.gasMu.Unlock()
	g := e.gas[op]
	if len(g) == 0 {
		e.t.Fatalf("no gas recorded for %q", op)
	}
	return g[len(g)-1]
}

// registerAll registers user, user2 (Users), prov, prov2 (Providers) and keeper.
func (e *env) registerAll() {
	e.t.Helper()
	e.must(e.user.Register(e.ctx, RoleUser, testNodeKey("peer-user"), []string{"/ip4/127.0.0.1/tcp/4001"}, nil))
	e.must(e.user2.Register(e.ctx, RoleUser, testNodeKey("peer-user2"), nil, nil))
	e.must(e.prov.Register(e.ctx, RoleProvider, testNodeKey("peer-prov"), []string{"/ip4/127.0.0.1/tcp/4002"}, MEMO(2)))
	e.must(e.prov2.Register(e.ctx, RoleProvider, testNodeKey("peer-prov2"), []string{"/ip4/127.0.0.1/tcp/4003"}, MEMO(2)))
	e.must(e.keeper.Register(e.ctx, RoleKeeper, testNodeKey("peer-keeper"), []string{"/ip4/127.0.0.1/tcp/4004"}, MEMO(3)))
}

// advance moves block time forward by n epochs.
func (e *env) advance(n int) {
	e.t.Helper()
	e.must(e.sim.AdjustTime(time.Duration(n) * testParams.EpochLength))
}

func (e *env) epoch() uint64 {
	e.t.Helper()
	ep, err := e.user.CurrentEpoch(e.ctx)
	e.must(err)
	return ep
}

func (e *env) must(err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

// signed returns u signed by the given signers (user side, provider side).
func (e *env) signed(u OrderUpdate, userSigner, provSigner *client) SignedOrderUpdate {
	e.t.Helper()
	us, err := userSigner.SignOrderUpdate(u)
	e.must(err)
	ps, err := provSigner.SignOrderUpdate(u)
	e.must(err)
	return SignedOrderUpdate{OrderUpdate: u, UserSig: us, ProviderSig: ps}
}

// wantRevert fails unless err is a revert whose reason contains want.
func wantRevert(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want revert %q", want)
	}
	if !errors.Is(err, ErrReverted) {
		t.Fatalf("error %v is not a revert; want %q", err, want)
	}
	reason, _ := RevertReason(err)
	if !strings.Contains(reason, want) {
		t.Fatalf("revert reason %q; want it to contain %q (error: %v)", reason, want, err)
	}
	if !IsNotSent(err) {
		t.Fatalf("revert %v not flagged as not sent", err)
	}
}

func wantBig(t *testing.T, what string, got, want *big.Int) {
	t.Helper()
	if got.Cmp(want) != 0 {
		t.Fatalf("%s = %s, want %s", what, got, want)
	}
}

func bigMul(xs ...int64) *big.Int {
	r := big.NewInt(1)
	for _, x := range xs {
		r.Mul(r, big.NewInt(x))
	}
	return r
}

func bigSub(a *big.Int, bs ...*big.Int) *big.Int {
	r := new(big.Int).Set(a)
	for _, b := range bs {
		r.Sub(r, b)
	}
	return r
}

func hashOf(s string) common.Hash { return common.BytesToHash([]byte(s)) }
