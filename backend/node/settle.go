package node

import (
	"context"
	"fmt"
	"math/big"

	"github.com/libp2p/go-libp2p/core/host"

	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/backend/p2p"
	"github.com/mefs-project/mefs/backend/user"
	"github.com/mefs-project/mefs/chain"
)

// startSettler registers the User, tops up its deposit, and opens orders
// with the registered Providers.
func startSettler(ctx context.Context, cfg UserConfig, h host.Host, net *p2p.Client, store *meta.Store) (*user.Settler, error) {
	c := cfg.Chain
	settle := cfg.Settle.withDefaults()
	if err := ensureRegistered(ctx, c, chain.RoleUser, h.Peerstore().PrivKey(h.ID()), p2p.FullAddrs(h), nil, cfg.Log); err != nil {
		return nil, err
	}
	if err := topUpDeposit(ctx, c, settle.Deposit, cfg); err != nil {
		return nil, err
	}
	if settle.Price.Sign() <= 0 {
		return nil, fmt.Errorf("price %s: want a positive number of token wei", settle.Price)
	}
	s := &user.Settler{Chain: c, Net: net, Meta: store, Log: cfg.Log.With("component", "settler"),
		Price: settle.Price, Term: settle.Term, Interval: settle.Interval}
	n, err := s.Discover(ctx)
	if err != nil {
		return nil, err
	}
	if n < cfg.K+cfg.M {
		cfg.Log.Warn("fewer Providers with orders than a stripe needs; uploads wait for more", "providers", n, "need", cfg.K+cfg.M)
	}
	return s, nil
}

// topUpDeposit brings the User's free deposit up to want, from the faucet
// if the wallet is short.
func topUpDeposit(ctx context.Context, c chain.Client, want *big.Int, cfg UserConfig) error {
	dep, err := c.DepositOf(ctx, c.Address())
	if err != nil {
		return fmt.Errorf("read deposit: %w", err)
	}
	need := new(big.Int).Sub(want, dep.Free)
	if need.Sign() <= 0 {
		return nil
	}
	if err := fundFromFaucet(ctx, c, need); err != nil {
		return err
	}
	if err := c.Deposit(ctx, need); err != nil {
		return fmt.Errorf("deposit %s MEMO: %w", chain.FormatMEMO(need), err)
	}
	cfg.Log.Info("deposited", "memo", chain.FormatMEMO(need))
	return nil
}
