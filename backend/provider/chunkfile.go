package provider

// Chunk files: what one holds and where, and proofs drawn from them.
//
// Invariants:
//   - A chunk file this version writes is a header of headerSize bytes
//     (chunkMagic, the chunk's length n as a big-endian uint64, its 32-byte
//     commitment), the n chunk bytes, then the chunk's LeafCount(n) leaf
//     hashes, 32 bytes each: chunkFileSize(n) bytes in all.
//   - A file written before leaf hashes were kept is the commitment, then
//     the chunk bytes. A file is read as the newer layout when it starts with
//     chunkMagic (a commitment starting with those 8 bytes: odds 2^-64); such
//     a file whose size disagrees with its header is corrupt.
//   - The leaf hashes only save hashing. Leaf returns a leaf and the path it
//     builds from them only once the two verify against the commitment in
//     the header; otherwise (a damaged leaf or hash) it hashes the whole
//     chunk, as it does for a file of the older layout, and refuses a leaf
//     that fails there. A proof sample then reads one leaf and the hashes
//     (0.8 % of the chunk) and hashes ~2·log2(leaves) nodes, not the chunk.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/order"
	"github.com/mefs-project/mefs/backend/p2p"
	"github.com/mefs-project/mefs/erasure"
)

// chunkMagic starts every chunk file that keeps its leaf hashes.
const chunkMagic = "MEFSchk2"

// headerSize is the header of a chunk file that keeps its leaf hashes.
const headerSize = len(chunkMagic) + 8 + len(erasure.Root{})

// oldHeaderSize is the header (the commitment alone) of an older chunk file.
const oldHeaderSize = len(erasure.Root{})

// chunkFileSize is the size of the file of an n-byte chunk.
func chunkFileSize(n int64) int64 {
	return int64(headerSize) + n + leafHashesSize(n)
}

// leafHashesSize is the bytes of an n-byte chunk's leaf hashes.
func leafHashesSize(n int64) int64 { return 32 * int64(erasure.LeafCount(int(n))) }

// putHeader writes the header of the file of chunk root, of size bytes, to
// the start of buf and returns its length.
func putHeader(buf []byte, size int64, root erasure.Root) int {
	n := copy(buf, chunkMagic)
	binary.BigEndian.PutUint64(buf[n:], uint64(size))
	return n + 8 + copy(buf[n+8:], root[:])
}

// appendLeafHashes appends hashes to b, 32 bytes each.
func appendLeafHashes(b []byte, hashes [][32]byte) []byte {
	for i := range hashes {
		b = append(b, hashes[i][:]...)
	}
	return b
}

// chunkLayout is where a chunk file holds what.
type chunkLayout struct {
	root   erasure.Root
	size   int64 // chunk bytes; -1: unknown (an older file, not sized)
	offset int64 // file offset of the chunk bytes
	hashes bool  // the leaf hashes follow the chunk bytes
}

// readLayout reads the header of chunk file f, whose size is fileSize (-1
// if the caller has not looked). ErrCorrupt if the file is too short to be
// a chunk or disagrees with its header; the layout the header announces is
// returned with the error when there is one.
func readLayout(f *os.File, fileSize int64) (chunkLayout, error) {
	var b [headerSize]byte
	n, err := f.ReadAt(b[:], 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return chunkLayout{}, err
	}
	if n >= headerSize && string(b[:len(chunkMagic)]) == chunkMagic {
		l := chunkLayout{size: int64(binary.BigEndian.Uint64(b[len(chunkMagic):])), offset: int64(headerSize), hashes: true}
		copy(l.root[:], b[len(chunkMagic)+8:])
		if l.size < 0 || l.size > maxChunkFile {
			return chunkLayout{}, fmt.Errorf("%w: header says %d bytes", ErrCorrupt, l.size)
		}
		if fileSize >= 0 && fileSize != chunkFileSize(l.size) {
			return l, fmt.Errorf("%w: file of %d bytes for a %d-byte chunk", ErrCorrupt, fileSize, l.size)
		}
		return l, nil
	}
	if n < oldHeaderSize {
		return chunkLayout{}, fmt.Errorf("%w: file of %d bytes", ErrCorrupt, n)
	}
	l := chunkLayout{size: -1, offset: int64(oldHeaderSize)}
	copy(l.root[:], b[:oldHeaderSize])
	if fileSize >= 0 {
		l.size = fileSize - int64(oldHeaderSize)
	}
	return l, nil
}

// maxChunkFile bounds the chunk length a header may announce (far above
// any chunk size in use), so that a corrupt header cannot ask for a buffer
// of any size.
const maxChunkFile = 1 << 40

