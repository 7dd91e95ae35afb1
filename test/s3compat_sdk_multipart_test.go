//lint:file-ignore SA1019 feature/s3/manager (deprecated for transfermanager) is what most Go programs still upload and download with, so it is tested.

package test

// S3 compatibility of multipart uploads with aws-sdk-go-v2 (checksums per
// part, composite ETags, copies of parts, full-object checksums).

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// scUploadParts uploads parts of data with the given sizes and returns the
// CompletedParts (with the part checksums the SDK computed and the gateway
// returned).
func scUploadParts(t *testing.T, c *s3.Client, bucket, key, id string, data []byte, sizes []int) []types.CompletedPart {
	t.Helper()
	return scUploadPartsAs(t, c, bucket, key, id, data, sizes, "", types.ChecksumAlgorithmCrc32)
}

// scUploadPartsAs is scUploadParts with part requests asking for algorithm
// send ("": the client's default) and answers that must carry each part's
// checksum under want, and no other.
func scUploadPartsAs(t *testing.T, c *s3.Client, bucket, key, id string, data []byte, sizes []int,
	send, want types.ChecksumAlgorithm, optFns ...func(*s3.Options)) []types.CompletedPart {
	t.Helper()
	var parts []types.CompletedPart
	off := 0
	for i, n := range sizes {
		p := data[off : off+n]
		off += n
		out, err := c.UploadPart(context.Background(), &s3.UploadPartInput{Bucket: aws.String(bucket), Key: aws.String(key),
			UploadId: aws.String(id), PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(p), ChecksumAlgorithm: send}, optFns...)
		if err != nil {
			t.Fatalf("upload part %d of %s: %v", i+1, key, err)
		}
		if got := aws.ToString(out.ETag); got != `"`+scMD5Hex(p)+`"` {
			t.Fatalf("part %d: ETag %s, want the MD5 %q", i+1, got, scMD5Hex(p))
		}
		sums := []*string{out.ChecksumCRC32, out.ChecksumCRC32C, out.ChecksumCRC64NVME, out.ChecksumSHA1, out.ChecksumSHA256}
		if got, w := scChecksumOf(want, sums[0], sums[1], sums[2], sums[3], sums[4]), scChecksum(want, p); got != w {
			t.Fatalf("part %d: %s checksum %q, want %q", i+1, want, got, w)
		}
		if n := len(slices.DeleteFunc(sums, func(v *string) bool { return v == nil })); n != 1 {
			t.Fatalf("part %d: %d checksums in the answer, want only %s", i+1, n, want)
		}
		parts = append(parts, types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(int32(i + 1)), ChecksumCRC32: out.ChecksumCRC32,
			ChecksumCRC64NVME: out.ChecksumCRC64NVME})
	}
	return parts
}

// scMultipartETag is S3's ETag of a multipart object.
func scMultipartETag(data []byte, sizes []int) string {
	var md5s []byte
	off := 0
	for _, n := range sizes {
		s := md5.Sum(data[off : off+n])
		md5s = append(md5s, s[:]...)
		off += n
	}
	s := md5.Sum(md5s)
	return fmt.Sprintf(`"%x-%d"`, s, len(sizes))
}

