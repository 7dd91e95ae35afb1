package node

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	libp2pcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/mefs-project/mefs/backend/internal/durable"
	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/backend/p2p"
	"github.com/mefs-project/mefs/backend/user"
	"github.com/mefs-project/mefs/chain"
	"github.com/mefs-project/mefs/gateway"
	"github.com/mefs-project/mefs/gateway/sigv4"
)

// S3Config configures the S3 front end.
type S3Config struct {
	Addr            string // listen address
	TLSCert, TLSKey string // PEM files: serve HTTPS
	Domains         []string
	KeysFile        string   // JSON list of extra access keys
	KMSKeys         []string // SSE-KMS key ids writes may name (nil: any)
	// LifecycleDay is the length of a lifecycle rule's day (0: 24 h);
	// shorter only to test rules.
	LifecycleDay      time.Duration
	AccessLog         bool
	ReadHeaderTimeout time.Duration // default 30 s
	// BodyTimeout is how long a request body may stall, or a response
	// write block, before the request fails (default 20 s).
	BodyTimeout time.Duration
	IdleTimeout time.Duration // idle keep-alive connections close (default 60 s)
	// MemoryBudget bounds the request buffers in flight, in bytes
	// (default 512 MiB; negative: unbounded).
	MemoryBudget int64
	RateLimit    float64 // requests per second per access key (0: off)
	// AdminToken, when set, logs in to the console on a non-loopback
	// admin listener (the root S3 credentials always do).
	AdminToken string
}

// DefaultMemoryBudget is the default S3Config.MemoryBudget.
const DefaultMemoryBudget = 512 << 20

// memory returns the budget of MemoryBudget, nil if unbounded.
func (c S3Config) memory() *gateway.MemoryBudget {
	switch {
	case c.MemoryBudget < 0:
		return nil
	case c.MemoryBudget == 0:
		return gateway.NewMemoryBudget(DefaultMemoryBudget, 0)
	}
	return gateway.NewMemoryBudget(c.MemoryBudget, 0)
}

// Scheme is the URL scheme the S3 listener serves.
func (c S3Config) Scheme() string {
	if c.TLSCert != "" {
		return "https"
	}
	return "http"
}

// SettleConfig tunes the User's orders. Zero fields take defaults.
type SettleConfig struct {
	Price    *big.Int      // token wei per byte per epoch (default 1)
	Term     uint64        // epochs an order runs before renewal (default 720)
	Interval time.Duration // how often changed orders are updated (default 10 s)
	Deposit  *big.Int      // MEMO kept deposited, token wei (default 5 MEMO)
}

func (c SettleConfig) withDefaults() SettleConfig {
	if c.Price == nil {
		c.Price = big.NewInt(1)
	}
	if c.Term == 0 {
		c.Term = 720
	}
	if c.Interval <= 0 {
		c.Interval = 10 * time.Second
	}
	if c.Deposit == nil {
		c.Deposit = chain.MEMO(5)
	}
	return c
}

// UserConfig configures the User role: the S3 gateway over MEFS.
type UserConfig struct {
	Dir string
	// Providers are multiaddrs ending in /p2p/<peer id>, for a gateway
	// without Chain.
	Providers []string
	K, M      int
	ChunkSize int
	Creds     Credentials
	S3        S3Config
	Admin     string // admin listener address; "" = none
	Log       *slog.Logger
	// Chain, if set, is the User's settlement client (the User takes
	// ownership): Providers then come from the on-chain registry, with orders.
	Chain  chain.Client
	Settle SettleConfig
	// MasterKey derives object keys; nil: a random one kept in DIR/master.key.
	MasterKey []byte
	// Scrub paces the scrubber (zero: its defaults).
	Scrub ScrubConfig
	// NodeKey, if set, is the libp2p key used when DIR/node.key does not
	// exist: derived from the wallet, so a rebuilt gateway keeps its peer id.
	NodeKey libp2pcrypto.PrivKey
	// Recover, with Chain, rebuilds the metadata from the snapshot the
	// chain names when DIR holds none (metabackup.go).
	Recover bool
	// Backup paces metadata snapshots onto Providers (with Chain).
	Backup BackupConfig
	// InlineMax is the largest object kept sealed in the metadata instead of
	// in stripes (0: user.DefaultInlineMax; negative: none).
	InlineMax int
	// PackMax is the largest object packed with others into shared stripes
	// (0: user.DefaultPackMax; negative: none).
	PackMax int
	// CompactInterval is how often sparse packs are compacted (zero:
	// user.Config's default, 30 s).
	CompactInterval time.Duration
	// GoneAfter is how long a Provider may fail without one success before
	// its chunks are re-placed (zero: user.Config's default, 10 min).
	GoneAfter time.Duration
}

