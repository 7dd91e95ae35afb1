package meta

// Group commit of metadata.
//
// Invariants:
//   - A mutation applied with pebble.NoSync is followed, before its caller is
//     told it succeeded, by sync: a synced WAL record written after it. The WAL
//     is sequential, so that record's fsync makes every earlier record
//     durable; Pebble's commit pipeline merges concurrent synced records into
//     one fsync, so n concurrent commits cost about one fsync, not n queued
//     under mu.
//   - Between apply and sync a mutation is visible to readers but may still be
//     lost in a crash, together with every later one (the WAL loses a suffix,
//     never a hole). Readers that act outside the database on what they read
//     (the garbage collector deletes chunks) call sync first.

import (
	"fmt"

	"github.com/cockroachdb/pebble/v2"
)

// sync makes every mutation applied so far durable.
func (s *Store) sync() error {
	if err := s.db.LogData(nil, pebble.Sync); err != nil {
		return fmt.Errorf("sync metadata log: %w", err)
	}
	return nil
}
