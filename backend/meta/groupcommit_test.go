package meta

import (
	"crypto/rand"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/mefs-project/mefs/backend/memo"
)

// TestConcurrentCommitsAllLand commits objects from many goroutines (so
// commits share WAL syncs) and checks, after reopening the store, that every
// acknowledged one is there.
func TestConcurrentCommitsAllLand(t *testing.T) {
	dir := t.TempDir()
	s := openTestStore(t, dir)
	if err := s.CreateBucket(Bucket{Name: "b"}); err != nil {
		t.Fatal(err)
	}
	const n = 64
	errs := make(chan error, n)
	for i := range n {
		go func() { errs <- commitRandom(s, fmt.Sprintf("k%d", i)) }()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s = openTestStore(t, dir)
	defer s.Close()
	for i := range n {
		if _, err := s.Object("b", fmt.Sprintf("k%d", i)); err != nil {
			t.Fatalf("object k%d after reopen: %v", i, err)
		}
	}
	if _, err := s.Object("b", "absent"); !errors.Is(err, ErrNoSuchKey) {
		t.Fatalf("absent object: %v", err)
	}
}

func commitRandom(s *Store, key string) error {
	var id memo.ObjectID
	rand.Read(id[:])
	return beginAndCommit(s, "b", key, Object{ID: id, Size: 4096},
		Layout{K: 4, M: 2, Providers: []string{"p1", "p2", "p3", "p4", "p5", "p6"}}, nil)
}

// BenchmarkCommitPutParallel is the metadata cost of a small PUT (intent +
// commit, both synced) at 16 concurrent PUTs: with group commit the
// commits share WAL fsyncs instead of queueing under the store's mutex.
func BenchmarkCommitPutParallel(b *testing.B) {
	s, err := Open(b.TempDir(), quietLog)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.CreateBucket(Bucket{Name: "b"}); err != nil {
		b.Fatal(err)
	}
	var n atomic.Int64
	b.SetParallelism(8) // × GOMAXPROCS goroutines
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := commitRandom(s, fmt.Sprintf("k%d", n.Add(1)%512)); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
