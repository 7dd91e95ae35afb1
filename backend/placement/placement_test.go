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
