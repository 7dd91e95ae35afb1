package sigv4

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	testAK     = "AKIDEXAMPLE"
	testSK     = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	testRegion = "eu-test-1"
)

var testNow = time.Date(2024, 5, 24, 12, 30, 0, 0, time.UTC)

func testCreds() aws.Credentials {
	return aws.Credentials{AccessKeyID: testAK, SecretAccessKey: testSK}
}

func testVerifier(now time.Time) *Verifier {
	return &Verifier{
		Secret: func(ak string) (string, bool) {
			if ak == testAK {
				return testSK, true
			}
			return "", false
		},
		Now: func() time.Time { return now },
	}
}

// sdkSigner is the aws-sdk-go-v2 signer configured as the S3 client uses it.
func sdkSigner() *v4.Signer {
	return v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
}

func newClientRequest(t testing.TB, method, rawURL string, body []byte) *http.Request {
	t.Helper()
	var req *http.Request
	var err error
	if body == nil {
		req, err = http.NewRequest(method, rawURL, nil)
	} else {
		req, err = http.NewRequest(method, rawURL, bytes.NewReader(body))
	}
	if err != nil {
		t.Fatalf("new request %s %s: %v", method, rawURL, err)
	}
	return req
}

// signHeader signs req with the SDK's SignHTTP, payload hash in the header.
func signHeader(t testing.TB, req *http.Request, payloadHash string, at time.Time) {
	t.Helper()
	req.Header.Set("X-Amz-Content-Sha256", payloadHash)
	if err := sdkSigner().SignHTTP(context.Background(), testCreds(), req, payloadHash, "s3", testRegion, at); err != nil {
		t.Fatalf("SignHTTP: %v", err)
	}
}

// serverSide sends req over an in-memory wire and parses it back the way
// net/http's server does (Host moved to r.Host, RequestURI set, ...).
func serverSide(t testing.TB, req *http.Request) *http.Request {
	t.Helper()
	var buf bytes.Buffer
	if err := req.Write(&buf); err != nil {
		t.Fatalf("write request: %v", err)
	}
	sr, err := http.ReadRequest(bufio.NewReader(&buf))
	if err != nil {
		t.Fatalf("read request back: %v", err)
	}
	return sr
}

var sigRE = regexp.MustCompile(`Signature=([0-9a-f]{64})`)

// seedOf extracts the request signature from a signed request.
func seedOf(t testing.TB, req *http.Request) string {
	t.Helper()
	m := sigRE.FindStringSubmatch(req.Header.Get("Authorization"))
	if m == nil {
		t.Fatalf("no signature in %q", req.Header.Get("Authorization"))
	}
	return m[1]
}

// testKey derives the SigV4 signing key independently of the package.
func testKey(secret string, at time.Time, region string) []byte {
	mac := func(k []byte, s string) []byte {
		h := hmac.New(sha256.New, k)
		h.Write([]byte(s))
		return h.Sum(nil)
	}
	k := mac([]byte("AWS4"+secret), at.UTC().Format("20060102"))
	k = mac(k, region)
	k = mac(k, "s3")
	return mac(k, "aws4_request")
}

func testHMACHex(key []byte, s string) string {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(s))
	return hex.EncodeToString(h.Sum(nil))
}

func testSHA256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// wantErr asserts errors.Is(err, want) and that err is an *Error.
func wantErr(t testing.TB, err error, want *Error) {
	t.Helper()
	if err == nil {
		t.Fatalf("got nil error, want %s", want.Code)
	}
	if !errors.Is(err, want) {
		t.Fatalf("got error %v, want %s (%s)", err, want.Code, want.Message)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not an *Error", err)
	}
	if e.Status != want.Status {
		t.Fatalf("status %d, want %d", e.Status, want.Status)
	}
}
