//lint:file-ignore SA1019 feature/s3/manager (deprecated for transfermanager) is what most Go programs still upload and download with, so it is tested.

package test

// S3 compatibility with aws-sdk-go-v2 at its default settings, over HTTP and
// HTTPS: additional checksums (header and aws-chunked trailer), multipart
// uploads, the s3/manager transfer helpers and virtual-hosted-style
// addressing.

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/minio/crc64nvme"
)

// scRecorder is an HTTP client that remembers the headers of the requests
// it sends, by method and path.
type scRecorder struct {
	hc   aws.HTTPClient
	mu   sync.Mutex
	last map[string]*http.Request
}

func newSCRecorder(hc aws.HTTPClient) *scRecorder {
	if hc == nil {
		hc = awshttp.NewBuildableClient()
	}
	return &scRecorder{hc: hc, last: map[string]*http.Request{}}
}

func (r *scRecorder) Do(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.last[req.Method+" "+req.URL.Path] = &http.Request{Method: req.Method, URL: req.URL, Host: req.Host,
		Header: req.Header.Clone(), ContentLength: req.ContentLength}
	r.mu.Unlock()
	return r.hc.Do(req)
}

// request returns the last request sent with method to path.
func (r *scRecorder) request(t testing.TB, method, path string) *http.Request {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	req := r.last[method+" "+path]
	if req == nil {
		t.Fatalf("no %s %s request was sent", method, path)
	}
	return req
}

// scChecksum computes an S3 additional checksum, base64 as S3 sends it.
func scChecksum(alg types.ChecksumAlgorithm, data []byte) string {
	var h hash.Hash
	switch alg {
	case types.ChecksumAlgorithmCrc32:
		h = crc32.NewIEEE()
	case types.ChecksumAlgorithmCrc32c:
		h = crc32.New(crc32.MakeTable(crc32.Castagnoli))
	case types.ChecksumAlgorithmCrc64nvme:
		h = crc64nvme.New()
	case types.ChecksumAlgorithmSha1:
		h = sha1.New()
	case types.ChecksumAlgorithmSha256:
		h = sha256.New()
	default:
		panic("unknown checksum algorithm " + string(alg))
	}
	h.Write(data)
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// scChecksumOf returns the checksum of alg from an SDK output's fields.
func scChecksumOf(alg types.ChecksumAlgorithm, crc32, crc32c, crc64, sha1, sha256 *string) string {
	switch alg {
	case types.ChecksumAlgorithmCrc32:
		return aws.ToString(crc32)
	case types.ChecksumAlgorithmCrc32c:
		return aws.ToString(crc32c)
	case types.ChecksumAlgorithmCrc64nvme:
		return aws.ToString(crc64)
	case types.ChecksumAlgorithmSha1:
		return aws.ToString(sha1)
	case types.ChecksumAlgorithmSha256:
		return aws.ToString(sha256)
	}
	return ""
}

func scMD5Hex(b []byte) string {
	s := md5.Sum(b)
	return hex.EncodeToString(s[:])
}

// scTransport is one way of reaching a devnet: plain HTTP or HTTPS.
type scTransport struct {
	name     string
	d        *devnet
	rec      *scRecorder
	c        *s3.Client
	httpc    *http.Client // plain net/http client for the same endpoint
	tlsConf  *tls.Config
	chunked  bool // the SDK streams PutObject bodies aws-chunked with a checksum trailer
	endpoint string
}

func scStartHTTP(t *testing.T, flags ...string) *scTransport {
	d := scDevnet(t, flags...)
	rec := newSCRecorder(nil)
	return &scTransport{name: "http", d: d, rec: rec, c: scClient(t, d.Endpoint, d.AccessKey, d.SecretKey, rec),
		httpc: &http.Client{}, endpoint: d.Endpoint}
}

func scStartHTTPS(t *testing.T, flags ...string) *scTransport {
	dir := t.TempDir()
	cert, key, conf := scTLS(t, dir)
	d := startDevnet(t, dir, append([]string{"--chunk-size", "256KiB", "--tls-cert", cert, "--tls-key", key}, flags...)...)
	if !strings.HasPrefix(d.Endpoint, "https://") {
		t.Fatalf("devnet with --tls-cert reports endpoint %s, want https://", d.Endpoint)
	}
	hc := awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) { tr.TLSClientConfig = conf.Clone() })
	rec := newSCRecorder(hc)
	return &scTransport{name: "https", d: d, rec: rec, c: scClient(t, d.Endpoint, d.AccessKey, d.SecretKey, rec),
		httpc: &http.Client{Transport: &http.Transport{TLSClientConfig: conf.Clone()}}, tlsConf: conf,
		chunked: true, endpoint: d.Endpoint}
}

