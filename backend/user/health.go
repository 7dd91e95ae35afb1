package user

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/protocol/ping"
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

// ReachableProviders counts the configured Providers that are reachable.
func (l *Layer) ReachableProviders(ctx context.Context) int {
	h := l.client.Host
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var n atomic.Int32
	var wg sync.WaitGroup
	for _, p := range l.providers() {
		if h.Network().Connectedness(p) == network.Connected {
			n.Add(1)
			continue
		}
		wg.Add(1)
		go func(p peer.ID) {
			defer wg.Done()
			if err := h.Connect(ctx, peer.AddrInfo{ID: p}); err == nil {
				n.Add(1)
			}
		}(p)
	}
	wg.Wait()
	return int(n.Load())
}

// providerHealth remembers Providers that recently failed or were slow, so reads
// route around them at once instead of waiting on them again.
type providerHealth struct {
	mu      sync.Mutex
	suspect map[peer.ID]time.Time // until when
}

// suspectFor is how long a failure keeps a Provider suspect.
const suspectFor = 30 * time.Second

func (h *providerHealth) bad(p peer.ID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.suspect == nil {
		h.suspect = map[peer.ID]time.Time{}
	}
	h.suspect[p] = time.Now().Add(suspectFor)
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

// Liveness probing: a Provider that dies without closing its connections
// (power loss, SIGKILL behind QUIC) would otherwise hold requests until the
// transport's idle timeout. The monitor pings connected Providers and drops
// the connections of those that stop answering, so requests fail fast and
// move to other Providers.
const (
	pingInterval = 3 * time.Second
	pingTimeout  = 2 * time.Second
)

func (l *Layer) monitorProviders(ctx context.Context) {
	t := time.NewTicker(pingInterval)
	defer t.Stop()
	h := l.client.Host
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		var wg sync.WaitGroup
		for _, p := range l.providers() {
			if h.Network().Connectedness(p) != network.Connected {
				continue
			}
			wg.Add(1)
			go func(p peer.ID) {
				defer wg.Done()
				pctx, cancel := context.WithTimeout(ctx, pingTimeout)
				defer cancel()
				res, ok := <-ping.Ping(pctx, h, p)
				if ok && res.Error == nil {
					return
				}
				if ctx.Err() != nil {
					return
				}
				l.log.Warn("provider stopped answering; dropping its connections", "provider", p)
				l.health.bad(p)
				h.Network().ClosePeer(p)
			}(p)
		}
		wg.Wait()
	}
}
