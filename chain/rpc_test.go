package chain

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
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
	rc, err := Dial(ctx, sim.URL(), sim.Keys()[1], Options{Contracts: ct, PollInterval: 10 * time.Millisecond,
		Retry: RetryPolicy{Initial: 10 * time.Millisecond}, OnReceipt: func(string, *types.Receipt) { mined.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if err := rc.Faucet(ctx); err != nil {
		t.Fatal(err)
	}
	if err := rc.Register(ctx, RoleProvider, testNodeKey("peer-over-http"), []string{"/ip4/127.0.0.1/tcp/1"}, MEMO(2)); err != nil {
		t.Fatal(err)
	}
	if n := mined.Load(); n != 3 { // faucet, approve, register
		t.Fatalf("%d transactions mined, want 3", n)
	}
	wantRevert(t, rc.Register(ctx, RoleProvider, testNodeKey("again"), nil, MEMO(2)), "already registered")

	// The in-process view agrees with the HTTP view.
	local, err := sim.NewClient(sim.Keys()[2], Options{Contracts: ct})
	if err != nil {
		t.Fatal(err)
	}
	provs, err := local.Providers(ctx)
	if err != nil || len(provs) != 1 || provs[0].PeerID != testPeerID("peer-over-http") || provs[0].Address != rc.Address() {
		t.Fatalf("providers = %+v, %v", provs, err)
	}

	// Binding to a wrong address is refused.
	if _, err := Dial(ctx, sim.URL(), sim.Keys()[2], Options{Contracts: Contracts{Token: ct.Token, Registry: ct.Registry, Settlement: common.HexToAddress("0x1234")}}); !errors.Is(err, ErrNotDeployed) {
		t.Fatalf("dial with a bogus contract: %v, want ErrNotDeployed", err)
	}
}

// TestRetryPolicy: the backoff loop retries transient errors up to the policy's
// attempts, never retries reverts (even one whose reason reads like a transient
// failure) or other verdicts, and stops waiting when ctx ends.
func TestRetryPolicy(t *testing.T) {
	ctx := context.Background()
	if got, want := (RetryPolicy{}).withDefaults(), (RetryPolicy{Attempts: 5, Initial: 200 * time.Millisecond, Max: 10 * time.Second}); got != want {
		t.Fatalf("zero policy = %+v, want %+v", got, want)
	}
	p := RetryPolicy{Attempts: 3, Initial: time.Millisecond}.withDefaults()
	try := func(p RetryPolicy, ferr error) (int, error) {
		calls := 0
		_, err := retry(ctx, p, quiet, "op", func() (int, error) { calls++; return 0, ferr })
		return calls, err
	}

	transient := errors.New("connection reset by peer")
	calls, err := try(p, transient)
	if calls != 3 || !IsTransient(err) || !errors.Is(err, transient) || !strings.Contains(err.Error(), "giving up after 3 attempts") {
		t.Fatalf("transient: %d calls, err %v; want 3 calls", calls, err)
	}
	if calls, err = try(RetryPolicy{Attempts: 1}.withDefaults(), transient); calls != 1 || err != transient {
		t.Fatalf("Attempts 1: %d calls, err %v; want 1 call and the error as is", calls, err)
	}
	if calls, _ = try(p, errors.New("invalid argument 0: hex string has odd length")); calls != 1 {
		t.Fatalf("non-transient error tried %d times", calls)
	}
	// A node's revert report, not yet turned into *RevertError: its reason contains
	// "timeout", which alone would look transient.
	raw := errors.New("execution reverted: Settlement: lock timeout")
	if !IsTransient(raw) {
		t.Fatal("test premise: the raw revert message should look transient")
	}
	if calls, err = try(p, raw); calls != 1 || err != raw {
		t.Fatalf("raw revert: %d calls, err %v; want 1 call", calls, err)
	}
	if calls, err = try(p, notSent(&RevertError{Reason: "no", cause: errors.New("execution reverted: no")})); calls != 1 || !errors.Is(err, ErrReverted) {
		t.Fatalf("revert: %d calls, err %v", calls, err)
	}
	if IsTransient(context.Canceled) || IsTransient(nil) || !IsTransient(errors.New("429 Too Many Requests")) {
		t.Fatal("IsTransient misclassifies")
	}

	// Waiting honours ctx.
	cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	calls = 0
	_, err = retry(cctx, RetryPolicy{Attempts: 5, Initial: time.Hour}.withDefaults(), quiet, "op", func() (int, error) { calls++; return 0, transient })
	if calls != 1 || !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, transient) || time.Since(start) > 10*time.Second {
		t.Fatalf("cancelled wait: %d calls, err %v after %v", calls, err, time.Since(start))
	}
}

// TestRetryTransient: a dead or failing endpoint fails with a transient error after
// exactly the policy's attempts, zero meaning 5, and Attempts: 1 meaning no retry.
func TestRetryTransient(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	ctx := context.Background()
	_, err = Dial(ctx, "http://127.0.0.1:"+strconv.Itoa(port), DevKey(0), Options{Logger: quiet, Retry: RetryPolicy{Attempts: 3, Initial: time.Millisecond}})
	if err == nil || !IsTransient(err) || !strings.Contains(err.Error(), "giving up after 3 attempts") {
		t.Fatalf("dial dead endpoint: %v, want a transient error after 3 attempts", err)
	}

	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		http.Error(w, "overloaded", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	for _, tc := range []struct {
		policy RetryPolicy
		want   int64
	}{
		{RetryPolicy{Attempts: 3, Initial: time.Millisecond}, 3},
		{RetryPolicy{Attempts: 1}, 1},
		{RetryPolicy{Initial: time.Millisecond}, 5},
		{RetryPolicy{}, 5}, // the defaults: 0.2 + 0.4 + 0.8 + 1.6 s of backoff
	} {
		requests.Store(0)
		_, err := Dial(ctx, srv.URL, DevKey(0), Options{Logger: quiet, Retry: tc.policy})
		if err == nil || !IsTransient(err) || requests.Load() != tc.want {
			t.Fatalf("policy %+v against HTTP 503: %d requests, err %v; want %d requests and a transient error", tc.policy, requests.Load(), err, tc.want)
		}
	}
}

// proxyAction is what rpcProxy does with one JSON-RPC request.
type proxyAction int

const (
	pass           proxyAction = iota
	failBefore                 // HTTP 503 without forwarding: the node never saw it
	failAfter                  // forwarded, then 503: the node acted, the answer is lost
	failAfterMined             // as failAfter, and the chain mines a block meanwhile
	revertTimeout              // a revert whose reason reads like a transient failure
)

// proxyCall describes a request to rpcProxy's fault function.
type proxyCall struct {
	method string
	n      int // 1-based: this request's number among its method's (among a raw tx's sends)
	tx     int // for eth_sendRawTransaction: 1-based index of the distinct signed tx
}

// rpcProxy stands between a Client and a simulated chain's JSON-RPC endpoint, injects
// faults and counts requests. The chain has no auto-miner: the proxy commits after it
// forwards a transaction (unless failAfter), so outcomes are deterministic.
type rpcProxy struct {
	sim *Simulated
	url string

	mu        sync.Mutex
	fault     func(proxyCall) proxyAction
	calls     map[string]int // requests per method
	failed    map[string]int // requests per method answered by a fault
	forwarded map[string]int // requests per method the node answered
	sends     map[string]int // send attempts per signed transaction
	txs       []string       // the distinct signed transactions, in order
}

func newProxiedChain(t *testing.T) (*Simulated, *rpcProxy) {
	t.Helper()
	sim, err := NewSimulated(SimulatedOptions{Accounts: 4, AutoMine: -1, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	p := &rpcProxy{sim: sim}
	p.reset(nil)
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	p.url = srv.URL
	return sim, p
}

// reset clears the counters and sets the fault function (nil: no faults).
func (p *rpcProxy) reset(fault func(proxyCall) proxyAction) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fault = fault
	p.calls, p.failed, p.forwarded, p.sends, p.txs = map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}, nil
}

func (p *rpcProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var req struct {
		ID     json.RawMessage   `json:"id"`
		Method string            `json:"method"`
		Params []json.RawMessage `json:"params"`
	}
	_ = json.Unmarshal(body, &req) // a batch leaves Method empty and passes
	const send = "eth_sendRawTransaction"

	p.mu.Lock()
	p.calls[req.Method]++
	c := proxyCall{method: req.Method, n: p.calls[req.Method]}
	if req.Method == send && len(req.Params) == 1 {
		raw := string(req.Params[0])
		if p.sends[raw] == 0 {
			p.txs = append(p.txs, raw)
		}
		p.sends[raw]++
		c.n = p.sends[raw]
		for i, x := range p.txs {
			if x == raw {
				c.tx = i + 1
			}
		}
	}
	a := pass
	if p.fault != nil {
		a = p.fault(c)
	}
	if a != pass {
		p.failed[req.Method]++
	}
	if a != failBefore && a != revertTimeout {
		p.forwarded[req.Method]++
	}
	p.mu.Unlock()

	switch a {
	case failBefore:
		http.Error(w, "injected fault", http.StatusServiceUnavailable)
		return
	case revertTimeout:
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"error":{"code":3,"message":"execution reverted: request timeout","data":%q}}`, req.ID, revertData("request timeout"))
		return
	}
	resp, err := http.Post(p.sim.URL(), "application/json", bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	out, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	if req.Method == send && a != failAfter {
		p.sim.Commit()
	}
	if a == failAfter || a == failAfterMined {
		http.Error(w, "injected fault after forwarding", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
	w.WriteHeader(resp.StatusCode)
	w.Write(out)
}

// revertData is the ABI encoding of Solidity's Error(reason).
func revertData(reason string) string {
	st, err := abi.NewType("string", "", nil)
	if err != nil {
		panic(err)
	}
	enc, err := abi.Arguments{{Type: st}}.Pack(reason)
	if err != nil {
		panic(err)
	}
	return hexutil.Encode(append([]byte{0x08, 0xc3, 0x79, 0xa0}, enc...))
}

// TestRetryReads: with every other request of every method failing transiently, a
// deployment, writes and reads all succeed because each request is retried at the
// transport; each signed transaction is built once and re-sent only as the same
// bytes. Reverts are not retried, and with retries disabled the faults surface.
func TestRetryReads(t *testing.T) {
	sim, p := newProxiedChain(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	everyOther := func(c proxyCall) proxyAction {
		if c.n%2 == 1 {
			return failBefore
		}
		return pass
	}
	p.reset(everyOther)
	var mined atomic.Int64
	opts := Options{Logger: quiet, PollInterval: 5 * time.Millisecond, Retry: RetryPolicy{Initial: time.Millisecond},
		OnReceipt: func(string, *types.Receipt) { mined.Add(1) }}
	dep, err := Dial(ctx, p.url, sim.Keys()[0], opts)
	if err != nil {
		t.Fatal(err)
	}
	defer dep.Close()
	ct, err := dep.Deploy(ctx, testParams)
	if err != nil {
		t.Fatal(err)
	}
	opts.Contracts = ct
	prov, err := Dial(ctx, p.url, sim.Keys()[1], opts)
	if err != nil {
		t.Fatal(err)
	}
	defer prov.Close()
	if err := prov.Faucet(ctx); err != nil {
		t.Fatal(err)
	}
	if err := prov.Register(ctx, RoleProvider, testNodeKey("peer-flaky"), []string{"/ip4/127.0.0.1/tcp/1"}, MEMO(2)); err != nil {
		t.Fatal(err)
	}
	if bal, err := prov.Balance(ctx, prov.Address()); err != nil || bal.Cmp(MEMO(8)) != 0 {
		t.Fatalf("balance = %v, %v; want 8 MEMO", bal, err)
	}
	if provs, err := prov.Providers(ctx); err != nil || len(provs) != 1 || provs[0].PeerID != testPeerID("peer-flaky") {
		t.Fatalf("providers = %+v, %v", provs, err)
	}
	if info, err := prov.Info(ctx, prov.Address()); err != nil || !info.Active || info.Pledge.Cmp(MEMO(2)) != 0 {
		t.Fatalf("info = %+v, %v", info, err)
	}
	if gas, err := prov.GasBalance(ctx, prov.Address()); err != nil || gas.Sign() <= 0 {
		t.Fatalf("gas balance = %v, %v", gas, err)
	}
	head, err := prov.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := prov.RegistryEvents(ctx, 0, head)
	if err != nil || len(evs) != 1 || evs[0].Kind != "registered" || evs[0].PeerID != testPeerID("peer-flaky") {
		t.Fatalf("registry events = %+v, %v", evs, err)
	}

	p.mu.Lock()
	for _, m := range []string{"eth_chainId", "eth_getCode", "eth_call", "eth_blockNumber", "eth_getBalance",
		"eth_estimateGas", "eth_getTransactionCount", "eth_getBlockByNumber", "eth_maxPriorityFeePerGas",
		"eth_getLogs", "eth_getTransactionReceipt", "eth_sendRawTransaction"} {
		if p.failed[m] == 0 || p.forwarded[m] == 0 {
			t.Errorf("%s: %d injected failures, %d forwarded; want both > 0", m, p.failed[m], p.forwarded[m])
		}
	}
	// 3 deployments + bindSettlement, faucet, approve, register: each signed once, sent
	// twice (the first attempt failed), its nonce read once.
	if n := int(mined.Load()); len(p.txs) != 7 || n != 7 || p.forwarded["eth_getTransactionCount"] != 7 {
		t.Errorf("%d distinct transactions, %d mined, %d nonce reads; want 7 each", len(p.txs), n, p.forwarded["eth_getTransactionCount"])
	}
	for i, raw := range p.txs {
		if p.sends[raw] != 2 {
			t.Errorf("transaction %d sent %d times, want 2", i+1, p.sends[raw])
		}
	}
	p.mu.Unlock()

	// A revert is not retried: one estimate, nothing sent.
	p.reset(nil)
	wantRevert(t, prov.Register(ctx, RoleProvider, testNodeKey("again"), nil, nil), "already registered")
	p.mu.Lock()
	if p.calls["eth_estimateGas"] != 1 || p.calls["eth_sendRawTransaction"] != 0 {
		t.Errorf("revert: %d estimates, %d sends; want 1 and 0", p.calls["eth_estimateGas"], p.calls["eth_sendRawTransaction"])
	}
	p.mu.Unlock()

	// Nor is a revert whose reason reads like a transient failure.
	p.reset(func(c proxyCall) proxyAction {
		if c.method == "eth_call" {
			return revertTimeout
		}
		return pass
	})
	_, err = prov.Balance(ctx, prov.Address())
	if reason, ok := RevertReason(err); !ok || reason != "request timeout" {
		t.Fatalf("balance with a reverting node: %v; want revert \"request timeout\"", err)
	}
	p.mu.Lock()
	if p.calls["eth_call"] != 1 {
		t.Errorf("revert \"request timeout\" tried %d times, want 1", p.calls["eth_call"])
	}
	p.mu.Unlock()

	// Without retries the same faults surface.
	p.reset(everyOther)
	opts.Retry = RetryPolicy{Attempts: 1}
	if _, err := Dial(ctx, p.url, sim.Keys()[2], opts); err == nil || !IsTransient(err) {
		t.Fatalf("dial without retries through faults: %v; want a transient error", err)
	}
	p.reset(nil)
	c, err := Dial(ctx, p.url, sim.Keys()[2], opts)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	p.reset(everyOther)
	if err := c.Faucet(ctx); err == nil || !IsTransient(err) || !IsNotSent(err) {
		t.Fatalf("faucet without retries through faults: %v; want a transient not-sent error", err)
	}
	p.mu.Lock()
	if p.calls["eth_getTransactionCount"] != 1 || p.calls["eth_sendRawTransaction"] != 0 {
		t.Errorf("without retries: %d nonce reads, %d sends; want 1 and 0", p.calls["eth_getTransactionCount"], p.calls["eth_sendRawTransaction"])
	}
	p.mu.Unlock()
}

// TestRetryMaybeSentWrite: a transaction whose send may have reached the node is never
// rebuilt or re-signed: only its same bytes are re-sent, so nothing is paid twice, and a
// Deploy failing half-way is not started again.
func TestRetryMaybeSentWrite(t *testing.T) {
	sim, p := newProxiedChain(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	local, err := sim.NewClient(sim.Keys()[0], Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	ct, err := local.Deploy(ctx, testParams)
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Contracts: ct, Logger: quiet, PollInterval: 5 * time.Millisecond, Retry: RetryPolicy{Attempts: 3, Initial: time.Millisecond}}
	u, err := Dial(ctx, p.url, sim.Keys()[1], opts)
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	if err := u.Faucet(ctx); err != nil {
		t.Fatal(err)
	}
	to := sim.Accounts()[3]

	// The node took the transaction but its answer was lost: the same bytes are re-sent
	// and the node answers "already known" (still pending) or "nonce too low" (mined
	// meanwhile). Either way the transfer happens once.
	for _, lost := range []proxyAction{failAfter, failAfterMined} {
		p.reset(func(c proxyCall) proxyAction {
			if c.method == "eth_sendRawTransaction" && c.n == 1 {
				return lost
			}
			return pass
		})
		if err := u.Transfer(ctx, to, MEMO(1)); err != nil {
			t.Fatalf("transfer with a lost send answer (%d): %v", lost, err)
		}
		p.mu.Lock()
		if len(p.txs) != 1 || p.sends[p.txs[0]] != 2 || p.calls["eth_getTransactionCount"] != 1 || p.calls["eth_estimateGas"] != 1 {
			t.Errorf("lost answer (%d): %d distinct transactions, %v sends, %d nonce reads, %d estimates; want 1 sent twice, built once",
				lost, len(p.txs), p.sends, p.calls["eth_getTransactionCount"], p.calls["eth_estimateGas"])
		}
		p.mu.Unlock()
	}
	if bal, err := local.Balance(ctx, to); err != nil || bal.Cmp(MEMO(2)) != 0 {
		t.Fatalf("recipient holds %v, %v; want exactly 2 MEMO", bal, err)
	}
	if bal, err := local.Balance(ctx, u.Address()); err != nil || bal.Cmp(MEMO(8)) != 0 {
		t.Fatalf("sender holds %v, %v; want exactly 8 MEMO", bal, err)
	}

	// The second deployment transaction never gets an answer: it is re-sent as the
	// same bytes up to the policy's attempts, then Deploy fails without rebuilding it
	// and without starting over (the token is deployed once).
	d, err := Dial(ctx, p.url, sim.Keys()[2], Options{Logger: quiet, PollInterval: 5 * time.Millisecond, Retry: opts.Retry})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	p.reset(func(c proxyCall) proxyAction {
		if c.tx == 2 {
			return failBefore
		}
		return pass
	})
	_, err = d.Deploy(ctx, testParams)
	if err == nil || !IsTransient(err) || IsNotSent(err) || !strings.Contains(err.Error(), "giving up after 3 attempts") {
		t.Fatalf("deploy with an unanswered send: %v; want a transient error that may have been sent, after 3 attempts", err)
	}
	p.mu.Lock()
	if len(p.txs) != 2 || p.sends[p.txs[0]] != 1 || p.sends[p.txs[1]] != 3 || p.calls["eth_getTransactionCount"] != 2 {
		t.Errorf("deploy: %d distinct transactions, %v sends, %d nonce reads; want 2 transactions sent once and 3 times, each built once",
			len(p.txs), p.sends, p.calls["eth_getTransactionCount"])
	}
	p.mu.Unlock()
	if !d.Contracts().IsZero() {
		t.Errorf("failed deploy bound the client to %+v", d.Contracts())
	}
	ec, err := ethclient.DialContext(ctx, sim.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer ec.Close()
	if n, err := ec.NonceAt(ctx, crypto.PubkeyToAddress(sim.Keys()[2].PublicKey), nil); err != nil || n != 1 {
		t.Fatalf("deployer's nonce on chain = %d, %v; want 1 (the token only)", n, err)
	}
}
