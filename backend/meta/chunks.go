package meta

// Invariants:
//   - Key space:
//       c/<provider>/<chunk key>   chunk index: root (32 bytes) || size (8 bytes BE)
//       d/<provider>               the provider's chunk set changed since its order was last updated
//   - The chunk index lists exactly the chunks of committed objects and of
//     committed parts of uploads in progress, per Provider; it changes in the
//     same batch as the object or part records, and marks the Provider dirty.

import (
	"encoding/binary"
	"fmt"

	"github.com/cockroachdb/pebble/v2"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/order"
	"github.com/mefs-project/mefs/erasure"
)

func chunkIndexPrefix(provider string) []byte { return []byte("c/" + provider + "/") }
func dirtyKey(provider string) []byte         { return []byte("d/" + provider) }

// indexLayout adds to b the chunk index entries of layout l, whose parts
// have data ids ids (add), or their removal, and marks the Providers involved
// dirty.
func (s *Store) indexLayout(b *pebble.Batch, ids []memo.DataID, l Layout, add bool) {
	touched := map[uint16]bool{}
	for _, st := range l.Stripes {
		size := int64((st.Size + erasure.Overhead + l.K - 1) / l.K)
		for i, pi := range st.Providers {
			if pi == NoProvider {
				continue
			}
			touched[pi] = true
			c := memo.ChunkID{Data: ids[st.Part], Stripe: st.Index, Index: uint16(i)}
			k := append(chunkIndexPrefix(l.Providers[pi]), order.ChunkKey(c)...)
			if add {
				v := append(st.Roots[i][:0:0], st.Roots[i][:]...)
				b.Set(k, binary.BigEndian.AppendUint64(v, uint64(size)), nil)
			} else {
				b.Delete(k, nil)
			}
		}
	}
	s.dirtyMu.Lock()
	for pi := range touched {
		b.Set(dirtyKey(l.Providers[pi]), nil, nil)
		s.touched[b] = append(s.touched[b], l.Providers[pi])
	}
	s.dirtyMu.Unlock()
}

// commitBatch commits b durably, then bumps the dirty generation of the
// Providers its chunk index changes touched: after the commit, so that an
// order update that read the chunk list before it cannot clear the mark.
func (s *Store) commitBatch(b *pebble.Batch) error { return s.commitBatchWith(b, pebble.Sync) }

// commitBatchWith is commitBatch with the given write options; a NoSync
// commit must be followed by s.sync before anyone is told it is durable.
func (s *Store) commitBatchWith(b *pebble.Batch, opts *pebble.WriteOptions) error {
	return s.commit(b, opts, true)
}

// commit commits b with opts; counted: the batch counts as a change
// (Changes), which the snapshot's own bookkeeping does not.
func (s *Store) commit(b *pebble.Batch, opts *pebble.WriteOptions, counted bool) error {
	err := s.settlePacks(b)
	if err == nil {
		err = b.Commit(opts)
	}
	if counted {
		s.changes.Add(1)
	}
	s.dirtyMu.Lock()
	if err == nil {
		for _, p := range s.touched[b] {
			s.dirtyGen[p]++
		}
	}
	delete(s.touched, b)
	s.dirtyMu.Unlock()
	return err
}

// DirtyProviders lists the Providers whose chunk set changed since their order
// was last updated, with a generation to pass to ClearDirty.
func (s *Store) DirtyProviders() (map[string]uint64, error) {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte("d/"), UpperBound: []byte("d0")})
	if err != nil {
		return nil, fmt.Errorf("list dirty providers: %w", err)
	}
	defer it.Close()
	out := map[string]uint64{}
	s.dirtyMu.Lock()
	defer s.dirtyMu.Unlock()
	for it.First(); it.Valid(); it.Next() {
		p := string(it.Key()[2:])
		out[p] = s.dirtyGen[p]
	}
	return out, it.Error()
}

// MarkDirty marks a Provider's order as needing an update.
func (s *Store) MarkDirty(provider string) error {
	s.dirtyMu.Lock()
	s.dirtyGen[provider]++
	s.dirtyMu.Unlock()
	return s.db.Set(dirtyKey(provider), nil, pebble.Sync)
}

// ClearDirty forgets that provider's order needs an update, unless its chunk
// set changed again since DirtyProviders reported generation gen.
func (s *Store) ClearDirty(provider string, gen uint64) error {
	s.dirtyMu.Lock()
	defer s.dirtyMu.Unlock()
	if s.dirtyGen[provider] != gen {
		return nil
	}
	if err := s.db.Delete(dirtyKey(provider), pebble.Sync); err != nil {
		return fmt.Errorf("clear dirty mark of %s: %w", provider, err)
	}
	return nil
}

// Chunks lists the chunk index entries of a Provider (unsorted is fine for
// order.Summarize, but they come out sorted by chunk id).
func (s *Store) Chunks(provider string) ([]order.Entry, error) {
	prefix := chunkIndexPrefix(provider)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: []byte(prefixEnd(string(prefix)))})
	if err != nil {
		return nil, fmt.Errorf("list chunks of %s: %w", provider, err)
	}
	defer it.Close()
	var out []order.Entry
	for it.First(); it.Valid(); it.Next() {
		c, ok := order.ParseChunkKey(it.Key()[len(prefix):])
		v := it.Value()
		if !ok || len(v) != 40 {
			return nil, fmt.Errorf("malformed chunk index entry %q", it.Key())
		}
		e := order.Entry{Chunk: c, Size: int64(binary.BigEndian.Uint64(v[32:]))}
		copy(e.Root[:], v[:32])
		out = append(out, e)
	}
	return out, it.Error()
}

// moveTouched hands to dst the Providers whose chunk index src changes
// (src has been applied to dst).
func (s *Store) moveTouched(src, dst *pebble.Batch) {
	s.dirtyMu.Lock()
	s.touched[dst] = append(s.touched[dst], s.touched[src]...)
	delete(s.touched, src)
	s.dirtyMu.Unlock()
}

// discard closes b, never committed, and forgets what it touched.
func (s *Store) discard(b *pebble.Batch) {
	s.dirtyMu.Lock()
	delete(s.touched, b)
	s.dirtyMu.Unlock()
	b.Close()
}
