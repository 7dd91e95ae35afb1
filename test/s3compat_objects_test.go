package test

// S3 compatibility of object operations: stored metadata, conditional
// requests, response header overrides, ranges, CopyObject, DeleteObjects and
// tagging. Presigned URLs and access keys are in s3compat_presign_test.go.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func TestS3CompatObjects(t *testing.T) {
	d := scDevnet(t, "--kms-keys", scKMSKeys, "--lifecycle-day", "1s")
	c := d.client(t)
	mustCreateBucket(t, c, "obj")
	t.Run("Metadata", func(t *testing.T) { scMetadata(t, c) })
	t.Run("Conditional", func(t *testing.T) { scConditional(t, c) })
	t.Run("ResponseOverrides", func(t *testing.T) { scOverrides(t, c) })
	t.Run("Ranges", func(t *testing.T) { scRanges(t, c) })
	t.Run("Copy", func(t *testing.T) { scCopy(t, c) })
	t.Run("DeleteObjects", func(t *testing.T) { scDeleteObjects(t, c) })
	t.Run("Tagging", func(t *testing.T) { scTagging(t, c) })
	t.Run("Attributes", func(t *testing.T) { scAttributes(t, c) })
	t.Run("Multipart", func(t *testing.T) { scMultipartMisc(t, c) })
	t.Run("Presigned", func(t *testing.T) { scPresigned(t, d, c) })
	t.Run("AuthErrors", func(t *testing.T) { scAuthErrors(t, d) })
	t.Run("Encryption", func(t *testing.T) { scEncryption(t, c) })
	t.Run("SSEC", func(t *testing.T) { scSSEC(t, c) })
	t.Run("SSEKMS", func(t *testing.T) { scSSEKMS(t, c) })
	t.Run("RefusedLargeBody", func(t *testing.T) { scRefusedLargeBody(t, c) })
	t.Run("ConditionalDelete", func(t *testing.T) { scConditionalDelete(t, c) })
	t.Run("PutLimits", func(t *testing.T) { scPutLimits(t, c) })
	t.Run("CreateBucketBody", func(t *testing.T) { scCreateBucketBody(t, c) })
	t.Run("DeleteMarkerHeaders", func(t *testing.T) { scDeleteMarkerHeaders(t, c) })
	t.Run("EarlyErrorExpectContinue", func(t *testing.T) { scEarlyErrorExpectContinue(t, d) })
	t.Run("EmptyContentMD5", func(t *testing.T) { scEmptyContentMD5(t, d) })
	t.Run("ACLGrantOrder", func(t *testing.T) { scACLGrantOrder(t, c) })
	t.Run("IfRange", func(t *testing.T) { scIfRange(t, c) })
	t.Run("Lifecycle", func(t *testing.T) { scLifecycle(t, d, c) })
	t.Run("BadInput", func(t *testing.T) { scBadInput(t, d, c) })
}

