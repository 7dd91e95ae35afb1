package erasure

import "fmt"

// Reconstruct rebuilds, from any k of a stripe's k+m chunk slots (a stripe
// of plainLen plaintext bytes), the chunks listed in want, with Reed-Solomon
// alone: no key is needed, and nothing is decrypted. A slot that is nil or
// whose length differs from ChunkSize(plainLen) counts as missing; the
// rebuilt chunks are stored in their slots, in new allocations, and the
// chunks given are not modified. It is how a stripe is repaired without its
// key (an object under a key the gateway does not keep, SSE-C): the caller
// reads the chunks it uses checked against their commitments, and checks the
// rebuilt ones against theirs.
func (c *Codec) Reconstruct(chunks [][]byte, plainLen int, want []int) error {
	n := c.k + c.m
	if len(chunks) != n {
		return fmt.Errorf("erasure: reconstruct: got %d chunk slots, codec has k+m=%d", len(chunks), n)
	}
	if plainLen < 0 || plainLen > c.maxPlainLen() {
		return fmt.Errorf("erasure: reconstruct: invalid plaintext length %d", plainLen)
	}
	cs := c.ChunkSize(plainLen)
	have := 0
	for i, ch := range chunks {
		if len(ch) != cs {
			chunks[i] = nil
			continue
		}
		chunks[i] = ch[:cs:cs] // the library must not write into a chunk's spare capacity
		have++
	}
	if have < c.k {
		return fmt.Errorf("erasure: reconstruct: %d usable chunks of size %d, need %d: %w", have, cs, c.k, ErrTooFewChunks)
	}
	required := make([]bool, n)
	for _, i := range want {
		if i < 0 || i >= n {
			return fmt.Errorf("erasure: reconstruct: chunk %d outside 0..%d", i, n-1)
		}
		required[i] = chunks[i] == nil
	}
	if err := c.enc.ReconstructSome(chunks, required); err != nil {
		return fmt.Errorf("erasure: reconstruct chunks %v (k=%d m=%d chunk=%d): %w", want, c.k, c.m, cs, err)
	}
	return nil
}
