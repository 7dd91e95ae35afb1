package meta

import (
	"errors"
	"testing"
	"time"

	"github.com/mefs-project/mefs/erasure"
)

// TestCompleteRefusesReplacedPart: a part uploaded again between building
// the object's layout and committing it must not be lost (its old data
// garbage, its new data unreferenced): CompleteUpload refuses.
func TestCompleteRefusesReplacedPart(t *testing.T) {
	s := newTestStore(t)
	if err := s.CreateBucket(Bucket{Name: "b"}); err != nil {
		t.Fatal(err)
	}
	u := Upload{Bucket: "b", Key: "k", ID: "up1", Initiated: time.Now()}
	if err := s.CreateUpload(u); err != nil {
		t.Fatal(err)
	}
	commitPart := func(id erasure.DataID) {
		t.Helper()
		lay := testLayout("p1", "p2", "p3")
		if err := s.BeginPut(id, lay.Providers); err != nil {
			t.Fatal(err)
		}
		if err := s.CommitPart(u, Part{Number: 1, ID: id, Size: 10, ETag: "e", Layout: lay}); err != nil {
			t.Fatal(err)
		}
	}
	x, y := testID(), testID()
	commitPart(x)
	// The layout is built from part 1 = x ... and part 1 is uploaded again.
	lay := Concat([]erasure.DataID{x}, []Layout{testLayout("p1", "p2", "p3")})
	commitPart(y)
	obj := testObject(testID())
	err := s.CompleteUpload(u, obj, lay, map[int]erasure.DataID{1: x}, nil)
	if !errors.Is(err, ErrPartChanged) {
		t.Fatalf("complete naming a replaced part: %v, want ErrPartChanged", err)
	}
	if _, err := s.Object("b", "k"); !errors.Is(err, ErrNoSuchKey) {
		t.Fatalf("object after a refused complete: %v", err)
	}
	// With the current part it completes.
	lay = Concat([]erasure.DataID{y}, []Layout{testLayout("p1", "p2", "p3")})
	if err := s.CompleteUpload(u, obj, lay, map[int]erasure.DataID{1: y}, nil); err != nil {
		t.Fatal(err)
	}
	g, err := s.Garbage()
	if err != nil || len(g) != 1 || g[0].ID != x {
		t.Fatalf("garbage %v, %v; want only the replaced part's data", g, err)
	}
}
