// Package order holds what a (User, Provider) storage order commits to: the
// list of chunks the Provider stores for the User, its size, and its Merkle
// root (the order root recorded on chain), plus the wire form in which a User
// proposes an order update for the Provider to co-sign.
package order

// Invariants:
//   - An order's list is sorted by chunk id (data id, stripe, index) and has
//     no duplicates; User and Provider compute the same root from the same
//     set of chunks, whatever order they learned of them in.
//   - An entry's leaf binds chunk id, chunk commitment and chunk length.

import (
	"bytes"
	"encoding/binary"
	"slices"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/erasure"
)

// Entry is one chunk in an order.
type Entry struct {
	Chunk memo.ChunkID
	Root  erasure.Root
	Size  int64
}

// EntrySize is the length of an encoded Entry.
const EntrySize = 16 + 8 + 2 + 32 + 8

// Key is the entry's sort key: its chunk id, big-endian.
func (e Entry) Key() []byte { return ChunkKey(e.Chunk) }

// ChunkKey encodes a chunk id so that byte order is id order.
func ChunkKey(c memo.ChunkID) []byte {
	b := make([]byte, 0, 26)
	b = append(b, c.Data[:]...)
	b = binary.BigEndian.AppendUint64(b, c.Stripe)
	return binary.BigEndian.AppendUint16(b, c.Index)
}

// ParseChunkKey decodes ChunkKey's output.
func ParseChunkKey(b []byte) (memo.ChunkID, bool) {
	var c memo.ChunkID
	if len(b) != 26 {
		return c, false
	}
	copy(c.Data[:], b[:16])
	c.Stripe = binary.BigEndian.Uint64(b[16:24])
	c.Index = binary.BigEndian.Uint16(b[24:26])
	return c, true
}

// Marshal encodes e (EntrySize bytes): the leaf content of the order tree.
func (e Entry) Marshal() []byte {
	b := ChunkKey(e.Chunk)
	b = append(b, e.Root[:]...)
	return binary.BigEndian.AppendUint64(b, uint64(e.Size))
}

// UnmarshalEntry decodes Marshal's output.
func UnmarshalEntry(b []byte) (Entry, bool) {
	var e Entry
	if len(b) != EntrySize {
		return e, false
	}
	e.Chunk, _ = ParseChunkKey(b[:26])
	copy(e.Root[:], b[26:58])
	e.Size = int64(binary.BigEndian.Uint64(b[58:]))
	return e, e.Size >= 0
}

// Summary is what an order commits to on chain.
type Summary struct {
	Size  uint64       // total bytes of the listed chunks
	Root  erasure.Root // erasure.ListRoot over the sorted entries
	Count int
}

// Summarize sorts entries by chunk id (dropping exact duplicates) and
// returns the order's size and root.
func Summarize(entries []Entry) Summary {
	slices.SortFunc(entries, func(a, b Entry) int { return bytes.Compare(a.Key(), b.Key()) })
	entries = slices.CompactFunc(entries, func(a, b Entry) bool { return a.Chunk == b.Chunk })
	items := make([][]byte, len(entries))
	var s Summary
	for i, e := range entries {
		items[i] = e.Marshal()
		s.Size += uint64(e.Size)
	}
	s.Root = erasure.ListRoot(items)
	s.Count = len(entries)
	return s
}
