package test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

func randBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func mustCreateBucket(t *testing.T, c *s3.Client, name string) {
	t.Helper()
	if _, err := c.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("create bucket %s: %v", name, err)
	}
}

func getBytes(t *testing.T, c *s3.Client, bucket, key, rng string) []byte {
	t.Helper()
	in := &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}
	if rng != "" {
		in.Range = aws.String(rng)
	}
	out, err := c.GetObject(context.Background(), in)
	if err != nil {
		t.Fatalf("get %s/%s range %q: %v", bucket, key, rng, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatalf("read %s/%s range %q: %v", bucket, key, rng, err)
	}
	return b
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// TestDevnetRoundtrip stores objects of awkward sizes through a devnet with
// aws-sdk-go-v2 at its default settings and reads them back whole and in
// ranges.
func TestDevnetRoundtrip(t *testing.T) {
	d := startDevnet(t, "", "--providers", "6", "--ec", "4+2")
	c := d.client(t)
	ctx := context.Background()
	mustCreateBucket(t, c, "roundtrip")

	sizes := []int{0, 1, 5 << 20, 100 << 20}
	if testing.Short() {
		sizes = []int{0, 1, 5 << 20}
	}
	for _, size := range sizes {
		key := fmt.Sprintf("objects/size-%d", size)
		data := randBytes(size)
		put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("roundtrip"), Key: aws.String(key),
			Body: bytes.NewReader(data), ContentType: aws.String("application/x-test"),
			Metadata: map[string]string{"origin": "roundtrip"}})
		if err != nil {
			t.Fatalf("put %d bytes: %v", size, err)
		}
		if got := getBytes(t, c, "roundtrip", key, ""); sha256.Sum256(got) != sha256.Sum256(data) {
			t.Fatalf("size %d: got %d bytes back, content differs", size, len(got))
		}
		head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("roundtrip"), Key: aws.String(key)})
		if err != nil {
			t.Fatalf("head %s: %v", key, err)
		}
		if aws.ToInt64(head.ContentLength) != int64(size) || aws.ToString(head.ETag) != aws.ToString(put.ETag) ||
			aws.ToString(head.ContentType) != "application/x-test" || head.Metadata["origin"] != "roundtrip" {
			t.Fatalf("head %s: length %d etag %s type %s meta %v; want %d %s", key, aws.ToInt64(head.ContentLength),
				aws.ToString(head.ETag), aws.ToString(head.ContentType), head.Metadata, size, aws.ToString(put.ETag))
		}
		if size == 0 {
			_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("roundtrip"), Key: aws.String(key), Range: aws.String("bytes=0-0")})
			if apiCode(err) != "InvalidRange" {
				t.Fatalf("range on empty object: got %v, want InvalidRange", err)
			}
			continue
		}
		ranges := [][2]int{{0, 0}, {size - 1, size - 1}}
		if size > 4<<20 {
			// Across stripe boundaries (a stripe is 4 MiB-16 bytes at 4+2, 1 MiB chunks).
			ranges = append(ranges, [2]int{4<<20 - 100, 4<<20 + 100}, [2]int{1 << 20, 3<<20 + 17}, [2]int{size - 5<<20 + 3, size - 1})
		}
		for _, r := range ranges {
			got := getBytes(t, c, "roundtrip", key, fmt.Sprintf("bytes=%d-%d", r[0], r[1]))
			if !bytes.Equal(got, data[r[0]:r[1]+1]) {
				t.Fatalf("size %d range %v: wrong bytes (%d back)", size, r, len(got))
			}
		}
		if got := getBytes(t, c, "roundtrip", key, "bytes=-7"); !bytes.Equal(got, data[max(0, size-7):]) {
			t.Fatalf("size %d suffix range: wrong bytes", size)
		}
		_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("roundtrip"), Key: aws.String(key),
			Range: aws.String(fmt.Sprintf("bytes=%d-", size))})
		if apiCode(err) != "InvalidRange" {
			t.Fatalf("range past the end: got %v, want InvalidRange", err)
		}
	}

	list, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("roundtrip"), Prefix: aws.String("objects/")})
	if err != nil {
		t.Fatal(err)
	}
	if int(aws.ToInt32(list.KeyCount)) != len(sizes) || len(list.Contents) != len(sizes) {
		t.Fatalf("listed %d objects, want %d", len(list.Contents), len(sizes))
	}
	_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("roundtrip")})
	if apiCode(err) != "BucketNotEmpty" {
		t.Fatalf("delete non-empty bucket: got %v, want BucketNotEmpty", err)
	}
	for _, o := range list.Contents {
		if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("roundtrip"), Key: o.Key}); err != nil {
			t.Fatalf("delete %s: %v", aws.ToString(o.Key), err)
		}
		_, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("roundtrip"), Key: o.Key})
		var nf *types.NotFound
		if !errors.As(err, &nf) {
			t.Fatalf("head after delete of %s: got %v, want NotFound", aws.ToString(o.Key), err)
		}
	}
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("roundtrip"), Key: aws.String("objects/size-1")})
	var nsk *types.NoSuchKey
	if !errors.As(err, &nsk) {
		t.Fatalf("get after delete: got %v, want NoSuchKey", err)
	}
	if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("roundtrip")}); err != nil {
		t.Fatalf("delete empty bucket: %v", err)
	}
	_, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("roundtrip")})
	var nf *types.NotFound
	if !errors.As(err, &nf) {
		t.Fatalf("head deleted bucket: got %v, want NotFound", err)
	}
}
