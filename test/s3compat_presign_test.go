package test

// S3 compatibility of presigned URLs, authentication errors and bucket
// ownership across access keys.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// scPresignedDo sends a presigned request with the headers it was signed
// with.
func scPresignedDo(t *testing.T, hc *http.Client, method, u string, signed http.Header, body []byte) (int, http.Header, []byte) {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	var req *http.Request
	var err error
	if rd != nil {
		req, err = http.NewRequest(method, u, rd)
	} else {
		req, err = http.NewRequest(method, u, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range signed {
		if strings.EqualFold(k, "host") {
			continue
		}
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	return scHTTPDo(t, hc, req)
}

func scPresigned(t *testing.T, d *devnet, c *s3.Client) {
	ctx := context.Background()
	ps := s3.NewPresignClient(c)
	data := randBytes(300<<10 + 1)
	key := "pre/a b+ü.bin"

	put, err := ps.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("obj"), Key: aws.String(key), ContentType: aws.String("application/x-pre")},
		s3.WithPresignExpires(10*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(put.URL, "X-Amz-Signature=") || !strings.Contains(put.URL, "X-Amz-Expires=600") {
		t.Fatalf("presigned PUT URL %s", put.URL)
	}
	status, hdr, body := scPresignedDo(t, nil, put.Method, put.URL, put.SignedHeader, data)
	if status != 200 || hdr.Get("ETag") != `"`+scMD5Hex(data)+`"` {
		t.Fatalf("presigned PUT: %d etag %s %s", status, hdr.Get("ETag"), body)
	}
	got, out := scGet(t, c, &s3.GetObjectInput{Bucket: aws.String("obj"), Key: aws.String(key)})
	scSameBytes(t, "object stored by a presigned PUT", got, data)
	if aws.ToString(out.ContentType) != "application/x-pre" {
		t.Fatalf("presigned PUT content type %q", aws.ToString(out.ContentType))
	}

	get, err := ps.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("obj"), Key: aws.String(key),
		ResponseContentDisposition: aws.String("attachment; filename=x.bin")})
	if err != nil {
		t.Fatal(err)
	}
	status, hdr, body = scPresignedDo(t, nil, get.Method, get.URL, get.SignedHeader, nil)
	if status != 200 {
		t.Fatalf("presigned GET: %d %s", status, body)
	}
	scSameBytes(t, "presigned GET", body, data)
	if hdr.Get("Content-Disposition") != "attachment; filename=x.bin" {
		t.Fatalf("presigned GET with response-content-disposition: %q", hdr.Get("Content-Disposition"))
	}
	// A Range header is not signed, and need not be.
	req, _ := http.NewRequest(http.MethodGet, get.URL, nil)
	req.Header.Set("Range", "bytes=100-199")
	status, hdr, body = scHTTPDo(t, nil, req)
	if status != http.StatusPartialContent || !bytes.Equal(body, data[100:200]) || hdr.Get("Content-Range") != fmt.Sprintf("bytes 100-199/%d", len(data)) {
		t.Fatalf("presigned ranged GET: %d %q, %d bytes", status, hdr.Get("Content-Range"), len(body))
	}

	head, err := ps.PresignHeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("obj"), Key: aws.String(key)})
	if err != nil {
		t.Fatal(err)
	}
	status, hdr, _ = scPresignedDo(t, nil, head.Method, head.URL, head.SignedHeader, nil)
	if status != 200 || hdr.Get("Content-Length") != fmt.Sprint(len(data)) || hdr.Get("ETag") != `"`+scMD5Hex(data)+`"` {
		t.Fatalf("presigned HEAD: %d length %s etag %s", status, hdr.Get("Content-Length"), hdr.Get("ETag"))
	}
	// The presigned GET URL does not work for another method.
	status, _, body = scPresignedDo(t, nil, http.MethodDelete, get.URL, nil, nil)
	if status != 403 || scErrorCode(body) != "SignatureDoesNotMatch" {
		t.Fatalf("presigned GET URL used for DELETE: %d %s", status, body)
	}
	if !scExists(t, c, "obj", key) {
		t.Fatal("the object is gone after a DELETE with a GET signature")
	}

	// Tampering.
	u, _ := url.Parse(get.URL)
	q := u.Query()
	sig := q.Get("X-Amz-Signature")
	flip := "0"
	if sig[len(sig)-1] == '0' {
		flip = "1"
	}
	q.Set("X-Amz-Signature", sig[:len(sig)-1]+flip)
	bad := *u
	bad.RawQuery = q.Encode()
	status, _, body = scPresignedDo(t, nil, http.MethodGet, bad.String(), nil, nil)
	if status != 403 || scErrorCode(body) != "SignatureDoesNotMatch" {
		t.Fatalf("tampered signature: %d %s, want 403 SignatureDoesNotMatch", status, body)
	}
	other := *u
	other.RawPath = ""
	other.Path = "/obj/pre/other"
	status, _, body = scPresignedDo(t, nil, http.MethodGet, other.String(), nil, nil)
	if status != 403 || scErrorCode(body) != "SignatureDoesNotMatch" {
		t.Fatalf("presigned URL for another key: %d %s, want 403 SignatureDoesNotMatch", status, body)
	}
	q = u.Query()
	q.Set("X-Amz-Expires", "604800")
	longer := *u
	longer.RawQuery = q.Encode()
	status, _, body = scPresignedDo(t, nil, http.MethodGet, longer.String(), nil, nil)
	if status != 403 || scErrorCode(body) != "SignatureDoesNotMatch" {
		t.Fatalf("presigned URL with a changed expiry: %d %s, want 403 SignatureDoesNotMatch", status, body)
	}
	q = u.Query()
	q.Set("X-Amz-Credential", strings.Replace(q.Get("X-Amz-Credential"), d.AccessKey, "AKIDUNKNOWN000000000", 1))
	unknown := *u
	unknown.RawQuery = q.Encode()
	status, _, body = scPresignedDo(t, nil, http.MethodGet, unknown.String(), nil, nil)
	if status != 403 || scErrorCode(body) != "InvalidAccessKeyId" {
		t.Fatalf("presigned URL with an unknown access key: %d %s, want 403 InvalidAccessKeyId", status, body)
	}
	q = u.Query()
	q.Set("X-Amz-Expires", "604801")
	status, _, body = scPresignedDo(t, nil, http.MethodGet, (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawQuery: q.Encode()}).String(), nil, nil)
	if status != 403 || scErrorCode(body) != "AccessDenied" {
		t.Fatalf("presigned URL valid for more than a week: %d %s, want 403 AccessDenied", status, body)
	}

	// Expiry (X-Amz-Expires=1).
	short, err := ps.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("obj"), Key: aws.String(key)}, s3.WithPresignExpires(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(2100 * time.Millisecond)
	status, _, body = scPresignedDo(t, nil, short.Method, short.URL, short.SignedHeader, nil)
	if status != 403 || scErrorCode(body) != "AccessDenied" {
		t.Fatalf("expired presigned GET: %d %s, want 403 AccessDenied", status, body)
	}
	// Anonymous.
	status, _, body = scPresignedDo(t, nil, http.MethodGet, d.Endpoint+"/obj/"+url.PathEscape(key), nil, nil)
	if status != 403 || scErrorCode(body) != "AccessDenied" {
		t.Fatalf("anonymous GET: %d %s, want 403 AccessDenied", status, body)
	}
}