func scMetadata(t *testing.T, c *s3.Client) {
	ctx := context.Background()
	data := randBytes(70 << 10)
	expires := time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)
	key := "meta/obj ä+1.bin"
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("obj"), Key: aws.String(key), Body: bytes.NewReader(data),
		ContentType: aws.String("text/x-test; charset=utf-8"), ContentEncoding: aws.String("gzip"),
		ContentDisposition: aws.String(`attachment; filename="a b.txt"`), CacheControl: aws.String("max-age=60, private"),
		Expires: aws.Time(expires), ContentLanguage: aws.String("de-DE"),
		Metadata: map[string]string{"color": "blue", "multi-word": "x y z", "empty": ""},
		Tagging:  aws.String("a=1&b=two%20words")})
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, ct, ce, cd, cc, cl, exp *string, meta map[string]string, tags *int32) {
		t.Helper()
		got := map[string]string{"Content-Type": aws.ToString(ct), "Content-Encoding": aws.ToString(ce), "Content-Disposition": aws.ToString(cd),
			"Cache-Control": aws.ToString(cc), "Content-Language": aws.ToString(cl), "Expires": aws.ToString(exp)}
		want := map[string]string{"Content-Type": "text/x-test; charset=utf-8", "Content-Encoding": "gzip",
			"Content-Disposition": `attachment; filename="a b.txt"`, "Cache-Control": "max-age=60, private", "Content-Language": "de-DE",
			"Expires": expires.Format(http.TimeFormat)}
		for k, v := range want {
			if k == "Expires" {
				if tm, err := http.ParseTime(got[k]); err != nil || !tm.Equal(expires) {
					t.Fatalf("%s: Expires %q, want %s", what, got[k], v)
				}
				continue
			}
			if got[k] != v {
				t.Fatalf("%s: %s %q, want %q", what, k, got[k], v)
			}
		}
		if meta["color"] != "blue" || meta["multi-word"] != "x y z" {
			t.Fatalf("%s: user metadata %v", what, meta)
		}
		if tags != nil && aws.ToInt32(tags) != 2 {
			t.Fatalf("%s: tag count %d, want 2", what, aws.ToInt32(tags))
		}
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("obj"), Key: aws.String(key)})
	if err != nil {
		t.Fatal(err)
	}
	check("HEAD", head.ContentType, head.ContentEncoding, head.ContentDisposition, head.CacheControl, head.ContentLanguage, head.ExpiresString, head.Metadata, nil)
	got, out := scGet(t, c, &s3.GetObjectInput{Bucket: aws.String("obj"), Key: aws.String(key)})
	scSameBytes(t, "GET", got, data)
	check("GET", out.ContentType, out.ContentEncoding, out.ContentDisposition, out.CacheControl, out.ContentLanguage, out.ExpiresString, out.Metadata, out.TagCount)
	if aws.ToString(out.AcceptRanges) != "bytes" || out.LastModified == nil || time.Since(*out.LastModified) > time.Hour {
		t.Fatalf("GET: Accept-Ranges %q Last-Modified %v", aws.ToString(out.AcceptRanges), out.LastModified)
	}
	// No Content-Type: S3 reports binary/octet-stream (the SDK may send its own default).
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("obj"), Key: aws.String("meta/plain"), Body: bytes.NewReader(data[:10])}); err != nil {
		t.Fatal(err)
	}
	head, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("obj"), Key: aws.String("meta/plain")})
	if err != nil {
		t.Fatal(err)
	}
	if ct := aws.ToString(head.ContentType); ct != "binary/octet-stream" && ct != "application/octet-stream" {
		t.Fatalf("default Content-Type %q", ct)
	}
	if len(head.Metadata) != 0 || head.ContentEncoding != nil || head.CacheControl != nil || head.TagCount != nil {
		t.Fatalf("plain object carries metadata: %v encoding %v cache %v tags %v", head.Metadata, head.ContentEncoding, head.CacheControl, head.TagCount)
	}
	// Replacing an object replaces its metadata.
	scPut(t, c, "obj", key, data[:5])
	head, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("obj"), Key: aws.String(key)})
	if err != nil {
		t.Fatal(err)
	}
	if len(head.Metadata) != 0 || aws.ToInt64(head.ContentLength) != 5 || head.ContentDisposition != nil {
		t.Fatalf("overwritten object kept old metadata: %v disposition %v", head.Metadata, head.ContentDisposition)
	}
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("obj"), Key: aws.String("meta/missing")})
	scWantErr(t, "HEAD a missing key", err, "", 404)
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("obj"), Key: aws.String("meta/missing")})
	scWantErr(t, "GET a missing key", err, "NoSuchKey", 404)
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("no-such-bucket-here"), Key: aws.String("x")})
	scWantErr(t, "GET from a missing bucket", err, "NoSuchBucket", 404)
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("obj"), Key: aws.String(strings.Repeat("k", 1025)), Body: bytes.NewReader(nil)})
	scWantErr(t, "PUT a 1025-byte key", err, "KeyTooLongError", 400)
}

