// Tests for the stripe codec. Invariants checked: roundtrip for all sizes and
// shapes, recovery from any m losses, ErrTooFewChunks past m losses, ErrAuth
// on any tampering or context mismatch, caller chunks never modified.
package erasure

import (
	"bytes"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
)

var testSizes = []int{0, 1, 15, 16, 17, 4095, 4096, 1<<20 + 3}

var testShapes = [][2]int{{4, 2}, {10, 4}, {1, 0}}

func testKey(t testing.TB) []byte {
	t.Helper()
	master := bytes.Repeat([]byte{0x5a}, 32)
	return DataKey(master, testID(1))
}

func testID(b byte) DataID {
	var id DataID
	for i := range id {
		id[i] = b + byte(i)
	}
	return id
}

func randBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func mustCodec(t testing.TB, k, m int) *Codec {
	t.Helper()
	c, err := NewCodec(k, m)
	if err != nil {
		t.Fatalf("NewCodec(%d,%d): %v", k, m, err)
	}
	return c
}

func cloneChunks(chunks [][]byte) [][]byte {
	out := make([][]byte, len(chunks))
	for i, c := range chunks {
		if c != nil {
			out[i] = bytes.Clone(c)
		}
	}
	return out
}

func TestNewCodecValidation(t *testing.T) {
	bad := [][2]int{{0, 0}, {0, 2}, {-1, 1}, {1, -1}, {200, 57}, {257, 0}, {1, 256}}
	for _, km := range bad {
		if _, err := NewCodec(km[0], km[1]); err == nil {
			t.Errorf("NewCodec(%d,%d) succeeded, want error", km[0], km[1])
		}
	}
	good := [][2]int{{1, 0}, {1, 1}, {4, 2}, {200, 56}, {256, 0}, {1, 255}}
	for _, km := range good {
		c, err := NewCodec(km[0], km[1])
		if err != nil {
			t.Errorf("NewCodec(%d,%d): %v", km[0], km[1], err)
			continue
		}
		if c.K() != km[0] || c.M() != km[1] {
			t.Errorf("NewCodec(%d,%d): K,M = %d,%d", km[0], km[1], c.K(), c.M())
		}
	}
}

func TestChunkSize(t *testing.T) {
	c := mustCodec(t, 4, 2)
	cases := map[int]int{0: 4, 1: 5, 3: 5, 4: 5, 5: 6, 100: 29, 4096: 1028}
	for plain, want := range cases {
		if got := c.ChunkSize(plain); got != want {
			t.Errorf("ChunkSize(%d) = %d, want %d", plain, got, want)
		}
	}
}

func TestObjectKey(t *testing.T) {
	master := randBytes(1, 32)
	k1 := DataKey(master, testID(1))
	if len(k1) != KeySize {
		t.Fatalf("key length %d, want %d", len(k1), KeySize)
	}
	if !bytes.Equal(k1, DataKey(master, testID(1))) {
		t.Fatal("DataKey not deterministic")
	}
	if bytes.Equal(k1, DataKey(master, testID(2))) {
		t.Fatal("same key for different object IDs")
	}
	if bytes.Equal(k1, DataKey(randBytes(2, 32), testID(1))) {
		t.Fatal("same key for different masters")
	}
	// Cross-check against the standard library HKDF.
	id := testID(1)
	want, err := hkdf.Key(sha256.New, master, nil, "mefs/object-key/v1"+string(id[:]), 32)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k1, want) {
		t.Fatalf("DataKey = %x, want %x", k1, want)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("DataKey with 31-byte master did not panic")
		}
	}()
	DataKey(master[:31], id)
}

func TestRoundtrip(t *testing.T) {
	key := testKey(t)
	id := testID(7)
	for _, km := range testShapes {
		c := mustCodec(t, km[0], km[1])
		for _, size := range testSizes {
			t.Run(fmt.Sprintf("k%d_m%d_n%d", km[0], km[1], size), func(t *testing.T) {
				plain := randBytes(uint64(size), size)
				stripe := uint64(size) * 31
				chunks, err := c.Encode(key, id, stripe, plain)
				if err != nil {
					t.Fatalf("Encode: %v", err)
				}
				if len(chunks) != c.K()+c.M() {
					t.Fatalf("got %d chunks, want %d", len(chunks), c.K()+c.M())
				}
				cs := c.ChunkSize(size)
				for i, ch := range chunks {
					if len(ch) != cs {
						t.Fatalf("chunk %d has length %d, want %d", i, len(ch), cs)
					}
				}
				got, err := c.Decode(key, id, stripe, chunks, size)
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				if !bytes.Equal(got, plain) {
					t.Fatal("roundtrip mismatch")
				}
				// Degraded: drop the first m data chunks (or all parity if
				// m exceeds k never happens here).
				if c.M() > 0 {
					deg := make([][]byte, len(chunks))
					copy(deg, chunks)
					for i := 0; i < c.M() && i < c.K(); i++ {
						deg[i] = nil
					}
					got, err := c.Decode(key, id, stripe, deg, size)
					if err != nil {
						t.Fatalf("degraded Decode: %v", err)
					}
					if !bytes.Equal(got, plain) {
						t.Fatal("degraded roundtrip mismatch")
					}
				}
			})
		}
	}
}

