package node

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"path/filepath"

	libp2pcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"

	"github.com/mefs-project/mefs/backend/internal/durable"
	"github.com/mefs-project/mefs/backend/p2p"
	"github.com/mefs-project/mefs/backend/provider"
	"github.com/mefs-project/mefs/chain"
)

// DefaultListen are the libp2p listen addresses of Providers and Keepers
// when none are given: TCP and QUIC on loopback, random ports.
var DefaultListen = []string{"/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"}

// ProviderConfig configures the Provider role.
type ProviderConfig struct {
	Dir string
	// NodeKey, if set, is the libp2p key used when DIR/node.key does not
	// exist (derived from the wallet: NodeKeyOf).
	NodeKey libp2pcrypto.PrivKey
	Listen  []string // libp2p multiaddrs (default DefaultListen)
	// Chain, if set, is the Provider's settlement client (the Provider
	// takes ownership): it registers, pledging Pledge, and serves only
	// Users with funded orders. Without it, it serves every peer.
	Chain  chain.Client
	Pledge *big.Int
	Log    *slog.Logger
	// MinPrice and MaxTerm bound the orders the Provider accepts (see
	// provider.ChainLedger; nil / 0: any positive price, the default term).
	MinPrice *big.Int
	MaxTerm  uint64
	// QuotaSlack is how far a User may hold more than its orders pay for
	// (0: provider.DefaultQuotaSlack).
	QuotaSlack int64
	// Faults alters the prover, for end-to-end tests only.
	Faults provider.ProverFaults
}

// Provider is a running Provider.
type Provider struct {
	Host     host.Host
	Provider *provider.Provider
	Chain    chain.Client // nil without settlement
	// Prover answers Keepers' challenges (nil without settlement).
	Prover *provider.Prover

	stopProving func()
	claimed     *big.Int
}

// StartProvider starts a Provider in cfg.Dir.
func StartProvider(ctx context.Context, cfg ProviderConfig) (*Provider, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if len(cfg.Listen) == 0 {
		cfg.Listen = DefaultListen
	}
	if err := durable.MkdirAll(cfg.Dir); err != nil {
		return nil, fmt.Errorf("create provider folder: %w", err)
	}
	key, err := p2p.OpenIdentity(filepath.Join(cfg.Dir, "node.key"), cfg.NodeKey)
	if err != nil {
		return nil, err
	}
	store, err := provider.OpenStore(cfg.Dir)
	if err != nil {
		return nil, err
	}
	h, err := p2p.NewHost(key, cfg.Listen...)
	if err != nil {
		return nil, err
	}
	log := cfg.Log.With("provider", h.ID().String())
	var ledger provider.Ledger = provider.AllowAll{}
	if cfg.Chain != nil {
		if err := ensureRegistered(ctx, cfg.Chain, chain.RoleProvider, h.Peerstore().PrivKey(h.ID()), p2p.FullAddrs(h), cfg.Pledge, log); err != nil {
			h.Close()
			return nil, err
		}
		ledger = &provider.ChainLedger{Chain: cfg.Chain, MinPrice: cfg.MinPrice, MaxTerm: cfg.MaxTerm, Slack: cfg.QuotaSlack}
	}
	p := &Provider{Host: h, Provider: provider.New(h, store, ledger, log), Chain: cfg.Chain, claimed: new(big.Int)}
	if cfg.Chain != nil {
		p.stopProving = p.startProving(cfg.Faults, log)
	}
	return p, nil
}

// Addrs are the Provider's dialable multiaddrs with its peer id.
func (p *Provider) Addrs() []string { return p2p.FullAddrs(p.Host) }

// Status describes the Provider.
func (p *Provider) Status(ctx context.Context) NodeStatus {
	chunks, bytes := p.Provider.Store.Usage()
	st := NodeStatus{PeerID: p.Host.ID().String(), Addrs: p.Addrs(), Chunks: chunks, Bytes: bytes}
	if p.Chain != nil {
		st.Account = p.Chain.Address().Hex()
		if r, err := p.Chain.Info(ctx, p.Chain.Address()); err == nil {
			st.Pledge = chain.FormatMEMO(r.Pledge)
		}
		p.verificationStatus(ctx, &st)
	}
	return st
}

// Close stops the Provider and closes its host and chain client.
func (p *Provider) Close() {
	if p.stopProving != nil {
		p.stopProving()
	}
	p.Provider.Close()
	p.Host.Close()
	if p.Chain != nil {
		p.Chain.Close()
	}
}
