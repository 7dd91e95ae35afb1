// Chunk commitments: a length-binding Merkle tree over LeafSize leaves.
//
// Invariants:
//   - A chunk of n bytes has LeafCount(n) = max(1, ceil(n/LeafSize)) leaves;
//     every leaf is LeafSize bytes except possibly the last; an empty chunk
//     has one empty leaf.
//   - Leaf hash = SHA-256(0x00 || leaf), inner node = SHA-256(0x01 || l || r),
//     tree shape as RFC 6962 (left subtree holds the largest power of two
//     strictly smaller than the leaf count), so no node is ever duplicated.
//   - Root = SHA-256(0x02 || BE uint64 chunk length || tree root): chunks
//     differing only by trailing zeros have different roots.
//   - Proof.Path lists sibling hashes from the leaf level up to the root.
package erasure

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"math/bits"
)

// LeafSize is the number of chunk bytes per Merkle leaf.
const LeafSize = 4096

const (
	leafPrefix  = 0x00
	nodePrefix  = 0x01
	rootPrefix  = 0x02
	maxProofLen = 64
)

// Root is the commitment to one chunk.
type Root [32]byte

// String returns the root in lowercase hex.
func (r Root) String() string { return hex.EncodeToString(r[:]) }

// Proof shows that one leaf belongs to a committed chunk.
type Proof struct {
	Leaf int        // leaf index, 0 <= Leaf < LeafCount(Size)
	Size int        // chunk length in bytes
	Path [][32]byte // sibling hashes, leaf level first
}

// LeafCount returns the number of leaves of a chunk of size bytes (>= 1).
func LeafCount(size int) int {
	if size <= 0 {
		return 1
	}
	return (size-1)/LeafSize + 1
}

// leafBounds returns the byte range of leaf i in a chunk of size bytes, or
// ok=false if i is not a leaf index of such a chunk.
func leafBounds(size, i int) (start, end int, ok bool) {
	if size < 0 || i < 0 || i >= LeafCount(size) {
		return 0, 0, false
	}
	start = i * LeafSize
	return start, min(start+LeafSize, size), true
}

// Commit returns the Merkle commitment of chunk.
func Commit(chunk []byte) Root {
	hashes := leafHashes(chunk)
	return finalRoot(len(chunk), reduce(hashes))
}

// Verifies reports whether Commit(chunk) == root.
func Verifies(root Root, chunk []byte) bool {
	return Commit(chunk) == root
}

// Prove returns the inclusion proof for leaf i of chunk.
func Prove(chunk []byte, i int) (Proof, error) {
	if _, _, ok := leafBounds(len(chunk), i); !ok {
		return Proof{}, fmt.Errorf("erasure: prove leaf %d of %d-byte chunk: leaf index out of range [0,%d)", i, len(chunk), LeafCount(len(chunk)))
	}
	return Proof{Leaf: i, Size: len(chunk), Path: pathOf(leafHashes(chunk), i)}, nil
}

// Verify reports whether leafData is leaf p.Leaf of a chunk of length p.Size
// committed to by root. leafData must have exactly the length of that leaf.
func Verify(root Root, leafData []byte, p Proof) bool {
	start, end, ok := leafBounds(p.Size, p.Leaf)
	if !ok || len(leafData) != end-start || len(p.Path) > maxProofLen {
		return false
	}
	r, ok := inclusionRoot(hashLeaf(leafData), uint64(p.Leaf), uint64(LeafCount(p.Size)-1), p.Path)
	return ok && finalRoot(p.Size, r) == root
}

// pathOf returns the RFC 6962 inclusion path of leaf i over hashes, leaf
// level first.
func pathOf(hashes [][32]byte, i int) [][32]byte {
	scratch := make([][32]byte, len(hashes))
	var path [][32]byte
	lo, hi, idx := 0, len(hashes), i
	for hi-lo > 1 {
		split := largestPow2Below(hi - lo)
		if idx < split {
			path = append(path, subtreeRoot(hashes[lo+split:hi], scratch))
			hi = lo + split
		} else {
			path = append(path, subtreeRoot(hashes[lo:lo+split], scratch))
			lo += split
			idx -= split
		}
	}
	for a, b := 0, len(path)-1; a < b; a, b = a+1, b-1 {
		path[a], path[b] = path[b], path[a]
	}
	return path
}