var scAlgorithms = []types.ChecksumAlgorithm{types.ChecksumAlgorithmCrc32, types.ChecksumAlgorithmCrc32c,
	types.ChecksumAlgorithmCrc64nvme, types.ChecksumAlgorithmSha1, types.ChecksumAlgorithmSha256}

// TestS3CompatSDK drives a devnet with aws-sdk-go-v2 at its default settings
// over HTTP and over HTTPS, where PutObject and UploadPart stream their
// bodies aws-chunked (STREAMING-UNSIGNED-PAYLOAD-TRAILER) with the checksum
// in a trailer.
func TestS3CompatSDK(t *testing.T) {
	for _, mk := range []func(*testing.T, ...string) *scTransport{scStartHTTP, scStartHTTPS} {
		tr := mk(t)
		t.Run(tr.name, func(t *testing.T) {
			mustCreateBucket(t, tr.c, "sdk")
			t.Run("DefaultChecksum", func(t *testing.T) { scDefaultChecksum(t, tr) })
			t.Run("ChecksumAlgorithms", func(t *testing.T) { scChecksumAlgorithms(t, tr) })
			t.Run("ContentEncoding", func(t *testing.T) { scContentEncoding(t, tr) })
			t.Run("WrongChecksum", func(t *testing.T) { scWrongChecksum(t, tr) })
			t.Run("RawTrailer", func(t *testing.T) { scRawTrailer(t, tr) })
			t.Run("Multipart", func(t *testing.T) { scMultipart(t, tr) })
			t.Run("FullObjectChecksum", func(t *testing.T) { scFullObjectChecksum(t, tr) })
			t.Run("DefaultMultipartChecksum", func(t *testing.T) { scDefaultMultipartChecksum(t, tr) })
		})
	}
}

