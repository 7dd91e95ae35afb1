package user

// S3 behaviours found with minio-go's functional tests, through the real
// gateway and Layer: the 2026 checksum algorithms, the checksum of a copy,
// of a PUT and in listings, in-place copies that ask for an encryption, and
// the owner creating its bucket again outside us-east-1.

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/cespare/xxhash/v2"
)

// plainClient is a client of e that sends no checksum of its own.
func (e *s3env) plainClient() *s3.Client {
	return s3.New(s3.Options{Region: "us-east-1", BaseEndpoint: aws.String(e.url), UsePathStyle: true,
		Credentials: e.c.Options().Credentials, RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired})
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func TestS3NewChecksumAlgorithms(t *testing.T) {
	e := newS3Env(t)
	e.bucket("sums", "")
	c := e.plainClient()
	body := []byte("checked with XXHASH64")
	h := xxhash.New()
	h.Write(body)
	right := b64(h.Sum(nil))
	_, err := c.PutObject(bg, &s3.PutObjectInput{Bucket: aws.String("sums"), Key: aws.String("x"), Body: bytes.NewReader(body),
		ChecksumXXHASH64: aws.String(b64(make([]byte, 8)))})
	wantErr(t, "a PUT with a wrong XXHASH64", err, "BadDigest", 400)
	put, err := c.PutObject(bg, &s3.PutObjectInput{Bucket: aws.String("sums"), Key: aws.String("x"), Body: bytes.NewReader(body),
		ChecksumXXHASH64: aws.String(right)})
	if err != nil || aws.ToString(put.ChecksumXXHASH64) != right || put.ChecksumType != s3types.ChecksumTypeFullObject {
		t.Fatalf("a PUT with its XXHASH64: %v, answered %q type %q", err, aws.ToString(put.ChecksumXXHASH64), put.ChecksumType)
	}
	head, err := c.HeadObject(bg, &s3.HeadObjectInput{Bucket: aws.String("sums"), Key: aws.String("x"), ChecksumMode: s3types.ChecksumModeEnabled})
	if err != nil || aws.ToString(head.ChecksumXXHASH64) != right {
		t.Fatalf("HEAD: %v, XXHASH64 %q, want %q", err, aws.ToString(head.ChecksumXXHASH64), right)
	}

	// A multipart MD5 upload is COMPOSITE: the MD5 of its parts' MD5s.
	data := randData(3, 5<<20+100)
	halves := [][]byte{data[:5<<20], data[5<<20:]}
	_, err = c.CreateMultipartUpload(bg, &s3.CreateMultipartUploadInput{Bucket: aws.String("sums"), Key: aws.String("m"),
		ChecksumAlgorithm: s3types.ChecksumAlgorithmMd5, ChecksumType: s3types.ChecksumTypeFullObject})
	wantErr(t, "a FULL_OBJECT MD5 upload", err, "InvalidRequest", 400)
	cr, err := c.CreateMultipartUpload(bg, &s3.CreateMultipartUploadInput{Bucket: aws.String("sums"), Key: aws.String("m"),
		ChecksumAlgorithm: s3types.ChecksumAlgorithmMd5})
	if err != nil || cr.ChecksumType != s3types.ChecksumTypeComposite {
		t.Fatalf("create an MD5 upload: %v, type %q", err, cr.ChecksumType)
	}
	var parts []s3types.CompletedPart
	var raw []byte
	for i, p := range halves {
		sum := md5.Sum(p)
		up, err := c.UploadPart(bg, &s3.UploadPartInput{Bucket: aws.String("sums"), Key: aws.String("m"), UploadId: cr.UploadId,
			PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(p)})
		if err != nil || aws.ToString(up.ChecksumMD5) != b64(sum[:]) {
			t.Fatalf("part %d: %v, MD5 %q, want %q", i+1, err, aws.ToString(up.ChecksumMD5), b64(sum[:]))
		}
		raw = append(raw, sum[:]...)
		parts = append(parts, s3types.CompletedPart{ETag: up.ETag, PartNumber: aws.Int32(int32(i + 1)), ChecksumMD5: up.ChecksumMD5})
	}
	composite := md5.Sum(raw)
	done, err := c.CompleteMultipartUpload(bg, &s3.CompleteMultipartUploadInput{Bucket: aws.String("sums"), Key: aws.String("m"),
		UploadId: cr.UploadId, MultipartUpload: &s3types.CompletedMultipartUpload{Parts: parts}})
	if want := b64(composite[:]) + "-2"; err != nil || aws.ToString(done.ChecksumMD5) != want {
		t.Fatalf("complete: %v, MD5 %q, want %q", err, aws.ToString(done.ChecksumMD5), want)
	}
	attrs, err := c.GetObjectAttributes(bg, &s3.GetObjectAttributesInput{Bucket: aws.String("sums"), Key: aws.String("m"),
		ObjectAttributes: []s3types.ObjectAttributes{s3types.ObjectAttributesChecksum}})
	if err != nil || attrs.Checksum == nil || aws.ToString(attrs.Checksum.ChecksumMD5) != b64(composite[:]) ||
		attrs.Checksum.ChecksumType != s3types.ChecksumTypeComposite {
		t.Fatalf("GetObjectAttributes: %v %+v, want MD5 %q (no part count) COMPOSITE", err, attrs.Checksum, b64(composite[:]))
	}

	// Its copy is one object: the MD5 of the whole of it.
	whole := md5.Sum(data)
	cp, err := c.CopyObject(bg, &s3.CopyObjectInput{Bucket: aws.String("sums"), Key: aws.String("m-copy"), CopySource: aws.String("sums/m")})
	if err != nil || aws.ToString(cp.CopyObjectResult.ChecksumMD5) != b64(whole[:]) ||
		cp.CopyObjectResult.ChecksumType != s3types.ChecksumTypeFullObject {
		t.Fatalf("copy: %v, result %+v, want MD5 %q FULL_OBJECT", err, cp.CopyObjectResult, b64(whole[:]))
	}
	head, err = c.HeadObject(bg, &s3.HeadObjectInput{Bucket: aws.String("sums"), Key: aws.String("m-copy"), ChecksumMode: s3types.ChecksumModeEnabled})
	if err != nil || aws.ToString(head.ChecksumMD5) != b64(whole[:]) || head.ChecksumType != s3types.ChecksumTypeFullObject {
		t.Fatalf("HEAD of the copy: %v, MD5 %q type %q, want %q FULL_OBJECT", err, aws.ToString(head.ChecksumMD5), head.ChecksumType, b64(whole[:]))
	}
}

// TestS3CopyInPlaceWithEncryption: an object may be copied onto itself
// unchanged when the copy names an encryption or a storage class.
func TestS3CopyInPlaceWithEncryption(t *testing.T) {
	e := newS3Env(t)
	e.bucket("inplace", "")
	e.put("inplace", "k", "same bytes")
	in := func() *s3.CopyObjectInput {
		return &s3.CopyObjectInput{Bucket: aws.String("inplace"), Key: aws.String("k"), CopySource: aws.String("inplace/k")}
	}
	_, err := e.c.CopyObject(bg, in())
	wantErr(t, "an in-place copy that changes nothing", err, "InvalidRequest", 400)
	enc := in()
	enc.ServerSideEncryption = s3types.ServerSideEncryptionAes256
	if _, err := e.c.CopyObject(bg, enc); err != nil {
		t.Fatalf("an in-place copy asking for SSE-S3: %v", err)
	}
	class := in()
	class.StorageClass = s3types.StorageClassStandard
	if _, err := e.c.CopyObject(bg, class); err != nil {
		t.Fatalf("an in-place copy naming a storage class: %v", err)
	}
	e.wantBody("inplace", "k", "", "same bytes")
}

// TestS3RecreateOwnBucket: the owner creating its bucket again succeeds in
// us-east-1 and is BucketAlreadyOwnedByYou in any other region.
func TestS3RecreateOwnBucket(t *testing.T) {
	e := newS3Env(t)
	e.bucket("east", "")
	if _, err := e.c.CreateBucket(bg, &s3.CreateBucketInput{Bucket: aws.String("east")}); err != nil {
		t.Fatalf("re-create in us-east-1: %v", err)
	}
	in := &s3.CreateBucketInput{Bucket: aws.String("central"),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraintEuCentral1}}
	if _, err := e.c.CreateBucket(bg, in); err != nil {
		t.Fatal(err)
	}
	_, err := e.c.CreateBucket(bg, in)
	wantErr(t, "re-create in eu-central-1", err, "BucketAlreadyOwnedByYou", 409)
	if !strings.Contains(err.Error(), "you already own it") {
		t.Fatalf("re-create in eu-central-1: %v", err)
	}
}

