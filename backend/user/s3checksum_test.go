package user

// Multipart checksums through the real gateway and Layer: full-object and
// composite uploads, the algorithm of a part, and ListMultipartUploads with
// encoding-type=url.

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"hash"
	"hash/crc32"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/minio/crc64nvme"
)

// sumOf is alg's checksum of data, base64 as S3 sends it.
func sumOf(t *testing.T, alg s3types.ChecksumAlgorithm, data []byte) string {
	t.Helper()
	var h hash.Hash
	switch alg {
	case s3types.ChecksumAlgorithmCrc32:
		h = crc32.NewIEEE()
	case s3types.ChecksumAlgorithmCrc32c:
		h = crc32.New(crc32.MakeTable(crc32.Castagnoli))
	case s3types.ChecksumAlgorithmCrc64nvme:
		h = crc64nvme.New()
	case s3types.ChecksumAlgorithmSha256:
		h = sha256.New()
	default:
		t.Fatalf("no checksum %s", alg)
	}
	h.Write(data)
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// checksumField picks alg's value out of an SDK output's checksum fields.
func checksumField(alg s3types.ChecksumAlgorithm, crc32, crc32c, crc64, sha256 *string) string {
	return aws.ToString(map[s3types.ChecksumAlgorithm]*string{s3types.ChecksumAlgorithmCrc32: crc32,
		s3types.ChecksumAlgorithmCrc32c: crc32c, s3types.ChecksumAlgorithmCrc64nvme: crc64, s3types.ChecksumAlgorithmSha256: sha256}[alg])
}

// completeWith sets alg's field of a CompleteMultipartUpload to v.
func completeWith(in *s3.CompleteMultipartUploadInput, alg s3types.ChecksumAlgorithm, v string) {
	switch alg {
	case s3types.ChecksumAlgorithmCrc32:
		in.ChecksumCRC32 = aws.String(v)
	case s3types.ChecksumAlgorithmCrc32c:
		in.ChecksumCRC32C = aws.String(v)
	case s3types.ChecksumAlgorithmCrc64nvme:
		in.ChecksumCRC64NVME = aws.String(v)
	}
}

func TestS3MultipartFullObjectChecksum(t *testing.T) {
	e := newS3Env(t)
	e.bucket("full", "")
	data := randData(7, 5<<20+4321)
	sizes := []int{5 << 20, 4321}
	for _, c := range []struct {
		alg  s3types.ChecksumAlgorithm
		typ  s3types.ChecksumType // as asked; "" asks for none
		want s3types.ChecksumType
	}{
		{s3types.ChecksumAlgorithmCrc32, s3types.ChecksumTypeFullObject, s3types.ChecksumTypeFullObject},
		{s3types.ChecksumAlgorithmCrc32c, s3types.ChecksumTypeFullObject, s3types.ChecksumTypeFullObject},
		{s3types.ChecksumAlgorithmCrc64nvme, s3types.ChecksumTypeFullObject, s3types.ChecksumTypeFullObject},
		{s3types.ChecksumAlgorithmCrc64nvme, "", s3types.ChecksumTypeFullObject},
		{s3types.ChecksumAlgorithmCrc32, "", s3types.ChecksumTypeComposite},
		{s3types.ChecksumAlgorithmCrc32c, s3types.ChecksumTypeComposite, s3types.ChecksumTypeComposite},
	} {
		name := string(c.alg) + "-" + string(c.typ)
		key := "obj-" + name
		cr, err := e.c.CreateMultipartUpload(bg, &s3.CreateMultipartUploadInput{Bucket: aws.String("full"), Key: aws.String(key),
			ChecksumAlgorithm: c.alg, ChecksumType: c.typ})
		if err != nil {
			t.Fatalf("%s: create: %v", name, err)
		}
		if cr.ChecksumAlgorithm != c.alg || cr.ChecksumType != c.want {
			t.Fatalf("%s: create answered algorithm %q type %q, want %q %q", name, cr.ChecksumAlgorithm, cr.ChecksumType, c.alg, c.want)
		}
		var parts []s3types.CompletedPart
		var raw []byte // the parts' raw checksums, for the composite value
		off := 0
		for i, n := range sizes {
			p := data[off : off+n]
			off += n
			out, err := e.c.UploadPart(bg, &s3.UploadPartInput{Bucket: aws.String("full"), Key: aws.String(key), UploadId: cr.UploadId,
				PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(p), ChecksumAlgorithm: c.alg})
			if err != nil {
				t.Fatalf("%s: part %d: %v", name, i+1, err)
			}
			got := checksumField(c.alg, out.ChecksumCRC32, out.ChecksumCRC32C, out.ChecksumCRC64NVME, out.ChecksumSHA256)
			if want := sumOf(t, c.alg, p); got != want {
				t.Fatalf("%s: part %d checksum %q, want %q", name, i+1, got, want)
			}
			b, _ := base64.StdEncoding.DecodeString(got)
			raw = append(raw, b...)
			parts = append(parts, s3types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(int32(i + 1))})
		}
		lp, err := e.c.ListParts(bg, &s3.ListPartsInput{Bucket: aws.String("full"), Key: aws.String(key), UploadId: cr.UploadId})
		if err != nil || lp.ChecksumAlgorithm != c.alg || lp.ChecksumType != c.want {
			t.Fatalf("%s: ListParts: %v, algorithm %q type %q", name, err, lp.ChecksumAlgorithm, lp.ChecksumType)
		}
		full := sumOf(t, c.alg, data)
		composite := sumOf(t, c.alg, raw) + "-2"
		right, wrong := full, composite
		if c.want == s3types.ChecksumTypeComposite {
			right, wrong = composite, full
		}
		complete := func(v string, typ s3types.ChecksumType) (*s3.CompleteMultipartUploadOutput, error) {
			in := &s3.CompleteMultipartUploadInput{Bucket: aws.String("full"), Key: aws.String(key), UploadId: cr.UploadId,
				MultipartUpload: &s3types.CompletedMultipartUpload{Parts: parts}, ChecksumType: typ}
			completeWith(in, c.alg, v)
			return e.c.CompleteMultipartUpload(bg, in)
		}
		// A composite value is sent without its "-2".
		_, err = complete(strings.TrimSuffix(wrong, "-2"), "")
		wantErr(t, name+": complete with the other type's value", err, "BadDigest", 400)
		other := s3types.ChecksumTypeComposite
		if c.want == other {
			other = s3types.ChecksumTypeFullObject
		}
		_, err = complete(strings.TrimSuffix(right, "-2"), other)
		wantErr(t, name+": complete naming the other type", err, "InvalidRequest", 400)
		done, err := complete(strings.TrimSuffix(right, "-2"), c.want)
		if err != nil {
			t.Fatalf("%s: complete with %q: %v", name, right, err)
		}
		if got := checksumField(c.alg, done.ChecksumCRC32, done.ChecksumCRC32C, done.ChecksumCRC64NVME, nil); got != right || done.ChecksumType != c.want {
			t.Fatalf("%s: complete answered checksum %q type %q, want %q %q", name, got, done.ChecksumType, right, c.want)
		}
		// Retried with the value as S3 shows it ("-2" and all, for a
		// composite one).
		again, err := complete(right, c.want)
		if err != nil || aws.ToString(again.ETag) != aws.ToString(done.ETag) {
			t.Fatalf("%s: a retried complete: %v, ETag %s, want %s", name, err, aws.ToString(again.ETag), aws.ToString(done.ETag))
		}
		head, err := e.c.HeadObject(bg, &s3.HeadObjectInput{Bucket: aws.String("full"), Key: aws.String(key), ChecksumMode: s3types.ChecksumModeEnabled})
		if err != nil {
			t.Fatal(err)
		}
		if got := checksumField(c.alg, head.ChecksumCRC32, head.ChecksumCRC32C, head.ChecksumCRC64NVME, nil); got != right || head.ChecksumType != c.want {
			t.Fatalf("%s: head: checksum %q type %q, want %q %q", name, got, head.ChecksumType, right, c.want)
		}
		attrs, err := e.c.GetObjectAttributes(bg, &s3.GetObjectAttributesInput{Bucket: aws.String("full"), Key: aws.String(key),
			ObjectAttributes: []s3types.ObjectAttributes{s3types.ObjectAttributesChecksum}})
		if err != nil || attrs.Checksum == nil {
			t.Fatalf("%s: GetObjectAttributes: %v %+v", name, err, attrs)
		}
		// GetObjectAttributes gives a composite value without its "-2", as S3.
		a := attrs.Checksum
		if got := checksumField(c.alg, a.ChecksumCRC32, a.ChecksumCRC32C, a.ChecksumCRC64NVME, nil); got != strings.TrimSuffix(right, "-2") || a.ChecksumType != c.want {
			t.Fatalf("%s: GetObjectAttributes: checksum %q type %q, want %q %q", name, got, a.ChecksumType, strings.TrimSuffix(right, "-2"), c.want)
		}
		e.wantBody("full", key, "", string(data))
	}
}

