package test

// S3 compatibility of server-side encryption headers, conditional deletes,
// upload limits and CreateBucket's body (run by TestS3CompatObjects).

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// scEncryption: every object is encrypted (SSE-S3) and says so; dual-layer
// KMS is refused, never ignored (SSE-C: scSSEC; SSE-KMS: scSSEKMS).
func scEncryption(t *testing.T, c *s3.Client) {
	ctx := context.Background()
	b := aws.String("obj")
	put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("sse/asked"), Body: strings.NewReader("x"),
		ServerSideEncryption: types.ServerSideEncryptionAes256})
	if err != nil || put.ServerSideEncryption != types.ServerSideEncryptionAes256 {
		t.Fatalf("PUT with SSE AES256: %v, encryption %q", err, put.ServerSideEncryption)
	}
	if put := scPut(t, c, "obj", "sse/plain", []byte("y")); put.ServerSideEncryption != types.ServerSideEncryptionAes256 {
		t.Fatalf("plain PUT: encryption %q, want AES256", put.ServerSideEncryption)
	}
	_, got := scGet(t, c, &s3.GetObjectInput{Bucket: b, Key: aws.String("sse/plain")})
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("sse/asked")})
	if err != nil || got.ServerSideEncryption != types.ServerSideEncryptionAes256 || head.ServerSideEncryption != types.ServerSideEncryptionAes256 {
		t.Fatalf("GET / HEAD: encryption %q / %q (%v), want AES256", got.ServerSideEncryption, head.ServerSideEncryption, err)
	}
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("sse/dsse"), Body: strings.NewReader("x"),
		ServerSideEncryption: types.ServerSideEncryptionAwsKmsDsse})
	scWantErr(t, "PUT with dual-layer SSE-KMS", err, "NotImplemented", 501)
	if scExists(t, c, "obj", "sse/dsse") {
		t.Fatal("a dual-layer SSE-KMS PUT that was refused stored the object")
	}
	key, keyMD5 := "pO3upElrwuEXSoFwCfnZPdSsmt/xWeFa0N9KgDijwVs=", "DWygnHRtgiJ77HCm+1rvHw=="
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String("sse/plain"),
		SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(key), SSECustomerKeyMD5: aws.String(keyMD5)})
	scWantErr(t, "GET with a customer key of an object without one", err, "InvalidRequest", 400)
	// Contradicting or malformed encryption headers are 400s.
	for _, bad := range []struct {
		what, code string
		in         s3.PutObjectInput
	}{
		{"SSE AES256 with SSE-C", "InvalidArgument", s3.PutObjectInput{ServerSideEncryption: types.ServerSideEncryptionAes256,
			SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(key), SSECustomerKeyMD5: aws.String(keyMD5)}},
		{"a KMS key id without aws:kms", "InvalidArgument", s3.PutObjectInput{SSEKMSKeyId: aws.String("testkey-1")}},
		{"a KMS key id with AES256", "InvalidArgument", s3.PutObjectInput{ServerSideEncryption: types.ServerSideEncryptionAes256, SSEKMSKeyId: aws.String("testkey-1")}},
		{"SSE-C with the wrong key MD5", "InvalidArgument", s3.PutObjectInput{SSECustomerAlgorithm: aws.String("AES256"),
			SSECustomerKey: aws.String(key), SSECustomerKeyMD5: aws.String("AAAAAAAAAAAAAAAAAAAAAA==")}},
		{"SSE-C with algorithm AES192", "InvalidEncryptionAlgorithmError", s3.PutObjectInput{SSECustomerAlgorithm: aws.String("AES192"),
			SSECustomerKey: aws.String(key), SSECustomerKeyMD5: aws.String(keyMD5)}},
		{"aws:kms with SSE-C", "InvalidArgument", s3.PutObjectInput{ServerSideEncryption: types.ServerSideEncryptionAwsKms,
			SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(key), SSECustomerKeyMD5: aws.String(keyMD5)}},
		{"aws:kms with a context that is not base64 JSON", "InvalidArgument", s3.PutObjectInput{ServerSideEncryption: types.ServerSideEncryptionAwsKms,
			SSEKMSEncryptionContext: aws.String("bm90IGpzb24=")}},
		{"aws:kms with a key id with a space", "InvalidArgument", s3.PutObjectInput{ServerSideEncryption: types.ServerSideEncryptionAwsKms,
			SSEKMSKeyId: aws.String("my key")}},
	} {
		in := bad.in
		in.Bucket, in.Key, in.Body = b, aws.String("sse/bad"), strings.NewReader("x")
		_, err := c.PutObject(ctx, &in)
		scWantErr(t, "PUT with "+bad.what, err, bad.code, 400)
	}
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("sse/plain")}, func(o *s3.Options) {
		o.APIOptions = append(o.APIOptions, smithyhttp.AddHeaderValue("x-amz-server-side-encryption", "AES256"))
	})
	scWantErr(t, "HEAD with x-amz-server-side-encryption", err, "", 400)

	// A bucket policy on the encryption header answers first.
	mustCreateBucket(t, c, "ssepolicy")
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:PutObject",` +
		`"Resource":"arn:aws:s3:::ssepolicy/*","Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"AES256"}}}]}`
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("ssepolicy"), Policy: aws.String(policy)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("ssepolicy"), Key: aws.String("k"), Body: strings.NewReader("x"),
		ServerSideEncryption: types.ServerSideEncryptionAwsKms})
	scWantErr(t, "PUT with aws:kms where a policy denies it", err, "AccessDenied", 403)

	// A bucket's default encryption: none until set (aws:kms: scSSEKMS).
	_, err = c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: b})
	scWantErr(t, "GetBucketEncryption before any", err, "ServerSideEncryptionConfigurationNotFoundError", 404)
	rule := func(alg types.ServerSideEncryption) *types.ServerSideEncryptionConfiguration {
		return &types.ServerSideEncryptionConfiguration{Rules: []types.ServerSideEncryptionRule{
			{ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: alg}}}}
	}
	_, err = c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: b, ServerSideEncryptionConfiguration: rule(types.ServerSideEncryptionAwsKmsDsse)})
	scWantErr(t, "PutBucketEncryption with aws:kms:dsse", err, "NotImplemented", 501)
	if _, err := c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: b, ServerSideEncryptionConfiguration: rule(types.ServerSideEncryptionAes256)}); err != nil {
		t.Fatalf("PutBucketEncryption AES256: %v", err)
	}
	enc, err := c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: b})
	if err != nil || len(enc.ServerSideEncryptionConfiguration.Rules) != 1 ||
		enc.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm != types.ServerSideEncryptionAes256 {
		t.Fatalf("GetBucketEncryption after setting AES256: %+v, %v", enc, err)
	}
	if _, err := c.DeleteBucketEncryption(ctx, &s3.DeleteBucketEncryptionInput{Bucket: b}); err != nil {
		t.Fatalf("DeleteBucketEncryption: %v", err)
	}
	_, err = c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: b})
	scWantErr(t, "GetBucketEncryption after delete", err, "ServerSideEncryptionConfigurationNotFoundError", 404)
}

