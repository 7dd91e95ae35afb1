package erasure

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

func TestProofsFromLeafHashes(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, size := range []int{0, 1, LeafSize - 1, LeafSize, LeafSize + 1, 5*LeafSize + 3, 1 << 20} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(r.Uint32())
		}
		var c Committer
		for rest := data; len(rest) > 0; {
			n := min(len(rest), 1+r.IntN(3*LeafSize))
			c.Write(rest[:n])
			rest = rest[n:]
		}
		hashes := c.LeafHashes()
		root := Commit(data)
		if got, ok := RootOfLeaves(size, hashes); !ok || got != root {
			t.Fatalf("size %d: RootOfLeaves = %s, %v; want %s", size, got, ok, root)
		}
		for _, i := range []int{0, LeafCount(size) / 2, LeafCount(size) - 1} {
			want, err := Prove(data, i)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ProveFromLeaves(size, hashes, i)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("size %d leaf %d: ProveFromLeaves = %+v, %v; want %+v", size, i, got, err, want)
			}
			start, end, ok := LeafRange(size, i)
			if !ok || LeafHash(data[start:end]) != hashes[i] || !Verify(root, data[start:end], got) {
				t.Fatalf("size %d leaf %d: range [%d,%d) %v does not verify", size, i, start, end, ok)
			}
		}
		if _, err := ProveFromLeaves(size, hashes, LeafCount(size)); err == nil {
			t.Fatalf("size %d: proof of leaf %d, past the last, was given", size, LeafCount(size))
		}
		if _, ok := RootOfLeaves(size, hashes[1:]); ok {
			t.Fatalf("size %d: a root from %d of %d leaf hashes", size, len(hashes)-1, len(hashes))
		}
		if _, err := ProveFromLeaves(size, append(hashes, [32]byte{}), 0); err == nil {
			t.Fatalf("size %d: a proof from one leaf hash too many", size)
		}
		// A changed leaf hash changes the root: stored hashes are checked.
		hashes[len(hashes)-1][0] ^= 1
		if got, _ := RootOfLeaves(size, hashes); got == root {
			t.Fatalf("size %d: a changed leaf hash gave the same root", size)
		}
	}
}
