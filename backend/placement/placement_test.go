package placement

import (
	"fmt"
	"slices"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/erasure"
)

func candidates(n int) []peer.ID {
	out := make([]peer.ID, n)
	for i := range out {
		out[i] = peer.ID(fmt.Sprintf("peer-%02d", i))
	}
	return out
}

func oid(i int) erasure.DataID {
	var id erasure.DataID
	copy(id[:], fmt.Sprintf("object-%09d", i))
	return id
}

func TestPickDistinctAndDeterministic(t *testing.T) {
	for _, nc := range []int{1, 2, 6, 7, 20} {
		cs := candidates(nc)
		for n := 0; n <= nc; n++ {
			for i := 0; i < 50; i++ {
				got, err := Pick(cs, oid(i), uint64(i*3), n)
				if err != nil {
					t.Fatalf("Pick(%d of %d): %v", n, nc, err)
				}
				if len(got) != n {
					t.Fatalf("Pick(%d of %d) returned %d", n, nc, len(got))
				}
				seen := map[peer.ID]bool{}
				for _, p := range got {
					if seen[p] || !slices.Contains(cs, p) {
						t.Fatalf("Pick(%d of %d) = %v: repeated or unknown peer %s", n, nc, got, p)
					}
					seen[p] = true
				}
				again, _ := Pick(slices.Clone(cs), oid(i), uint64(i*3), n)
				if !slices.Equal(got, again) {
					t.Fatalf("Pick is not deterministic: %v then %v", got, again)
				}
			}
		}
	}
}

func TestPickSpreads(t *testing.T) {
	cs := candidates(8)
	first := func(id erasure.DataID, stripe uint64) peer.ID {
		got, err := Pick(cs, id, stripe, 6)
		if err != nil {
			t.Fatal(err)
		}
		return got[0]
	}
	const n = 4000
	// Over objects.
	counts := map[peer.ID]int{}
	for i := 0; i < n; i++ {
		counts[first(oid(i), 0)]++
	}
	// Over the stripes of one object.
	stripeCounts := map[peer.ID]int{}
	for s := uint64(0); s < n; s++ {
		stripeCounts[first(oid(1), s)]++
	}
	for _, c := range cs {
		for what, m := range map[string]map[peer.ID]int{"objects": counts, "stripes": stripeCounts} {
			if got := m[c]; got < n/len(cs)/2 || got > n/len(cs)*3/2 {
				t.Errorf("over %s, %s starts %d of %d placements (expected about %d)", what, c, got, n, n/len(cs))
			}
		}
	}
	// Different stripes and objects do get different placements.
	a, _ := Pick(cs, oid(1), 0, 6)
	differs := false
	for s := uint64(1); s < 10 && !differs; s++ {
		b, _ := Pick(cs, oid(1), s, 6)
		differs = !slices.Equal(a, b)
	}
	if !differs {
		t.Error("ten consecutive stripes all got the same placement")
	}
}

func TestPickTooFewCandidates(t *testing.T) {
	for _, nc := range []int{0, 1, 5} {
		if got, err := Pick(candidates(nc), oid(0), 0, nc+1); err == nil {
			t.Errorf("Pick(%d of %d) = %v, want an error", nc+1, nc, got)
		}
	}
}

func TestPickNoneOfNone(t *testing.T) {
	got, err := Pick(nil, oid(0), 0, 0)
	if err != nil || len(got) != 0 {
		t.Fatalf("Pick(0 of 0) = %v, %v", got, err)
	}
}

func TestSpare(t *testing.T) {
	cs := candidates(4)
	if got := Spare(cs, nil); got != cs[0] {
		t.Fatalf("Spare with nothing used = %q", got)
	}
	used := map[peer.ID]bool{cs[0]: true, cs[2]: true}
	got := Spare(cs, used)
	if got != cs[1] && got != cs[3] {
		t.Fatalf("Spare = %q, want an unused candidate", got)
	}
	if used[got] {
		t.Fatalf("Spare returned used candidate %q", got)
	}
	used[cs[1]], used[cs[3]] = true, true
	if got := Spare(cs, used); got != "" {
		t.Fatalf("Spare with all used = %q, want \"\"", got)
	}
	// Marking a peer false is the same as not using it.
	used[cs[3]] = false
	if got := Spare(cs, used); got != cs[3] {
		t.Fatalf("Spare = %q, want %q", got, cs[3])
	}
	if got := Spare(nil, nil); got != "" {
		t.Fatalf("Spare of no candidates = %q", got)
	}
}

// TestPickResistsAdjacentIDs: Providers whose peer ids sort next to each
// other (ground by an attacker) do not win shared stripes more than chance.
// With consecutive placement, m+1 adjacent ids shared a stripe in about
// (n-m) of n stripes; with rendezvous hashing, as often as random choice.
func TestPickResistsAdjacentIDs(t *testing.T) {
	cs := candidates(30)
	slices.Sort(cs)
	attacker := map[peer.ID]bool{cs[10]: true, cs[11]: true, cs[12]: true} // m+1 = 3 adjacent ids
	const n = 3000
	captured := 0
	for i := range n {
		got, err := Pick(cs, oid(i), 0, 6)
		if err != nil {
			t.Fatal(err)
		}
		held := 0
		for _, p := range got {
			if attacker[p] {
				held++
			}
		}
		if held == 3 {
			captured++
		}
	}
	// P(all 3 in a random 6 of 30) = C(27,3)/C(30,6) = 2925/593775 ≈ 0.49%.
	if captured > n/50 {
		t.Fatalf("3 adjacent ids shared %d of %d stripes; random placement gives about %d", captured, n, n*2925/593775)
	}
}

// TestPickMovesLittleWhenOneJoins: adding a Provider changes a stripe's
// set only by the newcomer.
func TestPickMovesLittleWhenOneJoins(t *testing.T) {
	cs := candidates(12)
	more := append(slices.Clone(cs), candidates(13)[12])
	for i := range 200 {
		a, _ := Pick(cs, oid(i), 0, 6)
		b, _ := Pick(more, oid(i), 0, 6)
		changed := 0
		for _, p := range b {
			if !slices.Contains(a, p) {
				changed++
			}
		}
		if changed > 1 {
			t.Fatalf("object %d: one new Provider changed %d of 6 placements (%v → %v)", i, changed, a, b)
		}
	}
}

func TestReadOrder(t *testing.T) {
	cs := candidates(4)
	holders := []peer.ID{cs[0], "", cs[1], cs[2], cs[3]}
	suspect := func(p peer.ID) bool { return p == cs[0] || p == cs[3] }
	got := ReadOrder(holders, suspect)
	if want := []int{2, 3, 0, 4}; !slices.Equal(got, want) {
		t.Fatalf("ReadOrder = %v, want %v (healthy first, data chunks first, no empty holder)", got, want)
	}
}

func TestRepairTargets(t *testing.T) {
	cs := candidates(5)
	used := map[peer.ID]bool{cs[1]: true}
	suspect := func(p peer.ID) bool { return p == cs[0] }
	got := RepairTargets(cs, used, suspect)
	if want := []peer.ID{cs[2], cs[3], cs[4], cs[0]}; !slices.Equal(got, want) {
		t.Fatalf("RepairTargets = %v, want %v", got, want)
	}
}
