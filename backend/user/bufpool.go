package user

// Invariants:
//   - Only buffers of a full stripe's exact sizes are pooled (the plaintext
//     of stripeSize bytes, the k+m chunks of that stripe); any other size is
//     allocated and left to the collector.
//   - A buffer goes back to the pool only after every chunk put of its
//     stripe returned without error: nothing still reads from it (libp2p
//     copies what a stream writes before Write returns). A stripe that
//     failed drops its buffers.
//   - Pooled buffers hold no secret a later request could read: plaintext is
//     overwritten by the next body's bytes before use, EncodeInto overwrites
//     or clears every chunk byte, and a GET reads no further into a decoded
//     stripe than the plaintext DecodeInto wrote there.
//   - A GET's decoded stripe goes back only once its reader has moved past
//     it or closed (objectReader), never while Read may still copy from it.

import (
	"sync"

	"github.com/mefs-project/mefs/erasure"
)

// stripeBuffers recycles full-stripe buffers between PUTs, sparing the
// allocation and zeroing of ~10 MiB per 4 MiB stripe (4+2).
type stripeBuffers struct {
	plainLen, chunksLen int
	plain, chunks       sync.Pool // of *[]byte
	opened              sync.Pool // of *[]byte, plainLen+Overhead: a GET's decoded stripe
}

func newStripeBuffers(plainLen, chunksLen int) *stripeBuffers {
	return &stripeBuffers{plainLen: plainLen, chunksLen: chunksLen}
}

// getOpened returns a buffer a full stripe decodes into (nil for a shorter
// stripe: DecodeInto then allocates).
func (b *stripeBuffers) getOpened(plainLen int) []byte {
	if plainLen != b.plainLen {
		return nil
	}
	if v, ok := b.opened.Get().(*[]byte); ok {
		return *v
	}
	return make([]byte, b.plainLen+erasure.Overhead)
}

// putOpened returns a decoded stripe's buffer once the reader is done with it.
func (b *stripeBuffers) putOpened(buf []byte) {
	if cap(buf) == b.plainLen+erasure.Overhead {
		buf = buf[:cap(buf)]
		b.opened.Put(&buf)
	}
}

// getPlain returns a buffer of n bytes for a stripe's plaintext.
func (b *stripeBuffers) getPlain(n int) []byte { return b.get(&b.plain, b.plainLen, n) }

// getChunks returns a buffer of n bytes to encode a stripe's chunks into.
func (b *stripeBuffers) getChunks(n int) []byte { return b.get(&b.chunks, b.chunksLen, n) }

func (b *stripeBuffers) get(p *sync.Pool, pooled, n int) []byte {
	if n == pooled {
		if v, ok := p.Get().(*[]byte); ok {
			return (*v)[:n]
		}
	}
	return make([]byte, n)
}

// put returns a stripe's plaintext and chunk buffers once nothing reads them.
func (b *stripeBuffers) put(plain, chunks []byte) {
	if cap(plain) == b.plainLen {
		plain = plain[:b.plainLen]
		b.plain.Put(&plain)
	}
	if cap(chunks) == b.chunksLen {
		chunks = chunks[:b.chunksLen]
		b.chunks.Put(&chunks)
	}
}
