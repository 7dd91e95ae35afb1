package test

// S3 compatibility of CORS (configuration and preflight), browser POST
// uploads (SigV4 and V2 policies) and minio-go over the access sub-resources.

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/minio/minio-go/v7"
)

func testSCCORS(t *testing.T, tr *scTransport) {
	ctx := context.Background()
	c := tr.c
	mustCreateBucket(t, c, "cors")
	scPut(t, c, "cors", "k", []byte("x"))
	_, err := c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("cors")})
	scWantErr(t, "GetBucketCors unset", err, "NoSuchCORSConfiguration", 404)
	preflight := func(origin, method, headers string) (int, http.Header) {
		req, _ := http.NewRequest(http.MethodOptions, tr.endpoint+"/cors/k", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", method)
		if headers != "" {
			req.Header.Set("Access-Control-Request-Headers", headers)
		}
		status, h, _ := scHTTPDo(t, tr.httpc, req)
		return status, h
	}
	if status, _ := preflight("https://a.example", "GET", ""); status != 403 {
		t.Fatalf("preflight without CORS rules: %d, want 403", status)
	}
	_, err = c.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("cors"), CORSConfiguration: &types.CORSConfiguration{
		CORSRules: []types.CORSRule{{AllowedMethods: []string{"PATCH"}, AllowedOrigins: []string{"*"}}}}})
	scWantErr(t, "PutBucketCors with PATCH", err, "InvalidRequest", 400)
	if _, err := c.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("cors"), CORSConfiguration: &types.CORSConfiguration{
		CORSRules: []types.CORSRule{{AllowedMethods: []string{"GET", "PUT"}, AllowedOrigins: []string{"https://*.example"},
			AllowedHeaders: []string{"x-amz-*", "content-type"}, ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: aws.Int32(600)}}}}); err != nil {
		t.Fatal(err)
	}
	gc, err := c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("cors")})
	if err != nil || len(gc.CORSRules) != 1 || aws.ToInt32(gc.CORSRules[0].MaxAgeSeconds) != 600 {
		t.Fatalf("GetBucketCors: %v %+v", err, gc)
	}
	status, h := preflight("https://a.example", "PUT", "X-Amz-Meta-A, Content-Type")
	if status != 200 || h.Get("Access-Control-Allow-Origin") != "https://a.example" || !strings.Contains(h.Get("Access-Control-Allow-Methods"), "PUT") ||
		h.Get("Access-Control-Max-Age") != "600" || h.Get("Access-Control-Expose-Headers") != "ETag" {
		t.Fatalf("matching preflight: %d %v", status, h)
	}
	for _, bad := range [][3]string{{"https://a.other", "GET", ""}, {"https://a.example", "DELETE", ""}, {"https://a.example", "GET", "authorization"}} {
		if status, _ := preflight(bad[0], bad[1], bad[2]); status != 403 {
			t.Fatalf("preflight %v: %d, want 403", bad, status)
		}
	}
	req, _ := http.NewRequest(http.MethodOptions, tr.endpoint+"/cors/k", nil)
	if status, _, _ := scHTTPDo(t, tr.httpc, req); status != 400 {
		t.Fatalf("preflight without Origin: %d, want 400", status)
	}
	// An actual request from a matching origin gets the headers, even a 403.
	req, _ = http.NewRequest(http.MethodGet, tr.endpoint+"/cors/k", nil)
	req.Header.Set("Origin", "https://b.example")
	status, h, _ = scHTTPDo(t, tr.httpc, req)
	if status != 403 || h.Get("Access-Control-Allow-Origin") != "https://b.example" {
		t.Fatalf("anonymous GET with Origin: %d %v", status, h)
	}
	if _, err := c.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: aws.String("cors")}); err != nil {
		t.Fatal(err)
	}
	if status, _ := preflight("https://a.example", "GET", ""); status != 403 {
		t.Fatalf("preflight after DeleteBucketCors: %d", status)
	}
}

// scPostForm sends a browser POST upload of fields and file to the bucket.
func scPostForm(t *testing.T, tr *scTransport, bucket string, fields [][2]string, file []byte) (int, http.Header, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range fields {
		mw.WriteField(f[0], f[1])
	}
	fw, _ := mw.CreateFormFile("file", "hello.txt")
	fw.Write(file)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, tr.endpoint+"/"+bucket, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	hc := *tr.httpc
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return scHTTPDo(t, &hc, req)
}

