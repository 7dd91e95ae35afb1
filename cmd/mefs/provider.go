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
	"github.com/mefs-project/mefs/backend/provider"
	"github.com/mefs-project/mefs/chain"
)

// providerNode is a running Provider.
type providerNode struct {
	Host     host.Host
	Provider *provider.Provider
	Chain    chain.Client // nil without settlement
}

// startProvider starts a Provider in dir. With a chain client it registers
// (or refreshes) the Provider on chain, pledging pledge, and serves only
// Users with funded orders.
func startProvider(ctx context.Context, dir string, listen []string, c chain.Client, pledge *big.Int, log *slog.Logger) (*providerNode, error) {
	key, err := p2p.LoadIdentity(filepath.Join(dir, "node.key"))
	if err != nil {
		return nil, err
	}
	store, err := provider.OpenStore(dir)
	if err != nil {
		return nil, err
	}
	h, err := p2p.NewHost(key, listen...)
	if err != nil {
		return nil, err
	}
	log = log.With("provider", h.ID().String())
	var ledger provider.Ledger
	if c != nil {
		if err := ensureRegistered(ctx, c, chain.RoleProvider, h.ID().String(), p2p.FullAddrs(h), pledge, log); err != nil {
			h.Close()
			return nil, err
		}
		ledger = &provider.ChainLedger{Chain: c}
	}
	return &providerNode{Host: h, Provider: provider.NewWithLedger(h, store, ledger, log), Chain: c}, nil
}

func (p *providerNode) Close() {
	p.Provider.Close()
	p.Host.Close()
	if p.Chain != nil {
		p.Chain.Close()
	}
}

// providerInfo is what a Provider publishes about itself in DIR/provider.json.
type providerInfo struct {
	PeerID  string   `json:"peer_id"`
	Addrs   []string `json:"addrs"`
	Account string   `json:"account,omitempty"`
}

func runProvider(args []string) error {
	fs := flag.NewFlagSet("provider", flag.ExitOnError)
	dir := fs.String("dir", "mefs-provider", "folder for the Provider's chunks and key")
	var listen listFlag
	fs.Var(&listen, "listen", "libp2p listen multiaddrs (default TCP and QUIC on 127.0.0.1, random ports)")
	level := fs.String("log-level", "info", "log level: debug, info, warn, error")
	var cf chainFlags
	cf.register(fs, "")
	pledgeFlag := fs.String("pledge", "1", "MEMO to pledge when registering")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if cf.WalletDir == "" {
		cf.WalletDir = filepath.Join(*dir, "wallet")
	}
	if len(listen) == 0 {
		listen = listFlag{"/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"}
	}
	log := newLogger(*level)
	var err error
	if err := os.MkdirAll(*dir, 0o700); err != nil {
		return fmt.Errorf("create provider folder: %w", err)
	}
	ctx := context.Background()
	var c chain.Client
	if cf.enabled() {
		if c, _, err = cf.dial(ctx, true, log); err != nil {
			return err
		}
	}
	pledge, err := parseMEMO(*pledgeFlag)
	if err != nil {
		return err
	}
	p, err := startProvider(ctx, *dir, listen, c, pledge, log)
	if err != nil {
		return err
	}
	info := providerInfo{PeerID: p.Host.ID().String(), Addrs: p2p.FullAddrs(p.Host)}
	if c != nil {
		info.Account = c.Address().Hex()
	}
	b, _ := json.MarshalIndent(info, "", "  ")
	tmp := filepath.Join(*dir, "provider.json.tmp")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("write provider info: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(*dir, "provider.json")); err != nil {
		return fmt.Errorf("write provider info: %w", err)
	}
	log.Info("provider ready", "peer", info.PeerID, "addrs", info.Addrs)
	waitForSignal()
	p.Close()
	return nil
}

// fullAddrs returns a Provider's dialable multiaddrs with its peer id.
func fullAddrs(p *providerNode) []string { return p2p.FullAddrs(p.Host) }
