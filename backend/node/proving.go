package node

// A Provider's side of verification: answer Keepers' challenges with proofs
// of storage, and claim the income of every certified epoch.
//
// Invariants:
//   - Claims cover only epochs the chain reports passed with a nonzero
//     claimable amount; the contract refuses anything else anyway.
//   - The claim loop scans at most the certify window of past epochs per
//     round (bounded work), on the chain's clock (the latest block's epoch).

import (
	"context"
	"log/slog"
	"math/big"
	"time"

	"github.com/mefs-project/mefs/backend/p2p"
	"github.com/mefs-project/mefs/backend/provider"
	"github.com/mefs-project/mefs/chain"
)

// startProving serves challenges and starts the claim loop; the returned
// function stops it.
func (p *Provider) startProving(faults provider.ProverFaults, log *slog.Logger) func() {
	vc := &verifyChain{Client: p.Chain}
	p.Prover = &provider.Prover{Store: p.Provider.Store, Chain: proverChain{vc}, Faults: faults, Log: log}
	p2p.ServeChallenges(p.Host, p.Prover, log)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.claimLoop(ctx, log)
	}()
	return func() {
		p.Host.RemoveStreamHandler(p2p.ChallengeProtocolID)
		cancel()
		<-done
	}
}

func (p *Provider) claimLoop(ctx context.Context, log *slog.Logger) {
	everyParams(ctx, p.Chain, log, func(params chain.Params) time.Duration { return max(params.EpochLength/2, time.Second) },
		func(params chain.Params) { p.claimPassed(ctx, params, log) })
}

// everyParams reads the deployment's parameters, then calls fn every
// period(params) until ctx ends (the Provider's and the Keeper's claims).
func everyParams(ctx context.Context, c interface {
	Params(context.Context) (chain.Params, error)
}, log *slog.Logger, period func(chain.Params) time.Duration, fn func(chain.Params)) {
	params, err := c.Params(ctx)
	if err != nil {
		log.Error("claim loop: read params", "err", err)
		return
	}
	t := time.NewTicker(period(params))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		fn(params)
	}
}

// claimPassed claims every passed, unclaimed epoch in the certify window.
func (p *Provider) claimPassed(ctx context.Context, params chain.Params, log *slog.Logger) {
	cur, err := p.Chain.CurrentEpoch(ctx)
	if err != nil {
		return
	}
	from := uint64(0)
	if cur > params.CertifyWindow+1 {
		from = cur - params.CertifyWindow - 1
	}
	var epochs []uint64
	for e := from; e < cur; e++ {
		st, err := p.Chain.CertificateOf(ctx, p.Chain.Address(), e)
		if err != nil {
			return
		}
		if st.Status == chain.CertPassed && st.Claimable != nil && st.Claimable.Sign() > 0 {
			epochs = append(epochs, e)
		}
	}
	if len(epochs) == 0 {
		return
	}
	amount, err := p.Chain.Claim(ctx, epochs)
	if err != nil {
		log.Warn("claim income", "epochs", epochs, "err", err)
		return
	}
	p.claimed.Add(p.claimed, amount)
	log.Info("claimed income", "epochs", epochs, "amount", chain.FormatMEMO(amount))
}

// Claimed is the income this Provider process has claimed so far.
func (p *Provider) Claimed() *big.Int { return new(big.Int).Set(p.claimed) }

// statusEpochs is how many past epochs a Provider's status shows.
const statusEpochs = 5

// verificationStatus fills st with the Provider's standing, its last
// epochs' certificates and the income it claimed.
func (p *Provider) verificationStatus(ctx context.Context, st *NodeStatus) {
	st.Claimed = chain.FormatMEMO(p.Claimed())
	if ps, err := p.Chain.ProviderStatus(ctx, p.Chain.Address()); err == nil {
		st.Standing = standingName(ps.Status)
	}
	cur, err := p.Chain.CurrentEpoch(ctx)
	if err != nil {
		return
	}
	for e := cur - min(cur, statusEpochs); e < cur; e++ {
		c, err := p.Chain.CertificateOf(ctx, p.Chain.Address(), e)
		if err != nil {
			return
		}
		st.Epochs = append(st.Epochs, EpochResult{Epoch: e, Result: certName(c.Status)})
	}
}

func standingName(s uint8) string {
	switch s {
	case chain.StatusOK:
		return "ok"
	case chain.StatusUnregistered:
		return "unregistered"
	case chain.StatusLowPledge:
		return "low pledge"
	case chain.StatusFailing:
		return "failing"
	}
	return "unknown"
}

func certName(s uint8) string {
	switch s {
	case chain.CertPassed:
		return "passed"
	case chain.CertFailed:
		return "failed"
	case chain.CertClaimed:
		return "claimed"
	}
	return "none"
}
