package test

// S3 compatibility of the sub-resources added for issue 10: ListObjectVersions
// of a bucket written before versioning (null versions), versioning
// configuration, versionId rules, ACLs
// with a second access key and anonymous callers, ownership controls, public
// access block, bucket policies, CORS, browser POST uploads and edge cases
// (Complete retry, If-None-Match with an ETag, partNumber, checksums), with
// aws-sdk-go-v2 over HTTP and HTTPS and with minio-go.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

const (
	scAltKey    = "ALTKEY00000000000000"
	scAltSecret = "alt-secret-0123456789abcdef"
)

// scCanonicalID is the canonical user id the gateway gives an access key.
func scCanonicalID(ak string) string {
	s := sha256.Sum256([]byte(ak))
	return hex.EncodeToString(s[:])
}

// scKeysFlag writes a --keys file with the alternate key and returns the flags.
func scKeysFlag(t *testing.T) []string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "keys.json")
	b, _ := json.Marshal([]map[string]string{{"access_key": scAltKey, "secret_key": scAltSecret}})
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return []string{"--keys", p}
}

func TestS3CompatAccess(t *testing.T) {
	for _, mk := range []func(*testing.T, ...string) *scTransport{scStartHTTP, scStartHTTPS} {
		tr := mk(t, scKeysFlag(t)...)
		t.Run(tr.name, func(t *testing.T) {
			var hc aws.HTTPClient
			if tr.tlsConf != nil {
				hc = tr.httpc
			}
			alt := scClient(t, tr.endpoint, scAltKey, scAltSecret, hc)
			t.Run("Versions", func(t *testing.T) { testSCVersions(t, tr) })
			t.Run("EdgeCases", func(t *testing.T) { testSCEdgeCases(t, tr) })
			t.Run("ACL", func(t *testing.T) { testSCACL(t, tr, alt) })
			t.Run("Ownership", func(t *testing.T) { testSCOwnership(t, tr, alt) })
			t.Run("UploadOwners", func(t *testing.T) { testSCUploadOwners(t, tr, alt) })
			t.Run("Policy", func(t *testing.T) { testSCPolicy(t, tr, alt) })
			t.Run("CORS", func(t *testing.T) { testSCCORS(t, tr) })
			t.Run("PostObject", func(t *testing.T) { testSCPost(t, tr) })
			if tr.tlsConf == nil {
				t.Run("Minio", func(t *testing.T) { testSCMinioAccess(t, tr) })
			}
		})
	}
}