// ScrubConfig paces the scrubber, which asks Providers to verify every
// chunk in place: Rate chunks per second (negative: off), a full pass every
// Interval.
type ScrubConfig struct {
	Rate     float64
	Interval time.Duration
}

// User is a running gateway.
type User struct {
	Host    host.Host
	Store   *meta.Store
	Layer   *user.Layer
	Settler *user.Settler // nil without settlement
	Addr    string        // the S3 listener's address
	// Metrics is the registry /metrics serves; a devnet adds its
	// Providers' collectors to it.
	Metrics *prometheus.Registry
	cfg     UserConfig
	// status answers /status: the User's own, or its devnet's.
	status func(context.Context) Status
	admin  *adminServer
	server *http.Server
	memory *gateway.MemoryBudget // nil: unbounded
	done   chan struct{}
	stack  closers
	loops  sync.WaitGroup // background loops, waited for on Close
	fresh  bool           // the metadata store did not exist before this start
	backup *metaBackup    // nil without settlement
	roles  *roleCollector // role and chain metrics on /metrics
}

// StartUser starts a gateway: its libp2p host, metadata store, Providers
// (orders on chain, or the configured ones), the S3 listener and the admin
// listener.
func StartUser(cfg UserConfig) (*User, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	u := &User{cfg: cfg, done: make(chan struct{})}
	if err := u.start(); err != nil {
		u.stack.close()
		return nil, err
	}
	return u, nil
}

// start opens, recovers and starts everything; on failure the caller closes
// what it added to the stack.
func (u *User) start() error {
	if err := u.openStores(); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	// Background loops (gc, repair, order updates) stop, and are waited
	// for, before the store and host close: closers run last added first.
	u.stack.add(func() {
		cancel()
		u.loops.Wait()
	})
	if err := u.recoverMetadata(ctx); err != nil {
		return err
	}
	roster, err := u.roster(ctx)
	if err != nil {
		return err
	}
	if err := u.startLayer(ctx, roster); err != nil {
		return err
	}
	return u.serve(ctx)
}

// openStores opens the User's host and metadata store.
func (u *User) openStores() error {
	cfg := u.cfg
	if err := durable.MkdirAll(cfg.Dir); err != nil {
		return fmt.Errorf("create gateway folder: %w", err)
	}
	if cfg.Chain != nil {
		u.stack.add(func() { cfg.Chain.Close() })
	}
	key, err := p2p.OpenIdentity(filepath.Join(cfg.Dir, "node.key"), cfg.NodeKey)
	if err != nil {
		return err
	}
	if u.Host, err = p2p.NewUserHost(key, "/ip4/127.0.0.1/tcp/0"); err != nil {
		return err
	}
	u.stack.add(func() { u.Host.Close() })
	_, statErr := os.Stat(filepath.Join(cfg.Dir, "meta"))
	u.fresh = errors.Is(statErr, fs.ErrNotExist)
	if u.Store, err = meta.Open(filepath.Join(cfg.Dir, "meta"), cfg.Log); err != nil {
		return err
	}
	u.stack.add(func() { u.Store.Close() })
	return nil
}

// roster returns the Providers the User places chunks on: with a chain, a
// Settler with orders; without, the configured Providers.
func (u *User) roster(ctx context.Context) (user.Roster, error) {
	net := &p2p.Client{Host: u.Host}
	if u.cfg.Chain == nil {
		infos, err := p2p.ParsePeerAddrs(u.cfg.Providers)
		if err != nil {
			return nil, err
		}
		var ids []peer.ID
		for _, in := range infos {
			u.Host.Peerstore().AddAddrs(in.ID, in.Addrs, peerstore.PermanentAddrTTL)
			ids = append(ids, in.ID)
		}
		return user.NewFixed(ids), nil
	}
	s, err := startSettler(ctx, u.cfg, u.Host, net, u.Store)
	if err != nil {
		return nil, err
	}
	u.Settler = s
	return s, nil
}