// scConditionalDelete: DeleteObject with If-Match deletes only the version
// it names by ETag.
func scConditionalDelete(t *testing.T, c *s3.Client) {
	ctx := context.Background()
	b, k := aws.String("obj"), aws.String("cond/delete")
	put := scPut(t, c, "obj", *k, []byte("conditional"))
	_, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k, IfMatch: aws.String(`"bogus"`)})
	scWantErr(t, "DELETE with a wrong If-Match", err, "PreconditionFailed", 412)
	if !scExists(t, c, "obj", *k) {
		t.Fatal("a DELETE whose If-Match failed removed the object")
	}
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k, IfMatch: put.ETag}); err != nil {
		t.Fatalf("DELETE with the object's ETag: %v", err)
	}
	if scExists(t, c, "obj", *k) {
		t.Fatal("a DELETE whose If-Match held left the object")
	}
	_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k, IfMatch: put.ETag})
	scWantErr(t, "DELETE with If-Match of a missing key", err, "NoSuchKey", 404)
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k}); err != nil {
		t.Fatalf("unconditional DELETE of a missing key: %v, want success", err)
	}
}

// scPutLimits: storage classes S3 does not know and oversized user
// metadata are refused.
func scPutLimits(t *testing.T, c *s3.Client) {
	ctx := context.Background()
	put := func(key string, fn func(*s3.PutObjectInput)) error {
		in := &s3.PutObjectInput{Bucket: aws.String("obj"), Key: aws.String(key), Body: bytes.NewReader([]byte("z"))}
		fn(in)
		_, err := c.PutObject(ctx, in)
		return err
	}
	err := put("limits/class", func(in *s3.PutObjectInput) { in.StorageClass = "BOGUS" })
	scWantErr(t, "PUT with storage class BOGUS", err, "InvalidStorageClass", 400)
	if err := put("limits/class", func(in *s3.PutObjectInput) { in.StorageClass = types.StorageClassStandardIa }); err != nil {
		t.Fatalf("PUT with storage class STANDARD_IA: %v", err)
	}
	err = put("limits/meta", func(in *s3.PutObjectInput) { in.Metadata = map[string]string{"a": strings.Repeat("v", 2048)} })
	scWantErr(t, "PUT with 2049 bytes of user metadata", err, "MetadataTooLarge", 400)
	if err := put("limits/meta", func(in *s3.PutObjectInput) { in.Metadata = map[string]string{"a": strings.Repeat("v", 2047)} }); err != nil {
		t.Fatalf("PUT with 2048 bytes of user metadata: %v", err)
	}
}

