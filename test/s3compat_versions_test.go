package test

// End-to-end versioning and Object Lock through a devnet (real Providers
// over libp2p, the mefs binary's gateway) with aws-sdk-go-v2: versions of a
// multi-stripe object, a delete marker, ListObjectVersions, reads and
// removal by version id, a locked version, and all of it across a restart;
// then the same with minio-go.

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/minio/minio-go/v7"
)

// versionIDs lists the version ids and delete-marker ids of key, in the
// order ListObjectVersions gives them (newest first).
func versionIDs(t *testing.T, c *s3.Client, bucket, key string) (versions, markers []string) {
	t.Helper()
	out, err := c.ListObjectVersions(context.Background(), &s3.ListObjectVersionsInput{Bucket: aws.String(bucket), Prefix: aws.String(key)})
	if err != nil {
		t.Fatalf("list versions of %s/%s: %v", bucket, key, err)
	}
	for _, v := range out.Versions {
		versions = append(versions, aws.ToString(v.VersionId))
	}
	for _, m := range out.DeleteMarkers {
		markers = append(markers, aws.ToString(m.VersionId))
	}
	return versions, markers
}

func TestDevnetVersioning(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := startDevnet(t, dir, "--chunk-size", "256KiB")
	c := d.client(t)
	mustCreateBucket(t, c, "versioned")
	if _, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("versioned"),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
	first, second := randBytes(3<<20+17), randBytes(1<<20)
	v1 := aws.ToString(scPut(t, c, "versioned", "doc", first).VersionId)
	v2 := aws.ToString(scPut(t, c, "versioned", "doc", second).VersionId)
	if v1 == "" || v2 == "" || v1 == v2 {
		t.Fatalf("version ids %q and %q", v1, v2)
	}
	del, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("versioned"), Key: aws.String("doc")})
	if err != nil || !aws.ToBool(del.DeleteMarker) {
		t.Fatalf("delete: %+v, %v; want a delete marker", del, err)
	}
	marker := aws.ToString(del.VersionId)
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("versioned"), Key: aws.String("doc")})
	scWantErr(t, "GET behind a delete marker", err, "NoSuchKey", 404)
	vs, ms := versionIDs(t, c, "versioned", "doc")
	if !slices.Equal(vs, []string{v2, v1}) || !slices.Equal(ms, []string{marker}) {
		t.Fatalf("versions %v markers %v, want [%s %s] [%s]", vs, ms, v2, v1, marker)
	}
	b, _ := scGet(t, c, &s3.GetObjectInput{Bucket: aws.String("versioned"), Key: aws.String("doc"), VersionId: aws.String(v1)})
	scSameBytes(t, "old version", b, first)

	// A version under COMPLIANCE retention in a lock bucket refuses removal.
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("locked"), ObjectLockEnabledForBucket: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	lp, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("locked"), Key: aws.String("k"), Body: bytes.NewReader(second),
		ObjectLockMode: types.ObjectLockModeCompliance, ObjectLockRetainUntilDate: aws.Time(time.Now().Add(24 * time.Hour))})
	if err != nil {
		t.Fatal(err)
	}
	lv := aws.ToString(lp.VersionId)
	_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("locked"), Key: aws.String("k"), VersionId: aws.String(lv),
		BypassGovernanceRetention: aws.Bool(true)})
	scWantErr(t, "delete of a COMPLIANCE version", err, "AccessDenied", 403)

	// Everything survives a restart, and new versions sort newest still.
	d.Proc.stop()
	d = startDevnet(t, dir, "--chunk-size", "256KiB")
	c = d.client(t)
	v3 := aws.ToString(scPut(t, c, "versioned", "doc", []byte("third")).VersionId)
	vs, ms = versionIDs(t, c, "versioned", "doc")
	if !slices.Equal(vs, []string{v3, v2, v1}) || !slices.Equal(ms, []string{marker}) {
		t.Fatalf("after restart: versions %v markers %v, want [%s %s %s] [%s]", vs, ms, v3, v2, v1, marker)
	}
	for _, vid := range []string{v3, v2} {
		if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("versioned"), Key: aws.String("doc"), VersionId: aws.String(vid)}); err != nil {
			t.Fatalf("delete version %s: %v", vid, err)
		}
	}
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("versioned"), Key: aws.String("doc"), VersionId: aws.String(marker)}); err != nil {
		t.Fatalf("delete the marker: %v", err)
	}
	b, g := scGet(t, c, &s3.GetObjectInput{Bucket: aws.String("versioned"), Key: aws.String("doc")})
	scSameBytes(t, "latest after removing the newer versions and the marker", b, first)
	if aws.ToString(g.VersionId) != v1 {
		t.Fatalf("latest is version %q, want %q", aws.ToString(g.VersionId), v1)
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("locked"), Key: aws.String("k"), VersionId: aws.String(lv)})
	if err != nil || head.ObjectLockMode != types.ObjectLockModeCompliance {
		t.Fatalf("locked version after restart: %+v, %v", head, err)
	}
	testMinioVersions(t, d)
}

// testMinioVersions drives versioning with minio-go: enable, two versions,
// a marker, the version listing, a read and a removal by version id.
func testMinioVersions(t *testing.T, d *devnet) {
	ctx := context.Background()
	mc, _ := scMinio(t, d.Endpoint, d.AccessKey, d.SecretKey, nil, false)
	if err := mc.MakeBucket(ctx, "mversions", minio.MakeBucketOptions{Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	if err := mc.EnableVersioning(ctx, "mversions"); err != nil {
		t.Fatalf("minio EnableVersioning: %v", err)
	}
	var ids []string
	for _, body := range []string{"one", "two"} {
		info, err := mc.PutObject(ctx, "mversions", "k", strings.NewReader(body), int64(len(body)), minio.PutObjectOptions{})
		if err != nil || info.VersionID == "" {
			t.Fatalf("minio put %q: %+v, %v", body, info, err)
		}
		ids = append(ids, info.VersionID)
	}
	if err := mc.RemoveObject(ctx, "mversions", "k", minio.RemoveObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	var listed []string
	markers := 0
	for o := range mc.ListObjects(ctx, "mversions", minio.ListObjectsOptions{WithVersions: true}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		if o.IsDeleteMarker {
			markers++
			continue
		}
		listed = append(listed, o.VersionID)
	}
	if markers != 1 || !slices.Equal(listed, []string{ids[1], ids[0]}) {
		t.Fatalf("minio version listing: %v and %d markers, want [%s %s] and 1", listed, markers, ids[1], ids[0])
	}
	if got := scMinioGet(t, mc, "mversions", "k", minio.GetObjectOptions{VersionID: ids[0]}); string(got) != "one" {
		t.Fatalf("minio get of version 1: %q", got)
	}
	if err := mc.RemoveObject(ctx, "mversions", "k", minio.RemoveObjectOptions{VersionID: ids[0]}); err != nil {
		t.Fatal(err)
	}
	// A HEAD error has no body: the status is all there is to check.
	_, err := mc.StatObject(ctx, "mversions", "k", minio.StatObjectOptions{VersionID: ids[0]})
	if st := minio.ToErrorResponse(err).StatusCode; st != 404 {
		t.Fatalf("minio stat of a removed version: %v (%d), want 404", err, st)
	}
	if got := scMinioGet(t, mc, "mversions", "k", minio.GetObjectOptions{VersionID: ids[1]}); string(got) != "two" {
		t.Fatalf("minio get of version 2 after removing version 1: %q", got)
	}
}
