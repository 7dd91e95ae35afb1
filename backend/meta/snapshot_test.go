package meta

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/cockroachdb/pebble/v2"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/erasure"
)

// allRecords reads every key and value of s.
func allRecords(t *testing.T, s *Store) map[string]string {
	t.Helper()
	it, err := s.db.NewIter(&pebble.IterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	out := map[string]string{}
	for it.First(); it.Valid(); it.Next() {
		out[string(it.Key())] = string(it.Value())
	}
	return out
}

func filledStore(t *testing.T) *Store {
	t.Helper()
	s := newTestStore(t)
	if err := s.CreateBucket(Bucket{Name: "b", Owner: "o"}); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		id := erasure.DataID{byte(i + 1)}
		if err := s.BeginPut(id, []string{"p1", "p2", "p3"}); err != nil {
			t.Fatal(err)
		}
		if err := s.CommitPut("b", string(rune('a'+i)), testObject(id), testLayout("p1", "p2", "p3"), nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetVersioning("b", VersioningEnabled); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestExportImportRoundTrip(t *testing.T) {
	src := filledStore(t)
	var buf bytes.Buffer
	n, err := src.Export(&buf)
	if err != nil || n == 0 {
		t.Fatalf("export: %d records, %v", n, err)
	}
	dst := newTestStore(t)
	m, err := dst.Import(bytes.NewReader(buf.Bytes()))
	if err != nil || m != n {
		t.Fatalf("import: %d records of %d, %v", m, n, err)
	}
	want, got := allRecords(t, src), allRecords(t, dst)
	if len(got) != len(want) {
		t.Fatalf("imported %d records, source has %d", len(got), len(want))
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("record %q differs after import", k)
		}
	}
	if o, err := dst.Object("b", "c"); err != nil || o.Size != 201 {
		t.Fatalf("object after import: %+v, %v", o, err)
	}
	if _, err := dst.Import(bytes.NewReader(buf.Bytes())); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("import into a filled store: %v, want ErrNotEmpty", err)
	}
}

func TestImportRefusesDamagedStreams(t *testing.T) {
	var buf bytes.Buffer
	if _, err := filledStore(t).Export(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	flipped := slices.Clone(good)
	flipped[len(flipped)/2] ^= 1
	cases := map[string][]byte{
		"empty":        nil,
		"no magic":     good[5:],
		"cut short":    good[:len(good)-40],
		"no hash":      good[:len(good)-32],
		"flipped byte": flipped,
		"extra bytes":  append(slices.Clone(good[:len(good)-32]), make([]byte, 33)...),
	}
	for name, b := range cases {
		dst := newTestStore(t)
		if _, err := dst.Import(bytes.NewReader(b)); err == nil {
			t.Errorf("%s: import accepted", name)
		}
		if n := len(allRecords(t, dst)); n != 0 {
			t.Errorf("%s: a refused import left %d records", name, n)
		}
	}
}

// TestSnapshotRecordsIndexAndRetire: a recorded snapshot's chunks are in the
// chunk index (orders cover them) and its intents are retired; retiring it
// turns its chunks into garbage.
func TestSnapshotRecordsIndexAndRetire(t *testing.T) {
	s := newTestStore(t)
	rec := func(seq uint64) SnapshotRecord {
		d, m := memo.DataID{byte(seq), 1}, memo.DataID{byte(seq), 2}
		for _, id := range []memo.DataID{d, m} {
			if err := s.BeginPut(id, []string{"p1", "p2", "p3"}); err != nil {
				t.Fatal(err)
			}
		}
		return SnapshotRecord{Seq: seq, Data: d, Layout: testLayout("p1", "p2", "p3"), Manifest: m, ManifestLayout: testLayout("p3", "p2", "p1")}
	}
	r1, r2 := rec(1), rec(2)
	for _, r := range []SnapshotRecord{r1, r2} {
		if err := s.CommitSnapshot(r); err != nil {
			t.Fatal(err)
		}
	}
	if ps, err := s.Intents(); err != nil || len(ps) != 0 {
		t.Fatalf("intents after recording snapshots: %v, %v", ps, err)
	}
	chunks, err := s.Chunks("p1")
	if err != nil || len(chunks) != 4*2 { // 2 snapshots × (stream + manifest) × 2 stripes
		t.Fatalf("p1's chunk index holds %d entries, want 8 (%v)", len(chunks), err)
	}
	if err := s.RetireSnapshots(2); err != nil {
		t.Fatal(err)
	}
	recs, err := s.Snapshots()
	if err != nil || len(recs) != 1 || recs[0].Seq != 2 {
		t.Fatalf("snapshots after retiring all but 2: %+v, %v", recs, err)
	}
	gs, err := s.Garbage()
	garbage := providerSets(t, gs, err)
	if len(garbage) != 2 || garbage[r1.Data] == nil || garbage[r1.Manifest] == nil {
		t.Fatalf("garbage after retiring snapshot 1: %v", garbage)
	}
	if chunks, _ := s.Chunks("p1"); len(chunks) != 4 {
		t.Fatalf("p1's chunk index holds %d entries after retiring, want 4", len(chunks))
	}
}
