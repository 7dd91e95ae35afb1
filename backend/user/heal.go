package user

// Healing: chunks found lost by reads, and chunks on Providers confirmed
// lost, leave their layouts and join the repair queue (repair.go re-places
// them).
//
// Invariants:
//   - A read that gets "not held" or "does not match its commitment" from a
//     Provider reports the chunk at once (lost); the repair loop records it
//     (meta.LoseChunk) and repairs it, most urgent first.
//   - A chunk on an unhealthy Provider is given up only once the failure is
//     confirmed, and the confirmation time shrinks with the stripe's risk
//     (RAFI): a chunk on a Provider failing on chain, or gone, at once; on
//     one failing by a streak of failed requests after
//     GoneAfter·(margin+1)/(m+1), where margin is how many more losses the
//     stripe would survive if every unhealthy holder were lost. A stripe
//     that would be at or past the edge is repaired at once.
//   - The sweep reads layouts from a snapshot and only runs while some
//     Provider is unhealthy; memory is one layout at a time.

import (
	"errors"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/meta"
)

// lostChunk names chunk i of stripe si of object obj on provider.
type lostChunk struct {
	obj      memo.ObjectID
	si, i    int
	provider string
}

// stripeAt names the stripe a read is for, so a lost chunk can be reported.
type stripeAt struct {
	obj memo.ObjectID
	si  int
}

// reportLost queues c for the repair loop; a full queue drops it (the next
// read or sweep finds it again).
func (l *Layer) reportLost(c lostChunk) {
	select {
	case l.lost <- c:
		l.kickRepair()
	default:
	}
}

// recordLost records every reported lost chunk.
func (l *Layer) recordLost() {
	for {
		select {
		case c := <-l.lost:
			l.loseChunk(c, "found lost by a read")
		default:
			return
		}
	}
}

func (l *Layer) loseChunk(c lostChunk, why string) {
	err := l.meta.LoseChunk(c.obj, c.si, c.i, c.provider)
	switch {
	case errors.Is(err, meta.ErrRepairStale):
	case err != nil:
		l.log.Error("record lost chunk", "object", c.obj, "stripe", c.si, "chunk", c.i, "provider", c.provider, "err", err)
	default:
		l.lostChunks.Add(1)
		l.log.Warn("chunk lost; queued for repair", "object", c.obj, "stripe", c.si, "chunk", c.i, "provider", c.provider, "why", why)
	}
}

// sweepUnhealthy gives up the chunks held by Providers whose failure is
// confirmed for their stripe's risk.
func (l *Layer) sweepUnhealthy(now time.Time) {
	unhealthy := l.health.unhealthy(now)
	if len(unhealthy) == 0 {
		return
	}
	err := l.meta.EachLayout(func(id memo.ObjectID, lay meta.Layout) bool {
		for si, st := range lay.Stripes {
			l.sweepStripe(id, lay, si, st, unhealthy)
		}
		return true
	})
	if err != nil {
		l.log.Error("sweep layouts for lost providers", "err", err)
	}
}

func (l *Layer) sweepStripe(id memo.ObjectID, lay meta.Layout, si int, st meta.Stripe, unhealthy map[string]failure) {
	margin := lay.M
	var weak []int
	for i, pi := range st.Providers {
		if pi == meta.NoProvider || int(pi) >= len(lay.Providers) {
			margin--
			continue
		}
		if _, bad := unhealthy[lay.Providers[pi]]; bad {
			margin--
			weak = append(weak, i)
		}
	}
	wait := l.cfg.GoneAfter * time.Duration(max(margin, -1)+1) / time.Duration(lay.M+1)
	for _, i := range weak {
		p := lay.Providers[st.Providers[i]]
		if f := unhealthy[p]; f.confirmed || f.streak >= wait {
			l.loseChunk(lostChunk{obj: id, si: si, i: i, provider: p}, f.why(wait))
		}
	}
}

// failure is how long a Provider has been failing, and whether that is
// confirmed regardless of risk (gone, or failing on chain).
type failure struct {
	streak    time.Duration
	confirmed bool
	reason    string
}

func (f failure) why(wait time.Duration) string {
	switch {
	case f.reason != "":
		return f.reason
	case f.confirmed:
		return "provider gone"
	}
	return "provider failing for " + f.streak.Round(time.Second).String() + " (confirmation time " + wait.Round(time.Second).String() + " at this stripe's risk)"
}

// unhealthy lists the Providers failing or gone now, by peer id string.
func (h *providerHealth) unhealthy(now time.Time) map[string]failure {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out map[string]failure
	for p, r := range h.m {
		f := failure{reason: r.reason, confirmed: r.reason != ""}
		if r.fails > 0 {
			f.streak = now.Sub(r.firstFail)
			f.confirmed = f.confirmed || h.goneAfter > 0 && f.streak >= h.goneAfter
		}
		if !f.confirmed && r.fails < failingAfter {
			continue
		}
		if out == nil {
			out = map[string]failure{}
		}
		out[peer.ID(p).String()] = f
	}
	return out
}