func testSCVersions(t *testing.T, tr *scTransport) {
	ctx := context.Background()
	c := tr.c
	mustCreateBucket(t, c, "vers")
	keys := []string{"a", "b/1", "b/2", "c\nnl", "c d+e", "z"} // in key order
	for _, k := range keys {
		scPut(t, c, "vers", k, []byte(k))
	}
	out, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("vers")})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Versions) != len(keys) || len(out.DeleteMarkers) != 0 || aws.ToBool(out.IsTruncated) {
		t.Fatalf("ListObjectVersions: %d versions, truncated %v; want %d", len(out.Versions), aws.ToBool(out.IsTruncated), len(keys))
	}
	me := scCanonicalID(tr.d.AccessKey)
	for i, v := range out.Versions {
		if aws.ToString(v.Key) != keys[i] || aws.ToString(v.VersionId) != "null" || !aws.ToBool(v.IsLatest) ||
			aws.ToInt64(v.Size) != int64(len(keys[i])) || v.Owner == nil || aws.ToString(v.Owner.ID) != me ||
			v.StorageClass != types.ObjectVersionStorageClassStandard || v.LastModified == nil || aws.ToString(v.ETag) == "" {
			t.Fatalf("version %d: %+v", i, v)
		}
	}
	// Paging one at a time with key / version-id markers.
	var got []string
	in := &s3.ListObjectVersionsInput{Bucket: aws.String("vers"), MaxKeys: aws.Int32(1)}
	for range 20 {
		page, err := c.ListObjectVersions(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range page.Versions {
			got = append(got, aws.ToString(v.Key))
		}
		if !aws.ToBool(page.IsTruncated) {
			break
		}
		if aws.ToString(page.NextVersionIdMarker) != "null" {
			t.Fatalf("NextVersionIdMarker %q, want null", aws.ToString(page.NextVersionIdMarker))
		}
		in.KeyMarker, in.VersionIdMarker = page.NextKeyMarker, page.NextVersionIdMarker
	}
	if strings.Join(got, "|") != strings.Join(keys, "|") {
		t.Fatalf("paged versions %q, want %q", got, keys)
	}
	// Delimiter and prefix.
	out, err = c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("vers"), Delimiter: aws.String("/")})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.CommonPrefixes) != 1 || aws.ToString(out.CommonPrefixes[0].Prefix) != "b/" || len(out.Versions) != 4 {
		t.Fatalf("delimiter listing: %d versions, prefixes %+v", len(out.Versions), out.CommonPrefixes)
	}
	// encoding-type=url, read raw: what S3 encodes and nothing else.
	req, _ := http.NewRequest(http.MethodGet, tr.endpoint+"/vers?versions&encoding-type=url&prefix=c", nil)
	status, body := scSignedDo(t, tr, req, nil)
	if status != 200 || !strings.Contains(string(body), "<Key>c%20d%2Be</Key>") || !strings.Contains(string(body), "<Key>c%0Anl</Key>") {
		t.Fatalf("encoded versions listing: %d %s", status, body)
	}
	// Versioning configuration.
	vo, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("vers")})
	if err != nil || vo.Status != "" {
		t.Fatalf("GetBucketVersioning of a new bucket: %v %q", err, vo.Status)
	}
	_, err = c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("vers"),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled, MFADelete: types.MFADeleteEnabled}})
	scWantErr(t, "PutBucketVersioning with MFA Delete", err, "NotImplemented", 501)
	if _, err = c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("vers"),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusSuspended}}); err != nil {
		t.Fatal(err)
	}
	if vo, err = c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("vers")}); err != nil || vo.Status != types.BucketVersioningStatusSuspended {
		t.Fatalf("GetBucketVersioning after Suspended: %v %q", err, vo.Status)
	}
	if p := scPut(t, c, "vers", "a", []byte("a2")); p.VersionId != nil {
		t.Fatalf("PUT into a suspended bucket: version %q, want none (S3 omits null on writes)", aws.ToString(p.VersionId))
	}
	// versionId rules.
	b, g := scGet(t, c, &s3.GetObjectInput{Bucket: aws.String("vers"), Key: aws.String("a"), VersionId: aws.String("null")})
	if string(b) != "a2" || aws.ToString(g.VersionId) != "null" {
		t.Fatalf("GET versionId=null: %q version %q", b, aws.ToString(g.VersionId))
	}
	other := "3HL4kqtJlcpXroDTDmJ_rmSpXd3dIbrH"
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("vers"), Key: aws.String("a"), VersionId: aws.String(other)})
	scWantErr(t, "GET of an unknown version", err, "NoSuchVersion", 404)
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("vers"), Key: aws.String("a"), VersionId: aws.String(other)})
	scWantErr(t, "HEAD of an unknown version", err, "", 404)
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("vers"), Key: aws.String("a"), VersionId: aws.String("bad")})
	scWantErr(t, "GET of a malformed version", err, "InvalidArgument", 400)
	_, err = c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("vers"), Key: aws.String("a"), VersionId: aws.String(other)})
	scWantErr(t, "GetObjectTagging of an unknown version", err, "NoSuchVersion", 404)
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("vers"), Key: aws.String("copy"),
		CopySource: aws.String("vers/a?versionId=" + other)})
	scWantErr(t, "CopyObject of an unknown source version", err, "NoSuchVersion", 404)
	if _, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("vers"), Key: aws.String("copy"),
		CopySource: aws.String("vers/a?versionId=null")}); err != nil {
		t.Fatalf("CopyObject of version null: %v", err)
	}
	if d, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vers"), Key: aws.String("a"), VersionId: aws.String(other)}); err != nil || aws.ToString(d.VersionId) != other {
		t.Fatalf("DELETE of an unknown version: %v", err)
	}
	if !scExists(t, c, "vers", "a") {
		t.Fatal("DELETE of an unknown version removed the live object")
	}
	_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vers"), Key: aws.String("a"), VersionId: aws.String("bad")})
	scWantErr(t, "DELETE of a malformed version", err, "InvalidArgument", 400)
	do, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("vers"), Delete: &types.Delete{Objects: []types.ObjectIdentifier{
		{Key: aws.String("a"), VersionId: aws.String(other)}, {Key: aws.String("z"), VersionId: aws.String("null")}}}})
	if err != nil || len(do.Deleted) != 2 || len(do.Errors) != 0 {
		t.Fatalf("DeleteObjects with version ids: %v %+v", err, do)
	}
	if !scExists(t, c, "vers", "a") || scExists(t, c, "vers", "z") {
		t.Fatal("DeleteObjects: an unknown version deleted the live object, or version null was not deleted")
	}
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vers"), Key: aws.String("a"), VersionId: aws.String("null")}); err != nil || scExists(t, c, "vers", "a") {
		t.Fatalf("DELETE versionId=null: %v", err)
	}
}

