package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"syscall"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/backend/p2p"
	"github.com/mefs-project/mefs/backend/user"
	"github.com/mefs-project/mefs/chain"
	"github.com/mefs-project/mefs/gateway"
	"github.com/mefs-project/mefs/gateway/sigv4"
)

// gatewayConfig configures the User role: the S3 gateway over MEFS.
type gatewayConfig struct {
	Dir       string
	Providers []string // multiaddrs ending in /p2p/<peer id>
	K, M      int
	ChunkSize int
	Creds     credentials
	S3        s3Flags
	Log       *slog.Logger
	// Chain, if set, is the User's settlement client: Providers then come
	// from the on-chain registry, with orders, instead of Providers.
	Chain  chain.Client
	Settle settleFlags
	// MasterKey derives object keys; nil: a random one kept in DIR/master.key.
	MasterKey []byte
}

// settleFlags tune the User's orders.
type settleFlags struct {
	Price    string // token wei per byte per epoch
	Term     uint64 // epochs
	Interval time.Duration
	Deposit  string // MEMO to keep deposited
}

func (f *settleFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.Price, "price", "1", "price offered to Providers, token wei per byte per epoch")
	fs.Uint64Var(&f.Term, "order-term", 720, "epochs an order runs before renewal")
	fs.DurationVar(&f.Interval, "order-interval", 10*time.Second, "how often changed orders are updated on chain (one transaction per Provider at most)")
	fs.StringVar(&f.Deposit, "deposit", "5", "MEMO the User keeps deposited for its orders (topped up at start)")
}

// s3Flags are the S3 front end's flags, shared by devnet and gateway.
type s3Flags struct {
	Addr      string
	TLSCert   string
	TLSKey    string
	Domains   listFlag
	KeysFile  string
	Admin     string
	AccessLog bool
}

func (f *s3Flags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.Addr, "s3", "127.0.0.1:9000", "S3 listen address")
	fs.StringVar(&f.TLSCert, "tls-cert", "", "PEM certificate: serve S3 over HTTPS (with --tls-key)")
	fs.StringVar(&f.TLSKey, "tls-key", "", "PEM private key of --tls-cert")
	fs.Var(&f.Domains, "domain", "domain for virtual-hosted-style requests (<bucket>.<domain>); repeatable")
	fs.BoolVar(&f.AccessLog, "access-log", false, "log every S3 request (operation, bucket, key, status, latency) at info level")
	fs.StringVar(&f.Admin, "admin", "127.0.0.1:0", "admin listener: /metrics, /health/live, /health/ready (empty: off)")
	fs.StringVar(&f.KeysFile, "keys", "", `JSON file of extra S3 access keys: [{"access_key":"...","secret_key":"..."}]`)
}

// scheme is the URL scheme the S3 listener serves.
func (f *s3Flags) scheme() string {
	if f.TLSCert != "" {
		return "https"
	}
	return "http"
}

// secrets returns the access key → secret key map: the root credentials
// plus any from the keys file.
func (f *s3Flags) secrets(root credentials) (map[string]string, error) {
	m := map[string]string{root.AccessKey: root.SecretKey}
	if f.KeysFile == "" {
		return m, nil
	}
	b, err := os.ReadFile(f.KeysFile)
	if err != nil {
		return nil, fmt.Errorf("read keys file: %w", err)
	}
	var extra []credentials
	if err := json.Unmarshal(b, &extra); err != nil {
		return nil, fmt.Errorf("parse keys file %s: %w", f.KeysFile, err)
	}
	for _, c := range extra {
		if c.AccessKey == "" || c.SecretKey == "" {
			return nil, fmt.Errorf("keys file %s: an entry lacks access_key or secret_key", f.KeysFile)
		}
		m[c.AccessKey] = c.SecretKey
	}
	return m, nil
}

type credentials struct {
	AccessKey string `json:"access_key"`
	SecretKey string `json:"secret_key"`
}

// gatewayNode is a running gateway.
type gatewayNode struct {
	Host   host.Host
	Store  *meta.Store
	Layer  *user.Layer
	Server *http.Server
	Addr   string // the S3 listener's address
	Admin  *adminServer
	Chain  chain.Client
	cancel context.CancelFunc
	done   chan struct{}
}

