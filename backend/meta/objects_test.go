package meta

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/erasure"
)

func testLayout(providers ...string) Layout {
	l := Layout{K: 2, M: 1, Providers: providers}
	for s := 0; s < 2; s++ {
		st := Stripe{Size: 100 + s, Index: uint64(s), Providers: []uint16{0, 1, 2}}
		for i := 0; i < 3; i++ {
			var r erasure.Root
			r[0], r[1] = byte(s), byte(i+1)
			st.Roots = append(st.Roots, r)
		}
		l.Stripes = append(l.Stripes, st)
	}
	return l
}

func testObject(id erasure.DataID) Object {
	return Object{ID: memo.ObjectID(id), Size: 201, ETag: "0123456789abcdef0123456789abcdef",
		ModTime: time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC), ContentType: "text/plain",
		UserMeta: map[string]string{"color": "blue"}}
}

// providerSets turns a Garbage or Intents listing into a map for comparison.
func providerSets(t *testing.T, ps []ProviderSet, err error) map[erasure.DataID][]string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	out := map[erasure.DataID][]string{}
	for _, p := range ps {
		if _, dup := out[p.ID]; dup {
			t.Fatalf("%x listed twice", p.ID)
		}
		out[p.ID] = p.Providers
	}
	return out
}

func wantSets(t *testing.T, what string, got, want map[erasure.DataID][]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
	for id, w := range want {
		g, ok := got[id]
		if !ok || !slices.Equal(g, w) {
			t.Fatalf("%s: %x has providers %v (present %v), want %v", what, id, g, ok, w)
		}
	}
}

func checkObject(t *testing.T, s *Store, bucket, key string, want Object, wantLayout Layout) {
	t.Helper()
	o, err := s.Object(bucket, key)
	if err != nil {
		t.Fatalf("Object(%s, %s): %v", bucket, key, err)
	}
	if o.ID != want.ID || o.Size != want.Size || o.ETag != want.ETag || !o.ModTime.Equal(want.ModTime) ||
		o.ContentType != want.ContentType || !reflect.DeepEqual(o.UserMeta, want.UserMeta) {
		t.Fatalf("Object(%s, %s) = %+v, want %+v", bucket, key, o, want)
	}
	l, err := s.Layout(o.ID)
	if err != nil {
		t.Fatalf("Layout(%x): %v", o.ID, err)
	}
	if !reflect.DeepEqual(l, wantLayout) {
		t.Fatalf("Layout(%x) = %+v, want %+v", o.ID, l, wantLayout)
	}
}

