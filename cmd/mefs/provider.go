package main

import (
	"context"
	"crypto/ecdsa"
	"flag"
	"fmt"
	"math/big"
	"path/filepath"

	"github.com/mefs-project/mefs/backend/node"
)

// roleFlags are the flags a Provider and a Keeper share.
type roleFlags struct {
	dir, level, pledge string
	listen             listFlag
	chain              chainFlags
}

func (f *roleFlags) register(fs *flag.FlagSet, role string) {
	fs.StringVar(&f.dir, "dir", "mefs-"+role, "folder for the "+role+"'s data, key and wallet")
	fs.Var(&f.listen, "listen", "libp2p listen multiaddrs (default TCP and QUIC on 127.0.0.1, random ports)")
	fs.StringVar(&f.level, "log-level", "info", "log level: debug, info, warn, error")
	fs.StringVar(&f.pledge, "pledge", "1", "MEMO to pledge when registering")
	f.chain.register(fs, "")
}

func runProvider(args []string) error {
	fs := flag.NewFlagSet("provider", flag.ExitOnError)
	var f roleFlags
	f.register(fs, "provider")
	minPrice := fs.String("min-price", "1", "lowest order price accepted, token wei per byte per epoch")
	maxTerm := fs.Uint64("max-term", 0, "farthest an order may end, in epochs ahead (0: the default, 2^20)")
	slack := fs.String("quota-slack", "1GiB", "how much a User may store beyond what its orders pay for (chunks written since its last order update)")
	faults := fs.String("test-prover-faults", "", "test only: an altered prover, drop=F (loses a fraction F of sampled chunks) or replay")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	ctx := context.Background()
	cfg, err := providerConfig(ctx, &f, *minPrice, *maxTerm)
	if err != nil {
		return err
	}
	if cfg.QuotaSlack, err = parseSize(*slack); err != nil {
		return fmt.Errorf("--quota-slack: %w", err)
	}
	if *faults != "" {
		fm, err := parseProverFaults("0:" + *faults)
		if err != nil {
			return err
		}
		cfg.Faults = fm[0]
	}
	p, err := node.StartProvider(ctx, cfg)
	if err != nil {
		return err
	}
	info := node.ProviderInfo{PeerID: p.Host.ID().String(), Addrs: p.Addrs()}
	if cfg.Chain != nil {
		info.Account = cfg.Chain.Address().Hex()
	}
	if err := node.WriteJSON(filepath.Join(f.dir, "provider.json"), info); err != nil {
		return err
	}
	cfg.Log.Info("provider ready", "peer", info.PeerID, "addrs", info.Addrs)
	waitForSignal()
	p.Close()
	return nil
}

// providerConfig turns the Provider's flags into a node.ProviderConfig,
// dialing the chain when one is given.
func providerConfig(ctx context.Context, f *roleFlags, minPrice string, maxTerm uint64) (node.ProviderConfig, error) {
	if f.chain.WalletDir == "" {
		f.chain.WalletDir = filepath.Join(f.dir, "wallet")
	}
	cfg := node.ProviderConfig{Dir: f.dir, Listen: f.listen, Log: newLogger(f.level), MaxTerm: maxTerm}
	var ok bool
	if cfg.MinPrice, ok = new(big.Int).SetString(minPrice, 10); !ok || cfg.MinPrice.Sign() <= 0 {
		return cfg, fmt.Errorf("--min-price %q: want a positive integer of token wei", minPrice)
	}
	var err error
	if cfg.Pledge, err = node.ParseMEMO(f.pledge); err != nil || !f.chain.enabled() {
		return cfg, err
	}
	var key *ecdsa.PrivateKey
	if cfg.Chain, key, err = f.chain.dial(ctx, true, cfg.Log); err != nil {
		return cfg, err
	}
	cfg.NodeKey, err = node.NodeKeyOf(key)
	return cfg, err
}
