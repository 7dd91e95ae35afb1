package user

// Metadata that survives the loss of the gateway: the whole metadata store
// is exported, encrypted and erasure-coded onto Providers like any object,
// described by a one-stripe manifest whose root the chain records
// (metaroot.go; docs/metadata.md).
//
// Invariants:
//   - A snapshot's chunks are written behind intents like any upload, and
//     recorded (meta.CommitSnapshot) before the caller puts its root on
//     chain; older snapshots are retired (turned into garbage) only after the
//     chain holds a newer root. So the snapshot the chain points to is always
//     on Providers, in the chunk index, and in the orders Keepers check.
//   - Restoring writes nothing to Providers and nothing to the store unless
//     the whole export checks out (meta.Import).

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"github.com/mefs-project/mefs/erasure"
	"io"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/meta"
)

// manifest describes one metadata snapshot; it is stored as its own
// one-stripe object so the root on chain stays small.
type manifest struct {
	Seq     uint64
	Created time.Time
	Data    memo.DataID // the export stream, a single part
	Layout  meta.Layout
	Size    int64
	Records int64
	// Compression of the stored stream: "zstd" (or "" for none).
	Compression string
	// Files are small files of the gateway's folder kept with the snapshot
	// (the S3 root credentials), by name.
	Files map[string][]byte
}

// SavedMetadata reports a snapshot SaveMetadata stored.
type SavedMetadata struct {
	Root    MetaRoot
	Bytes   int64 // export stream size
	Records int64
}

// SaveMetadata stores a snapshot of the whole metadata store on Providers,
// with files, records it in the store, and returns its root. The caller puts
// the root on chain, then calls RetireMetadata.
func (l *Layer) SaveMetadata(ctx context.Context, seq uint64, files map[string][]byte) (SavedMetadata, error) {
	id := newObjectID()
	data := memo.DataOf(id)
	lay, size, records, err := l.storeExport(ctx, data)
	if err != nil {
		return SavedMetadata{}, fmt.Errorf("metadata snapshot %d: %w", seq, err)
	}
	m := manifest{Seq: seq, Created: time.Now().UTC(), Data: data, Layout: lay, Size: size, Records: records, Compression: "zstd", Files: files}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(m); err != nil {
		l.abortData(data, lay.AllProviders())
		return SavedMetadata{}, fmt.Errorf("metadata snapshot %d: encode manifest: %w", seq, err)
	}
	if buf.Len() > l.stripeSize() {
		l.abortData(data, lay.AllProviders())
		return SavedMetadata{}, fmt.Errorf("metadata snapshot %d: manifest of %d bytes exceeds a stripe (%d)", seq, buf.Len(), l.stripeSize())
	}
	mid := memo.DataOf(newObjectID())
	mlay, err := l.storeData(ctx, erasure.DataKey(l.cfg.MasterKey, mid), mid, bytes.NewReader(buf.Bytes()))
	if err != nil {
		l.abortData(data, lay.AllProviders())
		return SavedMetadata{}, fmt.Errorf("metadata snapshot %d: store manifest: %w", seq, err)
	}
	root, err := metaRootOf(seq, mid, mlay)
	if err == nil {
		err = l.meta.CommitSnapshot(meta.SnapshotRecord{Seq: seq, Data: data, Layout: lay, Manifest: mid, ManifestLayout: mlay})
	}
	if err != nil {
		l.abortData(data, lay.AllProviders())
		l.abortData(mid, mlay.AllProviders())
		return SavedMetadata{}, fmt.Errorf("metadata snapshot %d: %w", seq, err)
	}
	return SavedMetadata{Root: root, Bytes: size, Records: records}, nil
}

