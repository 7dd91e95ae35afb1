package user

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/gateway"
)

// packRig is a Layer with packing on (defaults but a long linger, so that
// concurrent PUTs share a pack) over in-memory Providers and a real Pebble
// store that a test may close and reopen, as a restart would.
type packRig struct {
	t      *testing.T
	l      *Layer
	net    *memNet
	ids    []peer.ID
	ms     *meta.Store
	dir    string
	master []byte
}

func newPackRig(t *testing.T, providers int) *packRig {
	t.Helper()
	r := &packRig{t: t, dir: filepath.Join(t.TempDir(), "meta"), master: make([]byte, 32)}
	rand.Read(r.master)
	r.net, r.ids = newMemNet(providers)
	r.open()
	t.Cleanup(func() { r.ms.Close() })
	if err := r.l.MakeBucket(context.Background(), "bkt", "owner"); err != nil {
		t.Fatal(err)
	}
	return r
}

// open opens the store and a new Layer over it.
func (r *packRig) open() {
	r.t.Helper()
	ms, err := meta.Open(r.dir, discard)
	if err != nil {
		r.t.Fatal(err)
	}
	l, err := New(Config{K: testK, M: testM, ChunkSize: testChunkSize, MasterKey: r.master, PackLinger: 100 * time.Millisecond},
		ms, r.net, NewFixed(r.ids), discard)
	if err != nil {
		r.t.Fatal(err)
	}
	r.l, r.ms = l, ms
}

// restart closes the store and opens it again under a new Layer that
// recovers (turns unfinished uploads into garbage), as after a crash.
func (r *packRig) restart() {
	r.t.Helper()
	if err := r.ms.Close(); err != nil {
		r.t.Fatal(err)
	}
	r.open()
	if err := r.l.Recover(); err != nil {
		r.t.Fatal(err)
	}
}

