package test

// S3 compatibility of SSE-KMS (run by TestS3CompatObjects): objects,
// copies, multipart uploads and bucket defaults under KMS keys the
// gateway's wallet holds; reads need nothing and say which key.

import (
	"bytes"
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// scKMSKeys are the SSE-KMS key ids TestS3CompatObjects's devnet allows
// (--kms-keys), besides mefs/s3.
const scKMSKeys = "testkey-1,k1,k2,bucket-key"

// scWantKMS fails unless a response said aws:kms under key.
func scWantKMS(t *testing.T, what string, sse types.ServerSideEncryption, keyID *string, key string) {
	t.Helper()
	if sse != types.ServerSideEncryptionAwsKms || aws.ToString(keyID) != key {
		t.Fatalf("%s: encryption %q key %q, want aws:kms %q", what, sse, aws.ToString(keyID), key)
	}
}

// scSSEKMS: objects of every size class under a named key and the default
// one, copies between keys, multipart uploads, and a bucket whose default
// encryption is aws:kms.
func scSSEKMS(t *testing.T, c *s3.Client) {
	ctx := context.Background()
	b := aws.String("obj")
	for _, size := range []int{10, 50 << 10, 9<<20 + 3} {
		k := aws.String("ssekms/" + string(rune('a'+size%26)))
		data := randBytes(size)
		put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: k, Body: bytes.NewReader(data),
			ServerSideEncryption: types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String("testkey-1")})
		if err != nil {
			t.Fatalf("%d bytes: PUT with SSE-KMS: %v", size, err)
		}
		scWantKMS(t, "PUT", put.ServerSideEncryption, put.SSEKMSKeyId, "testkey-1")
		got, out := scGet(t, c, &s3.GetObjectInput{Bucket: b, Key: k})
		scSameBytes(t, "GET of an SSE-KMS object", got, data)
		scWantKMS(t, "GET", out.ServerSideEncryption, out.SSEKMSKeyId, "testkey-1")
		rng, _ := scGet(t, c, &s3.GetObjectInput{Bucket: b, Key: k, Range: aws.String("bytes=3-8")})
		scSameBytes(t, "ranged GET of an SSE-KMS object", rng, data[3:9])
		head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: k})
		if err != nil {
			t.Fatal(err)
		}
		scWantKMS(t, "HEAD", head.ServerSideEncryption, head.SSEKMSKeyId, "testkey-1")
	}
	put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("ssekms/default"), Body: bytes.NewReader([]byte("d")),
		ServerSideEncryption: types.ServerSideEncryptionAwsKms, SSEKMSEncryptionContext: aws.String("eyJhIjoiYiJ9")})
	if err != nil {
		t.Fatalf("PUT with aws:kms and no key id: %v", err)
	}
	scWantKMS(t, "PUT naming no key", put.ServerSideEncryption, put.SSEKMSKeyId, "mefs/s3")
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("ssekms/default")}, func(o *s3.Options) {
		o.APIOptions = append(o.APIOptions, smithyhttp.AddHeaderValue("x-amz-server-side-encryption", "aws:kms"))
	})
	scWantErr(t, "HEAD with x-amz-server-side-encryption: aws:kms", err, "", 400)
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("ssekms/unlisted"), Body: bytes.NewReader([]byte("u")),
		ServerSideEncryption: types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String("not-listed")})
	scWantErr(t, "PUT under a KMS key --kms-keys does not list", err, "KMS.NotFoundException", 400)
	if scExists(t, c, "obj", "ssekms/unlisted") {
		t.Fatal("a PUT under an unlisted KMS key stored the object")
	}
	scSSEKMSCopy(t, c)
	scSSEKMSMultipart(t, c)
	scSSEKMSBucketDefault(t, c)
}

// scSSEKMSCopy: a copy is encrypted as its request says, whatever its
// source's key; a key can be changed in place.
func scSSEKMSCopy(t *testing.T, c *s3.Client) {
	ctx := context.Background()
	b, src := aws.String("obj"), aws.String("ssekms/copysrc")
	data := randBytes(300 << 10)
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: src, Body: bytes.NewReader(data),
		ServerSideEncryption: types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String("k1")}); err != nil {
		t.Fatal(err)
	}
	cp, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: b, Key: aws.String("ssekms/copy-plain"), CopySource: aws.String("obj/ssekms/copysrc")})
	if err != nil || cp.ServerSideEncryption != types.ServerSideEncryptionAes256 {
		t.Fatalf("copy of an SSE-KMS object without encryption headers: %v, encryption %q, want AES256", err, cp.ServerSideEncryption)
	}
	got, _ := scGet(t, c, &s3.GetObjectInput{Bucket: b, Key: aws.String("ssekms/copy-plain")})
	scSameBytes(t, "plain copy of an SSE-KMS object", got, data)
	cp, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: b, Key: src, CopySource: aws.String("obj/ssekms/copysrc"),
		ServerSideEncryption: types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String("k2")})
	if err != nil {
		t.Fatalf("copy of an SSE-KMS object onto itself under another key: %v", err)
	}
	scWantKMS(t, "copy in place", cp.ServerSideEncryption, cp.SSEKMSKeyId, "k2")
	got, out := scGet(t, c, &s3.GetObjectInput{Bucket: b, Key: src})
	scSameBytes(t, "object after its KMS key changed", got, data)
	scWantKMS(t, "GET after the key changed", out.ServerSideEncryption, out.SSEKMSKeyId, "k2")
}

