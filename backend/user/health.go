package user

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

// Ready reports whether the Layer can serve: its metadata store answers and
// at least k+1 Providers are reachable (connected, or connectable within a
// short timeout).
func (l *Layer) Ready(ctx context.Context) error {
	if _, err := l.meta.Buckets(); err != nil {
		return fmt.Errorf("metadata store: %w", err)
	}
	n := l.ReachableProviders(ctx)
	if need := l.cfg.K + 1; n < need {
		return fmt.Errorf("%d providers reachable, need at least %d", n, need)
	}
	return nil
}

// ReachableProviders counts the Providers of the roster that are reachable
// (connected, or answering a probe within a short timeout).
func (l *Layer) ReachableProviders(ctx context.Context) int {
	ctx, cancel := context.WithTimeout(ctx, l.cfg.PingTimeout)
	defer cancel()
	var n atomic.Int32
	var wg sync.WaitGroup
	for _, p := range l.providers() {
		if l.net.Connected(p) {
			n.Add(1)
			continue
		}
		wg.Go(func() {
			if err := l.net.Probe(ctx, p); err == nil {
				l.health.good(p)
				n.Add(1)
			}
		})
	}
	wg.Wait()
	return int(n.Load())
}

// monitorProviders pings connected Providers every PingInterval and drops
// the connections of those that stop answering. A Provider that dies without
// closing its connections (power loss, SIGKILL behind QUIC) would otherwise
// hold requests until the transport's idle timeout; this way requests fail
// fast and move to other Providers.
func (l *Layer) monitorProviders(ctx context.Context) {
	every(ctx, l.cfg.PingInterval, func() {
		var wg sync.WaitGroup
		for _, p := range l.providers() {
			// Providers not healthy are probed too, so one that comes back
			// is seen healthy again (and one that stays away becomes gone).
			if !l.net.Connected(p) && l.health.state(p) == Healthy {
				continue
			}
			wg.Go(func() { l.probe(ctx, p) })
		}
		wg.Wait()
	})
}

// every calls fn every d (first after d) until ctx ends.
func every(ctx context.Context, d time.Duration, fn func()) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		fn()
	}
}

// probe pings connected Provider p and drops it if it does not answer.
func (l *Layer) probe(ctx context.Context, p peer.ID) {
	pctx, cancel := context.WithTimeout(ctx, l.cfg.PingTimeout)
	defer cancel()
	connected := l.net.Connected(p)
	err := l.net.Probe(pctx, p)
	if ctx.Err() != nil {
		return
	}
	if err == nil {
		l.health.good(p)
		return
	}
	l.health.bad(p)
	if connected {
		l.log.Warn("provider stopped answering; dropping its connections", "provider", p)
		l.net.Disconnect(p)
	}
}

// ProviderState is one Provider as the User sees it now.
type ProviderState struct {
	ID        peer.ID
	Connected bool
	// Suspect: it failed or was slow recently, so reads ask it last.
	Suspect bool
	// Health is its state: healthy, suspect, failing or gone; Reason says
	// why it is failing when the verification layer said so.
	Health Health
	Reason string
}

// Snapshot is the User side's state for status displays.
type Snapshot struct {
	K, M, ChunkSize int
	Providers       []ProviderState
	// RepairQueue counts objects stored below full redundancy; Garbage the
	// data ids whose chunks still await deletion on some Provider.
	RepairQueue, Garbage int
	// ChunkLatency is the moving average of a chunk read.
	ChunkLatency time.Duration
	// RepairByMargin counts queued objects by the margin of their worst
	// stripe (further chunk losses it survives: m-1 … 0).
	RepairByMargin map[int]int
	// RepairedChunks and RepairedBytes count chunks repaired since start;
	// LostChunks the chunks given up as lost (found corrupt or missing, or
	// on a Provider confirmed lost).
	RepairedChunks, RepairedBytes, LostChunks int64
	// PacksSealed counts packs stored since start, PackedObjects the objects
	// committed in them, RepackedObjects the objects compaction moved.
	PacksSealed, PackedObjects, RepackedObjects int64
	// StripesByChunks counts stripes by their chunks on Providers not gone
	// (census.go; refreshed at most every 30 s).
	StripesByChunks map[int]int
}

// Snapshot reports the Layer's state now.
func (l *Layer) Snapshot() (Snapshot, error) {
	s := Snapshot{K: l.cfg.K, M: l.cfg.M, ChunkSize: l.cfg.ChunkSize, ChunkLatency: time.Duration(l.latency.Load())}
	for _, p := range l.providers() {
		h, reason := l.health.describe(p)
		s.Providers = append(s.Providers, ProviderState{ID: p, Connected: l.net.Connected(p), Suspect: h != Healthy, Health: h, Reason: reason})
	}
	q, err := l.meta.RepairQueue()
	if err != nil {
		return s, fmt.Errorf("snapshot: %w", err)
	}
	if s.Garbage, err = l.meta.GarbageCount(); err != nil {
		return s, fmt.Errorf("snapshot: %w", err)
	}
	s.RepairQueue = len(q)
	s.RepairByMargin = map[int]int{}
	for _, o := range l.repairOrder(q) {
		s.RepairByMargin[o.risk.margin]++
	}
	s.RepairedChunks, s.RepairedBytes, s.LostChunks = l.repairedChunks.Load(), l.repairedBytes.Load(), l.lostChunks.Load()
	s.PacksSealed, s.PackedObjects, s.RepackedObjects = l.packsSealed.Load(), l.packedObjects.Load(), l.repackedObjects.Load()
	s.StripesByChunks, err = l.StripesByChunks()
	return s, err
}