func scAuthErrors(t *testing.T, d *devnet) {
	ctx := context.Background()
	bad := scClient(t, d.Endpoint, d.AccessKey, d.SecretKey+"x", nil)
	_, err := bad.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("obj")})
	scWantErr(t, "wrong secret key", err, "SignatureDoesNotMatch", 403)
	_, err = bad.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("obj"), Key: aws.String("auth/x"), Body: bytes.NewReader([]byte("x"))})
	scWantErr(t, "PUT with a wrong secret key", err, "SignatureDoesNotMatch", 403)
	req, _ := http.NewRequest(http.MethodGet, d.Endpoint+"/obj", nil)
	req.Header.Set("X-Amz-Content-Sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
	if err := v4.NewSigner().SignHTTP(ctx, aws.Credentials{AccessKeyID: d.AccessKey, SecretAccessKey: d.SecretKey}, req,
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "s3", "us-east-1", time.Now().Add(-20*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if status, _, body := scHTTPDo(t, nil, req); status != 403 || scErrorCode(body) != "RequestTimeTooSkewed" {
		t.Fatalf("request signed 20 minutes ago: %d %s, want 403 RequestTimeTooSkewed", status, body)
	}
	// DeleteObjects without Content-MD5 or a checksum is refused, as by S3.
	delBody := []byte(`<Delete><Object><Key>auth/x</Key></Object></Delete>`)
	sum := sha256.Sum256(delBody)
	req, _ = http.NewRequest(http.MethodPost, d.Endpoint+"/obj?delete=", bytes.NewReader(delBody))
	req.Header.Set("X-Amz-Content-Sha256", hex.EncodeToString(sum[:]))
	if err := v4.NewSigner().SignHTTP(ctx, aws.Credentials{AccessKeyID: d.AccessKey, SecretAccessKey: d.SecretKey}, req,
		hex.EncodeToString(sum[:]), "s3", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	if status, _, body := scHTTPDo(t, nil, req); status != 400 || scErrorCode(body) != "InvalidRequest" {
		t.Fatalf("DeleteObjects without a digest: %d %s, want 400 InvalidRequest", status, body)
	}
	unknown := scClient(t, d.Endpoint, "AKIDUNKNOWN000000000", d.SecretKey, nil)
	_, err = unknown.ListBuckets(ctx, &s3.ListBucketsInput{})
	scWantErr(t, "unknown access key", err, "InvalidAccessKeyId", 403)
	_, err = unknown.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("obj"), Key: aws.String("x")})
	scWantErr(t, "HEAD with an unknown access key", err, "", 403)
}

// TestS3CompatAccessKeys checks bucket ownership between two access keys
// (the second from --keys).
func TestS3CompatAccessKeys(t *testing.T) {
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys.json")
	b, _ := json.Marshal([]map[string]string{{"access_key": "SECONDKEY0000000", "secret_key": "second-secret-0123456789"}})
	if err := os.WriteFile(keys, b, 0o600); err != nil {
		t.Fatal(err)
	}
	d := startDevnet(t, dir, "--chunk-size", "256KiB", "--keys", keys)
	ctx := context.Background()
	a := d.client(t)
	other := scClient(t, d.Endpoint, "SECONDKEY0000000", "second-secret-0123456789", nil)
	mustCreateBucket(t, a, "alpha")
	data := randBytes(1000)
	scPut(t, a, "alpha", "secret", data)
	up, err := a.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("alpha"), Key: aws.String("mp")})
	if err != nil {
		t.Fatal(err)
	}

	denied := []struct {
		name string
		call func() error
	}{
		{"GetObject", func() error {
			_, err := other.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("alpha"), Key: aws.String("secret")})
			return err
		}},
		{"PutObject", func() error {
			_, err := other.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("alpha"), Key: aws.String("planted"), Body: bytes.NewReader([]byte("x"))})
			return err
		}},
		{"ListObjectsV2", func() error {
			_, err := other.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("alpha")})
			return err
		}},
		{"ListObjects", func() error {
			_, err := other.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("alpha")})
			return err
		}},
		{"DeleteObject", func() error {
			_, err := other.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("alpha"), Key: aws.String("secret")})
			return err
		}},
		{"DeleteObjects", func() error {
			_, err := other.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("alpha"),
				Delete: &types.Delete{Objects: []types.ObjectIdentifier{{Key: aws.String("secret")}}}})
			return err
		}},
		{"DeleteBucket", func() error {
			_, err := other.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("alpha")})
			return err
		}},
		{"GetObjectTagging", func() error {
			_, err := other.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("alpha"), Key: aws.String("secret")})
			return err
		}},
		{"PutBucketTagging", func() error {
			_, err := other.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String("alpha"),
				Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}})
			return err
		}},
		{"GetBucketLocation", func() error {
			_, err := other.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("alpha")})
			return err
		}},
		{"ListMultipartUploads", func() error {
			_, err := other.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("alpha")})
			return err
		}},
		{"UploadPart", func() error {
			_, err := other.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("alpha"), Key: aws.String("mp"), UploadId: up.UploadId,
				PartNumber: aws.Int32(1), Body: bytes.NewReader([]byte("x"))})
			return err
		}},
		{"AbortMultipartUpload", func() error {
			_, err := other.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("alpha"), Key: aws.String("mp"), UploadId: up.UploadId})
			return err
		}},
		{"GetObjectAttributes", func() error {
			_, err := other.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: aws.String("alpha"), Key: aws.String("secret"),
				ObjectAttributes: []types.ObjectAttributes{types.ObjectAttributesEtag}})
			return err
		}},
	}
	for _, dc := range denied {
		scWantErr(t, "second key "+dc.name+" on the first key's bucket", dc.call(), "AccessDenied", 403)
	}
	_, err = other.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("alpha")})
	scWantErr(t, "second key HeadBucket", err, "", 403)
	_, err = other.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("alpha"), Key: aws.String("secret")})
	scWantErr(t, "second key HeadObject", err, "", 403)

	_, err = other.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("alpha")})
	scWantErr(t, "second key creates the first key's bucket name", err, "BucketAlreadyExists", 409)
	// The owner creating its bucket again is a no-op success (as S3 in
	// us-east-1), unless it asks for another ACL.
	if _, err = a.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("alpha")}); err != nil {
		t.Fatalf("owner creates its bucket again: %v", err)
	}
	if !scExists(t, a, "alpha", "secret") {
		t.Fatal("creating a bucket again emptied it")
	}
	_, err = a.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("alpha"), ACL: types.BucketCannedACLPublicRead})
	scWantErr(t, "owner creates its bucket again with another ACL", err, "BucketAlreadyExists", 409)

	mustCreateBucket(t, other, "beta")
	_, err = other.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("beta"), Key: aws.String("stolen"), CopySource: aws.String("alpha/secret")})
	scWantErr(t, "second key copies out of the first key's bucket", err, "AccessDenied", 403)
	_, err = a.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("beta"), Key: aws.String("pushed"), CopySource: aws.String("alpha/secret")})
	scWantErr(t, "first key copies into the second key's bucket", err, "AccessDenied", 403)
	scPut(t, other, "beta", "mine", []byte("beta data"))
	cp, err := other.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("beta"), Key: aws.String("mp")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = other.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String("beta"), Key: aws.String("mp"), UploadId: cp.UploadId,
		PartNumber: aws.Int32(1), CopySource: aws.String("alpha/secret")})
	scWantErr(t, "second key UploadPartCopy from the first key's bucket", err, "AccessDenied", 403)

	names := func(c *s3.Client) []string {
		out, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
		if err != nil {
			t.Fatal(err)
		}
		var n []string
		for _, b := range out.Buckets {
			n = append(n, aws.ToString(b.Name))
		}
		return n
	}
	if got := fmt.Sprint(names(a)); got != "[alpha]" {
		t.Fatalf("first key lists buckets %s", got)
	}
	if got := fmt.Sprint(names(other)); got != "[beta]" {
		t.Fatalf("second key lists buckets %s", got)
	}
	// Nothing the second key tried changed the first key's bucket.
	if got := getBytes(t, a, "alpha", "secret", ""); !bytes.Equal(got, data) {
		t.Fatal("the first key's object changed")
	}
	if got := listKeys(t, a, "alpha", ""); len(got) != 1 {
		t.Fatalf("the first key's bucket holds %v", got)
	}
	lu, err := a.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("alpha")})
	if err != nil || len(lu.Uploads) != 1 {
		t.Fatalf("the first key's upload: %v, %d uploads", err, len(lu.Uploads))
	}
	bt, err := a.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("alpha")})
	if apiCode(err) != "NoSuchTagSet" {
		t.Fatalf("the first key's bucket tags: %v %v", bt, err)
	}
	got, _ := scGet(t, other, &s3.GetObjectInput{Bucket: aws.String("beta"), Key: aws.String("mine")})
	if string(got) != "beta data" {
		t.Fatalf("second key reads its own object: %q", got)
	}
}
