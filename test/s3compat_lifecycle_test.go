package test

// Bucket lifecycle rules end to end: a devnet whose lifecycle day is a
// second (--lifecycle-day) expires objects and aborts uploads on its own.

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func scLifecycle(t *testing.T, d *devnet, c *s3.Client) {
	ctx := context.Background()
	mustCreateBucket(t, c, "lifecycle")
	_, err := c.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: aws.String("lifecycle"),
		LifecycleConfiguration: &types.BucketLifecycleConfiguration{Rules: []types.LifecycleRule{
			{ID: aws.String("tmp"), Status: types.ExpirationStatusEnabled, Filter: &types.LifecycleRuleFilter{Prefix: aws.String("tmp/")},
				Expiration: &types.LifecycleExpiration{Days: aws.Int32(2)}},
			{ID: aws.String("uploads"), Status: types.ExpirationStatusEnabled, Filter: &types.LifecycleRuleFilter{Prefix: aws.String("mp/")},
				AbortIncompleteMultipartUpload: &types.AbortIncompleteMultipartUpload{DaysAfterInitiation: aws.Int32(2)}},
		}}})
	if err != nil {
		t.Fatalf("put lifecycle: %v", err)
	}
	put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("lifecycle"), Key: aws.String("tmp/a"), Body: strings.NewReader("a")})
	if err != nil || !strings.Contains(aws.ToString(put.Expiration), `rule-id="tmp"`) {
		t.Fatalf("put tmp/a: expiration %q, %v", aws.ToString(put.Expiration), err)
	}
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("lifecycle"), Key: aws.String("keep/b"), Body: strings.NewReader("b")}); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"mp/x", "other/y"} {
		if _, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("lifecycle"), Key: aws.String(key)}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		keys, uploads := lifecycleState(t, c)
		if slices.Equal(keys, []string{"keep/b"}) && slices.Equal(uploads, []string{"other/y"}) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 30 lifecycle days: keys %v, uploads %v; want keep/b and other/y alone", keys, uploads)
		}
		time.Sleep(250 * time.Millisecond)
	}
	raw, err := os.ReadFile(filepath.Join(d.Dir, "devnet.json"))
	if err != nil {
		t.Fatal(err)
	}
	var info struct{ Admin string }
	if err := json.Unmarshal(raw, &info); err != nil || info.Admin == "" {
		t.Fatalf("devnet.json names no admin listener: %v", err)
	}
	if n := metric(t, info.Admin, "mefs_lifecycle_expired_total"); n < 1 {
		t.Fatalf("mefs_lifecycle_expired_total %v after tmp/a expired", n)
	}
	if n := metric(t, info.Admin, "mefs_lifecycle_uploads_aborted_total"); n < 1 {
		t.Fatalf("mefs_lifecycle_uploads_aborted_total %v after mp/x was aborted", n)
	}
}

func lifecycleState(t *testing.T, c *s3.Client) (keys, uploads []string) {
	t.Helper()
	ctx := context.Background()
	objs, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("lifecycle")})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objs.Contents {
		keys = append(keys, aws.ToString(o.Key))
	}
	ups, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("lifecycle")})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range ups.Uploads {
		uploads = append(uploads, aws.ToString(u.Key))
	}
	return keys, uploads
}