// forEachSubset calls fn with every subset of {0..n-1} of size r.
func forEachSubset(n, r int, fn func([]int)) {
	idx := make([]int, r)
	var rec func(start, depth int)
	rec = func(start, depth int) {
		if depth == r {
			fn(idx)
			return
		}
		for i := start; i < n; i++ {
			idx[depth] = i
			rec(i+1, depth+1)
		}
	}
	rec(0, 0)
}

func TestDecodeAnyMissing(t *testing.T) {
	c := mustCodec(t, 4, 2)
	key := testKey(t)
	id := testID(3)
	for _, size := range []int{0, 17, 4096, 10007} {
		plain := randBytes(99, size)
		chunks, err := c.Encode(key, id, 5, plain)
		if err != nil {
			t.Fatal(err)
		}
		orig := cloneChunks(chunks)
		for missing := 0; missing <= c.M(); missing++ {
			forEachSubset(6, missing, func(drop []int) {
				slots := make([][]byte, len(chunks))
				copy(slots, chunks)
				for _, d := range drop {
					slots[d] = nil
				}
				got, err := c.Decode(key, id, 5, slots, size)
				if err != nil {
					t.Fatalf("size %d drop %v: %v", size, drop, err)
				}
				if !bytes.Equal(got, plain) {
					t.Fatalf("size %d drop %v: plaintext mismatch", size, drop)
				}
				for _, d := range drop {
					if slots[d] != nil {
						t.Fatalf("Decode wrote into caller slot %d", d)
					}
				}
			})
		}
		forEachSubset(6, c.M()+1, func(drop []int) {
			slots := make([][]byte, len(chunks))
			copy(slots, chunks)
			for _, d := range drop {
				slots[d] = nil
			}
			_, err := c.Decode(key, id, 5, slots, size)
			if !errors.Is(err, ErrTooFewChunks) {
				t.Fatalf("size %d drop %v: err = %v, want ErrTooFewChunks", size, drop, err)
			}
		})
		for i := range chunks {
			if !bytes.Equal(chunks[i], orig[i]) {
				t.Fatalf("size %d: Decode modified caller chunk %d", size, i)
			}
		}
	}
}

func TestDecodeWrongSizeIsMissing(t *testing.T) {
	c := mustCodec(t, 4, 2)
	key := testKey(t)
	id := testID(4)
	plain := randBytes(4, 1000)
	chunks, err := c.Encode(key, id, 0, plain)
	if err != nil {
		t.Fatal(err)
	}
	slots := make([][]byte, len(chunks))
	copy(slots, chunks)
	slots[0] = slots[0][:len(slots[0])-1]               // truncated
	slots[1] = append(bytes.Clone(slots[1]), 0)         // too long
	got, err := c.Decode(key, id, 0, slots, len(plain)) // parity covers both
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("Decode with 2 wrong-size chunks: err=%v equal=%v", err, bytes.Equal(got, plain))
	}
	slots[2] = []byte{}
	if _, err := c.Decode(key, id, 0, slots, len(plain)); !errors.Is(err, ErrTooFewChunks) {
		t.Fatalf("Decode with 3 unusable chunks: err = %v, want ErrTooFewChunks", err)
	}
	if _, err := c.Decode(key, id, 0, chunks[:5], len(plain)); err == nil {
		t.Fatal("Decode with 5 slots succeeded")
	}
	if _, err := c.Decode(key, id, 0, chunks, -1); err == nil {
		t.Fatal("Decode with negative length succeeded")
	}
}