func TestS3CreateMultipartChecksumRules(t *testing.T) {
	e := newS3Env(t)
	e.bucket("rules", "")
	for _, c := range []struct {
		alg s3types.ChecksumAlgorithm
		typ s3types.ChecksumType
	}{
		{s3types.ChecksumAlgorithmSha256, s3types.ChecksumTypeFullObject},
		{s3types.ChecksumAlgorithmSha1, s3types.ChecksumTypeFullObject},
		{s3types.ChecksumAlgorithmCrc64nvme, s3types.ChecksumTypeComposite},
		{"", s3types.ChecksumTypeFullObject},
		{"", s3types.ChecksumTypeComposite},
		{s3types.ChecksumAlgorithmCrc32, "PARTIAL"},
	} {
		_, err := e.c.CreateMultipartUpload(bg, &s3.CreateMultipartUploadInput{Bucket: aws.String("rules"), Key: aws.String("k"),
			ChecksumAlgorithm: c.alg, ChecksumType: c.typ})
		wantErr(t, "create with algorithm "+string(c.alg)+" type "+string(c.typ), err, "InvalidRequest", 400)
	}
	lu, err := e.c.ListMultipartUploads(bg, &s3.ListMultipartUploadsInput{Bucket: aws.String("rules")})
	if err != nil || len(lu.Uploads) != 0 {
		t.Fatalf("refused creations left uploads: %v %+v", err, lu.Uploads)
	}
	out, err := e.c.CreateMultipartUpload(bg, &s3.CreateMultipartUploadInput{Bucket: aws.String("rules"), Key: aws.String("sha"),
		ChecksumAlgorithm: s3types.ChecksumAlgorithmSha256, ChecksumType: s3types.ChecksumTypeComposite})
	if err != nil || out.ChecksumType != s3types.ChecksumTypeComposite {
		t.Fatalf("SHA256 COMPOSITE: %v, type %q", err, out.ChecksumType)
	}
	lu, err = e.c.ListMultipartUploads(bg, &s3.ListMultipartUploadsInput{Bucket: aws.String("rules")})
	if err != nil || len(lu.Uploads) != 1 || lu.Uploads[0].ChecksumAlgorithm != s3types.ChecksumAlgorithmSha256 ||
		lu.Uploads[0].ChecksumType != s3types.ChecksumTypeComposite {
		t.Fatalf("ListMultipartUploads: %v %+v", err, lu.Uploads)
	}
}

