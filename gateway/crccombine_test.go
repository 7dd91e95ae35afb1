package gateway

import (
	"encoding/base64"
	"hash"
	"hash/crc32"
	"math/rand/v2"
	"testing"

	"github.com/minio/crc64nvme"
)

// TestCRCCombine checks, for every CRC S3 offers as a full-object checksum,
// that combining the CRCs of a random split of random data gives the CRC of
// the whole, as hash/crc32 and crc64nvme compute it.
func TestCRCCombine(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 300_000)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	algs := []struct {
		alg string
		h   func() hash.Hash
	}{
		{"CRC32", func() hash.Hash { return crc32.NewIEEE() }},
		{"CRC32C", func() hash.Hash { return crc32.New(crc32.MakeTable(crc32.Castagnoli)) }},
		{"CRC64NVME", func() hash.Hash { return crc64nvme.New() }},
	}
	sum := func(h hash.Hash, b []byte) string {
		h.Write(b)
		return base64.StdEncoding.EncodeToString(h.Sum(nil))
	}
	splits := [][]int{
		{0},               // one empty part
		{1},               // one byte
		{17, 0, 5},        // an empty part in the middle
		{0, 100},          // an empty first part
		{len(data)},       // one part, the whole
		{65536, 65536, 3}, // power-of-two sizes
	}
	for range 20 { // and random splits of the whole
		var s []int
		for left := len(data); left > 0; {
			n := min(left, rng.IntN(len(data)/3+1))
			s = append(s, n)
			left -= n
		}
		splits = append(splits, s)
	}
	for _, a := range algs {
		for _, split := range splits {
			var parts []map[string]string
			var sizes []int64
			off := 0
			for _, n := range split {
				parts = append(parts, map[string]string{a.alg: sum(a.h(), data[off:off+n])})
				sizes = append(sizes, int64(n))
				off += n
			}
			want := sum(a.h(), data[:off])
			got, ok := FullObjectChecksum(a.alg, parts, sizes)
			if !ok || got != want {
				t.Errorf("%s over parts %v: got %q (ok %v), want %q", a.alg, split, got, ok, want)
			}
		}
	}
}

func TestFullObjectChecksumRefuses(t *testing.T) {
	crc := base64.StdEncoding.EncodeToString([]byte{1, 2, 3, 4})
	for _, c := range []struct {
		what  string
		alg   string
		parts []map[string]string
		sizes []int64
	}{
		{"SHA256 is not a CRC", "SHA256", []map[string]string{{"SHA256": crc}}, []int64{1}},
		{"a part without the algorithm", "CRC32", []map[string]string{{"CRC32": crc}, {}}, []int64{1, 1}},
		{"a CRC32 value as CRC64NVME", "CRC64NVME", []map[string]string{{"CRC64NVME": crc}}, []int64{1}},
		{"sizes and parts of different counts", "CRC32", []map[string]string{{"CRC32": crc}}, nil},
		{"no parts", "CRC32", nil, nil},
	} {
		if got, ok := FullObjectChecksum(c.alg, c.parts, c.sizes); ok {
			t.Errorf("%s: got %q, want a refusal", c.what, got)
		}
	}
}
