package test

// S3 compatibility of GetObjectAttributes and of multipart corner cases
// (part numbers, sizes, listing and abort).

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func scAttributes(t *testing.T, c *s3.Client) {
	ctx := context.Background()
	data := randBytes(12345)
	put := scPut(t, c, "obj", "attr/x", data)
	out, err := c.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: aws.String("obj"), Key: aws.String("attr/x"),
		ObjectAttributes: []types.ObjectAttributes{types.ObjectAttributesEtag, types.ObjectAttributesObjectSize, types.ObjectAttributesStorageClass,
			types.ObjectAttributesChecksum, types.ObjectAttributesObjectParts}})
	if err != nil {
		t.Fatal(err)
	}
	if `"`+aws.ToString(out.ETag)+`"` != aws.ToString(put.ETag) || aws.ToInt64(out.ObjectSize) != int64(len(data)) ||
		out.StorageClass != types.StorageClassStandard || out.LastModified == nil {
		t.Fatalf("attributes: etag %q size %d class %q modified %v", aws.ToString(out.ETag), aws.ToInt64(out.ObjectSize), out.StorageClass, out.LastModified)
	}
	if out.ObjectParts != nil {
		t.Fatalf("attributes of a single-part object report parts %+v", out.ObjectParts)
	}
	// The SDK's default CRC32.
	if out.Checksum == nil || aws.ToString(out.Checksum.ChecksumCRC32) != scChecksum(types.ChecksumAlgorithmCrc32, data) {
		t.Fatalf("attributes checksum %+v", out.Checksum)
	}
	only, err := c.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: aws.String("obj"), Key: aws.String("attr/x"),
		ObjectAttributes: []types.ObjectAttributes{types.ObjectAttributesObjectSize}})
	if err != nil {
		t.Fatal(err)
	}
	if only.ETag != nil || only.Checksum != nil || aws.ToInt64(only.ObjectSize) != int64(len(data)) {
		t.Fatalf("only ObjectSize asked: etag %v checksum %v size %d", only.ETag, only.Checksum, aws.ToInt64(only.ObjectSize))
	}
	_, err = c.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: aws.String("obj"), Key: aws.String("attr/missing"),
		ObjectAttributes: []types.ObjectAttributes{types.ObjectAttributesEtag}})
	scWantErr(t, "attributes of a missing key", err, "NoSuchKey", 404)
	_, err = c.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: aws.String("obj"), Key: aws.String("attr/x"),
		ObjectAttributes: []types.ObjectAttributes{"Colour"}})
	scWantErr(t, "an unknown attribute", err, "InvalidArgument", 400)
}

