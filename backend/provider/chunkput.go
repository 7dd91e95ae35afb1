package provider

// Invariants:
//   - A chunk put streams: its bytes go from the reader to a temporary file
//     in pieces of putPiece bytes, hashed on the way (erasure.Committer), so
//     a put holds one piece, not the chunk. Only bytes that hash to the
//     announced commitment, and that the reader ends right after, are put in
//     place; otherwise the temporary file is removed.
//   - A put of an object another User owns is refused before its body is
//     read; an unowned object's owner is claimed (durably) after the bytes
//     check and before the rename: no chunk is ever in place for an
//     unclaimed object.
//   - A put is acknowledged only after every fsync its durability needs has
//     ended: the owner's claim and the chunk file (fsynced at once) and the
//     folders on its path that it or another put created (newFolders,
//     fsynced while the body arrives), all before the rename; and the
//     object folder after it.
//   - File offsets of pieces are multiples of putPiece (the first piece is
//     the file's header and putPiece-headerSize chunk bytes), so a cold
//     chunk's full pieces go around the page cache (directWriter); the leaf
//     hashes, written last, go through it.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/procs"
	"github.com/mefs-project/mefs/erasure"
)

// putPiece is the bytes a chunk put reads and writes at a time.
const putPiece = 64 << 10

// directAlign is the alignment O_DIRECT needs of buffers, offsets and
// lengths (the largest logical block size in use); putPiece is a multiple.
const directAlign = 4096

// ErrMismatch reports chunk bytes that do not hash to their announced
// commitment.
var ErrMismatch = errors.New("chunk does not match its commitment")

// ErrBody reports a put whose body could not be read whole, or ran on
// past its announced size.
var ErrBody = errors.New("chunk body")

// Put stores data as chunk id with commitment root, durably, for no
// particular User.
func (s *Store) Put(id memo.ChunkID, root erasure.Root, data []byte) error {
	return s.PutFor("", id, root, data)
}

// PutFor stores data as chunk id with commitment root, durably, for User
// owner (a peer id). ErrNotOwner if the object belongs to another User.
func (s *Store) PutFor(owner string, id memo.ChunkID, root erasure.Root, data []byte) error {
	return s.PutFrom(owner, id, root, int64(len(data)), bytes.NewReader(data), false)
}

// PutFrom stores the size bytes r yields, which must then end, as chunk id
// with commitment root for User owner, durably. ErrMismatch if they do not
// hash to root, ErrBody if r fails or runs on, ErrNotOwner if the object is
// another User's, ErrDeleted if it was deleted moments ago. A cold (parity)
// chunk is written around the page cache where the file system allows.
func (s *Store) PutFrom(owner string, id memo.ChunkID, root erasure.Root, size int64, r io.Reader, cold bool) error {
	// Another User's object is refused before its body costs a write.
	if s.foreign(id.Data, owner) {
		return fmt.Errorf("store chunk %s: %w", id, ErrNotOwner)
	}
	defer procs.Default.Hold()()
	dir := s.objectDir(id.Data)
	// New prefix and object folders are fsynced into their parents while
	// the body arrives (newFolders).
	foldersDurable, err := s.newFolders.create(s.dir, dir)
	if err != nil {
		return fmt.Errorf("create object folder for chunk %s: %w", id, err)
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("create chunk %s: %w", id, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op after the rename
	err = copyChunk(f, root, size, r, cold)
	if err == nil {
		err = s.claimAndSync(f, id.Data, dir, owner)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		if ferr := foldersDurable(); ferr != nil {
			err = fmt.Errorf("sync new folders: %w", ferr)
		}
	}
	if err != nil {
		return fmt.Errorf("store chunk %s: %w", id, err)
	}
	return s.place(owner, id, root, size, tmp, dir)
}

// claimAndSync claims object obj for owner and fsyncs the chunk file f:
// two independent disk waits, run at once; both have ended when it returns.
func (s *Store) claimAndSync(f *os.File, obj erasure.DataID, dir, owner string) error {
	claimed := make(chan error, 1)
	go func() { claimed <- s.claim(obj, dir, owner) }()
	err := f.Sync()
	return errors.Join(<-claimed, err)
}

// copyChunk writes the chunk file of root (chunkfile.go): its header, the
// size bytes of r, piece by piece, checking that they hash to root and that
// r ends there, and then their leaf hashes.
func copyChunk(f *os.File, root erasure.Root, size int64, r io.Reader, cold bool) error {
	buf := getChunkBuffer(putPiece)
	defer putChunkBuffer(buf)
	var w io.Writer = f
	if cold {
		dw := newDirectWriter(f)
		defer dw.Close()
		w = dw
	}
	var c erasure.Committer
	c.Grow(int(size))
	head := putHeader(buf, size, root)
	for left := size; left > 0 || head > 0; head = 0 {
		n := int(min(int64(len(buf)-head), left))
		if _, err := io.ReadFull(r, buf[head:head+n]); err != nil {
			return fmt.Errorf("%w: %w", ErrBody, err)
		}
		c.Write(buf[head : head+n])
		left -= int64(n)
		if _, err := w.Write(buf[:head+n]); err != nil {
			return fmt.Errorf("write: %w", err)
		}
	}
	if err := readEOF(r); err != nil {
		return fmt.Errorf("%w: %w", ErrBody, err)
	}
	hashes := c.LeafHashes()
	if got, _ := erasure.RootOfLeaves(int(size), hashes); got != root {
		return ErrMismatch
	}
	tail := buf[:0]
	if leafHashesSize(size) > int64(cap(buf)) {
		tail = make([]byte, 0, leafHashesSize(size))
	}
	if _, err := w.Write(appendLeafHashes(tail, hashes)); err != nil {
		return fmt.Errorf("write leaf hashes: %w", err)
	}
	return nil
}

// place renames the synced temporary file tmp into place as chunk id and
// fsyncs its folder, unless the object was deleted moments ago.
func (s *Store) place(owner string, id memo.ChunkID, root erasure.Root, size int64, tmp, dir string) error {
	s.mu.Lock()
	if _, dead := s.tombstones[id.Data]; dead {
		os.Remove(tmp)
		os.Remove(dir) // only if this put made it and it is empty
		s.mu.Unlock()
		return fmt.Errorf("store chunk %s: %w", id, ErrDeleted)
	}
	err := os.Rename(tmp, s.path(id))
	if err == nil {
		s.indexAdd(owner, id, root, size)
	}
	s.mu.Unlock()
	if err != nil {
		return fmt.Errorf("rename chunk %s into place: %w", id, err)
	}
	if err := s.folders.Sync(dir); err != nil {
		return fmt.Errorf("sync folder of chunk %s: %w", id, err)
	}
	return nil
}