// scCreateBucketBody: CreateBucket reads its configuration: the location
// it names is answered by GetBucketLocation, a malformed body refused.
func scCreateBucketBody(t *testing.T, c *s3.Client) {
	ctx := context.Background()
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("located"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: "eu-west-1"}})
	if err != nil {
		t.Fatalf("CreateBucket with a LocationConstraint: %v", err)
	}
	loc, err := c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("located")})
	if err != nil || loc.LocationConstraint != "eu-west-1" {
		t.Fatalf("GetBucketLocation: %q, %v; want eu-west-1", loc.LocationConstraint, err)
	}
	for _, name := range []string{"xn--abc", "abc-s3alias", "sthree-abc"} {
		_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)})
		scWantErr(t, "CreateBucket "+name, err, "InvalidBucketName", 400)
	}
}

// scDeleteMarkerHeaders: a read of a delete marker reports its
// Last-Modified with x-amz-delete-marker.
func scDeleteMarkerHeaders(t *testing.T, c *s3.Client) {
	ctx := context.Background()
	mustCreateBucket(t, c, "markers")
	if _, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("markers"),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
	scPut(t, c, "markers", "k", []byte("v"))
	del, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("markers"), Key: aws.String("k")})
	if err != nil || !aws.ToBool(del.DeleteMarker) {
		t.Fatalf("DELETE in a versioned bucket: %+v, %v", del, err)
	}
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("markers"), Key: aws.String("k"), VersionId: del.VersionId})
	scWantErr(t, "GET of a delete marker version", err, "MethodNotAllowed", 405)
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.Response.Header.Get("x-amz-delete-marker") != "true" || re.Response.Header.Get("Last-Modified") == "" {
		t.Fatalf("GET of a delete marker version: headers %v, want x-amz-delete-marker and Last-Modified", re.Response.Header)
	}
}

