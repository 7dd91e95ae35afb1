package test

// Malformed requests a hostile or careless client sends, answered as S3
// answers them: found by probing a devnet with raw requests.

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func scBadInput(t *testing.T, d *devnet, c *s3.Client) {
	t.Run("EarlyErrorPartialBody", func(t *testing.T) { scEarlyErrorPartialBody(t, d) })
	t.Run("NoContentLength", func(t *testing.T) { scNoContentLength(t, d, c) })
	t.Run("DeleteObjectsEmptyKey", func(t *testing.T) { scDeleteObjectsEmptyKey(t, d, c) })
	t.Run("ReservedTagKey", func(t *testing.T) { scReservedTagKey(t, c) })
	t.Run("TaggingSchema", func(t *testing.T) { scTaggingSchema(t, d, c) })
	t.Run("CompleteOrderFirst", func(t *testing.T) { scCompleteOrderFirst(t, c) })
}

// rawWait is how long a raw exchange waits for its answer: far past any
// answer given at once, short of the body timeout (20 s) after which a
// server waiting for the rest of the body would give up.
const rawWait = 15 * time.Second

// scEarlyErrorPartialBody: a refused upload whose client sent part of a
// small body and waits is answered at once (net/http would otherwise wait
// to discard the rest before answering).
func scEarlyErrorPartialBody(t *testing.T, d *devnet) {
	u, _ := url.Parse(d.Endpoint)
	r := dialRaw(t, d)
	r.write([]byte(fmt.Sprintf("PUT /obj/partial/denied HTTP/1.1\r\nHost: %s\r\nContent-Length: 100000\r\n\r\n0123456789", u.Host)))
	if status, _, _ := r.response(rawWait); status != http.StatusForbidden {
		t.Fatalf("anonymous PUT with part of its body: %d, want 403", status)
	}
}

// scNoContentLength: a PUT with neither Content-Length nor
// Transfer-Encoding has no body S3 can read: 411, and what follows is not
// taken for the object (nor for a next request).
func scNoContentLength(t *testing.T, d *devnet, c *s3.Client) {
	ctx := context.Background()
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("obj"), Key: aws.String("nocl"), Body: strings.NewReader("ORIGINAL")}); err != nil {
		t.Fatal(err)
	}
	r := dialRaw(t, d)
	r.write(append(signedHead(t, d, http.MethodPut, "/obj/nocl", -1), "hello world"...))
	if status, _, _ := r.response(rawWait); status != http.StatusLengthRequired {
		t.Fatalf("PUT without Content-Length: %d, want 411 MissingContentLength", status)
	}
	got, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("obj"), Key: aws.String("nocl")})
	if err != nil {
		t.Fatal(err)
	}
	defer got.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(got.Body)
	if b.String() != "ORIGINAL" {
		t.Fatalf("object after a refused PUT without Content-Length: %q", b.String())
	}
}

// scDeleteObjectsEmptyKey: every Object of a DeleteObjects names a key;
// one that does not is MalformedXML, not a delete marker keyed "".
func scDeleteObjectsEmptyKey(t *testing.T, d *devnet, c *s3.Client) {
	ctx := context.Background()
	mustCreateBucket(t, c, "emptykey")
	if _, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("emptykey"),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{`<Delete><Object><Key></Key></Object></Delete>`, `<Delete><Object></Object></Delete>`} {
		if status, b := xmlRequest(t, d, http.MethodPost, "/emptykey?delete", body); status != http.StatusBadRequest || scErrorCode(b) != "MalformedXML" {
			t.Fatalf("DeleteObjects %s: %d %s, want 400 MalformedXML", body, status, b)
		}
	}
	vs, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("emptykey")})
	if err != nil || len(vs.DeleteMarkers)+len(vs.Versions) != 0 {
		t.Fatalf("versions after refused deletes: %d markers, %d versions, %v", len(vs.DeleteMarkers), len(vs.Versions), err)
	}
	if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("emptykey")}); err != nil {
		t.Fatalf("delete the bucket: %v", err)
	}
}

