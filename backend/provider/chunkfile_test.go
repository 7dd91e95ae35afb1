package provider

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/order"
	"github.com/mefs-project/mefs/backend/p2p"
	"github.com/mefs-project/mefs/erasure"
)

// checkLeaves asks the Store for each leaf of chunk id (data, root): the
// leaves in bad must be refused, every other one must come back with a
// path that verifies against root.
func checkLeaves(t *testing.T, s *Store, id memo.ChunkID, root erasure.Root, data []byte, bad func(i int) bool) {
	t.Helper()
	e := order.Entry{Chunk: id, Root: root, Size: int64(len(data))}
	for i := range erasure.LeafCount(len(data)) {
		leaf, path, err := s.Leaf(e, i)
		if bad(i) {
			if err == nil {
				t.Errorf("Leaf %d of corrupted chunk returned %d bytes", i, len(leaf))
			}
			continue
		}
		p := erasure.Proof{Leaf: i, Size: len(data), Path: path}
		if err != nil || !erasure.Verify(root, leaf, p) {
			t.Errorf("Leaf %d: %d bytes, err %v; want a leaf that verifies", i, len(leaf), err)
		}
	}
}

func TestStoreDetectsCorruption(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	data := randBytes(r, 10000) // leaves 0, 1 and a short 2
	root := erasure.Commit(data)
	all := func(int) bool { return true }
	none := func(int) bool { return false }
	only := func(j int) func(int) bool { return func(i int) bool { return i == j } }
	rootAt := len(chunkMagic) + 8
	cases := []struct {
		name    string
		mutate  func(b []byte) []byte
		getFail bool
		bad     func(int) bool // leaves Leaf must refuse
	}{
		{"flip data byte", func(b []byte) []byte { b[headerSize+5000] ^= 0x01; return b }, true, only(1)},
		{"flip last data byte", func(b []byte) []byte { b[headerSize+len(data)-1] ^= 0x80; return b }, true, only(2)},
		{"flip root byte", func(b []byte) []byte { b[rootAt+3] ^= 0x10; return b }, true, all},
		{"flip magic byte", func(b []byte) []byte { b[3] ^= 0x10; return b }, true, all},
		{"flip length byte", func(b []byte) []byte { b[len(chunkMagic)+7] ^= 0x01; return b }, true, all},
		{"truncate file", func(b []byte) []byte { return b[:len(b)-1] }, true, all},
		{"extend file", func(b []byte) []byte { return append(b, 0) }, true, all},
		{"shorter than root", func(b []byte) []byte { return b[:20] }, true, all},
		{"empty file", func(b []byte) []byte { return nil }, true, all},
		// The leaf hashes only save hashing: the chunk is intact, and Leaf
		// hashes it instead of trusting them.
		{"flip leaf hash", func(b []byte) []byte { b[len(b)-1] ^= 0x80; return b }, false, none},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, dir := openStore(t)
			id := memo.ChunkID{Data: objID(9), Stripe: 2, Index: 3}
			if err := s.Put(id, root, data); err != nil {
				t.Fatal(err)
			}
			p := chunkPath(dir, id)
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if int64(len(b)) != chunkFileSize(int64(len(data))) {
				t.Fatalf("chunk file of %d bytes, want %d", len(b), chunkFileSize(int64(len(data))))
			}
			if err := os.WriteFile(p, c.mutate(b), 0o600); err != nil {
				t.Fatal(err)
			}
			got, _, err := s.Get(id)
			switch {
			case c.getFail && !errors.Is(err, ErrCorrupt):
				t.Fatalf("Get of corrupted chunk: %d bytes, err %v; want ErrCorrupt", len(got), err)
			case c.getFail && got != nil:
				t.Fatalf("Get of corrupted chunk returned %d bytes", len(got))
			case !c.getFail && (err != nil || !bytes.Equal(got, data)):
				t.Fatalf("Get: %d bytes, %v; want the chunk", len(got), err)
			}
			checkLeaves(t, s, id, root, data, c.bad)
		})
	}
}