func TestTamperDetected(t *testing.T) {
	c := mustCodec(t, 4, 2)
	key := testKey(t)
	id := testID(5)
	plain := randBytes(5, 101) // 117 sealed bytes in 4*30: 3 padding bytes
	chunks, err := c.Encode(key, id, 9, plain)
	if err != nil {
		t.Fatal(err)
	}
	cs := c.ChunkSize(len(plain))
	for ci := 0; ci < c.K()+c.M(); ci++ {
		for pos := 0; pos < cs; pos++ {
			bad := cloneChunks(chunks)
			bad[ci][pos] ^= 0x01
			_, err := c.Decode(key, id, 9, bad, len(plain))
			if ci < c.K() {
				// All data chunks present: the flipped one is used.
				if !errors.Is(err, ErrAuth) {
					t.Fatalf("flip chunk %d byte %d: err = %v, want ErrAuth", ci, pos, err)
				}
				// Dropping the tampered chunk recovers via parity.
				bad[ci] = nil
				got, err := c.Decode(key, id, 9, bad, len(plain))
				if err != nil || !bytes.Equal(got, plain) {
					t.Fatalf("flip chunk %d then drop: err=%v", ci, err)
				}
				continue
			}
			// Parity unused when all data is present.
			if err != nil {
				t.Fatalf("flip unused parity %d byte %d: %v", ci, pos, err)
			}
			// Force parity use: drop two data chunks.
			bad[0], bad[1] = nil, nil
			if _, err := c.Decode(key, id, 9, bad, len(plain)); !errors.Is(err, ErrAuth) {
				t.Fatalf("flip used parity %d byte %d: err = %v, want ErrAuth", ci, pos, err)
			}
		}
	}
}

func TestContextMismatch(t *testing.T) {
	c := mustCodec(t, 4, 2)
	key := testKey(t)
	id := testID(6)
	plain := randBytes(6, 102)
	chunks, err := c.Encode(key, id, 2, plain)
	if err != nil {
		t.Fatal(err)
	}
	otherKey := DataKey(bytes.Repeat([]byte{1}, 32), id)
	cases := []struct {
		name     string
		key      []byte
		id       DataID
		stripe   uint64
		plainLen int
	}{
		{"stripe", key, id, 3, len(plain)},
		{"object", key, testID(60), 2, len(plain)},
		{"key", otherKey, id, 2, len(plain)},
		// 101 and 103 give the same chunk size as 102 with k=4.
		{"shorter", key, id, 2, len(plain) - 1},
		{"longer", key, id, 2, len(plain) + 1},
	}
	for _, tc := range cases {
		if c.ChunkSize(tc.plainLen) != c.ChunkSize(len(plain)) {
			t.Fatalf("%s: bad test setup, chunk size differs", tc.name)
		}
		for _, drop := range [][]int{nil, {0, 3}} {
			slots := make([][]byte, len(chunks))
			copy(slots, chunks)
			for _, d := range drop {
				slots[d] = nil
			}
			_, err := c.Decode(tc.key, tc.id, tc.stripe, slots, tc.plainLen)
			if !errors.Is(err, ErrAuth) {
				t.Errorf("%s drop %v: err = %v, want ErrAuth", tc.name, drop, err)
			}
		}
	}
	// Chunks of one stripe moved to another position fail.
	chunks2, err := c.Encode(key, id, 3, plain)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Decode(key, id, 2, chunks2, len(plain)); !errors.Is(err, ErrAuth) {
		t.Errorf("swapped stripe: err = %v, want ErrAuth", err)
	}
	// Bad key lengths are rejected, not ErrAuth.
	if _, err := c.Encode(key[:16], id, 0, plain); err == nil {
		t.Error("Encode with 16-byte key succeeded")
	}
	if _, err := c.Decode(key[:16], id, 2, chunks, len(plain)); err == nil || errors.Is(err, ErrAuth) {
		t.Errorf("Decode with 16-byte key: err = %v", err)
	}
}

func TestCiphertextHidesPlaintext(t *testing.T) {
	canary := []byte("MEFS-CANARY-7f3a9c")
	plain := bytes.Repeat(canary, 1000)
	key := testKey(t)
	for _, km := range testShapes {
		c := mustCodec(t, km[0], km[1])
		chunks, err := c.Encode(key, testID(8), 0, plain)
		if err != nil {
			t.Fatal(err)
		}
		for i, ch := range chunks {
			if bytes.Contains(ch, canary[:8]) {
				t.Fatalf("k=%d m=%d: chunk %d contains plaintext canary", km[0], km[1], i)
			}
		}
	}
}

