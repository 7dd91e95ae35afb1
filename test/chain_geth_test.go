package test

// Settlement against a real EVM node: geth --dev, contracts deployed with
// `mefs deploy`, six `mefs provider` processes and a `mefs gateway` that
// finds them in the on-chain Registry and keeps their orders in step with
// the chunks they hold.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/mefs-project/mefs/backend/order"
	"github.com/mefs-project/mefs/chain"
	"github.com/mefs-project/mefs/chain/bindings/settlement"
)

// findGeth returns geth from PATH or $(go env GOPATH)/bin.
func findGeth(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("geth"); err == nil {
		return p
	}
	out, err := exec.Command("go", "env", "GOPATH").Output()
	if err == nil {
		for _, dir := range filepath.SplitList(strings.TrimSpace(string(out))) {
			p := filepath.Join(dir, "bin", "geth")
			if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
				return p
			}
		}
	}
	t.Fatal("geth is not on PATH nor in $(go env GOPATH)/bin: run `make test` (scripts/install-test-deps.sh installs it)")
	return ""
}

// startGeth runs `geth --dev` on free loopback ports in a temporary datadir
// (stopped when the test ends) and returns its HTTP JSON-RPC URL.
func startGeth(t testing.TB, dir string, extra ...string) string {
	t.Helper()
	bin := findGeth(t)
	httpAddr, authAddr := freeAddr(t), freeAddr(t)
	_, httpPort, _ := net.SplitHostPort(httpAddr)
	_, authPort, _ := net.SplitHostPort(authAddr)
	logPath := filepath.Join(dir, "geth.log")
	f, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"--dev", "--datadir", filepath.Join(dir, "geth"),
		"--http", "--http.addr", "127.0.0.1", "--http.port", httpPort, "--http.api", "eth,net,web3",
		"--port", "0", "--nodiscover", "--maxpeers", "0", "--authrpc.port", authPort, "--ipcdisable"}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		t.Fatalf("start geth: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
		f.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			if len(b) > 4000 {
				b = b[len(b)-4000:]
			}
			t.Logf("--- geth log (tail) ---\n%s", b)
		}
	})
	url := "http://" + httpAddr
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case <-exited:
			b, _ := os.ReadFile(logPath)
			t.Fatalf("geth exited at start:\n%s", b)
		default:
		}
		if rc, err := rpc.Dial(url); err == nil {
			var id hexutil.Big
			err = rc.CallContext(context.Background(), &id, "eth_chainId")
			rc.Close()
			if err == nil {
				return url
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("geth did not answer on %s within 30 s", url)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// fundFromDev sends amount wei from geth's unlocked dev account to each
// address and waits for the transfers to be mined.
func fundFromDev(t testing.TB, url string, amount *big.Int, to ...common.Address) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rc, err := rpc.DialContext(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var accts []common.Address
	if err := rc.CallContext(ctx, &accts, "eth_accounts"); err != nil || len(accts) == 0 {
		t.Fatalf("geth dev account: %v (%d accounts)", err, len(accts))
	}
	// Explicit nonces: geth's own assignment races with the dev miner.
	var nonce hexutil.Uint64
	if err := rc.CallContext(ctx, &nonce, "eth_getTransactionCount", accts[0], "pending"); err != nil {
		t.Fatal(err)
	}
	var hashes []common.Hash
	for i, a := range to {
		var h common.Hash
		tx := map[string]any{"from": accts[0], "to": a, "value": (*hexutil.Big)(amount),
			"gas": hexutil.Uint64(21000), "nonce": nonce + hexutil.Uint64(i)}
		if err := rc.CallContext(ctx, &h, "eth_sendTransaction", tx); err != nil {
			t.Fatalf("fund %s from the dev account: %v", a, err)
		}
		hashes = append(hashes, h)
	}
	ec := ethclient.NewClient(rc)
	for _, h := range hashes {
		for {
			r, err := ec.TransactionReceipt(ctx, h)
			if err == nil {
				if r.Status != 1 {
					t.Fatalf("funding transfer %s failed", h)
				}
				break
			}
			select {
			case <-ctx.Done():
				t.Fatalf("funding transfer %s not mined: %v", h, err)
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
}

// gasOf returns the gas used by every successful transaction to `to` whose
// call data starts with selector, in blocks from..until (inclusive).
func gasOf(t testing.TB, url string, to common.Address, selector []byte, from, until uint64) []uint64 {
	t.Helper()
	ctx := context.Background()
	ec, err := ethclient.Dial(url)
	if err != nil {
		t.Fatal(err)
	}
	defer ec.Close()
	var out []uint64
	for n := from; n <= until; n++ {
		b, err := ec.BlockByNumber(ctx, new(big.Int).SetUint64(n))
		if err != nil {
			t.Fatalf("block %d: %v", n, err)
		}
		for _, tx := range b.Transactions() {
			if tx.To() == nil || *tx.To() != to || !bytes.HasPrefix(tx.Data(), selector) {
				continue
			}
			r, err := ec.TransactionReceipt(ctx, tx.Hash())
			if err != nil {
				t.Fatalf("receipt of %s: %v", tx.Hash(), err)
			}
			if r.Status != 1 {
				t.Errorf("transaction %s to %s failed on chain", tx.Hash(), to)
				continue
			}
			out = append(out, r.GasUsed)
		}
	}
	return out
}

// gethNet is a geth --dev node with the contracts deployed by `mefs deploy`
// and registered `mefs provider` processes; the User's wallet is funded.
type gethNet struct {
	Dir, URL, DepPath, PwFile string
	Contracts                 chain.Contracts
	UserWallet                string
	User                      common.Address
	Providers                 []orderCheck
	ProviderWallets           []string
	Procs                     []*proc
	Keepers                   []*proc
	KeeperArgs                [][]string // to start Keeper i again
	C                         chain.Client
}

// chainArgs are the chain flags of a role using wallet.
func (g *gethNet) chainArgs(wallet string) []string {
	return []string{"--chain", g.URL, "--contracts", g.DepPath, "--wallet", wallet, "--password-file", g.PwFile}
}

// startGateway starts `mefs gateway` in DIR/gateway on the User's wallet
// (4+2, orders updated every second) with root credentials ak/sk and extra
// flags, and returns an S3 client for it once it listens.
func (g *gethNet) startGateway(t *testing.T, ak, sk string, extra ...string) *s3.Client {
	t.Helper()
	s3Addr := freeAddr(t)
	args := append([]string{"gateway", "--dir", filepath.Join(g.Dir, "gateway"), "--s3", s3Addr, "--ec", "4+2", "--order-interval", "1s"}, extra...)
	gw := start(t, g.Dir, "gateway", []string{"MEFS_ACCESS_KEY=" + ak, "MEFS_SECRET_KEY=" + sk}, append(args, g.chainArgs(g.UserWallet)...)...)
	waitListening(t, gw, s3Addr)
	return s3Client(t, "http://"+s3Addr, ak, sk)
}

// gethOptions shape a geth network.
type gethOptions struct {
	Providers     int
	Epoch         time.Duration    // below an hour, geth mines a block a second
	ProviderFlags map[int][]string // extra flags of Provider i
	Keepers       int
}

// startGethNetwork starts geth, deploys with `mefs deploy` (1 h epochs) and
// starts nProviders registered Provider processes.
func startGethNetwork(t *testing.T, nProviders int) *gethNet {
	t.Helper()
	return startGethNetworkWith(t, gethOptions{Providers: nProviders, Epoch: time.Hour})
}

// startGethNetworkWith starts geth, deploys with `mefs deploy` and starts
// registered Provider and Keeper processes as opts says.
func startGethNetworkWith(t *testing.T, opts gethOptions) *gethNet {
	t.Helper()
	nProviders := opts.Providers
	began := time.Now()
	dir := t.TempDir()
	var gethArgs []string
	if opts.Epoch < time.Hour {
		gethArgs = []string{"--dev.period", "1"} // the chain's clock must move for epochs to pass
	}
	url := startGeth(t, dir, gethArgs...)
	t.Logf("geth up at %s after %v", url, time.Since(began).Round(time.Millisecond))
	// Wallets: the deployer's through `mefs wallet new`, the rest in-process
	// with light scrypt (every process decrypts its own at start).
	pwFile := filepath.Join(dir, "password")
	if err := os.WriteFile(pwFile, []byte("geth-test-password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	deployerWallet := filepath.Join(dir, "wallets", "deployer")
	out, err := exec.Command(mefsBin, "wallet", "new", "--wallet", deployerWallet, "--password-file", pwFile).CombinedOutput()
	if err != nil {
		t.Fatalf("mefs wallet new: %v\n%s", err, out)
	}
	deployer := common.HexToAddress(strings.Fields(string(out))[0])
	newWallet := func(name string) (string, common.Address) {
		w := chain.OpenWallet(filepath.Join(dir, "wallets", name))
		w.LightKDF = true
		a, err := w.New("geth-test-password")
		if err != nil {
			t.Fatal(err)
		}
		return w.Dir, a.Address
	}
	userWallet, user := newWallet("user")
	providerWallets := make([]string, nProviders)
	funded := []common.Address{deployer, user}
	for i := range nProviders {
		var a common.Address
		providerWallets[i], a = newWallet("provider-" + strconv.Itoa(i))
		funded = append(funded, a)
	}
	keeperWallets := make([]string, opts.Keepers)
	for i := range opts.Keepers {
		var a common.Address
		keeperWallets[i], a = newWallet("keeper-" + strconv.Itoa(i))
		funded = append(funded, a)
	}
	fundFromDev(t, url, chain.MEMO(100), funded...) // 100 ETH each: MEMO() is just ×1e18

	// Deploy.
	depPath := filepath.Join(dir, "deployment.json")
	out, err = exec.Command(mefsBin, "deploy", "--chain", url, "--wallet", deployerWallet, "--password-file", pwFile,
		"--epoch", opts.Epoch.String(), "--provider-pledge", "1", "--keeper-pledge", "1", "--unlock-delay", "1h", "--out", depPath).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			out = append(out, ee.Stderr...)
		}
		t.Fatalf("mefs deploy: %v\n%s", err, out)
	}
	var dep struct {
		RPC       string          `json:"rpc"`
		ChainID   uint64          `json:"chain_id"`
		Contracts chain.Contracts `json:"contracts"`
	}
	if err := json.Unmarshal(out, &dep); err != nil {
		t.Fatalf("mefs deploy printed %q: %v", out, err)
	}
	if b, err := os.ReadFile(depPath); err != nil || !bytes.Equal(bytes.TrimSpace(b), bytes.TrimSpace(out)) {
		t.Fatalf("deployment file %s: %v\n%s\nprinted:\n%s", depPath, err, b, out)
	}
	if dep.RPC != url || dep.ChainID != 1337 || dep.Contracts.Token == (common.Address{}) ||
		dep.Contracts.Registry == (common.Address{}) || dep.Contracts.Settlement == (common.Address{}) {
		t.Fatalf("deployment %+v", dep)
	}
	c := readOnlyClient(t, url, dep.Contracts)
	ctx := context.Background()
	params, err := c.Params(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := chain.DefaultDeployParams()
	if want.RandomnessDelay >= opts.Epoch {
		want.RandomnessDelay = (opts.Epoch / 5).Truncate(time.Second)
	}
	if params.EpochLength != opts.Epoch || params.UnlockDelay != time.Hour || params.ProviderMinPledge.Cmp(chain.MEMO(1)) != 0 || params.KeeperMinPledge.Cmp(chain.MEMO(1)) != 0 ||
		params.CertifyWindow != want.CertifyWindow || params.RandomnessDelay != want.RandomnessDelay || params.SlashBps != want.SlashBps || params.KeeperShareBps != want.KeeperShareBps || params.FailingEpochs != want.FailingEpochs {
		t.Fatalf("deployed params %+v", params)
	}
	t.Logf("deployed %+v after %v", dep.Contracts, time.Since(began).Round(time.Millisecond))

	// Providers: they draw MEMO from the faucet and register with a pledge.
	g := &gethNet{Dir: dir, URL: url, DepPath: depPath, PwFile: pwFile, Contracts: dep.Contracts, UserWallet: userWallet, User: user, C: c}
	var ps []orderCheck
	var procs []*proc
	for i := range nProviders {
		pdir := filepath.Join(dir, "provider"+strconv.Itoa(i))
		name := "provider" + strconv.Itoa(i)
		args := append(append([]string{"provider", "--dir", pdir}, g.chainArgs(providerWallets[i])...), opts.ProviderFlags[i]...)
		procs = append(procs, start(t, dir, name, nil, args...))
		ps = append(ps, orderCheck{Name: name, Dir: pdir})
	}
	for i := range ps {
		var info providerJSON
		waitFile(t, procs[i], filepath.Join(ps[i].Dir, "provider.json"), &info)
		if !common.IsHexAddress(info.Account) {
			t.Fatalf("%s: provider.json has no account: %+v", ps[i].Name, info)
		}
		ps[i].Account = common.HexToAddress(info.Account)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		nodes, err := c.Providers(ctx)
		if err == nil && len(nodes) == nProviders {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d Providers registered within 60 s (err %v), want %d", len(nodes), err, nProviders)
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, p := range ps {
		reg, err := c.Info(ctx, p.Account)
		if err != nil || reg.Role != chain.RoleProvider || !reg.Active || reg.Pledge.Cmp(chain.MEMO(1)) < 0 {
			t.Fatalf("%s registration %+v, %v", p.Name, reg, err)
		}
	}
	t.Logf("%d Providers registered after %v", nProviders, time.Since(began).Round(time.Millisecond))
	g.Providers, g.Procs, g.ProviderWallets = ps, procs, providerWallets
	for i := range opts.Keepers {
		kdir := filepath.Join(dir, "keeper"+strconv.Itoa(i))
		args := append([]string{"keeper", "--dir", kdir}, g.chainArgs(keeperWallets[i])...)
		k := start(t, dir, "keeper"+strconv.Itoa(i), nil, args...)
		var info struct {
			Account string `json:"account"`
		}
		waitFile(t, k, filepath.Join(kdir, "keeper.json"), &info)
		g.Keepers, g.KeeperArgs = append(g.Keepers, k), append(g.KeeperArgs, args)
	}
	return g
}

func TestGethSettlement(t *testing.T) {
	const nProviders = 6
	began := time.Now()
	g := startGethNetwork(t, nProviders)
	url, c, user, ps := g.URL, g.C, g.User, g.Providers
	ctx := context.Background()

	// The gateway (User): registers, deposits, opens an order with each.
	s3c := g.startGateway(t, "gethtestkey", "gethtestsecret0123456789")
	t.Logf("gateway up after %v", time.Since(began).Round(time.Millisecond))
	opened := blockNumber(t, c)
	for _, p := range ps {
		o, err := c.Order(ctx, user, p.Account)
		if err != nil || o.Nonce == 0 || o.End == 0 {
			t.Fatalf("no order of the user with %s after gateway start: %+v, %v", p.Name, o, err)
		}
	}

	// Upload, read back.
	const bucket = "settle"
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatal(err)
	}
	objs := map[string][]byte{"small": randBytes(1000), "stripe": randBytes(3 << 20), "multi": randBytes(9<<20 + 123)}
	for _, k := range []string{"small", "stripe", "multi"} {
		putBytes(t, s3c, bucket, k, objs[k])
	}
	for k, v := range objs {
		got, err := tryGet(ctx, s3c, bucket, k)
		if err != nil || !bytes.Equal(got, v) {
			t.Fatalf("read back %s: %d bytes (want %d), %v", k, len(got), len(v), err)
		}
	}

	// Every order matches the Provider's chunk files.
	before := waitOrdersMatchDisk(t, c, user, ps, 30*time.Second, nonEmpty)
	var total uint64
	for i, s := range before {
		total += s.Chain.Size
		t.Logf("%s: order size %d (%d chunks), nonce %d, root %x", ps[i].Name, s.Chain.Size, s.Disk.Count, s.Order.Nonce, s.Chain.Root[:8])
	}
	t.Logf("orders cover %d bytes after %v", total, time.Since(began).Round(time.Millisecond))
	// "small" (1000 bytes) lives sealed in the metadata (--inline-max 4KiB),
	// not in chunks: the orders cover the other two.
	plain := uint64(len(objs["stripe"]) + len(objs["multi"]))
	if total < plain*3/2 {
		t.Errorf("orders cover %d bytes, less than 1.5 × the %d bytes of objects (4+2)", total, plain)
	}
	grown := blockNumber(t, c)
	beforeEntries := make([][]order.Entry, len(ps))
	for i, p := range ps {
		beforeEntries[i] = diskEntries(t, p.Dir, user)
	}

	// Delete an object: GC removes its chunks, and the orders shrink.
	if _, err := s3c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String("multi")}); err != nil {
		t.Fatal(err)
	}
	after := waitOrdersMatchDisk(t, c, user, ps, 30*time.Second, func(i int, s orderState) bool {
		return s.Disk.Size < before[i].Disk.Size && s.Order.Nonce > before[i].Order.Nonce
	})
	var removed uint64
	deleted := map[string]bool{} // object ids whose chunks went away
	for i, p := range ps {
		left := map[string]bool{}
		for _, e := range diskEntries(t, p.Dir, user) {
			left[string(order.ChunkKey(e.Chunk))] = true
		}
		var gone uint64
		for _, e := range beforeEntries[i] {
			if !left[string(order.ChunkKey(e.Chunk))] {
				gone += uint64(e.Size)
				deleted[e.Chunk.Data.String()] = true
			}
		}
		if got := before[i].Chain.Size - after[i].Chain.Size; got != gone {
			t.Errorf("%s: order shrank by %d bytes, the deleted chunks hold %d", p.Name, got, gone)
		}
		if len(left) != after[i].Disk.Count {
			t.Errorf("%s: chunks appeared during the delete", p.Name)
		}
		removed += gone
		t.Logf("%s: order size %d → %d, nonce %d → %d", p.Name, before[i].Chain.Size, after[i].Chain.Size, before[i].Order.Nonce, after[i].Order.Nonce)
	}
	if len(deleted) != 1 {
		t.Errorf("chunks of %d objects went away, want those of the 1 deleted", len(deleted))
	}
	if removed < uint64(len(objs["multi"]))*3/2 {
		t.Errorf("orders shrank by %d bytes in all, less than 1.5 × the deleted %d bytes", removed, len(objs["multi"]))
	}
	for _, k := range []string{"small", "stripe"} {
		if got, err := tryGet(ctx, s3c, bucket, k); err != nil || !bytes.Equal(got, objs[k]) {
			t.Fatalf("read back %s after the delete: %d bytes, %v", k, len(got), err)
		}
	}

	// Gas of the order updates the gateway sent: opening the orders, adding
	// the uploads, dropping the deleted object.
	shrunk := blockNumber(t, c)
	sel := settlement.NewSettlement().PackUpdateOrder(settlement.SettlementOrderUpdate{Price: new(big.Int)}, nil, nil)[:4]
	for _, phase := range []struct {
		name     string
		from, to uint64
	}{{"open (empty)", 1, opened}, {"grow (uploads)", opened + 1, grown}, {"shrink (delete)", grown + 1, shrunk}} {
		gas := gasOf(t, url, g.Contracts.Settlement, sel, phase.from, phase.to)
		if len(gas) < nProviders {
			t.Errorf("%s: %d updateOrder transactions, want at least %d", phase.name, len(gas), nProviders)
			continue
		}
		lo, hi, sum := gas[0], gas[0], uint64(0)
		for _, g := range gas {
			lo, hi, sum = min(lo, g), max(hi, g), sum+g
		}
		t.Logf("updateOrder gas, %s: %d transactions, min %d, mean %d, max %d", phase.name, len(gas), lo, sum/uint64(len(gas)), hi)
	}
	t.Logf("total %v", time.Since(began).Round(time.Millisecond))
}

// providerJSON mirrors DIR/provider.json.
type providerJSON struct {
	PeerID  string   `json:"peer_id"`
	Addrs   []string `json:"addrs"`
	Account string   `json:"account"`
}

func blockNumber(t testing.TB, c chain.Client) uint64 {
	t.Helper()
	n, err := c.BlockNumber(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}
