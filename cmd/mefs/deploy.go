package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/mefs-project/mefs/backend/node"
	"github.com/mefs-project/mefs/chain"
)

// deploymentInfo is what `mefs deploy` prints and writes; its contracts key
// is what --contracts FILE.json reads.
type deploymentInfo struct {
	RPC       string          `json:"rpc"`
	ChainID   uint64          `json:"chain_id"`
	Deployer  string          `json:"deployer"`
	Contracts chain.Contracts `json:"contracts"`
}

// deployFlags are mefs deploy's flags.
type deployFlags struct {
	cf                           chainFlags // all but --contracts, which deploy creates
	epoch, unlock                time.Duration
	providerPledge, keeperPledge string
	out, level                   string
}

func (d *deployFlags) register(fs *flag.FlagSet) {
	full := flag.NewFlagSet("", flag.ContinueOnError)
	d.cf.register(full, "mefs-wallet")
	full.VisitAll(func(f *flag.Flag) {
		switch f.Name {
		case "contracts":
		case "wallet":
			fs.Var(f.Value, f.Name, "keystore folder of the deployer's account (it pays the gas)")
		default:
			fs.Var(f.Value, f.Name, f.Usage)
		}
	})
	fs.DurationVar(&d.epoch, "epoch", time.Hour, "settlement epoch length (whole seconds, ≥ 1s)")
	fs.StringVar(&d.providerPledge, "provider-pledge", "1", "minimum Provider pledge, MEMO")
	fs.StringVar(&d.keeperPledge, "keeper-pledge", "1", "minimum Keeper pledge, MEMO")
	fs.DurationVar(&d.unlock, "unlock-delay", time.Hour, "pledge lock after deregistering")
	fs.StringVar(&d.out, "out", "deployment.json", "file to write the deployment to (empty: only print it)")
	fs.StringVar(&d.level, "log-level", "warn", "log level: debug, info, warn, error")
}

func (d *deployFlags) params() (chain.DeployParams, error) {
	p := chain.DeployParams{EpochLength: d.epoch, UnlockDelay: d.unlock}
	var err error
	if p.ProviderMinPledge, err = node.ParseMEMO(d.providerPledge); err != nil {
		return p, fmt.Errorf("--provider-pledge: %w", err)
	}
	if p.KeeperMinPledge, err = node.ParseMEMO(d.keeperPledge); err != nil {
		return p, fmt.Errorf("--keeper-pledge: %w", err)
	}
	if d.epoch%time.Second != 0 || d.unlock%time.Second != 0 {
		return p, fmt.Errorf("--epoch %v and --unlock-delay %v must be whole seconds", d.epoch, d.unlock)
	}
	return p, nil
}

// runDeploy deploys MemoToken, Registry and Settlement with the wallet's
// account (which must hold gas).
func runDeploy(args []string) error {
	fs := flag.NewFlagSet("deploy", flag.ExitOnError)
	var d deployFlags
	d.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if !d.cf.enabled() {
		return errors.New("deploy: --chain is required")
	}
	p, err := d.params()
	if err != nil {
		return err
	}
	key, err := d.cf.key(false)
	if err != nil {
		return err
	}
	ctx := context.Background()
	c, err := chain.Dial(ctx, d.cf.URL, key, chain.Options{Logger: newLogger(d.level)})
	if err != nil {
		return err
	}
	defer c.Close()
	ct, err := c.Deploy(ctx, p)
	if err != nil {
		return fmt.Errorf("deploy from %s: %w", c.Address(), err)
	}
	info := deploymentInfo{RPC: d.cf.URL, ChainID: c.ChainID().Uint64(), Deployer: c.Address().Hex(), Contracts: ct}
	b, _ := json.MarshalIndent(info, "", "  ")
	if d.out != "" {
		if err := node.WriteJSON(d.out, info); err != nil {
			return fmt.Errorf("write deployment: %w", err)
		}
	}
	fmt.Printf("%s\n", b)
	return nil
}
