package meta

// Object Lock state of versions.
//
// Invariants (besides versions.go's):
//   - Key space:
//       L/<object id>   Lock (JSON) of a version: retention mode and date, legal hold
//       K/<data id>     object id whose L/ governs this data id's chunks
//   - L/ and the K/ records of every data id of the version are written
//     and removed together, in the batches that set a version's lock and
//     that remove the version.
//   - dropVersionData, the only path by which a version's chunks become
//     garbage, reads L/ under mu and refuses (ErrLocked) while the lock
//     holds; the collector asks Held for every garbage record before it
//     deletes chunks, so data queued as garbage by mistake is still kept.

import (
	"errors"
	"fmt"
	"time"

	"github.com/cockroachdb/pebble/v2"

	"github.com/mefs-project/mefs/backend/memo"
)

// Retention modes.
const (
	LockGovernance = "GOVERNANCE"
	LockCompliance = "COMPLIANCE"
)

// ErrLocked: the version is under retention or legal hold.
var ErrLocked = errors.New("the version is protected by Object Lock")

// Lock is a version's Object Lock state.
type Lock struct {
	Mode        string    `json:",omitempty"` // LockGovernance or LockCompliance; "" none
	RetainUntil time.Time `json:",omitzero"`
	LegalHold   bool      `json:",omitempty"`
}

// IsZero reports whether l locks nothing and records nothing.
func (l Lock) IsZero() bool { return l.Mode == "" && l.RetainUntil.IsZero() && !l.LegalHold }

// Forbids reports whether l forbids removing its version at now.
func (l Lock) Forbids(now time.Time, bypassGovernance bool) bool {
	if l.LegalHold {
		return true
	}
	if l.Mode == "" || !now.Before(l.RetainUntil) {
		return false
	}
	return l.Mode == LockCompliance || !bypassGovernance
}

func lockKey(id memo.ObjectID) []byte { return append([]byte("L/"), id[:]...) }
func keepKey(id memo.DataID) []byte   { return append([]byte("K/"), id[:]...) }

// LockOf returns the lock of version (object) id; zero if none.
func (s *Store) LockOf(id memo.ObjectID) (Lock, error) {
	var l Lock
	_, err := s.get(lockKey(id), jsonDec(&l))
	return l, err
}

func (s *Store) setLock(b *pebble.Batch, id memo.ObjectID, data []memo.DataID, l Lock) {
	b.Set(lockKey(id), jsonEnc(l), nil)
	for _, d := range data {
		b.Set(keepKey(d), id[:], nil)
	}
}

func (s *Store) dropLock(b *pebble.Batch, id memo.ObjectID, data []memo.DataID) {
	b.Delete(lockKey(id), nil)
	for _, d := range data {
		b.Delete(keepKey(d), nil)
	}
}

// checkUnlocked returns ErrLocked if version id's lock forbids removing it.
func (s *Store) checkUnlocked(id memo.ObjectID, opts DeleteOptions) error {
	l, err := s.LockOf(id)
	if err != nil {
		return err
	}
	if l.Forbids(opts.now(), opts.BypassGovernance) {
		return fmt.Errorf("object %s: %w", id, ErrLocked)
	}
	return nil
}

// SetLock changes a version's lock with fn, which sees the current state
// and returns the new one (or an error to refuse), atomically; versionID ""
// is the latest. It returns the version and its new lock.
func (s *Store) SetLock(bucket, key, versionID string, fn func(cur Lock) (Lock, error)) (Object, Lock, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.Version(bucket, key, versionID)
	if err != nil {
		return Object{}, Lock{}, err
	}
	if o.DeleteMarker {
		return o, Lock{}, ErrDeleteMarker
	}
	cur, err := s.LockOf(o.ID)
	if err != nil {
		return Object{}, Lock{}, err
	}
	next, err := fn(cur)
	if err != nil {
		return Object{}, Lock{}, err
	}
	l, err := s.Layout(o.ID)
	if err != nil {
		return Object{}, Lock{}, err
	}
	b := s.db.NewBatch()
	defer b.Close()
	s.setLock(b, o.ID, l.DataIDs(o.ID), next)
	if err := s.commitBatch(b); err != nil {
		return Object{}, Lock{}, fmt.Errorf("set lock of %s/%s version %s: %w", bucket, key, o.Version(), err)
	}
	return o, next, nil
}

// Held reports whether garbage data id belongs to a version whose lock
// still forbids removing it at now: its chunks must then not be deleted.
func (s *Store) Held(id memo.DataID, now time.Time) (bool, error) {
	var owner memo.ObjectID
	found, err := s.get(keepKey(id), func(v []byte) error {
		if len(v) != len(owner) {
			return fmt.Errorf("keep record is %d bytes", len(v))
		}
		copy(owner[:], v)
		return nil
	})
	if err != nil || !found {
		return false, err
	}
	l, err := s.LockOf(owner)
	if err != nil {
		return false, err
	}
	return l.Forbids(now, false), nil
}
