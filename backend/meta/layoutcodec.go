package meta

// Layout records are the hottest metadata: every GET reads its object's
// (twice: for its info and for its body). They were gob with one Encoder per
// record, so each record carried its type definitions and each read compiled
// a decoder for them: 20 µs, 330 allocations and 15 KiB per read
// (BenchmarkLayoutDecode), most of what a small GET allocated. New records
// are a compact binary form (0.6 µs); gob records written before still read.
//
// Invariants:
//   - A binary record starts with 0x00, which no gob record does (a gob
//     stream starts with its first message's length, never zero), then the
//     version byte 1, then the fields in declaration order: ints as
//     varints, lists as a count then their items, strings and byte slices
//     as a length then their bytes, Pack as a presence byte then its fields.
//   - decodeLayout returns what encodeLayout was given, except that empty
//     lists and byte slices read back nil (as they did from gob), and it
//     copies every byte it keeps (the record's buffer is not its to hold).
//   - A truncated, oversized or trailing-garbage record is an error, never a
//     panic or an allocation beyond the record's own size.

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/erasure"
)

const layoutV1 = 1

// encodeLayout is the record of l.
func encodeLayout(l Layout) []byte {
	b := make([]byte, 0, 64+len(l.Inline)+len(l.Stripes)*(8+(l.K+l.M)*35)) // a guess: stripes of k+m chunks
	b = append(b, 0, layoutV1)
	b = binary.AppendVarint(b, int64(l.K))
	b = binary.AppendVarint(b, int64(l.M))
	b = appendStrings(b, l.Providers)
	b = binary.AppendUvarint(b, uint64(len(l.Parts)))
	for _, p := range l.Parts {
		b = append(b, p[:]...)
	}
	b = binary.AppendUvarint(b, uint64(len(l.Stripes)))
	for _, st := range l.Stripes {
		b = binary.AppendVarint(b, int64(st.Size))
		b = binary.AppendUvarint(b, uint64(st.Part))
		b = binary.AppendUvarint(b, st.Index)
		b = binary.AppendUvarint(b, uint64(len(st.Providers)))
		for _, p := range st.Providers {
			b = binary.AppendUvarint(b, uint64(p))
		}
		b = binary.AppendUvarint(b, uint64(len(st.Roots)))
		for _, r := range st.Roots {
			b = append(b, r[:]...)
		}
	}
	b = appendStrings(b, l.Strays)
	b = binary.AppendUvarint(b, uint64(len(l.Inline)))
	b = append(b, l.Inline...)
	if l.Pack == nil {
		return append(b, 0)
	}
	b = append(b, 1)
	b = append(b, l.Pack.Pack[:]...)
	b = binary.AppendVarint(b, l.Pack.Offset)
	return binary.AppendVarint(b, l.Pack.Length)
}

func appendStrings(b []byte, ss []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(ss)))
	for _, s := range ss {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

// decodeLayout reads a layout record, binary or gob, into l.
func decodeLayout(rec []byte, l *Layout) error {
	if len(rec) == 0 || rec[0] != 0 {
		return gob.NewDecoder(bytes.NewReader(rec)).Decode(l)
	}
	if len(rec) < 2 || rec[1] != layoutV1 {
		return fmt.Errorf("layout record: unknown version")
	}
	d := recordReader{b: rec[2:]}
	*l = Layout{K: d.integer(), M: d.integer(), Providers: d.strings()}
	if n := d.count(len(erasure.DataID{})); n > 0 {
		l.Parts = make([]memo.DataID, n)
		for i := range l.Parts {
			copy(l.Parts[i][:], d.bytes(len(erasure.DataID{})))
		}
	}
	if n := d.count(5); n > 0 { // a stripe takes at least 5 bytes
		l.Stripes = make([]Stripe, n)
		for i := range l.Stripes {
			l.Stripes[i] = d.stripe()
		}
	}
	l.Strays = d.strings()
	if n := d.count(1); n > 0 {
		l.Inline = bytes.Clone(d.bytes(n))
	}
	if d.oneByte() == 1 {
		l.Pack = &Extent{}
		copy(l.Pack.Pack[:], d.bytes(len(memo.ObjectID{})))
		l.Pack.Offset, l.Pack.Length = d.varint(), d.varint()
	}
	switch {
	case d.err != nil:
		return fmt.Errorf("layout record: %w", d.err)
	case len(d.b) > 0:
		return fmt.Errorf("layout record: %d bytes past its end", len(d.b))
	}
	return nil
}

func (d *recordReader) stripe() Stripe {
	st := Stripe{Size: d.integer(), Part: uint16(d.uvarint()), Index: d.uvarint()}
	if n := d.count(1); n > 0 {
		st.Providers = make([]uint16, n)
		for i := range st.Providers {
			st.Providers[i] = uint16(d.uvarint())
		}
	}
	if n := d.count(len(erasure.Root{})); n > 0 {
		st.Roots = make([]erasure.Root, n)
		for i := range st.Roots {
			copy(st.Roots[i][:], d.bytes(len(erasure.Root{})))
		}
	}
	return st
}

var errShort = errors.New("truncated")

// recordReader reads a binary record's fields; after the first error it
// reads zeros and keeps that error.
type recordReader struct {
	b   []byte
	err error
}

func (d *recordReader) fail(err error) {
	if d.err == nil {
		d.err = err
	}
	d.b = nil
}

func (d *recordReader) uvarint() uint64 { return readVarint(d, binary.Uvarint) }
func (d *recordReader) varint() int64   { return readVarint(d, binary.Varint) }

// readVarint reads one varint of d with read (binary.Uvarint or Varint).
func readVarint[T uint64 | int64](d *recordReader, read func([]byte) (T, int)) T {
	v, n := read(d.b)
	if n <= 0 {
		d.fail(errShort)
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *recordReader) integer() int { return int(d.varint()) }

// count reads a list length whose items take at least least bytes each,
// refusing one the rest of the record cannot hold.
func (d *recordReader) count(least int) int {
	n := d.uvarint()
	if n > uint64(len(d.b)/least) {
		d.fail(fmt.Errorf("list of %d items in %d bytes", n, len(d.b)))
		return 0
	}
	return int(n)
}

func (d *recordReader) bytes(n int) []byte {
	if n > len(d.b) {
		d.fail(errShort)
		return make([]byte, n)
	}
	b := d.b[:n]
	d.b = d.b[n:]
	return b
}

func (d *recordReader) oneByte() byte { return d.bytes(1)[0] }

func (d *recordReader) strings() []string {
	n := d.count(1)
	if n == 0 {
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = string(d.bytes(d.count(1)))
	}
	return ss
}
