package gateway

// Invariants:
//   - crcCombine(alg, crc(A), crc(B), len(B)) == crc(A||B) for CRC32 (IEEE),
//     CRC32C (Castagnoli) and CRC64NVME: every one of them is reflected, with
//     an all-ones initial value and final XOR, so the conditioning cancels
//     and the combination is crc(A)·x^(8·len(B)) mod P xor crc(B), as in
//     zlib's crc32_combine.
//   - A full-object checksum is computed from the parts' stored CRCs and
//     sizes only; the parts' data is never read again.

import (
	"encoding/base64"
	"encoding/binary"
	"strings"
)

// crcPoly is a reflected CRC of width 32 or 64: x^0 is the top bit
// (1<<(width-1)) and poly is the reflected polynomial without x^width.
type crcPoly struct {
	width int
	poly  uint64
	// x2n[k] is x^(2^k) mod P, k = 0..66: enough for lengths up to 2^63
	// bytes, that is 2^66 bits.
	x2n [67]uint64
}

func newCRCPoly(width int, poly uint64) *crcPoly {
	p := &crcPoly{width: width, poly: poly}
	x := uint64(1) << (width - 2) // x^1
	for k := range p.x2n {
		p.x2n[k] = x
		x = p.mulmod(x, x)
	}
	return p
}

var crcPolys = map[string]*crcPoly{
	"CRC32":     newCRCPoly(32, 0xedb88320),
	"CRC32C":    newCRCPoly(32, 0x82f63b78),
	"CRC64NVME": newCRCPoly(64, 0x9a6c9329ac4bc9b5),
}

// mulmod is a·b mod P (zlib's multmodp, for either width).
func (p *crcPoly) mulmod(a, b uint64) uint64 {
	if a == 0 {
		return 0
	}
	var r uint64
	for m := uint64(1) << (p.width - 1); ; m >>= 1 {
		if a&m != 0 {
			r ^= b
			if a&(m-1) == 0 {
				return r
			}
		}
		if b&1 != 0 {
			b = b>>1 ^ p.poly
		} else {
			b >>= 1
		}
	}
}

// xpow8 is x^(8·n) mod P: the shift that appending n bytes applies to a CRC
// (zlib's x2nmodp(n, 3)).
func (p *crcPoly) xpow8(n uint64) uint64 {
	r := uint64(1) << (p.width - 1) // x^0
	for k := 3; n != 0; n, k = n>>1, k+1 {
		if n&1 != 0 {
			r = p.mulmod(p.x2n[k], r)
		}
	}
	return r
}

// combine is the CRC of A||B from crc1 = crc(A), crc2 = crc(B) and len2 = len(B).
func (p *crcPoly) combine(crc1, crc2, len2 uint64) uint64 {
	return p.mulmod(p.xpow8(len2), crc1) ^ crc2
}

// canFullObject reports whether alg's multipart checksum can be a
// full-object one (a CRC whose parts' values combine).
func canFullObject(alg string) bool { return crcPolys[strings.ToUpper(alg)] != nil }

// FullObjectChecksum returns the S3 full-object checksum of a multipart
// object: the CRC of alg over the whole object, base64 as S3 sends it, with
// no part count, computed from each part's stored CRC (parts[i][alg]) and
// size (sizes[i]). ok is false if alg is not a CRC or a part lacks a
// well-formed value of alg.
func FullObjectChecksum(alg string, parts []map[string]string, sizes []int64) (string, bool) {
	p := crcPolys[strings.ToUpper(alg)]
	if p == nil || len(parts) != len(sizes) || len(parts) == 0 {
		return "", false
	}
	n := p.width / 8
	var crc uint64
	for i, part := range parts {
		raw, err := base64.StdEncoding.DecodeString(part[alg])
		if err != nil || len(raw) != n || sizes[i] < 0 {
			return "", false
		}
		var c uint64
		if n == 4 {
			c = uint64(binary.BigEndian.Uint32(raw))
		} else {
			c = binary.BigEndian.Uint64(raw)
		}
		if i == 0 {
			crc = c
		} else {
			crc = p.combine(crc, c, uint64(sizes[i]))
		}
	}
	out := make([]byte, 8)
	binary.BigEndian.PutUint64(out, crc)
	return base64.StdEncoding.EncodeToString(out[8-n:]), true
}