// scPostPolicy signs a POST policy with SigV4 and returns the form fields.
func scPostPolicy(ak, sk string, expires time.Time, conds []any, extra ...[2]string) [][2]string {
	now := time.Now().UTC()
	date := now.Format("20060102")
	cred := ak + "/" + date + "/us-east-1/s3/aws4_request"
	amzDate := now.Format("20060102T150405Z")
	conds = append(conds, map[string]string{"x-amz-algorithm": "AWS4-HMAC-SHA256"}, map[string]string{"x-amz-credential": cred},
		map[string]string{"x-amz-date": amzDate})
	doc, _ := json.Marshal(map[string]any{"expiration": expires.UTC().Format("2006-01-02T15:04:05.000Z"), "conditions": conds})
	policy := base64.StdEncoding.EncodeToString(doc)
	mac := func(key []byte, s string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(s))
		return h.Sum(nil)
	}
	k := mac(mac(mac(mac([]byte("AWS4"+sk), date), "us-east-1"), "s3"), "aws4_request")
	sig := hex.EncodeToString(mac(k, policy))
	return append(extra, [2]string{"x-amz-algorithm", "AWS4-HMAC-SHA256"}, [2]string{"x-amz-credential", cred},
		[2]string{"x-amz-date", amzDate}, [2]string{"policy", policy}, [2]string{"x-amz-signature", sig})
}

func testSCPost(t *testing.T, tr *scTransport) {
	ctx := context.Background()
	c := tr.c
	mustCreateBucket(t, c, "post")
	ak, sk := tr.d.AccessKey, tr.d.SecretKey
	conds := []any{map[string]string{"bucket": "post"}, []any{"starts-with", "$key", "up/"}, []any{"content-length-range", 1, 100},
		[]any{"eq", "$Content-Type", "text/plain"}, map[string]string{"success_action_status": "201"}}
	fields := scPostPolicy(ak, sk, time.Now().Add(time.Hour), conds, [2]string{"key", "up/${filename}"},
		[2]string{"Content-Type", "text/plain"}, [2]string{"success_action_status", "201"})
	status, _, body := scPostForm(t, tr, "post", fields, []byte("hello"))
	if status != 201 || !strings.Contains(string(body), "<Key>up/hello.txt</Key>") {
		t.Fatalf("signed POST upload: %d %s", status, body)
	}
	b, g := scGet(t, c, &s3.GetObjectInput{Bucket: aws.String("post"), Key: aws.String("up/hello.txt")})
	if string(b) != "hello" || aws.ToString(g.ContentType) != "text/plain" {
		t.Fatalf("POSTed object: %q %q", b, aws.ToString(g.ContentType))
	}
	cases := []struct {
		name   string
		fields [][2]string
		file   []byte
		status int
		code   string
	}{
		{"too large", fields, bytes.Repeat([]byte("x"), 101), 400, "EntityTooLarge"},
		{"key outside starts-with", scPostPolicy(ak, sk, time.Now().Add(time.Hour), conds, [2]string{"key", "other/x"},
			[2]string{"Content-Type", "text/plain"}, [2]string{"success_action_status", "201"}), []byte("x"), 403, "AccessDenied"},
		{"extra field", scPostPolicy(ak, sk, time.Now().Add(time.Hour), conds, [2]string{"key", "up/x"},
			[2]string{"Content-Type", "text/plain"}, [2]string{"success_action_status", "201"}, [2]string{"x-amz-meta-a", "b"}), []byte("x"), 403, "AccessDenied"},
		{"expired", scPostPolicy(ak, sk, time.Now().Add(-time.Minute), conds, [2]string{"key", "up/x"},
			[2]string{"Content-Type", "text/plain"}, [2]string{"success_action_status", "201"}), []byte("x"), 403, "AccessDenied"},
		{"wrong secret", scPostPolicy(ak, "wrong", time.Now().Add(time.Hour), conds, [2]string{"key", "up/x"},
			[2]string{"Content-Type", "text/plain"}, [2]string{"success_action_status", "201"}), []byte("x"), 403, "SignatureDoesNotMatch"},
		{"no key", scPostPolicy(ak, sk, time.Now().Add(time.Hour), conds, [2]string{"Content-Type", "text/plain"}), []byte("x"), 400, "InvalidArgument"},
		{"anonymous, private bucket", [][2]string{{"key", "up/anon"}}, []byte("x"), 403, "AccessDenied"},
	}
	// ["starts-with", "$f", ""] admits any value of f, or none; "eq" does not.
	anyOrNone := append(slices.Clone(conds), []any{"starts-with", "$x-amz-server-side-encryption", ""})
	mustEq := append(slices.Clone(conds), []any{"eq", "$x-amz-meta-m", "v"})
	sseC := append(slices.Clone(conds), []any{"starts-with", "$x-amz-server-side-encryption-customer-algorithm", ""},
		[]any{"starts-with", "$x-amz-server-side-encryption-customer-key", ""},
		[]any{"starts-with", "$x-amz-server-side-encryption-customer-key-md5", ""})
	cases = append(cases, []struct {
		name   string
		fields [][2]string
		file   []byte
		status int
		code   string
	}{
		{"starts-with \"\" on an absent field", scPostPolicy(ak, sk, time.Now().Add(time.Hour), anyOrNone, [2]string{"key", "up/any"},
			[2]string{"Content-Type", "text/plain"}, [2]string{"success_action_status", "201"}), []byte("x"), 201, ""},
		{"eq on an absent field", scPostPolicy(ak, sk, time.Now().Add(time.Hour), mustEq, [2]string{"key", "up/eq"},
			[2]string{"Content-Type", "text/plain"}, [2]string{"success_action_status", "201"}), []byte("x"), 403, "AccessDenied"},
		{"SSE-C fields", scPostPolicy(ak, sk, time.Now().Add(time.Hour), sseC, [2]string{"key", "up/ssec"},
			[2]string{"Content-Type", "text/plain"}, [2]string{"success_action_status", "201"},
			[2]string{"x-amz-server-side-encryption-customer-algorithm", "AES256"},
			[2]string{"x-amz-server-side-encryption-customer-key", "pO3upElrwuEXSoFwCfnZPdSsmt/xWeFa0N9KgDijwVs="},
			[2]string{"x-amz-server-side-encryption-customer-key-md5", "DWygnHRtgiJ77HCm+1rvHw=="}), []byte("x"), 201, ""},
	}...)
	for _, cs := range cases {
		status, _, body := scPostForm(t, tr, "post", cs.fields, cs.file)
		if status != cs.status || scErrorCode(body) != cs.code {
			t.Fatalf("POST %s: %d %s, want %d %s", cs.name, status, body, cs.status, cs.code)
		}
	}
	// The object a POST with SSE-C fields stored reads only with the key.
	_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("post"), Key: aws.String("up/ssec")})
	scWantErr(t, "GET of an object POSTed with SSE-C, without its key", err, "InvalidRequest", 400)
	got, _ := scGet(t, c, &s3.GetObjectInput{Bucket: aws.String("post"), Key: aws.String("up/ssec"), SSECustomerAlgorithm: aws.String("AES256"),
		SSECustomerKey: aws.String("pO3upElrwuEXSoFwCfnZPdSsmt/xWeFa0N9KgDijwVs="), SSECustomerKeyMD5: aws.String("DWygnHRtgiJ77HCm+1rvHw==")})
	scSameBytes(t, "object POSTed with SSE-C", got, []byte("x"))
	// success_action_redirect and an anonymous upload into a public-write bucket.
	if _, err := c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("post"), ACL: types.BucketCannedACLPublicReadWrite}); err != nil {
		t.Fatal(err)
	}
	status, h, _ := scPostForm(t, tr, "post", [][2]string{{"key", "anon"}, {"success_action_redirect", "https://app.example/done"}}, []byte("a"))
	if status != 303 || !strings.HasPrefix(h.Get("Location"), "https://app.example/done?bucket=post&key=anon&etag=") {
		t.Fatalf("anonymous POST with a redirect: %d %v", status, h)
	}
	if !scExists(t, c, "post", "anon") {
		t.Fatal("anonymous POST stored nothing")
	}
}

