package test

// S3 compatibility of SSE-C, customer-provided keys (run by
// TestS3CompatObjects): objects, copies and multipart uploads under a
// customer's key read only with it.

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// ssecKey is a customer key as the SDK sends it: base64 key and its MD5.
type ssecKey struct{ key, md5 string }

func newSSECKey(b byte) ssecKey {
	k := bytes.Repeat([]byte{b}, 32)
	sum := md5.Sum(k)
	return ssecKey{base64.StdEncoding.EncodeToString(k), base64.StdEncoding.EncodeToString(sum[:])}
}

// scSSEC: objects of every size class, copies and multipart uploads under
// customer keys.
func scSSEC(t *testing.T, c *s3.Client) {
	ctx := context.Background()
	b := aws.String("obj")
	a, other := newSSECKey(1), newSSECKey(2)
	for _, size := range []int{10, 50 << 10, 9<<20 + 3} {
		k := aws.String("ssec/" + string(rune('a'+size%26)))
		data := randBytes(size)
		put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: k, Body: bytes.NewReader(data),
			SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(a.key), SSECustomerKeyMD5: aws.String(a.md5)})
		if err != nil {
			t.Fatalf("%d bytes: PUT with SSE-C: %v", size, err)
		}
		if aws.ToString(put.SSECustomerKeyMD5) != a.md5 || aws.ToString(put.SSECustomerAlgorithm) != "AES256" || put.ServerSideEncryption != "" {
			t.Fatalf("%d bytes: PUT with SSE-C answered algorithm %q key MD5 %q SSE %q", size,
				aws.ToString(put.SSECustomerAlgorithm), aws.ToString(put.SSECustomerKeyMD5), put.ServerSideEncryption)
		}
		got, out := scGet(t, c, &s3.GetObjectInput{Bucket: b, Key: k,
			SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(a.key), SSECustomerKeyMD5: aws.String(a.md5)})
		scSameBytes(t, "GET with the customer key", got, data)
		if aws.ToString(out.SSECustomerKeyMD5) != a.md5 {
			t.Fatalf("%d bytes: GET answered key MD5 %q", size, aws.ToString(out.SSECustomerKeyMD5))
		}
		rng, _ := scGet(t, c, &s3.GetObjectInput{Bucket: b, Key: k, Range: aws.String("bytes=3-8"),
			SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(a.key), SSECustomerKeyMD5: aws.String(a.md5)})
		scSameBytes(t, "ranged GET with the customer key", rng, data[3:9])
		_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: k})
		scWantErr(t, "GET of an SSE-C object without its key", err, "InvalidRequest", 400)
		_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: k})
		scWantErr(t, "HEAD of an SSE-C object without its key", err, "", 400)
		_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: k,
			SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(other.key), SSECustomerKeyMD5: aws.String(other.md5)})
		scWantErr(t, "GET of an SSE-C object with another key", err, "AccessDenied", 403)
		if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: k,
			SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(a.key), SSECustomerKeyMD5: aws.String(a.md5)}); err != nil {
			t.Fatalf("%d bytes: HEAD with the key: %v", size, err)
		}
	}
	scSSECCopy(t, c, a, other)
	scSSECMultipart(t, c, a, other)
	scSSECPolicy(t, c, a)
}

// scSSECPolicy: a bucket policy can require SSE-C on every PUT.
func scSSECPolicy(t *testing.T, c *s3.Client, a ssecKey) {
	ctx := context.Background()
	mustCreateBucket(t, c, "ssecpolicy")
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:PutObject",` +
		`"Resource":"arn:aws:s3:::ssecpolicy/*","Condition":{"Null":{"s3:x-amz-server-side-encryption-customer-algorithm":"true"}}}]}`
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("ssecpolicy"), Policy: aws.String(policy)}); err != nil {
		t.Fatal(err)
	}
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("ssecpolicy"), Key: aws.String("k"), Body: bytes.NewReader([]byte("x"))})
	scWantErr(t, "PUT without SSE-C where a policy requires it", err, "AccessDenied", 403)
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("ssecpolicy"), Key: aws.String("k"), Body: bytes.NewReader([]byte("x")),
		SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(a.key), SSECustomerKeyMD5: aws.String(a.md5)}); err != nil {
		t.Fatalf("PUT with SSE-C where a policy requires it: %v", err)
	}
}

