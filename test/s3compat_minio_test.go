package test

// S3 compatibility with minio-go v7: single and streamed (multipart)
// uploads, signed aws-chunked bodies, ranges, stat, listings, bulk delete,
// server-side copy and compose, presigned URLs.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/minio/minio-go/v7"
	mcreds "github.com/minio/minio-go/v7/pkg/credentials"
)

// scRT records the x-amz-content-sha256 of the requests it sends, by method
// and path.
type scRT struct {
	rt   http.RoundTripper
	mu   sync.Mutex
	seen map[string]string
}

func (r *scRT) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.seen[req.Method+" "+req.URL.Path] = req.Header.Get("X-Amz-Content-Sha256")
	r.mu.Unlock()
	return r.rt.RoundTrip(req)
}

func (r *scRT) sha(method, path string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.seen[method+" "+path]
}

// scMinio returns a minio-go client for endpoint; trailing enables
// TrailingHeaders (checksums sent as aws-chunked trailers).
func scMinio(t *testing.T, endpoint, ak, sk string, base *http.Transport, trailing bool) (*minio.Client, *scRT) {
	t.Helper()
	u, err := url.Parse(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	if base == nil {
		base = &http.Transport{}
	}
	rt := &scRT{rt: base, seen: map[string]string{}}
	mc, err := minio.New(u.Host, &minio.Options{Creds: mcreds.NewStaticV4(ak, sk, ""), Secure: u.Scheme == "https",
		Region: "us-east-1", BucketLookup: minio.BucketLookupPath, Transport: rt, TrailingHeaders: trailing})
	if err != nil {
		t.Fatal(err)
	}
	return mc, rt
}

func scMinioGet(t *testing.T, mc *minio.Client, bucket, key string, opts minio.GetObjectOptions) []byte {
	t.Helper()
	obj, err := mc.GetObject(context.Background(), bucket, key, opts)
	if err != nil {
		t.Fatalf("minio get %s/%s: %v", bucket, key, err)
	}
	defer obj.Close()
	b, err := io.ReadAll(obj)
	if err != nil {
		t.Fatalf("minio read %s/%s: %v", bucket, key, err)
	}
	return b
}

func scMinioCode(err error) string { return minio.ToErrorResponse(err).Code }

func TestS3CompatMinio(t *testing.T) {
	d := scDevnet(t)
	mc, rt := scMinio(t, d.Endpoint, d.AccessKey, d.SecretKey, nil, false)
	ctx := context.Background()
	const bucket = "minio"
	if err := mc.MakeBucket(ctx, bucket, minio.MakeBucketOptions{Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	if ok, err := mc.BucketExists(ctx, bucket); err != nil || !ok {
		t.Fatalf("BucketExists: %v %v", ok, err)
	}
	if ok, err := mc.BucketExists(ctx, "no-such-minio-bucket"); err != nil || ok {
		t.Fatalf("BucketExists of a missing bucket: %v %v", ok, err)
	}

	t.Run("PutStat", func(t *testing.T) {
		data := randBytes(3<<20 + 5)
		info, err := mc.PutObject(ctx, bucket, "put/known size", bytes.NewReader(data), int64(len(data)),
			minio.PutObjectOptions{ContentType: "application/x-minio", UserMetadata: map[string]string{"Origin": "minio-go"}})
		if err != nil {
			t.Fatal(err)
		}
		if info.ETag != scMD5Hex(data) || info.Size != int64(len(data)) {
			t.Fatalf("put: etag %s size %d", info.ETag, info.Size)
		}
		if sha := rt.sha("PUT", "/"+bucket+"/put/known size"); !strings.HasPrefix(sha, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD") {
			t.Logf("minio-go sent x-amz-content-sha256 %q (not a signed aws-chunked body)", sha)
		}
		st, err := mc.StatObject(ctx, bucket, "put/known size", minio.StatObjectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if st.Size != int64(len(data)) || st.ETag != scMD5Hex(data) || st.ContentType != "application/x-minio" ||
			st.UserMetadata["Origin"] != "minio-go" {
			t.Fatalf("stat: size %d etag %s type %s meta %v", st.Size, st.ETag, st.ContentType, st.UserMetadata)
		}
		scSameBytes(t, "minio get", scMinioGet(t, mc, bucket, "put/known size", minio.GetObjectOptions{}), data)
		var o minio.GetObjectOptions
		o.SetRange(100, 1<<20+99)
		scSameBytes(t, "minio range", scMinioGet(t, mc, bucket, "put/known size", o), data[100:1<<20+100])
		o = minio.GetObjectOptions{}
		o.SetRange(0, -17)
		scSameBytes(t, "minio suffix range", scMinioGet(t, mc, bucket, "put/known size", o), data[len(data)-17:])
		o = minio.GetObjectOptions{}
		o.SetRange(3<<20, 0)
		scSameBytes(t, "minio open range", scMinioGet(t, mc, bucket, "put/known size", o), data[3<<20:])
		// io.ReaderAt / Seek on the object.
		obj, err := mc.GetObject(ctx, bucket, "put/known size", minio.GetObjectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 1000)
		if _, err := obj.ReadAt(buf, 2<<20); err != nil || !bytes.Equal(buf, data[2<<20:2<<20+1000]) {
			t.Fatalf("ReadAt: %v", err)
		}
		obj.Close()

		_, err = mc.StatObject(ctx, bucket, "put/missing", minio.StatObjectOptions{})
		if code := scMinioCode(err); code != "NoSuchKey" {
			t.Fatalf("stat a missing key: %q (%v)", code, err)
		}
	})

	t.Run("TrailingChecksums", func(t *testing.T) {
		mc, rt := scMinio(t, d.Endpoint, d.AccessKey, d.SecretKey, nil, true)
		data := randBytes(700 << 10)
		for _, ck := range []struct {
			typ minio.ChecksumType
			alg types.ChecksumAlgorithm
		}{{minio.ChecksumCRC32C, types.ChecksumAlgorithmCrc32c}, {minio.ChecksumSHA256, types.ChecksumAlgorithmSha256},
			{minio.ChecksumCRC64NVME, types.ChecksumAlgorithmCrc64nvme}} {
			key := "sum/" + string(ck.alg)
			if _, err := mc.PutObject(ctx, bucket, key, bytes.NewReader(data), int64(len(data)), minio.PutObjectOptions{Checksum: ck.typ}); err != nil {
				t.Fatalf("%s: put: %v", ck.alg, err)
			}
			st, err := mc.StatObject(ctx, bucket, key, minio.StatObjectOptions{Checksum: true})
			if err != nil {
				t.Fatal(err)
			}
			got := map[types.ChecksumAlgorithm]string{types.ChecksumAlgorithmCrc32c: st.ChecksumCRC32C, types.ChecksumAlgorithmSha256: st.ChecksumSHA256,
				types.ChecksumAlgorithmCrc64nvme: st.ChecksumCRC64NVME}[ck.alg]
			if want := scChecksum(ck.alg, data); got != want {
				t.Fatalf("%s: stat checksum %q, want %q (request x-amz-content-sha256 %q)", ck.alg, got, want, rt.sha("PUT", "/"+bucket+"/"+key))
			}
			scSameBytes(t, string(ck.alg)+" get", scMinioGet(t, mc, bucket, key, minio.GetObjectOptions{}), data)
		}
	})

	t.Run("Streaming", func(t *testing.T) {
		data := randBytes(11<<20 + 7)
		info, err := mc.PutObject(ctx, bucket, "stream/unknown size", struct{ io.Reader }{bytes.NewReader(data)}, -1,
			minio.PutObjectOptions{PartSize: 5 << 20})
		if err != nil {
			t.Fatal(err)
		}
		if info.Size != int64(len(data)) || !strings.HasSuffix(info.ETag, "-3") {
			t.Fatalf("streamed put: size %d etag %s; want a 3-part multipart upload", info.Size, info.ETag)
		}
		if want := strings.Trim(scMultipartETag(data, []int{5 << 20, 5 << 20, 1<<20 + 7}), `"`); info.ETag != want {
			t.Fatalf("streamed put ETag %s, want %s", info.ETag, want)
		}
		scSameBytes(t, "streamed object", scMinioGet(t, mc, bucket, "stream/unknown size", minio.GetObjectOptions{}), data)
		// Known size above the part size: multipart too.
		info, err = mc.PutObject(ctx, bucket, "stream/known", bytes.NewReader(data[:7<<20]), 7<<20, minio.PutObjectOptions{PartSize: 5 << 20})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(info.ETag, "-2") {
			t.Fatalf("7 MiB put with 5 MiB parts: etag %s", info.ETag)
		}
		var o minio.GetObjectOptions
		o.PartNumber = 2
		scSameBytes(t, "part 2", scMinioGet(t, mc, bucket, "stream/known", o), data[5<<20:7<<20])
	})

	t.Run("AutoChecksumMultipart", func(t *testing.T) {
		mc, _ := scMinio(t, d.Endpoint, d.AccessKey, d.SecretKey, nil, true)
		data := randBytes(6<<20 + 1)
		info, err := mc.PutObject(ctx, bucket, "stream/auto checksum", struct{ io.Reader }{bytes.NewReader(data)}, -1, minio.PutObjectOptions{PartSize: 5 << 20})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(info.ETag, "-2") {
			t.Fatalf("streamed put with automatic CRC32C: etag %s", info.ETag)
		}
		scSameBytes(t, "streamed object with automatic CRC32C", scMinioGet(t, mc, bucket, "stream/auto checksum", minio.GetObjectOptions{}), data)
	})

	t.Run("List", func(t *testing.T) {
		keys := []string{"tree/a", "tree/b/c", "tree/b/d", "tree/b/e/f", "tree/g h", "tree/ü+%"}
		for _, k := range keys {
			if _, err := mc.PutObject(ctx, bucket, k, strings.NewReader(k), int64(len(k)), minio.PutObjectOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		list := func(opts minio.ListObjectsOptions) []string {
			var out []string
			for o := range mc.ListObjects(ctx, bucket, opts) {
				if o.Err != nil {
					t.Fatalf("list %+v: %v", opts, o.Err)
				}
				if !strings.HasSuffix(o.Key, "/") && (o.Size != int64(len(o.Key)) || o.ETag != scMD5Hex([]byte(o.Key))) {
					t.Fatalf("list entry %q: size %d etag %s", o.Key, o.Size, o.ETag)
				}
				out = append(out, o.Key)
			}
			sort.Strings(out) // minio-go lists a page's objects before its prefixes
			return out
		}
		for _, v1 := range []bool{false, true} {
			if got := list(minio.ListObjectsOptions{Prefix: "tree/", Recursive: true, UseV1: v1}); fmt.Sprintf("%q", got) != fmt.Sprintf("%q", keys) {
				t.Fatalf("recursive (v1 %v): %q", v1, got)
			}
			if got := fmt.Sprintf("%q", list(minio.ListObjectsOptions{Prefix: "tree/", UseV1: v1})); got != `["tree/a" "tree/b/" "tree/g h" "tree/ü+%"]` {
				t.Fatalf("non-recursive (v1 %v): %s", v1, got)
			}
			if got := fmt.Sprintf("%q", list(minio.ListObjectsOptions{Prefix: "tree/b/", UseV1: v1})); got != `["tree/b/c" "tree/b/d" "tree/b/e/"]` {
				t.Fatalf("non-recursive under tree/b/ (v1 %v): %s", v1, got)
			}
			if got := list(minio.ListObjectsOptions{Prefix: "tree/", Recursive: true, UseV1: v1, MaxKeys: 2}); len(got) != len(keys) {
				t.Fatalf("recursive two a page (v1 %v): %q", v1, got)
			}
		}
		if got := fmt.Sprintf("%q", list(minio.ListObjectsOptions{Prefix: "tree/", Recursive: true, StartAfter: "tree/b/d"})); got != `["tree/b/e/f" "tree/g h" "tree/ü+%"]` {
			t.Fatalf("start-after: %s", got)
		}
		if err := mc.RemoveBucket(ctx, bucket); scMinioCode(err) != "BucketNotEmpty" {
			t.Fatalf("remove a non-empty bucket: %v", err)
		}
		ch := make(chan minio.ObjectInfo)
		go func() {
			defer close(ch)
			for _, k := range append(keys, "tree/not-there") {
				ch <- minio.ObjectInfo{Key: k}
			}
		}()
		for e := range mc.RemoveObjects(ctx, bucket, ch, minio.RemoveObjectsOptions{}) {
			t.Fatalf("RemoveObjects: %s: %v", e.ObjectName, e.Err)
		}
		if got := list(minio.ListObjectsOptions{Prefix: "tree/", Recursive: true}); len(got) != 0 {
			t.Fatalf("after RemoveObjects: %q", got)
		}
		if err := mc.RemoveObject(ctx, bucket, "tree/never", minio.RemoveObjectOptions{}); err != nil {
			t.Fatalf("RemoveObject of a missing key: %v", err)
		}
	})

	t.Run("CopyCompose", func(t *testing.T) {
		a, b := randBytes(5<<20), randBytes(5<<20+3)
		for k, v := range map[string][]byte{"cmp/a": a, "cmp/b": b} {
			if _, err := mc.PutObject(ctx, bucket, k, bytes.NewReader(v), int64(len(v)), minio.PutObjectOptions{ContentType: "application/x-part",
				UserMetadata: map[string]string{"Src": k}}); err != nil {
				t.Fatal(err)
			}
		}
		info, err := mc.CopyObject(ctx, minio.CopyDestOptions{Bucket: bucket, Object: "cmp/a copy"}, minio.CopySrcOptions{Bucket: bucket, Object: "cmp/a"})
		if err != nil {
			t.Fatal(err)
		}
		if info.ETag != scMD5Hex(a) {
			t.Fatalf("copy ETag %s", info.ETag)
		}
		st, err := mc.StatObject(ctx, bucket, "cmp/a copy", minio.StatObjectOptions{})
		if err != nil || st.UserMetadata["Src"] != "cmp/a" || st.ContentType != "application/x-part" {
			t.Fatalf("copied object: %v %+v", err, st.UserMetadata)
		}
		if _, err := mc.CopyObject(ctx, minio.CopyDestOptions{Bucket: bucket, Object: "cmp/a replaced", ReplaceMetadata: true,
			UserMetadata: map[string]string{"New": "yes"}}, minio.CopySrcOptions{Bucket: bucket, Object: "cmp/a"}); err != nil {
			t.Fatal(err)
		}
		st, err = mc.StatObject(ctx, bucket, "cmp/a replaced", minio.StatObjectOptions{})
		if err != nil || st.UserMetadata["New"] != "yes" || st.UserMetadata["Src"] != "" {
			t.Fatalf("copy with replaced metadata: %v %+v", err, st.UserMetadata)
		}
		scSameBytes(t, "copy", scMinioGet(t, mc, bucket, "cmp/a replaced", minio.GetObjectOptions{}), a)
		_, err = mc.CopyObject(ctx, minio.CopyDestOptions{Bucket: bucket, Object: "cmp/x"}, minio.CopySrcOptions{Bucket: bucket, Object: "cmp/a", MatchETag: "0123"})
		if code := scMinioCode(err); code != "PreconditionFailed" {
			t.Fatalf("copy with a failing MatchETag: %q (%v)", code, err)
		}

		// Compose: both objects whole, then a range of each (UploadPartCopy).
		info, err = mc.ComposeObject(ctx, minio.CopyDestOptions{Bucket: bucket, Object: "cmp/composed"},
			minio.CopySrcOptions{Bucket: bucket, Object: "cmp/a"}, minio.CopySrcOptions{Bucket: bucket, Object: "cmp/b"})
		if err != nil {
			t.Fatal(err)
		}
		want := append(append([]byte{}, a...), b...)
		if wantETag := strings.Trim(scMultipartETag(want, []int{len(a), len(b)}), `"`); info.ETag != wantETag {
			t.Fatalf("composed ETag %s, want %s", info.ETag, wantETag)
		}
		scSameBytes(t, "composed object", scMinioGet(t, mc, bucket, "cmp/composed", minio.GetObjectOptions{}), want)
		if _, err := mc.ComposeObject(ctx, minio.CopyDestOptions{Bucket: bucket, Object: "cmp/ranged"},
			minio.CopySrcOptions{Bucket: bucket, Object: "cmp/b", MatchRange: true, Start: 1, End: 5<<20 + 1},
			minio.CopySrcOptions{Bucket: bucket, Object: "cmp/a", MatchRange: true, Start: 10, End: 19}); err != nil {
			t.Fatal(err)
		}
		scSameBytes(t, "composed ranges", scMinioGet(t, mc, bucket, "cmp/ranged", minio.GetObjectOptions{}),
			append(append([]byte{}, b[1:5<<20+2]...), a[10:20]...))
	})

	t.Run("Presigned", func(t *testing.T) {
		data := randBytes(123457)
		if _, err := mc.PutObject(ctx, bucket, "pre/obj ü", bytes.NewReader(data), int64(len(data)), minio.PutObjectOptions{}); err != nil {
			t.Fatal(err)
		}
		u, err := mc.PresignedGetObject(ctx, bucket, "pre/obj ü", time.Minute, url.Values{"response-content-type": {"text/x-presigned"}})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.Get(u.String())
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/x-presigned" {
			t.Fatalf("presigned GET: %d type %q %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		scSameBytes(t, "presigned GET", body, data)
		pu, err := mc.PresignedPutObject(ctx, bucket, "pre/put", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodPut, pu.String(), bytes.NewReader(data))
		status, _, b := scHTTPDo(t, nil, req)
		if status != 200 {
			t.Fatalf("presigned PUT: %d %s", status, b)
		}
		scSameBytes(t, "presigned PUT", scMinioGet(t, mc, bucket, "pre/put", minio.GetObjectOptions{}), data)
	})

	t.Run("SigV2", func(t *testing.T) { testSCSigV2(t, d) })
	t.Run("Errors", func(t *testing.T) {
		bad, _ := scMinio(t, d.Endpoint, d.AccessKey, "wrong-secret-000000000", nil, false)
		_, err := bad.StatObject(ctx, bucket, "pre/put", minio.StatObjectOptions{})
		if resp := minio.ToErrorResponse(err); resp.StatusCode != 403 {
			t.Fatalf("stat with a wrong secret: %+v", resp)
		}
		_, err = bad.PutObject(ctx, bucket, "err/x", bytes.NewReader([]byte("x")), 1, minio.PutObjectOptions{})
		if code := scMinioCode(err); code != "SignatureDoesNotMatch" {
			t.Fatalf("put with a wrong secret: %q (%v)", code, err)
		}
		// Making one's own bucket again succeeds (S3 us-east-1), and keeps it.
		if err = mc.MakeBucket(ctx, bucket, minio.MakeBucketOptions{}); err != nil {
			t.Fatalf("make an existing bucket: %v", err)
		}
		obj, err := mc.GetObject(ctx, "no-such-minio-bucket", "x", minio.GetObjectOptions{})
		if err == nil {
			_, err = io.ReadAll(obj) // the GET happens on the first read
			obj.Close()
		}
		if code := scMinioCode(err); code != "NoSuchBucket" {
			t.Fatalf("get from a missing bucket: %q (%v)", code, err)
		}
	})

	t.Run("TLS", func(t *testing.T) {
		dir := t.TempDir()
		cert, key, conf := scTLS(t, dir)
		td := startDevnet(t, dir, "--chunk-size", "256KiB", "--tls-cert", cert, "--tls-key", key)
		tc, _ := scMinio(t, td.Endpoint, td.AccessKey, td.SecretKey, &http.Transport{TLSClientConfig: conf}, false)
		if err := tc.MakeBucket(ctx, "tls", minio.MakeBucketOptions{}); err != nil {
			t.Fatal(err)
		}
		data := randBytes(6<<20 + 11)
		if _, err := tc.PutObject(ctx, "tls", "crc", bytes.NewReader(data[:1<<20]), 1<<20, minio.PutObjectOptions{}); err != nil {
			t.Fatal(err)
		}
		t.Run("TrailingChecksum", func(t *testing.T) {
			tt, trt := scMinio(t, td.Endpoint, td.AccessKey, td.SecretKey, &http.Transport{TLSClientConfig: conf}, true)
			if _, err := tt.PutObject(ctx, "tls", "crc32c", bytes.NewReader(data[:1<<20]), 1<<20, minio.PutObjectOptions{Checksum: minio.ChecksumCRC32C}); err != nil {
				t.Fatal(err)
			}
			st, err := tt.StatObject(ctx, "tls", "crc32c", minio.StatObjectOptions{Checksum: true})
			if err != nil {
				t.Fatal(err)
			}
			if want := scChecksum(types.ChecksumAlgorithmCrc32c, data[:1<<20]); st.ChecksumCRC32C != want {
				t.Fatalf("CRC32C over TLS: %q, want %q (x-amz-content-sha256 %q)", st.ChecksumCRC32C, want, trt.sha("PUT", "/tls/crc32c"))
			}
		})
		info, err := tc.PutObject(ctx, "tls", "stream", struct{ io.Reader }{bytes.NewReader(data)}, -1, minio.PutObjectOptions{PartSize: 5 << 20})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(info.ETag, "-2") {
			t.Fatalf("streamed put over TLS: etag %s", info.ETag)
		}
		scSameBytes(t, "streamed object over TLS", scMinioGet(t, tc, "tls", "stream", minio.GetObjectOptions{}), data)
		scSameBytes(t, "object over TLS", scMinioGet(t, tc, "tls", "crc", minio.GetObjectOptions{}), data[:1<<20])
	})

	// Buckets, and the bucket left empty at the end.
	bs, err := mc.ListBuckets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range bs {
		names = append(names, b.Name)
	}
	sort.Strings(names)
	if fmt.Sprint(names) != "[minio]" {
		t.Fatalf("ListBuckets: %v", names)
	}
	var leftover []string
	for o := range mc.ListObjects(ctx, bucket, minio.ListObjectsOptions{Recursive: true}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		leftover = append(leftover, o.Key)
	}
	for _, k := range leftover {
		if err := mc.RemoveObject(ctx, bucket, k, minio.RemoveObjectOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := mc.RemoveBucket(ctx, bucket); err != nil {
		t.Fatalf("remove the emptied bucket: %v", err)
	}
	if ok, err := mc.BucketExists(ctx, bucket); err != nil || ok {
		t.Fatalf("bucket exists after RemoveBucket: %v %v", ok, err)
	}
}
