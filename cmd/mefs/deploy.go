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
	faucet                       string
	keeperShare, slash           uint
	certifyWindow                uint64
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
	fs.StringVar(&d.faucet, "faucet", "auto", "token faucet: on, off, or auto (on only for the devnet chain id 1337)")
	fs.UintVar(&d.keeperShare, "keeper-share-bps", 1000, "signing Keepers' share of a certified epoch's income, basis points")
	fs.UintVar(&d.slash, "slash-bps", 1000, "share of a Provider's pledge slashed per failed epoch, basis points")
	fs.Uint64Var(&d.certifyWindow, "certify-window", 24, "epochs after its end an epoch can still be certified")
	fs.StringVar(&d.out, "out", "deployment.json", "file to write the deployment to (empty: only print it)")
	fs.StringVar(&d.level, "log-level", "warn", "log level: debug, info, warn, error")
}

// params are the deployment's parameters on chain chainID.
func (d *deployFlags) params(chainID uint64) (chain.DeployParams, error) {
	p := chain.DefaultDeployParams()
	p.EpochLength, p.UnlockDelay = d.epoch, d.unlock
	if p.RandomnessDelay >= p.EpochLength {
		p.RandomnessDelay = (p.EpochLength / 5).Truncate(time.Second)
	}
	if d.keeperShare > 10000 || d.slash > 10000 {
		return p, fmt.Errorf("--keeper-share-bps %d, --slash-bps %d: at most 10000", d.keeperShare, d.slash)
	}
	p.KeeperShareBps, p.SlashBps, p.CertifyWindow, p.FailingEpochs = uint16(d.keeperShare), uint16(d.slash), d.certifyWindow, d.certifyWindow
	switch d.faucet {
	case "auto":
		p.Faucet = chainID == chain.SimulatedChainID
	case "on":
		p.Faucet = true
	case "off":
		p.Faucet = false
	default:
		return p, fmt.Errorf("--faucet %q: want on, off or auto", d.faucet)
	}
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
	p, err := d.params(c.ChainID().Uint64())
	if err != nil {
		return err
	}
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