func testSCMinioAccess(t *testing.T, tr *scTransport) {
	ctx := context.Background()
	mc, _ := scMinio(t, tr.endpoint, tr.d.AccessKey, tr.d.SecretKey, nil, false)
	if err := mc.MakeBucket(ctx, "mpol", minio.MakeBucketOptions{Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := mc.PutObject(ctx, "mpol", "k", strings.NewReader("v"), 1, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := mc.SetBucketPolicy(ctx, "mpol", (`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":["s3:GetObject"],"Resource":["arn:aws:s3:::mpol/*"]}]}`)); err != nil {
		t.Fatal(err)
	}
	if p, err := mc.GetBucketPolicy(ctx, "mpol"); err != nil || !strings.Contains(p, "s3:GetObject") {
		t.Fatalf("minio GetBucketPolicy: %v %q", err, p)
	}
	anon, _ := scMinio(t, tr.endpoint, "", "", nil, false)
	obj, err := anon.GetObject(ctx, "mpol", "k", minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(obj)
	if err != nil || string(b) != "v" {
		t.Fatalf("anonymous minio GET under a public policy: %v %q", err, b)
	}
	n := 0
	for o := range mc.ListObjects(ctx, "mpol", minio.ListObjectsOptions{WithVersions: true}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		if o.VersionID != "null" || !o.IsLatest {
			t.Fatalf("minio version listing: %+v", o)
		}
		n++
	}
	if n != 1 {
		t.Fatalf("minio version listing: %d versions", n)
	}
	if err := mc.SetBucketPolicy(ctx, "mpol", ""); err != nil {
		t.Fatalf("minio delete policy: %v", err)
	}
	if _, err := anon.StatObject(ctx, "mpol", "k", minio.StatObjectOptions{}); scMinioCode(err) != "AccessDenied" {
		t.Fatalf("anonymous minio HEAD without a policy: %v", err)
	}
}
