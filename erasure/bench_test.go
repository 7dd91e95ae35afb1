// Benchmarks for the hot paths; b.SetBytes reports plaintext (or chunk)
// throughput in MB/s.
package erasure

import "testing"

const benchStripe = 4 << 20

func benchSetup(b *testing.B) (*Codec, []byte, []byte, [][]byte) {
	b.Helper()
	c := mustCodec(b, 4, 2)
	key := testKey(b)
	plain := randBytes(42, benchStripe)
	chunks, err := c.Encode(key, testID(1), 0, plain)
	if err != nil {
		b.Fatal(err)
	}
	return c, key, plain, chunks
}

func BenchmarkEncode(b *testing.B) {
	c, key, plain, _ := benchSetup(b)
	b.SetBytes(int64(len(plain)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Encode(key, testID(1), 0, plain); err != nil {
			b.Fatal(err)
		}
	}
}

func benchDecode(b *testing.B, drop ...int) {
	c, key, plain, chunks := benchSetup(b)
	for _, d := range drop {
		chunks[d] = nil
	}
	b.SetBytes(int64(len(plain)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Decode(key, testID(1), 0, chunks, len(plain)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode(b *testing.B) { benchDecode(b) }

func BenchmarkDecodeDegraded(b *testing.B) { benchDecode(b, 0, 2) }

func BenchmarkCommit(b *testing.B) {
	chunk := randBytes(43, 1<<20)
	b.SetBytes(int64(len(chunk)))
	b.ReportAllocs()
	for b.Loop() {
		Commit(chunk)
	}
}
