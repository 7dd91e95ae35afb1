package test

// Helpers shared by the aws CLI, fault, canary and benchmark tests.

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// putBytes stores data as bucket/key with aws-sdk-go-v2.
func putBytes(t testing.TB, c *s3.Client, bucket, key string, data []byte) {
	t.Helper()
	_, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
		Body: bytes.NewReader(data)})
	if err != nil {
		t.Fatalf("put %s/%s (%d bytes): %v", bucket, key, len(data), err)
	}
}

// tryPut stores data at bucket/key.
func tryPut(ctx context.Context, c *s3.Client, bucket, key string, data []byte) error {
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(data)})
	return err
}

// tryGet reads bucket/key whole, returning whatever arrived and the first
// error (from the request or from reading the body).
func tryGet(ctx context.Context, c *s3.Client, bucket, key string) ([]byte, error) {
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return nil, err
	}
	defer out.Body.Close()
	return io.ReadAll(out.Body)
}

// listKeys returns the keys and sizes of bucket's objects under prefix.
func listKeys(t testing.TB, c *s3.Client, bucket, prefix string) map[string]int64 {
	t.Helper()
	got := map[string]int64{}
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatalf("list %s/%s: %v", bucket, prefix, err)
		}
		for _, o := range page.Contents {
			got[aws.ToString(o.Key)] = aws.ToInt64(o.Size)
		}
	}
	return got
}
