package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/libp2p/go-libp2p/core/host"

	"github.com/mefs-project/mefs/backend/provider"
	"github.com/mefs-project/mefs/backend/wire"
)

// providerNode is a running Provider.
type providerNode struct {
	Host     host.Host
	Provider *provider.Provider
}

func startProvider(dir string, listen []string, log *slog.Logger) (*providerNode, error) {
	key, err := wire.LoadIdentity(filepath.Join(dir, "node.key"))
	if err != nil {
		return nil, err
	}
	store, err := provider.OpenStore(dir)
	if err != nil {
		return nil, err
	}
	h, err := wire.NewHost(key, listen...)
	if err != nil {
		return nil, err
	}
	return &providerNode{Host: h, Provider: provider.New(h, store, log.With("provider", h.ID().String()))}, nil
}

func (p *providerNode) Close() {
	p.Provider.Close()
	p.Host.Close()
}

// providerInfo is what a Provider publishes about itself in DIR/provider.json.
type providerInfo struct {
	PeerID string   `json:"peer_id"`
	Addrs  []string `json:"addrs"`
}

func runProvider(args []string) error {
	fs := flag.NewFlagSet("provider", flag.ExitOnError)
	dir := fs.String("dir", "mefs-provider", "folder for the Provider's chunks and key")
	var listen listFlag
	fs.Var(&listen, "listen", "libp2p listen multiaddrs (default TCP and QUIC on 127.0.0.1, random ports)")
	level := fs.String("log-level", "info", "log level: debug, info, warn, error")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if len(listen) == 0 {
		listen = listFlag{"/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"}
	}
	log := newLogger(*level)
	if err := os.MkdirAll(*dir, 0o700); err != nil {
		return fmt.Errorf("create provider folder: %w", err)
	}
	p, err := startProvider(*dir, listen, log)
	if err != nil {
		return err
	}
	info := providerInfo{PeerID: p.Host.ID().String(), Addrs: wire.FullAddrs(p.Host)}
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
