package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"path/filepath"
	"time"

	"github.com/mefs-project/mefs/backend/node"
)

// devnetFlags are the devnet's flags.
type devnetFlags struct {
	dir, level, faults, liars string
	s3                        s3Flags
	coding                    codingFlags
	settle                    settleFlags
	scrub                     scrubFlags
	providers, keepers        int
	rpcPort                   int
	epoch, backup             time.Duration
}

func (f *devnetFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.dir, "dir", "mefs-devnet", "folder for all of the devnet's state; reused on restart")
	f.s3.register(fs)
	fs.IntVar(&f.providers, "providers", 6, "number of Providers")
	fs.IntVar(&f.keepers, "keepers", 4, "number of Keepers")
	f.coding.register(fs)
	fs.DurationVar(&f.epoch, "epoch", 15*time.Second, "settlement epoch length (short, so challenges, certificates and payouts show within a minute)")
	fs.IntVar(&f.rpcPort, "rpc-port", 0, "port of the chain's JSON-RPC endpoint on 127.0.0.1 (0: any free port)")
	fs.StringVar(&f.level, "log-level", "info", "log level: debug, info, warn, error")
	f.settle.register(fs)
	f.scrub.register(fs)
	fs.DurationVar(&f.backup, "meta-backup", 30*time.Second, "how often changed metadata is snapshotted onto Providers, its root recorded on chain (negative: never)")
	fs.StringVar(&f.faults, "test-prover-faults", "", "test only: altered Providers' provers, e.g. 0:drop=0.5,2:replay")
	fs.StringVar(&f.liars, "test-lying-keepers", "", "test only: comma-separated indexes of Keepers that sign the opposite verdict")
}

// config turns the flags into a node.DevnetConfig.
func (f *devnetFlags) config() (node.DevnetConfig, error) {
	cfg := node.DevnetConfig{Dir: f.dir, Admin: f.s3.Admin, Providers: f.providers, Keepers: f.keepers,
		Epoch: f.epoch, RPCPort: f.rpcPort, Log: newLogger(f.level), Scrub: f.scrub.ScrubConfig}
	cfg.Backup.Interval = f.backup
	var err error
	if cfg.S3, err = f.s3.config(); err != nil {
		return cfg, err
	}
	if cfg.K, cfg.M, cfg.ChunkSize, err = f.coding.parse(); err != nil {
		return cfg, err
	}
	if cfg.PackMax, err = f.coding.packMax(); err != nil {
		return cfg, err
	}
	cfg.CompactInterval = f.coding.compact
	if cfg.InlineMax, err = f.coding.inlineMax(); err != nil {
		return cfg, err
	}
	if cfg.Settle, err = f.settle.config(); err != nil {
		return cfg, err
	}
	if cfg.ProverFaults, err = parseProverFaults(f.faults); err != nil {
		return cfg, err
	}
	cfg.KeeperFaults, err = parseLyingKeepers(f.liars)
	return cfg, err
}

func runDevnet(args []string) error {
	fs := flag.NewFlagSet("devnet", flag.ExitOnError)
	var f devnetFlags
	f.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := f.config()
	if err != nil {
		return err
	}
	// A busy port found now, not after the chain, the nodes and their
	// registrations are up.
	if err := portFree(cfg.S3.Addr); err != nil {
		return fmt.Errorf("S3 address --s3 %s: %w", cfg.S3.Addr, err)
	}
	d, err := node.StartDevnet(context.Background(), cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	cfg.Log.Info("devnet ready", "s3", d.Info.S3, "providers", f.providers, "keepers", f.keepers, "ec", f.coding.ec, "rpc", d.Info.RPC, "dir", f.dir)
	printDevnet(d, f.dir)
	waitForSignal()
	return nil
}

// printDevnet tells the person at the terminal how to reach the devnet.
func printDevnet(d *node.Devnet, dir string) {
	info := d.Info
	fmt.Printf("MEFS devnet is up.\n  S3 endpoint: %s\n  access key:  %s\n  secret key:  %s\n", info.S3, info.AccessKey, info.SecretKey)
	if d.CredentialsCreated {
		fmt.Printf("  (credentials generated and saved in %s)\n", filepath.Join(dir, "credentials.json"))
	}
	fmt.Printf("  chain RPC:   %s (chain id %d)\n", info.RPC, info.ChainID)
	if info.Admin != "" {
		fmt.Printf("  console:     %s/console/\n", info.Admin)
		fmt.Printf("  metrics:     %s/metrics (health: /health/live, /health/ready; status: /status)\n", info.Admin)
	}
	fmt.Printf("  details:     %s\nPress Ctrl-C to stop.\n", filepath.Join(dir, "devnet.json"))
}

// portFree reports whether addr can be listened on now (":0" always can).
func portFree(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return ln.Close()
}
