package provider

// Invariants:
//   - A pooled buffer's capacity is exactly its class: a power of two from
//     64 KiB to 16 MiB plus classSlack (room for a chunk file's commitment
//     before a power-of-two chunk); larger requests are allocated.
//   - A chunk buffer returns to the pool only after the read that filled it
//     has been sent (or hashed) in full. (Puts stream in pieces instead:
//     chunkput.go.)

import (
	"math/bits"
	"sync"
)

const (
	minPooledShift = 16 // 64 KiB
	maxPooledShift = 24 // 16 MiB
	classSlack     = 4096
)

// chunkBuffers are buffers for chunk reads (gets, proofs, verifies), by
// power-of-two class: a Provider serving large chunks at a steady rate then
// allocates (and zeroes) almost nothing per chunk.
var chunkBuffers [maxPooledShift - minPooledShift + 1]sync.Pool // of *[]byte

// classOf is the pool index for a buffer of n bytes, or -1 if not pooled.
func classOf(n int64) int {
	if n <= 0 || n > 1<<maxPooledShift+classSlack {
		return -1
	}
	shift := minPooledShift
	if n > 1<<minPooledShift+classSlack {
		shift = bits.Len64(uint64(n - classSlack - 1))
	}
	return shift - minPooledShift
}

// classCap is the capacity of class c's buffers.
func classCap(c int) int { return 1<<(c+minPooledShift) + classSlack }

// getChunkBuffer returns a buffer of n bytes (contents undefined).
func getChunkBuffer(n int64) []byte {
	c := classOf(n)
	if c < 0 {
		return make([]byte, n)
	}
	if v, ok := chunkBuffers[c].Get().(*[]byte); ok {
		return (*v)[:n]
	}
	return make([]byte, n, classCap(c))
}

// putChunkBuffer gives b back once nothing reads it.
func putChunkBuffer(b []byte) {
	c := classOf(int64(cap(b)))
	if c < 0 || cap(b) != classCap(c) {
		return
	}
	b = b[:cap(b)]
	chunkBuffers[c].Put(&b)
}