func startGateway(cfg gatewayConfig) (g *gatewayNode, err error) {
	// undo releases what was started so far if start-up fails.
	var undo []func()
	defer func() {
		if err != nil {
			for i := len(undo) - 1; i >= 0; i-- {
				undo[i]()
			}
		}
	}()
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("create gateway folder: %w", err)
	}
	infos, err := p2p.ParsePeerAddrs(cfg.Providers)
	if err != nil {
		return nil, err
	}
	secrets, err := cfg.S3.secrets(cfg.Creds)
	if err != nil {
		return nil, err
	}
	master := cfg.MasterKey
	if master == nil {
		if master, err = loadOrCreateSecret(filepath.Join(cfg.Dir, "master.key"), 32); err != nil {
			return nil, err
		}
	}
	key, err := p2p.LoadIdentity(filepath.Join(cfg.Dir, "node.key"))
	if err != nil {
		return nil, err
	}
	h, err := p2p.NewUserHost(key, "/ip4/127.0.0.1/tcp/0")
	if err != nil {
		return nil, err
	}
	undo = append(undo, func() { h.Close() })
	var ids []peer.ID
	for _, in := range infos {
		h.Peerstore().AddAddrs(in.ID, in.Addrs, peerstore.PermanentAddrTTL)
		ids = append(ids, in.ID)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	store, err := meta.Open(filepath.Join(cfg.Dir, "meta"), cfg.Log)
	if err != nil {
		return nil, err
	}
	undo = append(undo, func() { store.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	undo = append(undo, cancel)
	var settler *user.Settler
	if cfg.Chain != nil {
		if settler, err = startSettler(ctx, cfg, h, store); err != nil {
			return nil, err
		}
	}
	layer, err := user.New(user.Config{K: cfg.K, M: cfg.M, ChunkSize: cfg.ChunkSize, MasterKey: master, Providers: ids, Settler: settler},
		store, &p2p.Client{Host: h}, cfg.Log)
	if err != nil {
		return nil, err
	}
	if err := layer.Recover(); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.S3.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen for S3 on %s: %w", cfg.S3.Addr, err)
	}
	undo = append(undo, func() { ln.Close() })
	verifier := &sigv4.Verifier{Secret: func(ak string) (string, bool) {
		sk, ok := secrets[ak]
		return sk, ok
	}}
	s3srv := gateway.NewServer(layer, verifier, cfg.Log)
	s3srv.Domains = cfg.S3.Domains
	s3srv.AccessLog = cfg.S3.AccessLog
	reg := prometheus.NewRegistry()
	s3srv.Observe = newS3Metrics(reg).observe()
	srv := &http.Server{Handler: s3srv, ReadHeaderTimeout: 30 * time.Second}
	g = &gatewayNode{Host: h, Store: store, Layer: layer, Server: srv, Addr: ln.Addr().String(), Chain: cfg.Chain, cancel: cancel, done: make(chan struct{})}
	if cfg.S3.Admin != "" {
		if g.Admin, err = startAdmin(cfg.S3.Admin, reg, layer.Ready, cfg.Log); err != nil {
			return nil, err
		}
	}
	go layer.Run(ctx)
	if settler != nil {
		go settler.Run(ctx)
	}
	go func() {
		defer close(g.done)
		var err error
		if cfg.S3.TLSCert != "" {
			err = srv.ServeTLS(ln, cfg.S3.TLSCert, cfg.S3.TLSKey)
		} else {
			err = srv.Serve(ln)
		}
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			cfg.Log.Error("S3 server stopped", "err", err)
		}
	}()
	return g, nil
}

// Close stops the gateway, letting requests in flight finish for a while.
func (g *gatewayNode) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	g.Server.Shutdown(ctx)
	<-g.done
	if g.Admin != nil {
		g.Admin.Close()
	}
	g.cancel()
	g.Store.Close()
	g.Host.Close()
	if g.Chain != nil {
		g.Chain.Close()
	}
}

// startSettler registers the User, tops up its deposit, and opens orders
// with the registered Providers.
func startSettler(ctx context.Context, cfg gatewayConfig, h host.Host, store *meta.Store) (*user.Settler, error) {
	c := cfg.Chain
	if err := ensureRegistered(ctx, c, chain.RoleUser, h.ID().String(), p2p.FullAddrs(h), nil, cfg.Log); err != nil {
		return nil, err
	}
	want, err := parseMEMO(cfg.Settle.Deposit)
	if err != nil {
		return nil, err
	}
	dep, err := c.DepositOf(ctx, c.Address())
	if err != nil {
		return nil, fmt.Errorf("read deposit: %w", err)
	}
	if need := new(big.Int).Sub(want, dep.Free); need.Sign() > 0 {
		if err := fundFromFaucet(ctx, c, need); err != nil {
			return nil, err
		}
		if err := c.Deposit(ctx, need); err != nil {
			return nil, fmt.Errorf("deposit %s MEMO: %w", chain.FormatMEMO(need), err)
		}
		cfg.Log.Info("deposited", "memo", chain.FormatMEMO(need))
	}
	price, ok := new(big.Int).SetString(cfg.Settle.Price, 10)
	if !ok || price.Sign() <= 0 {
		return nil, fmt.Errorf("price %q: want a positive integer of token wei", cfg.Settle.Price)
	}
	s := &user.Settler{Chain: c, Host: h, Meta: store, Log: cfg.Log.With("component", "settler"),
		Price: price, Term: cfg.Settle.Term, Interval: cfg.Settle.Interval}
	n, err := s.Discover(ctx)
	if err != nil {
		return nil, err
	}
	if n < cfg.K+cfg.M {
		cfg.Log.Warn("fewer Providers with orders than a stripe needs; uploads wait for more", "providers", n, "need", cfg.K+cfg.M)
	}
	return s, nil
}

