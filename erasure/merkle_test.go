// Tests for chunk commitments. Invariants checked: Commit matches an
// independent recursive RFC 6962 implementation, every leaf proof verifies,
// any tampering with leaf, path, index, size or root is rejected, and the
// length is bound into the root.
package erasure

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"testing"
)

// refMTH is a direct transcription of RFC 6962 section 2.1 over leaf data.
func refMTH(leaves [][]byte) [32]byte {
	if len(leaves) == 1 {
		return sha256.Sum256(append([]byte{0}, leaves[0]...))
	}
	k := 1
	for k*2 < len(leaves) {
		k *= 2
	}
	l, r := refMTH(leaves[:k]), refMTH(leaves[k:])
	return sha256.Sum256(append(append([]byte{1}, l[:]...), r[:]...))
}

func refCommit(chunk []byte) Root {
	var leaves [][]byte
	for off := 0; off < len(chunk); off += LeafSize {
		leaves = append(leaves, chunk[off:min(off+LeafSize, len(chunk))])
	}
	if len(leaves) == 0 {
		leaves = [][]byte{{}}
	}
	tree := refMTH(leaves)
	buf := []byte{2}
	buf = binary.BigEndian.AppendUint64(buf, uint64(len(chunk)))
	buf = append(buf, tree[:]...)
	return Root(sha256.Sum256(buf))
}

var merkleSizes = []int{0, 1, 4095, 4096, 4097, 3 * 4096, 5*4096 + 7, 13 * 4096, 13*4096 - 1}

func TestCommitMatchesReference(t *testing.T) {
	sizes := append([]int{}, merkleSizes...)
	for n := 1; n <= 40; n++ {
		sizes = append(sizes, n*LeafSize, n*LeafSize-100)
	}
	for _, size := range sizes {
		chunk := randBytes(uint64(size)+1, size)
		if got, want := Commit(chunk), refCommit(chunk); got != want {
			t.Fatalf("size %d: Commit = %s, reference = %s", size, got, want)
		}
	}
}

func TestCommitEmptyKnownAnswer(t *testing.T) {
	leaf := sha256.Sum256([]byte{0})
	buf := append(make([]byte, 9), leaf[:]...)
	buf[0] = 2
	want := Root(sha256.Sum256(buf))
	if got := Commit(nil); got != want {
		t.Fatalf("Commit(nil) = %s, want %s", got, want)
	}
	if Commit([]byte{}) != want {
		t.Fatal("Commit of empty non-nil slice differs from nil")
	}
	if s := want.String(); s != hex.EncodeToString(want[:]) || len(s) != 64 {
		t.Fatalf("Root.String = %q", s)
	}
}

func TestCommitBindsLength(t *testing.T) {
	seen := map[Root]int{}
	for _, size := range []int{0, 1, 2, 100, 101, 4095, 4096, 4097, 8192, 8193, 12288} {
		r := Commit(make([]byte, size))
		if prev, ok := seen[r]; ok {
			t.Fatalf("zero chunks of length %d and %d have the same root", prev, size)
		}
		seen[r] = size
	}
	a := randBytes(11, 5000)
	b := bytes.Clone(a)
	b[4999] ^= 1
	if Commit(a) == Commit(b) {
		t.Fatal("last-byte change not reflected in root")
	}
	if !Verifies(Commit(a), a) || Verifies(Commit(a), b) {
		t.Fatal("Verifies wrong")
	}
}

func leafOf(chunk []byte, i int) []byte {
	start := i * LeafSize
	return chunk[start:min(start+LeafSize, len(chunk))]
}

func TestProveVerifyAllLeaves(t *testing.T) {
	for _, size := range merkleSizes {
		chunk := randBytes(uint64(size)+2, size)
		root := Commit(chunk)
		n := LeafCount(size)
		if size > 0 && (n-1)*LeafSize >= size || n*LeafSize < size {
			t.Fatalf("size %d: LeafCount %d wrong", size, n)
		}
		for i := 0; i < n; i++ {
			p, err := Prove(chunk, i)
			if err != nil {
				t.Fatalf("size %d leaf %d: Prove: %v", size, i, err)
			}
			if p.Leaf != i || p.Size != size {
				t.Fatalf("size %d leaf %d: proof header %+v", size, i, p)
			}
			leaf := leafOf(chunk, i)
			if !Verify(root, leaf, p) {
				t.Fatalf("size %d leaf %d: valid proof rejected", size, i)
			}
			checkTampered(t, size, root, leaf, p)
		}
		if _, err := Prove(chunk, n); err == nil {
			t.Fatalf("size %d: Prove leaf %d (out of range) succeeded", size, n)
		}
		if _, err := Prove(chunk, -1); err == nil {
			t.Fatalf("size %d: Prove leaf -1 succeeded", size)
		}
	}
}

func checkTampered(t *testing.T, size int, root Root, leaf []byte, p Proof) {
	t.Helper()
	i := p.Leaf
	fail := func(what string) {
		t.Helper()
		t.Fatalf("size %d leaf %d: %s accepted", size, i, what)
	}
	if len(leaf) > 0 {
		bad := bytes.Clone(leaf)
		bad[len(bad)/2] ^= 0x80
		if Verify(root, bad, p) {
			fail("tampered leaf data")
		}
		if Verify(root, leaf[:len(leaf)-1], p) {
			fail("truncated leaf data")
		}
	}
	if Verify(root, append(bytes.Clone(leaf), 0), p) {
		fail("extended leaf data")
	}
	for j := range p.Path {
		q := p
		q.Path = append([][32]byte(nil), p.Path...)
		q.Path[j][0] ^= 1
		if Verify(root, leaf, q) {
			fail("tampered path element")
		}
	}
	if len(p.Path) > 0 {
		q := p
		q.Path = p.Path[:len(p.Path)-1]
		if Verify(root, leaf, q) {
			fail("shortened path")
		}
	}
	q := p
	q.Path = append(append([][32]byte(nil), p.Path...), [32]byte{})
	if Verify(root, leaf, q) {
		fail("lengthened path")
	}
	n := LeafCount(size)
	for _, li := range []int{i - 1, i + 1, -1, n} {
		q := p
		q.Leaf = li
		if Verify(root, leaf, q) {
			fail("wrong leaf index")
		}
	}
	for _, s := range []int{size - 1, size + 1, size + LeafSize, -1} {
		q := p
		q.Size = s
		if Verify(root, leaf, q) {
			fail("wrong size")
		}
	}
	badRoot := root
	badRoot[31] ^= 1
	if Verify(badRoot, leaf, p) {
		fail("wrong root")
	}
}

func TestProofPathLength(t *testing.T) {
	// 13 leaves split 8|(4|1): leaf 12 sits at depth 2, all others at 4.
	chunk := randBytes(13, 13*LeafSize)
	want := []int{4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 2}
	for i, w := range want {
		p, err := Prove(chunk, i)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Path) != w {
			t.Fatalf("leaf %d: path length %d, want %d", i, len(p.Path), w)
		}
	}
	p, err := Prove(nil, 0)
	if err != nil || len(p.Path) != 0 || p.Size != 0 {
		t.Fatalf("empty chunk proof: %+v, %v", p, err)
	}
	if !Verify(Commit(nil), nil, p) || Verify(Commit(nil), []byte{0}, p) {
		t.Fatal("empty chunk proof verification wrong")
	}
}
