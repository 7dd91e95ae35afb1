package user

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/erasure"
	"github.com/mefs-project/mefs/gateway"
)

// TestMetadataSurvivesTheGateway: a snapshot saved on the in-memory
// Provider network restores, from its root alone and the master key, into
// an empty store that serves every object; retired snapshots are collected.
func TestMetadataSurvivesTheGateway(t *testing.T) {
	l, net, ids, _ := newMemLayer(t, testK+testM+1)
	objs := map[string][]byte{}
	for i, size := range []int{0, 1, 5000, testStripe, 3*testStripe + 17} {
		k := string(rune('a' + i))
		objs[k] = randData(uint64(i), size)
		memPut(t, l, k, objs[k])
	}
	ctx := context.Background()
	files := map[string][]byte{"credentials.json": []byte(`{"access_key":"AK"}`)}
	first, err := l.SaveMetadata(ctx, 1, files)
	if err != nil {
		t.Fatal(err)
	}
	memPut(t, l, "late", randData(99, 777))
	objs["late"] = randData(99, 777)
	saved, err := l.SaveMetadata(ctx, 2, files)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.RetireMetadata(2); err != nil {
		t.Fatal(err)
	}
	t.Logf("snapshot: %d records, %d bytes, root %d bytes", saved.Records, saved.Bytes, len(saved.Root.Marshal()))
	if len(saved.Root.Marshal()) > 1024 {
		t.Errorf("root of %d bytes for %d+%d", len(saved.Root.Marshal()), testK, testM)
	}
	root, err := ParseMetaRoot(saved.Root.Marshal())
	if err != nil {
		t.Fatal(err)
	}

	// A fresh machine: empty store, same master key, same Providers.
	ms, err := meta.Open(filepath.Join(t.TempDir(), "meta"), discard)
	if err != nil {
		t.Fatal(err)
	}
	defer ms.Close()
	l2, err := New(Config{K: root.K, M: root.M, ChunkSize: testChunkSize, MasterKey: l.cfg.MasterKey}, ms, net, NewFixed(ids), discard)
	if err != nil {
		t.Fatal(err)
	}
	got, err := l2.RestoreMetadata(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got["credentials.json"], files["credentials.json"]) {
		t.Errorf("files restored: %q", got)
	}
	for k, v := range objs {
		if b := memGet(t, l2, k); !bytes.Equal(b, v) {
			t.Errorf("object %s after restore: %d bytes, want %d", k, len(b), len(v))
		}
	}
	recs, err := ms.Snapshots()
	if err != nil || len(recs) != 1 || recs[0].Seq != 2 {
		t.Fatalf("snapshots after restore: %+v, %v", recs, err)
	}
	// The first snapshot is garbage on the original store.
	l.collect(ctx)
	for _, p := range ids {
		if net.holds(p, first.Root.Manifest) {
			t.Errorf("provider %s still holds retired snapshot 1's manifest", p)
		}
	}

	// A restore into a store that holds anything is refused, and so is a
	// root whose commitments do not match.
	if _, err := l2.RestoreMetadata(ctx, root); !errors.Is(err, meta.ErrNotEmpty) {
		t.Errorf("second restore: %v, want ErrNotEmpty", err)
	}
	bad := root
	bad.Roots = append(bad.Roots[:0:0], bad.Roots...)
	bad.Roots[0][0] ^= 1
	bad.Roots[1][0] ^= 1
	bad.Roots[2][0] ^= 1
	ms3, err := meta.Open(filepath.Join(t.TempDir(), "meta"), discard)
	if err != nil {
		t.Fatal(err)
	}
	defer ms3.Close()
	l3, _ := New(Config{K: root.K, M: root.M, ChunkSize: testChunkSize, MasterKey: l.cfg.MasterKey}, ms3, net, NewFixed(ids), discard)
	if _, err := l3.RestoreMetadata(ctx, bad); err == nil {
		t.Error("a root with 3 wrong commitments restored")
	}
}

func TestParseMetaRootRejectsGarbage(t *testing.T) {
	for _, b := range [][]byte{nil, {1}, {2, 0, 0}, bytes.Repeat([]byte{1}, 31), bytes.Repeat([]byte{1}, 200)} {
		if _, err := ParseMetaRoot(b); !errors.Is(err, ErrBadMetaRoot) {
			t.Errorf("ParseMetaRoot(%x) = %v, want ErrBadMetaRoot", b, err)
		}
	}
}

