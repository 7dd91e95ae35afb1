package user

import (
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/test"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/meta"
)

// TestRepairOrderByRisk: a stripe one loss from data loss (a gap plus a
// chunk on a gone Provider) is repaired before a gap whose other holders
// include a suspect one, which goes before a plain gap.
func TestRepairOrderByRisk(t *testing.T) {
	now := time.Unix(5000, 0)
	l := &Layer{cfg: Config{K: 4, M: 2}, health: providerHealth{suspectFor: time.Minute, goneAfter: 10 * time.Minute,
		now: func() time.Time { return now }}}
	var ids []string
	for range 7 {
		p, err := test.RandPeerID()
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.String())
	}
	gone, _ := peer.Decode(ids[1])
	suspect, _ := peer.Decode(ids[2])
	l.health.bad(gone)
	now = now.Add(11 * time.Minute)
	l.health.bad(gone)
	l.health.bad(suspect)
	lay := func(holders ...uint16) meta.Layout {
		return meta.Layout{K: 4, M: 2, Providers: ids, Stripes: []meta.Stripe{{Providers: holders}}}
	}
	N := meta.NoProvider
	plain := lay(N, 3, 4, 5, 0, 6)    // one gap, healthy holders
	weak := lay(N, 2, 3, 4, 5, 0)     // one gap, one suspect holder
	critical := lay(N, 1, 3, 4, 5, 0) // one gap, one gone holder: margin 0
	for name, c := range map[string]struct {
		lay  meta.Layout
		want risk
	}{"plain": {plain, risk{1, 0}}, "weak": {weak, risk{1, 1}}, "critical": {critical, risk{0, 0}}} {
		if got := l.layoutRisk(c.lay); got != c.want {
			t.Errorf("%s: risk %+v, want %+v", name, got, c.want)
		}
	}
	qs := []queued{{id: memo.ObjectID{1}, risk: l.layoutRisk(plain)}, {id: memo.ObjectID{2}, risk: l.layoutRisk(weak)},
		{id: memo.ObjectID{3}, risk: l.layoutRisk(critical)}, {id: memo.ObjectID{4}, risk: l.layoutRisk(plain)}}
	sortByRisk(qs)
	var got []byte
	for _, q := range qs {
		got = append(got, q.id[0])
	}
	if string(got) != string([]byte{3, 2, 1, 4}) {
		t.Fatalf("repair order %v, want [3 2 1 4] (critical, weak, then plain gaps in queue order)", got)
	}
}