func scConditional(t *testing.T, c *s3.Client) {
	ctx := context.Background()
	data := randBytes(4000)
	put := scPut(t, c, "obj", "cond/x", data)
	etag := aws.ToString(put.ETag)
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("obj"), Key: aws.String("cond/x")})
	if err != nil {
		t.Fatal(err)
	}
	mod := *head.LastModified
	past, future := mod.Add(-time.Hour), mod.Add(time.Hour)
	cases := []struct {
		name               string
		ifMatch, ifNone    string
		ifModified, ifUnmo *time.Time
		status             int // 200, 304 or 412
	}{
		{name: "If-Match ok", ifMatch: etag, status: 200},
		{name: "If-Match *", ifMatch: "*", status: 200},
		{name: "If-Match list", ifMatch: `"0123", ` + etag, status: 200},
		{name: "If-Match wrong", ifMatch: `"0123456789abcdef0123456789abcdef"`, status: 412},
		{name: "If-None-Match same", ifNone: etag, status: 304},
		{name: "If-None-Match *", ifNone: "*", status: 304},
		{name: "If-None-Match other", ifNone: `"0123456789abcdef0123456789abcdef"`, status: 200},
		{name: "If-Modified-Since future", ifModified: &future, status: 304},
		{name: "If-Modified-Since last-modified", ifModified: &mod, status: 304},
		{name: "If-Modified-Since past", ifModified: &past, status: 200},
		{name: "If-Unmodified-Since past", ifUnmo: &past, status: 412},
		{name: "If-Unmodified-Since future", ifUnmo: &future, status: 200},
		// S3: If-Match true and If-Unmodified-Since false -> 200;
		// If-None-Match true and If-Modified-Since false -> 200.
		{name: "If-Match ok + If-Unmodified-Since past", ifMatch: etag, ifUnmo: &past, status: 200},
		{name: "If-None-Match other + If-Modified-Since future", ifNone: `"00"`, ifModified: &future, status: 200},
		{name: "If-Match wrong + If-None-Match same", ifMatch: `"00"`, ifNone: etag, status: 412},
	}
	for _, tc := range cases {
		in := &s3.GetObjectInput{Bucket: aws.String("obj"), Key: aws.String("cond/x"), IfModifiedSince: tc.ifModified, IfUnmodifiedSince: tc.ifUnmo}
		hin := &s3.HeadObjectInput{Bucket: aws.String("obj"), Key: aws.String("cond/x"), IfModifiedSince: tc.ifModified, IfUnmodifiedSince: tc.ifUnmo}
		if tc.ifMatch != "" {
			in.IfMatch, hin.IfMatch = aws.String(tc.ifMatch), aws.String(tc.ifMatch)
		}
		if tc.ifNone != "" {
			in.IfNoneMatch, hin.IfNoneMatch = aws.String(tc.ifNone), aws.String(tc.ifNone)
		}
		out, err := c.GetObject(ctx, in)
		_, herr := c.HeadObject(ctx, hin)
		switch tc.status {
		case 200:
			if err != nil || herr != nil {
				t.Fatalf("%s: GET %v, HEAD %v; want 200", tc.name, err, herr)
			}
			b := new(bytes.Buffer)
			b.ReadFrom(out.Body)
			out.Body.Close()
			scSameBytes(t, tc.name, b.Bytes(), data)
		case 304:
			scWantErr(t, tc.name+" GET", err, "", 304)
			scWantErr(t, tc.name+" HEAD", herr, "", 304)
		case 412:
			scWantErr(t, tc.name+" GET", err, "PreconditionFailed", 412)
			scWantErr(t, tc.name+" HEAD", herr, "", 412)
		}
	}

	// Conditional PUT.
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("obj"), Key: aws.String("cond/x"), Body: bytes.NewReader([]byte("new")), IfNoneMatch: aws.String("*")})
	scWantErr(t, "PUT If-None-Match * over an object", err, "PreconditionFailed", 412)
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("obj"), Key: aws.String("cond/x"), Body: bytes.NewReader([]byte("new")),
		IfMatch: aws.String(`"0123456789abcdef0123456789abcdef"`)})
	scWantErr(t, "PUT If-Match wrong ETag", err, "PreconditionFailed", 412)
	if got := getBytes(t, c, "obj", "cond/x", ""); !bytes.Equal(got, data) {
		t.Fatal("a failed conditional PUT replaced the object")
	}
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("obj"), Key: aws.String("cond/missing"), Body: bytes.NewReader([]byte("new")),
		IfMatch: aws.String(etag)})
	scWantErr(t, "PUT If-Match on a missing key", err, "NoSuchKey", 404)
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("obj"), Key: aws.String("cond/new"), Body: bytes.NewReader([]byte("first")),
		IfNoneMatch: aws.String("*")}); err != nil {
		t.Fatalf("PUT If-None-Match * on a new key: %v", err)
	}
	p2, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("obj"), Key: aws.String("cond/x"), Body: bytes.NewReader([]byte("second")), IfMatch: put.ETag})
	if err != nil {
		t.Fatalf("PUT If-Match current ETag: %v", err)
	}
	if got := getBytes(t, c, "obj", "cond/x", ""); string(got) != "second" || aws.ToString(p2.ETag) != `"`+scMD5Hex([]byte("second"))+`"` {
		t.Fatalf("after If-Match PUT: %q etag %s", got, aws.ToString(p2.ETag))
	}
}