// startLayer builds the ObjectLayer, recovers what a crash left, and runs
// its background work (and the roster's) until ctx ends.
func (u *User) startLayer(ctx context.Context, roster user.Roster) error {
	cfg := u.cfg
	master, err := u.masterKey()
	if err != nil {
		return err
	}
	var mem user.Memory
	if u.memory = cfg.S3.memory(); u.memory != nil {
		mem = u.memory
	}
	ucfg := user.Config{K: cfg.K, M: cfg.M, ChunkSize: cfg.ChunkSize, MasterKey: master, Memory: mem,
		ScrubRate: cfg.Scrub.Rate, ScrubInterval: cfg.Scrub.Interval, GoneAfter: cfg.GoneAfter, InlineMax: cfg.InlineMax, PackMax: cfg.PackMax,
		CompactInterval: cfg.CompactInterval}
	if u.Settler != nil {
		proven := &provenEpochs{chain: cfg.Chain, accounts: u.Settler.Accounts}
		ucfg.Proven = proven
		u.loops.Go(func() { proven.run(ctx) })
	}
	l, err := user.New(ucfg, u.Store, &p2p.Client{Host: u.Host}, roster, cfg.Log)
	if err != nil {
		return err
	}
	if err := l.Recover(); err != nil {
		return err
	}
	if s, ok := roster.(*user.Settler); ok {
		s.OnFailing, s.OnRecovered = l.MarkFailing, l.ClearFailing
	}
	u.Layer = l
	if u.Settler != nil {
		u.backup = &metaBackup{layer: l, chain: cfg.Chain, store: u.Store, creds: cfg.Creds, cfg: cfg.Backup.withDefaults(), log: cfg.Log.With("component", "metadata-backup")}
		u.loops.Go(func() { u.backup.run(ctx) })
	}
	u.loops.Go(func() { l.Run(ctx) })
	u.loops.Go(func() { roster.Run(ctx) })
	return nil
}

// masterKey is the key every object key derives from: the configured one
// (from the wallet), else a random one kept in DIR/master.key.
func (u *User) masterKey() ([]byte, error) {
	if u.cfg.MasterKey != nil {
		return u.cfg.MasterKey, nil
	}
	return LoadOrCreateSecret(filepath.Join(u.cfg.Dir, "master.key"), 32)
}

// serve starts the S3 and admin listeners, and the lifecycle passes, which
// run until ctx ends.
func (u *User) serve(ctx context.Context) error {
	cfg := u.cfg
	secrets, err := u.secrets()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.S3.Addr)
	if err != nil {
		return fmt.Errorf("listen for S3 on %s: %w", cfg.S3.Addr, err)
	}
	u.Addr = ln.Addr().String()
	verifier := &sigv4.Verifier{Secret: func(ak string) (string, bool) {
		sk, ok := secrets[ak]
		return sk, ok
	}}
	s3 := gateway.NewServer(u.Layer, verifier, cfg.Log)
	s3.Domains = cfg.S3.Domains
	s3.KMSKeys = cfg.S3.KMSKeys
	s3.LifecycleDay = cfg.S3.LifecycleDay
	s3.AccessLog = cfg.S3.AccessLog
	s3.BodyTimeout = cfg.S3.BodyTimeout
	s3.Rate = gateway.NewRateLimiter(cfg.S3.RateLimit)
	reg := prometheus.NewRegistry()
	u.Metrics = reg
	s3.Observe = newS3Metrics(reg).observe()
	reg.MustRegister(repairCollector{layer: u.Layer})
	u.roles = &roleCollector{}
	if cfg.Chain != nil {
		u.roles.add(nil, nil, cfg.Chain)
	}
	reg.MustRegister(u.roles)
	if u.memory != nil {
		registerBudget(reg, u.memory)
	}
	if cfg.Admin != "" {
		if u.admin, err = startAdmin(cfg.Admin, adminHandlers{reg: reg, ready: u.Layer.Ready, status: u.Status, login: u.consoleLogin}, cfg.Log); err != nil {
			ln.Close()
			return err
		}
		u.stack.add(u.admin.Close)
	}
	u.server = s3.HTTPServer(countBytes(s3, newBytesCounter(reg)), cfg.S3.ReadHeaderTimeout, cfg.S3.IdleTimeout)
	go u.runS3(ln)
	lc := &gateway.Lifecycle{Layer: u.Layer, Log: cfg.Log, Day: cfg.S3.LifecycleDay}
	registerLifecycle(reg, lc)
	u.loops.Go(func() { lc.Run(ctx) })
	return nil
}