// loadOrCreateSecret reads a random secret of n bytes from path, creating it
// (mode 0600) on first use.
func loadOrCreateSecret(path string, n int) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		if len(b) != n {
			return nil, fmt.Errorf("secret %s holds %d bytes, want %d", path, len(b), n)
		}
		return b, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read secret: %w", err)
	}
	b = make([]byte, n)
	rand.Read(b)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return nil, fmt.Errorf("write secret %s: %w", path, err)
	}
	return b, nil
}

// loadCredentials returns the S3 credentials: from the environment when
// MEFS_ACCESS_KEY and MEFS_SECRET_KEY are set, else from path, generated and
// saved there on first use.
func loadCredentials(path string) (credentials, bool, error) {
	c := credentials{AccessKey: os.Getenv("MEFS_ACCESS_KEY"), SecretKey: os.Getenv("MEFS_SECRET_KEY")}
	if c.AccessKey != "" && c.SecretKey != "" {
		return c, false, nil
	}
	b, err := os.ReadFile(path)
	if err == nil {
		if err := json.Unmarshal(b, &c); err != nil || c.AccessKey == "" || c.SecretKey == "" {
			return c, false, fmt.Errorf("credentials file %s is malformed", path)
		}
		return c, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return c, false, fmt.Errorf("read credentials: %w", err)
	}
	ak, sk := make([]byte, 10), make([]byte, 20)
	rand.Read(ak)
	rand.Read(sk)
	c = credentials{AccessKey: "MEFS" + hex.EncodeToString(ak)[:16], SecretKey: hex.EncodeToString(sk)}
	b, _ = json.MarshalIndent(c, "", "  ")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return c, false, err
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return c, false, fmt.Errorf("write credentials %s: %w", path, err)
	}
	return c, true, nil
}

// waitForSignal blocks until SIGINT or SIGTERM.
func waitForSignal() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	<-ch
}

func runGateway(args []string) error {
	fs := flag.NewFlagSet("gateway", flag.ExitOnError)
	dir := fs.String("dir", "mefs-gateway", "folder for the gateway's metadata, keys and credentials")
	var s3 s3Flags
	s3.register(fs)
	var providers listFlag
	fs.Var(&providers, "providers", "Provider multiaddrs ending in /p2p/<peer id> (repeat or comma-separate)")
	ec := fs.String("ec", "4+2", "erasure code k+m")
	chunk := fs.String("chunk-size", "1MiB", "chunk size of a full stripe")
	level := fs.String("log-level", "info", "log level: debug, info, warn, error")
	var cf chainFlags
	cf.register(fs, "")
	var settle settleFlags
	settle.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if cf.WalletDir == "" {
		cf.WalletDir = filepath.Join(*dir, "wallet")
	}
	log := newLogger(*level)
	k, m, err := parseEC(*ec)
	if err != nil {
		return err
	}
	cs, err := parseSize(*chunk)
	if err != nil {
		return err
	}
	creds, created, err := loadCredentials(filepath.Join(*dir, "credentials.json"))
	if err != nil {
		return err
	}
	var (
		c      chain.Client
		master []byte
	)
	if cf.enabled() {
		var key *ecdsa.PrivateKey
		if c, key, err = cf.dial(context.Background(), true, log); err != nil {
			return err
		}
		master = masterFromKey(key)
	} else if len(providers) == 0 {
		return errors.New("give --chain (Providers from the on-chain registry) or --providers")
	}
	g, err := startGateway(gatewayConfig{Dir: *dir, S3: s3, Providers: providers, K: k, M: m, ChunkSize: cs, Creds: creds, Log: log,
		Chain: c, Settle: settle, MasterKey: master})
	if err != nil {
		return err
	}
	log.Info("gateway ready", "s3", s3.scheme()+"://"+g.Addr, "admin", g.adminAddr(), "peer", g.Host.ID(), "providers", len(providers), "ec", *ec)
	if created {
		fmt.Printf("S3 credentials (saved in %s):\n  access key: %s\n  secret key: %s\n", filepath.Join(*dir, "credentials.json"), creds.AccessKey, creds.SecretKey)
	}
	waitForSignal()
	g.Close()
	return nil
}

func (g *gatewayNode) adminAddr() string {
	if g.Admin == nil {
		return ""
	}
	return "http://" + g.Admin.Addr
}