func TestS3UploadPartChecksumAlgorithm(t *testing.T) {
	e := newS3Env(t)
	e.bucket("partalg", "")
	cr, err := e.c.CreateMultipartUpload(bg, &s3.CreateMultipartUploadInput{Bucket: aws.String("partalg"), Key: aws.String("k"),
		ChecksumAlgorithm: s3types.ChecksumAlgorithmCrc32})
	if err != nil {
		t.Fatal(err)
	}
	body := []byte("a part sent with the wrong algorithm")
	_, err = e.c.UploadPart(bg, &s3.UploadPartInput{Bucket: aws.String("partalg"), Key: aws.String("k"), UploadId: cr.UploadId,
		PartNumber: aws.Int32(1), Body: bytes.NewReader(body), ChecksumAlgorithm: s3types.ChecksumAlgorithmSha256})
	wantErr(t, "a SHA256 part of a CRC32 upload", err, "InvalidRequest", 400)
	if want := "expected checksum Type: crc32, actual checksum Type: sha256"; !strings.Contains(err.Error(), want) {
		t.Fatalf("a SHA256 part of a CRC32 upload: %v, want a message with %q", err, want)
	}
	lp, err := e.c.ListParts(bg, &s3.ListPartsInput{Bucket: aws.String("partalg"), Key: aws.String("k"), UploadId: cr.UploadId})
	if err != nil || len(lp.Parts) != 0 {
		t.Fatalf("a refused part was stored: %v %+v", err, lp.Parts)
	}

	// A part sent with no checksum gets the upload's.
	plain := s3.New(s3.Options{Region: "us-east-1", BaseEndpoint: aws.String(e.url), UsePathStyle: true,
		Credentials: e.c.Options().Credentials, RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired})
	cc, err := plain.CreateMultipartUpload(bg, &s3.CreateMultipartUploadInput{Bucket: aws.String("partalg"), Key: aws.String("c"),
		ChecksumAlgorithm: s3types.ChecksumAlgorithmCrc32c})
	if err != nil {
		t.Fatal(err)
	}
	up, err := plain.UploadPart(bg, &s3.UploadPartInput{Bucket: aws.String("partalg"), Key: aws.String("c"), UploadId: cc.UploadId,
		PartNumber: aws.Int32(1), Body: bytes.NewReader(body)})
	if err != nil {
		t.Fatal(err)
	}
	if want := sumOf(t, s3types.ChecksumAlgorithmCrc32c, body); aws.ToString(up.ChecksumCRC32C) != want {
		t.Fatalf("a part sent without a checksum to a CRC32C upload: CRC32C %q, want %q", aws.ToString(up.ChecksumCRC32C), want)
	}
}