func (u *User) runS3(ln net.Listener) {
	defer close(u.done)
	var err error
	if u.cfg.S3.TLSCert != "" {
		err = u.server.ServeTLS(ln, u.cfg.S3.TLSCert, u.cfg.S3.TLSKey)
	} else {
		err = u.server.Serve(ln)
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		u.cfg.Log.Error("S3 server stopped", "err", err)
	}
}

// secrets returns the access key → secret key map: the root credentials
// plus any from the keys file.
func (u *User) secrets() (map[string]string, error) {
	m := map[string]string{u.cfg.Creds.AccessKey: u.cfg.Creds.SecretKey}
	if u.cfg.S3.KeysFile == "" {
		return m, nil
	}
	extra, err := readKeysFile(u.cfg.S3.KeysFile)
	for _, c := range extra {
		m[c.AccessKey] = c.SecretKey
	}
	return m, err
}

// S3URL is the S3 endpoint's URL.
func (u *User) S3URL() string { return u.cfg.S3.Scheme() + "://" + u.Addr }

// AdminURL is the admin listener's URL ("" if there is none).
func (u *User) AdminURL() string { return u.admin.URL() }

// Close stops the gateway, letting requests in flight finish for a while.
func (u *User) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = u.server.Shutdown(ctx) // past the timeout, connections are dropped
	<-u.done
	u.stack.close()
}

// Status reports the state of the gateway (or of the devnet it runs in).
func (u *User) Status(ctx context.Context) Status {
	if u.status != nil {
		return u.status(ctx)
	}
	return u.userOnlyStatus(ctx)
}

func (u *User) userOnlyStatus(ctx context.Context) Status {
	st := Status{Time: time.Now().UTC(), Roles: []string{"user"}}
	us, err := u.userStatus(ctx)
	if err != nil {
		st.Errors = append(st.Errors, err.Error())
	}
	st.User = us
	if st.Buckets, err = u.bucketStatus(ctx); err != nil {
		st.Errors = append(st.Errors, err.Error())
	}
	return st
}

func (u *User) userStatus(ctx context.Context) (*UserStatus, error) {
	snap, err := u.Layer.Snapshot()
	us := &UserStatus{PeerID: u.Host.ID().String(), S3: u.S3URL(), EC: strconv.Itoa(snap.K) + "+" + strconv.Itoa(snap.M),
		ChunkSize: snap.ChunkSize, RepairQueue: snap.RepairQueue, Garbage: snap.Garbage, ChunkLatency: snap.ChunkLatency.String()}
	us.RepairedChunks, us.RepairedBytes = snap.RepairedChunks, snap.RepairedBytes
	for n, c := range snap.StripesByChunks {
		if us.StripesByChunks == nil {
			us.StripesByChunks = map[string]int{}
		}
		us.StripesByChunks[strconv.Itoa(n)] = c
	}
	for m, n := range snap.RepairByMargin {
		if us.RepairByMargin == nil {
			us.RepairByMargin = map[string]int{}
		}
		us.RepairByMargin[strconv.Itoa(m)] = n
	}
	for _, p := range snap.Providers {
		us.Providers = append(us.Providers, ProviderHealth{PeerID: p.ID.String(), Connected: p.Connected, Suspect: p.Suspect,
			Health: p.Health.String(), Reason: p.Reason})
	}
	if u.backup != nil {
		b := u.backup.Status()
		us.MetaBackup = &b
	}
	if r, rerr := u.Layer.AtRiskObjects(atRiskListed); rerr == nil && r.Count > 0 {
		us.AtRisk = &AtRiskStatus{Count: r.Count, Objects: r.Objects}
	}
	if err != nil || u.Settler == nil {
		return us, err
	}
	us.Account = u.Settler.Chain.Address().Hex()
	orders, err := u.Settler.Orders(ctx)
	for _, o := range orders {
		us.Orders = append(us.Orders, OrderStatus{Provider: o.Provider.String(), Account: o.Account.Hex(), Size: o.Order.Size,
			Price: o.Order.Price.String(), End: o.Order.End, Root: o.Order.Root.Hex(), Nonce: o.Order.Nonce, Escrow: chain.FormatMEMO(o.Order.Escrow)})
	}
	return us, err
}
