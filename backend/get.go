package backend

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/backend/wire"
	"github.com/mefs-project/mefs/erasure"
)

// objectReader streams a byte range of an object, fetching and decoding the
// stripes that cover it; a goroutine fetches one stripe ahead of the reader.
type objectReader struct {
	cancel context.CancelFunc
	ch     chan stripeResult
	cur    []byte
	err    error
}

type stripeResult struct {
	data []byte // the part of the stripe inside the range
	err  error
}

func (l *Layer) newObjectReader(ctx context.Context, id erasure.ObjectID, lay meta.Layout, off, n int64) *objectReader {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	r := &objectReader{cancel: cancel, ch: make(chan stripeResult, 1)}
	go func() {
		defer close(r.ch)
		end := off + n
		ids := lay.DataIDs(id)
		keys := make([][]byte, len(ids))
		start := int64(0)
		for _, st := range lay.Stripes {
			stStart := start
			start += int64(st.Size)
			if start <= off || st.Size == 0 {
				continue
			}
			if stStart >= end {
				return
			}
			if keys[st.Part] == nil {
				keys[st.Part] = erasure.ObjectKey(l.cfg.MasterKey, ids[st.Part])
			}
			plain, err := l.fetchStripe(ctx, keys[st.Part], ids[st.Part], lay, st)
			res := stripeResult{err: err}
			if err == nil {
				res.data = plain[max(off, stStart)-stStart : min(end, start)-stStart]
			}
			select {
			case r.ch <- res:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return r
}

func (r *objectReader) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		if r.err != nil {
			return 0, r.err
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
		r.cur = res.data
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

func (r *objectReader) Close() error {
	r.cancel()
	for range r.ch {
	}
	return nil
}

type chunkResult struct {
	i    int
	data []byte
	err  error
}

// fetchStripe reads stripe st of data id: it asks for the k data chunks
// first and, for each one that fails, one more parity chunk, until k chunks
// are in hand; it decodes only when a data chunk is missing.
func (l *Layer) fetchStripe(ctx context.Context, key []byte, id erasure.ObjectID, lay meta.Layout, st meta.Stripe) ([]byte, error) {
	k := lay.K
	total := len(st.Roots)
	chunkSize := l.codec.ChunkSize(st.Size)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan chunkResult, total)
	launch := func(i int) {
		p, err := peer.Decode(lay.Peers[st.Peers[i]])
		if err != nil {
			results <- chunkResult{i: i, err: fmt.Errorf("provider id %q: %w", lay.Peers[st.Peers[i]], err)}
			return
		}
		go func() {
			cid := wire.ChunkID{Object: id, Stripe: st.Index, Index: uint16(i)}
			data, err := l.client.Get(ctx, p, cid, st.Roots[i], chunkSize)
			results <- chunkResult{i: i, data: data, err: err}
		}()
	}
	for i := 0; i < k; i++ {
		launch(i)
	}
	chunks := make([][]byte, total)
	next, pending, have := k, k, 0
	var errs []error
	for have < k {
		if pending == 0 {
			return nil, fmt.Errorf("stripe %d of data %s: %w: %w", st.Index, id, erasure.ErrTooFewChunks, errors.Join(errs...))
		}
		r := <-results
		pending--
		if r.err == nil {
			chunks[r.i] = r.data
			have++
			continue
		}
		l.log.Warn("chunk read failed", "data", id, "stripe", st.Index, "chunk", r.i, "err", r.err)
		errs = append(errs, r.err)
		if next < total {
			launch(next)
			next++
			pending++
		}
	}
	plain, err := l.codec.Decode(key, id, st.Index, chunks, st.Size)
	if err != nil {
		return nil, fmt.Errorf("decode stripe %d of data %s: %w", st.Index, id, err)
	}
	return plain, nil
}