func scOverrides(t *testing.T, c *s3.Client) {
	data := []byte("override me")
	if _, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("obj"), Key: aws.String("ovr/x"), Body: bytes.NewReader(data),
		ContentType: aws.String("text/plain"), CacheControl: aws.String("no-cache")}); err != nil {
		t.Fatal(err)
	}
	exp := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	got, out := scGet(t, c, &s3.GetObjectInput{Bucket: aws.String("obj"), Key: aws.String("ovr/x"),
		ResponseContentType: aws.String("application/json"), ResponseContentDisposition: aws.String(`attachment; filename="x.json"`),
		ResponseCacheControl: aws.String("max-age=5"), ResponseContentLanguage: aws.String("fr"), ResponseExpires: aws.Time(exp),
		ResponseContentEncoding: aws.String("identity")})
	scSameBytes(t, "override GET", got, data)
	if aws.ToString(out.ContentType) != "application/json" || aws.ToString(out.ContentDisposition) != `attachment; filename="x.json"` ||
		aws.ToString(out.CacheControl) != "max-age=5" || aws.ToString(out.ContentLanguage) != "fr" || aws.ToString(out.ContentEncoding) != "identity" {
		t.Fatalf("overrides: type %q disposition %q cache %q language %q encoding %q", aws.ToString(out.ContentType), aws.ToString(out.ContentDisposition),
			aws.ToString(out.CacheControl), aws.ToString(out.ContentLanguage), aws.ToString(out.ContentEncoding))
	}
	if tm, err := http.ParseTime(aws.ToString(out.ExpiresString)); err != nil || !tm.Equal(exp) {
		t.Fatalf("response-expires: %q", aws.ToString(out.ExpiresString))
	}
	// The stored metadata is unchanged.
	_, out = scGet(t, c, &s3.GetObjectInput{Bucket: aws.String("obj"), Key: aws.String("ovr/x")})
	if aws.ToString(out.ContentType) != "text/plain" || aws.ToString(out.CacheControl) != "no-cache" || out.ContentDisposition != nil {
		t.Fatalf("after overrides: type %q cache %q disposition %v", aws.ToString(out.ContentType), aws.ToString(out.CacheControl), out.ContentDisposition)
	}
}

func scRanges(t *testing.T, c *s3.Client) {
	ctx := context.Background()
	const size = 1000
	data := randBytes(size)
	scPut(t, c, "obj", "rng/x", data)
	cases := []struct {
		rng         string
		first, last int  // expected bytes (inclusive)
		partial     bool // 206 with Content-Range; else the whole object
	}{
		{"bytes=0-0", 0, 0, true},
		{"bytes=0-999", 0, 999, true},
		{"bytes=10-19", 10, 19, true},
		{"bytes=990-", 990, 999, true},
		{"bytes=0-", 0, 999, true},
		{"bytes=500-5000", 500, 999, true},
		{"bytes=999-999", 999, 999, true},
		{"bytes=-1", 999, 999, true},
		{"bytes=-100", 900, 999, true},
		{"bytes=-5000", 0, 999, true},
		// Unparsable or multiple ranges: S3 ignores the header.
		{"bytes=abc", 0, 999, false},
		{"bytes=20-10", 0, 999, false},
		{"bytes=0-1,5-6", 0, 999, false},
		{"items=0-5", 0, 999, false},
		{"bytes=x-5", 0, 999, false},
	}
	for _, tc := range cases {
		got, out := scGet(t, c, &s3.GetObjectInput{Bucket: aws.String("obj"), Key: aws.String("rng/x"), Range: aws.String(tc.rng)})
		scSameBytes(t, "GET "+tc.rng, got, data[tc.first:tc.last+1])
		wantCR := ""
		if tc.partial {
			wantCR = fmt.Sprintf("bytes %d-%d/%d", tc.first, tc.last, size)
		}
		if cr := aws.ToString(out.ContentRange); cr != wantCR {
			t.Fatalf("GET %s: Content-Range %q, want %q", tc.rng, cr, wantCR)
		}
		head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("obj"), Key: aws.String("rng/x"), Range: aws.String(tc.rng)})
		if err != nil {
			t.Fatalf("HEAD %s: %v", tc.rng, err)
		}
		if aws.ToInt64(head.ContentLength) != int64(tc.last-tc.first+1) || aws.ToString(head.ContentRange) != wantCR {
			t.Fatalf("HEAD %s: length %d range %q", tc.rng, aws.ToInt64(head.ContentLength), aws.ToString(head.ContentRange))
		}
	}
	for _, rng := range []string{"bytes=1000-", "bytes=1000-2000", "bytes=5000-5001", "bytes=-0"} {
		_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("obj"), Key: aws.String("rng/x"), Range: aws.String(rng)})
		scWantErr(t, "GET "+rng, err, "InvalidRange", 416)
		var re *awshttp.ResponseError
		if !errors.As(err, &re) || !strings.HasPrefix(re.Response.Header.Get("Content-Range"), "bytes */") {
			t.Fatalf("GET %s: 416 without Content-Range: bytes */size", rng)
		}
		_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("obj"), Key: aws.String("rng/x"), Range: aws.String(rng)})
		scWantErr(t, "HEAD "+rng, err, "", 416)
	}
	// A raw request to see the status line itself.
	_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("obj"), Key: aws.String("rng/x"), Range: aws.String("bytes=0-1"), PartNumber: aws.Int32(1)})
	scWantErr(t, "Range with partNumber", err, "InvalidRequest", 400)
	got, out := scGet(t, c, &s3.GetObjectInput{Bucket: aws.String("obj"), Key: aws.String("rng/x"), PartNumber: aws.Int32(1)})
	scSameBytes(t, "partNumber=1 of a single-part object", got, data)
	_ = out
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("obj"), Key: aws.String("rng/x"), PartNumber: aws.Int32(2)})
	scWantErr(t, "partNumber=2 of a single-part object", err, "InvalidPart", 400)
}