// xmlRequest sends an XML body, signed and with its Content-MD5, and
// returns the answer's status and body.
func xmlRequest(t *testing.T, d *devnet, method, path, body string) (int, []byte) {
	t.Helper()
	sum := md5.Sum([]byte(body))
	ph := sha256.Sum256([]byte(body))
	req, _ := http.NewRequest(method, d.Endpoint+path, strings.NewReader(body))
	req.Header.Set("Content-MD5", base64.StdEncoding.EncodeToString(sum[:]))
	req.Header.Set("X-Amz-Content-Sha256", hex.EncodeToString(ph[:]))
	if err := scSigner(req, d.AccessKey, d.SecretKey, hex.EncodeToString(ph[:])); err != nil {
		t.Fatal(err)
	}
	status, _, b := scHTTPDo(t, nil, req)
	return status, b
}

// scTaggingSchema: a Tagging body needs its TagSet, and every Tag a Key
// and a Value; an empty TagSet removes the tags.
func scTaggingSchema(t *testing.T, d *devnet, c *s3.Client) {
	if _, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("obj"), Key: aws.String("tags/schema"),
		Body: strings.NewReader("x"), Tagging: aws.String("a=1")}); err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{`<Tagging></Tagging>`, `<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>`,
		`<Tagging><TagSet><Tag><Value>v</Value></Tag></TagSet></Tagging>`} {
		if status, b := xmlRequest(t, d, http.MethodPut, "/obj/tags/schema?tagging", body); status != http.StatusBadRequest || scErrorCode(b) != "MalformedXML" {
			t.Fatalf("PutObjectTagging %s: %d %s, want 400 MalformedXML", body, status, b)
		}
	}
	if status, b := xmlRequest(t, d, http.MethodPut, "/obj/tags/schema?tagging", `<Tagging><TagSet/></Tagging>`); status != http.StatusOK {
		t.Fatalf("PutObjectTagging with an empty TagSet: %d %s", status, b)
	}
	out, err := c.GetObjectTagging(context.Background(), &s3.GetObjectTaggingInput{Bucket: aws.String("obj"), Key: aws.String("tags/schema")})
	if err != nil || len(out.TagSet) != 0 {
		t.Fatalf("tags after an empty TagSet: %+v, %v", out, err)
	}
}

// scReservedTagKey: tag keys beginning "aws:" are S3's own.
func scReservedTagKey(t *testing.T, c *s3.Client) {
	ctx := context.Background()
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("obj"), Key: aws.String("tags/reserved"), Body: strings.NewReader("x")}); err != nil {
		t.Fatal(err)
	}
	_, err := c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("obj"), Key: aws.String("tags/reserved"),
		Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("aws:owner"), Value: aws.String("me")}}}})
	scWantErr(t, "tag key aws:owner", err, "InvalidTag", 400)
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("obj"), Key: aws.String("tags/reserved2"), Body: strings.NewReader("x"),
		Tagging: aws.String("aws%3Aowner=me")})
	scWantErr(t, "x-amz-tagging aws:owner", err, "InvalidTag", 400)
}

// scCompleteOrderFirst: parts listed out of order are InvalidPartOrder
// whatever their sizes (S3 checks the order first).
func scCompleteOrderFirst(t *testing.T, c *s3.Client) {
	ctx := context.Background()
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("obj"), Key: aws.String("mp/order")})
	if err != nil {
		t.Fatal(err)
	}
	var parts []types.CompletedPart
	for n := int32(1); n <= 2; n++ {
		p, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("obj"), Key: aws.String("mp/order"), UploadId: up.UploadId,
			PartNumber: aws.Int32(n), Body: strings.NewReader("small part")})
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, types.CompletedPart{PartNumber: aws.Int32(n), ETag: p.ETag})
	}
	parts[0], parts[1] = parts[1], parts[0]
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("obj"), Key: aws.String("mp/order"),
		UploadId: up.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}})
	scWantErr(t, "Complete with small parts out of order", err, "InvalidPartOrder", 400)
}
