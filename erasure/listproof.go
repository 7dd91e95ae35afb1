// List inclusion proofs: show that one item belongs to a list committed to
// by ListRoot (an order's chunk list), without revealing the other items.
//
// Invariants:
//   - ProveList's path has the same shape and leaf-to-root order as Prove's,
//     over hashLeaf(item) leaves; the list length is bound into the root, so
//     a path verifies only with the true index and item count.
//   - VerifyList never panics on any input and rejects paths longer than
//     maxProofLen.
package erasure

import "fmt"

// ProveList returns the sibling path (leaf level first) of item i in the
// list committed to by ListRoot(items).
func ProveList(items [][]byte, i int) ([][32]byte, error) {
	if i < 0 || i >= len(items) {
		return nil, fmt.Errorf("erasure: prove item %d of %d-item list: index out of range", i, len(items))
	}
	hashes := make([][32]byte, len(items))
	for j, it := range items {
		hashes[j] = hashLeaf(it)
	}
	return pathOf(hashes, i), nil
}

// VerifyList reports whether item is item index of a count-item list
// committed to by root.
func VerifyList(root Root, item []byte, index, count int, path [][32]byte) bool {
	if count <= 0 || index < 0 || index >= count || len(path) > maxProofLen {
		return false
	}
	r, ok := inclusionRoot(hashLeaf(item), uint64(index), uint64(count-1), path)
	return ok && finalRoot(count, r) == root
}

// ListTree holds every level of a list's Merkle tree so that many paths can
// be taken from it at O(log n) each (a Provider proving several entries of
// one order).
type ListTree struct {
	levels [][][32]byte // levels[0] = leaf hashes; last level has one node
}

// NewListTree builds the tree of ListRoot(items); items must be non-empty.
func NewListTree(items [][]byte) (*ListTree, error) {
	if len(items) == 0 {
		return nil, fmt.Errorf("erasure: list tree of an empty list")
	}
	level := make([][32]byte, len(items))
	for j, it := range items {
		level[j] = hashLeaf(it)
	}
	t := &ListTree{levels: [][][32]byte{level}}
	// Pairing adjacent nodes and promoting an odd last one gives the RFC
	// 6962 shape (see reduce).
	for len(level) > 1 {
		next := make([][32]byte, (len(level)+1)/2)
		for j := range len(level) / 2 {
			next[j] = hashNode(&level[2*j], &level[2*j+1])
		}
		if len(level)&1 == 1 {
			next[len(next)-1] = level[len(level)-1]
		}
		t.levels = append(t.levels, next)
		level = next
	}
	return t, nil
}

// Count is the number of items.
func (t *ListTree) Count() int { return len(t.levels[0]) }

// Root equals ListRoot of the items.
func (t *ListTree) Root() Root { return finalRoot(t.Count(), t.levels[len(t.levels)-1][0]) }

// Path returns the path of item i, as ProveList does.
func (t *ListTree) Path(i int) ([][32]byte, error) {
	if i < 0 || i >= t.Count() {
		return nil, fmt.Errorf("erasure: path of item %d of %d-item list: index out of range", i, t.Count())
	}
	var path [][32]byte
	for _, level := range t.levels[:len(t.levels)-1] {
		if sib := i ^ 1; sib < len(level) {
			path = append(path, level[sib])
		}
		i >>= 1
	}
	return path, nil
}
