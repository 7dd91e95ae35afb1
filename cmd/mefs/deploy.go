package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
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

// runDeploy deploys MemoToken, Registry and Settlement with the wallet's
// account (which must hold gas).
func runDeploy(args []string) error {
	fs := flag.NewFlagSet("deploy", flag.ExitOnError)
	var cf chainFlags // all but --contracts, which deploy creates
	full := flag.NewFlagSet("", flag.ContinueOnError)
	cf.register(full, "mefs-wallet")
	full.VisitAll(func(f *flag.Flag) {
		switch f.Name {
		case "contracts":
		case "wallet":
			fs.Var(f.Value, f.Name, "keystore folder of the deployer's account (it pays the gas)")
		default:
			fs.Var(f.Value, f.Name, f.Usage)
		}
	})
	epoch := fs.Duration("epoch", time.Hour, "settlement epoch length (whole seconds, ≥ 1s)")
	providerPledge := fs.String("provider-pledge", "1", "minimum Provider pledge, MEMO")
	keeperPledge := fs.String("keeper-pledge", "1", "minimum Keeper pledge, MEMO")
	unlock := fs.Duration("unlock-delay", time.Hour, "pledge lock after deregistering")
	out := fs.String("out", "deployment.json", "file to write the deployment to (empty: only print it)")
	level := fs.String("log-level", "warn", "log level: debug, info, warn, error")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if !cf.enabled() {
		return errors.New("deploy: --chain is required")
	}
	p := chain.DeployParams{EpochLength: *epoch, UnlockDelay: *unlock}
	var err error
	if p.ProviderMinPledge, err = node.ParseMEMO(*providerPledge); err != nil {
		return fmt.Errorf("--provider-pledge: %w", err)
	}
	if p.KeeperMinPledge, err = node.ParseMEMO(*keeperPledge); err != nil {
		return fmt.Errorf("--keeper-pledge: %w", err)
	}
	if *epoch%time.Second != 0 || *unlock%time.Second != 0 {
		return fmt.Errorf("--epoch %v and --unlock-delay %v must be whole seconds", *epoch, *unlock)
	}
	key, err := cf.key(false)
	if err != nil {
		return err
	}
	ctx := context.Background()
	c, err := chain.Dial(ctx, cf.URL, key, chain.Options{Logger: newLogger(*level)})
	if err != nil {
		return err
	}
	defer c.Close()
	ct, err := c.Deploy(ctx, p)
	if err != nil {
		return fmt.Errorf("deploy from %s: %w", c.Address(), err)
	}
	info := deploymentInfo{RPC: cf.URL, ChainID: c.ChainID().Uint64(), Deployer: c.Address().Hex(), Contracts: ct}
	b, _ := json.MarshalIndent(info, "", "  ")
	b = append(b, '\n')
	if *out != "" {
		tmp := filepath.Join(filepath.Dir(*out), "."+filepath.Base(*out)+".tmp")
		if err := os.WriteFile(tmp, b, 0o644); err != nil {
			return fmt.Errorf("write deployment: %w", err)
		}
		if err := os.Rename(tmp, *out); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("write deployment: %w", err)
		}
	}
	os.Stdout.Write(b)
	return nil
}