// inclusionRoot recomputes the tree root from a leaf hash at index fn of a
// tree whose last index is sn (RFC 9162 section 2.1.3.2).
func inclusionRoot(leaf [32]byte, fn, sn uint64, path [][32]byte) ([32]byte, bool) {
	r := leaf
	for _, sib := range path {
		if sn == 0 {
			return r, false
		}
		if fn&1 == 1 || fn == sn {
			r = hashNode(&sib, &r)
			for fn&1 == 0 && fn != 0 {
				fn >>= 1
				sn >>= 1
			}
		} else {
			r = hashNode(&r, &sib)
		}
		fn >>= 1
		sn >>= 1
	}
	return r, sn == 0
}

// leafHashes hashes every leaf of chunk into one slice.
func leafHashes(chunk []byte) [][32]byte {
	hashes := make([][32]byte, LeafCount(len(chunk)))
	var lh leafHasher
	for i := range hashes {
		start := i * LeafSize
		lh.sum(chunk[start:min(start+LeafSize, len(chunk))], &hashes[i])
	}
	return hashes
}

// reduce folds leaf hashes into the RFC 6962 tree root, in place. Pairing
// adjacent nodes level by level and promoting an odd last node yields the
// same tree as recursively splitting at the largest power of two.
func reduce(hashes [][32]byte) [32]byte {
	n := len(hashes)
	for n > 1 {
		half := n / 2
		for j := range half {
			hashes[j] = hashNode(&hashes[2*j], &hashes[2*j+1])
		}
		if n&1 == 1 {
			hashes[half] = hashes[n-1]
			half++
		}
		n = half
	}
	return hashes[0]
}

// subtreeRoot returns the tree root over hashes without modifying them.
func subtreeRoot(hashes, scratch [][32]byte) [32]byte {
	s := scratch[:len(hashes)]
	copy(s, hashes)
	return reduce(s)
}

func hashLeaf(data []byte) (out [32]byte) {
	var lh leafHasher
	lh.sum(data, &out)
	return out
}

// leafHasher hashes leaves with one digest, allocating nothing per leaf once
// it has made its digest. The zero value is ready.
type leafHasher struct {
	h      hash.Hash
	prefix [1]byte
}

// sum writes the hash of leaf data to out.
func (lh *leafHasher) sum(data []byte, out *[32]byte) {
	if lh.h == nil {
		lh.h, lh.prefix[0] = sha256.New(), leafPrefix
	}
	lh.h.Reset()
	lh.h.Write(lh.prefix[:])
	lh.h.Write(data)
	lh.h.Sum(out[:0])
}

func hashNode(l, r *[32]byte) [32]byte {
	var buf [65]byte
	buf[0] = nodePrefix
	copy(buf[1:33], l[:])
	copy(buf[33:], r[:])
	return sha256.Sum256(buf[:])
}

func finalRoot(size int, tree [32]byte) Root {
	var buf [41]byte
	buf[0] = rootPrefix
	binary.BigEndian.PutUint64(buf[1:9], uint64(size))
	copy(buf[9:], tree[:])
	return Root(sha256.Sum256(buf[:]))
}

// largestPow2Below returns the largest power of two strictly less than n (n >= 2).
func largestPow2Below(n int) int {
	return 1 << (bits.Len(uint(n-1)) - 1)
}

// ListRoot returns the Merkle root over a list of items, each given as its
// leaf content (hashed with the leaf prefix), in the same RFC 6962 tree shape
// as chunk commitments, with the item count bound in. Orders use it to commit
// to the list of chunks a Provider stores for a User. An empty list has the
// zero root.
func ListRoot(items [][]byte) Root {
	if len(items) == 0 {
		return Root{}
	}
	hashes := make([][32]byte, len(items))
	for i, it := range items {
		hashes[i] = hashLeaf(it)
	}
	return finalRoot(len(items), reduce(hashes))
}
