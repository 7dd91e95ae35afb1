package provider

// Invariants:
//   - A chunk file is written to a temporary name, fsynced, renamed into place
//     and its folder fsynced before Put returns: a chunk that Put acknowledged
//     survives a crash, and a crash never leaves a partial chunk under its name.
//     Concurrent puts into one object's folder share its fsyncs
//     (foldersync.go): one file fsync per chunk, folder fsyncs per group.
//   - Each chunk file holds the chunk's commitment with its bytes and leaf
//     hashes (chunkfile.go); Get re-verifies the bytes against the
//     commitment and never returns bytes that fail it; Leaf returns no leaf
//     whose bytes do not hash to the commitment.
//   - Layout: DIR/chunks/<object hex[0:2]>/<object hex>/<stripe>.<index>.
//   - An object's chunks belong to the User (peer id) that stored its first
//     chunk, recorded durably in the owner log (ownerlog.go; folders from
//     before it keep a .owner file) before any chunk;
//     the in-memory index (owner → chunk → commitment, size) mirrors the
//     files and is rebuilt from them at open.
//   - Once DeleteObject(id) has run, no chunk of id is stored for
//     tombstoneTTL: a put that was still in flight when its upload was
//     abandoned and collected cannot land afterwards as an orphan. The
//     tombstone check and the rename into place happen under mu, as do the
//     tombstone's creation and the removal.

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/mefs-project/mefs/backend/internal/durable"
	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/p2p"
	"github.com/mefs-project/mefs/erasure"
)

// ErrCorrupt reports a stored chunk that no longer matches its commitment.
var ErrCorrupt = errors.New("stored chunk is corrupt")

// Store keeps chunks as files under a folder.
type Store struct {
	dir string

	mu         sync.Mutex
	tombstones map[erasure.DataID]time.Time // deleted objects, by deletion time
	owners     map[erasure.DataID]string
	claiming   map[erasure.DataID]*ownerClaim // owner records being written
	olog       *ownerLog
	index      map[string]map[memo.ChunkID]indexEntry // by owner
	usage      map[string]int64                       // bytes in index, by owner
	// folders group the object folders' fsyncs after chunk renames.
	folders folderSyncer
	// newFolders creates prefix and object folders and tracks their fsyncs.
	newFolders newFolders
}

type indexEntry struct {
	root erasure.Root
	size int64
}

// tombstoneTTL outlives any chunk request (requestTimeout).
const tombstoneTTL = 10 * time.Minute

// ErrDeleted refuses a chunk of an object deleted moments ago.
var ErrDeleted = errors.New("object was deleted")