// putAll PUTs every object concurrently (so they share packs).
func (r *packRig) putAll(objs map[string][]byte) {
	r.t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, len(objs))
	for k, v := range objs {
		wg.Go(func() {
			if _, err := r.l.PutObject(context.Background(), "bkt", k, gateway.NewPutReader(bytes.NewReader(v), int64(len(v)), nil), gateway.PutOptions{}); err != nil {
				errs <- fmt.Errorf("PutObject(%s): %w", k, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		r.t.Fatal(err)
	}
}

// check reads every object back whole and in three ranges.
func (r *packRig) check(objs map[string][]byte) {
	r.t.Helper()
	for k, v := range objs {
		if got := memGet(r.t, r.l, k); !bytes.Equal(got, v) {
			r.t.Fatalf("%s read back %d bytes, not the %d put", k, len(got), len(v))
		}
		n := int64(len(v))
		for _, rg := range []gateway.Range{{First: 0, Last: 0}, {First: n / 3, Last: n/3 + 999}, {First: n - 1, Last: n - 1}} {
			_, rc, err := r.l.GetObject(context.Background(), "bkt", k, "", &rg, nil)
			if err != nil {
				r.t.Fatalf("GET %s range %d-%d: %v", k, rg.First, rg.Last, err)
			}
			got, err := io.ReadAll(rc)
			rc.Close()
			if err != nil || !bytes.Equal(got, v[rg.First:rg.Last+1]) {
				r.t.Fatalf("GET %s range %d-%d: %d bytes, %v; not the object's", k, rg.First, rg.Last, len(got), err)
			}
		}
	}
}

// pack returns the pack object key's bytes lie in.
func (r *packRig) pack(key string) memo.ObjectID {
	r.t.Helper()
	o, err := r.ms.Object("bkt", key)
	if err != nil {
		r.t.Fatal(err)
	}
	lay, err := r.ms.Layout(o.ID)
	if err != nil || lay.Pack == nil {
		r.t.Fatalf("layout of %s: %+v, %v; want a packed one", key, lay, err)
	}
	return lay.Pack.Pack
}

// packsOf returns the packs objs lie in.
func (r *packRig) packsOf(objs map[string][]byte) map[memo.ObjectID]bool {
	r.t.Helper()
	packs := map[memo.ObjectID]bool{}
	for k := range objs {
		packs[r.pack(k)] = true
	}
	return packs
}

// chunks counts the chunks on every Provider.
func (r *packRig) chunks() (n int) {
	for _, p := range r.ids {
		n += r.net.held(p)
	}
	return n
}

func (r *packRig) delete(key string) {
	r.t.Helper()
	if _, err := r.l.DeleteObject(context.Background(), "bkt", key, gateway.DeleteOptions{}); err != nil {
		r.t.Fatal(err)
	}
}

// smallObjects makes n objects of 5–40 KiB named prefix0, prefix1, ...
func smallObjects(prefix string, n int) map[string][]byte {
	out := map[string][]byte{}
	for i := range n {
		out[fmt.Sprintf("%s%d", prefix, i)] = randData(uint64(len(prefix)*1000+i), 5<<10+i*1500)
	}
	return out
}

// TestPackedObjects: concurrent small PUTs share packs (k+m chunks per pack,
// not per object); every object and ranges of it read back; an overwrite
// and a delete leave holes; a pack whose last object goes becomes garbage
// and its chunks are collected.
func TestPackedObjects(t *testing.T) {
	r := newPackRig(t, testK+testM)
	objs := smallObjects("o", 12)
	r.putAll(objs)
	packs := r.packsOf(objs)
	if len(packs) > 3 || r.chunks() != len(packs)*(testK+testM) {
		t.Fatalf("12 concurrent small PUTs made %d packs and %d chunks; want ≤ 3 packs of %d chunks each", len(packs), r.chunks(), testK+testM)
	}
	r.check(objs)
	if r.net.ranges == 0 {
		t.Fatal("packed objects were read without chunk ranges")
	}

	// Overwrite: the new bytes read back; the old extent is a hole.
	old := r.pack("o3")
	objs["o3"] = randData(99, 7<<10)
	memPut(t, r.l, "o3", objs["o3"])
	if r.pack("o3") == old {
		t.Fatal("an overwrite landed in the pack it replaced")
	}
	members, err := r.ms.PackMembers(old)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range members {
		o, _ := r.ms.Object("bkt", "o3")
		if m.Object == o.ID {
			t.Fatal("the overwritten object is still a member of its old pack")
		}
	}
	// Delete: gone, the others stay.
	r.delete("o5")
	delete(objs, "o5")
	if _, _, err := r.l.GetObject(context.Background(), "bkt", "o5", "", nil, nil); !errors.Is(err, gateway.ErrNoSuchKey) {
		t.Fatalf("GET of a deleted packed object: %v, want NoSuchKey", err)
	}
	r.check(objs)

	// Delete everything: every pack becomes garbage, and collection empties
	// every Provider.
	for k := range objs {
		r.delete(k)
	}
	for p := range packs {
		if _, err := r.ms.Layout(p); !errors.Is(err, meta.ErrNoSuchKey) {
			t.Fatalf("pack %s outlived its last object: %v", p, err)
		}
	}
	r.l.collect(context.Background())
	if n := r.chunks(); n != 0 {
		t.Fatalf("%d chunks left on Providers after every packed object was deleted and collected", n)
	}
}

// TestPackCompaction: a pack mostly deleted is compacted: its live objects
// move to a new pack and still read back (ranges included), the old pack
// is collected, and a pack above the threshold is left alone.
func TestPackCompaction(t *testing.T) {
	r := newPackRig(t, testK+testM)
	objs := smallObjects("c", 10)
	r.putAll(objs)
	pack := r.pack("c0")
	for k := range objs {
		if r.pack(k) != pack {
			t.Skip("the concurrent PUTs did not share one pack: the linger is too short for this machine's scheduling")
		}
	}
	if n, err := r.l.CompactPacks(context.Background()); err != nil || n != 0 {
		t.Fatalf("compaction of a full pack moved %d objects: %v; want none", n, err)
	}
	for i := range 7 {
		k := fmt.Sprintf("c%d", i)
		r.delete(k)
		delete(objs, k)
	}
	n, err := r.l.CompactPacks(context.Background())
	if err != nil || n != len(objs) {
		t.Fatalf("compaction moved %d objects: %v; want %d", n, err, len(objs))
	}
	for k := range objs {
		if r.pack(k) == pack {
			t.Fatalf("%s is still in the compacted pack", k)
		}
	}
	if _, err := r.ms.Layout(pack); !errors.Is(err, meta.ErrNoSuchKey) {
		t.Fatalf("the compacted pack is still there: %v", err)
	}
	r.check(objs)
	r.l.collect(context.Background())
	if got := r.chunks(); got != testK+testM {
		t.Fatalf("%d chunks on Providers after compaction and collection, want the new pack's %d", got, testK+testM)
	}
}

// TestPackCompactionCrash: a crash between a compaction's chunk puts and its
// commit loses nothing (the old pack is whole, the new one is garbage after
// restart); a restart after the commit loses nothing either.
func TestPackCompactionCrash(t *testing.T) {
	r := newPackRig(t, testK+testM)
	objs := smallObjects("x", 8)
	r.putAll(objs)
	for i := range 6 {
		k := fmt.Sprintf("x%d", i)
		r.delete(k)
		delete(objs, k)
	}
	before := map[string]memo.ObjectID{}
	for k := range objs {
		before[k] = r.pack(k)
	}
	crash := errors.New("crash injected before the repack commit")
	r.l.beforeRepack = func() error { return crash }
	if _, err := r.l.CompactPacks(context.Background()); !errors.Is(err, crash) {
		t.Fatalf("compaction with an injected crash: %v", err)
	}
	intents, err := r.ms.Intents()
	if err != nil || len(intents) != 1 {
		t.Fatalf("after a crash between chunk puts and commit: intents %v, %v; want the new pack's", intents, err)
	}
	r.restart()
	for k, p := range before {
		if got := r.pack(k); got != p {
			t.Fatalf("%s moved to pack %s though the compaction never committed", k, got)
		}
	}
	r.check(objs)
	if g, err := r.ms.Garbage(); err != nil || len(g) != 1 || g[0].ID != intents[0].ID {
		t.Fatalf("garbage after restart: %v, %v; want the unfinished pack", g, err)
	}
	r.l.collect(context.Background())

	// Again without a crash, then a restart after the commit.
	if n, err := r.l.CompactPacks(context.Background()); err != nil || n != len(objs) {
		t.Fatalf("compaction after restart moved %d: %v; want %d", n, err, len(objs))
	}
	r.restart()
	r.check(objs)
	for k, p := range before {
		if r.pack(k) == p {
			t.Fatalf("%s is still in its old pack after the committed compaction", k)
		}
	}
}

// TestPackRepair: a pack stored with a Provider down is queued for repair
// like any stripe; reads decode around the gap, and repair fills it once
// the Provider is back.
func TestPackRepair(t *testing.T) {
	r := newPackRig(t, testK+testM)
	r.net.setDown(r.ids[1], true)
	objs := smallObjects("r", 6)
	r.putAll(objs)
	q, err := r.ms.RepairQueue()
	if err != nil || len(q) == 0 {
		t.Fatalf("repair queue after packed PUTs with a Provider down: %v, %v", q, err)
	}
	for _, id := range q {
		if members, err := r.ms.PackMembers(id); err != nil || len(members) == 0 {
			t.Fatalf("queued %s is not a pack with members: %v, %v", id, members, err)
		}
	}
	r.check(objs)
	r.net.setDown(r.ids[1], false)
	for _, id := range q {
		if err := r.l.repairObject(context.Background(), id); err != nil {
			t.Fatalf("repair pack %s: %v", id, err)
		}
	}
	if q, err := r.ms.RepairQueue(); err != nil || len(q) != 0 {
		t.Fatalf("repair queue after repair: %v, %v", q, err)
	}
	// Any m Providers may now fail. (A packed object whose bytes lie on
	// Providers still up reads with more down; with none up, a GET is 503,
	// never wrong bytes.)
	r.net.setDown(r.ids[0], true)
	r.net.setDown(r.ids[2], true)
	r.check(objs)
	for _, p := range r.ids {
		r.net.setDown(p, true)
	}
	if _, _, err := r.l.GetObject(context.Background(), "bkt", "r0", "", nil, nil); !errors.Is(err, gateway.ErrServiceUnavailable) {
		t.Fatalf("GET of a packed object with every Provider down: %v, want ServiceUnavailable", err)
	}
}

// TestPackSameKey: concurrent PUTs of one key never share a pack; the key
// ends with one of the bodies and no member is left behind.
func TestPackSameKey(t *testing.T) {
	r := newPackRig(t, testK+testM)
	bodies := [][]byte{randData(1, 6<<10), randData(2, 9<<10), randData(3, 11<<10)}
	var wg sync.WaitGroup
	for _, b := range bodies {
		wg.Go(func() { memPut(t, r.l, "same", b) })
	}
	wg.Wait()
	got := memGet(t, r.l, "same")
	if !bytes.Equal(got, bodies[0]) && !bytes.Equal(got, bodies[1]) && !bytes.Equal(got, bodies[2]) {
		t.Fatal("the key reads as none of its PUTs' bodies")
	}
	live, err := r.ms.SparsePacks(2, 100) // every pack: live < 2× its size
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, u := range live {
		members, _ := r.ms.PackMembers(u.Pack)
		total += len(members)
	}
	if total != 1 {
		t.Fatalf("%d pack members after three PUTs of one key, want 1", total)
	}
}

// TestPackedVersions: in a versioned bucket an overwrite keeps the old
// version's extent live (readable by version id); deleting that version
// frees it, and the pack goes with its last version.
func TestPackedVersions(t *testing.T) {
	r := newPackRig(t, testK+testM)
	ctx := context.Background()
	if err := r.l.SetBucketVersioning(ctx, "bkt", "Enabled"); err != nil {
		t.Fatal(err)
	}
	v1, v2 := randData(1, 20<<10), randData(2, 30<<10)
	put := func(data []byte) string {
		info, err := r.l.PutObject(ctx, "bkt", "v", gateway.NewPutReader(bytes.NewReader(data), int64(len(data)), nil), gateway.PutOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return info.VersionID
	}
	id1 := put(v1)
	first := r.pack("v")
	id2 := put(v2)
	read := func(version string) ([]byte, error) {
		_, rc, err := r.l.GetObject(ctx, "bkt", "v", version, nil, nil)
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return io.ReadAll(rc)
	}
	if got, err := read(id1); err != nil || !bytes.Equal(got, v1) {
		t.Fatalf("old version after an overwrite: %d bytes, %v", len(got), err)
	}
	if got, err := read(""); err != nil || !bytes.Equal(got, v2) {
		t.Fatalf("latest version: %d bytes, %v", len(got), err)
	}
	if _, err := r.l.DeleteObject(ctx, "bkt", "v", gateway.DeleteOptions{VersionID: id1}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.ms.Layout(first); !errors.Is(err, meta.ErrNoSuchKey) {
		t.Fatalf("the first version's pack outlived it: %v", err)
	}
	if _, err := read(id1); err == nil {
		t.Fatal("a deleted version still reads")
	}
	if got, err := read(id2); err != nil || !bytes.Equal(got, v2) {
		t.Fatalf("the remaining version: %d bytes, %v", len(got), err)
	}
}

// TestPackedObjectsSurviveTheGateway: packs and their members travel with
// the metadata snapshot: a fresh store restored from it serves every packed
// object and can still delete and compact them.
func TestPackedObjectsSurviveTheGateway(t *testing.T) {
	r := newPackRig(t, testK+testM)
	objs := smallObjects("s", 9)
	r.putAll(objs)
	ctx := context.Background()
	saved, err := r.l.SaveMetadata(ctx, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	root, err := ParseMetaRoot(saved.Root.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	ms, err := meta.Open(filepath.Join(t.TempDir(), "restored"), discard)
	if err != nil {
		t.Fatal(err)
	}
	defer r.ms.Close() // the original store; the rig's cleanup closes the restored one
	l2, err := New(Config{K: root.K, M: root.M, ChunkSize: testChunkSize, MasterKey: r.master}, ms, r.net, NewFixed(r.ids), discard)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l2.RestoreMetadata(ctx, root); err != nil {
		t.Fatal(err)
	}
	r.l, r.ms = l2, ms
	r.check(objs)
	for i := range 7 {
		k := fmt.Sprintf("s%d", i)
		r.delete(k)
		delete(objs, k)
	}
	if _, err := l2.CompactPacks(ctx); err != nil {
		t.Fatal(err)
	}
	r.check(objs)
}

// TestPackedReadFallback: a packed object whose bytes a Provider serves
// corrupt (or not at all) reads right through the whole stripe, which
// reports the bad chunk for repair.
func TestPackedReadFallback(t *testing.T) {
	r := newPackRig(t, testK+testM)
	objs := smallObjects("f", 6)
	r.putAll(objs)
	packs := r.packsOf(objs)
	r.net.mu.Lock()
	flipped := 0
	for _, p := range r.ids {
		for id, b := range r.net.chunks[p] {
			if packs[memo.ObjectID(id.Data)] && int(id.Index) < testK {
				for i := range b {
					b[i] ^= 0x5a
				}
				flipped++
			}
		}
		if flipped > 0 {
			break // one Provider's chunks: within what parity covers
		}
	}
	r.net.mu.Unlock()
	if flipped == 0 {
		t.Fatal("no data chunk of a pack found to corrupt")
	}
	r.check(objs)
	select {
	case lc := <-r.l.lost:
		if !packs[lc.obj] {
			t.Fatalf("a lost chunk of %s was reported, not of a pack", lc.obj)
		}
	default:
		t.Fatal("the corrupt pack chunk was not reported for repair")
	}
}
