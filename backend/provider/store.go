package provider

// Invariants:
//   - A chunk file is written to a temporary name, fsynced, renamed into place
//     and its folder fsynced before Put returns: a chunk that Put acknowledged
//     survives a crash, and a crash never leaves a partial chunk under its name.
//   - Each chunk file starts with the chunk's 32-byte commitment; Get
//     re-verifies the bytes against it and never returns bytes that fail it.
//   - Layout: DIR/chunks/<object hex[0:2]>/<object hex>/<stripe>.<index>.

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/mefs-project/mefs/backend/wire"
	"github.com/mefs-project/mefs/erasure"
)

// ErrCorrupt reports a stored chunk that no longer matches its commitment.
var ErrCorrupt = errors.New("stored chunk is corrupt")

// Store keeps chunks as files under a folder.
type Store struct {
	dir string
}

// OpenStore opens (creating) a chunk store in dir.
func OpenStore(dir string) (*Store, error) {
	root := filepath.Join(dir, "chunks")
	if err := os.MkdirAll(root, 0o700); err != nil {
		return nil, fmt.Errorf("create chunk store %s: %w", root, err)
	}
	return &Store{dir: root}, nil
}

func (s *Store) objectDir(obj erasure.ObjectID) string {
	h := hex.EncodeToString(obj[:])
	return filepath.Join(s.dir, h[:2], h)
}

func (s *Store) path(id wire.ChunkID) string {
	return filepath.Join(s.objectDir(id.Object),
		strconv.FormatUint(id.Stripe, 10)+"."+strconv.Itoa(int(id.Index)))
}

// Put stores data as chunk id with commitment root, durably.
func (s *Store) Put(id wire.ChunkID, root erasure.Root, data []byte) error {
	dir := s.objectDir(id.Object)
	newDir := false
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		newDir = true
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create object folder for chunk %s: %w", id, err)
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("create chunk %s: %w", id, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op after the rename
	if _, err := f.Write(root[:]); err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write chunk %s: %w", id, err)
	}
	if err := os.Rename(tmp, s.path(id)); err != nil {
		return fmt.Errorf("rename chunk %s into place: %w", id, err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("sync folder of chunk %s: %w", id, err)
	}
	if newDir {
		if err := syncDir(filepath.Dir(dir)); err != nil {
			return fmt.Errorf("sync parent folder of chunk %s: %w", id, err)
		}
	}
	return nil
}

// Get returns chunk id's bytes and commitment after checking one against the
// other; wire-level not found is reported as wire.ErrNotFound.
func (s *Store) Get(id wire.ChunkID) ([]byte, erasure.Root, error) {
	var root erasure.Root
	b, err := os.ReadFile(s.path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, root, fmt.Errorf("chunk %s: %w", id, wire.ErrNotFound)
	}
	if err != nil {
		return nil, root, fmt.Errorf("read chunk %s: %w", id, err)
	}
	if len(b) < len(root) {
		return nil, root, fmt.Errorf("chunk %s: %w: file of %d bytes", id, ErrCorrupt, len(b))
	}
	copy(root[:], b)
	data := b[len(root):]
	if !erasure.Verifies(root, data) {
		return nil, root, fmt.Errorf("chunk %s: %w", id, ErrCorrupt)
	}
	return data, root, nil
}

// DeleteObject removes every chunk of object obj.
func (s *Store) DeleteObject(obj erasure.ObjectID) error {
	dir := s.objectDir(obj)
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("delete chunks of object %x: %w", obj, err)
	}
	if err := syncDir(filepath.Dir(dir)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("sync after deleting object %x: %w", obj, err)
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
