package gateway

// Invariants:
//   - A checksum the client declared (header or trailer) is compared with the
//     one computed over the decoded body before the body reports io.EOF; a
//     mismatch is BadDigest and the upload is not stored.
//   - A part of an upload created with a checksum algorithm always gets that
//     algorithm's checksum computed and stored; a part declaring another
//     algorithm is refused (InvalidRequest) before its body is read.
//   - A part of a completed multipart object shows its own checksum, under
//     the object's algorithm and with the object's checksum type, only if
//     the layer kept one for every part (partChecksum); otherwise none.

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"hash"
	"hash/crc32"
	"net/http"
	"strconv"
	"strings"

	"github.com/cespare/xxhash/v2"
	"github.com/minio/crc64nvme"
	"github.com/zeebo/xxh3"
)

// checksumAlgorithms are the additional checksums S3 supports. The hashes
// (MD5 to XXHASH128) can only be COMPOSITE on a multipart object; the CRCs
// can also be FULL_OBJECT (crcPolys).
var checksumAlgorithms = []string{"CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256",
	"MD5", "SHA512", "XXHASH64", "XXHASH3", "XXHASH128"}

// newChecksum returns the hash for an algorithm name, or nil if unknown.
func newChecksum(alg string) hash.Hash {
	switch strings.ToUpper(alg) {
	case "CRC32":
		return crc32.NewIEEE()
	case "CRC32C":
		return crc32.New(crc32.MakeTable(crc32.Castagnoli))
	case "CRC64NVME":
		return crc64nvme.New()
	case "SHA1":
		return sha1.New()
	case "SHA256":
		return sha256.New()
	case "MD5":
		return md5.New()
	case "SHA512":
		return sha512.New()
	case "XXHASH64":
		return xxhash.New()
	case "XXHASH3":
		return xxh3.New()
	case "XXHASH128":
		return xxh3.New128()
	}
	return nil
}

// checksumHeader is the header that carries alg's value.
func checksumHeader(alg string) string { return "x-amz-checksum-" + strings.ToLower(alg) }

// checksum is one checksum computed over a body.
type checksum struct {
	alg  string
	h    hash.Hash
	want func() (string, bool) // the declared value, read at EOF; false: none
}

