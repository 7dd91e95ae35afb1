package provider

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestFolderSyncerGroups: many concurrent Syncs of one folder share a few
// fsyncs, each returns only after an fsync that began after its call, and
// each gets its fsync's error.
func TestFolderSyncerGroups(t *testing.T) {
	var started, finished, running atomic.Int64
	fail := errors.New("disk gone")
	s := folderSyncer{sync: func(dir string) error {
		if running.Add(1) != 1 {
			t.Errorf("two fsyncs of %s at once", dir)
		}
		n := started.Add(1)
		time.Sleep(5 * time.Millisecond)
		finished.Store(n)
		running.Add(-1)
		if n == 3 {
			return fail
		}
		return nil
	}}
	const callers = 64
	var wg sync.WaitGroup
	var failed atomic.Int64
	for i := range callers {
		wg.Go(func() {
			time.Sleep(time.Duration(i%8) * time.Millisecond)
			before := started.Load()
			err := s.Sync("d")
			if finished.Load() <= before {
				t.Errorf("Sync returned after fsyncs up to #%d; the last begun before it was #%d", finished.Load(), before)
			}
			if errors.Is(err, fail) {
				failed.Add(1)
			}
		})
	}
	wg.Wait()
	if n := started.Load(); n >= callers/4 || n < 2 {
		t.Fatalf("%d concurrent Syncs ran %d fsyncs; want a few shared ones", callers, n)
	}
	if failed.Load() == 0 {
		t.Fatal("no caller saw the failed fsync's error")
	}
	// The last leader forgets the folder just after its callers return.
	for deadline := time.Now().Add(time.Second); ; time.Sleep(time.Millisecond) {
		s.mu.Lock()
		n := len(s.folders)
		s.mu.Unlock()
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d folders still tracked after every Sync returned", n)
		}
	}
	t.Logf("%d Syncs, %d fsyncs, %d saw the failure", callers, started.Load(), failed.Load())
}

// TestFolderSyncerFolders: Syncs of different folders do not wait for each
// other.
func TestFolderSyncerFolders(t *testing.T) {
	block := make(chan struct{})
	s := folderSyncer{sync: func(dir string) error {
		if dir == "slow" {
			<-block
		}
		return nil
	}}
	done := make(chan error)
	go func() { done <- s.Sync("slow") }()
	if err := s.Sync("fast"); err != nil {
		t.Fatal(err)
	}
	close(block)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
