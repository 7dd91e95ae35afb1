package user

// What a request buffers, reserved from the gateway's memory budget before
// it is buffered.
//
// Invariants:
//   - A PUT or part upload reserves, before reading its body, the stripes it
//     can hold at once (PutStripes, fewer for a short body), each as its
//     plaintext plus its k+m encoded chunks; a GET reserves the stripe being
//     fetched and the one prefetched. The reservation is released when the
//     upload returns or the reader is closed.
//   - A request reserves once, all it needs: it never waits for memory while
//     holding some, so requests cannot deadlock on the budget.

import (
	"context"

	"github.com/mefs-project/mefs/backend/meta"
)

// Memory is a budget of bytes that requests reserve from.
type Memory interface {
	// Reserve takes n bytes, waiting briefly for room; it fails (with an
	// S3 SlowDown) when none frees up. release gives them back.
	Reserve(ctx context.Context, n int64) (release func(), err error)
}

// getStripes is how many stripes a GET holds at once: the one being
// fetched and decoded plus the one prefetched (see newObjectReader).
const getStripes = 2

// chunksCost is the memory of a stripe's k+m chunks, for plain plaintext
// bytes.
func (l *Layer) chunksCost(plain int) int64 {
	return int64(l.codec.ChunkSize(plain)) * int64(l.cfg.K+l.cfg.M)
}

// stripeCost is the memory a stripe of plain plaintext bytes takes in
// flight: the plaintext and its k+m encoded chunks.
func (l *Layer) stripeCost(plain int) int64 {
	return int64(plain) + l.chunksCost(plain)
}

// reserve takes n bytes of the memory budget, if there is one.
func (l *Layer) reserve(ctx context.Context, n int64) (func(), error) {
	if l.cfg.Memory == nil {
		return func() {}, nil
	}
	return l.cfg.Memory.Reserve(ctx, n)
}

// reservePut reserves the memory of an upload of size bytes (-1: unknown):
// its first PutStripes stripes, the most it holds at once.
func (l *Layer) reservePut(ctx context.Context, size int64) (func(), error) {
	var n int64
	for i := range l.cfg.PutStripes {
		b := l.bufferSize(size, uint64(i))
		n += l.chunksCost(b) // the body is read into the chunks' buffer
		if size >= 0 && int64(i+1)*int64(l.stripeSize()) >= size {
			break
		}
	}
	return l.reserve(ctx, n)
}

// reserveGet reserves the memory of reading the n bytes at off of lay.
func (l *Layer) reserveGet(ctx context.Context, lay meta.Layout, off, n int64) (func(), error) {
	var count, largest int
	start := int64(0)
	for _, st := range lay.Stripes {
		stStart := start
		start += int64(st.Size)
		if start <= off || st.Size == 0 || stStart >= off+n {
			continue
		}
		count++
		largest = max(largest, st.Size)
	}
	if count == 0 {
		return func() {}, nil
	}
	return l.reserve(ctx, int64(min(count, getStripes))*l.stripeCost(largest))
}
