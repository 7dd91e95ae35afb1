package user

// The scrubber: finds chunks that rotted or vanished on their Providers
// before a read or a second loss does. It walks every object's layout in
// pages and asks each holder to verify its chunk in place (the Provider
// re-reads and re-hashes it; nothing crosses the network but the answer).
//
// Invariants:
//   - At most ScrubRate verifications per second, one at a time: the cost
//     is bounded whatever the data size (a full pass takes chunks/rate).
//   - A chunk its Provider lost is reported like a read's finding (heal.go);
//     any other failure only counts against the Provider's health.
//   - The walk holds no snapshot between pages, so a pass of hours pins no
//     old metadata; objects written during a pass may be checked next pass.

import (
	"context"
	"errors"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/meta"
)

const scrubPage = 64 // layouts read per page

func (l *Layer) runScrub(ctx context.Context) {
	if l.cfg.ScrubRate < 0 {
		return
	}
	every := time.Duration(float64(time.Second) / l.cfg.ScrubRate)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		start := time.Now()
		n := l.scrubPass(ctx, tick.C)
		if ctx.Err() != nil {
			return
		}
		l.log.Info("scrub pass done", "chunks", n, "took", time.Since(start).Round(time.Millisecond))
		select {
		case <-ctx.Done():
			return
		case <-time.After(l.cfg.ScrubInterval):
		}
	}
}

// scrubPass verifies every chunk once, one per tick, and returns how many
// it checked.
func (l *Layer) scrubPass(ctx context.Context, tick <-chan time.Time) int {
	var after *memo.ObjectID
	n := 0
	for ctx.Err() == nil {
		page, err := l.meta.Layouts(after, scrubPage)
		if err != nil {
			l.log.Error("scrub: list layouts", "err", err)
			return n
		}
		for _, o := range page {
			n += l.scrubObject(ctx, o.ID, o.Layout, tick)
			id := o.ID
			after = &id
		}
		if len(page) < scrubPage {
			return n
		}
	}
	return n
}

func (l *Layer) scrubObject(ctx context.Context, id memo.ObjectID, lay meta.Layout, tick <-chan time.Time) int {
	ids := lay.DataIDs(id)
	n := 0
	for si, st := range lay.Stripes {
		for i, pi := range st.Providers {
			if pi == meta.NoProvider || int(pi) >= len(lay.Providers) {
				continue
			}
			select {
			case <-ctx.Done():
				return n
			case <-tick:
			}
			p, err := peer.Decode(lay.Providers[pi])
			if err != nil {
				continue
			}
			n++
			cid := memo.ChunkID{Data: ids[st.Part], Stripe: st.Index, Index: uint16(i)}
			err = l.net.VerifyChunk(ctx, p, cid, st.Roots[i])
			switch {
			case err == nil:
				l.health.good(p)
			case errors.Is(err, memo.ErrChunkLost):
				l.scrubbedLost.Add(1)
				l.reportLost(lostChunk{obj: id, si: si, i: i, provider: lay.Providers[pi]})
			case ctx.Err() == nil:
				l.health.bad(p)
			}
		}
	}
	return n
}
