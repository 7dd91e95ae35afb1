package user

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

func (l *Layer) kickGC() {
	select {
	case l.gcKick <- struct{}{}:
	default:
	}
}

// Run watches Providers' liveness, repairs stripes stored below full
// redundancy, and collects every dropped object's chunks, retrying Providers
// that are unreachable, until ctx ends. It returns only once every loop it
// started has stopped, so the caller may then close the metadata store.
func (l *Layer) Run(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { l.monitorProviders(ctx) })
	wg.Go(func() { l.runRepair(ctx) })
	t := time.NewTicker(l.cfg.GCInterval)
	defer t.Stop()
	for {
		l.collect(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-l.gcKick:
		}
	}
}

// collect deletes the chunks of every garbage record it can, never those of
// a version whose Object Lock still holds.
func (l *Layer) collect(ctx context.Context) {
	garbage, err := l.meta.Garbage()
	if err != nil {
		l.log.Error("list garbage", "err", err)
		return
	}
	for _, g := range garbage {
		// A locked version's chunks are garbage only by mistake: keep them
		// (meta refuses to drop a locked version; this is the second check).
		if held, err := l.meta.Held(g.ID, time.Now()); err != nil || held {
			l.log.Error("garbage names data of a version under Object Lock; keeping its chunks", "data", g.ID, "err", err)
			continue
		}
		var deleted []string
		for _, ps := range g.Providers {
			p, err := peer.Decode(ps)
			if err != nil {
				l.log.Error("garbage names a bad provider id; dropping it", "provider", ps, "err", err)
				deleted = append(deleted, ps)
				continue
			}
			cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			err = l.net.DeleteData(cctx, p, g.ID)
			cancel()
			if err != nil {
				l.log.Debug("delete chunks failed; will retry", "object", g.ID, "provider", p, "err", err)
				continue
			}
			deleted = append(deleted, ps)
		}
		if err := l.meta.Collected(g.ID, deleted); err != nil {
			l.log.Error("record garbage progress", "object", g.ID, "err", err)
		}
	}
}

// Recover turns the uploads a previous run left in flight (a crash between
// sending chunks and committing) into garbage. Call it once at start-up,
// before the Layer serves any request: an upload in flight now would lose
// its intent.
func (l *Layer) Recover() error {
	intents, err := l.meta.Intents()
	if err != nil {
		return fmt.Errorf("list unfinished uploads: %w", err)
	}
	for _, in := range intents {
		if err := l.meta.AbortPut(in.ID, in.Providers); err != nil {
			return fmt.Errorf("abort unfinished upload %s: %w", in.ID, err)
		}
	}
	if len(intents) > 0 {
		l.log.Info("collecting uploads left unfinished by the previous run", "uploads", len(intents))
	}
	return nil
}