// scDefaultChecksum: a PutObject with no checksum settings gets the SDK's
// default CRC32, which the gateway stores and returns, and the stored object
// is the payload byte for byte (no aws-chunked framing).
func scDefaultChecksum(t *testing.T, tr *scTransport) {
	ctx := context.Background()
	for _, size := range []int{0, 1, 1<<20 + 12345} {
		data := randBytes(size)
		key := fmt.Sprintf("default/%d", size)
		put := scPut(t, tr.c, "sdk", key, data)
		req := tr.rec.request(t, "PUT", "/sdk/"+key)
		want := scChecksum(types.ChecksumAlgorithmCrc32, data)
		if tr.chunked && size > 0 { // the SDK sends an empty body UNSIGNED-PAYLOAD
			if got := req.Header.Get("X-Amz-Content-Sha256"); got != "STREAMING-UNSIGNED-PAYLOAD-TRAILER" {
				t.Fatalf("size %d: the SDK sent x-amz-content-sha256 %q over HTTPS, want STREAMING-UNSIGNED-PAYLOAD-TRAILER", size, got)
			}
			if got := req.Header.Get("X-Amz-Trailer"); got != "x-amz-checksum-crc32" {
				t.Fatalf("size %d: X-Amz-Trailer %q, want x-amz-checksum-crc32", size, got)
			}
			if got := req.Header.Get("X-Amz-Decoded-Content-Length"); got != strconv.Itoa(size) {
				t.Fatalf("size %d: X-Amz-Decoded-Content-Length %q", size, got)
			}
		} else if got := req.Header.Get("X-Amz-Checksum-Crc32"); got != want {
			t.Fatalf("size %d: the SDK sent x-amz-checksum-crc32 %q over HTTP, want %q", size, got, want)
		}
		if got := aws.ToString(put.ChecksumCRC32); got != want {
			t.Fatalf("size %d: PutObject returned ChecksumCRC32 %q, want %q", size, got, want)
		}
		if got := aws.ToString(put.ETag); got != `"`+scMD5Hex(data)+`"` {
			t.Fatalf("size %d: ETag %s, want the MD5 of the payload %q", size, got, scMD5Hex(data))
		}
		got, out := scGet(t, tr.c, &s3.GetObjectInput{Bucket: aws.String("sdk"), Key: aws.String(key),
			ChecksumMode: types.ChecksumModeEnabled})
		scSameBytes(t, fmt.Sprintf("get %s", key), got, data)
		if aws.ToInt64(out.ContentLength) != int64(size) {
			t.Fatalf("size %d: Content-Length %d", size, aws.ToInt64(out.ContentLength))
		}
		if c := aws.ToString(out.ChecksumCRC32); c != want {
			t.Fatalf("size %d: GetObject with checksum mode returned ChecksumCRC32 %q, want %q", size, c, want)
		}
		if out.ChecksumType != types.ChecksumTypeFullObject {
			t.Fatalf("size %d: checksum type %q, want FULL_OBJECT", size, out.ChecksumType)
		}
		head, err := tr.c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("sdk"), Key: aws.String(key)})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToInt64(head.ContentLength) != int64(size) || head.ChecksumCRC32 != nil {
			t.Fatalf("size %d: HEAD without checksum mode: length %d, checksum %v (want none)", size,
				aws.ToInt64(head.ContentLength), aws.ToString(head.ChecksumCRC32))
		}
		// The aws-chunked Content-Encoding describes the request, not the object.
		if ce := aws.ToString(head.ContentEncoding); ce != "" {
			t.Fatalf("size %d: stored Content-Encoding %q, want none", size, ce)
		}
	}
}

// scContentEncoding: a stored Content-Encoding survives the aws-chunked one
// the SDK adds over HTTPS.
func scContentEncoding(t *testing.T, tr *scTransport) {
	data := randBytes(5000)
	if _, err := tr.c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("sdk"), Key: aws.String("enc/gz"),
		Body: bytes.NewReader(data), ContentEncoding: aws.String("gzip")}); err != nil {
		t.Fatal(err)
	}
	sent := tr.rec.request(t, "PUT", "/sdk/enc/gz").Header.Values("Content-Encoding")
	got, out := scGet(t, tr.c, &s3.GetObjectInput{Bucket: aws.String("sdk"), Key: aws.String("enc/gz")})
	scSameBytes(t, "gzip-labelled object", got, data)
	if aws.ToString(out.ContentEncoding) != "gzip" {
		t.Fatalf("stored Content-Encoding %q, want gzip (request sent %q)", aws.ToString(out.ContentEncoding), sent)
	}
}

