package user

// Invariants:
//   - Repair never lowers durability: it only adds a chunk where a stripe
//     has none, and the chunk it adds is checked against the commitment the
//     layout already records (re-encoding a stripe is deterministic).
//   - A repaired chunk lands on a Provider holding no other chunk of its
//     stripe.

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
		key := erasure.DataKey(l.cfg.MasterKey, data)
		plain, err := l.fetchStripe(ctx, key, data, lay, st, stripeAt{obj: id, si: si})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		chunks, err := l.codec.Encode(key, data, st.Index, plain)
		if err != nil {
			return fmt.Errorf("re-encode stripe %d of %s: %w", st.Index, data, err)
		}
		for _, i := range missing {
			if erasure.Commit(chunks[i]) != st.Roots[i] {
				return fmt.Errorf("re-encoded chunk %d of stripe %d of %s does not match its commitment", i, st.Index, data)
			}
			if err := l.repairChunk(ctx, id, data, si, i, st, chunks[i], used); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// repairChunk puts chunk i of stripe si on a Provider not in used and
// records it.
func (l *Layer) repairChunk(ctx context.Context, obj memo.ObjectID, data memo.DataID, si, i int, st meta.Stripe, chunk []byte, used map[peer.ID]bool) error {
	cid := memo.ChunkID{Data: data, Stripe: st.Index, Index: uint16(i)}
	for _, p := range placement.RepairTargets(l.providers(), used, l.health.isSuspect) {
		if err := l.net.PutChunk(ctx, p, cid, st.Roots[i], chunk); err != nil {
			l.health.bad(p)
			continue
		}
		used[p] = true
		err := l.meta.Repaired(obj, si, i, p.String())
		if errors.Is(err, meta.ErrRepairStale) {
			// The object went meanwhile: the chunk just stored is garbage.
			if gerr := l.meta.AddGarbage(data, []string{p.String()}); gerr != nil {
				return gerr
			}
			l.kickGC()
			return nil
		}
		if err != nil {
			return err
		}
		l.repairedChunks.Add(1)
		l.repairedBytes.Add(int64(len(chunk)))
		l.log.Info("repaired chunk", "chunk", cid, "provider", p)
		return nil
	}
	return fmt.Errorf("chunk %s: no reachable Provider outside its stripe", cid)
}
