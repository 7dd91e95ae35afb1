package erasure

// Proofs from stored leaf hashes: a chunk's leaf hashes (32 bytes per
// LeafSize bytes) are all a proof needs besides the sampled leaf, so a
// Provider that keeps them proves a leaf by reading one leaf, not hashing
// its whole chunk.
//
// Invariants:
//   - RootOfLeaves(size, LeafHashes of a chunk of size bytes) is Commit of
//     that chunk, and ProveFromLeaves gives the proof Prove gives: stored
//     hashes are checked against the commitment before they are used, and
//     the sampled leaf against its hash.

import "fmt"

// LeafHash returns the tree hash of one leaf's bytes.
func LeafHash(leaf []byte) [32]byte { return hashLeaf(leaf) }

// RootOfLeaves returns the commitment of a chunk of size bytes whose leaf
// hashes are hashes; ok is false if there are not LeafCount(size) of them.
func RootOfLeaves(size int, hashes [][32]byte) (r Root, ok bool) {
	if size < 0 || len(hashes) != LeafCount(size) {
		return Root{}, false
	}
	return finalRoot(size, subtreeRoot(hashes, make([][32]byte, len(hashes)))), true
}

// ProveFromLeaves returns the inclusion proof of leaf i of a chunk of size
// bytes from its leaf hashes, as Prove would from its bytes.
func ProveFromLeaves(size int, hashes [][32]byte, i int) (Proof, error) {
	if len(hashes) != LeafCount(size) {
		return Proof{}, fmt.Errorf("erasure: prove leaf %d of %d-byte chunk: %d leaf hashes, want %d", i, size, len(hashes), LeafCount(size))
	}
	if _, _, ok := leafBounds(size, i); !ok {
		return Proof{}, fmt.Errorf("erasure: prove leaf %d of %d-byte chunk: leaf index out of range [0,%d)", i, size, LeafCount(size))
	}
	return Proof{Leaf: i, Size: size, Path: pathOf(hashes, i)}, nil
}

// LeafRange returns the byte range [start, end) of leaf i in a chunk of
// size bytes; ok is false if i is not one of its leaves.
func LeafRange(size, i int) (start, end int, ok bool) { return leafBounds(size, i) }
