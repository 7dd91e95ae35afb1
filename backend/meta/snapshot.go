package meta

// Metadata snapshots: the whole store, exported as one stream that the User
// stores on Providers like any data (docs/metadata.md), and imported into an
// empty store on recovery.
//
// Invariants:
//   - Key space:
//       S/<seq (8 bytes BE)>   SnapshotRecord (gob): a snapshot stored on Providers
//   - A snapshot's chunks (stream and manifest) are in the chunk index, and so
//     in the Providers' orders and proofs, from the batch that records it until
//     the batch that retires it, which turns them into garbage. Only the
//     snapshot the chain points to is kept by RetireSnapshots.
//   - Recording and retiring snapshots do not count as changes (Changes):
//     a store that only took a snapshot needs no new one.
//   - Export reads one Pebble snapshot: the stream is a consistent cut of the
//     store, whatever commits while it is read.
//   - The stream ends with a trailer counting its records and hashing them:
//     Import refuses a stream that is cut short or altered, and an import
//     never lands in a store that holds anything.

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/cockroachdb/pebble/v2"

	"github.com/mefs-project/mefs/backend/memo"
)

// exportMagic opens every export stream (format version 1).
const exportMagic = "MEFSMETA\x01"

// maxExportRecord bounds one key or value on import.
const maxExportRecord = 64 << 20

// SnapshotRecord is one metadata snapshot stored on Providers: the export
// stream (Data) and the manifest that describes it (Manifest), each stored
// as the single part of a data id.
type SnapshotRecord struct {
	Seq            uint64
	Data           memo.DataID
	Layout         Layout
	Manifest       memo.DataID
	ManifestLayout Layout
}

// part is one data id of a snapshot with its layout.
type part struct {
	id  memo.DataID
	lay Layout
}

// parts are the snapshot's two data ids: the stream and the manifest.
func (r SnapshotRecord) parts() []part {
	return []part{{r.Data, r.Layout}, {r.Manifest, r.ManifestLayout}}
}

func snapshotKey(seq uint64) []byte { return binary.BigEndian.AppendUint64([]byte("S/"), seq) }

// Export writes every key and value of one consistent Pebble snapshot to w
// and returns how many records it wrote.
func (s *Store) Export(w io.Writer) (int64, error) {
	snap := s.db.NewSnapshot()
	defer snap.Close()
	it, err := snap.NewIter(nil)
	if err != nil {
		return 0, fmt.Errorf("export metadata: %w", err)
	}
	defer it.Close()
	bw := bufio.NewWriterSize(w, 256<<10)
	h := sha256.New()
	out := io.MultiWriter(bw, h)
	if _, err := io.WriteString(out, exportMagic); err != nil {
		return 0, fmt.Errorf("export metadata: %w", err)
	}
	var n int64
	for it.First(); it.Valid(); it.Next() {
		v, err := it.ValueAndErr()
		if err != nil {
			return n, fmt.Errorf("export metadata: read %q: %w", it.Key(), err)
		}
		if err := writeRecord(out, it.Key(), v); err != nil {
			return n, fmt.Errorf("export metadata: %w", err)
		}
		n++
	}
	if err := it.Error(); err != nil {
		return n, fmt.Errorf("export metadata: %w", err)
	}
	// Trailer: an empty key, the record count, and the hash of all before.
	trailer := binary.AppendUvarint(nil, 0)
	trailer = binary.BigEndian.AppendUint64(trailer, uint64(n))
	h.Write(trailer)
	trailer = h.Sum(trailer)
	if _, err := bw.Write(trailer); err != nil {
		return n, fmt.Errorf("export metadata: %w", err)
	}
	return n, bw.Flush()
}

func writeRecord(w io.Writer, k, v []byte) error {
	buf := binary.AppendUvarint(nil, uint64(len(k)))
	buf = append(buf, k...)
	buf = binary.AppendUvarint(buf, uint64(len(v)))
	if _, err := w.Write(buf); err != nil {
		return err
	}
	_, err := w.Write(v)
	return err
}

// ErrNotEmpty reports an import into a store that holds records.
var ErrNotEmpty = errors.New("metadata store is not empty")

// ErrBadExport reports an export stream that is malformed, cut short or
// altered.
var ErrBadExport = errors.New("malformed metadata export")

// Import loads an Export stream into the store, which must be empty, and
// returns how many records it loaded. Nothing is visible unless the whole
// stream checks out.
func (s *Store) Import(r io.Reader) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if empty, err := s.isEmpty(nil, nil); err != nil || !empty {
		return 0, errors.Join(ErrNotEmpty, err)
	}
	b := s.db.NewBatch()
	defer b.Close()
	n, err := readExport(bufio.NewReaderSize(r, 256<<10), func(k, v []byte) error { return b.Set(k, v, nil) })
	if err != nil {
		return 0, err
	}
	if err := b.Commit(pebble.Sync); err != nil {
		return 0, fmt.Errorf("import metadata: %w", err)
	}
	return n, s.loadSeq()
}