// scSignedDo signs req with the main key (body: payload) and sends it.
func scSignedDo(t *testing.T, tr *scTransport, req *http.Request, body []byte) (int, []byte) {
	t.Helper()
	sum := sha256.Sum256(body)
	req.Header.Set("X-Amz-Content-Sha256", hex.EncodeToString(sum[:]))
	if body != nil {
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.ContentLength = int64(len(body))
	}
	if err := scSigner(req, tr.d.AccessKey, tr.d.SecretKey, hex.EncodeToString(sum[:])); err != nil {
		t.Fatal(err)
	}
	status, _, b := scHTTPDo(t, tr.httpc, req)
	return status, b
}

// scSigner signs req with SigV4 for payload hash ph.
func scSigner(req *http.Request, ak, sk, ph string) error {
	return v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: ak, SecretAccessKey: sk}, req,
		ph, "s3", "us-east-1", time.Now())
}

func testSCEdgeCases(t *testing.T, tr *scTransport) {
	ctx := context.Background()
	c := tr.c
	mustCreateBucket(t, c, "edge")
	// Complete retried after it succeeded.
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("edge"), Key: aws.String("mp"),
		ChecksumAlgorithm: types.ChecksumAlgorithmSha256})
	if err != nil {
		t.Fatal(err)
	}
	part := randBytes(5 << 20)
	p1, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("edge"), Key: aws.String("mp"), UploadId: up.UploadId,
		PartNumber: aws.Int32(1), Body: bytes.NewReader(part), ChecksumAlgorithm: types.ChecksumAlgorithmSha256})
	if err != nil {
		t.Fatal(err)
	}
	p2, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("edge"), Key: aws.String("mp"), UploadId: up.UploadId,
		PartNumber: aws.Int32(2), Body: bytes.NewReader([]byte("tail")), ChecksumAlgorithm: types.ChecksumAlgorithmSha256})
	if err != nil {
		t.Fatal(err)
	}
	lp, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("edge"), Key: aws.String("mp"), UploadId: up.UploadId})
	if err != nil || lp.ChecksumAlgorithm != types.ChecksumAlgorithmSha256 {
		t.Fatalf("ListParts ChecksumAlgorithm: %v %q", err, lp.ChecksumAlgorithm)
	}
	lu, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("edge")})
	if err != nil || len(lu.Uploads) != 1 || lu.Uploads[0].ChecksumAlgorithm != types.ChecksumAlgorithmSha256 {
		t.Fatalf("ListMultipartUploads ChecksumAlgorithm: %v %+v", err, lu.Uploads)
	}
	complete := &s3.CompleteMultipartUploadInput{Bucket: aws.String("edge"), Key: aws.String("mp"), UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{
			{PartNumber: aws.Int32(1), ETag: p1.ETag, ChecksumSHA256: p1.ChecksumSHA256},
			{PartNumber: aws.Int32(2), ETag: p2.ETag, ChecksumSHA256: p2.ChecksumSHA256}}}}
	bad := *complete
	bad.ChecksumSHA256 = aws.String(base64.StdEncoding.EncodeToString(make([]byte, 32)))
	_, err = c.CompleteMultipartUpload(ctx, &bad)
	scWantErr(t, "Complete with a wrong x-amz-checksum-sha256", err, "BadDigest", 400)
	first, err := c.CompleteMultipartUpload(ctx, complete)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.CompleteMultipartUpload(ctx, complete)
	if err != nil || aws.ToString(again.ETag) != aws.ToString(first.ETag) {
		t.Fatalf("retried Complete: %v, ETag %q want %q", err, aws.ToString(again.ETag), aws.ToString(first.ETag))
	}
	wrong := *complete
	wrong.MultipartUpload = &types.CompletedMultipartUpload{Parts: complete.MultipartUpload.Parts[:1]}
	_, err = c.CompleteMultipartUpload(ctx, &wrong)
	scWantErr(t, "Complete of a finished upload with other parts", err, "NoSuchUpload", 404)
	// The same parts under an upload that was aborted, or never begun: the
	// object there now is not that upload's.
	aborted, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("edge"), Key: aws.String("mp")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("edge"), Key: aws.String("mp"), UploadId: aborted.UploadId}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []*string{aborted.UploadId, aws.String("bogus-upload-id")} {
		other := *complete
		other.UploadId = id
		other.ChecksumSHA256 = nil
		_, err = c.CompleteMultipartUpload(ctx, &other)
		scWantErr(t, "Complete of an aborted or unknown upload with a finished upload's parts", err, "NoSuchUpload", 404)
	}
	// partNumber.
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("edge"), Key: aws.String("mp"), PartNumber: aws.Int32(3)})
	scWantErr(t, "partNumber past the last part", err, "InvalidPart", 400)
	scPut(t, c, "edge", "single", []byte("one"))
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("edge"), Key: aws.String("single"), PartNumber: aws.Int32(2)})
	scWantErr(t, "partNumber=2 of a plain object", err, "InvalidPart", 400)
	// ObjectParts.
	attrs, err := c.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: aws.String("edge"), Key: aws.String("mp"),
		ObjectAttributes: []types.ObjectAttributes{types.ObjectAttributesObjectParts}, MaxParts: aws.Int32(1)})
	if err != nil || attrs.ObjectParts == nil || aws.ToInt32(attrs.ObjectParts.TotalPartsCount) != 2 ||
		!aws.ToBool(attrs.ObjectParts.IsTruncated) || len(attrs.ObjectParts.Parts) != 1 || aws.ToInt64(attrs.ObjectParts.Parts[0].Size) != 5<<20 {
		t.Fatalf("GetObjectAttributes ObjectParts: %v %+v", err, attrs)
	}
	// If-None-Match with an ETag; If-Match on a missing key.
	etag := aws.ToString(scPut(t, c, "edge", "cond", []byte("v1")).ETag)
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("edge"), Key: aws.String("cond"), Body: strings.NewReader("v2"), IfNoneMatch: aws.String(etag)})
	scWantErr(t, "PUT If-None-Match the current ETag", err, "PreconditionFailed", 412)
	if _, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("edge"), Key: aws.String("cond"), Body: strings.NewReader("v2"),
		IfNoneMatch: aws.String(`"00000000000000000000000000000000"`)}); err != nil {
		t.Fatalf("PUT If-None-Match another ETag: %v", err)
	}
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("edge"), Key: aws.String("missing"), Body: strings.NewReader("x"), IfMatch: aws.String(etag)})
	scWantErr(t, "PUT If-Match on a missing key", err, "NoSuchKey", 404)
	// A wrong checksum header value is BadDigest.
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("edge"), Key: aws.String("ck"), Body: strings.NewReader("x"),
		ChecksumAlgorithm: types.ChecksumAlgorithmSha256, ChecksumSHA256: aws.String("bad")})
	scWantErr(t, "PUT with a malformed x-amz-checksum-sha256", err, "BadDigest", 400)
	// Unsupported sub-resources are NotImplemented, never 500.
	_, err = c.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: aws.String("edge")})
	scWantErr(t, "GetBucketWebsite", err, "NotImplemented", 501)
	// A presigned URL with a malformed signature.
	ps := s3.NewPresignClient(c)
	u, err := ps.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("edge"), Key: aws.String("single")})
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(u.URL, "X-Amz-Signature=")
	status, _, body := scPresignedDo(t, tr.httpc, http.MethodGet, u.URL[:i]+"X-Amz-Signature=zz"+u.URL[i+len("X-Amz-Signature=")+64:], nil, nil)
	if status != 403 || scErrorCode(body) != "SignatureDoesNotMatch" {
		t.Fatalf("presigned GET with a malformed signature: %d %s", status, body)
	}
}