// scChecksumAlgorithms: every additional checksum algorithm on PutObject.
func scChecksumAlgorithms(t *testing.T, tr *scTransport) {
	ctx := context.Background()
	data := randBytes(1<<20 + 777) // more than one stripe at 256 KiB chunks
	for _, alg := range scAlgorithms {
		key := "alg/" + string(alg)
		want := scChecksum(alg, data)
		put, err := tr.c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sdk"), Key: aws.String(key),
			Body: bytes.NewReader(data), ChecksumAlgorithm: alg})
		if err != nil {
			t.Fatalf("%s: put: %v", alg, err)
		}
		req := tr.rec.request(t, "PUT", "/sdk/"+key)
		hdr := "x-amz-checksum-" + strings.ToLower(string(alg))
		if tr.chunked {
			if got := req.Header.Get("X-Amz-Trailer"); got != hdr {
				t.Fatalf("%s: X-Amz-Trailer %q, want %q", alg, got, hdr)
			}
		} else if got := req.Header.Get(hdr); got != want {
			t.Fatalf("%s: request header %s %q, want %q", alg, hdr, got, want)
		}
		if got := scChecksumOf(alg, put.ChecksumCRC32, put.ChecksumCRC32C, put.ChecksumCRC64NVME, put.ChecksumSHA1, put.ChecksumSHA256); got != want {
			t.Fatalf("%s: PutObject returned checksum %q, want %q", alg, got, want)
		}
		got, out := scGet(t, tr.c, &s3.GetObjectInput{Bucket: aws.String("sdk"), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled})
		scSameBytes(t, string(alg)+" get", got, data)
		if c := scChecksumOf(alg, out.ChecksumCRC32, out.ChecksumCRC32C, out.ChecksumCRC64NVME, out.ChecksumSHA1, out.ChecksumSHA256); c != want {
			t.Fatalf("%s: GetObject checksum %q, want %q", alg, c, want)
		}
		head, err := tr.c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("sdk"), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled})
		if err != nil {
			t.Fatal(err)
		}
		if c := scChecksumOf(alg, head.ChecksumCRC32, head.ChecksumCRC32C, head.ChecksumCRC64NVME, head.ChecksumSHA1, head.ChecksumSHA256); c != want {
			t.Fatalf("%s: HeadObject checksum %q, want %q", alg, c, want)
		}
		if alg != types.ChecksumAlgorithmCrc32 && head.ChecksumCRC32 != nil {
			t.Fatalf("%s: HeadObject also reports a CRC32 %q", alg, aws.ToString(head.ChecksumCRC32))
		}
		// A ranged GET reads part of the object: no whole-object checksum.
		_, rout := scGet(t, tr.c, &s3.GetObjectInput{Bucket: aws.String("sdk"), Key: aws.String(key),
			Range: aws.String("bytes=10-99"), ChecksumMode: types.ChecksumModeEnabled})
		if c := scChecksumOf(alg, rout.ChecksumCRC32, rout.ChecksumCRC32C, rout.ChecksumCRC64NVME, rout.ChecksumSHA1, rout.ChecksumSHA256); c != "" {
			t.Fatalf("%s: ranged GET returned the whole-object checksum %q", alg, c)
		}
		attrs, err := tr.c.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: aws.String("sdk"), Key: aws.String(key),
			ObjectAttributes: []types.ObjectAttributes{types.ObjectAttributesChecksum, types.ObjectAttributesObjectSize}})
		if err != nil {
			t.Fatalf("%s: GetObjectAttributes: %v", alg, err)
		}
		if attrs.Checksum == nil || aws.ToInt64(attrs.ObjectSize) != int64(len(data)) {
			t.Fatalf("%s: GetObjectAttributes: checksum %+v size %d", alg, attrs.Checksum, aws.ToInt64(attrs.ObjectSize))
		}
		if c := scChecksumOf(alg, attrs.Checksum.ChecksumCRC32, attrs.Checksum.ChecksumCRC32C, attrs.Checksum.ChecksumCRC64NVME,
			attrs.Checksum.ChecksumSHA1, attrs.Checksum.ChecksumSHA256); c != want || attrs.Checksum.ChecksumType != types.ChecksumTypeFullObject {
			t.Fatalf("%s: GetObjectAttributes checksum %q type %q, want %q FULL_OBJECT", alg, c, attrs.Checksum.ChecksumType, want)
		}
	}
}