// TestS3ListedChecksums: a listing names the checksum algorithm and type of
// each object: the one it was written with, or CRC64NVME, which S3 gives an
// object written without one.
func TestS3ListedChecksums(t *testing.T) {
	e := newS3Env(t)
	e.bucket("listed", "Enabled")
	c := e.plainClient()
	if _, err := c.PutObject(bg, &s3.PutObjectInput{Bucket: aws.String("listed"), Key: aws.String("a-sum"),
		Body: strings.NewReader("summed"), ChecksumAlgorithm: s3types.ChecksumAlgorithmSha256}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutObject(bg, &s3.PutObjectInput{Bucket: aws.String("listed"), Key: aws.String("b-none"),
		Body: strings.NewReader("plain")}); err != nil {
		t.Fatal(err)
	}
	want := func(what string, algs []s3types.ChecksumAlgorithm, typ s3types.ChecksumType, key string) {
		t.Helper()
		if key == "a-sum" && (len(algs) != 1 || algs[0] != s3types.ChecksumAlgorithmSha256 || typ != s3types.ChecksumTypeFullObject) {
			t.Fatalf("%s %s: algorithms %v type %q, want [SHA256] FULL_OBJECT", what, key, algs, typ)
		}
		if key == "b-none" && (len(algs) != 1 || algs[0] != s3types.ChecksumAlgorithmCrc64nvme || typ != s3types.ChecksumTypeFullObject) {
			t.Fatalf("%s %s: algorithms %v type %q, want the default [CRC64NVME] FULL_OBJECT", what, key, algs, typ)
		}
	}
	l2, err := c.ListObjectsV2(bg, &s3.ListObjectsV2Input{Bucket: aws.String("listed")})
	if err != nil || len(l2.Contents) != 2 {
		t.Fatalf("ListObjectsV2: %v, %d objects", err, len(l2.Contents))
	}
	for _, o := range l2.Contents {
		want("ListObjectsV2", o.ChecksumAlgorithm, o.ChecksumType, aws.ToString(o.Key))
	}
	lv, err := c.ListObjectVersions(bg, &s3.ListObjectVersionsInput{Bucket: aws.String("listed")})
	if err != nil || len(lv.Versions) != 2 {
		t.Fatalf("ListObjectVersions: %v, %d versions", err, len(lv.Versions))
	}
	for _, v := range lv.Versions {
		want("ListObjectVersions", v.ChecksumAlgorithm, v.ChecksumType, aws.ToString(v.Key))
	}
}
