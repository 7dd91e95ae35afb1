package provider

// Invariants:
//   - Chunk buffers (gets, proofs, verifies, and the pieces a put streams
//     through) come from the process's slab pool, outside the Go heap, and
//     each goes back exactly once.
//   - A chunk buffer returns to the pool only after the read that filled it
//     has been sent (or hashed) in full. (Puts stream in pieces instead:
//     chunkput.go.)
//   - Buffers of more than 32 KiB are mappings (or slices of one from its
//     start), so page-aligned as O_DIRECT wants them; if mapping fails the
//     heap serves them unaligned, and directWriter then writes through the
//     page cache.

import "github.com/mefs-project/mefs/backend/internal/slab"

// getChunkBuffer returns a buffer of n bytes (contents undefined): a
// Provider serving large chunks at a steady rate then allocates (and zeroes)
// almost nothing per chunk, and holds no chunk buffer on the Go heap.
func getChunkBuffer(n int64) []byte { return slab.Get(int(n)) }

// putChunkBuffer gives b back once nothing reads it.
func putChunkBuffer(b []byte) { slab.Put(b) }
