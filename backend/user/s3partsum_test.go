package user

// Per-part checksums of completed multipart objects through the real
// gateway and Layer: GET and HEAD ?partNumber=N with checksum mode report the
// part's own checksum and the object's checksum type, GetObjectAttributes
// lists each part's checksum page by page, and an object recorded before
// part checksums were kept reports none.

import (
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mefs-project/mefs/backend/meta"
)

// partSum is alg's checksum of data (sumOf, plus SHA1).
func partSum(t *testing.T, alg s3types.ChecksumAlgorithm, data []byte) string {
	t.Helper()
	if alg == s3types.ChecksumAlgorithmSha1 {
		s := sha1.Sum(data)
		return base64.StdEncoding.EncodeToString(s[:])
	}
	return sumOf(t, alg, data)
}

// sums is the checksum fields an SDK output carries, in one shape.
type sums struct{ crc32, crc32c, crc64, sha1, sha256 *string }

func (s sums) of(alg s3types.ChecksumAlgorithm) string {
	return aws.ToString(map[s3types.ChecksumAlgorithm]*string{s3types.ChecksumAlgorithmCrc32: s.crc32,
		s3types.ChecksumAlgorithmCrc32c: s.crc32c, s3types.ChecksumAlgorithmCrc64nvme: s.crc64,
		s3types.ChecksumAlgorithmSha1: s.sha1, s3types.ChecksumAlgorithmSha256: s.sha256}[alg])
}

// any reports whether any checksum field is set.
func (s sums) any() bool {
	return s.crc32 != nil || s.crc32c != nil || s.crc64 != nil || s.sha1 != nil || s.sha256 != nil
}

// partUpload completes a multipart upload of key with alg and typ whose
// parts are bodies, and returns the parts' checksums.
func (e *s3env) partUpload(bucket, key string, alg s3types.ChecksumAlgorithm, typ s3types.ChecksumType, bodies [][]byte) []string {
	e.t.Helper()
	cr, err := e.c.CreateMultipartUpload(bg, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key),
		ChecksumAlgorithm: alg, ChecksumType: typ})
	if err != nil {
		e.t.Fatalf("create %s (%s %s): %v", key, alg, typ, err)
	}
	var parts []s3types.CompletedPart
	var want []string
	for i, b := range bodies {
		out, err := e.c.UploadPart(bg, &s3.UploadPartInput{Bucket: aws.String(bucket), Key: aws.String(key), UploadId: cr.UploadId,
			PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(b), ChecksumAlgorithm: alg})
		if err != nil {
			e.t.Fatalf("%s part %d: %v", key, i+1, err)
		}
		parts = append(parts, s3types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(int32(i + 1))})
		want = append(want, partSum(e.t, alg, b))
	}
	if _, err := e.c.CompleteMultipartUpload(bg, &s3.CompleteMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key),
		UploadId: cr.UploadId, MultipartUpload: &s3types.CompletedMultipartUpload{Parts: parts}}); err != nil {
		e.t.Fatalf("complete %s: %v", key, err)
	}
	return want
}

func TestS3MultipartPartChecksums(t *testing.T) {
	e := newS3Env(t)
	e.bucket("parts", "")
	bodies := [][]byte{randData(11, 5<<20), randData(12, 5<<20), randData(13, 3333)}
	for _, c := range []struct {
		alg s3types.ChecksumAlgorithm
		typ s3types.ChecksumType
	}{
		{s3types.ChecksumAlgorithmSha256, s3types.ChecksumTypeComposite},
		{s3types.ChecksumAlgorithmSha1, s3types.ChecksumTypeComposite},
		{s3types.ChecksumAlgorithmCrc32, s3types.ChecksumTypeComposite},
		{s3types.ChecksumAlgorithmCrc32c, s3types.ChecksumTypeFullObject},
		{s3types.ChecksumAlgorithmCrc64nvme, s3types.ChecksumTypeFullObject},
	} {
		name := string(c.alg) + "-" + string(c.typ)
		key := "obj-" + name
		want := e.partUpload("parts", key, c.alg, c.typ, bodies)
		for i, body := range bodies {
			n := int32(i + 1)
			what := fmt.Sprintf("%s: GET part %d", name, n)
			out, err := e.c.GetObject(bg, &s3.GetObjectInput{Bucket: aws.String("parts"), Key: aws.String(key),
				PartNumber: aws.Int32(n), ChecksumMode: s3types.ChecksumModeEnabled})
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			got, err := io.ReadAll(out.Body)
			out.Body.Close()
			if err != nil || !bytes.Equal(got, body) {
				t.Fatalf("%s: read %d bytes (%v), want the part's %d", what, len(got), err, len(body))
			}
			s := sums{out.ChecksumCRC32, out.ChecksumCRC32C, out.ChecksumCRC64NVME, out.ChecksumSHA1, out.ChecksumSHA256}
			if s.of(c.alg) != want[i] || out.ChecksumType != c.typ || aws.ToInt32(out.PartsCount) != 3 {
				t.Fatalf("%s: checksum %q type %q parts %d, want %q %q 3", what, s.of(c.alg), out.ChecksumType, aws.ToInt32(out.PartsCount), want[i], c.typ)
			}
			what = fmt.Sprintf("%s: HEAD part %d", name, n)
			head, err := e.c.HeadObject(bg, &s3.HeadObjectInput{Bucket: aws.String("parts"), Key: aws.String(key),
				PartNumber: aws.Int32(n), ChecksumMode: s3types.ChecksumModeEnabled})
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			s = sums{head.ChecksumCRC32, head.ChecksumCRC32C, head.ChecksumCRC64NVME, head.ChecksumSHA1, head.ChecksumSHA256}
			if s.of(c.alg) != want[i] || head.ChecksumType != c.typ || aws.ToInt64(head.ContentLength) != int64(len(body)) {
				t.Fatalf("%s: checksum %q type %q length %d, want %q %q %d", what, s.of(c.alg), head.ChecksumType,
					aws.ToInt64(head.ContentLength), want[i], c.typ, len(body))
			}
		}
		// Without checksum mode, a part read carries no checksum.
		head, err := e.c.HeadObject(bg, &s3.HeadObjectInput{Bucket: aws.String("parts"), Key: aws.String(key), PartNumber: aws.Int32(1)})
		if s := (sums{head.ChecksumCRC32, head.ChecksumCRC32C, head.ChecksumCRC64NVME, head.ChecksumSHA1, head.ChecksumSHA256}); err != nil || s.any() || head.ChecksumType != "" {
			t.Fatalf("%s: HEAD part 1 without checksum mode: %v, checksums %+v type %q", name, err, s, head.ChecksumType)
		}
		e.wantObjectParts(name, "parts", key, c.alg, want, bodies)
	}
}