// scWrongChecksum: a declared checksum or Content-MD5 that does not match
// the payload is BadDigest, and nothing is stored.
func scWrongChecksum(t *testing.T, tr *scTransport) {
	ctx := context.Background()
	data := randBytes(300 << 10)
	other := randBytes(16)
	for _, alg := range scAlgorithms {
		key := "wrong/" + string(alg)
		in := &s3.PutObjectInput{Bucket: aws.String("sdk"), Key: aws.String(key), Body: bytes.NewReader(data)}
		bad := aws.String(scChecksum(alg, other)) // well formed, wrong
		switch alg {
		case types.ChecksumAlgorithmCrc32:
			in.ChecksumCRC32 = bad
		case types.ChecksumAlgorithmCrc32c:
			in.ChecksumCRC32C = bad
		case types.ChecksumAlgorithmCrc64nvme:
			in.ChecksumCRC64NVME = bad
		case types.ChecksumAlgorithmSha1:
			in.ChecksumSHA1 = bad
		case types.ChecksumAlgorithmSha256:
			in.ChecksumSHA256 = bad
		}
		_, err := tr.c.PutObject(ctx, in)
		scWantErr(t, string(alg)+" put with a wrong checksum", err, "BadDigest", 400)
		if scExists(t, tr.c, "sdk", key) {
			t.Fatalf("%s: the object with a wrong checksum was stored", alg)
		}
	}
	// Not base64 of the right length: rejected before the body is read.
	_, err := tr.c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sdk"), Key: aws.String("wrong/malformed"),
		Body: bytes.NewReader(data), ChecksumSHA256: aws.String("bm90IGEgc2hhMjU2")})
	scWantErr(t, "put with a malformed checksum", err, "BadDigest", 400)
	// Wrong Content-MD5.
	sum := md5.Sum(other)
	_, err = tr.c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sdk"), Key: aws.String("wrong/md5"),
		Body: bytes.NewReader(data), ContentMD5: aws.String(base64.StdEncoding.EncodeToString(sum[:]))})
	scWantErr(t, "put with a wrong Content-MD5", err, "BadDigest", 400)
	if scExists(t, tr.c, "sdk", "wrong/md5") {
		t.Fatal("the object with a wrong Content-MD5 was stored")
	}
	// A matching Content-MD5 is accepted alongside the SDK's checksum.
	sum = md5.Sum(data)
	if _, err := tr.c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sdk"), Key: aws.String("wrong/md5ok"),
		Body: bytes.NewReader(data), ContentMD5: aws.String(base64.StdEncoding.EncodeToString(sum[:]))}); err != nil {
		t.Fatalf("put with the right Content-MD5: %v", err)
	}
}

