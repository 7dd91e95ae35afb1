package user

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/backend/placement"
	"github.com/mefs-project/mefs/erasure"
)

// objectReader streams a byte range of an object, fetching and decoding the
// stripes that cover it; a goroutine fetches one stripe ahead of the reader
// and hands it over unbuffered, so a reader holds at most two decoded stripes.
type objectReader struct {
	cancel  context.CancelFunc
	ch      chan stripeResult
	cur     []byte
	curFree func() // frees the decoded stripe cur is part of, once read
	err     error
	// release gives back the reader's memory reservation, on Close.
	release func()
}

type stripeResult struct {
	data []byte // the part of the stripe inside the range
	free func() // frees the decoded stripe data is part of
	err  error
}

func (l *Layer) newObjectReader(ctx context.Context, master []byte, id memo.ObjectID, lay meta.Layout, off, n int64) *objectReader {
	return l.newReader(ctx, master, id, lay, off, n, false)
}

// newReader is newObjectReader; checked reads every chunk checked against
// its commitment (for layouts whose commitments are the trust anchor: a
// metadata snapshot named on chain).
func (l *Layer) newReader(ctx context.Context, master []byte, id memo.ObjectID, lay meta.Layout, off, n int64, checked bool) *objectReader {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	r := &objectReader{cancel: cancel, ch: make(chan stripeResult)}
	go func() {
		defer close(r.ch)
		end := off + n
		ids := lay.DataIDs(id)
		keys := make([][]byte, len(ids))
		start := int64(0)
		for si, st := range lay.Stripes {
			stStart := start
			start += int64(st.Size)
			if start <= off || st.Size == 0 {
				continue
			}
			if stStart >= end {
				return
			}
			if keys[st.Part] == nil {
				keys[st.Part] = erasure.DataKey(master, ids[st.Part])
			}
			plain, free, err := l.fetchStripe(ctx, keys[st.Part], ids[st.Part], lay, st, stripeAt{obj: id, si: si}, checked)
			res := stripeResult{err: err, free: free}
			if err == nil {
				res.data = plain[max(off, stStart)-stStart : min(end, start)-stStart]
			}
			select {
			case r.ch <- res:
			case <-ctx.Done():
				if free != nil {
					free()
				}
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return r
}

// prime waits for the first stripe, so that a read that cannot start fails
// before any response is sent.
func (r *objectReader) prime() error {
	res, ok := <-r.ch
	switch {
	case !ok:
		r.err = io.EOF
	case res.err != nil:
		r.err = res.err
		return res.err
	default:
		r.cur, r.curFree = res.data, res.free
	}
	return nil
}

// done gives the current stripe's buffer back: nothing reads it any more.
func (r *objectReader) done() {
	if r.curFree != nil {
		r.curFree()
	}
	r.cur, r.curFree = nil, nil
}

func (r *objectReader) Read(p []byte) (int, error) {
	if !r.next() {
		return 0, r.err
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

// WriteTo writes the rest of the range to w straight from the decoded
// stripes, a stripe per Write, instead of copying it through a caller's
// buffer (io.Copy's 32 KiB, a syscall each).
func (r *objectReader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for r.next() {
		n, err := w.Write(r.cur)
		total += int64(n)
		r.cur = r.cur[n:]
		if err == nil && len(r.cur) > 0 {
			err = io.ErrShortWrite
		}
		if err != nil {
			return total, err
		}
	}
	if r.err == io.EOF {
		return total, nil
	}
	return total, r.err
}

// next makes r.cur the unread rest of the current stripe, waiting for the
// next one once it is read; false, with r.err set, once none is left.
func (r *objectReader) next() bool {
	for len(r.cur) == 0 {
		r.done()
		if r.err != nil {
			return false
		}
		res, ok := <-r.ch
		if !ok {
			r.err = io.EOF
			continue
		}
		if res.err != nil {
			r.err = res.err
			continue
		}
		r.cur, r.curFree = res.data, res.free
	}
	return true
}

func (r *objectReader) Close() error {
	r.cancel()
	r.done()
	for res := range r.ch {
		if res.free != nil {
			res.free()
		}
	}
	if r.release != nil {
		r.release()
	}
	return nil
}

type chunkResult struct {
	i    int
	data []byte
	err  error
}

// fetchStripe reads stripe st of data id. Unless checked, and where the
// Network can, it reads the chunks unchecked and lets the stripe's GCM tag
// (under the User's key, over the data id, stripe index and length: no
// Provider can forge it) authenticate them all at once; if the tag fails,
// it reads the stripe again with every chunk checked against its
// commitment, which finds and reports the bad ones. free gives the
// plaintext's buffer back once nothing reads it.
func (l *Layer) fetchStripe(ctx context.Context, key []byte, id erasure.DataID, lay meta.Layout, st meta.Stripe, at stripeAt, checked bool) (plain []byte, free func(), err error) {
	get := l.net.GetChunkInto
	u, unchecked := l.net.(UncheckedGetter)
	unchecked = unchecked && !checked
	if unchecked {
		get = u.GetChunkUnchecked
	}
	plain, free, err = l.readStripe(ctx, key, id, lay, st, at, get)
	if unchecked && errors.Is(err, erasure.ErrAuth) {
		l.log.Warn("stripe failed authentication; reading its chunks again, each checked", "data", id, "stripe", st.Index, "err", err)
		plain, free, err = l.readStripe(ctx, key, id, lay, st, at, l.net.GetChunkInto)
	}
	return plain, free, err
}

// chunkGetter reads a chunk into buf (GetChunkInto or GetChunkUnchecked).
type chunkGetter func(ctx context.Context, p peer.ID, id memo.ChunkID, root erasure.Root, buf []byte) ([]byte, error)

// readStripe reads stripe st of data id with get (gatherStripe) and
// decrypts it. It decodes only when a data chunk is missing: with all k data
// chunks in hand it decrypts them in place, in the chunks' buffer.
func (l *Layer) readStripe(ctx context.Context, key []byte, id erasure.DataID, lay meta.Layout, st meta.Stripe, at stripeAt, get chunkGetter) ([]byte, func(), error) {
	g, err := l.gatherStripe(ctx, id, lay, st, at, get)
	if err != nil {
		return nil, nil, err
	}
	k, chunkSize := lay.K, l.codec.ChunkSize(st.Size)
	if inPlace(g.chunks[:k], g.buf, chunkSize) {
		// No read writes into the data chunks any more: each was read once,
		// and has returned.
		plain, err := l.codec.OpenInPlace(key, id, st.Index, g.buf[:k*chunkSize], st.Size)
		if err != nil {
			g.release()
			return nil, nil, fmt.Errorf("decode stripe %d of data %s: %w", st.Index, id, err)
		}
		return plain, g.release, nil
	}
	opened := l.bufs.Get(st.Size + erasure.Overhead)
	plain, err := l.codec.DecodeInto(opened, key, id, st.Index, g.chunks, st.Size)
	g.release() // DecodeInto copied what it needed
	if err != nil {
		l.bufs.Discard(opened)
		return nil, nil, fmt.Errorf("decode stripe %d of data %s: %w", st.Index, id, err)
	}
	return plain, func() { l.bufs.Put(opened) }, nil
}

// gathered is k chunks of a stripe in hand: chunks has k+m slots, k of them
// set; the data chunks among them lie in buf, which release gives back.
type gathered struct {
	chunks  [][]byte
	buf     []byte
	release func()
}

// gatherStripe reads k chunks of stripe st of data id with get. It asks for
// k chunks, data chunks first but not from Providers that recently failed;
// for each request that fails, and each time HedgeDelay passes without k
// chunks in hand, it asks for one more, until k chunks are in hand. A chunk
// its Provider lost is reported (at).
func (l *Layer) gatherStripe(ctx context.Context, id erasure.DataID, lay meta.Layout, st meta.Stripe, at stripeAt, get chunkGetter) (gathered, error) {
	k := lay.K
	total := len(st.Roots)
	chunkSize := l.codec.ChunkSize(st.Size)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	providers := make([]peer.ID, total)
	for i := range providers {
		if st.Providers[i] == meta.NoProvider {
			continue // not stored: awaiting repair
		}
		p, err := peer.Decode(lay.Providers[st.Providers[i]])
		if err != nil {
			return gathered{}, fmt.Errorf("stripe %d of data %s: provider id %q: %w", st.Index, id, lay.Providers[st.Providers[i]], err)
		}
		providers[i] = p
	}
	order := placement.ReadOrder(providers, l.health.isSuspect)

	// Data chunks are read into one pooled buffer (parity chunks, read
	// only when needed, into their own), which goes back to the pool only
	// once every read launched has returned (a hedged read may still be
	// writing after the stripe is decoded) and, if the stripe was decrypted
	// in place, its reader is done with the plaintext.
	buf := l.bufs.Get(k * chunkSize)
	held := newSharedBuffer(func() { l.bufs.Put(buf) })
	var reads sync.WaitGroup
	defer func() { go func() { reads.Wait(); held.release() }() }()
	results := make(chan chunkResult, total)
	inflight := map[int]bool{}
	next := 0
	launch := func() bool {
		if next >= len(order) {
			return false
		}
		i := order[next]
		next++
		inflight[i] = true
		reads.Go(func() {
			cid := memo.ChunkID{Data: id, Stripe: st.Index, Index: uint16(i)}
			start := time.Now()
			var slot []byte
			if i < k {
				slot = buf[i*chunkSize : (i+1)*chunkSize : (i+1)*chunkSize]
			} else {
				slot = make([]byte, chunkSize) // parity: read only when needed
			}
			data, err := get(ctx, providers[i], cid, st.Roots[i], slot)
			if err == nil {
				l.observeLatency(time.Since(start))
			}
			results <- chunkResult{i: i, data: data, err: err}
		})
		return true
	}
	for range k {
		launch()
	}
	hedge := time.NewTimer(l.hedgeDelay())
	defer hedge.Stop()
	chunks := make([][]byte, total)
	have := 0
	var errs []error
	for have < k {
		if len(inflight) == 0 {
			return gathered{}, fmt.Errorf("stripe %d of data %s: %w: %w", st.Index, id, erasure.ErrTooFewChunks, errors.Join(errs...))
		}
		select {
		case r := <-results:
			delete(inflight, r.i)
			if r.err == nil {
				l.health.good(providers[r.i])
				chunks[r.i] = r.data
				have++
				continue
			}
			l.log.Warn("chunk read failed", "data", id, "stripe", st.Index, "chunk", r.i, "provider", providers[r.i], "err", r.err)
			l.health.bad(providers[r.i])
			if errors.Is(r.err, memo.ErrChunkLost) {
				l.reportLost(lostChunk{obj: at.obj, si: at.si, i: r.i, provider: lay.Providers[st.Providers[r.i]]})
			}
			errs = append(errs, r.err)
			launch()
		case <-hedge.C:
			// Whoever is still out is slow: route around them from now on.
			for i := range inflight {
				l.health.bad(providers[i])
			}
			launch()
			hedge.Reset(l.hedgeDelay())
		case <-ctx.Done():
			return gathered{}, ctx.Err()
		}
	}
	held.acquire() // the caller's, until it calls release
	return gathered{chunks: chunks, buf: buf, release: held.release}, nil
}

// inPlace reports whether the data chunks lie end to end in buf, each
// chunkSize bytes at its own offset (as the reads wrote them).
func inPlace(data [][]byte, buf []byte, chunkSize int) bool {
	for i, ch := range data {
		if len(ch) != chunkSize || chunkSize == 0 || &ch[0] != &buf[i*chunkSize] {
			return false
		}
	}
	return true
}

// sharedBuffer frees a buffer once its last holder releases it.
type sharedBuffer struct {
	refs atomic.Int32
	free func()
}

// newSharedBuffer returns a sharedBuffer with one holder.
func newSharedBuffer(free func()) *sharedBuffer {
	s := &sharedBuffer{free: free}
	s.refs.Store(1)
	return s
}

func (s *sharedBuffer) acquire() { s.refs.Add(1) }

func (s *sharedBuffer) release() {
	if s.refs.Add(-1) == 0 {
		s.free()
	}
}

// observeLatency folds a chunk read's latency into a moving average.
func (l *Layer) observeLatency(d time.Duration) {
	for {
		old := l.latency.Load()
		nw := int64(d)
		if old != 0 {
			nw = old + (int64(d)-old)/8
		}
		if l.latency.CompareAndSwap(old, nw) {
			return
		}
	}
}

// hedgeDelay is how long to wait on outstanding chunk reads before asking
// one more Provider: HedgeDelay, or 4x the usual chunk latency if larger,
// so a loaded but healthy network is not flooded with hedged reads.
func (l *Layer) hedgeDelay() time.Duration {
	return max(l.cfg.HedgeDelay, 4*time.Duration(l.latency.Load()))
}