func scCopy(t *testing.T, c *s3.Client) {
	ctx := context.Background()
	mustCreateBucket(t, c, "obj-dst")
	data := randBytes(1<<20 + 4321)
	srcKey := "copy/src a+b%&=.bin"
	src := "obj/" + url.PathEscape(srcKey)
	put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("obj"), Key: aws.String(srcKey), Body: bytes.NewReader(data),
		ContentType: aws.String("application/x-src"), Metadata: map[string]string{"m": "src"}, Tagging: aws.String("t=1"),
		CacheControl: aws.String("max-age=1"), ChecksumAlgorithm: types.ChecksumAlgorithmSha256})
	if err != nil {
		t.Fatal(err)
	}
	copyTo := func(bucket, key string, mod func(*s3.CopyObjectInput)) (*s3.CopyObjectOutput, error) {
		in := &s3.CopyObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), CopySource: aws.String(src)}
		if mod != nil {
			mod(in)
		}
		return c.CopyObject(ctx, in)
	}
	headOf := func(bucket, key string) *s3.HeadObjectOutput {
		t.Helper()
		h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled})
		if err != nil {
			t.Fatalf("head %s/%s: %v", bucket, key, err)
		}
		return h
	}

	// Default directive COPY: bytes, metadata, tags and checksum carried over.
	out, err := copyTo("obj-dst", "copied", nil)
	if err != nil {
		t.Fatalf("copy: %v", err)
	}
	if aws.ToString(out.CopyObjectResult.ETag) != aws.ToString(put.ETag) || out.CopyObjectResult.LastModified == nil {
		t.Fatalf("copy result: ETag %s (source %s) LastModified %v", aws.ToString(out.CopyObjectResult.ETag), aws.ToString(put.ETag), out.CopyObjectResult.LastModified)
	}
	got, gout := scGet(t, c, &s3.GetObjectInput{Bucket: aws.String("obj-dst"), Key: aws.String("copied")})
	scSameBytes(t, "copied object", got, data)
	h := headOf("obj-dst", "copied")
	if aws.ToString(h.ContentType) != "application/x-src" || h.Metadata["m"] != "src" || aws.ToString(h.CacheControl) != "max-age=1" ||
		aws.ToInt32(gout.TagCount) != 1 || aws.ToString(h.ChecksumSHA256) != scChecksum(types.ChecksumAlgorithmSha256, data) {
		t.Fatalf("COPY directive: type %q meta %v cache %q tags %d sha256 %q", aws.ToString(h.ContentType), h.Metadata,
			aws.ToString(h.CacheControl), aws.ToInt32(gout.TagCount), aws.ToString(h.ChecksumSHA256))
	}

	// REPLACE: the request's metadata instead; tagging REPLACE.
	if _, err := copyTo("obj-dst", "replaced", func(in *s3.CopyObjectInput) {
		in.MetadataDirective = types.MetadataDirectiveReplace
		in.ContentType = aws.String("text/replaced")
		in.Metadata = map[string]string{"n": "new"}
		in.TaggingDirective = types.TaggingDirectiveReplace
		in.Tagging = aws.String("x=9&y=8")
	}); err != nil {
		t.Fatalf("copy REPLACE: %v", err)
	}
	h = headOf("obj-dst", "replaced")
	if aws.ToString(h.ContentType) != "text/replaced" || h.Metadata["n"] != "new" || h.Metadata["m"] != "" || h.CacheControl != nil {
		t.Fatalf("REPLACE directive: type %q meta %v cache %v", aws.ToString(h.ContentType), h.Metadata, h.CacheControl)
	}
	tg, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("obj-dst"), Key: aws.String("replaced")})
	if err != nil {
		t.Fatal(err)
	}
	if m := scTagMap(tg.TagSet); len(m) != 2 || m["x"] != "9" || m["y"] != "8" {
		t.Fatalf("tagging REPLACE: %v", m)
	}

	// Onto itself: only with REPLACE.
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("obj"), Key: aws.String(srcKey), CopySource: aws.String(src)})
	scWantErr(t, "copy onto itself with COPY", err, "InvalidRequest", 400)
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("obj"), Key: aws.String(srcKey), CopySource: aws.String(src),
		MetadataDirective: types.MetadataDirectiveReplace, ContentType: aws.String("application/x-self"), Metadata: map[string]string{"m": "self"}}); err != nil {
		t.Fatalf("copy onto itself with REPLACE: %v", err)
	}
	h = headOf("obj", srcKey)
	if aws.ToString(h.ContentType) != "application/x-self" || h.Metadata["m"] != "self" || aws.ToString(h.ETag) != aws.ToString(put.ETag) {
		t.Fatalf("self copy: type %q meta %v etag %s", aws.ToString(h.ContentType), h.Metadata, aws.ToString(h.ETag))
	}
	got, _ = scGet(t, c, &s3.GetObjectInput{Bucket: aws.String("obj"), Key: aws.String(srcKey)})
	scSameBytes(t, "self-copied object", got, data)

	// Preconditions on the source.
	mod := *h.LastModified
	wrong := aws.String(`"0123456789abcdef0123456789abcdef"`)
	pre := []struct {
		name string
		mod  func(*s3.CopyObjectInput)
		ok   bool
	}{
		{"if-match ok", func(in *s3.CopyObjectInput) { in.CopySourceIfMatch = put.ETag }, true},
		{"if-match wrong", func(in *s3.CopyObjectInput) { in.CopySourceIfMatch = wrong }, false},
		{"if-none-match same", func(in *s3.CopyObjectInput) { in.CopySourceIfNoneMatch = put.ETag }, false},
		{"if-none-match other", func(in *s3.CopyObjectInput) { in.CopySourceIfNoneMatch = wrong }, true},
		{"if-modified-since future", func(in *s3.CopyObjectInput) { in.CopySourceIfModifiedSince = aws.Time(mod.Add(time.Hour)) }, false},
		{"if-modified-since past", func(in *s3.CopyObjectInput) { in.CopySourceIfModifiedSince = aws.Time(mod.Add(-time.Hour)) }, true},
		{"if-unmodified-since past", func(in *s3.CopyObjectInput) { in.CopySourceIfUnmodifiedSince = aws.Time(mod.Add(-time.Hour)) }, false},
		{"if-unmodified-since future", func(in *s3.CopyObjectInput) { in.CopySourceIfUnmodifiedSince = aws.Time(mod.Add(time.Hour)) }, true},
	}
	for i, p := range pre {
		key := fmt.Sprintf("cond-%d", i)
		_, err := copyTo("obj-dst", key, p.mod)
		if p.ok {
			if err != nil {
				t.Fatalf("copy %s: %v", p.name, err)
			}
			continue
		}
		scWantErr(t, "copy "+p.name, err, "PreconditionFailed", 412)
		if scExists(t, c, "obj-dst", key) {
			t.Fatalf("copy %s: the failed copy created the destination", p.name)
		}
	}

	t.Run("ChecksumAlgorithm", func(t *testing.T) {
		if _, err := copyTo("obj-dst", "crc32c", func(in *s3.CopyObjectInput) { in.ChecksumAlgorithm = types.ChecksumAlgorithmCrc32c }); err != nil {
			t.Fatal(err)
		}
		if h := headOf("obj-dst", "crc32c"); aws.ToString(h.ChecksumCRC32C) != scChecksum(types.ChecksumAlgorithmCrc32c, data) {
			t.Fatalf("copy with checksum algorithm CRC32C: checksum %q, want %q", aws.ToString(h.ChecksumCRC32C), scChecksum(types.ChecksumAlgorithmCrc32c, data))
		}
	})
	t.Run("DestinationIfNoneMatch", func(t *testing.T) {
		scPut(t, c, "obj-dst", "taken", []byte("taken"))
		_, err := copyTo("obj-dst", "taken", func(in *s3.CopyObjectInput) { in.IfNoneMatch = aws.String("*") })
		if got := getBytes(t, c, "obj-dst", "taken", ""); string(got) != "taken" {
			t.Fatalf("CopyObject with If-None-Match: * replaced the existing destination (err %v)", err)
		}
		scWantErr(t, "CopyObject If-None-Match * onto an object", err, "PreconditionFailed", 412)
	})

	// Errors.
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("obj-dst"), Key: aws.String("e"), CopySource: aws.String("obj/copy/no-such-key")})
	scWantErr(t, "copy a missing key", err, "NoSuchKey", 404)
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("obj-dst"), Key: aws.String("e"), CopySource: aws.String("no-such-bucket-xyz/k")})
	scWantErr(t, "copy from a missing bucket", err, "NoSuchBucket", 404)
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("no-such-bucket-xyz"), Key: aws.String("e"), CopySource: aws.String(src)})
	scWantErr(t, "copy into a missing bucket", err, "NoSuchBucket", 404)
	_, err = copyTo("obj-dst", "e", func(in *s3.CopyObjectInput) { in.MetadataDirective = "MOVE" })
	scWantErr(t, "copy with an unknown metadata directive", err, "InvalidArgument", 400)
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("obj-dst"), Key: aws.String("e"), CopySource: aws.String("just-a-bucket")})
	scWantErr(t, "copy with a malformed source", err, "InvalidArgument", 400)
}