// scSSECCopy: a copy reads its source with the source's key and writes the
// copy under the destination's (or none); a key can be changed in place.
func scSSECCopy(t *testing.T, c *s3.Client, a, other ssecKey) {
	ctx := context.Background()
	b, src := aws.String("obj"), aws.String("ssec/copysrc")
	data := randBytes(300 << 10)
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: src, Body: bytes.NewReader(data),
		SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(a.key), SSECustomerKeyMD5: aws.String(a.md5)}); err != nil {
		t.Fatal(err)
	}
	_, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: b, Key: aws.String("ssec/copy-plain"), CopySource: aws.String("obj/ssec/copysrc")})
	scWantErr(t, "copy of an SSE-C source without its key", err, "InvalidRequest", 400)
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: b, Key: aws.String("ssec/copy-plain"), CopySource: aws.String("obj/ssec/copysrc"),
		CopySourceSSECustomerAlgorithm: aws.String("AES256"), CopySourceSSECustomerKey: aws.String(a.key), CopySourceSSECustomerKeyMD5: aws.String(a.md5)}); err != nil {
		t.Fatalf("copy of an SSE-C source to a plain object: %v", err)
	}
	got, _ := scGet(t, c, &s3.GetObjectInput{Bucket: b, Key: aws.String("ssec/copy-plain")})
	scSameBytes(t, "plain copy of an SSE-C object", got, data)
	// Change the key in place.
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: b, Key: src, CopySource: aws.String("obj/ssec/copysrc"),
		CopySourceSSECustomerAlgorithm: aws.String("AES256"), CopySourceSSECustomerKey: aws.String(a.key), CopySourceSSECustomerKeyMD5: aws.String(a.md5),
		SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(other.key), SSECustomerKeyMD5: aws.String(other.md5)}); err != nil {
		t.Fatalf("copy of an SSE-C object onto itself under another key: %v", err)
	}
	got, _ = scGet(t, c, &s3.GetObjectInput{Bucket: b, Key: src,
		SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(other.key), SSECustomerKeyMD5: aws.String(other.md5)})
	scSameBytes(t, "object after its key changed", got, data)
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: src,
		SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(a.key), SSECustomerKeyMD5: aws.String(a.md5)})
	scWantErr(t, "GET with the key an object had before", err, "AccessDenied", 403)
}

// scSSECMultipart: every part of an upload under a customer key must
// present it; the completed object reads with it.
func scSSECMultipart(t *testing.T, c *s3.Client, a, other ssecKey) {
	ctx := context.Background()
	b, k := aws.String("obj"), aws.String("ssec/multipart")
	cr, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: k,
		SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(a.key), SSECustomerKeyMD5: aws.String(a.md5)})
	if err != nil || aws.ToString(cr.SSECustomerKeyMD5) != a.md5 {
		t.Fatalf("CreateMultipartUpload with SSE-C: %v, key MD5 %q", err, aws.ToString(cr.SSECustomerKeyMD5))
	}
	p1, p2 := randBytes(5<<20), randBytes(1<<20)
	part := func(n int32, body []byte, key *ssecKey) (*s3.UploadPartOutput, error) {
		in := &s3.UploadPartInput{Bucket: b, Key: k, UploadId: cr.UploadId, PartNumber: aws.Int32(n), Body: bytes.NewReader(body)}
		if key != nil {
			in.SSECustomerAlgorithm, in.SSECustomerKey, in.SSECustomerKeyMD5 = aws.String("AES256"), aws.String(key.key), aws.String(key.md5)
		}
		return c.UploadPart(ctx, in)
	}
	// Refused parts are small: a refused body the server does not read
	// whole may reach a client that sent it anyway as a reset connection.
	small := randBytes(1 << 10)
	_, err = part(1, small, nil)
	scWantErr(t, "UploadPart without the upload's key", err, "InvalidRequest", 400)
	_, err = part(1, small, &other)
	scWantErr(t, "UploadPart under another key", err, "InvalidArgument", 400)
	o1, err := part(1, p1, &a)
	if err != nil {
		t.Fatal(err)
	}
	o2, err := part(2, p2, &a)
	if err != nil {
		t.Fatal(err)
	}
	parts := &types.CompletedMultipartUpload{Parts: []types.CompletedPart{
		{PartNumber: aws.Int32(1), ETag: o1.ETag}, {PartNumber: aws.Int32(2), ETag: o2.ETag}}}
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: b, Key: k, UploadId: cr.UploadId, MultipartUpload: parts,
		SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(other.key), SSECustomerKeyMD5: aws.String(other.md5)})
	scWantErr(t, "CompleteMultipartUpload presenting another key", err, "InvalidArgument", 400)
	// The key is not required here, as in S3.
	if _, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: b, Key: k, UploadId: cr.UploadId, MultipartUpload: parts}); err != nil {
		t.Fatalf("CompleteMultipartUpload: %v", err)
	}
	got, _ := scGet(t, c, &s3.GetObjectInput{Bucket: b, Key: k,
		SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(a.key), SSECustomerKeyMD5: aws.String(a.md5)})
	scSameBytes(t, "multipart SSE-C object", got, append(p1, p2...))
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: k})
	scWantErr(t, "GET of a multipart SSE-C object without its key", err, "InvalidRequest", 400)
}
