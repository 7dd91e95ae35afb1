package order

import (
	"math/rand/v2"
	"testing"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/erasure"
)

func entry(r *rand.Rand) Entry {
	var e Entry
	for i := range e.Chunk.Data {
		e.Chunk.Data[i] = byte(r.IntN(4)) // few ids: many shared prefixes
	}
	e.Chunk.Stripe = uint64(r.IntN(3))
	e.Chunk.Index = uint16(r.IntN(6))
	for i := range e.Root {
		e.Root[i] = byte(r.Uint32())
	}
	e.Size = int64(r.IntN(1 << 20))
	return e
}

func TestEntryRoundtrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 100 {
		e := entry(r)
		b := e.Marshal()
		if len(b) != EntrySize {
			t.Fatalf("marshalled %d bytes, want %d", len(b), EntrySize)
		}
		got, ok := UnmarshalEntry(b)
		if !ok || got != e {
			t.Fatalf("roundtrip: got %+v, want %+v", got, e)
		}
		c, ok := ParseChunkKey(ChunkKey(e.Chunk))
		if !ok || c != e.Chunk {
			t.Fatalf("chunk key roundtrip: got %v, want %v", c, e.Chunk)
		}
	}
	if _, ok := UnmarshalEntry(make([]byte, EntrySize-1)); ok {
		t.Fatal("short entry accepted")
	}
}

func TestSummarizeIgnoresOrderAndDuplicates(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var list []Entry
	seen := map[memo.ChunkID]bool{}
	var size uint64
	for len(list) < 50 {
		e := entry(r)
		if seen[e.Chunk] {
			continue
		}
		seen[e.Chunk] = true
		size += uint64(e.Size)
		list = append(list, e)
	}
	want := Summarize(append([]Entry(nil), list...))
	if want.Size != size || want.Count != len(list) {
		t.Fatalf("summary size %d count %d, want %d %d", want.Size, want.Count, size, len(list))
	}
	shuffled := append([]Entry(nil), list...)
	r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	shuffled = append(shuffled, shuffled[:5]...) // duplicates
	if got := Summarize(shuffled); got != want {
		t.Fatalf("shuffled with duplicates: %+v, want %+v", got, want)
	}
	// Any change to any entry changes the root.
	for i := range list {
		for _, mutate := range []func(*Entry){
			func(e *Entry) { e.Size++ },
			func(e *Entry) { e.Root[0] ^= 1 },
			func(e *Entry) { e.Chunk.Index += 100 },
		} {
			changed := append([]Entry(nil), list...)
			mutate(&changed[i])
			if got := Summarize(changed); got.Root == want.Root {
				t.Fatalf("entry %d changed but the root did not", i)
			}
		}
	}
	if Summarize(nil).Root != (erasure.Root{}) {
		t.Fatal("empty order has a non-zero root")
	}
}