func TestS3ListMultipartUploadsURLEncoding(t *testing.T) {
	e := newS3Env(t)
	e.bucket("enc", "")
	for _, k := range []string{"dir/a b+c", "dir/ü/x", "dir/plain"} {
		if _, err := e.c.CreateMultipartUpload(bg, &s3.CreateMultipartUploadInput{Bucket: aws.String("enc"), Key: aws.String(k)}); err != nil {
			t.Fatal(err)
		}
	}
	list := func(q url.Values) (int, []byte) {
		req, _ := http.NewRequest(http.MethodGet, e.url+"/enc?uploads&"+q.Encode(), nil)
		return e.signedBody(req)
	}
	status, body := list(url.Values{"encoding-type": {"url"}, "prefix": {"dir/"}, "delimiter": {"/"}, "key-marker": {"dir/a b"}})
	var res struct {
		Bucket, KeyMarker, Prefix, Delimiter, EncodingType string
		Uploads                                            []struct{ Key string } `xml:"Upload"`
		CommonPrefixes                                     []struct{ Prefix string }
	}
	if err := xml.Unmarshal(body, &res); status != 200 || err != nil {
		t.Fatalf("ListMultipartUploads encoding-type=url: %d %v\n%s", status, err, body)
	}
	var keys, prefixes []string
	for _, u := range res.Uploads {
		keys = append(keys, u.Key)
	}
	for _, p := range res.CommonPrefixes {
		prefixes = append(prefixes, p.Prefix)
	}
	if res.EncodingType != "url" || res.KeyMarker != "dir/a%20b" || res.Prefix != "dir/" || res.Delimiter != "/" ||
		strings.Join(keys, " ") != "dir/a%20b%2Bc dir/plain" || strings.Join(prefixes, " ") != "dir/%C3%BC/" {
		t.Fatalf("ListMultipartUploads encoding-type=url: %+v\n%s", res, body)
	}
	status, body = list(url.Values{"prefix": {"dir/"}})
	if !bytes.Contains(body, []byte("<Key>dir/a b+c</Key>")) || bytes.Contains(body, []byte("EncodingType")) || status != 200 {
		t.Fatalf("ListMultipartUploads without encoding-type: %d\n%s", status, body)
	}
	req, _ := http.NewRequest(http.MethodGet, e.url+"/enc?uploads&encoding-type=base64", nil)
	if status, code := e.signedDo(req); status != 400 || code != "InvalidArgument" {
		t.Fatalf("ListMultipartUploads encoding-type=base64: %d %s, want 400 InvalidArgument", status, code)
	}
}

