package provider

import (
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// TestNewFoldersWaitForEachOthersFsyncs: a put into a folder another put
// has just created is not durable before that put's fsyncs of the folder
// end; once they succeed the folder counts as durable; a failed fsync fails
// every later put into the folder.
func TestNewFoldersWaitForEachOthersFsyncs(t *testing.T) {
	root := t.TempDir()
	objA := filepath.Join(root, "ab", "ab01")
	objB := filepath.Join(root, "ab", "ab02")
	objC := filepath.Join(root, "cd", "cd01")
	// Each put's fsyncs wait for a release of their own, named by the
	// deepest folder the put created.
	release := map[string]chan error{objA: make(chan error), objB: make(chan error), objC: make(chan error)}
	var runs atomic.Int32
	n := &newFolders{syncCreated: func(created []string) error {
		runs.Add(1)
		return <-release[created[0]]
	}}

	waitA, err := n.create(root, objA) // creates ab and ab/ab01
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(objA); err != nil {
		t.Fatalf("folder not created at once: %v", err)
	}
	waitB, err := n.create(root, objB) // creates ab/ab02 only, under A's pending ab
	if err != nil {
		t.Fatal(err)
	}
	waitA2, err := n.create(root, objA) // a second chunk of object A: creates nothing
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 3)
	for _, w := range []func() error{waitA, waitB, waitA2} {
		go func() { done <- w() }()
	}
	select {
	case err := <-done:
		t.Fatalf("a put was durable (%v) before the fsyncs of the folders it writes into ended", err)
	case <-time.After(50 * time.Millisecond):
	}
	release[objA] <- nil // A's fsyncs (ab and ab01) end; B's (ab02) still run
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no put finished after A's fsyncs ended")
	}
	release[objB] <- nil
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	// A registration is dropped just after its fsyncs end.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		n.mu.Lock()
		left := len(n.pending)
		n.mu.Unlock()
		if left == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d folders still registered after their fsyncs succeeded", left)
		}
	}
	if wait, err := n.create(root, objA); err != nil || wait() != nil {
		t.Fatalf("existing durable folder: %v", err)
	}
	if runs.Load() != 2 {
		t.Fatalf("%d fsync runs, want 2 (one per put that created folders)", runs.Load())
	}

	// A failed fsync sticks: no put into that folder is acknowledged.
	errDisk := errors.New("disk gone")
	waitC, err := n.create(root, objC)
	if err != nil {
		t.Fatal(err)
	}
	release[objC] <- errDisk
	if err := waitC(); !errors.Is(err, errDisk) {
		t.Fatalf("wait after a failed fsync: %v, want %v", err, errDisk)
	}
	waitC2, err := n.create(root, objC)
	if err != nil {
		t.Fatal(err)
	}
	if err := waitC2(); !errors.Is(err, errDisk) {
		t.Fatalf("a later put into the folder whose fsync failed: %v, want %v", err, errDisk)
	}
}