func TestObjectLifecycle(t *testing.T) {
	s := newTestStore(t)
	if err := s.CreateBucket(Bucket{Name: "b"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Object("b", "k"); !errors.Is(err, ErrNoSuchKey) {
		t.Fatalf("Object before put: %v", err)
	}

	// Begin: the intent is listed.
	id1 := testID()
	providers1 := []string{"p1", "p2", "p3"}
	if err := s.BeginPut(id1, providers1); err != nil {
		t.Fatal(err)
	}
	in, err := s.Intents()
	wantSets(t, "intents after BeginPut", providerSets(t, in, err), map[erasure.DataID][]string{id1: providers1})
	if _, err := s.Object("b", "k"); !errors.Is(err, ErrNoSuchKey) {
		t.Fatalf("Object visible before commit: %v", err)
	}

	// Commit: intent gone, object and layout readable, no garbage.
	obj1, lay1 := testObject(id1), testLayout(providers1...)
	if err := beginAndCommit(s, "b", "k", obj1, lay1, nil); err != nil {
		t.Fatal(err)
	}
	in, err = s.Intents()
	wantSets(t, "intents after CommitPut", providerSets(t, in, err), nil)
	g, err := s.Garbage()
	wantSets(t, "garbage after first CommitPut", providerSets(t, g, err), nil)
	if n, err := s.GarbageCount(); err != nil || n != 0 {
		t.Fatalf("GarbageCount after first CommitPut: %d, %v; want 0", n, err)
	}
	checkObject(t, s, "b", "k", obj1, lay1)

	// Overwrite: the old object becomes garbage with its providers.
	id2 := testID()
	providers2 := []string{"q1", "q2", "q3"}
	if err := s.BeginPut(id2, providers2); err != nil {
		t.Fatal(err)
	}
	obj2, lay2 := testObject(id2), testLayout(providers2...)
	obj2.Size, obj2.UserMeta = 7, nil
	if err := beginAndCommit(s, "b", "k", obj2, lay2, nil); err != nil {
		t.Fatal(err)
	}
	checkObject(t, s, "b", "k", obj2, lay2)
	g, err = s.Garbage()
	wantSets(t, "garbage after overwrite", providerSets(t, g, err), map[erasure.DataID][]string{id1: providers1})
	if n, err := s.GarbageCount(); err != nil || n != 1 {
		t.Fatalf("GarbageCount after overwrite: %d, %v; want 1", n, err)
	}
	if _, err := s.Layout(memo.ObjectID(id1)); !errors.Is(err, ErrNoSuchKey) {
		t.Fatalf("Layout of replaced object: %v, want ErrNoSuchKey", err)
	}
	in, err = s.Intents()
	wantSets(t, "intents after overwrite", providerSets(t, in, err), nil)

	// Delete: the object becomes garbage; deleting again is ErrNoSuchKey.
	if err := s.DeleteObject("b", "k"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Object("b", "k"); !errors.Is(err, ErrNoSuchKey) {
		t.Fatalf("Object after delete: %v", err)
	}
	if _, err := s.Layout(memo.ObjectID(id2)); !errors.Is(err, ErrNoSuchKey) {
		t.Fatalf("Layout after delete: %v", err)
	}
	g, err = s.Garbage()
	wantSets(t, "garbage after delete", providerSets(t, g, err), map[erasure.DataID][]string{id1: providers1, id2: providers2})
	if err := s.DeleteObject("b", "k"); !errors.Is(err, ErrNoSuchKey) {
		t.Fatalf("DeleteObject of missing key: %v", err)
	}
	if err := s.DeleteObject("nope", "k"); err == nil {
		t.Fatal("DeleteObject in missing bucket succeeded")
	}

	// Abort: the intent becomes garbage.
	id3 := testID()
	providers3 := []string{"r1"}
	if err := s.BeginPut(id3, providers3); err != nil {
		t.Fatal(err)
	}
	if err := s.AbortPut(id3, providers3); err != nil {
		t.Fatal(err)
	}
	in, err = s.Intents()
	wantSets(t, "intents after AbortPut", providerSets(t, in, err), nil)
	g, err = s.Garbage()
	wantSets(t, "garbage after AbortPut", providerSets(t, g, err),
		map[erasure.DataID][]string{id1: providers1, id2: providers2, id3: providers3})

	// Collected removes the Providers whose chunks were deleted; a record
	// with none left is forgotten, and a Provider added meanwhile stays.
	if err := s.Collected(id1, without(providers1, "p2")); err != nil {
		t.Fatal(err)
	}
	if err := s.Collected(id2, providers2); err != nil {
		t.Fatal(err)
	}
	g, err = s.Garbage()
	wantSets(t, "garbage after Collected", providerSets(t, g, err),
		map[erasure.DataID][]string{id1: {"p2"}, id3: providers3})
	if err := s.AddGarbage(id1, []string{"late"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Collected(id1, []string{"p2"}); err != nil {
		t.Fatal(err)
	}
	g, err = s.Garbage()
	wantSets(t, "garbage after a late AddGarbage", providerSets(t, g, err),
		map[erasure.DataID][]string{id1: {"late"}, id3: providers3})
	if err := s.Collected(id1, []string{"late"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Collected(id3, providers3); err != nil {
		t.Fatal(err)
	}
	g, err = s.Garbage()
	wantSets(t, "garbage after clearing", providerSets(t, g, err), nil)
}

func TestMultiPartLayoutGarbage(t *testing.T) {
	s := newTestStore(t)
	if err := s.CreateBucket(Bucket{Name: "b"}); err != nil {
		t.Fatal(err)
	}
	id, p1, p2 := testID(), testID(), testID()
	lay := testLayout("a", "b", "c")
	lay.Parts = []erasure.DataID{p1, p2}
	if got := lay.DataIDs(memo.ObjectID(id)); !slices.Equal(got, []erasure.DataID{p1, p2}) {
		t.Fatalf("DataIDs = %x", got)
	}
	if got := (Layout{}).DataIDs(memo.ObjectID(id)); !slices.Equal(got, []erasure.DataID{id}) {
		t.Fatalf("DataIDs of a single-part layout = %x", got)
	}
	if err := beginAndCommit(s, "b", "k", testObject(id), lay, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteObject("b", "k"); err != nil {
		t.Fatal(err)
	}
	g, err := s.Garbage()
	wantSets(t, "garbage of a multi-part object", providerSets(t, g, err),
		map[erasure.DataID][]string{p1: lay.Providers, p2: lay.Providers})
}

func TestStoreSurvivesReopen(t *testing.T) {
	dir := t.TempDir()
	s := openTestStore(t, dir)
	created := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, n := range []string{"b1", "b2"} {
		if err := s.CreateBucket(Bucket{Name: n, Owner: "me", Created: created}); err != nil {
			t.Fatal(err)
		}
	}
	idLive, idOld, idIntent, idAbort := testID(), testID(), testID(), testID()
	layOld, layLive := testLayout("o1", "o2", "o3"), testLayout("l1", "l2", "l3")
	if err := beginAndCommit(s, "b1", "key/é", testObject(idOld), layOld, nil); err != nil {
		t.Fatal(err)
	}
	if err := beginAndCommit(s, "b1", "key/é", testObject(idLive), layLive, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.BeginPut(idIntent, []string{"i1", "i2"}); err != nil {
		t.Fatal(err)
	}
	if err := s.BeginPut(idAbort, []string{"a1"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AbortPut(idAbort, []string{"a1"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openTestStore(t, dir)
	defer s.Close()
	bs, err := s.Buckets()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range bs {
		names = append(names, b.Name)
		if b.Owner != "me" || !b.Created.Equal(created) {
			t.Errorf("bucket %+v after reopen", b)
		}
	}
	if !slices.Equal(names, []string{"b1", "b2"}) {
		t.Fatalf("buckets after reopen: %v", names)
	}
	checkObject(t, s, "b1", "key/é", testObject(idLive), layLive)
	res, err := s.List("b1", ListOptions{MaxKeys: 10})
	if err != nil || len(res.Objects) != 1 || res.Objects[0].Key != "key/é" {
		t.Fatalf("List after reopen: %+v, %v", res, err)
	}
	in, err := s.Intents()
	wantSets(t, "intents after reopen", providerSets(t, in, err), map[erasure.DataID][]string{idIntent: {"i1", "i2"}})
	g, err := s.Garbage()
	wantSets(t, "garbage after reopen", providerSets(t, g, err), map[erasure.DataID][]string{idOld: layOld.Providers, idAbort: {"a1"}})
	if err := s.DeleteBucket("b1"); !errors.Is(err, ErrBucketNotEmpty) {
		t.Fatalf("DeleteBucket(b1) after reopen: %v", err)
	}
}

func TestErrorsNameObjectID(t *testing.T) {
	s := newTestStore(t)
	id := memo.ObjectID(testID())
	_, err := s.Layout(id)
	if !errors.Is(err, ErrNoSuchKey) {
		t.Fatalf("Layout of unknown id: %v", err)
	}
	if !strings.Contains(err.Error(), id.String()) {
		t.Fatalf("error %q does not name object %s", err, id)
	}
}

func without(list []string, drop string) []string {
	var out []string
	for _, p := range list {
		if p != drop {
			out = append(out, p)
		}
	}
	return out
}
