package erasure

// Invariants:
//   - After the bytes of a chunk are written to a Committer in pieces of any
//     sizes, Root returns Commit(chunk): full leaves are hashed as soon as
//     they are complete, a leaf split across writes is gathered in partial
//     first, and the last (short or empty) leaf is hashed by Root.

// Committer computes a chunk's commitment from its bytes written in pieces,
// holding one leaf and the leaf hashes (32 bytes per 4 KiB), not the chunk.
// The zero value is ready; it is an io.Writer whose Write never fails.
type Committer struct {
	leaves  [][32]byte
	partial []byte
	size    int
	lh      leafHasher
}

// Grow makes room for the leaf hashes of a chunk of size bytes, so that
// writing it allocates nothing more.
func (c *Committer) Grow(size int) {
	if n := LeafCount(size) + 1; cap(c.leaves)-len(c.leaves) < n {
		c.leaves = append(make([][32]byte, 0, len(c.leaves)+n), c.leaves...)
	}
}

// addLeaf appends the hash of leaf p to hashes.
func (c *Committer) addLeaf(hashes [][32]byte, p []byte) [][32]byte {
	hashes = append(hashes, [32]byte{})
	c.lh.sum(p, &hashes[len(hashes)-1])
	return hashes
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
		c.leaves = c.addLeaf(c.leaves, c.partial)
		c.partial = c.partial[:0]
	}
	for len(p) >= LeafSize {
		c.leaves = c.addLeaf(c.leaves, p[:LeafSize])
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
	return finalRoot(c.size, reduce(c.LeafHashes()))
}

// LeafHashes returns the hashes of the LeafCount(Size()) leaves of the
// bytes written so far, the last (short or empty) leaf included, in a new
// slice.
func (c *Committer) LeafHashes() [][32]byte {
	hashes := make([][32]byte, len(c.leaves), len(c.leaves)+1)
	copy(hashes, c.leaves)
	if len(c.partial) > 0 || len(hashes) == 0 {
		hashes = c.addLeaf(hashes, c.partial)
	}
	return hashes
}
