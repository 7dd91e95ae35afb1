package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/big"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/mefs-project/mefs/backend/node"
	"github.com/mefs-project/mefs/backend/user"
)

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

func (f *settleFlags) config() (node.SettleConfig, error) {
	price, ok := new(big.Int).SetString(f.Price, 10)
	if !ok || price.Sign() <= 0 {
		return node.SettleConfig{}, fmt.Errorf("price %q: want a positive integer of token wei", f.Price)
	}
	dep, err := node.ParseMEMO(f.Deposit)
	return node.SettleConfig{Price: price, Term: f.Term, Interval: f.Interval, Deposit: dep}, err
}

// scrubFlags pace the scrubber.
type scrubFlags struct{ node.ScrubConfig }

func (f *scrubFlags) register(fs *flag.FlagSet) {
	fs.Float64Var(&f.Rate, "scrub-rate", 20, "chunks per second the scrubber asks Providers to verify in place (negative: off)")
	fs.DurationVar(&f.Interval, "scrub-interval", time.Hour, "pause between full scrub passes")
}

// s3Flags are the S3 front end's flags, shared by devnet and gateway.
type s3Flags struct {
	node.S3Config
	Domains      listFlag
	KMSKeys      listFlag
	Admin        string
	memoryBudget string
}

func (f *s3Flags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.Addr, "s3", "127.0.0.1:9000", "S3 listen address")
	fs.StringVar(&f.TLSCert, "tls-cert", "", "PEM certificate: serve S3 over HTTPS (with --tls-key)")
	fs.StringVar(&f.TLSKey, "tls-key", "", "PEM private key of --tls-cert")
	fs.Var(&f.Domains, "domain", "domain for virtual-hosted-style requests (<bucket>.<domain>); repeatable")
	fs.Var(&f.KMSKeys, "kms-keys", "SSE-KMS key ids writes may name, comma-separated, besides mefs/s3 (keys are derived from the wallet); others get 400 KMS.NotFoundException. Empty: any name is a key")
	fs.BoolVar(&f.AccessLog, "access-log", false, "log every S3 request (operation, bucket, key, status, latency) at info level")
	fs.StringVar(&f.Admin, "admin", "127.0.0.1:0", "admin listener: /metrics, /health/live, /health/ready, /status (empty: off)")
	fs.StringVar(&f.AdminToken, "admin-token", "", "token that logs in to the console on a non-loopback --admin (set it as MEFS_ADMIN_TOKEN; the root S3 credentials also log in)")
	fs.StringVar(&f.KeysFile, "keys", "", `JSON file of extra S3 access keys: [{"access_key":"...","secret_key":"..."}]`)
	fs.DurationVar(&f.BodyTimeout, "body-timeout", 20*time.Second, "a request body that stalls, or a response the client stops reading, this long fails (400 RequestTimeout)")
	fs.DurationVar(&f.IdleTimeout, "idle-timeout", 60*time.Second, "idle keep-alive connections are closed after this long")
	fs.DurationVar(&f.ReadHeaderTimeout, "header-timeout", 30*time.Second, "a request's headers must arrive within this long")
	fs.StringVar(&f.memoryBudget, "memory-budget", "512MiB", "memory for request buffers in flight (PUT, GET, parts); past it requests wait briefly, then get 503 SlowDown; 0: unbounded")
	fs.DurationVar(&f.LifecycleDay, "lifecycle-day", 24*time.Hour, "length of a day in bucket lifecycle rules (expirations, aborts); shorten it only to try rules out")
	fs.Float64Var(&f.RateLimit, "rate-limit", 0, "requests per second per access key (anonymous: per client address); past it 503 SlowDown; 0: off")
}

func (f *s3Flags) config() (node.S3Config, error) {
	c := f.S3Config
	c.Domains = f.Domains
	c.KMSKeys = f.KMSKeys
	c.MemoryBudget = -1
	if f.memoryBudget != "0" {
		n, err := parseSize(f.memoryBudget)
		if err != nil {
			return c, fmt.Errorf("--memory-budget: %w", err)
		}
		c.MemoryBudget = n
	}
	return c, nil
}

// codingFlags are the erasure code, chunk size and small-object thresholds.
type codingFlags struct {
	ec, chunk, inline, pack string
	compact                 time.Duration
}

func (f *codingFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.ec, "ec", "4+2", "erasure code k+m")
	fs.StringVar(&f.chunk, "chunk-size", "1MiB", "chunk size of a full stripe")
	fs.StringVar(&f.inline, "inline-max", "4KiB", "objects up to this size live sealed in the metadata (stored on Providers with its snapshots), not in stripes of their own; 0: none")
	fs.StringVar(&f.pack, "pack-max", "128KiB", "objects above --inline-max and up to this size share stripes (packs) with other small objects; 0: none")
	fs.DurationVar(&f.compact, "compact-interval", 30*time.Second, "how often packs left less than half live by deletes and overwrites are repacked")
}

// inlineMax is --inline-max as UserConfig.InlineMax.
func (f *codingFlags) inlineMax() (int, error) { return sizeLimit("--inline-max", f.inline) }

// packMax is --pack-max as UserConfig.PackMax.
func (f *codingFlags) packMax() (int, error) { return sizeLimit("--pack-max", f.pack) }

// sizeLimit parses a small-object threshold flag: "0" is -1 (none), and a
// limit is at most 1 MiB.
func sizeLimit(name, v string) (int, error) {
	if v == "0" {
		return -1, nil
	}
	n, err := parseSize(v)
	switch {
	case err != nil:
		return 0, fmt.Errorf("%s: %w", name, err)
	case n > 1<<20:
		return 0, fmt.Errorf("%s %s: at most 1MiB", name, v)
	}
	return int(n), nil
}

