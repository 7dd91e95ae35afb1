package erasure

import (
	"math/rand/v2"
	"testing"
)

// TestCommitterMatchesCommit: whatever the split of a chunk into writes,
// the Committer's root is Commit's.
func TestCommitterMatchesCommit(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, size := range []int{0, 1, LeafSize - 1, LeafSize, LeafSize + 1, 3*LeafSize + 17, 1<<20 + 5} {
		chunk := make([]byte, size)
		for i := range chunk {
			chunk[i] = byte(rng.Uint32())
		}
		want := Commit(chunk)
		for _, piece := range []int{1, 7, LeafSize, 65536 - 32, 65536, size + 1} {
			var c Committer
			if piece%2 == 0 {
				c.Grow(size) // optional: the root is the same either way
			}
			for rest := chunk; len(rest) > 0; {
				n := min(len(rest), max(1, piece-rng.IntN(2)))
				c.Write(rest[:n])
				rest = rest[n:]
			}
			if c.Size() != size || c.Root() != want {
				t.Fatalf("%d bytes in pieces of ~%d: root %s size %d; want %s", size, piece, c.Root(), c.Size(), want)
			}
		}
	}
}

// TestCommitterGrownAllocatesNothing: a Committer grown for its chunk
// hashes the whole chunk, written in 64 KiB pieces, without allocating.
func TestCommitterGrownAllocatesNothing(t *testing.T) {
	chunk := make([]byte, 1<<20)
	var c Committer
	allocs := testing.AllocsPerRun(3, func() {
		c = Committer{lh: c.lh} // keep the digest: it is made once per Committer
		c.Grow(len(chunk))
		for off := 0; off < len(chunk); off += 65536 {
			c.Write(chunk[off : off+65536])
		}
	})
	if allocs > 1 { // Grow's one allocation
		t.Fatalf("%v allocations per 1 MiB chunk, want at most 1 (Grow)", allocs)
	}
	if c.Root() != Commit(chunk) {
		t.Fatal("grown Committer's root differs from Commit")
	}
}
