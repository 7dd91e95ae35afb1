package node

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"path/filepath"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	libp2pcrypto "github.com/libp2p/go-libp2p/core/crypto"

	"github.com/mefs-project/mefs/backend/internal/durable"
	"github.com/mefs-project/mefs/backend/keeper"
	"github.com/mefs-project/mefs/backend/p2p"
	"github.com/mefs-project/mefs/chain"
)

// KeeperConfig configures the Keeper role.
type KeeperConfig struct {
	Dir string
	// NodeKey, if set, is the libp2p key used when DIR/node.key does not
	// exist (derived from the wallet: NodeKeyOf).
	NodeKey libp2pcrypto.PrivKey
	Listen  []string // libp2p multiaddrs (default DefaultListen)
	// Chain is the Keeper's settlement client (required; the Keeper takes
	// ownership); it registers, pledging Pledge.
	Chain  chain.Client
	Pledge *big.Int
	Log    *slog.Logger
	// Faults alters the Keeper, for end-to-end tests only.
	Faults keeper.Faults
}

// Keeper is a running Keeper: registered, and working its epoch loop.
type Keeper struct {
	*keeper.Keeper
	Loop   *keeper.Loop
	chain  chain.Client
	gossip *keeper.Gossip
	stop   context.CancelFunc
	done   sync.WaitGroup
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
	key, err := p2p.OpenIdentity(filepath.Join(cfg.Dir, "node.key"), cfg.NodeKey)
	if err != nil {
		return nil, err
	}
	h, err := p2p.NewHost(key, cfg.Listen...)
	if err != nil {
		return nil, err
	}
	log := cfg.Log.With("keeper", h.ID().String())
	if err := ensureRegistered(ctx, cfg.Chain, chain.RoleKeeper, h.Peerstore().PrivKey(h.ID()), p2p.FullAddrs(h), cfg.Pledge, log); err != nil {
		h.Close()
		return nil, err
	}
	k := &Keeper{Keeper: &keeper.Keeper{Host: h, Chain: cfg.Chain, Log: log}, chain: cfg.Chain}
	if err := k.startLoop(log, cfg.Faults); err != nil {
		h.Close()
		return nil, err
	}
	return k, nil
}

// startLoop joins the attestation gossip and runs the epoch loop.
func (k *Keeper) startLoop(log *slog.Logger, faults keeper.Faults) error {
	ctx, cancel := context.WithCancel(context.Background())
	c := k.chain
	g, err := keeper.JoinGossip(ctx, k.Host, keeper.TopicName(c.ChainID(), c.Contracts().Settlement))
	if err != nil {
		cancel()
		return err
	}
	k.gossip, k.stop = g, cancel
	vc := &verifyChain{Client: c}
	verify := func(signer common.Address, a keeper.Attestation, sig []byte) error {
		return vc.verifyAttestation(signer, chain.Attestation(a), sig)
	}
	k.Loop = &keeper.Loop{Chain: vc, Host: k.Host, Gossip: g, Verify: verify, Log: log, Faults: faults}
	if err := k.Loop.Init(ctx); err != nil {
		g.Close()
		cancel()
		return err
	}
	k.done.Add(3)
	go func() {
		defer k.done.Done()
		k.claimLoop(ctx, log)
	}()
	go func() {
		defer k.done.Done()
		if err := k.Loop.Run(ctx); err != nil && ctx.Err() == nil {
			log.Error("keeper loop stopped", "err", err)
		}
	}()
	go func() {
		defer k.done.Done()
		k.receive(ctx)
	}()
	return nil
}

// receive feeds gossiped attestations to the loop.
func (k *Keeper) receive(ctx context.Context) {
	for {
		m, err := k.gossip.Next(ctx)
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			k.Loop.Receive(m)
		}
	}
}

// Status describes the Keeper.
func (k *Keeper) Status(ctx context.Context) NodeStatus {
	st := NodeStatus{PeerID: k.Host.ID().String(), Account: k.chain.Address().Hex(), Addrs: p2p.FullAddrs(k.Host)}
	if r, err := k.Registration(ctx); err == nil {
		st.Pledge = chain.FormatMEMO(r.Pledge)
	}
	if k.Loop != nil {
		ls := k.Loop.Stats()
		st.Attested = &Attested{LastEpoch: ls.Epoch, Passed: ls.Passed, Failed: ls.Failed, Certificates: ls.Certificates}
	}
	if inc, err := k.unclaimedIncome(ctx); err == nil {
		st.Income = chain.FormatMEMO(inc)
	}
	return st
}

// Close closes the Keeper's host and chain client.
func (k *Keeper) Close() {
	k.stop()
	k.done.Wait()
	k.gossip.Close()
	k.Host.Close()
	k.chain.Close()
}
