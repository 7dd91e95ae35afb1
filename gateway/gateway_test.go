package gateway

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"os"
	"syscall"
	"testing"
	"testing/iotest"
	"time"
)

func TestRangeResolve(t *testing.T) {
	cases := []struct {
		header  string
		size    int64
		off, n  int64
		err     error
		ignored bool
	}{
		{header: "bytes=0-0", size: 10, off: 0, n: 1},
		{header: "bytes=2-5", size: 10, off: 2, n: 4},
		{header: "bytes=2-", size: 10, off: 2, n: 8},
		{header: "bytes=5-100", size: 10, off: 5, n: 5},
		{header: "bytes=-3", size: 10, off: 7, n: 3},
		{header: "bytes=-30", size: 10, off: 0, n: 10},
		{header: "bytes=10-", size: 10, err: ErrInvalidRange},
		{header: "bytes=10-20", size: 10, err: ErrInvalidRange},
		{header: "bytes=0-0", size: 0, err: ErrInvalidRange},
		{header: "bytes=-0", size: 10, err: ErrInvalidRange},
		{header: "bytes=5-2", size: 10, ignored: true},
		{header: "bytes=a-b", size: 10, ignored: true},
		{header: "bytes=0-1,3-4", size: 10, ignored: true},
		{header: "items=0-1", size: 10, ignored: true},
		{header: "", size: 10, ignored: true},
	}
	for _, c := range cases {
		r := ParseRange(c.header)
		if c.ignored {
			if r != nil {
				t.Errorf("%q: parsed as %+v, want ignored", c.header, r)
			}
			continue
		}
		if r == nil {
			t.Errorf("%q: ignored, want parsed", c.header)
			continue
		}
		off, n, err := r.Resolve(c.size)
		if !errors.Is(err, c.err) || (err == nil && (off != c.off || n != c.n)) {
			t.Errorf("%q on %d bytes: got (%d, %d, %v), want (%d, %d, %v)", c.header, c.size, off, n, err, c.off, c.n, c.err)
		}
	}
}

func TestPutReader(t *testing.T) {
	data := []byte("hello, mefs")
	sum := md5.Sum(data)
	read := func(r io.Reader) error { _, err := io.ReadAll(r); return err }

	p := NewPutReader(bytes.NewReader(data), int64(len(data)), sum[:])
	if err := read(p); err != nil {
		t.Fatalf("exact body: %v", err)
	}
	if want := hex.EncodeToString(sum[:]); p.ETag() != want {
		t.Fatalf("ETag %q, want %q", p.ETag(), want)
	}
	if err := read(NewPutReader(bytes.NewReader(data), int64(len(data))+1, nil)); !errors.Is(err, ErrIncompleteBody) {
		t.Fatalf("short body: got %v, want IncompleteBody", err)
	}
	if err := read(NewPutReader(bytes.NewReader(data), int64(len(data))-1, nil)); !errors.Is(err, ErrIncompleteBody) {
		t.Fatalf("long body: got %v, want IncompleteBody", err)
	}
	bad := md5.Sum([]byte("other"))
	if err := read(NewPutReader(bytes.NewReader(data), int64(len(data)), bad[:])); !errors.Is(err, ErrBadDigest) {
		t.Fatalf("wrong Content-MD5: got %v, want BadDigest", err)
	}
	if err := read(NewPutReader(iotest.OneByteReader(bytes.NewReader(data)), int64(len(data)), sum[:])); err != nil {
		t.Fatalf("one byte at a time: %v", err)
	}
}

func TestChecksumHeaderVerified(t *testing.T) {
	data := []byte("checksummed body")
	c := crc32.ChecksumIEEE(data)
	good := base64.StdEncoding.EncodeToString([]byte{byte(c >> 24), byte(c >> 16), byte(c >> 8), byte(c)})
	for _, tc := range []struct {
		value string
		want  error
	}{{good, nil}, {"AAAAAA==", ErrBadDigest}, {"not base64", ErrBadDigest}} {
		h := http.Header{}
		h.Set("x-amz-checksum-crc32", tc.value)
		sums, err := requestChecksums(h, func() http.Header { return nil }, "")
		if err == nil {
			p := NewPutReader(bytes.NewReader(data), int64(len(data)), nil)
			p.sums = sums
			_, err = io.ReadAll(p)
			if err == nil && p.Checksums()["CRC32"] != good {
				t.Fatalf("stored checksum %q, want %q", p.Checksums()["CRC32"], good)
			}
		}
		if !errors.Is(err, tc.want) {
			t.Errorf("checksum %q: got %v, want %v", tc.value, err, tc.want)
		}
	}
	h := http.Header{}
	h.Set("x-amz-checksum-crc32", good)
	h.Set("x-amz-checksum-sha256", base64.StdEncoding.EncodeToString(make([]byte, 32)))
	if _, err := requestChecksums(h, nil, ""); !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("two checksums: got %v, want InvalidRequest", err)
	}
}