// TestS3UploadPartCopyChecksum: a part copied into a full-object upload
// carries the upload's checksum, so the object gets its whole CRC.
func TestS3UploadPartCopyChecksum(t *testing.T) {
	e := newS3Env(t)
	e.bucket("partcopy", "")
	src := randData(9, 5<<20+100)
	if _, err := e.c.PutObject(bg, &s3.PutObjectInput{Bucket: aws.String("partcopy"), Key: aws.String("src"), Body: bytes.NewReader(src)}); err != nil {
		t.Fatal(err)
	}
	alg := s3types.ChecksumAlgorithmCrc64nvme
	cr, err := e.c.CreateMultipartUpload(bg, &s3.CreateMultipartUploadInput{Bucket: aws.String("partcopy"), Key: aws.String("dst"),
		ChecksumAlgorithm: alg, ChecksumType: s3types.ChecksumTypeFullObject})
	if err != nil {
		t.Fatal(err)
	}
	first := src[:5<<20]
	cp, err := e.c.UploadPartCopy(bg, &s3.UploadPartCopyInput{Bucket: aws.String("partcopy"), Key: aws.String("dst"), UploadId: cr.UploadId,
		PartNumber: aws.Int32(1), CopySource: aws.String("partcopy/src"), CopySourceRange: aws.String("bytes=0-5242879")})
	if err != nil {
		t.Fatalf("UploadPartCopy: %v", err)
	}
	if got, want := aws.ToString(cp.CopyPartResult.ChecksumCRC64NVME), sumOf(t, alg, first); got != want {
		t.Fatalf("copied part's CRC64NVME %q, want %q", got, want)
	}
	last := []byte("the end")
	up, err := e.c.UploadPart(bg, &s3.UploadPartInput{Bucket: aws.String("partcopy"), Key: aws.String("dst"), UploadId: cr.UploadId,
		PartNumber: aws.Int32(2), Body: bytes.NewReader(last), ChecksumAlgorithm: alg})
	if err != nil {
		t.Fatal(err)
	}
	done, err := e.c.CompleteMultipartUpload(bg, &s3.CompleteMultipartUploadInput{Bucket: aws.String("partcopy"), Key: aws.String("dst"), UploadId: cr.UploadId,
		MultipartUpload: &s3types.CompletedMultipartUpload{Parts: []s3types.CompletedPart{
			{PartNumber: aws.Int32(1), ETag: cp.CopyPartResult.ETag, ChecksumCRC64NVME: cp.CopyPartResult.ChecksumCRC64NVME},
			{PartNumber: aws.Int32(2), ETag: up.ETag, ChecksumCRC64NVME: up.ChecksumCRC64NVME}}}})
	if err != nil {
		t.Fatalf("complete: %v", err)
	}
	if got, want := aws.ToString(done.ChecksumCRC64NVME), sumOf(t, alg, append(bytes.Clone(first), last...)); got != want || done.ChecksumType != s3types.ChecksumTypeFullObject {
		t.Fatalf("object CRC64NVME %q (%s), want %q (FULL_OBJECT)", got, done.ChecksumType, want)
	}
}