// TestStoreReadsOlderChunkFiles: a chunk file from before leaf hashes were
// kept (the commitment, then the chunk) is still indexed, read, ranged and
// proven.
func TestStoreReadsOlderChunkFiles(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	data := randBytes(r, 3*erasure.LeafSize+100)
	root := erasure.Commit(data)
	s, dir := openStore(t)
	id := memo.ChunkID{Data: objID(4), Stripe: 0, Index: 1}
	// A put claims the object and makes its folder; the file is then
	// replaced by one of the older layout.
	if err := s.PutFor("alice", id, root, data); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(chunkPath(dir, id), append(root[:], data...), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	if e := (order.Entry{Chunk: id, Root: root, Size: int64(len(data))}); !s.Has("alice", e) || s.UsageOf("alice") != e.Size {
		t.Fatalf("index after reopen: has %v, usage %d; want the chunk, %d bytes", s.Has("alice", e), s.UsageOf("alice"), e.Size)
	}
	if got, gotRoot, err := s.Get(id); err != nil || gotRoot != root || !bytes.Equal(got, data) {
		t.Fatalf("Get: %d bytes, %s, %v", len(got), gotRoot, err)
	}
	if got, err := s.ReadRange(id, root, 10, 50, getChunkBuffer); err != nil || !bytes.Equal(got, data[10:60]) {
		t.Fatalf("ReadRange: %v", err)
	}
	if _, err := s.ReadRange(id, root, int64(len(data))-5, 10, getChunkBuffer); !errors.Is(err, p2p.ErrNotFound) {
		t.Fatalf("ReadRange past the end: %v, want ErrNotFound", err)
	}
	checkLeaves(t, s, id, root, data, func(int) bool { return false })
}

func TestReadRangeStaysInTheChunk(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	data := randBytes(r, 2*erasure.LeafSize)
	root := erasure.Commit(data)
	s, _ := openStore(t)
	id := memo.ChunkID{Data: objID(5), Stripe: 1, Index: 0}
	if err := s.Put(id, root, data); err != nil {
		t.Fatal(err)
	}
	if got, err := s.ReadRange(id, root, int64(len(data))-8, 8, getChunkBuffer); err != nil || !bytes.Equal(got, data[len(data)-8:]) {
		t.Fatalf("ReadRange of the last 8 bytes: %v", err)
	}
	// The leaf hashes follow the chunk in its file: a range past the
	// chunk's end must not return them.
	for _, rg := range [][2]int64{{int64(len(data)) - 8, 9}, {int64(len(data)), 1}, {-1, 4}, {0, -1}} {
		if got, err := s.ReadRange(id, root, rg[0], rg[1], getChunkBuffer); !errors.Is(err, p2p.ErrNotFound) {
			t.Errorf("ReadRange(%d, %d): %d bytes, %v; want ErrNotFound", rg[0], rg[1], len(got), err)
		}
	}
}

// TestLeafFromHashesMatchesHashing: the leaf hashes a put keeps give the
// same proof as hashing the chunk.
func TestLeafFromHashesMatchesHashing(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for _, size := range []int{0, 1, erasure.LeafSize, 5*erasure.LeafSize + 7, 256 << 10} {
		data := randBytes(r, size)
		root := erasure.Commit(data)
		s, _ := openStore(t)
		id := memo.ChunkID{Data: objID(6), Stripe: uint64(size), Index: 2}
		if err := s.Put(id, root, data); err != nil {
			t.Fatal(err)
		}
		f, l, err := s.openChunk(id, true)
		if err != nil {
			t.Fatal(err)
		}
		if !l.hashes || l.size != int64(size) || l.root != root {
			t.Fatalf("size %d: layout %+v", size, l)
		}
		for _, i := range []int{0, erasure.LeafCount(size) - 1} {
			leaf, path, ok, err := leafFromHashes(f, l, i)
			if err != nil || !ok {
				t.Fatalf("size %d leaf %d: from hashes: ok %v, %v", size, i, ok, err)
			}
			wantLeaf, wantPath, err := leafByHashing(f, l, id, i)
			if err != nil || !bytes.Equal(leaf, wantLeaf) || !slices.Equal(path, wantPath) {
				t.Fatalf("size %d leaf %d: from hashes and by hashing differ (%v)", size, i, err)
			}
		}
		f.Close()
	}
}
