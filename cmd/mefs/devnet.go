package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"time"

	"github.com/mefs-project/mefs/backend/node"
)

func runDevnet(args []string) error {
	fs := flag.NewFlagSet("devnet", flag.ExitOnError)
	dir := fs.String("dir", "mefs-devnet", "folder for all of the devnet's state; reused on restart")
	var s3 s3Flags
	s3.register(fs)
	n := fs.Int("providers", 6, "number of Providers")
	keepers := fs.Int("keepers", 4, "number of Keepers")
	var coding codingFlags
	coding.register(fs)
	epoch := fs.Duration("epoch", 15*time.Second, "settlement epoch length (short, so challenges, certificates and payouts show within a minute)")
	rpcPort := fs.Int("rpc-port", 0, "port of the chain's JSON-RPC endpoint on 127.0.0.1 (0: any free port)")
	level := fs.String("log-level", "info", "log level: debug, info, warn, error")
	var settle settleFlags
	settle.register(fs)
	var scrub scrubFlags
	scrub.register(fs)
	backup := fs.Duration("meta-backup", 30*time.Second, "how often changed metadata is snapshotted onto Providers, its root recorded on chain (negative: never)")
	faults := fs.String("test-prover-faults", "", "test only: altered Providers' provers, e.g. 0:drop=0.5,2:replay")
	liars := fs.String("test-lying-keepers", "", "test only: comma-separated indexes of Keepers that sign the opposite verdict")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg := node.DevnetConfig{Dir: *dir, Admin: s3.Admin, Providers: *n, Keepers: *keepers,
		Epoch: *epoch, RPCPort: *rpcPort, Log: newLogger(*level)}
	var err error
	if cfg.S3, err = s3.config(); err != nil {
		return err
	}
	if cfg.K, cfg.M, cfg.ChunkSize, err = coding.parse(); err != nil {
		return err
	}
	if cfg.Settle, err = settle.config(); err != nil {
		return err
	}
	cfg.Scrub = scrub.ScrubConfig
	cfg.Backup.Interval = *backup
	if cfg.ProverFaults, err = parseProverFaults(*faults); err != nil {
		return err
	}
	if cfg.KeeperFaults, err = parseLyingKeepers(*liars); err != nil {
		return err
	}
	d, err := node.StartDevnet(context.Background(), cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	cfg.Log.Info("devnet ready", "s3", d.Info.S3, "providers", *n, "keepers", *keepers, "ec", coding.ec, "rpc", d.Info.RPC, "dir", *dir)
	printDevnet(d, *dir)
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
		fmt.Printf("  metrics:     %s/metrics (health: /health/live, /health/ready; status: /status)\n", info.Admin)
	}
	fmt.Printf("  details:     %s\nPress Ctrl-C to stop.\n", filepath.Join(dir, "devnet.json"))
}
