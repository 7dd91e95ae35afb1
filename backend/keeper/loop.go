package keeper

// The Keeper's epoch loop.
//
// For each epoch e, on the chain's clock (the latest block's epoch):
//  1. record R_e if nobody has (the first Keeper pays; the contract refuses
//     before randomnessDelay, which costs a gas estimate, not a tx);
//  2. once the seed is on chain, judge every registered Provider that has
//     orders (challenge, verify, sign) and gossip the signed attestation;
//  3. collect every Keeper's attestations; a group that reaches quorum is a
//     certificate, held until e has ended;
//  4. after e ends, the Submitter for (Provider, e) certifies; each
//     Fallback later the next Keeper in line tries, if still uncertified.
//
// Invariants:
//   - A Keeper attests each (Provider, epoch) at most once, and only for an
//     epoch whose set it belongs to.
//   - A failing verdict is retried (fresh orders, fresh challenge) before it
//     is signed: an order update racing the challenge must not fail an
//     honest Provider. A chain read error attests nothing.
//   - Memory is bounded: state of epochs older than the certify window is
//     dropped.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	"github.com/multiformats/go-multiaddr"

	"github.com/mefs-project/mefs/backend/p2p"
	"github.com/mefs-project/mefs/chain"
)

// LoopChain is what the epoch loop needs of the chain.
type LoopChain interface {
	JudgeChain
	Address() common.Address
	Params(ctx context.Context) (chain.Params, error)
	CurrentEpoch(ctx context.Context) (uint64, error)
	Randomness(ctx context.Context, epoch uint64) (common.Hash, error)
	RecordRandomness(ctx context.Context) (common.Hash, error)
	Providers(ctx context.Context) ([]chain.Node, error)
	KeepersAt(ctx context.Context, epoch uint64) ([]chain.Node, error)
	KeeperSetAt(ctx context.Context, epoch uint64) ([]common.Address, error)
	SignAttestation(a chain.Attestation) ([]byte, error)
	Certify(ctx context.Context, c chain.Certificate) error
	CertificateOf(ctx context.Context, provider common.Address, epoch uint64) (chain.CertificateState, error)
}

// Faults alters an honest Keeper, for end-to-end tests only.
type Faults struct {
	// Lie signs the opposite of every verdict (a byzantine Keeper).
	Lie bool
}

// LoopStats counts a Keeper's work since start.
type LoopStats struct {
	Epoch        uint64 // last epoch judged
	Passed       int64  // attestations signed: pass
	Failed       int64  // attestations signed: fail
	Certificates int64  // certificates this Keeper submitted
}

type loopStats struct {
	epoch                          atomic.Uint64
	passed, failed, certifications atomic.Int64
}

// Stats reports the loop's counters.
func (l *Loop) Stats() LoopStats {
	return LoopStats{Epoch: l.stats.epoch.Load(), Passed: l.stats.passed.Load(), Failed: l.stats.failed.Load(), Certificates: l.stats.certifications.Load()}
}

// Publisher sends a signed attestation to the other Keepers.
type Publisher interface {
	Publish(ctx context.Context, m SignedAttestation) error
}

// Loop is a Keeper's epoch loop; Run drives it.
type Loop struct {
	Chain  LoopChain
	Host   host.Host
	Gossip Publisher
	// Verify checks that sig is signer's BLS signature over a.
	Verify  func(signer common.Address, a Attestation, sig []byte) error
	Samples int           // 0: proof.DefaultSamples
	Tick    time.Duration // 0: a tenth of the epoch, at most 1 s
	// Fallback is the wait before the next Keeper in line submits an
	// uncertified certificate (0: a quarter of the epoch).
	Fallback time.Duration
	Log      *slog.Logger
	// OnCertified, if set, is called after this Keeper's certify succeeds.
	OnCertified func(c Certificate)
	// Faults alters an honest Keeper, for end-to-end tests only.
	Faults Faults

	stats    loopStats
	params   chain.Params
	coll     *Collector
	mu       sync.Mutex
	recorded map[uint64]bool
	judging  map[uint64]bool
	ended    map[uint64]time.Time // when this Keeper first saw the epoch over
	pending  map[Attestation]*Certificate
}

// Init reads the deployment's parameters; call it once before Run and
// Receive.
func (l *Loop) Init(ctx context.Context) error {
	p, err := l.Chain.Params(ctx)
	if err != nil {
		return fmt.Errorf("keeper: read params: %w", err)
	}
	l.init(p)
	return nil
}

