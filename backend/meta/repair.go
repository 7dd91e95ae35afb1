package meta

// Invariants:
//   - Key space: r/<object id>  the object's layout has chunks without a
//     Provider (NoProvider); set in the batch that commits such a layout, and
//     dropped with the object or when the last chunk is repaired.
//   - A repaired chunk enters the layout, the chunk index and its Provider's
//     dirty mark in one batch, and only if the object and the gap are still
//     there; otherwise the caller turns the chunk into garbage.

import (
	"errors"
	"fmt"

	"github.com/cockroachdb/pebble/v2"

	"github.com/mefs-project/mefs/backend/memo"
)

func repairKey(id memo.ObjectID) []byte { return append([]byte("r/"), id[:]...) }

// ErrRepairStale reports a repair whose object is gone.
var ErrRepairStale = errors.New("the object or the missing chunk is gone")

// RepairQueue lists the objects with chunks awaiting repair.
func (s *Store) RepairQueue() ([]memo.ObjectID, error) {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte("r/"), UpperBound: []byte("r0")})
	if err != nil {
		return nil, fmt.Errorf("list repair queue: %w", err)
	}
	defer it.Close()
	var out []memo.ObjectID
	for it.First(); it.Valid(); it.Next() {
		var id memo.ObjectID
		copy(id[:], it.Key()[2:])
		out = append(out, id)
	}
	return out, it.Error()
}

// Repaired records that chunk i of stripe s of object id's layout is now
// held by provider, retiring its repair intent in the same batch;
// ErrRepairStale if the object or that gap no longer exists.
func (s *Store) Repaired(id memo.ObjectID, stripe, i int, provider string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, err := s.Layout(id)
	if errors.Is(err, ErrNoSuchKey) {
		// The object is gone: every chunk of its data is garbage.
		return fmt.Errorf("repair object %s: %w", id, ErrRepairStale)
	}
	if err != nil {
		return err
	}
	if stripe >= len(l.Stripes) || i >= len(l.Stripes[stripe].Providers) || l.Stripes[stripe].Providers[i] != NoProvider {
		// Not stale in the garbage sense: the Provider may hold live
		// chunks of this data, so the new chunk stays where it is.
		return fmt.Errorf("repair object %s stripe %d chunk %d: the gap is already filled", id, stripe, i)
	}
	pi := -1
	for j, p := range l.Providers {
		if p == provider {
			pi = j
		}
	}
	if pi < 0 {
		pi = len(l.Providers)
		l.Providers = append(l.Providers, provider)
	}
	// Index the one chunk: a layout holding only it.
	st := l.Stripes[stripe]
	one := Layout{K: l.K, M: l.M, Parts: l.Parts, Providers: l.Providers, Stripes: []Stripe{{Size: st.Size, Part: st.Part, Index: st.Index,
		Roots: st.Roots, Providers: noProvidersBut(len(st.Providers), i, uint16(pi))}}}
	l.Stripes[stripe].Providers[i] = uint16(pi)
	b := s.db.NewBatch()
	defer b.Close()
	b.Set(layoutKey(id), encodeLayout(l), nil)
	s.indexLayout(b, l.DataIDs(id), one, true)
	if !l.Missing() {
		b.Delete(repairKey(id), nil)
	}
	b.Delete(repairIntentKey(provider, memo.ChunkID{Data: l.DataIDs(id)[st.Part], Stripe: st.Index, Index: uint16(i)}), nil)
	if err := s.commitBatch(b); err != nil {
		return fmt.Errorf("record repair of object %s: %w", id, err)
	}
	return nil
}

func noProvidersBut(n, i int, p uint16) []uint16 {
	out := make([]uint16, n)
	for j := range out {
		out[j] = NoProvider
	}
	out[i] = p
	return out
}

// LoseChunk records that chunk i of stripe s of object id, which provider
// held, is lost (found corrupt or missing by a read, or its Provider is
// gone): in one batch the slot becomes NoProvider, the chunk leaves the
// Provider's index (so its order no longer pays for it) and the object joins
// the repair queue. ErrRepairStale if the object is gone or the slot is no
// longer provider's (a repair got there first).
func (s *Store) LoseChunk(id memo.ObjectID, stripe, i int, provider string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, err := s.Layout(id)
	if errors.Is(err, ErrNoSuchKey) {
		return fmt.Errorf("lose chunk of object %s: %w", id, ErrRepairStale)
	}
	if err != nil {
		return err
	}
	if stripe >= len(l.Stripes) || i >= len(l.Stripes[stripe].Providers) {
		return fmt.Errorf("lose chunk %d of stripe %d of object %s: out of range: %w", i, stripe, id, ErrRepairStale)
	}
	st := l.Stripes[stripe]
	pi := st.Providers[i]
	if pi == NoProvider || int(pi) >= len(l.Providers) || l.Providers[pi] != provider {
		return fmt.Errorf("lose chunk %d of stripe %d of object %s: not held by %s: %w", i, stripe, id, provider, ErrRepairStale)
	}
	one := Layout{K: l.K, M: l.M, Parts: l.Parts, Providers: l.Providers, Stripes: []Stripe{{Size: st.Size, Part: st.Part, Index: st.Index,
		Roots: st.Roots, Providers: noProvidersBut(len(st.Providers), i, pi)}}}
	l.Stripes[stripe].Providers[i] = NoProvider
	b := s.db.NewBatch()
	defer b.Close()
	b.Set(layoutKey(id), encodeLayout(l), nil)
	s.indexLayout(b, l.DataIDs(id), one, false)
	b.Set(repairKey(id), nil, nil)
	if err := s.commitBatch(b); err != nil {
		return fmt.Errorf("record lost chunk %d of stripe %d of object %s: %w", i, stripe, id, err)
	}
	return nil
}

// EachLayout calls fn with every object's layout, in object id order,
// until fn returns false. It reads a snapshot: fn may write.
func (s *Store) EachLayout(fn func(id memo.ObjectID, l Layout) bool) error {
	snap := s.db.NewSnapshot()
	defer snap.Close()
	it, err := snap.NewIter(&pebble.IterOptions{LowerBound: []byte("s/"), UpperBound: []byte("s0")})
	if err != nil {
		return fmt.Errorf("list layouts: %w", err)
	}
	defer it.Close()
	for it.First(); it.Valid(); it.Next() {
		var id memo.ObjectID
		copy(id[:], it.Key()[2:])
		var l Layout
		if err := decodeLayout(it.Value(), &l); err != nil {
			return fmt.Errorf("decode layout of %s: %w", id, err)
		}
		if !fn(id, l) {
			break
		}
	}
	return it.Error()
}

// ObjectLayout is one object's layout, as Layouts lists them.
type ObjectLayout struct {
	ID     memo.ObjectID
	Layout Layout
}

// Layouts lists up to n layouts in object id order, starting after after
// (nil: from the first).
func (s *Store) Layouts(after *memo.ObjectID, n int) ([]ObjectLayout, error) {
	lower := []byte("s/")
	if after != nil {
		lower = append(layoutKey(*after), 0)
	}
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: []byte("s0")})
	if err != nil {
		return nil, fmt.Errorf("list layouts: %w", err)
	}
	defer it.Close()
	var out []ObjectLayout
	for it.First(); it.Valid() && len(out) < n; it.Next() {
		o := ObjectLayout{}
		copy(o.ID[:], it.Key()[2:])
		if err := decodeLayout(it.Value(), &o.Layout); err != nil {
			return nil, fmt.Errorf("decode layout of %s: %w", o.ID, err)
		}
		out = append(out, o)
	}
	return out, it.Error()
}
