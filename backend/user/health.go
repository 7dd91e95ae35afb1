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
				n.Add(1)
			}
		})
	}
	wg.Wait()
	return int(n.Load())
}

// providerHealth remembers Providers that recently failed or were slow, so
// reads route around them at once instead of waiting on them again.
type providerHealth struct {
	suspectFor time.Duration // how long a failure keeps a Provider suspect
	mu         sync.Mutex
	suspect    map[peer.ID]time.Time // until when
}

func (h *providerHealth) bad(p peer.ID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.suspect == nil {
		h.suspect = map[peer.ID]time.Time{}
	}
	h.suspect[p] = time.Now().Add(h.suspectFor)
}

func (h *providerHealth) good(p peer.ID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.suspect, p)
}

func (h *providerHealth) isSuspect(p peer.ID) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	until, ok := h.suspect[p]
	return ok && time.Now().Before(until)
}

// monitorProviders pings connected Providers every PingInterval and drops
// the connections of those that stop answering. A Provider that dies without
// closing its connections (power loss, SIGKILL behind QUIC) would otherwise
// hold requests until the transport's idle timeout; this way requests fail
// fast and move to other Providers.
func (l *Layer) monitorProviders(ctx context.Context) {
	t := time.NewTicker(l.cfg.PingInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		var wg sync.WaitGroup
		for _, p := range l.providers() {
			if !l.net.Connected(p) {
				continue
			}
			wg.Go(func() { l.probe(ctx, p) })
		}
		wg.Wait()
	}
}

// probe pings connected Provider p and drops it if it does not answer.
func (l *Layer) probe(ctx context.Context, p peer.ID) {
	pctx, cancel := context.WithTimeout(ctx, l.cfg.PingTimeout)
	defer cancel()
	if err := l.net.Probe(pctx, p); err == nil || ctx.Err() != nil {
		return
	}
	l.log.Warn("provider stopped answering; dropping its connections", "provider", p)
	l.health.bad(p)
	l.net.Disconnect(p)
}

// ProviderState is one Provider as the User sees it now.
type ProviderState struct {
	ID        peer.ID
	Connected bool
	// Suspect: it failed or was slow recently, so reads ask it last.
	Suspect bool
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
}

// Snapshot reports the Layer's state now.
func (l *Layer) Snapshot() (Snapshot, error) {
	s := Snapshot{K: l.cfg.K, M: l.cfg.M, ChunkSize: l.cfg.ChunkSize, ChunkLatency: time.Duration(l.latency.Load())}
	for _, p := range l.providers() {
		s.Providers = append(s.Providers, ProviderState{ID: p, Connected: l.net.Connected(p), Suspect: l.health.isSuspect(p)})
	}
	q, err := l.meta.RepairQueue()
	if err != nil {
		return s, fmt.Errorf("snapshot: %w", err)
	}
	g, err := l.meta.Garbage()
	if err != nil {
		return s, fmt.Errorf("snapshot: %w", err)
	}
	s.RepairQueue, s.Garbage = len(q), len(g)
	return s, nil
}