// OpenStore opens (creating) a chunk store in dir.
func OpenStore(dir string) (*Store, error) {
	root := filepath.Join(dir, "chunks")
	if err := durable.MkdirAll(root); err != nil {
		return nil, fmt.Errorf("create chunk store %s: %w", root, err)
	}
	s := &Store{dir: root, tombstones: map[erasure.DataID]time.Time{},
		owners: map[erasure.DataID]string{}, claiming: map[erasure.DataID]*ownerClaim{}, index: map[string]map[memo.ChunkID]indexEntry{},
		usage: map[string]int64{}}
	logPath := filepath.Join(dir, ownerLogName)
	olog, logged, err := openOwnerLog(logPath)
	if err != nil {
		return nil, err
	}
	s.olog = olog
	if err := s.load(logged); err != nil {
		return nil, err
	}
	if len(logged) > 2*len(s.owners)+ownerLogSlack {
		if err := s.compactOwnerLog(logPath); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *Store) objectDir(obj erasure.DataID) string {
	h := hex.EncodeToString(obj[:])
	return filepath.Join(s.dir, h[:2], h)
}

func (s *Store) path(id memo.ChunkID) string {
	return filepath.Join(s.objectDir(id.Data),
		strconv.FormatUint(id.Stripe, 10)+"."+strconv.Itoa(int(id.Index)))
}

// Get returns chunk id's bytes and commitment after checking one against the
// other; wire-level not found is reported as p2p.ErrNotFound.
func (s *Store) Get(id memo.ChunkID) ([]byte, erasure.Root, error) {
	data, root, err := s.getInto(id, func(n int64) []byte { return make([]byte, n) })
	if err != nil {
		return nil, root, err
	}
	return data, root, nil
}

// getInto is Get with the bytes in a buffer of getBuf's, which the caller
// owns (also when the chunk is corrupt: it is then returned with the error).
func (s *Store) getInto(id memo.ChunkID, getBuf func(n int64) []byte) ([]byte, erasure.Root, error) {
	data, root, err := s.readInto(id, getBuf)
	if err != nil {
		return nil, root, err
	}
	if !erasure.Verifies(root, data) {
		return data, root, fmt.Errorf("chunk %s: %w", id, ErrCorrupt)
	}
	return data, root, nil
}

// readInto returns chunk id's bytes, in a buffer of getBuf's (given their
// length) that the caller owns, and the commitment stored with them,
// unchecked (for callers that hash the bytes anyway).
func (s *Store) readInto(id memo.ChunkID, getBuf func(n int64) []byte) ([]byte, erasure.Root, error) {
	f, l, err := s.openChunk(id, true)
	if err != nil {
		return nil, l.root, err
	}
	defer f.Close()
	data := getBuf(l.size)
	if _, err := f.ReadAt(data, l.offset); err != nil {
		return nil, l.root, fmt.Errorf("read chunk %s: %w", id, err)
	}
	return data, l.root, nil
}

// ReadRange returns n bytes of chunk id from byte off, unchecked, in a
// buffer of getBuf's that the caller owns; a chunk not held with commitment
// root, or shorter than the range, is p2p.ErrNotFound.
func (s *Store) ReadRange(id memo.ChunkID, root erasure.Root, off, n int64, getBuf func(n int64) []byte) ([]byte, error) {
	f, l, err := s.openChunk(id, false)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if l.root != root {
		return nil, fmt.Errorf("chunk %s with commitment %s: %w", id, root, p2p.ErrNotFound)
	}
	// An older file's size is not known here: reading past its end fails.
	if off < 0 || n < 0 || l.size >= 0 && off+n > l.size {
		return nil, fmt.Errorf("chunk %s of %d bytes, range %d+%d: %w", id, l.size, off, n, p2p.ErrNotFound)
	}
	data := getBuf(n)
	if _, err := f.ReadAt(data, l.offset+off); err != nil {
		return nil, fmt.Errorf("chunk %s range %d+%d: %w (%w)", id, off, n, p2p.ErrNotFound, err)
	}
	return data, nil
}

// DeleteObject removes every chunk of object obj.
func (s *Store) DeleteObject(obj erasure.DataID) error {
	dir := s.objectDir(obj)
	s.mu.Lock()
	now := time.Now()
	for id, t := range s.tombstones {
		if now.Sub(t) > tombstoneTTL {
			delete(s.tombstones, id)
		}
	}
	s.tombstones[obj] = now
	s.indexDrop(obj)
	err := os.RemoveAll(dir)
	s.mu.Unlock()
	if err != nil {
		return fmt.Errorf("delete chunks of object %s: %w", obj, err)
	}
	if err := syncDir(filepath.Dir(dir)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("sync after deleting object %s: %w", obj, err)
	}
	return nil
}

// DeleteChunk removes chunk id, if held; its object stays owned.
func (s *Store) DeleteChunk(id memo.ChunkID) error {
	path := s.path(id)
	s.mu.Lock()
	if owner, ok := s.owners[id.Data]; ok {
		s.indexRemove(owner, id)
	}
	err := os.Remove(path)
	s.mu.Unlock()
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete chunk %s: %w", id, err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("sync after deleting chunk %s: %w", id, err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