// scSSEKMSMultipart: an upload under a KMS key encrypts every part under it,
// whatever the parts' requests say, and the object says so.
func scSSEKMSMultipart(t *testing.T, c *s3.Client) {
	ctx := context.Background()
	b, k := aws.String("obj"), aws.String("ssekms/multipart")
	cr, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: k,
		ServerSideEncryption: types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String("k1")})
	if err != nil {
		t.Fatalf("CreateMultipartUpload with SSE-KMS: %v", err)
	}
	scWantKMS(t, "CreateMultipartUpload", cr.ServerSideEncryption, cr.SSEKMSKeyId, "k1")
	p1, p2 := randBytes(5<<20), randBytes(1<<20)
	var parts []types.CompletedPart
	for i, body := range [][]byte{p1, p2} {
		// A part naming another key is encrypted as its upload says.
		up, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: b, Key: k, UploadId: cr.UploadId, PartNumber: aws.Int32(int32(i + 1)),
			Body: bytes.NewReader(body)}, func(o *s3.Options) {
			o.APIOptions = append(o.APIOptions, smithyhttp.AddHeaderValue("x-amz-server-side-encryption", "aws:kms"),
				smithyhttp.AddHeaderValue("x-amz-server-side-encryption-aws-kms-key-id", "k2"))
		})
		if err != nil {
			t.Fatalf("part %d: %v", i+1, err)
		}
		scWantKMS(t, "UploadPart", up.ServerSideEncryption, up.SSEKMSKeyId, "k1")
		parts = append(parts, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: up.ETag})
	}
	done, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: b, Key: k, UploadId: cr.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}})
	if err != nil {
		t.Fatal(err)
	}
	scWantKMS(t, "CompleteMultipartUpload", done.ServerSideEncryption, done.SSEKMSKeyId, "k1")
	got, out := scGet(t, c, &s3.GetObjectInput{Bucket: b, Key: k})
	scSameBytes(t, "completed SSE-KMS upload", got, append(p1, p2...))
	scWantKMS(t, "GET of the completed upload", out.ServerSideEncryption, out.SSEKMSKeyId, "k1")
}

// scSSEKMSBucketDefault: a bucket whose default encryption is aws:kms
// encrypts writes that ask for none under its key; a write that asks for
// AES256 keeps it.
func scSSEKMSBucketDefault(t *testing.T, c *s3.Client) {
	ctx := context.Background()
	mustCreateBucket(t, c, "kmsdefault")
	b := aws.String("kmsdefault")
	_, err := c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: b,
		ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{Rules: []types.ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAwsKms,
				KMSMasterKeyID: aws.String("not-listed")}}}}})
	scWantErr(t, "PutBucketEncryption with an unlisted KMS key", err, "KMS.NotFoundException", 400)
	if _, err := c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: b,
		ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{Rules: []types.ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAwsKms,
				KMSMasterKeyID: aws.String("bucket-key")}, BucketKeyEnabled: aws.Bool(true)}}}}); err != nil {
		t.Fatalf("PutBucketEncryption aws:kms: %v", err)
	}
	enc, err := c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: b})
	if err != nil {
		t.Fatal(err)
	}
	rule := enc.ServerSideEncryptionConfiguration.Rules[0]
	if d := rule.ApplyServerSideEncryptionByDefault; d.SSEAlgorithm != types.ServerSideEncryptionAwsKms ||
		aws.ToString(d.KMSMasterKeyID) != "bucket-key" || !aws.ToBool(rule.BucketKeyEnabled) {
		t.Fatalf("GetBucketEncryption: %+v, bucket key %v", d, aws.ToBool(rule.BucketKeyEnabled))
	}
	put := scPut(t, c, "kmsdefault", "plain", []byte("by default"))
	scWantKMS(t, "PUT into an aws:kms bucket", put.ServerSideEncryption, put.SSEKMSKeyId, "bucket-key")
	got, out := scGet(t, c, &s3.GetObjectInput{Bucket: b, Key: aws.String("plain")})
	scSameBytes(t, "GET from an aws:kms bucket", got, []byte("by default"))
	scWantKMS(t, "GET from an aws:kms bucket", out.ServerSideEncryption, out.SSEKMSKeyId, "bucket-key")
	asked, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("asked"), Body: bytes.NewReader([]byte("x")),
		ServerSideEncryption: types.ServerSideEncryptionAes256})
	if err != nil || asked.ServerSideEncryption != types.ServerSideEncryptionAes256 || asked.SSEKMSKeyId != nil {
		t.Fatalf("PUT asking for AES256 into an aws:kms bucket: %v, %q %q", err, asked.ServerSideEncryption, aws.ToString(asked.SSEKMSKeyId))
	}
}