func scGrantees(acl []types.Grant) map[string]types.Permission {
	out := map[string]types.Permission{}
	for _, g := range acl {
		k := aws.ToString(g.Grantee.ID)
		if g.Grantee.URI != nil {
			k = aws.ToString(g.Grantee.URI)
		}
		out[k+" "+string(g.Permission)] = g.Permission
	}
	return out
}

func testSCACL(t *testing.T, tr *scTransport, alt *s3.Client) {
	ctx := context.Background()
	c := tr.c
	me, altID := scCanonicalID(tr.d.AccessKey), scCanonicalID(scAltKey)
	const allUsers = "http://acs.amazonaws.com/groups/global/AllUsers"
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("aclpub"), ACL: types.BucketCannedACLPublicRead}); err != nil {
		t.Fatal(err)
	}
	acl, err := c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String("aclpub")})
	if err != nil || aws.ToString(acl.Owner.ID) != me || aws.ToString(acl.Owner.DisplayName) != tr.d.AccessKey {
		t.Fatalf("GetBucketAcl: %v %+v", err, acl)
	}
	if g := scGrantees(acl.Grants); len(g) != 2 || g[me+" FULL_CONTROL"] == "" || g[allUsers+" READ"] == "" {
		t.Fatalf("public-read bucket grants %v", g)
	}
	scPut(t, c, "aclpub", "private", []byte("p"))
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("aclpub"), Key: aws.String("open"), Body: strings.NewReader("o"),
		ACL: types.ObjectCannedACLPublicRead}); err != nil {
		t.Fatal(err)
	}
	// Anonymous: list (bucket READ) and read the public object, not the private one.
	anon := func(method, path string) int {
		req, _ := http.NewRequest(method, tr.endpoint+path, nil)
		status, _, _ := scHTTPDo(t, tr.httpc, req)
		return status
	}
	for _, x := range []struct {
		method, path string
		status       int
	}{{"GET", "/aclpub", 200}, {"GET", "/aclpub/open", 200}, {"GET", "/aclpub/private", 403}, {"PUT", "/aclpub/new", 403},
		{"GET", "/aclpub?acl", 403}, {"GET", "/aclpub/missing", 404}} {
		if got := anon(x.method, x.path); got != x.status {
			t.Fatalf("anonymous %s %s: %d, want %d", x.method, x.path, got, x.status)
		}
	}
	// Cross-account: alt reads what ACLs give it, and no more.
	if _, err := alt.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("aclpub"), Key: aws.String("open")}); err != nil {
		t.Fatalf("alt GET of a public-read object: %v", err)
	}
	_, err = alt.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("aclpub"), Key: aws.String("private")})
	scWantErr(t, "alt GET of a private object", err, "AccessDenied", 403)
	_, err = alt.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("aclpub"), Key: aws.String("x"), Body: strings.NewReader("x")})
	scWantErr(t, "alt PUT into a public-read bucket", err, "AccessDenied", 403)
	// Grant alt WRITE with a grant header: alt's object is alt's.
	if _, err := c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("aclpub"),
		GrantWrite: aws.String(`id="` + altID + `"`), GrantFullControl: aws.String(`id="` + me + `"`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := alt.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("aclpub"), Key: aws.String("alts"), Body: strings.NewReader("a"),
		ACL: types.ObjectCannedACLBucketOwnerRead}); err != nil {
		t.Fatalf("alt PUT with a WRITE grant: %v", err)
	}
	_, err = c.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String("aclpub"), Key: aws.String("alts")})
	scWantErr(t, "bucket owner GetObjectAcl of alt's bucket-owner-read object", err, "AccessDenied", 403)
	if _, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("aclpub"), Key: aws.String("alts")}); err != nil {
		t.Fatalf("bucket owner GET of alt's bucket-owner-read object: %v", err)
	}
	oacl, err := alt.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String("aclpub"), Key: aws.String("alts")})
	if err != nil || aws.ToString(oacl.Owner.ID) != altID {
		t.Fatalf("GetObjectAcl of alt's object: %v %+v", err, oacl)
	}
	if g := scGrantees(oacl.Grants); len(g) != 2 || g[altID+" FULL_CONTROL"] == "" || g[me+" READ"] == "" {
		t.Fatalf("bucket-owner-read grants %v", g)
	}
	_, err = c.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: aws.String("aclpub"), Key: aws.String("alts"), ACL: types.ObjectCannedACLPrivate})
	scWantErr(t, "bucket owner PutObjectAcl on alt's object (READ only)", err, "AccessDenied", 403)
	// The whole ACL as XML.
	if _, err := c.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: aws.String("aclpub"), Key: aws.String("private"),
		AccessControlPolicy: &types.AccessControlPolicy{Owner: &types.Owner{ID: aws.String(me)}, Grants: []types.Grant{
			{Grantee: &types.Grantee{Type: types.TypeCanonicalUser, ID: aws.String(me)}, Permission: types.PermissionFullControl},
			{Grantee: &types.Grantee{Type: types.TypeCanonicalUser, ID: aws.String(altID)}, Permission: types.PermissionRead}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := alt.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("aclpub"), Key: aws.String("private")}); err != nil {
		t.Fatalf("alt GET after a READ grant by id: %v", err)
	}
	req, _ := http.NewRequest(http.MethodPut, tr.endpoint+"/aclpub?acl", nil)
	if status, body := scSignedDo(t, tr, req, []byte("<AccessControlPolicy><oops")); status != 400 || scErrorCode(body) != "MalformedACLError" {
		t.Fatalf("PutBucketAcl with bad XML: %d %s", status, body)
	}
	_, err = c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("aclpub"), ACL: "no-such-acl"})
	scWantErr(t, "PutBucketAcl with an unknown canned ACL", err, "InvalidArgument", 400)
	// Owner in listings.
	// (Listings carry the owner the layer lists: objects' ACLs are not
	// listed, so only the bucket owner's objects are checked here.)
	lo, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("aclpub"), FetchOwner: aws.Bool(true), Prefix: aws.String("open")})
	if err != nil || len(lo.Contents) != 1 || aws.ToString(lo.Contents[0].Owner.ID) != me || aws.ToString(lo.Contents[0].Owner.DisplayName) != tr.d.AccessKey {
		t.Fatalf("ListObjectsV2 owner: %v %+v", err, lo.Contents)
	}
	lb, err := alt.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil || aws.ToString(lb.Owner.ID) != altID || len(lb.Buckets) != 0 {
		t.Fatalf("alt ListBuckets: %v %+v", err, lb)
	}
}

