package backend

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
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

// ReachableProviders counts the configured Providers that are reachable.
func (l *Layer) ReachableProviders(ctx context.Context) int {
	h := l.client.Host
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var n atomic.Int32
	var wg sync.WaitGroup
	for _, p := range l.cfg.Providers {
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
