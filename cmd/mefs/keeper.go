package main

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"flag"
	"path/filepath"

	"github.com/mefs-project/mefs/backend/node"
)

func runKeeper(args []string) error {
	fs := flag.NewFlagSet("keeper", flag.ExitOnError)
	var f roleFlags
	f.register(fs, "keeper")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if f.chain.WalletDir == "" {
		f.chain.WalletDir = filepath.Join(f.dir, "wallet")
	}
	if !f.chain.enabled() {
		return errors.New("a Keeper needs --chain and --contracts")
	}
	cfg := node.KeeperConfig{Dir: f.dir, Listen: f.listen, Log: newLogger(f.level)}
	var err error
	if cfg.Pledge, err = node.ParseMEMO(f.pledge); err != nil {
		return err
	}
	ctx := context.Background()
	var key *ecdsa.PrivateKey
	if cfg.Chain, key, err = f.chain.dial(ctx, true, cfg.Log); err != nil {
		return err
	}
	if cfg.NodeKey, err = node.NodeKeyOf(key); err != nil {
		return err
	}
	k, err := node.StartKeeper(ctx, cfg)
	if err != nil {
		cfg.Chain.Close()
		return err
	}
	info := node.NodeInfo{PeerID: k.Host.ID().String(), Account: cfg.Chain.Address().Hex()}
	if err := node.WriteJSON(filepath.Join(f.dir, "keeper.json"), info); err != nil {
		return err
	}
	cfg.Log.Info("keeper registered", "peer", info.PeerID, "account", info.Account)
	waitForSignal()
	k.Close()
	return nil
}
