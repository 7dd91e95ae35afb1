package gateway

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"testing"
)

// TestChecksumAlgorithms checks every algorithm against a published test
// vector, and that a declared value is checked whether it comes in a header
// or a trailer.
func TestChecksumAlgorithms(t *testing.T) {
	vectors := map[string]struct{ in, hex string }{
		"CRC32":     {"123456789", "cbf43926"},
		"CRC32C":    {"123456789", "e3069283"},
		"CRC64NVME": {"123456789", "ae8b14860a799888"},
		"SHA1":      {"abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
		"SHA256":    {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		"MD5":       {"abc", "900150983cd24fb0d6963f7d28e17f72"},
		"SHA512": {"abc", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a" +
			"2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
		"XXHASH64":  {"", "ef46db3751d8e999"},
		"XXHASH3":   {"", "2d06800538d394c2"},
		"XXHASH128": {"", "99aa06d3014798d86001c324468d497f"},
	}
	if len(vectors) != len(checksumAlgorithms) {
		t.Fatalf("%d vectors for %d algorithms", len(vectors), len(checksumAlgorithms))
	}
	for _, alg := range checksumAlgorithms {
		v, ok := vectors[alg]
		if !ok {
			t.Fatalf("no test vector for %s", alg)
		}
		h := newChecksum(alg)
		h.Write([]byte(v.in))
		if got := hex.EncodeToString(h.Sum(nil)); got != v.hex {
			t.Errorf("%s(%q) = %s, want %s", alg, v.in, got, v.hex)
		}
		raw, _ := hex.DecodeString(v.hex)
		right := base64.StdEncoding.EncodeToString(raw)
		wrong := base64.StdEncoding.EncodeToString(make([]byte, len(raw)))
		for _, declared := range []struct {
			header  http.Header
			trailer http.Header
		}{
			{header: http.Header{http.CanonicalHeaderKey(checksumHeader(alg)): {right}}},
			{header: http.Header{"X-Amz-Trailer": {checksumHeader(alg)}}, trailer: http.Header{checksumHeader(alg): {right}}},
		} {
			for _, value := range []string{right, wrong} {
				hd := declared.header.Clone()
				tr := declared.trailer.Clone()
				if tr != nil {
					tr[checksumHeader(alg)] = []string{value}
				} else {
					hd.Set(checksumHeader(alg), value)
				}
				sums, err := requestChecksums(hd, func() http.Header { return tr }, "")
				if err != nil || len(sums) != 1 || sums[0].alg != alg {
					t.Fatalf("%s: %v declared: %v (%d checksums)", alg, hd, err, len(sums))
				}
				sums[0].h.Write([]byte(v.in))
				err = sums[0].verify()
				if value == right && err != nil {
					t.Errorf("%s: the right value %v refused: %v", alg, hd, err)
				}
				if value == wrong && !errors.Is(err, ErrBadDigest) {
					t.Errorf("%s: a wrong value %v: %v, want BadDigest", alg, hd, err)
				}
			}
		}
	}
}

// TestChecksumXMLValues checks that every algorithm has its XML element,
// both ways.
func TestChecksumXMLValues(t *testing.T) {
	sums := map[string]string{}
	for i, alg := range checksumAlgorithms {
		sums[alg] = string(rune('a' + i))
	}
	got := checksumElements(sums).values()
	if len(got) != len(sums) {
		t.Fatalf("round trip of %v: %v", sums, got)
	}
	for alg, v := range sums {
		if got[alg] != v {
			t.Errorf("%s: %q after the round trip, want %q", alg, got[alg], v)
		}
	}
	if v := (checksumXML{}).values(); v != nil {
		t.Errorf("no checksums: %v, want nil", v)
	}
}
