package provider

import (
	"errors"
	"sync"
	"testing"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/erasure"
)

// TestConcurrentClaims: many chunks of one new object arrive at once from
// its User and from another; the first claim decides the owner, every put
// of the owner lands, every put of the other is refused, and the owner
// survives a reopen.
func TestConcurrentClaims(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	var obj erasure.DataID
	copy(obj[:], "claimed-object-1")
	data := []byte("chunk")
	root := erasure.Commit(data)
	if err := s.PutFor("alice", memo.ChunkID{Data: obj, Stripe: 999}, root, data); err != nil {
		t.Fatal(err)
	}
	var other erasure.DataID
	copy(other[:], "claimed-object-2")
	var wg sync.WaitGroup
	errs := make([]error, 32)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			owner, o := "alice", other
			if i%2 == 1 {
				owner, o = "bob", obj // bob into alice's object: refused
			}
			if i%4 == 3 {
				o = other // bob racing alice for the new object
			}
			errs[i] = s.PutFor(owner, memo.ChunkID{Data: o, Stripe: uint64(i)}, root, data)
		}()
	}
	wg.Wait()
	// other goes to whoever claimed it first: only that User's puts land.
	owner := s.owners[other]
	if owner != "alice" && owner != "bob" {
		t.Fatalf("owner of the raced object: %q", owner)
	}
	for i, err := range errs {
		switch {
		case i%4 == 1:
			if !errors.Is(err, ErrNotOwner) {
				t.Errorf("bob's put %d into alice's object: %v, want ErrNotOwner", i, err)
			}
		case (i%2 == 0) == (owner == "alice"):
			if err != nil {
				t.Errorf("put %d by the owner %q: %v", i, owner, err)
			}
		case !errors.Is(err, ErrNotOwner):
			t.Errorf("put %d into %q's object: %v, want ErrNotOwner", i, owner, err)
		}
	}
	s2, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s2.owners[other] != owner || s2.owners[obj] != "alice" {
		t.Fatalf("owners after reopen: %q, %q; want %q, alice", s2.owners[other], s2.owners[obj], owner)
	}
}