// scEarlyErrorExpectContinue: an upload refused before its body is read
// (here an anonymous PUT into a private bucket) is answered at once when
// the client waits for 100 Continue, not after it has sent a body nobody
// reads.
func scEarlyErrorExpectContinue(t *testing.T, d *devnet) {
	u, err := url.Parse(d.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "PUT /obj/expect/denied HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", u.Host, 8<<20)
	// Not a timing check: without an answer the read would block for ever
	// (the client sends no body until it gets one).
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no response to a refused Expect: 100-continue upload before its body: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("refused Expect: 100-continue upload: status %d, want 403 before any body", resp.StatusCode)
	}
}

// scEmptyContentMD5: a Content-MD5 header sent empty is an invalid digest,
// not a missing one.
func scEmptyContentMD5(t *testing.T, d *devnet) {
	body := []byte("bar")
	req, err := http.NewRequest(http.MethodPut, d.Endpoint+"/obj/md5/empty", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-MD5", "")
	sum := sha256.Sum256(body)
	req.Header.Set("X-Amz-Content-Sha256", hex.EncodeToString(sum[:]))
	if err := scSigner(req, d.AccessKey, d.SecretKey, hex.EncodeToString(sum[:])); err != nil {
		t.Fatal(err)
	}
	req.Header["Content-Md5"] = []string{""} // the signer drops empty headers; send it anyway
	status, _, b := scHTTPDo(t, nil, req)
	if status != http.StatusBadRequest || scErrorCode(b) != "InvalidDigest" {
		t.Fatalf("PUT with an empty Content-MD5: %d %s, want 400 InvalidDigest", status, b)
	}
}

// testSCUploadOwners: a multipart upload reports who started it
// (Initiator) and who will own its object (Owner): the starter, or the
// bucket owner once the bucket enforces ownership.
func testSCUploadOwners(t *testing.T, tr *scTransport, alt *s3.Client) {
	ctx := context.Background()
	c := tr.c
	me, other := scCanonicalID(tr.d.AccessKey), scCanonicalID(scAltKey)
	for _, enforced := range []bool{false, true} {
		bucket := "upowners"
		if enforced {
			bucket = "upenforced"
		}
		mustCreateBucket(t, c, bucket)
		if enforced {
			if _, err := c.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: aws.String(bucket),
				OwnershipControls: &types.OwnershipControls{Rules: []types.OwnershipControlsRule{{ObjectOwnership: types.ObjectOwnershipBucketOwnerEnforced}}}}); err != nil {
				t.Fatal(err)
			}
		}
		policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",` +
			`"Action":["s3:PutObject","s3:ListMultipartUploadParts","s3:AbortMultipartUpload"],"Resource":"arn:aws:s3:::` + bucket + `/*"}]}`
		if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(bucket), Policy: aws.String(policy)}); err != nil {
			t.Fatal(err)
		}
		cr, err := alt.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("k")})
		if err != nil {
			t.Fatalf("%s: alt starts an upload: %v", bucket, err)
		}
		wantOwner := other
		if enforced {
			wantOwner = me
		}
		ups, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
		if err != nil || len(ups.Uploads) != 1 {
			t.Fatalf("%s: ListMultipartUploads: %v, %d uploads", bucket, err, len(ups.Uploads))
		}
		u := ups.Uploads[0]
		if aws.ToString(u.Initiator.ID) != other || aws.ToString(u.Owner.ID) != wantOwner {
			t.Fatalf("%s: ListMultipartUploads by the bucket owner: initiator %s owner %s, want %s and %s", bucket,
				aws.ToString(u.Initiator.ID), aws.ToString(u.Owner.ID), other, wantOwner)
		}
		lp, err := alt.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(bucket), Key: aws.String("k"), UploadId: cr.UploadId})
		if err != nil || aws.ToString(lp.Initiator.ID) != other || aws.ToString(lp.Owner.ID) != wantOwner {
			t.Fatalf("%s: ListParts by the starter: %v, initiator %s owner %s, want %s and %s", bucket, err,
				aws.ToString(lp.Initiator.ID), aws.ToString(lp.Owner.ID), other, wantOwner)
		}
		if _, err := alt.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("k"), UploadId: cr.UploadId}); err != nil {
			t.Fatal(err)
		}
	}
}

