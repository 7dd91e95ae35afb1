package node

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"path/filepath"

	"github.com/mefs-project/mefs/backend/internal/durable"
	"github.com/mefs-project/mefs/backend/keeper"
	"github.com/mefs-project/mefs/backend/p2p"
	"github.com/mefs-project/mefs/chain"
)

// KeeperConfig configures the Keeper role.
type KeeperConfig struct {
	Dir    string
	Listen []string // libp2p multiaddrs (default DefaultListen)
	// Chain is the Keeper's settlement client (required; the Keeper takes
	// ownership); it registers, pledging Pledge.
	Chain  chain.Client
	Pledge *big.Int
	Log    *slog.Logger
}

// Keeper is a running Keeper.
type Keeper struct {
	*keeper.Keeper
	chain chain.Client
}

// StartKeeper starts a Keeper in cfg.Dir and registers it on chain.
func StartKeeper(ctx context.Context, cfg KeeperConfig) (*Keeper, error) {
	if cfg.Chain == nil {
		return nil, fmt.Errorf("a Keeper needs a chain")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if len(cfg.Listen) == 0 {
		cfg.Listen = DefaultListen
	}
	if err := durable.MkdirAll(cfg.Dir); err != nil {
		return nil, fmt.Errorf("create keeper folder: %w", err)
	}
	key, err := p2p.LoadIdentity(filepath.Join(cfg.Dir, "node.key"))
	if err != nil {
		return nil, err
	}
	h, err := p2p.NewHost(key, cfg.Listen...)
	if err != nil {
		return nil, err
	}
	log := cfg.Log.With("keeper", h.ID().String())
	if err := ensureRegistered(ctx, cfg.Chain, chain.RoleKeeper, h.ID().String(), p2p.FullAddrs(h), cfg.Pledge, log); err != nil {
		h.Close()
		return nil, err
	}
	return &Keeper{Keeper: &keeper.Keeper{Host: h, Chain: cfg.Chain, Log: log}, chain: cfg.Chain}, nil
}

// Status describes the Keeper.
func (k *Keeper) Status(ctx context.Context) NodeStatus {
	st := NodeStatus{PeerID: k.Host.ID().String(), Account: k.chain.Address().Hex(), Addrs: p2p.FullAddrs(k.Host)}
	if r, err := k.Registration(ctx); err == nil {
		st.Pledge = chain.FormatMEMO(r.Pledge)
	}
	return st
}

// Close closes the Keeper's host and chain client.
func (k *Keeper) Close() {
	k.Host.Close()
	k.chain.Close()
}