func testSCOwnership(t *testing.T, tr *scTransport, alt *s3.Client) {
	ctx := context.Background()
	c := tr.c
	mustCreateBucket(t, c, "owned")
	_, err := c.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: aws.String("owned")})
	scWantErr(t, "GetBucketOwnershipControls unset", err, "OwnershipControlsNotFoundError", 404)
	if _, err := c.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: aws.String("owned"),
		OwnershipControls: &types.OwnershipControls{Rules: []types.OwnershipControlsRule{{ObjectOwnership: types.ObjectOwnershipBucketOwnerEnforced}}}}); err != nil {
		t.Fatal(err)
	}
	oc, err := c.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: aws.String("owned")})
	if err != nil || len(oc.OwnershipControls.Rules) != 1 || oc.OwnershipControls.Rules[0].ObjectOwnership != types.ObjectOwnershipBucketOwnerEnforced {
		t.Fatalf("GetBucketOwnershipControls: %v %+v", err, oc)
	}
	_, err = c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("owned"), ACL: types.BucketCannedACLPublicRead})
	scWantErr(t, "PutBucketAcl with ACLs disabled", err, "AccessControlListNotSupported", 400)
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("owned"), Key: aws.String("k"), Body: strings.NewReader("x"), ACL: types.ObjectCannedACLPublicRead})
	scWantErr(t, "PutObject with an ACL, ACLs disabled", err, "AccessControlListNotSupported", 400)
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("owned"), Key: aws.String("k"), Body: strings.NewReader("x"),
		ACL: types.ObjectCannedACLBucketOwnerFullControl}); err != nil {
		t.Fatalf("PutObject bucket-owner-full-control with ACLs disabled: %v", err)
	}
	if _, err := c.DeleteBucketOwnershipControls(ctx, &s3.DeleteBucketOwnershipControlsInput{Bucket: aws.String("owned")}); err != nil {
		t.Fatal(err)
	}
	_, err = alt.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: aws.String("owned")})
	scWantErr(t, "alt GetBucketOwnershipControls", err, "AccessDenied", 403)
	if _, err := c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("owned"), ACL: types.BucketCannedACLPublicRead}); err != nil {
		t.Fatal(err)
	}
	_, err = c.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: aws.String("owned"),
		OwnershipControls: &types.OwnershipControls{Rules: []types.OwnershipControlsRule{{ObjectOwnership: types.ObjectOwnershipBucketOwnerEnforced}}}})
	scWantErr(t, "BucketOwnerEnforced over a public ACL", err, "InvalidBucketAclWithObjectOwnership", 400)
	_, err = c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("owned2"), ACL: types.BucketCannedACLPublicRead, ObjectOwnership: types.ObjectOwnershipBucketOwnerEnforced})
	scWantErr(t, "CreateBucket enforced with a public ACL", err, "InvalidBucketAclWithObjectOwnership", 400)
	// Public access block.
	_, err = c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String("owned")})
	scWantErr(t, "GetPublicAccessBlock unset", err, "NoSuchPublicAccessBlockConfiguration", 404)
	if _, err := c.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String("owned"),
		PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(true), IgnorePublicAcls: aws.Bool(true)}}); err != nil {
		t.Fatal(err)
	}
	pab, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String("owned")})
	if err != nil || !aws.ToBool(pab.PublicAccessBlockConfiguration.BlockPublicAcls) || aws.ToBool(pab.PublicAccessBlockConfiguration.BlockPublicPolicy) {
		t.Fatalf("GetPublicAccessBlock: %v %+v", err, pab)
	}
	req, _ := http.NewRequest(http.MethodGet, tr.endpoint+"/owned", nil)
	if status, _, _ := scHTTPDo(t, tr.httpc, req); status != 403 {
		t.Fatalf("anonymous list of a public-read bucket with IgnorePublicAcls: %d, want 403", status)
	}
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("owned"), Key: aws.String("p"), Body: strings.NewReader("x"), ACL: types.ObjectCannedACLPublicRead})
	scWantErr(t, "public-read PUT with BlockPublicAcls", err, "AccessDenied", 403)
	if _, err := c.DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: aws.String("owned")}); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := scHTTPDo(t, tr.httpc, req); status != 200 {
		t.Fatalf("anonymous list of a public-read bucket without a block: %d, want 200", status)
	}
}