func scTagMap(tags []types.Tag) map[string]string {
	m := map[string]string{}
	for _, t := range tags {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m
}

func scDeleteObjects(t *testing.T, c *s3.Client) {
	ctx := context.Background()
	keys := []string{"del/a", "del/b c", "del/d&e<f>\"g'", "del/ü+%"}
	for _, k := range keys {
		scPut(t, c, "obj", k, []byte(k))
	}
	ids := func(ks ...string) []types.ObjectIdentifier {
		var out []types.ObjectIdentifier
		for _, k := range ks {
			out = append(out, types.ObjectIdentifier{Key: aws.String(k)})
		}
		return out
	}
	out, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("obj"),
		Delete: &types.Delete{Objects: ids(keys[0], keys[2], "del/missing")}})
	if err != nil {
		t.Fatal(err)
	}
	var deleted []string
	for _, d := range out.Deleted {
		deleted = append(deleted, aws.ToString(d.Key))
	}
	sort.Strings(deleted)
	if fmt.Sprint(deleted) != fmt.Sprint([]string{keys[0], keys[2], "del/missing"}) || len(out.Errors) != 0 {
		t.Fatalf("DeleteObjects: deleted %q, errors %v; a missing key counts as deleted", deleted, out.Errors)
	}
	if scExists(t, c, "obj", keys[0]) || scExists(t, c, "obj", keys[2]) || !scExists(t, c, "obj", keys[1]) {
		t.Fatal("DeleteObjects removed the wrong objects")
	}
	out, err = c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("obj"),
		Delete: &types.Delete{Objects: ids(keys[1], keys[3], "del/missing2"), Quiet: aws.Bool(true)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Deleted) != 0 || len(out.Errors) != 0 {
		t.Fatalf("quiet DeleteObjects: deleted %d, errors %d; want none reported", len(out.Deleted), len(out.Errors))
	}
	if got := listKeys(t, c, "obj", "del/"); len(got) != 0 {
		t.Fatalf("left after DeleteObjects: %v", got)
	}
	var many []types.ObjectIdentifier
	for i := range 1001 {
		many = append(many, types.ObjectIdentifier{Key: aws.String(fmt.Sprintf("del/%04d", i))})
	}
	_, err = c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("obj"), Delete: &types.Delete{Objects: many}})
	scWantErr(t, "DeleteObjects of 1001 keys", err, "MalformedXML", 400)
	out, err = c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("obj"), Delete: &types.Delete{Objects: many[:1000], Quiet: aws.Bool(true)}})
	if err != nil || len(out.Errors) != 0 {
		t.Fatalf("DeleteObjects of 1000 keys: %v", err)
	}
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("obj"), Key: aws.String("del/never-was")}); err != nil {
		t.Fatalf("DeleteObject of a missing key: %v", err)
	}
}

