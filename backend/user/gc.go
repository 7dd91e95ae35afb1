package user

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/meta"
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
	wg.Go(func() { l.runScrub(ctx) })
	wg.Go(func() { l.runCompaction(ctx) })
	t := time.NewTicker(l.cfg.GCInterval)
	defer t.Stop()
	for {
		start := time.Now()
		l.collect(ctx)
		l.collectOrphans(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-l.gcKick:
			// Under a stream of overwrites every PUT kicks: one pass per
			// gcMinGap reads the garbage list once for all of them instead
			// of once per PUT (each pass reads every record).
			select {
			case <-ctx.Done():
				return
			case <-time.After(gcMinGap - time.Since(start)):
			}
		}
	}
}

// gcMinGap is the least time between two collection passes started by kicks.
const gcMinGap = 500 * time.Millisecond

// collect deletes the chunks of every garbage record it can, never those of
// a version whose Object Lock still holds.
func (l *Layer) collect(ctx context.Context) {
	garbage, err := l.meta.Garbage()
	if err != nil {
		l.log.Error("list garbage", "err", err)
		return
	}
	paidFor := l.stillPaidFor(garbage)
	for _, g := range garbage {
		due, badIDs := dueProviders(g, paidFor)
		if len(g.Providers) > 0 && len(due) == 0 && len(badIDs) == 0 {
			continue // every Provider's order may still list it: nothing to do yet
		}
		// A locked version's chunks are garbage only by mistake: keep them
		// (meta refuses to drop a locked version; this is the second check).
		if held, err := l.meta.Held(g.ID, time.Now()); err != nil || held {
			l.log.Error("garbage names data of a version under Object Lock; keeping its chunks", "data", g.ID, "err", err)
			continue
		}
		// Data of a live object: its garbage names strays of a write that
		// succeeded elsewhere (see deleteStrayChunks). Decided once per record.
		live, err := l.liveData(g.ID)
		if err != nil {
			l.log.Error("read the layout of garbage", "data", g.ID, "err", err)
			continue
		}
		deleted := badIDs
		for _, ps := range badIDs {
			l.log.Error("garbage names a bad provider id; dropping it", "provider", ps)
		}
		for _, p := range due {
			cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			if live {
				err = l.deleteStrayChunks(cctx, p, g.ID)
			} else {
				err = l.net.DeleteData(cctx, p, g.ID)
			}
			cancel()
			if err != nil {
				l.log.Debug("delete chunks failed; will retry", "object", g.ID, "provider", p, "err", err)
				continue
			}
			deleted = append(deleted, p.String())
		}
		if err := l.meta.Collected(g.ID, deleted); err != nil {
			l.log.Error("record garbage progress", "object", g.ID, "err", err)
		}
	}
}

// dueProviders splits g's Providers into those whose chunks may go now (no
// order may still list them) and ids that do not parse (dropped); the rest
// wait for their order's next update.
func dueProviders(g meta.ProviderSet, paidFor func(memo.DataID, peer.ID) bool) (due []peer.ID, badIDs []string) {
	for _, ps := range g.Providers {
		p, err := peer.Decode(ps)
		switch {
		case err != nil:
			badIDs = append(badIDs, ps)
		case !paidFor(g.ID, p):
			due = append(due, p)
		}
	}
	return due, badIDs
}

// liveData reports whether data is the single part of an object that still
// exists. Garbage of dead data is deleted at once (the Provider then keeps a
// tombstone against late puts of it); that of live data chunk by chunk, as
// a tombstone would refuse the repairs that may well target its Provider.
func (l *Layer) liveData(data memo.DataID) (bool, error) {
	lay, err := l.meta.Layout(memo.ObjectID(data))
	if errors.Is(err, meta.ErrNoSuchKey) {
		return false, nil
	}
	return err == nil && len(lay.Parts) == 0, err
}

// deleteStrayChunks deletes from p every chunk of live data that its layout
// does not place there and no repair is putting there. Under orphanMu: a
// repair records its intent before its put, so it cannot race the deletion.
func (l *Layer) deleteStrayChunks(ctx context.Context, p peer.ID, data memo.DataID) error {
	l.orphanMu.Lock()
	defer l.orphanMu.Unlock()
	lay, err := l.meta.Layout(memo.ObjectID(data)) // afresh: a repair may have recorded since
	if errors.Is(err, meta.ErrNoSuchKey) {
		return l.net.DeleteData(ctx, p, data)
	}
	if err != nil {
		return err
	}
	ps := p.String()
	for _, st := range lay.Stripes {
		for i, pi := range st.Providers {
			if pi != meta.NoProvider && lay.Providers[pi] == ps {
				continue
			}
			cid := memo.ChunkID{Data: data, Stripe: st.Index, Index: uint16(i)}
			if l.meta.HasRepairIntent(ps, cid) {
				continue
			}
			if err := l.net.DeleteChunk(ctx, p, cid); err != nil {
				return err
			}
		}
	}
	return nil
}

// OrderTracker is implemented by a Roster that keeps orders on chain (the
// Settler): garbage leaves a Provider only once the Provider's order no
// longer lists it, or Keepers sampling the order would find the chunks
// gone and fail an honest Provider.
type OrderTracker interface {
	// ListedSince reports whether p's on-chain order was brought in step
	// with the chunk index as read after t.
	ListedSince(p peer.ID, t time.Time) bool
}

// stillPaidFor returns whether data id's chunks on p may still be listed in
// p's on-chain order: p's chunk set changed since its last order update
// (it is dirty) and no order update read the index after the garbage was
// first seen. Without an OrderTracker nothing is.
func (l *Layer) stillPaidFor(garbage []meta.ProviderSet) func(memo.DataID, peer.ID) bool {
	tracker, ok := l.roster.(OrderTracker)
	dirty, err := l.meta.DirtyProviders()
	if !ok || err != nil {
		return func(memo.DataID, peer.ID) bool { return ok }
	}
	now := time.Now()
	l.seenMu.Lock()
	seen := map[memo.DataID]time.Time{}
	for _, g := range garbage {
		t, ok := l.garbageSeen[g.ID]
		if !ok {
			t = now
		}
		seen[g.ID] = t
	}
	l.garbageSeen = seen // forget collected records
	l.seenMu.Unlock()
	return func(id memo.DataID, p peer.ID) bool {
		_, isDirty := dirty[p.String()]
		return isDirty && !tracker.ListedSince(p, seen[id])
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
	// No repair runs yet: every repair intent left is one cut short.
	n, err := l.meta.AbandonRepairs()
	if err != nil {
		return err
	}
	if n > 0 {
		l.log.Info("collecting chunks of repairs cut short by the previous run", "chunks", n)
	}
	return nil
}
