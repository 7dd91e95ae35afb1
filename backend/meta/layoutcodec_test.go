package meta

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/cockroachdb/pebble/v2"
	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/erasure"
)

func sampleLayouts() map[string]Layout {
	root := func(b byte) erasure.Root { return erasure.Root(bytes.Repeat([]byte{b}, 32)) }
	return map[string]Layout{
		"zero": {},
		"striped": {K: 4, M: 2, Providers: []string{"16Uiu2HAmA", "16Uiu2HAmB", "16Uiu2HAmC"},
			Stripes: []Stripe{
				{Size: 4<<20 - 16, Index: 0, Providers: []uint16{0, 1, 2, 0, 1, NoProvider}, Roots: []erasure.Root{root(1), root(2), root(3), root(4), root(5), root(6)}},
				{Size: 17, Index: 1, Providers: []uint16{2, 1, 0, 2, 1, 0}, Roots: []erasure.Root{root(7), root(8), root(9), root(10), root(11), root(12)}},
			},
			Strays: []string{"16Uiu2HAmD"}},
		"multipart": {K: 2, M: 1, Providers: []string{"p"}, Parts: []memo.DataID{testID(), testID()},
			Stripes: []Stripe{{Size: 5, Part: 1, Index: 1 << 40, Providers: []uint16{0, 0, 0}, Roots: []erasure.Root{root(1), root(2), root(3)}}}},
		"inline": {K: 4, M: 2, Inline: []byte("sealed bytes of a small object")},
		"packed": {K: 4, M: 2, Pack: &Extent{Pack: memo.ObjectID(testID()), Offset: 123456, Length: 65536}},
	}
}

// TestLayoutRecordRoundTrip: a layout reads back as written, from the
// binary record and from the gob record of earlier versions.
func TestLayoutRecordRoundTrip(t *testing.T) {
	for name, l := range sampleLayouts() {
		for form, rec := range map[string][]byte{"binary": encodeLayout(l), "gob": gobEnc(l)} {
			var got Layout
			if err := decodeLayout(rec, &got); err != nil {
				t.Fatalf("%s, %s record: %v", name, form, err)
			}
			if !reflect.DeepEqual(got, l) {
				t.Errorf("%s, %s record: read back\n%+v\nwant\n%+v", name, form, got, l)
			}
		}
		if rec := encodeLayout(l); rec[0] != 0 || gobEnc(l)[0] == 0 {
			t.Fatalf("%s: binary record starts %#x, gob %#x: they must differ in the first byte", name, rec[0], gobEnc(l)[0])
		}
	}
}

// TestLayoutRecordBadInput: a record cut short, run on or damaged is an
// error, never a panic.
func TestLayoutRecordBadInput(t *testing.T) {
	rec := encodeLayout(sampleLayouts()["striped"])
	var l Layout
	for n := range len(rec) {
		if err := decodeLayout(rec[:n], &l); err == nil {
			t.Fatalf("record cut to %d of %d bytes decoded without error", n, len(rec))
		}
	}
	if err := decodeLayout(append(bytes.Clone(rec), 0), &l); err == nil {
		t.Fatal("record with a trailing byte decoded without error")
	}
	if err := decodeLayout([]byte{0, 99}, &l); err == nil {
		t.Fatal("record of an unknown version decoded without error")
	}
	// A count far beyond the record is refused before it is allocated.
	huge := []byte{0, layoutV1, 8, 4, 0xff, 0xff, 0xff, 0xff, 0x0f}
	if err := decodeLayout(huge, &l); err == nil {
		t.Fatal("a list of 2^32 providers in 9 bytes decoded without error")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		bad := bytes.Clone(rec)
		for range 1 + rng.IntN(4) {
			bad[2+rng.IntN(len(bad)-2)] = byte(rng.Uint32())
		}
		_ = decodeLayout(bad, &l) // may or may not decode; must not panic
	}
}

// TestLayoutGobRecordsStillRead: a store holding layouts written by an
// earlier version (gob) serves them, and rewrites keep them readable.
func TestLayoutGobRecordsStillRead(t *testing.T) {
	s := newTestStore(t)
	want := sampleLayouts()["striped"]
	id := memo.ObjectID(testID())
	if err := s.db.Set(layoutKey(id), gobEnc(want), pebble.Sync); err != nil {
		t.Fatal(err)
	}
	got, err := s.Layout(id)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("gob layout: %+v, %v; want %+v", got, err, want)
	}
	list, err := s.Layouts(nil, 10)
	if err != nil || len(list) != 1 || !reflect.DeepEqual(list[0].Layout, want) {
		t.Fatalf("Layouts over a gob record: %+v, %v", list, err)
	}
}

func BenchmarkLayoutDecode(b *testing.B) {
	l := sampleLayouts()["striped"]
	for form, rec := range map[string][]byte{"binary": encodeLayout(l), "gob": gobEnc(l)} {
		b.Run(form, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var got Layout
				if err := decodeLayout(rec, &got); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