// readExport checks an export stream, calling set for each record.
func readExport(r *bufio.Reader, set func(k, v []byte) error) (int64, error) {
	h := sha256.New()
	tr := io.TeeReader(r, h)
	magic := make([]byte, len(exportMagic))
	if _, err := io.ReadFull(tr, magic); err != nil || string(magic) != exportMagic {
		return 0, fmt.Errorf("%w: no header (%v)", ErrBadExport, err)
	}
	var n int64
	for {
		k, err := readField(tr)
		if err != nil {
			return n, err
		}
		if len(k) == 0 {
			break
		}
		v, err := readField(tr)
		if err != nil {
			return n, err
		}
		if err := set(k, v); err != nil {
			return n, fmt.Errorf("import metadata: %w", err)
		}
		n++
	}
	var count [8]byte
	if _, err := io.ReadFull(tr, count[:]); err != nil {
		return n, fmt.Errorf("%w: no trailer: %v", ErrBadExport, err)
	}
	sum := h.Sum(nil)
	got := make([]byte, len(sum))
	if _, err := io.ReadFull(r, got); err != nil {
		return n, fmt.Errorf("%w: no trailer hash: %v", ErrBadExport, err)
	}
	if binary.BigEndian.Uint64(count[:]) != uint64(n) || !bytes.Equal(got, sum) {
		return n, fmt.Errorf("%w: trailer does not match the %d records read", ErrBadExport, n)
	}
	return n, nil
}

// readField reads one uvarint-length-prefixed field.
func readField(r io.Reader) ([]byte, error) {
	l, err := binary.ReadUvarint(byteReader{r})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadExport, err)
	}
	if l > maxExportRecord {
		return nil, fmt.Errorf("%w: field of %d bytes", ErrBadExport, l)
	}
	b := make([]byte, l)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadExport, err)
	}
	return b, nil
}

type byteReader struct{ io.Reader }

func (r byteReader) ReadByte() (byte, error) {
	var b [1]byte
	_, err := io.ReadFull(r.Reader, b[:])
	return b[0], err
}

// CommitSnapshot records rec in one batch that retires the intents of its
// two data ids and adds their chunks to the chunk index (so orders, proofs
// and repair cover them). An existing record of rec.Seq is replaced.
func (s *Store) CommitSnapshot(rec SnapshotRecord) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.db.NewBatch()
	defer b.Close()
	var old SnapshotRecord
	if found, err := s.get(snapshotKey(rec.Seq), gobDec(&old)); err != nil {
		return err
	} else if found {
		for _, part := range old.parts() {
			s.indexLayout(b, []memo.DataID{part.id}, part.lay, false)
		}
	}
	b.Set(snapshotKey(rec.Seq), gobEnc(rec), nil)
	for _, part := range rec.parts() {
		b.Delete(intentKey(part.id), nil)
		s.indexLayout(b, []memo.DataID{part.id}, part.lay, true)
		if len(part.lay.Strays) > 0 {
			b.Set(garbageKey(part.id), gobEnc(part.lay.Strays), nil)
		}
	}
	if err := s.commit(b, pebble.Sync, false); err != nil {
		return fmt.Errorf("record metadata snapshot %d: %w", rec.Seq, err)
	}
	return nil
}

// Snapshots lists the recorded snapshots, oldest first.
func (s *Store) Snapshots() ([]SnapshotRecord, error) {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte("S/"), UpperBound: []byte("S0")})
	if err != nil {
		return nil, fmt.Errorf("list metadata snapshots: %w", err)
	}
	defer it.Close()
	var out []SnapshotRecord
	for it.First(); it.Valid(); it.Next() {
		var rec SnapshotRecord
		if err := gobDec(&rec)(it.Value()); err != nil {
			return nil, fmt.Errorf("decode snapshot record %x: %w", it.Key(), err)
		}
		out = append(out, rec)
	}
	return out, it.Error()
}

// RetireSnapshots turns every snapshot but keep's into garbage, in one
// batch: their records go, their chunks leave the chunk index.
func (s *Store) RetireSnapshots(keep uint64) error {
	recs, err := s.Snapshots()
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.db.NewBatch()
	defer b.Close()
	n := 0
	for _, rec := range recs {
		if rec.Seq == keep {
			continue
		}
		n++
		b.Delete(snapshotKey(rec.Seq), nil)
		for _, part := range rec.parts() {
			s.indexLayout(b, []memo.DataID{part.id}, part.lay, false)
			b.Set(garbageKey(part.id), gobEnc(part.lay.AllProviders()), nil)
		}
	}
	if n == 0 {
		return nil
	}
	if err := s.commit(b, pebble.Sync, false); err != nil {
		return fmt.Errorf("retire metadata snapshots: %w", err)
	}
	return nil
}