// storeExport streams the store's export into data id's stripes.
func (l *Layer) storeExport(ctx context.Context, data memo.DataID) (meta.Layout, int64, int64, error) {
	pr, pw := io.Pipe()
	done := make(chan struct{})
	var records int64
	go func() {
		defer close(done)
		// Layouts repeat peer ids and index keys: zstd shrinks the stream
		// severalfold before it is encrypted and coded.
		zw, err := zstd.NewWriter(pw, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		n, err := l.meta.Export(zw)
		records = n
		pw.CloseWithError(errors.Join(err, zw.Close()))
	}()
	cr := &countReader{r: pr}
	lay, err := l.storeData(ctx, erasure.DataKey(l.cfg.MasterKey, data), data, cr)
	pr.CloseWithError(errors.Join(err, io.ErrClosedPipe)) // unblocks the exporter if the store gave up
	<-done
	return lay, cr.n, records, err
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// RetireMetadata turns every snapshot but seq's into garbage: call it once
// the chain's root names seq.
func (l *Layer) RetireMetadata(seq uint64) error {
	if err := l.meta.RetireSnapshots(seq); err != nil {
		return err
	}
	l.kickGC()
	return nil
}

// RestoreMetadata reads the snapshot root names from the Providers and
// loads it into the Layer's store, which must be empty; it returns the
// files saved with it. The snapshot is recorded as the store's current one.
func (l *Layer) RestoreMetadata(ctx context.Context, root MetaRoot) (map[string][]byte, error) {
	mlay := root.layout()
	var m manifest
	if err := l.readData(ctx, root.Manifest, mlay, int64(root.Size), func(r io.Reader) error {
		return gob.NewDecoder(r).Decode(&m)
	}); err != nil {
		return nil, fmt.Errorf("read metadata manifest %s: %w", root.Manifest, err)
	}
	if m.Seq != root.Seq {
		return nil, fmt.Errorf("metadata manifest is snapshot %d, the root names %d", m.Seq, root.Seq)
	}
	var records int64
	if err := l.readData(ctx, m.Data, m.Layout, m.Size, func(r io.Reader) error {
		return importStream(l.meta, r, m.Compression, &records)
	}); err != nil {
		return nil, fmt.Errorf("restore metadata snapshot %d: %w", m.Seq, err)
	}
	if records != m.Records {
		return nil, fmt.Errorf("restore metadata snapshot %d: %d records, the manifest says %d", m.Seq, records, m.Records)
	}
	rec := meta.SnapshotRecord{Seq: m.Seq, Data: m.Data, Layout: m.Layout, Manifest: root.Manifest, ManifestLayout: mlay}
	if err := l.meta.CommitSnapshot(rec); err != nil {
		return nil, err
	}
	if err := l.meta.RetireSnapshots(m.Seq); err != nil {
		return nil, err
	}
	l.log.Info("metadata restored", "snapshot", m.Seq, "taken", m.Created, "records", records, "bytes", m.Size)
	return m.Files, nil
}

// importStream imports an export stream compressed as compression says,
// which must end where the export does.
func importStream(store *meta.Store, r io.Reader, compression string, records *int64) error {
	switch compression {
	case "":
		n, err := store.Import(r)
		*records = n
		return err
	case "zstd":
		zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return err
		}
		defer zr.Close()
		n, err := store.Import(zr)
		*records = n
		if err != nil {
			return err
		}
		if extra, _ := io.Copy(io.Discard, zr); extra != 0 {
			return fmt.Errorf("%d bytes after the end of the metadata export", extra)
		}
		return nil
	}
	return fmt.Errorf("metadata snapshot compressed with %q: unknown", compression)
}

// readData hands fn the plaintext of data id's single part laid out by lay.
func (l *Layer) readData(ctx context.Context, data memo.DataID, lay meta.Layout, size int64, fn func(io.Reader) error) error {
	r := l.newReader(ctx, l.cfg.MasterKey, memo.ObjectID(data), lay, 0, size, true)
	defer r.Close()
	if err := fn(r); err != nil {
		return err
	}
	if n, _ := io.Copy(io.Discard, r); n != 0 {
		return fmt.Errorf("%d bytes after the end of %s", n, data)
	}
	return nil
}