// wantObjectParts checks GetObjectAttributes' ObjectParts of key two parts
// a page: each part's number, size and checksum (none if want is nil).
func (e *s3env) wantObjectParts(name, bucket, key string, alg s3types.ChecksumAlgorithm, want []string, bodies [][]byte) {
	e.t.Helper()
	marker, seen := "", 0
	for page := 0; ; page++ {
		in := &s3.GetObjectAttributesInput{Bucket: aws.String(bucket), Key: aws.String(key), MaxParts: aws.Int32(2),
			ObjectAttributes: []s3types.ObjectAttributes{s3types.ObjectAttributesObjectParts, s3types.ObjectAttributesChecksum}}
		if marker != "" {
			in.PartNumberMarker = aws.String(marker)
		}
		out, err := e.c.GetObjectAttributes(bg, in)
		if err != nil || out.ObjectParts == nil {
			e.t.Fatalf("%s: GetObjectAttributes page %d: %v %+v", name, page, err, out)
		}
		op := out.ObjectParts
		if aws.ToInt32(op.TotalPartsCount) != int32(len(bodies)) {
			e.t.Fatalf("%s: page %d: PartsCount %d, want %d", name, page, aws.ToInt32(op.TotalPartsCount), len(bodies))
		}
		for _, p := range op.Parts {
			n := int(aws.ToInt32(p.PartNumber))
			if n != seen+1 {
				e.t.Fatalf("%s: page %d lists part %d after part %d", name, page, n, seen)
			}
			seen = n
			s := sums{p.ChecksumCRC32, p.ChecksumCRC32C, p.ChecksumCRC64NVME, p.ChecksumSHA1, p.ChecksumSHA256}
			if aws.ToInt64(p.Size) != int64(len(bodies[n-1])) {
				e.t.Fatalf("%s: part %d size %d, want %d", name, n, aws.ToInt64(p.Size), len(bodies[n-1]))
			}
			if want == nil && s.any() || want != nil && s.of(alg) != want[n-1] {
				e.t.Fatalf("%s: part %d checksums %q (any: %v), want %q", name, n, s.of(alg), s.any(), want)
			}
		}
		if !aws.ToBool(op.IsTruncated) {
			break
		}
		marker = aws.ToString(op.NextPartNumberMarker)
	}
	if seen != len(bodies) {
		e.t.Fatalf("%s: GetObjectAttributes listed %d parts, want %d", name, seen, len(bodies))
	}
}

// TestS3MultipartPartChecksumsOldRecord: an object completed before part
// checksums were kept (its record has none) reports none for a part, but
// still its size and the object's checksum.
func TestS3MultipartPartChecksumsOldRecord(t *testing.T) {
	e := newS3Env(t)
	e.bucket("old", "")
	bodies := [][]byte{randData(21, 5<<20), randData(22, 1234)}
	alg := s3types.ChecksumAlgorithmSha256
	e.partUpload("old", "k", alg, s3types.ChecksumTypeComposite, bodies)
	if _, err := e.meta.UpdateVersion("old", "k", "", func(o *meta.Object) error {
		if len(o.PartChecksums) != 2 {
			t.Fatalf("completed object's record has part checksums %q, want 2", o.PartChecksums)
		}
		o.PartChecksums = nil
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	head, err := e.c.HeadObject(bg, &s3.HeadObjectInput{Bucket: aws.String("old"), Key: aws.String("k"),
		PartNumber: aws.Int32(2), ChecksumMode: s3types.ChecksumModeEnabled})
	if s := (sums{head.ChecksumCRC32, head.ChecksumCRC32C, head.ChecksumCRC64NVME, head.ChecksumSHA1, head.ChecksumSHA256}); err != nil || s.any() ||
		aws.ToInt64(head.ContentLength) != 1234 {
		t.Fatalf("HEAD part 2 of an old record: %v, checksums %+v, length %d", err, s, aws.ToInt64(head.ContentLength))
	}
	e.wantObjectParts("old record", "old", "k", alg, nil, bodies)
	whole, err := e.c.HeadObject(bg, &s3.HeadObjectInput{Bucket: aws.String("old"), Key: aws.String("k"), ChecksumMode: s3types.ChecksumModeEnabled})
	if err != nil || whole.ChecksumSHA256 == nil || whole.ChecksumType != s3types.ChecksumTypeComposite {
		t.Fatalf("HEAD of an old record: %v, SHA256 %q type %q", err, aws.ToString(whole.ChecksumSHA256), whole.ChecksumType)
	}
}