func TestEncodeDeterministicAndIndependent(t *testing.T) {
	c := mustCodec(t, 4, 2)
	key := testKey(t)
	plain := randBytes(10, 5000)
	a, err := c.Encode(key, testID(9), 1, plain)
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Encode(key, testID(9), 1, plain)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			t.Fatalf("chunk %d differs between identical encodes", i)
		}
	}
	// Appending to one chunk must not clobber its neighbour.
	next := bytes.Clone(a[1])
	_ = append(a[0], 0xff)
	if !bytes.Equal(a[1], next) {
		t.Fatal("append to chunk 0 overwrote chunk 1")
	}
}

// TestEncodeIntoReusedBuffer: chunks encoded into a dirty, reused buffer equal
// a fresh Encode's (the padding after the tag is cleared), and a buffer too
// small is not used.
func TestEncodeIntoReusedBuffer(t *testing.T) {
	c := mustCodec(t, 4, 2)
	key := testKey(t)
	dirty := bytes.Repeat([]byte{0xAB}, 6*c.ChunkSize(9000))
	for _, size := range []int{9000, 5000, 1, 0} {
		plain := randBytes(uint64(size), size)
		want, err := c.Encode(key, testID(3), 2, plain)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.EncodeInto(dirty, key, testID(3), 2, plain)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if !bytes.Equal(got[i], want[i]) {
				t.Fatalf("size %d: chunk %d from a reused buffer differs", size, i)
			}
		}
		if &got[0][0] != &dirty[0] {
			t.Fatalf("size %d: the buffer given was not used", size)
		}
		back, err := c.Decode(key, testID(3), 2, got, size)
		if err != nil || !bytes.Equal(back, plain) {
			t.Fatalf("size %d: decode of reused-buffer chunks: %v", size, err)
		}
	}
	small := make([]byte, 10)
	got, err := c.EncodeInto(small, key, testID(3), 2, randBytes(1, 5000))
	if err != nil || &got[0][0] == &small[0] {
		t.Fatalf("a too-small buffer was used (err %v)", err)
	}
}

// TestDecodeIntoReusedBuffer: a stripe decoded into a dirty, reused buffer is
// the plaintext, with or without a rebuilt data chunk.
func TestDecodeIntoReusedBuffer(t *testing.T) {
	c := mustCodec(t, 4, 2)
	key := testKey(t)
	dirty := bytes.Repeat([]byte{0xCD}, 9000+Overhead)
	for _, size := range []int{9000, 4000, 0} {
		plain := randBytes(uint64(size)+7, size)
		chunks, err := c.Encode(key, testID(4), 5, plain)
		if err != nil {
			t.Fatal(err)
		}
		for _, drop := range []int{-1, 1} {
			in := append([][]byte{}, chunks...)
			if drop >= 0 {
				in[drop] = nil
			}
			got, err := c.DecodeInto(dirty, key, testID(4), 5, in, size)
			if err != nil || !bytes.Equal(got, plain) {
				t.Fatalf("size %d, dropped %d: %v", size, drop, err)
			}
			if size > 0 && &got[0] != &dirty[0] {
				t.Fatalf("size %d: the buffer given was not used", size)
			}
		}
	}
}

func FuzzCodecRoundtrip(f *testing.F) {
	f.Add([]byte{}, uint8(4), uint8(2), uint64(0), uint8(0))
	f.Add([]byte("a"), uint8(1), uint8(0), uint64(1), uint8(0))
	f.Add(bytes.Repeat([]byte{0}, 4096), uint8(10), uint8(4), uint64(1<<40), uint8(3))
	f.Add([]byte("hello, mefs stripe"), uint8(3), uint8(3), uint64(7), uint8(0b101))
	key := bytes.Repeat([]byte{0x11}, 32)
	f.Fuzz(func(t *testing.T, data []byte, k, m uint8, stripe uint64, dropMask uint8) {
		kk := int(k%16) + 1
		mm := int(m % 8)
		c, err := NewCodec(kk, mm)
		if err != nil {
			t.Fatal(err)
		}
		id := testID(byte(stripe))
		chunks, err := c.Encode(key, id, stripe, data)
		if err != nil {
			t.Fatal(err)
		}
		// Drop up to m chunks chosen by dropMask.
		dropped := 0
		for i := 0; i < 8 && i < len(chunks) && dropped < mm; i++ {
			if dropMask&(1<<i) != 0 {
				chunks[i] = nil
				dropped++
			}
		}
		got, err := c.Decode(key, id, stripe, chunks, len(data))
		if err != nil {
			t.Fatalf("k=%d m=%d len=%d dropped=%d: %v", kk, mm, len(data), dropped, err)
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("k=%d m=%d len=%d: roundtrip mismatch", kk, mm, len(data))
		}
	})
}

