package provider

import (
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/erasure"
)

func dataID(i int) erasure.DataID {
	var id erasure.DataID
	copy(id[:], fmt.Sprintf("object-%09d", i))
	return id
}

// hexOf is id as the owner log writes it.
func hexOf(id erasure.DataID) string { return hex.EncodeToString(id[:]) }

// TestOwnerLogConcurrentClaims: many new objects claimed at once (sharing
// fsyncs) all keep their owners across a reopen.
func TestOwnerLogConcurrentClaims(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("chunk")
	root := erasure.Commit(data)
	var wg sync.WaitGroup
	errs := make([]error, 64)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.PutFor(fmt.Sprintf("user-%d", i%5), memo.ChunkID{Data: dataID(i)}, root, data)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("put %d: %v", i, err)
		}
	}
	s2, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range errs {
		if got, want := s2.owners[dataID(i)], fmt.Sprintf("user-%d", i%5); got != want {
			t.Fatalf("object %d owned by %q after reopen, want %q", i, got, want)
		}
	}
}

// storeWithAppendedLog opens a store in dir, has alice claim obj, then
// appends raw to its owner log behind the store's back; it returns the log.
func storeWithAppendedLog(t *testing.T, dir string, obj erasure.DataID, raw string) string {
	t.Helper()
	s, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("chunk")
	if err := s.PutFor("alice", memo.ChunkID{Data: obj}, erasure.Commit(data), data); err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(dir, ownerLogName)
	f, err := os.OpenFile(logPath, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(raw); err != nil {
		t.Fatal(err)
	}
	return logPath
}

// TestOwnerLogTornLineAndLegacyOwner: a last line cut short by a crash is
// dropped and the log goes on after it; a folder from before the log keeps
// the owner in its .owner file.
func TestOwnerLogTornLineAndLegacyOwner(t *testing.T) {
	dir := t.TempDir()
	data := []byte("chunk")
	root := erasure.Commit(data)
	logPath := storeWithAppendedLog(t, dir, dataID(1), hexOf(dataID(1))+" mallory-cut-sh") // no newline: a torn append
	// A folder written before the owner log: .owner and a chunk file.
	legacy := dataID(2)
	h := hexOf(legacy)
	ldir := filepath.Join(dir, "chunks", h[:2], h)
	if err := os.MkdirAll(ldir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ldir, ".owner"), []byte("bob"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ldir, "0.0"), append(root[:], data...), 0o600); err != nil {
		t.Fatal(err)
	}

	s2, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s2.owners[dataID(1)] != "alice" || s2.owners[legacy] != "bob" {
		t.Fatalf("owners after reopen: %q, %q; want alice (torn line ignored), bob (legacy)", s2.owners[dataID(1)], s2.owners[legacy])
	}
	if err := s2.PutFor("carol", memo.ChunkID{Data: dataID(3)}, root, data); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "mallory") || !strings.HasSuffix(string(b), " carol\n") {
		t.Fatalf("log after a torn line and a new claim:\n%s", b)
	}
	if _, _, err := s2.Get(memo.ChunkID{Data: legacy}); err != nil {
		t.Fatalf("legacy chunk: %v", err)
	}
}

// TestOwnerLogCompacted: records of deleted objects are dropped when the log
// has grown far past the live ones.
func TestOwnerLogCompacted(t *testing.T) {
	dir := t.TempDir()
	data := []byte("chunk")
	root := erasure.Commit(data)
	var stale strings.Builder
	for i := 1; i <= ownerLogSlack+10; i++ { // objects since deleted: no folder
		fmt.Fprintf(&stale, "%s gone\n", hexOf(dataID(i)))
	}
	logPath := storeWithAppendedLog(t, dir, dataID(0), stale.String())
	s2, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if want := hexOf(dataID(0)) + " alice\n"; string(b) != want {
		t.Fatalf("compacted log holds %d bytes, want exactly %q", len(b), want)
	}
	if err := s2.PutFor("bob", memo.ChunkID{Data: dataID(1)}, root, data); err != nil {
		t.Fatalf("claim after compaction: %v", err)
	}
	if s3, err := OpenStore(dir); err != nil || s3.owners[dataID(1)] != "bob" || s3.owners[dataID(0)] != "alice" {
		t.Fatalf("owners after compaction and a claim: %v", err)
	}
}

// TestOwnerLogFailureRefusesClaims: once a write fails, no later claim is
// acknowledged.
func TestOwnerLogFailureRefusesClaims(t *testing.T) {
	s, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s.olog.f.Close() // the next write fails
	data := []byte("chunk")
	root := erasure.Commit(data)
	for i := range 2 {
		if err := s.PutFor("alice", memo.ChunkID{Data: dataID(i)}, root, data); err == nil {
			t.Fatalf("claim %d acknowledged after the owner log failed", i)
		}
	}
}