// openChunk opens chunk id's file and reads its layout; the caller closes
// the file. Not found is p2p.ErrNotFound.
func (s *Store) openChunk(id memo.ChunkID, sized bool) (*os.File, chunkLayout, error) {
	f, err := os.Open(s.path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, chunkLayout{}, fmt.Errorf("chunk %s: %w", id, p2p.ErrNotFound)
	}
	if err != nil {
		return nil, chunkLayout{}, fmt.Errorf("read chunk %s: %w", id, err)
	}
	var l chunkLayout
	if sized {
		l, err = fileLayout(f)
	} else {
		l, err = readLayout(f, -1)
	}
	if err != nil {
		f.Close()
		return nil, l, fmt.Errorf("chunk %s: %w", id, err)
	}
	return f, l, nil
}

// Leaf returns leaf i of stored chunk e with its path to e.Root, from the
// chunk's leaf hashes and that one leaf where the file keeps them and they
// verify, else by hashing the chunk once (the hashes give both the path
// and the check of the bytes against the commitment).
func (s *Store) Leaf(e order.Entry, i int) ([]byte, [][32]byte, error) {
	f, l, err := s.openChunk(e.Chunk, true)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	if l.root != e.Root {
		return nil, nil, fmt.Errorf("chunk %s: stored commitment %s, order lists %s", e.Chunk, l.root, e.Root)
	}
	if !l.hashes {
		return leafByHashing(f, l, e.Chunk, i)
	}
	leaf, path, ok, err := leafFromHashes(f, l, i)
	switch {
	case err != nil:
		return nil, nil, fmt.Errorf("chunk %s: %w", e.Chunk, err)
	case !ok:
		return leafByHashing(f, l, e.Chunk, i)
	}
	return leaf, path, nil
}

// leafFromHashes proves leaf i of the chunk in f from its stored leaf
// hashes and the leaf's bytes. ok is false, with no error, if the leaf and
// its path do not verify against the commitment (the leaf or a hash on
// its path is damaged): the caller then hashes the chunk.
func leafFromHashes(f *os.File, l chunkLayout, i int) (leaf []byte, path [][32]byte, ok bool, err error) {
	start, end, inRange := erasure.LeafRange(int(l.size), i)
	if !inRange {
		return nil, nil, false, fmt.Errorf("leaf %d of a %d-byte chunk: out of range", i, l.size)
	}
	raw := getChunkBuffer(leafHashesSize(l.size))
	defer putChunkBuffer(raw)
	if _, err := f.ReadAt(raw, l.offset+l.size); err != nil {
		return nil, nil, false, fmt.Errorf("read leaf hashes: %w", err)
	}
	hashes := make([][32]byte, len(raw)/32)
	for j := range hashes {
		copy(hashes[j][:], raw[32*j:])
	}
	leaf = make([]byte, end-start)
	if _, err := f.ReadAt(leaf, l.offset+int64(start)); err != nil {
		return nil, nil, false, fmt.Errorf("read leaf %d: %w", i, err)
	}
	p, err := erasure.ProveFromLeaves(int(l.size), hashes, i)
	if err != nil {
		return nil, nil, false, err
	}
	if !erasure.Verify(l.root, leaf, p) {
		return nil, nil, false, nil
	}
	return leaf, p.Path, true, nil
}

// leafByHashing proves leaf i of chunk id, in f, by reading and hashing
// the whole chunk.
func leafByHashing(f *os.File, l chunkLayout, id memo.ChunkID, i int) ([]byte, [][32]byte, error) {
	data := getChunkBuffer(l.size)
	defer putChunkBuffer(data) // the leaf returned is a copy
	if _, err := f.ReadAt(data, l.offset); err != nil {
		return nil, nil, fmt.Errorf("read chunk %s: %w", id, err)
	}
	p, err := erasure.Prove(data, i)
	if err != nil {
		return nil, nil, err
	}
	end := min((i+1)*erasure.LeafSize, len(data))
	leaf := bytes.Clone(data[i*erasure.LeafSize : end])
	if !erasure.Verify(l.root, leaf, p) {
		return nil, nil, fmt.Errorf("chunk %s: %w", id, ErrCorrupt)
	}
	return leaf, p.Path, nil
}

// fileLayout is readLayout of f at its size.
func fileLayout(f *os.File) (chunkLayout, error) {
	fi, err := f.Stat()
	if err != nil {
		return chunkLayout{}, err
	}
	return readLayout(f, fi.Size())
}

// ReadChunkFile returns the commitment and the bytes of the chunk file at
// path, of either layout, unchecked: for tools and tests that read a
// Provider's folder.
func ReadChunkFile(path string) (erasure.Root, []byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return erasure.Root{}, nil, err
	}
	defer f.Close()
	l, err := fileLayout(f)
	if err != nil {
		return l.root, nil, fmt.Errorf("chunk file %s: %w", path, err)
	}
	data := make([]byte, l.size)
	if _, err := f.ReadAt(data, l.offset); err != nil {
		return l.root, nil, fmt.Errorf("chunk file %s: %w", path, err)
	}
	return l.root, data, nil
}

// ChunkBytesAt returns where the chunk's bytes sit in the chunk file at
// path (either layout): for tests that damage them.
func ChunkBytesAt(path string) (offset, size int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	l, err := fileLayout(f)
	return l.offset, l.size, err
}