// scMultipartMisc: multipart details that need no 5 MiB parts.
func scMultipartMisc(t *testing.T, c *s3.Client) {
	ctx := context.Background()
	create := func(key string) string {
		t.Helper()
		out, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("obj"), Key: aws.String(key)})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.UploadId)
	}
	ids := map[string]string{}
	for _, k := range []string{"mpm/a", "mpm/b", "mpm/dir/c", "mpm/dir/d/e", "other"} {
		ids[create(k)] = k
	}
	out, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("obj"), Prefix: aws.String("mpm/"), Delimiter: aws.String("/")})
	if err != nil {
		t.Fatal(err)
	}
	var keys, prefixes []string
	for _, u := range out.Uploads {
		keys = append(keys, aws.ToString(u.Key))
		if u.Initiated == nil || ids[aws.ToString(u.UploadId)] != aws.ToString(u.Key) {
			t.Fatalf("upload %+v", u)
		}
	}
	for _, p := range out.CommonPrefixes {
		prefixes = append(prefixes, aws.ToString(p.Prefix))
	}
	if fmt.Sprint(keys) != "[mpm/a mpm/b]" || fmt.Sprint(prefixes) != "[mpm/dir/]" || aws.ToString(out.Prefix) != "mpm/" {
		t.Fatalf("ListMultipartUploads prefix mpm/ delimiter /: uploads %v prefixes %v", keys, prefixes)
	}
	var id string
	for u, k := range ids {
		if k == "mpm/a" {
			id = u
		}
	}
	_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("obj"), Key: aws.String("mpm/a"), UploadId: aws.String(id),
		PartNumber: aws.Int32(10001), Body: bytes.NewReader([]byte("x"))})
	scWantErr(t, "part number 10001", err, "InvalidArgument", 400)
	_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("obj"), Key: aws.String("mpm/b"), UploadId: aws.String(id),
		PartNumber: aws.Int32(1), Body: bytes.NewReader([]byte("x"))})
	scWantErr(t, "an upload id used with another key", err, "NoSuchUpload", 404)
	_, err = c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("obj"), Key: aws.String("mpm/a"), UploadId: aws.String("bogus")})
	scWantErr(t, "abort an unknown upload", err, "NoSuchUpload", 404)
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("obj"), Key: aws.String("mpm/a"), UploadId: aws.String(id),
		MultipartUpload: &types.CompletedMultipartUpload{}})
	scWantErr(t, "complete with no parts", err, "MalformedXML", 400)

	// Tags and metadata given to CreateMultipartUpload end up on the object.
	tu, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("obj"), Key: aws.String("mpm/tagged"),
		Tagging: aws.String("stage=mp"), Metadata: map[string]string{"m": "1"}, ContentDisposition: aws.String("inline")})
	if err != nil {
		t.Fatal(err)
	}
	tparts := scUploadParts(t, c, "obj", "mpm/tagged", aws.ToString(tu.UploadId), []byte("tagged"), []int{6})
	if _, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("obj"), Key: aws.String("mpm/tagged"),
		UploadId: tu.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: tparts}}); err != nil {
		t.Fatal(err)
	}
	tg, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("obj"), Key: aws.String("mpm/tagged")})
	if err != nil {
		t.Fatal(err)
	}
	th, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("obj"), Key: aws.String("mpm/tagged")})
	if err != nil {
		t.Fatal(err)
	}
	if m := scTagMap(tg.TagSet); m["stage"] != "mp" || th.Metadata["m"] != "1" || aws.ToString(th.ContentDisposition) != "inline" {
		t.Fatalf("multipart object: tags %v meta %v disposition %q", m, th.Metadata, aws.ToString(th.ContentDisposition))
	}

	// Re-uploading a part replaces it.
	first := scUploadParts(t, c, "obj", "mpm/a", id, []byte("first version"), []int{13})
	second := scUploadParts(t, c, "obj", "mpm/a", id, []byte("second version!"), []int{15})
	lp, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("obj"), Key: aws.String("mpm/a"), UploadId: aws.String(id)})
	if err != nil || len(lp.Parts) != 1 || aws.ToInt64(lp.Parts[0].Size) != 15 {
		t.Fatalf("ListParts after re-upload: %v %+v", err, lp)
	}
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("obj"), Key: aws.String("mpm/a"), UploadId: aws.String(id),
		MultipartUpload: &types.CompletedMultipartUpload{Parts: first}})
	scWantErr(t, "complete with the replaced part's ETag", err, "InvalidPart", 400)
	done, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("obj"), Key: aws.String("mpm/a"), UploadId: aws.String(id),
		MultipartUpload: &types.CompletedMultipartUpload{Parts: second}})
	if err != nil {
		t.Fatal(err)
	}
	if got := getBytes(t, c, "obj", "mpm/a", ""); string(got) != "second version!" {
		t.Fatalf("completed object %q", got)
	}
	// Conditional GET with a multipart ETag.
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("obj"), Key: aws.String("mpm/a"), IfMatch: done.ETag}); err != nil {
		t.Fatalf("If-Match with the multipart ETag %s: %v", aws.ToString(done.ETag), err)
	}
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("obj"), Key: aws.String("mpm/a"), IfNoneMatch: done.ETag})
	scWantErr(t, "If-None-Match with the multipart ETag", err, "", 304)

	// A conditional CompleteMultipartUpload must not overwrite.
	t.Run("CompleteIfNoneMatch", func(t *testing.T) {
		bid := create("mpm/b2")
		scPut(t, c, "obj", "mpm/b2", []byte("existing"))
		parts := scUploadParts(t, c, "obj", "mpm/b2", bid, []byte("from the upload"), []int{15})
		_, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("obj"), Key: aws.String("mpm/b2"), UploadId: aws.String(bid),
			MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}, IfNoneMatch: aws.String("*")})
		if got := getBytes(t, c, "obj", "mpm/b2", ""); string(got) != "existing" {
			t.Fatalf("CompleteMultipartUpload with If-None-Match: * replaced the existing object (err %v)", err)
		}
		scWantErr(t, "CompleteMultipartUpload If-None-Match * over an object", err, "PreconditionFailed", 412)
	})
	for u, k := range ids {
		c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("obj"), Key: aws.String(k), UploadId: aws.String(u)})
	}
	// A 1024-byte key is the longest allowed.
	long := strings.Repeat("k", 1024)
	scPut(t, c, "obj", long, []byte("long"))
	if got := getBytes(t, c, "obj", long, ""); string(got) != "long" {
		t.Fatalf("1024-byte key: %q", got)
	}
}