func scTagging(t *testing.T, c *s3.Client) {
	ctx := context.Background()
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("obj"), Key: aws.String("tag/x"), Body: bytes.NewReader([]byte("x")),
		Tagging: aws.String("k1=v1&k%202=v%26%3D2")}); err != nil {
		t.Fatal(err)
	}
	get := func() map[string]string {
		t.Helper()
		out, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("obj"), Key: aws.String("tag/x")})
		if err != nil {
			t.Fatal(err)
		}
		return scTagMap(out.TagSet)
	}
	if m := get(); len(m) != 2 || m["k1"] != "v1" || m["k 2"] != "v&=2" {
		t.Fatalf("tags from x-amz-tagging: %v", m)
	}
	if _, err := c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("obj"), Key: aws.String("tag/x"),
		Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("only"), Value: aws.String("<one>")}, {Key: aws.String("empty"), Value: aws.String("")}}}}); err != nil {
		t.Fatal(err)
	}
	if m := get(); len(m) != 2 || m["only"] != "<one>" || m["empty"] != "" {
		t.Fatalf("tags after PutObjectTagging: %v", m)
	}
	head, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("obj"), Key: aws.String("tag/x")})
	if err != nil {
		t.Fatal(err)
	}
	head.Body.Close()
	if aws.ToInt32(head.TagCount) != 2 {
		t.Fatalf("x-amz-tagging-count %d, want 2", aws.ToInt32(head.TagCount))
	}
	if _, err := c.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: aws.String("obj"), Key: aws.String("tag/x")}); err != nil {
		t.Fatal(err)
	}
	if m := get(); len(m) != 0 {
		t.Fatalf("tags after DeleteObjectTagging: %v", m)
	}
	var eleven []types.Tag
	for i := range 11 {
		eleven = append(eleven, types.Tag{Key: aws.String(fmt.Sprint("k", i)), Value: aws.String("v")})
	}
	_, err = c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("obj"), Key: aws.String("tag/x"), Tagging: &types.Tagging{TagSet: eleven}})
	scWantErr(t, "11 object tags", err, "BadRequest", 400) // as S3 answers it, not InvalidTag
	_, err = c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("obj"), Key: aws.String("tag/x"),
		Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("d"), Value: aws.String("1")}, {Key: aws.String("d"), Value: aws.String("2")}}}})
	scWantErr(t, "duplicate tag keys", err, "InvalidTag", 400)
	_, err = c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("obj"), Key: aws.String("tag/x"),
		Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String(strings.Repeat("k", 129)), Value: aws.String("1")}}}})
	scWantErr(t, "a 129-character tag key", err, "InvalidTag", 400)
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("obj"), Key: aws.String("tag/y"), Body: bytes.NewReader(nil), Tagging: aws.String("a=1&a=2")})
	scWantErr(t, "x-amz-tagging with a repeated key", err, "InvalidTag", 400)
	_, err = c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("obj"), Key: aws.String("tag/missing")})
	scWantErr(t, "tagging of a missing key", err, "NoSuchKey", 404)

	// Bucket tagging.
	_, err = c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("obj")})
	scWantErr(t, "tagging of an untagged bucket", err, "NoSuchTagSet", 404)
	if _, err := c.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String("obj"),
		Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("team"), Value: aws.String("storage")}}}}); err != nil {
		t.Fatal(err)
	}
	bt, err := c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("obj")})
	if err != nil {
		t.Fatal(err)
	}
	if m := scTagMap(bt.TagSet); len(m) != 1 || m["team"] != "storage" {
		t.Fatalf("bucket tags %v", m)
	}
	if _, err := c.DeleteBucketTagging(ctx, &s3.DeleteBucketTaggingInput{Bucket: aws.String("obj")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("obj")})
	scWantErr(t, "tagging after DeleteBucketTagging", err, "NoSuchTagSet", 404)
}
