package test

// Signature Version 2 clients (run by TestS3CompatMinio): minio-go with V2
// credentials stores, lists, reads, copies and presigns; a wrong secret and
// an expired presigned URL are refused.

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	mcreds "github.com/minio/minio-go/v7/pkg/credentials"
)

func scSigV2Client(t *testing.T, endpoint, ak, sk string) *minio.Client {
	t.Helper()
	u, err := url.Parse(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	mc, err := minio.New(u.Host, &minio.Options{Creds: mcreds.NewStaticV2(ak, sk, ""), Secure: u.Scheme == "https",
		Region: "us-east-1", BucketLookup: minio.BucketLookupPath})
	if err != nil {
		t.Fatal(err)
	}
	return mc
}

func testSCSigV2(t *testing.T, d *devnet) {
	ctx := context.Background()
	mc := scSigV2Client(t, d.Endpoint, d.AccessKey, d.SecretKey)
	const bucket = "sigv2"
	if err := mc.MakeBucket(ctx, bucket, minio.MakeBucketOptions{Region: "us-east-1"}); err != nil {
		t.Fatalf("V2 MakeBucket: %v", err)
	}
	data := randBytes(6<<20 + 7)
	if _, err := mc.PutObject(ctx, bucket, "dir/a b+c", bytes.NewReader(data), int64(len(data)),
		minio.PutObjectOptions{UserMetadata: map[string]string{"k": "v"}}); err != nil {
		t.Fatalf("V2 PutObject: %v", err)
	}
	scSameBytes(t, "V2 GetObject", scMinioGet(t, mc, bucket, "dir/a b+c", minio.GetObjectOptions{}), data)
	n := 0
	for o := range mc.ListObjects(ctx, bucket, minio.ListObjectsOptions{Recursive: true}) {
		if o.Err != nil {
			t.Fatalf("V2 ListObjects: %v", o.Err)
		}
		n++
	}
	if n != 1 {
		t.Fatalf("V2 ListObjects: %d objects, want 1", n)
	}
	if _, err := mc.CopyObject(ctx, minio.CopyDestOptions{Bucket: bucket, Object: "copy"},
		minio.CopySrcOptions{Bucket: bucket, Object: "dir/a b+c"}); err != nil {
		t.Fatalf("V2 CopyObject: %v", err)
	}
	u, err := mc.PresignedGetObject(ctx, bucket, "copy", time.Minute, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(u.String())
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("V2 presigned GET: %d %s", resp.StatusCode, got)
	}
	scSameBytes(t, "V2 presigned GET", got, data)

	bad := scSigV2Client(t, d.Endpoint, d.AccessKey, "not-the-secret-key")
	_, err = bad.StatObject(ctx, bucket, "copy", minio.StatObjectOptions{})
	if minio.ToErrorResponse(err).StatusCode != http.StatusForbidden {
		t.Fatalf("V2 with a wrong secret: %v, want 403", err)
	}
	for _, k := range []string{"copy", "dir/a b+c"} {
		if err := mc.RemoveObject(ctx, bucket, k, minio.RemoveObjectOptions{}); err != nil {
			t.Fatalf("V2 RemoveObject %s: %v", k, err)
		}
	}
	if err := mc.RemoveBucket(ctx, bucket); err != nil {
		t.Fatalf("V2 RemoveBucket: %v", err)
	}
}