// scACLGrantOrder: GetBucketAcl lists group grants first, as canned ACLs
// do, whatever order PutBucketAcl gave.
func scACLGrantOrder(t *testing.T, c *s3.Client) {
	ctx := context.Background()
	mustCreateBucket(t, c, "grantorder")
	cur, err := c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String("grantorder")})
	if err != nil || len(cur.Grants) != 1 {
		t.Fatalf("GetBucketAcl: %v, %d grants", err, len(cur.Grants))
	}
	all := "http://acs.amazonaws.com/groups/global/AllUsers"
	grants := append(cur.Grants, types.Grant{Grantee: &types.Grantee{Type: types.TypeGroup, URI: aws.String(all)}, Permission: types.PermissionRead})
	if _, err := c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("grantorder"),
		AccessControlPolicy: &types.AccessControlPolicy{Owner: cur.Owner, Grants: grants}}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String("grantorder")})
	if err != nil || len(got.Grants) != 2 || aws.ToString(got.Grants[0].Grantee.URI) != all ||
		got.Grants[1].Grantee.Type != types.TypeCanonicalUser {
		t.Fatalf("GetBucketAcl after adding a group grant: %v %+v, want the group grant first", err, got.Grants)
	}
}

// scIfRange: a Range GET whose If-Range names another version of the
// object (a stale download being resumed) gets the whole object.
func scIfRange(t *testing.T, c *s3.Client) {
	data := []byte("0123456789")
	put := scPut(t, c, "obj", "ifrange", data)
	get := func(ifRange string) ([]byte, *s3.GetObjectOutput) {
		return scGet(t, c, &s3.GetObjectInput{Bucket: aws.String("obj"), Key: aws.String("ifrange"), Range: aws.String("bytes=2-4")},
			func(o *s3.Options) {
				o.APIOptions = append(o.APIOptions, smithyhttp.AddHeaderValue("If-Range", ifRange))
			})
	}
	if b, out := get(aws.ToString(put.ETag)); string(b) != "234" || aws.ToString(out.ContentRange) != "bytes 2-4/10" {
		t.Fatalf("Range with a matching If-Range: %q %q, want the range", b, aws.ToString(out.ContentRange))
	}
	if b, out := get(`"0123456789abcdef0123456789abcdef"`); string(b) != string(data) || out.ContentRange != nil {
		t.Fatalf("Range with a stale If-Range: %q (Content-Range %q), want the whole object", b, aws.ToString(out.ContentRange))
	}
}

// scRefusedLargeBody: an SDK that sends a large body without waiting for
// 100 Continue gets the refusal, not a reset connection (each try here
// failed about one time in three before refused bodies were drained).
func scRefusedLargeBody(t *testing.T, c *s3.Client) {
	ctx := context.Background()
	body := make([]byte, 5<<20)
	for i := range 10 {
		_, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("obj"), Key: aws.String("refused"), UploadId: aws.String("no-such-upload"),
			PartNumber: aws.Int32(1), Body: bytes.NewReader(body)}, func(o *s3.Options) { o.RetryMaxAttempts = 1 })
		scWantErr(t, fmt.Sprintf("UploadPart of 5 MiB to a missing upload, try %d", i), err, "NoSuchUpload", 404)
		_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("no-such-bucket-refused"), Key: aws.String("k"), Body: bytes.NewReader(body)},
			func(o *s3.Options) { o.RetryMaxAttempts = 1 })
		scWantErr(t, fmt.Sprintf("PUT of 5 MiB into a missing bucket, try %d", i), err, "NoSuchBucket", 404)
	}
}
