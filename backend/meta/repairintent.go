package meta

// Repair intents: a repaired chunk is stored on its new Provider before its
// layout records it; a crash or a failure in between must not leave that
// chunk on the Provider for ever (it is in no order and no garbage record:
// garbage is per data id, and the Provider holds live chunks of that data).
//
// Invariants:
//   - Key space:
//       R/<chunk key (26 bytes)><provider>   repair intent: 0 in flight, 1 abandoned
//   - An intent is written, synced, before its chunk is sent; the batch of
//     Repaired that records the chunk deletes it. An intent that is not in
//     flight (its repair failed, or the process stopped: AbandonRepairs at
//     start) names a chunk no layout holds on that Provider: the collector
//     deletes that one chunk, then the intent.
//   - A repair never targets a Provider with an abandoned intent for the
//     same chunk (HasAbandonedRepair), so deleting an orphan cannot race a
//     new copy of the same chunk there.

import (
	"fmt"

	"github.com/cockroachdb/pebble/v2"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/order"
)

const (
	repairInFlight  = 0
	repairAbandoned = 1
)

func repairIntentKey(provider string, c memo.ChunkID) []byte {
	return append(append([]byte("R/"), order.ChunkKey(c)...), provider...)
}

// RepairOrphan is a chunk a repair may have left on a Provider.
type RepairOrphan struct {
	Provider string
	Chunk    memo.ChunkID
}

// BeginRepair durably records that chunk c is about to be stored on
// provider by a repair.
func (s *Store) BeginRepair(provider string, c memo.ChunkID) error {
	return s.setRepairIntent(provider, c, repairInFlight)
}

// AbandonRepair marks the repair of c on provider failed: the chunk, if it
// landed, is an orphan to delete.
func (s *Store) AbandonRepair(provider string, c memo.ChunkID) error {
	return s.setRepairIntent(provider, c, repairAbandoned)
}

func (s *Store) setRepairIntent(provider string, c memo.ChunkID, state byte) error {
	if err := s.db.Set(repairIntentKey(provider, c), []byte{state}, pebble.Sync); err != nil {
		return fmt.Errorf("record repair intent (state %d) of %s on %s: %w", state, c, provider, err)
	}
	return nil
}

// DropRepair forgets the intent of c on provider (its orphan is deleted, or
// the chunk became garbage another way).
func (s *Store) DropRepair(provider string, c memo.ChunkID) error {
	if err := s.db.Delete(repairIntentKey(provider, c), pebble.Sync); err != nil {
		return fmt.Errorf("drop repair intent of %s on %s: %w", c, provider, err)
	}
	return nil
}

// AbandonRepairs marks every repair intent abandoned: called at start,
// when no repair is in flight.
func (s *Store) AbandonRepairs() (int, error) {
	all, err := s.repairIntents(func(byte) bool { return true })
	if err != nil || len(all) == 0 {
		return 0, err
	}
	b := s.db.NewBatch()
	defer b.Close()
	for _, o := range all {
		b.Set(repairIntentKey(o.Provider, o.Chunk), []byte{repairAbandoned}, nil)
	}
	if err := b.Commit(pebble.Sync); err != nil {
		return 0, fmt.Errorf("abandon repairs: %w", err)
	}
	return len(all), nil
}

// AbandonedRepairs lists the chunks abandoned repairs may have left.
func (s *Store) AbandonedRepairs() ([]RepairOrphan, error) {
	return s.repairIntents(func(state byte) bool { return state == repairAbandoned })
}

// HasAbandonedRepair reports whether an abandoned repair of c on provider
// awaits the deletion of its orphan.
func (s *Store) HasAbandonedRepair(provider string, c memo.ChunkID) bool {
	state, ok := s.repairIntent(provider, c)
	return ok && state == repairAbandoned
}

// HasRepairIntent reports whether a repair of c on provider is in flight or
// abandoned (its chunk may be, or become, a live one there).
func (s *Store) HasRepairIntent(provider string, c memo.ChunkID) bool {
	_, ok := s.repairIntent(provider, c)
	return ok
}

// repairIntent reads the state of the intent of c on provider, if any.
func (s *Store) repairIntent(provider string, c memo.ChunkID) (state byte, ok bool) {
	v, closer, err := s.db.Get(repairIntentKey(provider, c))
	if err != nil {
		return 0, false
	}
	defer closer.Close()
	if len(v) != 1 {
		return 0, false
	}
	return v[0], true
}

func (s *Store) repairIntents(keep func(state byte) bool) ([]RepairOrphan, error) {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte("R/"), UpperBound: []byte("R0")})
	if err != nil {
		return nil, fmt.Errorf("list repair intents: %w", err)
	}
	defer it.Close()
	var out []RepairOrphan
	for it.First(); it.Valid(); it.Next() {
		k := it.Key()
		if len(k) < 2+26 || len(it.Value()) != 1 || !keep(it.Value()[0]) {
			continue
		}
		c, ok := order.ParseChunkKey(k[2 : 2+26])
		if !ok {
			continue
		}
		out = append(out, RepairOrphan{Provider: string(k[2+26:]), Chunk: c})
	}
	return out, it.Error()
}
