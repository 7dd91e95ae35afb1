package erasure

// Invariants:
//   - After the bytes of a chunk are written to a Committer in pieces of any
//     sizes, Root returns Commit(chunk): full leaves are hashed as soon as
//     they are complete, a leaf split across writes is gathered in partial
//     first, and the last (short or empty) leaf is hashed by Root.

import (
	"crypto/sha256"
	"hash"
)

// Committer computes a chunk's commitment from its bytes written in pieces,
// holding one leaf and the leaf hashes (32 bytes per 4 KiB), not the chunk.
// The zero value is ready; it is an io.Writer whose Write never fails.
type Committer struct {
	leaves  [][32]byte
	partial []byte
	size    int
	h       hash.Hash // reused for every leaf, with prefix and sum
	prefix  [1]byte
	sum     [32]byte
}

// Grow makes room for the leaf hashes of a chunk of size bytes, so that
// writing it allocates nothing more.
func (c *Committer) Grow(size int) {
	if n := LeafCount(size) + 1; cap(c.leaves)-len(c.leaves) < n {
		c.leaves = append(make([][32]byte, 0, len(c.leaves)+n), c.leaves...)
	}
}

// leaf is hashLeaf(p), allocating nothing once c has its digest.
func (c *Committer) leaf(p []byte) [32]byte {
	if c.h == nil {
		c.h = sha256.New()
	}
	c.h.Reset()
	c.prefix[0] = leafPrefix
	c.h.Write(c.prefix[:])
	c.h.Write(p)
	c.h.Sum(c.sum[:0])
	return c.sum
}

// Write adds p to the chunk.
func (c *Committer) Write(p []byte) (int, error) {
	n := len(p)
	c.size += n
	if len(c.partial) > 0 {
		k := min(LeafSize-len(c.partial), len(p))
		c.partial = append(c.partial, p[:k]...)
		p = p[k:]
		if len(c.partial) < LeafSize {
			return n, nil
		}
		c.leaves = append(c.leaves, c.leaf(c.partial))
		c.partial = c.partial[:0]
	}
	for len(p) >= LeafSize {
		c.leaves = append(c.leaves, c.leaf(p[:LeafSize]))
		p = p[LeafSize:]
	}
	if len(p) > 0 {
		if c.partial == nil {
			c.partial = make([]byte, 0, LeafSize)
		}
		c.partial = append(c.partial, p...)
	}
	return n, nil
}

// Size is the number of bytes written.
func (c *Committer) Size() int { return c.size }

// Root returns the commitment of the bytes written so far.
func (c *Committer) Root() Root {
	hashes := make([][32]byte, len(c.leaves), len(c.leaves)+1)
	copy(hashes, c.leaves)
	if len(c.partial) > 0 || len(hashes) == 0 {
		hashes = append(hashes, c.leaf(c.partial))
	}
	return finalRoot(c.size, reduce(hashes))
}