// requestChecksums works out which checksum a PutObject or UploadPart must
// compute and where its declared value comes from: an x-amz-checksum-*
// header, an x-amz-checksum-* trailer named in X-Amz-Trailer, or only the
// algorithm (x-amz-sdk-checksum-algorithm, or the upload's algorithm), in
// which case it is computed and stored but not checked.
func requestChecksums(h http.Header, trailer func() http.Header, uploadAlg string) ([]*checksum, error) {
	var out []*checksum
	for _, alg := range checksumAlgorithms {
		name := checksumHeader(alg)
		// Present but empty is malformed, not absent.
		if vs := h.Values(name); len(vs) > 0 {
			v := vs[0]
			if err := checkEncoding(alg, v); err != nil {
				return nil, err
			}
			out = append(out, &checksum{alg: alg, h: newChecksum(alg), want: func() (string, bool) { return v, true }})
		}
	}
	for _, t := range strings.Split(h.Get("X-Amz-Trailer"), ",") {
		t = strings.ToLower(strings.TrimSpace(t))
		alg, ok := strings.CutPrefix(t, "x-amz-checksum-")
		if !ok {
			continue
		}
		alg = strings.ToUpper(alg)
		if newChecksum(alg) == nil {
			return nil, ErrInvalidRequest.Errorf("The algorithm of trailer %s is not supported", t)
		}
		out = append(out, &checksum{alg: alg, h: newChecksum(alg), want: func() (string, bool) {
			tr := trailer()
			if tr == nil {
				return "", false
			}
			v := tr[t]
			if len(v) == 0 {
				return "", false
			}
			return v[0], true
		}})
	}
	if len(out) > 1 {
		return nil, ErrInvalidRequest.Errorf("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
	}
	uploadAlg = strings.ToUpper(uploadAlg)
	if len(out) == 1 && uploadAlg != "" && out[0].alg != uploadAlg {
		return nil, ErrInvalidRequest.Errorf("Checksum Type mismatch occurred, expected checksum Type: %s, actual checksum Type: %s",
			strings.ToLower(uploadAlg), strings.ToLower(out[0].alg))
	}
	alg := uploadAlg // an upload's parts carry its algorithm, whatever the SDK says
	if alg == "" {
		alg = h.Get("x-amz-sdk-checksum-algorithm")
	}
	if len(out) == 0 && alg != "" {
		if newChecksum(alg) == nil {
			return nil, ErrInvalidRequest.Errorf("Checksum algorithm %s is not supported", alg)
		}
		out = append(out, &checksum{alg: strings.ToUpper(alg), h: newChecksum(alg), want: computedOnly})
	}
	return out, nil
}

// computedOnly is the want of a checksum that is computed, with nothing
// to check it against.
func computedOnly() (string, bool) { return "", false }

// DefaultChecksum is the algorithm of the checksum S3 gives a new object
// written without one: of the whole object for a PUT, POST or copy, and of
// each part and then (combined) of the whole object for a multipart upload
// created without an algorithm.
const DefaultChecksum = "CRC64NVME"

// withDefaultChecksum is sums, or if it is empty the default checksum,
// computedOnly.
func withDefaultChecksum(sums []*checksum) []*checksum {
	if len(sums) > 0 {
		return sums
	}
	return []*checksum{{alg: DefaultChecksum, h: newChecksum(DefaultChecksum), want: computedOnly}}
}

// checkEncoding checks that v is a well-formed base64 value for alg. A
// malformed value cannot match the body: BadDigest, as S3 answers.
func checkEncoding(alg, v string) error {
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(b) != newChecksum(alg).Size() {
		return ErrBadDigest.Errorf("The %s you specified did not match the calculated checksum.", checksumHeader(alg))
	}
	return nil
}

// verify compares the computed checksum with the declared one, if any.
func (c *checksum) verify() error {
	got := base64.StdEncoding.EncodeToString(c.h.Sum(nil))
	want, ok := c.want()
	if !ok {
		return nil
	}
	if err := checkEncoding(c.alg, want); err != nil {
		return err
	}
	if got != want {
		return ErrBadDigest.Errorf("The %s you specified did not match the calculated checksum.", c.alg)
	}
	return nil
}

// CompositeChecksum returns the S3 composite checksum of parts' checksums of alg:
// the checksum of their concatenated raw values, "-" and the part count.
// ok is false if a part lacks a checksum of alg.
func CompositeChecksum(alg string, parts []map[string]string) (string, bool) {
	h := newChecksum(alg)
	if h == nil {
		return "", false
	}
	for _, p := range parts {
		raw, err := base64.StdEncoding.DecodeString(p[alg])
		if err != nil || len(raw) == 0 {
			return "", false
		}
		h.Write(raw)
	}
	return base64.StdEncoding.EncodeToString(h.Sum(nil)) + "-" + strconv.Itoa(len(parts)), true
}

// checksumType is the x-amz-checksum-type of a stored object checksum: a
// composite one ends in "-<parts>".
func checksumType(v string) string {
	if strings.Contains(v, "-") {
		return "COMPOSITE"
	}
	return "FULL_OBJECT"
}

// listedChecksum is what a listing (ListObjects, ListObjectVersions) says of
// an object's checksums: their algorithms, in S3's order, and their type
// ("" and nil if it has none).
func listedChecksum(sums map[string]string) (algs []string, typ string) {
	for _, alg := range checksumAlgorithms {
		if v, ok := sums[alg]; ok {
			algs, typ = append(algs, alg), checksumType(v)
		}
	}
	return algs, typ
}

// setChecksumHeaders sets x-amz-checksum-* response headers.
func setChecksumHeaders(h http.Header, sums map[string]string) {
	for alg, v := range sums {
		h.Set(checksumHeader(alg), v)
	}
}

// partChecksum returns part n's (1-based) checksum of a multipart object,
// keyed by the object's algorithm, and the object's checksum type, which S3
// reports for a part too. ok is false if the object has no checksum for that
// part: not multipart, no checksum, or completed before part checksums were
// kept.
func partChecksum(info ObjectInfo, n int) (sums map[string]string, typ string, ok bool) {
	if len(info.Checksums) != 1 || len(info.PartChecksums) != len(info.PartSizes) || n < 1 || n > len(info.PartChecksums) ||
		info.PartChecksums[n-1] == "" {
		return nil, "", false
	}
	for alg, v := range info.Checksums {
		sums, typ = map[string]string{alg: info.PartChecksums[n-1]}, checksumType(v)
	}
	return sums, typ, true
}
