package gateway

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestUploadChecksum(t *testing.T) {
	for _, c := range []struct {
		alg, typ         string // request headers
		wantAlg, wantTyp string
		err              error
	}{
		{"", "", "", "", nil},
		{"crc64nvme", "", "CRC64NVME", "FULL_OBJECT", nil},
		{"CRC64NVME", "FULL_OBJECT", "CRC64NVME", "FULL_OBJECT", nil},
		{"CRC64NVME", "COMPOSITE", "", "", ErrInvalidRequest},
		{"CRC32", "", "CRC32", "COMPOSITE", nil},
		{"CRC32", "FULL_OBJECT", "CRC32", "FULL_OBJECT", nil},
		{"CRC32C", "full_object", "CRC32C", "FULL_OBJECT", nil},
		{"CRC32C", "COMPOSITE", "CRC32C", "COMPOSITE", nil},
		{"SHA1", "", "SHA1", "COMPOSITE", nil},
		{"SHA256", "COMPOSITE", "SHA256", "COMPOSITE", nil},
		{"SHA1", "FULL_OBJECT", "", "", ErrInvalidRequest},
		{"SHA256", "FULL_OBJECT", "", "", ErrInvalidRequest},
		{"", "FULL_OBJECT", "", "", ErrInvalidRequest},
		{"", "COMPOSITE", "", "", ErrInvalidRequest},
		{"CRC32", "PARTIAL", "", "", ErrInvalidRequest},
		{"MD5", "", "MD5", "COMPOSITE", nil},
		{"xxhash3", "COMPOSITE", "XXHASH3", "COMPOSITE", nil},
		{"SHA512", "FULL_OBJECT", "", "", ErrInvalidRequest},
		{"XXHASH128", "FULL_OBJECT", "", "", ErrInvalidRequest},
		{"BLAKE3", "", "", "", ErrInvalidRequest},
	} {
		h := http.Header{}
		if c.alg != "" {
			h.Set("x-amz-checksum-algorithm", c.alg)
		}
		if c.typ != "" {
			h.Set("x-amz-checksum-type", c.typ)
		}
		alg, typ, err := uploadChecksum(h)
		if !errors.Is(err, c.err) || alg != c.wantAlg || typ != c.wantTyp {
			t.Errorf("algorithm %q type %q: got %q %q %v, want %q %q %v", c.alg, c.typ, alg, typ, err, c.wantAlg, c.wantTyp, c.err)
		}
	}
}

func TestPartChecksumAlgorithm(t *testing.T) {
	crc := "AAAAAA==" // well-formed CRC32/CRC32C
	sha := strings.Repeat("A", 43) + "="
	for _, c := range []struct {
		header     http.Header
		uploadAlg  string
		wantAlg    string // the checksum computed
		wantErrMsg string // "" for none
	}{
		{http.Header{"X-Amz-Checksum-Sha256": {sha}}, "CRC32", "", "expected checksum Type: crc32, actual checksum Type: sha256"},
		{http.Header{"X-Amz-Checksum-Crc32c": {crc}}, "CRC32", "", "expected checksum Type: crc32, actual checksum Type: crc32c"},
		{http.Header{"X-Amz-Trailer": {"x-amz-checksum-crc32"}}, "CRC64NVME", "", "expected checksum Type: crc64nvme, actual checksum Type: crc32"},
		{http.Header{"X-Amz-Checksum-Crc32": {crc}}, "CRC32", "CRC32", ""},
		{http.Header{}, "CRC32C", "CRC32C", ""},
		{http.Header{"X-Amz-Sdk-Checksum-Algorithm": {"SHA256"}}, "CRC32C", "CRC32C", ""},
		{http.Header{"X-Amz-Checksum-Sha256": {sha}}, "", "SHA256", ""}, // an upload without an algorithm
	} {
		sums, err := requestChecksums(c.header, func() http.Header { return nil }, c.uploadAlg)
		if c.wantErrMsg != "" {
			if !errors.Is(err, ErrInvalidRequest) || !strings.Contains(err.Error(), c.wantErrMsg) {
				t.Errorf("%v on a %s upload: got %v, want InvalidRequest %q", c.header, c.uploadAlg, err, c.wantErrMsg)
			}
			continue
		}
		if err != nil || len(sums) != 1 || sums[0].alg != c.wantAlg {
			t.Errorf("%v on a %s upload: got %v (%d checksums), want one %s", c.header, c.uploadAlg, err, len(sums), c.wantAlg)
		}
	}
}
