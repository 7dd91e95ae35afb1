package user

// Invariants:
//   - Repair never lowers durability: it only adds a chunk where a stripe
//     has none, and the chunk it adds is checked against the commitment the
//     layout already records (re-encoding a stripe is deterministic).
//   - A repaired chunk lands on a Provider holding no other chunk of its
//     stripe.
//   - A repaired chunk is stored behind a repair intent: one stored but
//     never recorded (a failure, a crash) is deleted from its Provider, never
//     left unreferenced; orphanMu orders that deletion with a new repair of
//     the same chunk to the same Provider.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/backend/placement"
	"github.com/mefs-project/mefs/erasure"
)

func (l *Layer) kickRepair() {
	select {
	case l.repairKick <- struct{}{}:
	default:
	}
}

// runRepair works through the repair queue, most urgent first, until ctx
// ends.
func (l *Layer) runRepair(ctx context.Context) {
	t := time.NewTicker(l.cfg.RepairInterval)
	defer t.Stop()
	for {
		l.recordLost()
		l.sweepUnhealthy(time.Now())
		ids, err := l.meta.RepairQueue()
		if err != nil {
			l.log.Error("list repair queue", "err", err)
		}
		// Most urgent first (risk.go): a stripe one loss from data loss
		// before one that merely lacks a chunk.
		for _, q := range l.repairOrder(ids) {
			if ctx.Err() != nil {
				break
			}
			if err := l.repairObject(ctx, q.id); err != nil && ctx.Err() == nil {
				l.log.Info("repair deferred", "object", q.id, "margin", q.risk.margin, "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-l.repairKick:
		}
	}
}

// repairObject stores every missing chunk of object id that it can.
func (l *Layer) repairObject(ctx context.Context, id memo.ObjectID) error {
	lay, err := l.meta.Layout(id)
	if err != nil {
		return err
	}
	ids := lay.DataIDs(id)
	var errs []error
	for si, st := range lay.Stripes {
		var missing []int
		used := map[peer.ID]bool{}
		for i, pi := range st.Providers {
			if pi == meta.NoProvider {
				missing = append(missing, i)
			} else if p, err := peer.Decode(lay.Providers[pi]); err == nil {
				used[p] = true
			}
		}
		if len(missing) == 0 {
			continue
		}
		data := ids[st.Part]
		chunks, err := l.rebuildChunks(ctx, data, lay, st, stripeAt{obj: id, si: si}, missing)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, i := range missing {
			if err := l.repairChunk(ctx, id, data, si, i, st, chunks[i], used); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// rebuildChunks returns the chunks missing of stripe st of data (in their
// slots of k+m), rebuilt by Reed-Solomon from k chunks read checked against
// their commitments: no key is needed (objects under a customer's key are
// repaired like any other) and nothing is decrypted. Each rebuilt chunk is
// checked against its own commitment.
func (l *Layer) rebuildChunks(ctx context.Context, data erasure.DataID, lay meta.Layout, st meta.Stripe, at stripeAt, missing []int) ([][]byte, error) {
	g, err := l.gatherStripe(ctx, data, lay, st, at, l.net.GetChunkInto)
	if err != nil {
		return nil, err
	}
	defer g.release() // the rebuilt chunks are allocations of their own
	chunks := g.chunks
	if err := l.codec.Reconstruct(chunks, st.Size, missing); err != nil {
		return nil, fmt.Errorf("rebuild stripe %d of data %s: %w", st.Index, data, err)
	}
	out := make([][]byte, len(chunks))
	for _, i := range missing {
		if erasure.Commit(chunks[i]) != st.Roots[i] {
			return nil, fmt.Errorf("rebuilt chunk %d of stripe %d of %s does not match its commitment", i, st.Index, data)
		}
		out[i] = chunks[i]
	}
	return out, nil
}

// repairChunk puts chunk i of stripe si on a Provider not in used and
// records it, behind a repair intent (meta/repairintent.go) so that a chunk
// stored but never recorded is deleted rather than left behind.
func (l *Layer) repairChunk(ctx context.Context, obj memo.ObjectID, data memo.DataID, si, i int, st meta.Stripe, chunk []byte, used map[peer.ID]bool) error {
	cid := memo.ChunkID{Data: data, Stripe: st.Index, Index: uint16(i)}
	for _, p := range placement.RepairTargets(l.providers(), used, l.health.isSuspect) {
		if err := l.beginRepair(ctx, p, cid); err != nil {
			l.log.Debug("repair target skipped", "chunk", cid, "provider", p, "err", err)
			continue
		}
		if err := l.putChunk(ctx, p, cid, st.Roots[i], chunk); err != nil {
			l.health.bad(p)
			l.abandonRepair(p, cid) // the put may have landed
			continue
		}
		used[p] = true
		return l.recordRepair(obj, data, si, i, p, cid, len(chunk))
	}
	return fmt.Errorf("chunk %s: no reachable Provider outside its stripe", cid)
}

// beginRepair records the intent to store cid on p. An orphan of cid an
// abandoned repair may have left there is deleted first; orphanMu keeps the
// collector from deleting it once the new intent is in flight.
func (l *Layer) beginRepair(ctx context.Context, p peer.ID, cid memo.ChunkID) error {
	l.orphanMu.Lock()
	defer l.orphanMu.Unlock()
	if l.meta.HasAbandonedRepair(p.String(), cid) {
		dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := l.net.DeleteChunk(dctx, p, cid)
		cancel()
		if err != nil {
			return fmt.Errorf("delete the orphan an earlier repair left: %w", err)
		}
	}
	return l.meta.BeginRepair(p.String(), cid)
}

// recordRepair records chunk cid, stored on p, in its object's layout.
func (l *Layer) recordRepair(obj memo.ObjectID, data memo.DataID, si, i int, p peer.ID, cid memo.ChunkID, size int) error {
	err := l.meta.Repaired(obj, si, i, p.String())
	if errors.Is(err, meta.ErrRepairStale) {
		// The object went meanwhile: the chunk just stored is garbage.
		if gerr := l.meta.AddGarbage(data, []string{p.String()}); gerr != nil {
			return gerr
		}
		l.kickGC()
		return l.meta.DropRepair(p.String(), cid)
	}
	if err != nil {
		l.abandonRepair(p, cid) // not recorded: the chunk is an orphan
		return err
	}
	l.repairedChunks.Add(1)
	l.repairedBytes.Add(int64(size))
	l.log.Info("repaired chunk", "chunk", cid, "provider", p)
	return nil
}

// abandonRepair marks the repair of cid on p failed, for the collector.
func (l *Layer) abandonRepair(p peer.ID, cid memo.ChunkID) {
	if err := l.meta.AbandonRepair(p.String(), cid); err != nil {
		l.log.Error("abandon repair", "chunk", cid, "provider", p, "err", err)
	}
	// No GC kick: the orphan waits for the next round (or for a repair
	// that targets p again), and a kick would also hurry the deletion of a
	// stray's data on p, whose tombstone refuses this repair's retry there.
}

// collectOrphans deletes the chunks abandoned repairs may have left.
func (l *Layer) collectOrphans(ctx context.Context) {
	orphans, err := l.meta.AbandonedRepairs()
	if err != nil {
		l.log.Error("list abandoned repairs", "err", err)
		return
	}
	for _, o := range orphans {
		if ctx.Err() != nil {
			return
		}
		l.collectOrphan(ctx, o)
	}
}

// collectOrphan deletes o's chunk and forgets its intent, unless a repair
// took the intent over meanwhile.
func (l *Layer) collectOrphan(ctx context.Context, o meta.RepairOrphan) {
	l.orphanMu.Lock()
	defer l.orphanMu.Unlock()
	if !l.meta.HasAbandonedRepair(o.Provider, o.Chunk) {
		return
	}
	if p, err := peer.Decode(o.Provider); err == nil {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err = l.net.DeleteChunk(cctx, p, o.Chunk)
		cancel()
		if err != nil {
			l.log.Debug("delete orphan chunk failed; will retry", "chunk", o.Chunk, "provider", p, "err", err)
			return
		}
	}
	if err := l.meta.DropRepair(o.Provider, o.Chunk); err != nil {
		l.log.Error("drop repair intent", "chunk", o.Chunk, "err", err)
	}
}
