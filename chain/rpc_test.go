package chain

import (
	"context"
	"errors"

	"net"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
)

// TestDialOverHTTP drives the JSON-RPC backend against the simulated chain's loopback
// HTTP endpoint, whose auto-miner commits the transactions that arrive there.
func TestDialOverHTTP(t *testing.T) {
	sim, err := NewSimulated(SimulatedOptions{Accounts: 3, AutoMine: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	if sim.URL() == "" {
		t.Fatal("no HTTP endpoint")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	// Outside tools see the chain: plain ethclient over HTTP.
	ec, err := ethclient.DialContext(ctx, sim.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer ec.Close()
	id, err := ec.ChainID(ctx)
	if err != nil || id.Int64() != SimulatedChainID {
		t.Fatalf("chain id over HTTP = %v, %v", id, err)
	}

	deployer, err := Dial(ctx, sim.URL(), sim.Keys()[0], Options{PollInterval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer deployer.Close()
	ct, err := deployer.Deploy(ctx, testParams)
	if err != nil {
		t.Fatal(err)
	}
	var mined atomic.Int64
	prov, err := Dial(ctx, sim.URL(), sim.Keys()[1], Options{Contracts: ct, PollInterval: 10 * time.Millisecond,
		OnReceipt: func(string, *types.Receipt) { mined.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	defer prov.Close()
	rc := WithRetry(prov, RetryPolicy{Initial: 10 * time.Millisecond})
	if err := rc.Faucet(ctx); err != nil {
		t.Fatal(err)
	}
	if err := rc.Register(ctx, RoleProvider, "peer-over-http", []string{"/ip4/127.0.0.1/tcp/1"}, MEMO(2)); err != nil {
		t.Fatal(err)
	}
	if n := mined.Load(); n != 3 { // faucet, approve, register
		t.Fatalf("%d transactions mined, want 3", n)
	}
	wantRevert(t, rc.Register(ctx, RoleProvider, "again", nil, MEMO(2)), "already registered")

	// The in-process view agrees with the HTTP view.
	local, err := sim.NewClient(sim.Keys()[2], Options{Contracts: ct})
	if err != nil {
		t.Fatal(err)
	}
	provs, err := local.Providers(ctx)
	if err != nil || len(provs) != 1 || provs[0].PeerID != "peer-over-http" || provs[0].Address != prov.Address() {
		t.Fatalf("providers = %+v, %v", provs, err)
	}

	// Binding to a wrong address is refused.
	if _, err := Dial(ctx, sim.URL(), sim.Keys()[2], Options{Contracts: Contracts{Token: ct.Token, Registry: ct.Registry, Settlement: common.HexToAddress("0x1234")}}); !errors.Is(err, ErrNotDeployed) {
		t.Fatalf("dial with a bogus contract: %v, want ErrNotDeployed", err)
	}
}

// TestRetryTransient: a dead endpoint fails with a transient error after the policy's
// attempts, and reverts are never retried.
func TestRetryTransient(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	ctx := context.Background()
	_, err = Dial(ctx, "http://127.0.0.1:"+strconv.Itoa(port), DevKey(0), Options{})
	if err == nil || !IsTransient(err) {
		t.Fatalf("dial dead endpoint: %v, want a transient error", err)
	}

	calls := 0
	r := WithRetry(nil, RetryPolicy{Attempts: 3, Initial: time.Millisecond}).(*retrying)
	_, err = retry(ctx, r, "op", false, func() (int, error) { calls++; return 0, err })
	if calls != 3 || !IsTransient(err) {
		t.Fatalf("read: %d calls, err %v; want 3 calls", calls, err)
	}
	calls = 0
	sentErr := errors.New("connection reset by peer") // transient, but maybe sent
	err = retry0(ctx, r, "write", true, func() error { calls++; return sentErr })
	if calls != 1 {
		t.Fatalf("write that may have been sent retried %d times", calls)
	}
	calls = 0
	err = retry0(ctx, r, "write", true, func() error { calls++; return notSent(sentErr) })
	if calls != 3 || !IsNotSent(err) {
		t.Fatalf("unsent write: %d calls, err %v; want 3", calls, err)
	}
	calls = 0
	err = retry0(ctx, r, "revert", true, func() error {
		calls++
		return notSent(&RevertError{Reason: "no", cause: errors.New("execution reverted: no")})
	})
	if calls != 1 || !errors.Is(err, ErrReverted) {
		t.Fatalf("revert: %d calls, err %v", calls, err)
	}
	if IsTransient(context.Canceled) || IsTransient(nil) || !IsTransient(errors.New("429 Too Many Requests")) {
		t.Fatal("IsTransient misclassifies")
	}

}