func TestCompositeChecksum(t *testing.T) {
	p1 := map[string]string{"CRC32": base64.StdEncoding.EncodeToString([]byte{1, 2, 3, 4})}
	p2 := map[string]string{"CRC32": base64.StdEncoding.EncodeToString([]byte{5, 6, 7, 8})}
	got, ok := CompositeChecksum("CRC32", []map[string]string{p1, p2})
	c := crc32.ChecksumIEEE([]byte{1, 2, 3, 4, 5, 6, 7, 8})
	want := base64.StdEncoding.EncodeToString([]byte{byte(c >> 24), byte(c >> 16), byte(c >> 8), byte(c)}) + "-2"
	if !ok || got != want {
		t.Fatalf("composite = %q, %v; want %q", got, ok, want)
	}
	if _, ok := CompositeChecksum("CRC32", []map[string]string{p1, {}}); ok {
		t.Fatal("composite over a part without a checksum succeeded")
	}
}

func TestConditions(t *testing.T) {
	info := ObjectInfo{ETag: "abc"}
	h := func(k, v string) http.Header { x := http.Header{}; x.Set(k, v); return x }
	if err := checkConditions(h("If-Match", `"abc"`), info); err != nil {
		t.Errorf("If-Match same: %v", err)
	}
	if err := checkConditions(h("If-Match", `"xyz"`), info); !errors.Is(err, ErrPreconditionFailed) {
		t.Errorf("If-Match other: %v", err)
	}
	if err := checkConditions(h("If-None-Match", `"abc"`), info); err != errNotModified {
		t.Errorf("If-None-Match same: %v", err)
	}
	if err := checkConditions(h("If-None-Match", `*`), info); err != errNotModified {
		t.Errorf("If-None-Match *: %v", err)
	}
	if err := (PutOptions{IfNoneMatch: "*"}).CheckPut(info, true); !errors.Is(err, ErrPreconditionFailed) {
		t.Errorf("PUT If-None-Match * on existing: %v", err)
	}
	if err := (PutOptions{IfMatch: `"abc"`}).CheckPut(ObjectInfo{}, false); !errors.Is(err, ErrNoSuchKey) {
		t.Errorf("PUT If-Match on missing: %v", err)
	}
}

func TestStripAWSChunked(t *testing.T) {
	for in, want := range map[string]string{"aws-chunked": "", "aws-chunked,gzip": "gzip", "gzip, aws-chunked": "gzip", "br": "br"} {
		if got := stripAWSChunked(in); got != want {
			t.Errorf("stripAWSChunked(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIfRange(t *testing.T) {
	mod := time.Date(2026, 12, 7, 10, 11, 12, 345, time.UTC)
	info := ObjectInfo{ETag: "abc", ModTime: mod}
	cases := []struct {
		ifRange, rng string
		holds        bool
	}{
		{"", "bytes=0-1", true},
		{`"abc"`, "bytes=0-1", true},
		{`"abd"`, "bytes=0-1", false},
		{`W/"abc"`, "bytes=0-1", false}, // weak validators never match
		{mod.Format(http.TimeFormat), "bytes=0-1", true},
		{mod.Add(time.Second).Format(http.TimeFormat), "bytes=0-1", false},
		{"not a date", "bytes=0-1", false},
		{`"abd"`, "", true}, // no Range: nothing to drop
	}
	for _, c := range cases {
		h := http.Header{}
		if c.ifRange != "" {
			h.Set("If-Range", c.ifRange)
		}
		if c.rng != "" {
			h.Set("Range", c.rng)
		}
		if got := ifRangeHolds(h, info); got != c.holds {
			t.Errorf("If-Range %q, Range %q: holds %v, want %v", c.ifRange, c.rng, got, c.holds)
		}
	}
}

// A body the client's connection reset is the client's doing: 400
// IncompleteBody, not a 500.
func TestPutReaderConnectionReset(t *testing.T) {
	r := io.MultiReader(bytes.NewReader([]byte("part of it")), iotest.ErrReader(&net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}))
	_, err := io.ReadAll(NewPutReader(r, 100, nil))
	if ae := toAPIError(err); ae.Code != "IncompleteBody" || ae.Status != 400 {
		t.Fatalf("reset mid-body: %v, want 400 IncompleteBody", err)
	}
}
