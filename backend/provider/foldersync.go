package provider

// Invariants:
//   - folderSyncer.Sync(dir) returns only after an fsync of dir that began
//     after Sync was called has ended, and returns that fsync's error: a
//     rename into dir before Sync is durable once Sync returns nil.
//   - At most one fsync of a folder runs at a time; callers that arrive
//     while one runs share the next one (group commit), so concurrent chunk
//     puts into one object's folder cost one folder fsync per group, not
//     one each.

import "sync"

// folderSyncer coalesces folder fsyncs. Its zero value syncs with syncDir.
type folderSyncer struct {
	mu      sync.Mutex
	folders map[string]*folderState
	// sync, if set, replaces syncDir (tests count and slow the fsyncs).
	sync func(dir string) error
}

// folderState is one folder's fsyncs: whether one runs, and the round the
// callers that arrived since it began wait for.
type folderState struct {
	running bool
	next    *syncRound
}

// syncRound is one fsync shared by its callers; done closes once err is set.
type syncRound struct {
	done chan struct{}
	err  error
}

// Sync fsyncs dir, sharing the fsync with concurrent callers for dir.
func (s *folderSyncer) Sync(dir string) error {
	s.mu.Lock()
	if s.folders == nil {
		s.folders = map[string]*folderState{}
	}
	f := s.folders[dir]
	if f == nil {
		f = &folderState{}
		s.folders[dir] = f
	}
	if f.next == nil {
		f.next = &syncRound{done: make(chan struct{})}
	}
	r := f.next
	lead := !f.running
	if lead {
		f.running = true
	}
	s.mu.Unlock()
	if lead {
		s.lead(dir, f)
	}
	<-r.done
	return r.err
}

// lead runs f's waiting round, then hands the next one (callers that came
// meanwhile) to a new leader, or marks the folder idle.
func (s *folderSyncer) lead(dir string, f *folderState) {
	s.mu.Lock()
	r := f.next
	f.next = nil
	s.mu.Unlock()
	sync := s.sync
	if sync == nil {
		sync = syncDir
	}
	r.err = sync(dir)
	close(r.done)
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.next != nil {
		go s.lead(dir, f) // still running: the next round's callers wait on it
		return
	}
	f.running = false
	delete(s.folders, dir)
}