func testSCPolicy(t *testing.T, tr *scTransport, alt *s3.Client) {
	ctx := context.Background()
	c := tr.c
	mustCreateBucket(t, c, "pol")
	scPut(t, c, "pol", "pub/a", []byte("a"))
	scPut(t, c, "pol", "priv/b", []byte("b"))
	_, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("pol")})
	scWantErr(t, "GetBucketPolicy unset", err, "NoSuchBucketPolicy", 404)
	st, err := c.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: aws.String("pol")})
	if err != nil || aws.ToBool(st.PolicyStatus.IsPublic) {
		t.Fatalf("GetBucketPolicyStatus without a policy: %v", err)
	}
	for _, bad := range []string{`not json`, `{"Statement":[{"Effect":"Maybe","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::pol/*"}]}`,
		`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other/*"}]}`,
		`{"Statement":[{"Effect":"Allow","Principal":"*","Resource":"arn:aws:s3:::pol/*"}]}`} {
		_, err = c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("pol"), Policy: aws.String(bad)})
		scWantErr(t, "PutBucketPolicy "+bad, err, "MalformedPolicy", 400)
	}
	doc := `{"Version":"2012-10-17","Statement":[
	 {"Effect":"Allow","Principal":"*","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::pol/pub/*"},
	 {"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::` + scCanonicalID(scAltKey) + `:root"]},"Action":["s3:PutObject","s3:ListBucket"],"Resource":["arn:aws:s3:::pol","arn:aws:s3:::pol/*"]},
	 {"Effect":"Deny","Principal":{"AWS":"` + scCanonicalID(scAltKey) + `"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::pol/priv/*"}]}`
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("pol"), Policy: aws.String(doc)}); err != nil {
		t.Fatal(err)
	}
	gp, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("pol")})
	if err != nil || aws.ToString(gp.Policy) != doc {
		t.Fatalf("GetBucketPolicy: %v %q", err, aws.ToString(gp.Policy))
	}
	if st, err = c.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: aws.String("pol")}); err != nil || !aws.ToBool(st.PolicyStatus.IsPublic) {
		t.Fatalf("GetBucketPolicyStatus of a public policy: %v", err)
	}
	anon := func(path string) int {
		req, _ := http.NewRequest(http.MethodGet, tr.endpoint+path, nil)
		status, _, _ := scHTTPDo(t, tr.httpc, req)
		return status
	}
	if anon("/pol/pub/a") != 200 || anon("/pol/priv/b") != 403 || anon("/pol") != 403 {
		t.Fatal("anonymous access does not follow the policy")
	}
	if _, err := alt.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("pol"), Key: aws.String("pub/alt"), Body: strings.NewReader("x")}); err != nil {
		t.Fatalf("alt PUT allowed by policy: %v", err)
	}
	_, err = alt.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("pol"), Key: aws.String("priv/alt"), Body: strings.NewReader("x")})
	scWantErr(t, "alt PUT denied by policy", err, "AccessDenied", 403)
	if _, err := alt.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("pol")}); err != nil {
		t.Fatalf("alt list allowed by policy: %v", err)
	}
	_, err = alt.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("pol"), Key: aws.String("pub/a")})
	scWantErr(t, "alt DELETE not allowed", err, "AccessDenied", 403)
	// RestrictPublicBuckets drops the public statement; BlockPublicPolicy refuses a new one.
	if _, err := c.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String("pol"),
		PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{BlockPublicPolicy: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true)}}); err != nil {
		t.Fatal(err)
	}
	if got := anon("/pol/pub/a"); got != 403 {
		t.Fatalf("anonymous GET with RestrictPublicBuckets: %d, want 403", got)
	}
	_, err = c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("pol"), Policy: aws.String(doc)})
	scWantErr(t, "public policy with BlockPublicPolicy", err, "AccessDenied", 403)
	if _, err := c.DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: aws.String("pol")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: aws.String("pol")}); err != nil {
		t.Fatal(err)
	}
	if anon("/pol/pub/a") != 403 {
		t.Fatal("anonymous GET allowed after DeleteBucketPolicy")
	}
}