// scRawTrailer sends hand-built STREAMING-UNSIGNED-PAYLOAD-TRAILER requests
// (signed with the SDK's signer): the right trailer stores the payload
// exactly, a wrong one is BadDigest and stores nothing.
func scRawTrailer(t *testing.T, tr *scTransport) {
	data := randBytes(200<<10 + 3)
	send := func(key, trailerValue string) (int, []byte) {
		var body bytes.Buffer
		// Two chunks, then the final zero-length chunk and the trailer.
		fmt.Fprintf(&body, "%x\r\n", 64<<10)
		body.Write(data[:64<<10])
		fmt.Fprintf(&body, "\r\n%x\r\n", len(data)-64<<10)
		body.Write(data[64<<10:])
		fmt.Fprintf(&body, "\r\n0\r\nx-amz-checksum-crc32:%s\r\n\r\n", trailerValue)
		req, err := http.NewRequest(http.MethodPut, tr.endpoint+"/sdk/"+key, bytes.NewReader(body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Encoding", "aws-chunked")
		req.Header.Set("X-Amz-Decoded-Content-Length", strconv.Itoa(len(data)))
		req.Header.Set("X-Amz-Trailer", "x-amz-checksum-crc32")
		req.Header.Set("X-Amz-Content-Sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
		req.Header.Set("Content-Type", "application/x-raw")
		creds := aws.Credentials{AccessKeyID: tr.d.AccessKey, SecretAccessKey: tr.d.SecretKey}
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "s3", "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
		status, _, b := scHTTPDo(t, tr.httpc, req)
		return status, b
	}
	if status, b := send("raw/good", scChecksum(types.ChecksumAlgorithmCrc32, data)); status != 200 {
		t.Fatalf("aws-chunked PUT with the right trailer: %d %s", status, b)
	}
	got, out := scGet(t, tr.c, &s3.GetObjectInput{Bucket: aws.String("sdk"), Key: aws.String("raw/good"), ChecksumMode: types.ChecksumModeEnabled})
	scSameBytes(t, "aws-chunked object", got, data)
	if aws.ToString(out.ChecksumCRC32) != scChecksum(types.ChecksumAlgorithmCrc32, data) || aws.ToString(out.ContentType) != "application/x-raw" ||
		aws.ToString(out.ContentEncoding) != "" {
		t.Fatalf("aws-chunked object: checksum %q type %q encoding %q", aws.ToString(out.ChecksumCRC32), aws.ToString(out.ContentType),
			aws.ToString(out.ContentEncoding))
	}
	status, b := send("raw/bad", scChecksum(types.ChecksumAlgorithmCrc32, data[1:]))
	if status != 400 || scErrorCode(b) != "BadDigest" {
		t.Fatalf("aws-chunked PUT with a wrong trailer: %d %s, want 400 BadDigest", status, b)
	}
	if scExists(t, tr.c, "sdk", "raw/bad") {
		t.Fatal("the object with a wrong trailer checksum was stored")
	}
}

// TestS3CompatSDKManager uploads and downloads through feature/s3/manager:
// a 23 MiB object in 5 MiB parts, three at a time.
func TestS3CompatSDKManager(t *testing.T) {
	d := scDevnet(t)
	c := d.client(t)
	ctx := context.Background()
	mustCreateBucket(t, c, "manager")
	data := randBytes(23 << 20)
	up := manager.NewUploader(c, func(u *manager.Uploader) { u.PartSize = 5 << 20; u.Concurrency = 3 })
	out, err := up.Upload(ctx, &s3.PutObjectInput{Bucket: aws.String("manager"), Key: aws.String("big"), Body: bytes.NewReader(data),
		ContentType: aws.String("application/x-big")})
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	if out.UploadID == "" || len(out.CompletedParts) != 5 {
		t.Fatalf("upload: id %q, %d parts; want a 5-part multipart upload", out.UploadID, len(out.CompletedParts))
	}
	sizes := []int{5 << 20, 5 << 20, 5 << 20, 5 << 20, 3 << 20}
	if want := scMultipartETag(data, sizes); aws.ToString(out.ETag) != want {
		t.Fatalf("upload ETag %s, want %s", aws.ToString(out.ETag), want)
	}
	dl := manager.NewDownloader(c, func(d *manager.Downloader) { d.PartSize = 5 << 20; d.Concurrency = 3 })
	buf := manager.NewWriteAtBuffer(make([]byte, 0, len(data)))
	n, err := dl.Download(ctx, buf, &s3.GetObjectInput{Bucket: aws.String("manager"), Key: aws.String("big")})
	if err != nil {
		t.Fatalf("download: %v", err)
	}
	if n != int64(len(data)) {
		t.Fatalf("downloaded %d bytes, want %d", n, len(data))
	}
	scSameBytes(t, "downloaded object", buf.Bytes(), data)
	for _, r := range [][2]int{{5<<20 - 10, 5<<20 + 9}, {3 << 20, 13<<20 + 5}, {len(data) - 1, len(data) - 1}} {
		got := getBytes(t, c, "manager", "big", fmt.Sprintf("bytes=%d-%d", r[0], r[1]))
		scSameBytes(t, fmt.Sprintf("range %v across parts", r), got, data[r[0]:r[1]+1])
	}

	// An unseekable body of 7 MiB: the uploader buffers two parts.
	small := data[:7<<20]
	out, err = up.Upload(ctx, &s3.PutObjectInput{Bucket: aws.String("manager"), Key: aws.String("stream"), Body: struct{ io.Reader }{bytes.NewReader(small)}})
	if err != nil {
		t.Fatalf("streamed upload: %v", err)
	}
	if want := scMultipartETag(small, []int{5 << 20, 2 << 20}); aws.ToString(out.ETag) != want {
		t.Fatalf("streamed upload ETag %s, want %s", aws.ToString(out.ETag), want)
	}
	got, _ := scGet(t, c, &s3.GetObjectInput{Bucket: aws.String("manager"), Key: aws.String("stream")})
	scSameBytes(t, "streamed upload", got, small)
	// Under one part: a plain PutObject.
	out, err = up.Upload(ctx, &s3.PutObjectInput{Bucket: aws.String("manager"), Key: aws.String("tiny"), Body: bytes.NewReader(data[:1000])})
	if err != nil {
		t.Fatal(err)
	}
	if out.UploadID != "" || aws.ToString(out.ETag) != `"`+scMD5Hex(data[:1000])+`"` {
		t.Fatalf("small upload: id %q etag %s", out.UploadID, aws.ToString(out.ETag))
	}
}

// TestS3CompatVirtualHosted addresses buckets as <bucket>.s3.test with
// --domain s3.test, every *.s3.test name dialled at the devnet.
func TestS3CompatVirtualHosted(t *testing.T) {
	d := scDevnet(t, "--domain", "s3.test")
	u, err := url.Parse(d.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(u.Host)
	target := u.Host
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		if host != "s3.test" && !strings.HasSuffix(host, ".s3.test") {
			return nil, fmt.Errorf("unexpected dial to %s", addr)
		}
		var dl net.Dialer
		return dl.DialContext(ctx, network, target)
	}
	hc := awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		tr.Proxy = nil
		tr.DialContext = dial
	})
	rec := newSCRecorder(hc)
	endpoint := "http://s3.test:" + port
	c := scClient(t, endpoint, d.AccessKey, d.SecretKey, rec, func(o *s3.Options) { o.UsePathStyle = false })
	ctx := context.Background()

	mustCreateBucket(t, c, "vhost")
	if req := rec.request(t, "PUT", "/"); req.URL.Host != "vhost.s3.test:"+port {
		t.Fatalf("CreateBucket went to host %q, want vhost.s3.test:%s", req.URL.Host, port)
	}
	if _, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("vhost")}); err != nil {
		t.Fatal(err)
	}
	data := randBytes(600 << 10)
	key := "dir/a b+c%d.txt"
	scPut(t, c, "vhost", key, data)
	if req := rec.request(t, "PUT", "/"+key); req.URL.Host != "vhost.s3.test:"+port {
		t.Fatalf("PutObject went to host %q", req.URL.Host)
	}
	got, _ := scGet(t, c, &s3.GetObjectInput{Bucket: aws.String("vhost"), Key: aws.String(key)})
	scSameBytes(t, "virtual-hosted get", got, data)
	got, _ = scGet(t, c, &s3.GetObjectInput{Bucket: aws.String("vhost"), Key: aws.String(key), Range: aws.String("bytes=1000-1999")})
	scSameBytes(t, "virtual-hosted ranged get", got, data[1000:2000])
	scPut(t, c, "vhost", "dir/sub/x", []byte("x"))
	scPut(t, c, "vhost", "top", []byte("top"))
	l, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("vhost"), Delimiter: aws.String("/"), Prefix: aws.String("dir/")})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Contents) != 1 || aws.ToString(l.Contents[0].Key) != key || len(l.CommonPrefixes) != 1 ||
		aws.ToString(l.CommonPrefixes[0].Prefix) != "dir/sub/" {
		t.Fatalf("virtual-hosted list: %d objects, %d prefixes", len(l.Contents), len(l.CommonPrefixes))
	}
	lb, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(lb.Buckets) != 1 || aws.ToString(lb.Buckets[0].Name) != "vhost" {
		t.Fatalf("ListBuckets at s3.test: %d buckets", len(lb.Buckets))
	}
	// The same bucket path-style, straight at the listener.
	pc := d.client(t)
	got, _ = scGet(t, pc, &s3.GetObjectInput{Bucket: aws.String("vhost"), Key: aws.String("top")})
	scSameBytes(t, "path-style get of a virtual-hosted upload", got, []byte("top"))
	// A presigned virtual-hosted URL.
	ps, err := s3.NewPresignClient(c).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("vhost"), Key: aws.String(key)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ps.URL, "http://vhost.s3.test:"+port+"/") {
		t.Fatalf("presigned URL %s is not virtual-hosted", ps.URL)
	}
	req, _ := http.NewRequest(ps.Method, ps.URL, nil)
	status, _, body := scHTTPDo(t, &http.Client{Transport: &http.Transport{DialContext: dial}}, req)
	if status != 200 {
		t.Fatalf("presigned virtual-hosted GET: %d %s", status, body)
	}
	scSameBytes(t, "presigned virtual-hosted GET", body, data)
	for _, k := range []string{key, "dir/sub/x", "top"} {
		if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vhost"), Key: aws.String(k)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("vhost")}); err != nil {
		t.Fatal(err)
	}
	_, err = pc.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("vhost")})
	scWantErr(t, "head the deleted bucket", err, "", 404)
}
