package user

// S3-level test harness: the real gateway (gateway.Server, SigV4) over a
// real Layer and Pebble store, driven by aws-sdk-go-v2 over HTTP; only the
// Provider network is the in-memory memNet.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/gateway"
	"github.com/mefs-project/mefs/gateway/sigv4"
)

const (
	s3Access = "AKVERSIONTEST"
	s3Secret = "versiontestsecret"
)

// s3env is a gateway over a memNet Layer and a client for it.
type s3env struct {
	t     *testing.T
	c     *s3.Client
	layer *Layer
	net   *memNet
	meta  *meta.Store
	url   string
}

func newS3Env(t *testing.T) *s3env {
	t.Helper()
	l, net, _, ms := newMemLayer(t, testK+testM)
	v := &sigv4.Verifier{Secret: func(ak string) (string, bool) { return s3Secret, ak == s3Access }}
	srv := httptest.NewServer(gateway.NewServer(l, v, discard))
	t.Cleanup(srv.Close)
	c := s3.New(s3.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(s3Access, s3Secret, "")})
	return &s3env{t: t, c: c, layer: l, net: net, meta: ms, url: srv.URL}
}

var bg = context.Background()

// bucket creates a bucket, versioned with status ("" leaves it unversioned).
func (e *s3env) bucket(name, status string) {
	e.t.Helper()
	if _, err := e.c.CreateBucket(bg, &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		e.t.Fatalf("create bucket %s: %v", name, err)
	}
	if status != "" {
		e.versioning(name, status)
	}
}

func (e *s3env) versioning(bucket, status string) {
	e.t.Helper()
	_, err := e.c.PutBucketVersioning(bg, &s3.PutBucketVersioningInput{Bucket: aws.String(bucket),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatus(status)}})
	if err != nil {
		e.t.Fatalf("set versioning of %s to %s: %v", bucket, status, err)
	}
}

// put stores body and returns the version id the gateway answered ("" none).
func (e *s3env) put(bucket, key, body string) string {
	e.t.Helper()
	out, err := e.c.PutObject(bg, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader([]byte(body))})
	if err != nil {
		e.t.Fatalf("put %s/%s: %v", bucket, key, err)
	}
	return aws.ToString(out.VersionId)
}

// get reads a version ("" the latest) whole.
func (e *s3env) get(bucket, key, vid string) (string, *s3.GetObjectOutput, error) {
	in := &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}
	if vid != "" {
		in.VersionId = aws.String(vid)
	}
	out, err := e.c.GetObject(bg, in)
	if err != nil {
		return "", nil, err
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	return string(b), out, err
}

// wantBody fails unless version vid of bucket/key reads as want.
func (e *s3env) wantBody(bucket, key, vid, want string) {
	e.t.Helper()
	got, out, err := e.get(bucket, key, vid)
	if err != nil {
		e.t.Fatalf("get %s/%s version %q: %v", bucket, key, vid, err)
	}
	if got != want {
		e.t.Fatalf("get %s/%s version %q: %q, want %q", bucket, key, vid, got, want)
	}
	if vid != "" && aws.ToString(out.VersionId) != vid {
		e.t.Fatalf("get %s/%s version %q answered version %q", bucket, key, vid, aws.ToString(out.VersionId))
	}
}

// chunks counts the chunks held by every Provider.
func (e *s3env) chunks() int {
	e.net.mu.Lock()
	defer e.net.mu.Unlock()
	n := 0
	for _, cs := range e.net.chunks {
		n += len(cs)
	}
	return n
}

// collect runs one garbage collection round.
func (e *s3env) collect() { e.layer.collect(bg) }

// errCode and errStatus describe a failed SDK call.
func errCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func errResponse(err error) *http.Response {
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.Response != nil {
		return re.Response.Response
	}
	return nil
}

// wantErr fails unless err is an S3 error with code (HEAD: "" checks the
// status only) and HTTP status; it returns the response.
func wantErr(t *testing.T, what string, err error, code string, status int) *http.Response {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: succeeded, want %s (%d)", what, code, status)
	}
	resp := errResponse(err)
	if resp == nil || resp.StatusCode != status || code != "" && errCode(err) != code {
		t.Fatalf("%s: %v, want %s (%d)", what, err, code, status)
	}
	return resp
}

// signedDo sends a bodiless request signed with the test credentials and
// returns its status and S3 error code ("" if none).
func (e *s3env) signedDo(req *http.Request) (int, string) {
	e.t.Helper()
	status, body := e.signedBody(req)
	var x struct{ Code string }
	if len(body) > 0 {
		xml.Unmarshal(body, &x)
	}
	return status, x.Code
}

// signedBody sends a bodiless signed request and returns status and body.
func (e *s3env) signedBody(req *http.Request) (int, []byte) { return e.signedSend(req, nil) }

// signedSend sends req, whose body is body, signed with the test
// credentials over the body's SHA-256, and returns status and body.
func (e *s3env) signedSend(req *http.Request, body []byte) (int, []byte) {
	e.t.Helper()
	sum := sha256.Sum256(body)
	payload := hex.EncodeToString(sum[:])
	req.Header.Set("X-Amz-Content-Sha256", payload)
	creds := aws.Credentials{AccessKeyID: s3Access, SecretAccessKey: s3Secret}
	if err := v4.NewSigner().SignHTTP(bg, creds, req, payload, "s3", "us-east-1", time.Now()); err != nil {
		e.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, out
}
