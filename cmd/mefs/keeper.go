package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"

	"github.com/libp2p/go-libp2p/core/host"

	"github.com/mefs-project/mefs/backend/p2p"
	"github.com/mefs-project/mefs/chain"
)

// keeperNode is a running Keeper: registered and pledged on chain with its
// libp2p identity. Challenging Providers and verifying their proofs is the
// verification work still to come; today a Keeper holds its registration.
type keeperNode struct {
	Host  host.Host
	Chain chain.Client
}

func startKeeper(ctx context.Context, dir string, listen []string, c chain.Client, pledge *big.Int, log *slog.Logger) (*keeperNode, error) {
	key, err := p2p.LoadIdentity(filepath.Join(dir, "node.key"))
	if err != nil {
		return nil, err
	}
	h, err := p2p.NewHost(key, listen...)
	if err != nil {
		return nil, err
	}
	if err := ensureRegistered(ctx, c, chain.RoleKeeper, h.ID().String(), p2p.FullAddrs(h), pledge, log.With("keeper", h.ID().String())); err != nil {
		h.Close()
		return nil, err
	}
	return &keeperNode{Host: h, Chain: c}, nil
}

func (k *keeperNode) Close() {
	k.Host.Close()
	k.Chain.Close()
}

func runKeeper(args []string) error {
	fs := flag.NewFlagSet("keeper", flag.ExitOnError)
	dir := fs.String("dir", "mefs-keeper", "folder for the Keeper's key and wallet")
	var listen listFlag
	fs.Var(&listen, "listen", "libp2p listen multiaddrs (default TCP and QUIC on 127.0.0.1, random ports)")
	level := fs.String("log-level", "info", "log level: debug, info, warn, error")
	pledgeFlag := fs.String("pledge", "1", "MEMO to pledge when registering")
	var cf chainFlags
	cf.register(fs, "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if cf.WalletDir == "" {
		cf.WalletDir = filepath.Join(*dir, "wallet")
	}
	if !cf.enabled() {
		return fmt.Errorf("a Keeper needs --chain and --contracts")
	}
	if len(listen) == 0 {
		listen = listFlag{"/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"}
	}
	log := newLogger(*level)
	if err := os.MkdirAll(*dir, 0o700); err != nil {
		return fmt.Errorf("create keeper folder: %w", err)
	}
	pledge, err := parseMEMO(*pledgeFlag)
	if err != nil {
		return err
	}
	ctx := context.Background()
	c, _, err := cf.dial(ctx, true, log)
	if err != nil {
		return err
	}
	k, err := startKeeper(ctx, *dir, listen, c, pledge, log)
	if err != nil {
		c.Close()
		return err
	}
	b, _ := json.MarshalIndent(map[string]any{"peer_id": k.Host.ID().String(), "account": c.Address().Hex()}, "", "  ")
	if err := os.WriteFile(filepath.Join(*dir, "keeper.json"), b, 0o600); err != nil {
		return fmt.Errorf("write keeper info: %w", err)
	}
	log.Info("keeper registered", "peer", k.Host.ID(), "account", c.Address())
	waitForSignal()
	k.Close()
	return nil
}