func scMultipart(t *testing.T, tr *scTransport) {
	ctx := context.Background()
	c := tr.c
	const bucket = "sdk"
	key := "mp/big object"
	sizes := []int{5 << 20, 5 << 20, 1 << 20}
	data := randBytes(11 << 20)
	cr, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key),
		ContentType: aws.String("application/x-mp"), Metadata: map[string]string{"origin": "multipart"},
		ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(cr.UploadId)
	if id == "" || aws.ToString(cr.Key) != key || aws.ToString(cr.Bucket) != bucket {
		t.Fatalf("CreateMultipartUpload: %+v", cr)
	}
	parts := scUploadParts(t, c, bucket, key, id, data, sizes)
	if tr.chunked {
		if got := tr.rec.request(t, "PUT", "/"+bucket+"/"+key).Header.Get("X-Amz-Content-Sha256"); got != "STREAMING-UNSIGNED-PAYLOAD-TRAILER" {
			t.Fatalf("UploadPart over HTTPS sent x-amz-content-sha256 %q, want STREAMING-UNSIGNED-PAYLOAD-TRAILER", got)
		}
	}

	// ListParts, whole and one part a page.
	lp, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(bucket), Key: aws.String(key), UploadId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if len(lp.Parts) != 3 || aws.ToBool(lp.IsTruncated) {
		t.Fatalf("ListParts: %d parts, truncated %v", len(lp.Parts), aws.ToBool(lp.IsTruncated))
	}
	for i, p := range lp.Parts {
		if aws.ToInt32(p.PartNumber) != int32(i+1) || aws.ToInt64(p.Size) != int64(sizes[i]) || aws.ToString(p.ETag) != aws.ToString(parts[i].ETag) {
			t.Fatalf("ListParts part %d: number %d size %d etag %s", i+1, aws.ToInt32(p.PartNumber), aws.ToInt64(p.Size), aws.ToString(p.ETag))
		}
	}
	t.Run("ListPartsChecksums", func(t *testing.T) {
		for i, p := range lp.Parts {
			if aws.ToString(p.ChecksumCRC32) != aws.ToString(parts[i].ChecksumCRC32) {
				t.Fatalf("ListParts part %d: ChecksumCRC32 %q, want %q (the upload was created with CRC32)", i+1,
					aws.ToString(p.ChecksumCRC32), aws.ToString(parts[i].ChecksumCRC32))
			}
		}
	})
	var paged []int32
	pg := s3.NewListPartsPaginator(c, &s3.ListPartsInput{Bucket: aws.String(bucket), Key: aws.String(key), UploadId: aws.String(id), MaxParts: aws.Int32(1)})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Parts) > 1 {
			t.Fatalf("ListParts with MaxParts 1 returned %d parts", len(page.Parts))
		}
		for _, p := range page.Parts {
			paged = append(paged, aws.ToInt32(p.PartNumber))
		}
	}
	if fmt.Sprint(paged) != "[1 2 3]" {
		t.Fatalf("ListParts paged one at a time: %v", paged)
	}

	complete := func(ps ...types.CompletedPart) (*s3.CompleteMultipartUploadOutput, error) {
		return c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key),
			UploadId: aws.String(id), MultipartUpload: &types.CompletedMultipartUpload{Parts: ps}})
	}
	// Bad completions leave the upload in place.
	_, err = complete(parts[1], parts[0], parts[2])
	scWantErr(t, "complete out of order", err, "InvalidPartOrder", 400)
	_, err = complete(parts[0], parts[0], parts[2])
	scWantErr(t, "complete with a repeated part", err, "InvalidPartOrder", 400)
	wrong := parts[1]
	wrong.ETag = aws.String(`"` + scMD5Hex([]byte("x")) + `"`)
	wrong.ChecksumCRC32 = nil
	_, err = complete(parts[0], wrong, parts[2])
	scWantErr(t, "complete with a wrong part ETag", err, "InvalidPart", 400)
	missing := types.CompletedPart{PartNumber: aws.Int32(4), ETag: parts[2].ETag}
	_, err = complete(parts[0], parts[1], missing)
	scWantErr(t, "complete with a part never uploaded", err, "InvalidPart", 400)
	badSum := parts[2]
	badSum.ChecksumCRC32 = aws.String(scChecksum(types.ChecksumAlgorithmCrc32, []byte("x")))
	_, err = complete(parts[0], parts[1], badSum)
	scWantErr(t, "complete with a wrong part checksum", err, "InvalidPart", 400)
	if scExists(t, c, bucket, key) {
		t.Fatal("a failed CompleteMultipartUpload created the object")
	}

	done, err := complete(parts...)
	if err != nil {
		t.Fatalf("complete: %v", err)
	}
	wantETag := scMultipartETag(data, sizes)
	if aws.ToString(done.ETag) != wantETag || aws.ToString(done.Key) != key || aws.ToString(done.Bucket) != bucket {
		t.Fatalf("complete: ETag %s key %q bucket %q, want ETag %s", aws.ToString(done.ETag), aws.ToString(done.Key), aws.ToString(done.Bucket), wantETag)
	}
	_, err = c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(bucket), Key: aws.String(key), UploadId: aws.String(id)})
	scWantErr(t, "ListParts after complete", err, "NoSuchUpload", 404)

	// The composite checksum: CRC32 of the parts' raw CRC32s, "-3".
	crc := crc32.NewIEEE()
	for _, p := range parts {
		raw, _ := base64.StdEncoding.DecodeString(aws.ToString(p.ChecksumCRC32))
		crc.Write(raw)
	}
	wantComposite := base64.StdEncoding.EncodeToString(crc.Sum(nil)) + "-3"
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt64(head.ContentLength) != int64(len(data)) || aws.ToString(head.ETag) != wantETag ||
		aws.ToString(head.ContentType) != "application/x-mp" || head.Metadata["origin"] != "multipart" {
		t.Fatalf("head: length %d etag %s type %s meta %v", aws.ToInt64(head.ContentLength), aws.ToString(head.ETag),
			aws.ToString(head.ContentType), head.Metadata)
	}
	if aws.ToString(head.ChecksumCRC32) != wantComposite || head.ChecksumType != types.ChecksumTypeComposite {
		t.Fatalf("head: checksum %q type %q, want %q COMPOSITE", aws.ToString(head.ChecksumCRC32), head.ChecksumType, wantComposite)
	}
	got, _ := scGet(t, c, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	scSameBytes(t, "multipart object", got, data)

	got, out := scGet(t, c, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), PartNumber: aws.Int32(2)})
	scSameBytes(t, "part 2", got, data[5<<20:10<<20])
	if aws.ToInt32(out.PartsCount) != 3 || aws.ToString(out.ContentRange) != fmt.Sprintf("bytes %d-%d/%d", 5<<20, 10<<20-1, len(data)) ||
		aws.ToString(out.ETag) != wantETag {
		t.Fatalf("GET partNumber=2: parts count %d, Content-Range %q, ETag %s", aws.ToInt32(out.PartsCount), aws.ToString(out.ContentRange), aws.ToString(out.ETag))
	}
	hp, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), PartNumber: aws.Int32(3)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt64(hp.ContentLength) != 1<<20 || aws.ToInt32(hp.PartsCount) != 3 {
		t.Fatalf("HEAD partNumber=3: length %d parts %d", aws.ToInt64(hp.ContentLength), aws.ToInt32(hp.PartsCount))
	}
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), PartNumber: aws.Int32(4)})
	scWantErr(t, "GET partNumber=4 of 3", err, "InvalidPart", 400)
	attrs, err := c.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: aws.String(bucket), Key: aws.String(key),
		ObjectAttributes: []types.ObjectAttributes{types.ObjectAttributesEtag, types.ObjectAttributesObjectParts, types.ObjectAttributesObjectSize}})
	if err != nil {
		t.Fatal(err)
	}
	if attrs.ObjectParts == nil || aws.ToInt64(attrs.ObjectSize) != int64(len(data)) || `"`+aws.ToString(attrs.ETag)+`"` != wantETag {
		t.Fatalf("GetObjectAttributes: parts %+v size %d etag %q", attrs.ObjectParts, aws.ToInt64(attrs.ObjectSize), aws.ToString(attrs.ETag))
	}
	t.Run("AttributesPartsCount", func(t *testing.T) {
		if aws.ToInt32(attrs.ObjectParts.TotalPartsCount) != 3 {
			t.Fatalf("GetObjectAttributes: TotalPartsCount %v, want 3", attrs.ObjectParts.TotalPartsCount)
		}
	})
	t.Run("PartChecksums", func(t *testing.T) {
		// A part read with checksum mode shows the part's own CRC32 (the
		// GET of part 2 above had the SDK check its body against it).
		hp, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), PartNumber: aws.Int32(3),
			ChecksumMode: types.ChecksumModeEnabled})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(hp.ChecksumCRC32) != aws.ToString(parts[2].ChecksumCRC32) || hp.ChecksumType != types.ChecksumTypeComposite {
			t.Fatalf("HEAD partNumber=3 with checksum mode: CRC32 %q type %q, want %q COMPOSITE", aws.ToString(hp.ChecksumCRC32),
				hp.ChecksumType, aws.ToString(parts[2].ChecksumCRC32))
		}
		page, err := c.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: aws.String(bucket), Key: aws.String(key),
			MaxParts: aws.Int32(2), PartNumberMarker: aws.String("1"), ObjectAttributes: []types.ObjectAttributes{types.ObjectAttributesObjectParts}})
		if err != nil || page.ObjectParts == nil || len(page.ObjectParts.Parts) != 2 {
			t.Fatalf("GetObjectAttributes after part 1, 2 a page: %v %+v", err, page)
		}
		for i, p := range page.ObjectParts.Parts {
			if n := aws.ToInt32(p.PartNumber); n != int32(i+2) || aws.ToString(p.ChecksumCRC32) != aws.ToString(parts[n-1].ChecksumCRC32) {
				t.Fatalf("GetObjectAttributes part %d: CRC32 %q, want part %d's %q", n, aws.ToString(p.ChecksumCRC32), i+2,
					aws.ToString(parts[i+1].ChecksumCRC32))
			}
		}
	})

	if tr.chunked {
		// Over HTTPS the parts went aws-chunked; the rest is transport-independent.
		return
	}

	// UploadPartCopy: the object rebuilt from two ranges of itself.
	ck := "mp/copied"
	cc, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(ck)})
	if err != nil {
		t.Fatal(err)
	}
	src := bucket + "/" + url.PathEscape(key)
	var copied []types.CompletedPart
	for i, r := range [][2]int{{0, 6<<20 - 1}, {6 << 20, len(data) - 1}} {
		out, err := c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String(bucket), Key: aws.String(ck), UploadId: cc.UploadId,
			PartNumber: aws.Int32(int32(i + 1)), CopySource: aws.String(src), CopySourceRange: aws.String(fmt.Sprintf("bytes=%d-%d", r[0], r[1]))})
		if err != nil {
			t.Fatalf("UploadPartCopy %v: %v", r, err)
		}
		if got := aws.ToString(out.CopyPartResult.ETag); got != `"`+scMD5Hex(data[r[0]:r[1]+1])+`"` {
			t.Fatalf("UploadPartCopy %v: ETag %s", r, got)
		}
		copied = append(copied, types.CompletedPart{ETag: out.CopyPartResult.ETag, PartNumber: aws.Int32(int32(i + 1))})
	}
	_, err = c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String(bucket), Key: aws.String(ck), UploadId: cc.UploadId,
		PartNumber: aws.Int32(3), CopySource: aws.String(src), CopySourceRange: aws.String(fmt.Sprintf("bytes=%d-%d", len(data)-10, len(data)))})
	scWantErr(t, "UploadPartCopy past the end of the source", err, "InvalidRange", 416)
	if _, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(ck),
		UploadId: cc.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: copied}}); err != nil {
		t.Fatalf("complete the copied upload: %v", err)
	}
	got, _ = scGet(t, c, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(ck)})
	scSameBytes(t, "object assembled by UploadPartCopy", got, data)

	// EntityTooSmall: a part other than the last under 5 MiB.
	small, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("mp/small")})
	if err != nil {
		t.Fatal(err)
	}
	sdata := randBytes(2 << 10)
	sparts := scUploadParts(t, c, bucket, "mp/small", aws.ToString(small.UploadId), sdata, []int{1 << 10, 1 << 10})
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("mp/small"),
		UploadId: small.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: sparts}})
	scWantErr(t, "complete with a 1 KiB first part", err, "EntityTooSmall", 400)
	// A single small part is a valid (last) part.
	one, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("mp/small"),
		UploadId: small.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: sparts[:1]}})
	if err != nil {
		t.Fatalf("complete with one small part: %v", err)
	}
	if aws.ToString(one.ETag) != scMultipartETag(sdata[:1<<10], []int{1 << 10}) {
		t.Fatalf("one-part upload ETag %s", aws.ToString(one.ETag))
	}
	got, _ = scGet(t, c, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("mp/small")})
	scSameBytes(t, "one-part upload", got, sdata[:1<<10])

	t.Run("CompleteWithObjectChecksum", func(t *testing.T) {
		up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("mp/objsum"),
			ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
		if err != nil {
			t.Fatal(err)
		}
		pdata := randBytes(1 << 10)
		ps := scUploadParts(t, c, bucket, "mp/objsum", aws.ToString(up.UploadId), pdata, []int{len(pdata)})
		raw, _ := base64.StdEncoding.DecodeString(aws.ToString(ps[0].ChecksumCRC32))
		sum := crc32.ChecksumIEEE(raw)
		composite := base64.StdEncoding.EncodeToString([]byte{byte(sum >> 24), byte(sum >> 16), byte(sum >> 8), byte(sum)})
		if _, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("mp/objsum"),
			UploadId: up.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: ps},
			ChecksumCRC32: aws.String(composite), ChecksumType: types.ChecksumTypeComposite}); err != nil {
			t.Fatalf("complete with the object's composite CRC32 %s: %v", composite, err)
		}
		got, _ := scGet(t, c, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("mp/objsum")})
		scSameBytes(t, "object completed with its checksum", got, pdata)
	})

	// ListMultipartUploads one upload a page over three (two on one key).
	keys := []string{"up/a", "up/b", "up/b"}
	ids := map[string]string{}
	for _, k := range keys {
		out, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(k)})
		if err != nil {
			t.Fatal(err)
		}
		ids[aws.ToString(out.UploadId)] = k
	}
	in := &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket), Prefix: aws.String("up/"), MaxUploads: aws.Int32(1)}
	var listed []string
	for page := 0; ; page++ {
		if page > 5 {
			t.Fatal("ListMultipartUploads does not end")
		}
		out, err := c.ListMultipartUploads(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Uploads) > 1 {
			t.Fatalf("MaxUploads 1 returned %d uploads", len(out.Uploads))
		}
		for _, u := range out.Uploads {
			if ids[aws.ToString(u.UploadId)] != aws.ToString(u.Key) {
				t.Fatalf("listed upload %s of %q, not one created", aws.ToString(u.UploadId), aws.ToString(u.Key))
			}
			listed = append(listed, aws.ToString(u.Key)+" "+aws.ToString(u.UploadId))
		}
		if !aws.ToBool(out.IsTruncated) {
			break
		}
		in.KeyMarker, in.UploadIdMarker = out.NextKeyMarker, out.NextUploadIdMarker
	}
	if len(listed) != 3 || !strings.HasPrefix(listed[0], "up/a ") || listed[1] == listed[2] {
		t.Fatalf("ListMultipartUploads paged: %v", listed)
	}
	for id, k := range ids {
		if _, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(k), UploadId: aws.String(id)}); err != nil {
			t.Fatalf("abort: %v", err)
		}
		_, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(bucket), Key: aws.String(k), UploadId: aws.String(id)})
		scWantErr(t, "ListParts after abort", err, "NoSuchUpload", 404)
		_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(bucket), Key: aws.String(k), UploadId: aws.String(id),
			PartNumber: aws.Int32(1), Body: bytes.NewReader([]byte("late"))})
		scWantErr(t, "UploadPart after abort", err, "NoSuchUpload", 404)
	}
	lu, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket), Prefix: aws.String("up/")})
	if err != nil {
		t.Fatal(err)
	}
	if len(lu.Uploads) != 0 {
		t.Fatalf("%d uploads left after aborting all", len(lu.Uploads))
	}
	_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(bucket), Key: aws.String("nope"), UploadId: aws.String("no-such-upload"),
		PartNumber: aws.Int32(1), Body: bytes.NewReader([]byte("x"))})
	scWantErr(t, "UploadPart to an unknown upload", err, "NoSuchUpload", 404)
}