func (f *codingFlags) parse() (k, m, chunkSize int, err error) {
	if k, m, err = parseEC(f.ec); err != nil {
		return 0, 0, 0, err
	}
	size, err := parseSize(f.chunk)
	if size > math.MaxInt32 {
		return 0, 0, 0, fmt.Errorf("chunk size %q too large", f.chunk)
	}
	return k, m, int(size), err
}

// waitForSignal blocks until SIGINT or SIGTERM.
func waitForSignal() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	<-ch
}

func runGateway(args []string) error {
	recovering := len(args) > 0 && args[0] == "recover"
	if recovering {
		args = args[1:]
	}
	fs := flag.NewFlagSet("gateway", flag.ExitOnError)
	fs.Usage = func() { gatewayUsage(fs) }
	dir := fs.String("dir", "mefs-gateway", "folder for the gateway's metadata, keys and credentials")
	var s3 s3Flags
	s3.register(fs)
	var providers listFlag
	fs.Var(&providers, "providers", "Provider multiaddrs ending in /p2p/<peer id> (repeat or comma-separate)")
	var coding codingFlags
	coding.register(fs)
	level := fs.String("log-level", "info", "log level: debug, info, warn, error")
	var cf chainFlags
	cf.register(fs, "")
	var settle settleFlags
	settle.register(fs)
	var scrub scrubFlags
	scrub.register(fs)
	backup := fs.Duration("meta-backup", node.DefaultBackupInterval, "how often changed metadata is snapshotted onto Providers, its root recorded on chain (with --chain; negative: never)")
	goneAfter := fs.Duration("provider-gone-after", 10*time.Minute, "a Provider failing this long without one success is gone: its chunks are re-placed (sooner for stripes at risk)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := gatewayConfig(*dir, &s3, providers, &coding, &cf, &settle, *level, recovering)
	if err != nil {
		return err
	}
	cfg.Scrub = scrub.ScrubConfig
	cfg.Backup.Interval, cfg.GoneAfter = *backup, *goneAfter
	g, err := startUser(cfg)
	if err != nil {
		return err
	}
	cfg.Log.Info("gateway ready", "s3", g.S3URL(), "admin", g.AdminURL(), "peer", g.Host.ID(), "providers", len(providers), "ec", coding.ec)
	waitForSignal()
	g.Close()
	return nil
}

// startUser starts the gateway, with a progress line while it recovers.
func startUser(cfg node.UserConfig) (*node.User, error) {
	var bar *progress
	if cfg.Recover {
		bar = startProgress("recovering the metadata from Providers")
	}
	defer bar.Stop()
	return node.StartUser(cfg)
}

func gatewayUsage(fs *flag.FlagSet) {
	fmt.Fprint(fs.Output(), "usage: mefs gateway [recover] [flags]\n\n"+
		"recover: rebuild an empty --dir from the metadata snapshot the wallet's root on\n"+
		"chain names (needs --chain, --contracts and the wallet), then serve.\n\nflags:\n")
	fs.PrintDefaults()
}

// gatewayConfig turns the gateway's flags into a node.UserConfig.
func gatewayConfig(dir string, s3 *s3Flags, providers []string, coding *codingFlags, cf *chainFlags, settle *settleFlags, level string, recovering bool) (node.UserConfig, error) {
	if cf.WalletDir == "" {
		cf.WalletDir = filepath.Join(dir, "wallet")
	}
	cfg := node.UserConfig{Dir: dir, Admin: s3.Admin, Providers: providers, Log: newLogger(level)}
	var err error
	if cfg.S3, err = s3.config(); err != nil {
		return cfg, err
	}
	if cfg.K, cfg.M, cfg.ChunkSize, err = coding.parse(); err != nil {
		return cfg, err
	}
	if cfg.PackMax, err = coding.packMax(); err != nil {
		return cfg, err
	}
	cfg.CompactInterval = coding.compact
	if cfg.InlineMax, err = coding.inlineMax(); err != nil {
		return cfg, err
	}
	if cfg.Settle, err = settle.config(); err != nil {
		return cfg, err
	}
	// A recovery takes the root credentials from the snapshot.
	if !recovering {
		if err := loadRootCredentials(&cfg.Creds, filepath.Join(dir, "credentials.json")); err != nil {
			return cfg, err
		}
	}
	cfg.Recover = recovering
	if !cf.enabled() {
		if recovering {
			return cfg, errors.New("recover reads the metadata root on chain: give --chain and --contracts")
		}
		if len(providers) == 0 {
			return cfg, errors.New("give --chain (Providers from the on-chain registry) or --providers")
		}
		return cfg, nil
	}
	c, key, err := cf.dial(context.Background(), true, cfg.Log)
	if err != nil {
		return cfg, err
	}
	cfg.Chain, cfg.MasterKey = c, user.MasterFromWalletKey(key)
	cfg.NodeKey, err = node.NodeKeyOf(key)
	return cfg, err
}

// loadRootCredentials loads (or creates) the S3 root credentials, printing
// them when they were just generated.
func loadRootCredentials(c *node.Credentials, path string) error {
	creds, created, err := node.LoadCredentials(path)
	if err != nil {
		return err
	}
	if created {
		fmt.Printf("S3 credentials (saved in %s):\n  access key: %s\n  secret key: %s\n", path, creds.AccessKey, creds.SecretKey)
	}
	*c = creds
	return nil
}
