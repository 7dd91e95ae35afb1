package user

// Invariants:
//   - Only buffers of a full stripe's exact sizes are pooled (the k+m chunks
//     of a full stripe, its decoded plaintext); any other size is allocated
//     and left to the collector.
//   - A PUT's buffer goes back to the pool only after every chunk put of its
//     stripe returned without error: nothing still reads from it (libp2p
//     copies what a stream writes before Write returns). A stripe that
//     failed, or a body that failed before its stripe was sealed, drops its
//     buffer.
//   - Pooled buffers hold no secret a later request could read: a PUT's
//     buffer holds plaintext only between the body's read and SealInPlace,
//     which overwrites it with ciphertext (and clears or overwrites every
//     other chunk byte); a GET reads no further into a decoded stripe than
//     the plaintext DecodeInto (or OpenInPlace, over the data chunks in the
//     chunks' buffer) wrote there.
//   - A GET's data-chunk buffer goes back only once every chunk read launched
//     into it has returned (hedged reads outlive the stripe's decoding) and,
//     when the stripe was decrypted in place there, its reader has moved
//     past it (sharedBuffer counts both).
//   - A GET's decoded stripe goes back only once its reader has moved past
//     it or closed (objectReader), never while Read may still copy from it.

import (
	"sync"

	"github.com/mefs-project/mefs/erasure"
)

// stripeBuffers recycles full-stripe buffers between requests, sparing the
// allocation and zeroing of ~6 MiB per 4 MiB stripe (4+2) on a PUT, and of
// the chunks and the decoded stripe on a GET.
type stripeBuffers struct {
	chunks, data, opened sizedPool
}

// newStripeBuffers pools the buffers of a full stripe of plainLen bytes
// coded k+m into chunks of chunkSize bytes.
func newStripeBuffers(plainLen, k, m, chunkSize int) *stripeBuffers {
	return &stripeBuffers{chunks: sizedPool{n: (k + m) * chunkSize}, data: sizedPool{n: k * chunkSize},
		opened: sizedPool{n: plainLen + erasure.Overhead}}
}

// getData returns a buffer of n bytes for a stripe's k data chunks (a GET;
// parity chunks, read only when needed, get buffers of their own).
func (b *stripeBuffers) getData(n int) []byte { return b.data.get(n) }

// putData returns a buffer of getData once nothing reads or writes it.
func (b *stripeBuffers) putData(data []byte) { b.data.put(data) }

// getChunks returns a buffer of n bytes for a stripe's k+m chunks (on a
// PUT, first its plaintext: SealInPlace).
func (b *stripeBuffers) getChunks(n int) []byte { return b.chunks.get(n) }

// getOpened returns a buffer a stripe of plainLen bytes decodes into.
func (b *stripeBuffers) getOpened(plainLen int) []byte {
	return b.opened.get(plainLen + erasure.Overhead)
}

// putChunks returns a buffer of getChunks once nothing reads or writes it.
func (b *stripeBuffers) putChunks(chunks []byte) { b.chunks.put(chunks) }

// putOpened returns a decoded stripe's buffer once the reader is done with it.
func (b *stripeBuffers) putOpened(buf []byte) { b.opened.put(buf) }

// sizedPool pools buffers of exactly n bytes' capacity.
type sizedPool struct {
	n int
	p sync.Pool // of *[]byte
}

// get returns a buffer of len m, pooled when m is the pool's size.
func (s *sizedPool) get(m int) []byte {
	if m == s.n {
		if v, ok := s.p.Get().(*[]byte); ok {
			return (*v)[:m]
		}
	}
	return make([]byte, m)
}

// put keeps buf if it has the pool's capacity; others go to the collector.
func (s *sizedPool) put(buf []byte) {
	if cap(buf) == s.n {
		buf = buf[:s.n]
		s.p.Put(&buf)
	}
}
