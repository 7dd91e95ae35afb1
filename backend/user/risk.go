package user

// Invariants:
//   - A stripe's margin is how many more chunk losses it survives: m minus
//     its chunks without a Provider or on a gone Provider. Margin 0 is one
//     loss from data loss.
//   - The repair queue is worked most urgent first: lowest margin, then most
//     chunks on failing or suspect Providers; ties keep the queue's order.

import (
	"cmp"
	"slices"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/meta"
)

// risk is the urgency of a stripe, or of an object's worst stripe.
type risk struct {
	margin int // further losses survivable
	weak   int // chunks on failing or suspect Providers
}

// compare orders risks most urgent first.
func (a risk) compare(b risk) int {
	if c := cmp.Compare(a.margin, b.margin); c != 0 {
		return c
	}
	return cmp.Compare(b.weak, a.weak)
}

// stripeRisk rates one stripe of lay by the health of its holders.
func (l *Layer) stripeRisk(lay meta.Layout, st meta.Stripe) risk {
	r := risk{margin: lay.M}
	for _, pi := range st.Providers {
		if pi == meta.NoProvider || int(pi) >= len(lay.Providers) {
			r.margin--
			continue
		}
		p, err := peer.Decode(lay.Providers[pi])
		if err != nil {
			r.margin--
			continue
		}
		switch l.health.state(p) {
		case Gone:
			r.margin--
		case Failing, Suspect:
			r.weak++
		}
	}
	return r
}

// layoutRisk is the risk of lay's most urgent stripe.
func (l *Layer) layoutRisk(lay meta.Layout) risk {
	worst := risk{margin: lay.M}
	for _, st := range lay.Stripes {
		if r := l.stripeRisk(lay, st); r.compare(worst) < 0 {
			worst = r
		}
	}
	return worst
}

// queued is an object awaiting repair and its risk.
type queued struct {
	id   memo.ObjectID
	risk risk
}

// repairOrder rates every object of the repair queue and returns them most
// urgent first. An object whose layout cannot be read keeps its place at
// the end (repairObject reports why).
func (l *Layer) repairOrder(ids []memo.ObjectID) []queued {
	out := make([]queued, 0, len(ids))
	for _, id := range ids {
		q := queued{id: id, risk: risk{margin: l.cfg.M + 1}}
		if lay, err := l.meta.Layout(id); err == nil {
			q.risk = l.layoutRisk(lay)
		}
		out = append(out, q)
	}
	sortByRisk(out)
	return out
}

// sortByRisk orders qs most urgent first, keeping the order of equals.
func sortByRisk(qs []queued) {
	slices.SortStableFunc(qs, func(a, b queued) int { return a.risk.compare(b.risk) })
}