// TestSealInPlace: a stripe sealed where its plaintext lies, in a dirty
// buffer sized for a full stripe, codes to the chunks Encode gives; a buffer
// too small is refused.
func TestSealInPlace(t *testing.T) {
	c := mustCodec(t, 4, 2)
	key := testKey(t)
	full := 6 * c.ChunkSize(9000)
	for _, size := range []int{9000, 5000, 17, 1, 0} {
		plain := randBytes(uint64(size)+7, size)
		want, err := c.Encode(key, testID(4), 5, plain)
		if err != nil {
			t.Fatal(err)
		}
		buf := bytes.Repeat([]byte{0xCD}, full)
		copy(buf, plain)
		got, err := c.SealInPlace(buf, key, testID(4), 5, size)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if !bytes.Equal(got[i], want[i]) {
				t.Fatalf("size %d: chunk %d sealed in place differs from Encode's", size, i)
			}
		}
		if size > 0 && bytes.Contains(buf, plain) && size > 16 {
			t.Fatalf("size %d: the plaintext is still in the buffer", size)
		}
	}
	if _, err := c.SealInPlace(make([]byte, 10), key, testID(4), 5, 5000); err == nil {
		t.Fatal("a buffer too small for the stripe was accepted")
	}
}

// TestOpenRange: any range of a stripe's ciphertext (the data chunks laid
// end to end) decrypts alone to the same range of its plaintext, at every
// alignment; another stripe number's keystream does not.
func TestOpenRange(t *testing.T) {
	c := mustCodec(t, 4, 2)
	key := testKey(t)
	plain := randBytes(11, 9000)
	chunks, err := c.Encode(key, testID(6), 3, plain)
	if err != nil {
		t.Fatal(err)
	}
	var ct []byte
	for _, ch := range chunks[:4] {
		ct = append(ct, ch...)
	}
	for _, r := range [][2]int{{0, 1}, {0, 16}, {1, 15}, {15, 2}, {16, 16}, {17, 4000}, {4095, 3}, {8999, 1}, {0, 9000}} {
		b := bytes.Clone(ct[r[0] : r[0]+r[1]])
		if err := OpenRange(key, 3, int64(r[0]), b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, plain[r[0]:r[0]+r[1]]) {
			t.Fatalf("range %d+%d decrypts to other bytes", r[0], r[1])
		}
	}
	b := bytes.Clone(ct[100:200])
	if err := OpenRange(key, 4, 100, b); err != nil || bytes.Equal(b, plain[100:200]) {
		t.Fatalf("another stripe's keystream opened the range (err %v)", err)
	}
	if err := OpenRange(key, 3, -1, b); err == nil {
		t.Fatal("a negative offset was accepted")
	}
}

// TestOpenInPlace: a stripe's data chunks laid end to end open in place to
// its plaintext at every size; a flipped byte, a non-zero padding byte or
// another stripe number is ErrAuth.
func TestOpenInPlace(t *testing.T) {
	c := mustCodec(t, 4, 2)
	key := testKey(t)
	for _, size := range []int{9000, 5000, 17, 1, 0} {
		plain := randBytes(uint64(size)+3, size)
		chunks, err := c.Encode(key, testID(7), 2, plain)
		if err != nil {
			t.Fatal(err)
		}
		data := func() []byte {
			var b []byte
			for _, ch := range chunks[:4] {
				b = append(b, ch...)
			}
			return b
		}
		got, err := c.OpenInPlace(key, testID(7), 2, data(), size)
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("size %d: opened %d bytes, %v", size, len(got), err)
		}
		flipped := data()
		flipped[len(flipped)/3] ^= 1
		if _, err := c.OpenInPlace(key, testID(7), 2, flipped, size); !errors.Is(err, ErrAuth) {
			t.Fatalf("size %d, a byte flipped: %v, want ErrAuth", size, err)
		}
		if pad := len(data()) - size - Overhead; pad > 0 {
			padded := data()
			padded[len(padded)-1] = 1
			if _, err := c.OpenInPlace(key, testID(7), 2, padded, size); !errors.Is(err, ErrAuth) {
				t.Fatalf("size %d, padding not zero: %v, want ErrAuth", size, err)
			}
		}
		if _, err := c.OpenInPlace(key, testID(7), 3, data(), size); !errors.Is(err, ErrAuth) {
			t.Fatalf("size %d, another stripe number: %v, want ErrAuth", size, err)
		}
	}
}
