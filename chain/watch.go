package chain

// Invariants:
//   - Watchers poll (they work over plain HTTP, where subscriptions do not), never send
//     a transaction, and close their channel when ctx ends.
//   - WatchRegistry reports every Registry event of blocks > from exactly once and in
//     chain order (reorgs deeper than the polled head are not handled).

import (
	"context"
	"log/slog"
	"slices"
	"time"
)

// maxLogRange caps one log query (public RPC providers limit eth_getLogs ranges).
const maxLogRange = 5000

// WatchProviders polls c.Providers every interval and sends the list whenever it
// differs from the last one sent (the first list at once). Errors are logged and the
// poll retried at the next tick. The channel closes when ctx is done.
func WatchProviders(ctx context.Context, c Client, interval time.Duration) <-chan []Node {
	out := make(chan []Node, 1)
	go func() {
		defer close(out)
		var last []Node
		first := true
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			nodes, err := c.Providers(ctx)
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				slog.Warn("watch providers: poll failed", "err", err)
			} else if first || !sameNodes(last, nodes) {
				select {
				case out <- nodes:
				case <-ctx.Done():
					return
				}
				last, first = nodes, false
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return out
}

func sameNodes(a, b []Node) bool {
	return slices.EqualFunc(a, b, func(x, y Node) bool {
		return x.Address == y.Address && x.PeerID == y.PeerID && slices.Equal(x.Addrs, y.Addrs)
	})
}

// WatchRegistry polls for Registry events in blocks after `from` every interval and
// sends them in order. The channel closes when ctx is done.
func WatchRegistry(ctx context.Context, c Client, from uint64, interval time.Duration) <-chan RegistryEvent {
	out := make(chan RegistryEvent, 16)
	go func() {
		defer close(out)
		next := from + 1
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			head, err := c.BlockNumber(ctx)
			for err == nil && head >= next {
				to := min(head, next+maxLogRange-1)
				var evs []RegistryEvent
				if evs, err = c.RegistryEvents(ctx, next, to); err != nil {
					break
				}
				for _, ev := range evs {
					select {
					case out <- ev:
					case <-ctx.Done():
						return
					}
				}
				next = to + 1
			}
			if err != nil && ctx.Err() == nil {
				slog.Warn("watch registry: poll failed", "from", next, "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return out
}