// scFullObjectChecksum: uploads created with ChecksumType FULL_OBJECT
// (CRC64NVME and CRC32) complete with, and report, the CRC of the whole
// object; the SDK checks it on a GET with checksum mode enabled.
func scFullObjectChecksum(t *testing.T, tr *scTransport) {
	ctx := context.Background()
	c := tr.c
	const bucket = "sdk"
	sizes := []int{5 << 20, 1<<20 + 5}
	data := randBytes(6<<20 + 5)
	for _, alg := range []types.ChecksumAlgorithm{types.ChecksumAlgorithmCrc64nvme, types.ChecksumAlgorithmCrc32} {
		key := "full/" + string(alg)
		cr, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key),
			ChecksumAlgorithm: alg, ChecksumType: types.ChecksumTypeFullObject})
		if err != nil {
			t.Fatalf("%s: create: %v", alg, err)
		}
		if cr.ChecksumAlgorithm != alg || cr.ChecksumType != types.ChecksumTypeFullObject {
			t.Fatalf("%s: create answered algorithm %q type %q, want FULL_OBJECT", alg, cr.ChecksumAlgorithm, cr.ChecksumType)
		}
		parts := scUploadPartsAs(t, c, bucket, key, *cr.UploadId, data, sizes, alg, alg)
		complete := func(v string) (*s3.CompleteMultipartUploadOutput, error) {
			in := &s3.CompleteMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key), UploadId: cr.UploadId,
				MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}, ChecksumType: types.ChecksumTypeFullObject}
			if alg == types.ChecksumAlgorithmCrc32 {
				in.ChecksumCRC32 = aws.String(v)
			} else {
				in.ChecksumCRC64NVME = aws.String(v)
			}
			return c.CompleteMultipartUpload(ctx, in)
		}
		want := scChecksum(alg, data)
		_, err = complete(scChecksum(alg, data[1:]))
		scWantErr(t, string(alg)+": complete with a wrong full-object checksum", err, "BadDigest", 400)
		done, err := complete(want)
		if err != nil {
			t.Fatalf("%s: complete with the full-object checksum %s: %v", alg, want, err)
		}
		if got := scChecksumOf(alg, done.ChecksumCRC32, done.ChecksumCRC32C, done.ChecksumCRC64NVME, nil, nil); got != want ||
			done.ChecksumType != types.ChecksumTypeFullObject {
			t.Fatalf("%s: complete answered %q type %q, want %q FULL_OBJECT", alg, got, done.ChecksumType, want)
		}
		head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled})
		if err != nil {
			t.Fatal(err)
		}
		if got := scChecksumOf(alg, head.ChecksumCRC32, head.ChecksumCRC32C, head.ChecksumCRC64NVME, nil, nil); got != want ||
			head.ChecksumType != types.ChecksumTypeFullObject {
			t.Fatalf("%s: head: %q type %q, want %q FULL_OBJECT", alg, got, head.ChecksumType, want)
		}
		attrs, err := c.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: aws.String(bucket), Key: aws.String(key),
			ObjectAttributes: []types.ObjectAttributes{types.ObjectAttributesChecksum}})
		if err != nil || attrs.Checksum == nil {
			t.Fatalf("%s: GetObjectAttributes: %v", alg, err)
		}
		if got := scChecksumOf(alg, attrs.Checksum.ChecksumCRC32, attrs.Checksum.ChecksumCRC32C, attrs.Checksum.ChecksumCRC64NVME, nil, nil); got != want ||
			attrs.Checksum.ChecksumType != types.ChecksumTypeFullObject {
			t.Fatalf("%s: GetObjectAttributes: %q type %q, want %q FULL_OBJECT", alg, got, attrs.Checksum.ChecksumType, want)
		}
		got, _ := scGet(t, c, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled})
		scSameBytes(t, string(alg)+" full-object upload", got, data)
	}
}

