package node

// A Keeper's certificate shares: Settlement pays them per final epoch (one
// that can no longer be certified), claimed here every few epochs.
//
// Invariants:
//   - Claims only ever cover final epochs, upward from the contract's
//     keeperClaimedTo, at most incomeWindow epochs back: older unclaimed
//     epochs are given up rather than walked (gas grows with the range).

import (
	"context"
	"log/slog"
	"math/big"
	"time"

	"github.com/mefs-project/mefs/chain"
)

// incomeWindow is how many epochs back a Keeper looks for unclaimed income.
const incomeWindow = 512

// claimEvery is how many epochs pass between a Keeper's income claims.
const claimEvery = 4

// unclaimedIncome is the Keeper's certificate share not yet claimed, over at
// most the last incomeWindow epochs.
func (k *Keeper) unclaimedIncome(ctx context.Context) (*big.Int, error) {
	from, cur, err := k.incomeRange(ctx)
	if err != nil {
		return nil, err
	}
	return k.chain.KeeperIncome(ctx, k.chain.Address(), from, cur+1)
}

// incomeRange is the first epoch a claim would cover, and the current epoch.
func (k *Keeper) incomeRange(ctx context.Context) (from, cur uint64, err error) {
	claimed, err := k.chain.KeeperClaimedTo(ctx, k.chain.Address())
	if err != nil {
		return 0, 0, err
	}
	if cur, err = k.chain.CurrentEpoch(ctx); err != nil {
		return 0, 0, err
	}
	return max(claimed, cur-min(cur, incomeWindow)), cur, nil
}

// claimLoop claims the Keeper's final income every claimEvery epochs.
func (k *Keeper) claimLoop(ctx context.Context, log *slog.Logger) {
	everyParams(ctx, k.chain, log, func(p chain.Params) time.Duration { return claimEvery * p.EpochLength },
		func(p chain.Params) { k.claimFinal(ctx, p, log) })
}

// claimFinal claims the income of every final epoch not yet claimed.
func (k *Keeper) claimFinal(ctx context.Context, p chain.Params, log *slog.Logger) {
	from, cur, err := k.incomeRange(ctx)
	if err != nil || cur <= p.CertifyWindow {
		return
	}
	to := cur - p.CertifyWindow
	if to <= from {
		return
	}
	inc, err := k.chain.KeeperIncome(ctx, k.chain.Address(), from, to)
	if err != nil || inc.Sign() == 0 {
		return
	}
	paid, err := k.chain.ClaimKeeperIncome(ctx, from, to)
	if err != nil {
		log.Warn("claim keeper income", "from", from, "to", to, "err", err)
		return
	}
	log.Info("claimed keeper income", "from", from, "to", to, "amount", chain.FormatMEMO(paid))
}