// Run works epochs until ctx ends.
func (l *Loop) Run(ctx context.Context) error {
	t := time.NewTicker(l.Tick)
	defer t.Stop()
	for {
		l.step(ctx, time.Now())
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

func (l *Loop) init(p chain.Params) {
	l.params = p
	if l.Tick == 0 {
		l.Tick = min(p.EpochLength/10, time.Second)
	}
	if l.Fallback == 0 {
		l.Fallback = p.EpochLength / 4
	}
	if l.Log == nil {
		l.Log = slog.Default()
	}
	l.coll = &Collector{Verify: l.Verify, Keepers: l.keeperSet}
	l.recorded, l.judging, l.pending = map[uint64]bool{}, map[uint64]bool{}, map[Attestation]*Certificate{}
	l.ended = map[uint64]time.Time{}
}

func (l *Loop) step(ctx context.Context, now time.Time) {
	e, err := l.Chain.CurrentEpoch(ctx)
	if err != nil {
		return
	}
	if l.ensureRandomness(ctx, e) {
		l.mu.Lock()
		started := l.judging[e]
		l.judging[e] = true
		l.mu.Unlock()
		if !started {
			go l.judgeAll(ctx, e)
		}
	}
	l.submitDue(ctx, e, now)
	l.forget(e)
}

// ensureRandomness reports whether epoch e's randomness is on chain,
// recording it when its delay has passed and nobody has.
func (l *Loop) ensureRandomness(ctx context.Context, e uint64) bool {
	l.mu.Lock()
	done := l.recorded[e]
	l.mu.Unlock()
	if done {
		return true
	}
	r, err := l.Chain.Randomness(ctx, e)
	if err == nil && r == (common.Hash{}) {
		r, err = l.Chain.RecordRandomness(ctx)
		if err == nil {
			l.Log.Info("recorded randomness", "epoch", e)
		}
	}
	if err != nil || r == (common.Hash{}) {
		if err != nil && ctx.Err() == nil {
			l.Log.Debug("randomness not recorded yet", "epoch", e, "err", err)
		}
		return false
	}
	l.mu.Lock()
	l.recorded[e] = true
	l.mu.Unlock()
	return true
}

// keeperAddrs lists epoch's Keeper set (Collector.Keepers).
func (l *Loop) keeperAddrs(epoch uint64) ([]common.Address, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	nodes, err := l.Chain.KeepersAt(ctx, epoch)
	if err != nil {
		return nil, err
	}
	out := make([]common.Address, len(nodes))
	for i, n := range nodes {
		out[i] = n.Address
	}
	return out, nil
}

// keeperSet is epoch's whole Keeper set (Collector.Keepers).
func (l *Loop) keeperSet(epoch uint64) ([]common.Address, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return l.Chain.KeeperSetAt(ctx, epoch)
}

// judgeAll attests every Provider with orders for epoch e.
func (l *Loop) judgeAll(ctx context.Context, e uint64) {
	keepers, err := l.Chain.KeepersAt(ctx, e)
	if err != nil {
		l.Log.Warn("keepers of epoch", "epoch", e, "err", err)
		l.retryLater(e)
		return
	}
	if !slices.ContainsFunc(keepers, func(n chain.Node) bool { return n.Address == l.Chain.Address() }) {
		l.Log.Debug("not in the keeper set", "epoch", e)
		return
	}
	l.connect(ctx, keepers)
	provs, err := l.Chain.Providers(ctx)
	if err != nil {
		l.Log.Warn("providers", "epoch", e, "err", err)
		l.retryLater(e)
		return
	}
	for _, p := range provs {
		if cur, err := l.Chain.CurrentEpoch(ctx); ctx.Err() != nil || err == nil && cur != e {
			return
		}
		l.judgeOne(ctx, p, e)
	}
}

func (l *Loop) retryLater(e uint64) {
	l.mu.Lock()
	delete(l.judging, e)
	l.mu.Unlock()
}

// connect dials the epoch's other Keepers so gossip reaches them.
func (l *Loop) connect(ctx context.Context, keepers []chain.Node) {
	for _, k := range keepers {
		ai, err := addrInfo(k)
		if err != nil || ai.ID == l.Host.ID() {
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		if err := l.Host.Connect(cctx, ai); err != nil {
			l.Log.Debug("connect keeper", "keeper", k.Address, "err", err)
		}
		cancel()
	}
}

func addrInfo(n chain.Node) (peer.AddrInfo, error) {
	id, err := peer.Decode(n.PeerID)
	if err != nil {
		return peer.AddrInfo{}, fmt.Errorf("peer id of %s: %w", n.Address, err)
	}
	ai := peer.AddrInfo{ID: id}
	for _, s := range n.Addrs {
		a, err := multiaddr.NewMultiaddr(s)
		if err != nil {
			continue
		}
		if t, _ := peer.SplitAddr(a); t != nil {
			ai.Addrs = append(ai.Addrs, t)
		}
	}
	return ai, nil
}

// judgeAttempts bounds the challenges of one Provider in one epoch: a
// failing verdict is re-checked, and a challenge raced by an order update
// is repeated, a second apart.
const judgeAttempts = 10

// judgeOne judges Provider p for epoch e, signs and gossips the verdict.
func (l *Loop) judgeOne(ctx context.Context, p chain.Node, e uint64) {
	orders, err := l.Chain.Orders(ctx, p.Address)
	if err != nil || len(orders) == 0 {
		return // nothing stored, nothing to prove or pay
	}
	ai, err := addrInfo(p)
	if err != nil {
		l.Log.Warn("provider address", "provider", p.Address, "err", err)
		return
	}
	l.Host.Peerstore().AddAddrs(ai.ID, ai.Addrs, peerstore.TempAddrTTL)
	fetch := func(ctx context.Context, _ common.Address, epoch uint64) ([]byte, error) {
		return p2p.Challenge(ctx, l.Host, ai.ID, epoch, p2p.ChallengeTimeout)
	}
	a, reason, ok := l.verdict(ctx, p.Address, e, fetch)
	if !ok {
		return
	}
	l.Log.Info("attest", "provider", p.Address, "epoch", e, "pass", a.Pass, "reason", reason)
	l.attest(ctx, a)
}

// verdict judges provider until a pass, a failure seen twice against
// stable orders, or the attempts run out (ok false: attest nothing).
func (l *Loop) verdict(ctx context.Context, provider common.Address, e uint64, fetch Fetch) (a Attestation, reason error, ok bool) {
	fails := 0
	for range judgeAttempts {
		a, reason, err := Judge(ctx, l.Chain, fetch, provider, e, l.Samples)
		switch {
		case err == nil && reason == nil:
			return a, nil, true
		case err == nil:
			if fails++; fails == 2 {
				return a, reason, true
			}
		case errors.Is(err, ErrOrdersChanged):
			l.Log.Debug("orders changed during the challenge; again", "provider", provider, "epoch", e)
		default:
			if !errors.Is(err, ErrNotChallengeable) {
				l.Log.Warn("judge", "provider", provider, "epoch", e, "err", err)
			}
			return a, nil, false
		}
		if cur, err := l.Chain.CurrentEpoch(ctx); err != nil || cur != e {
			return a, nil, false // the epoch is over: too late to attest
		}
		select {
		case <-ctx.Done():
			return a, nil, false
		case <-time.After(time.Second):
		}
	}
	return a, nil, false
}

func (l *Loop) attest(ctx context.Context, a Attestation) {
	if l.Faults.Lie {
		a.Pass, a.ProofDigest = !a.Pass, common.Hash{}
		if a.Pass {
			a.ProofDigest = common.Hash{0xba, 0xd}
		}
	}
	sig, err := l.Chain.SignAttestation(chain.Attestation(a))
	if err != nil {
		l.Log.Error("sign attestation", "provider", a.Provider, "epoch", a.Epoch, "err", err)
		return
	}
	m := SignedAttestation{Attestation: a, Signer: l.Chain.Address(), Signature: sig}
	l.stats.epoch.Store(a.Epoch)
	if a.Pass {
		l.stats.passed.Add(1)
	} else {
		l.stats.failed.Add(1)
	}
	l.Receive(m) // gossip may or may not echo it back
	if err := l.Gossip.Publish(ctx, m); err != nil {
		l.Log.Warn("publish attestation", "provider", a.Provider, "epoch", a.Epoch, "err", err)
	}
}

// Receive adds a signed attestation from any Keeper (gossip or own).
func (l *Loop) Receive(m SignedAttestation) {
	cert, err := l.coll.Add(m)
	if err != nil {
		l.Log.Debug("attestation dropped", "provider", m.Provider, "epoch", m.Epoch, "err", err)
		return
	}
	if cert != nil {
		l.Log.Info("quorum", "provider", cert.Provider, "epoch", cert.Epoch, "pass", cert.Pass, "signatures", cert.Signers)
		l.mu.Lock()
		l.pending[cert.Attestation] = cert
		l.mu.Unlock()
	}
}