// scDefaultMultipartChecksum: an upload created without an algorithm, whose
// parts send no checksum, gets CRC64NVME on each part and, combined, on the
// whole object (FULL_OBJECT), as S3 gives; a GET with checksum mode checks
// it.
func scDefaultMultipartChecksum(t *testing.T, tr *scTransport) {
	ctx := context.Background()
	c := tr.c
	const bucket, key = "sdk", "default/multipart"
	noSums := func(o *s3.Options) { o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired }
	sizes := []int{5 << 20, 3<<20 + 7}
	data := randBytes(8<<20 + 7)
	cr, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key)}, noSums)
	if err != nil {
		t.Fatal(err)
	}
	parts := scUploadPartsAs(t, c, bucket, key, *cr.UploadId, data, sizes, "", types.ChecksumAlgorithmCrc64nvme, noSums)
	lp, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(bucket), Key: aws.String(key), UploadId: cr.UploadId})
	if err != nil || lp.ChecksumAlgorithm != types.ChecksumAlgorithmCrc64nvme || lp.ChecksumType != types.ChecksumTypeFullObject {
		t.Fatalf("ListParts: %v, algorithm %q type %q, want CRC64NVME FULL_OBJECT", err, lp.ChecksumAlgorithm, lp.ChecksumType)
	}
	want := scChecksum(types.ChecksumAlgorithmCrc64nvme, data)
	complete := func(sum string) (*s3.CompleteMultipartUploadOutput, error) {
		return c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key),
			UploadId: cr.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}, ChecksumCRC64NVME: aws.String(sum)}, noSums)
	}
	_, err = complete(scChecksum(types.ChecksumAlgorithmCrc64nvme, data[1:]))
	scWantErr(t, "complete with a wrong whole-object CRC64NVME", err, "BadDigest", 400)
	done, err := complete(want)
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(done.ChecksumCRC64NVME); got != want || done.ChecksumType != types.ChecksumTypeFullObject {
		t.Fatalf("complete answered CRC64NVME %q type %q, want %q FULL_OBJECT", got, done.ChecksumType, want)
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(head.ChecksumCRC64NVME); got != want || head.ChecksumType != types.ChecksumTypeFullObject {
		t.Fatalf("head: CRC64NVME %q type %q, want %q FULL_OBJECT", got, head.ChecksumType, want)
	}
	got, _ := scGet(t, c, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled})
	scSameBytes(t, "default-checksum multipart upload", got, data)
}