func FuzzParseMetaRoot(f *testing.F) {
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseMetaRoot(b)
		if err != nil {
			return
		}
		if !bytes.Equal(r.Marshal(), b) {
			t.Fatalf("root %x re-encodes as %x", b, r.Marshal())
		}
	})
}

// TestRepairCutShortLeavesNoOrphan: a repair that stored its chunk but
// stopped before recording it (a crash) leaves an intent; the next start
// turns it into an orphan the collector deletes, while a recorded repair
// retires its intent.
func TestRepairCutShortLeavesNoOrphan(t *testing.T) {
	l, net, ids, ms := newMemLayer(t, testK+testM)
	net.setDown(ids[0], true)
	memPut(t, l, "k", randData(5, testStripe))
	net.setDown(ids[0], false)
	id := memoObject(t, ms, "k")
	lay, err := ms.Layout(id)
	if err != nil {
		t.Fatal(err)
	}
	// The crash: the stripe's missing chunk stored on the one Provider
	// outside it, never recorded.
	gap := slices.Index(lay.Stripes[0].Providers, meta.NoProvider)
	if gap < 0 {
		t.Fatal("a PUT with a Provider down left no gap")
	}
	spare := ids[0]
	cid := memo.ChunkID{Data: memo.DataOf(id), Stripe: 0, Index: uint16(gap)}
	if err := ms.BeginRepair(spare.String(), cid); err != nil {
		t.Fatal(err)
	}
	orphan := []byte("orphan")
	if err := net.PutChunk(context.Background(), spare, cid, erasure.Commit(orphan), orphan); err != nil {
		t.Fatal(err)
	}
	// Restart: Recover abandons the intent; the collector deletes the chunk.
	if err := l.Recover(); err != nil {
		t.Fatal(err)
	}
	l.collectOrphans(context.Background())
	if net.holds(spare, memo.DataOf(id)) {
		t.Fatal("the chunk of the repair cut short is still on its Provider")
	}
	if left, _ := ms.AbandonedRepairs(); len(left) != 0 {
		t.Fatalf("repair intents left after collection: %v", left)
	}
	// A real repair records its chunk and retires its intent.
	if err := l.repairObject(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if lay, _ := ms.Layout(id); lay.Missing() {
		t.Fatal("repair left the stripe short")
	}
	if err := l.Recover(); err != nil {
		t.Fatal(err)
	}
	if left, _ := ms.AbandonedRepairs(); len(left) != 0 {
		t.Fatalf("a recorded repair left an intent: %v", left)
	}
}

// memoObject is the object id of bkt/key.
func memoObject(t *testing.T, ms *meta.Store, key string) memo.ObjectID {
	t.Helper()
	o, err := ms.Object("bkt", key)
	if err != nil {
		t.Fatal(err)
	}
	return o.ID
}

// TestStrayOfLiveObjectIsCleanedChunkByChunk: a Provider a PUT tried but
// could not use is a stray of a live object: its garbage is collected chunk
// by chunk (no whole-data delete, whose tombstone would refuse repairs
// there), and the repair then places the missing chunks on it; the data of
// a deleted object still goes in one delete.
func TestStrayOfLiveObjectIsCleanedChunkByChunk(t *testing.T) {
	l, net, ids, ms := newMemLayer(t, testK+testM)
	net.setDown(ids[1], true)
	memPut(t, l, "k", randData(8, 2*testStripe))
	if g, _ := ms.Garbage(); len(g) != 1 {
		t.Fatalf("garbage after a PUT with a Provider down: %v, want its stray record", g)
	}
	net.setDown(ids[1], false)
	ctx := context.Background()
	l.collect(ctx)
	if g, _ := ms.Garbage(); len(g) != 0 {
		t.Fatalf("stray record left after collection: %v", g)
	}
	if n := net.dataDeletes[ids[1]]; n != 0 {
		t.Fatalf("the stray of a live object got %d whole-data deletes", n)
	}
	id := memoObject(t, ms, "k")
	if err := l.repairObject(ctx, id); err != nil {
		t.Fatal(err)
	}
	if lay, _ := ms.Layout(id); lay.Missing() {
		t.Fatal("repair left a gap")
	}
	if _, err := l.DeleteObject(ctx, "bkt", "k", gateway.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	l.collect(ctx)
	if n := net.dataDeletes[ids[1]]; n != 1 {
		t.Fatalf("deleted object's data: %d whole-data deletes on a holder, want 1", n)
	}
}
