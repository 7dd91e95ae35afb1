package sigv4

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7/pkg/signer"
)

// v2Request is a request as a client would send it, for the V2 cases.
func v2Request(t *testing.T, method, target string, h http.Header) *http.Request {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	r := &http.Request{Method: method, URL: u, Host: u.Host, Header: http.Header{}}
	for k, vs := range h {
		r.Header[k] = vs
	}
	return r
}

// Requests signed by minio-go's V2 signer (an independent implementation)
// verify; altered ones do not.
func TestVerifyV2(t *testing.T) {
	now := time.Now()
	v := testVerifier(now)
	cases := []struct {
		name, method, target, hostBucket string
		h                                http.Header
		virtual                          bool
	}{
		{"GET object", "GET", "http://127.0.0.1:9000/bkt/dir/a%20b+c", "", nil, false},
		{"PUT with amz headers and MD5", "PUT", "http://127.0.0.1:9000/bkt/k", "",
			http.Header{"X-Amz-Meta-A": {"1"}, "X-Amz-Meta-B": {"2", "3"}, "Content-Md5": {"1B2M2Y8AsgTpgAMf6XjOAA=="}, "Content-Type": {"text/plain"}}, false},
		{"subresources", "GET", "http://127.0.0.1:9000/bkt/k?uploadId=abc&partNumber=2&max-parts=5", "", nil, false},
		{"bucket ACL", "PUT", "http://127.0.0.1:9000/bkt?acl", "", nil, false},
		{"virtual-hosted", "GET", "http://bkt.s3.example.com/k?versionId=v1", "bkt", nil, true},
		{"unicode key", "GET", "http://127.0.0.1:9000/bkt/%E4%B8%96%E7%95%8C", "", nil, false},
	}
	for _, c := range cases {
		r := v2Request(t, c.method, c.target, c.h)
		signed := signer.SignV2(*r, testAK, testSK, c.virtual)
		auth, err := v.VerifyHost(signed, c.hostBucket)
		if err != nil {
			t.Fatalf("%s: signed by minio-go: %v", c.name, err)
		}
		if auth.AccessKey != testAK || auth.PayloadHash != unsignedPayload {
			t.Fatalf("%s: auth %+v", c.name, auth)
		}
		tampered := signed.Clone(signed.Context())
		tampered.Header.Set("X-Amz-Meta-A", "changed")
		if _, err := v.VerifyHost(tampered, c.hostBucket); !errors.Is(err, ErrSignatureDoesNotMatch) {
			t.Fatalf("%s: with a header changed after signing: %v, want SignatureDoesNotMatch", c.name, err)
		}
		other := signer.SignV2(*v2Request(t, c.method, c.target, c.h), testAK, "not the secret", c.virtual)
		if _, err := v.VerifyHost(other, c.hostBucket); !errors.Is(err, ErrSignatureDoesNotMatch) {
			t.Fatalf("%s: signed with another secret: %v, want SignatureDoesNotMatch", c.name, err)
		}

		pre := signer.PreSignV2(*v2Request(t, c.method, c.target, nil), testAK, testSK, 60, c.virtual)
		// The client sends the URL, not the headers the signer set.
		sent := v2Request(t, c.method, pre.URL.String(), nil)
		auth, err = v.VerifyHost(sent, c.hostBucket)
		if err != nil || !auth.Presigned {
			t.Fatalf("%s: presigned by minio-go: %+v, %v", c.name, auth, err)
		}
	}
}

func TestVerifyV2Refusals(t *testing.T) {
	now := time.Now()
	v := testVerifier(now)
	r := v2Request(t, "GET", "http://127.0.0.1:9000/bkt/k", http.Header{"Date": {now.Add(-time.Hour).UTC().Format(http.TimeFormat)}})
	if _, err := v.Verify(signer.SignV2(*r, testAK, testSK, false)); !errors.Is(err, ErrRequestTimeTooSkewed) {
		t.Fatalf("an hour old: %v, want RequestTimeTooSkewed", err)
	}
	r = v2Request(t, "GET", "http://127.0.0.1:9000/bkt/k", nil)
	if _, err := v.Verify(signer.SignV2(*r, "NOSUCHKEY", testSK, false)); !errors.Is(err, ErrInvalidAccessKeyId) {
		t.Fatalf("unknown access key: %v, want InvalidAccessKeyId", err)
	}
	past := testVerifier(now.Add(2 * time.Minute))
	pre := signer.PreSignV2(*v2Request(t, "GET", "http://127.0.0.1:9000/bkt/k", nil), testAK, testSK, 60, false)
	if _, err := past.Verify(v2Request(t, "GET", pre.URL.String(), nil)); !errors.Is(err, ErrAccessDenied) || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("presigned URL after its Expires: %v, want AccessDenied (expired)", err)
	}
	for _, h := range []string{"AWS " + testAK, "AWS :c2ln", "AWS " + testAK + ":"} {
		r := v2Request(t, "GET", "http://127.0.0.1:9000/bkt/k", http.Header{"Authorization": {h}, "Date": {now.UTC().Format(http.TimeFormat)}})
		if _, err := v.Verify(r); !errors.Is(err, ErrInvalidArgument) {
			t.Fatalf("Authorization %q: %v, want InvalidArgument", h, err)
		}
	}
	r = v2Request(t, "GET", "http://127.0.0.1:9000/bkt/k?AWSAccessKeyId="+testAK+"&Signature=abc", nil)
	if _, err := v.Verify(r); !errors.Is(err, ErrAccessDenied) {
		t.Fatalf("presigned without Expires: %v, want AccessDenied", err)
	}
}

// signV2As signs r as a client that builds resource itself would.
func signV2As(r *http.Request, resource string) {
	m := hmac.New(sha1.New, []byte(testSK))
	m.Write([]byte(r.Method + "\n" + r.Header.Get("Content-Md5") + "\n" + r.Header.Get("Content-Type") + "\n" +
		r.Header.Get("Date") + "\n" + v2AmzHeaders(r) + resource))
	r.Header.Set("Authorization", "AWS "+testAK+":"+base64.StdEncoding.EncodeToString(m.Sum(nil)))
}

// botocore signs a bucket's path-style requests as "/bucket/", and knows
// subresources minio-go's list does not.
func TestVerifyV2BotocoreForms(t *testing.T) {
	now := time.Now()
	v := testVerifier(now)
	date := now.UTC().Format(http.TimeFormat)
	r := v2Request(t, "PUT", "http://127.0.0.1:9000/bkt", http.Header{"Date": {date}})
	signV2As(r, "/bkt/")
	if _, err := v.Verify(r); err != nil {
		t.Fatalf("bucket request signed as /bkt/: %v", err)
	}
	r = v2Request(t, "GET", "http://127.0.0.1:9000/bkt?accelerate", http.Header{"Date": {date}})
	signV2As(r, "/bkt/?accelerate")
	if _, err := v.Verify(r); err != nil {
		t.Fatalf("?accelerate signed as botocore does: %v", err)
	}
	r = v2Request(t, "GET", "http://127.0.0.1:9000/bkt/k/", http.Header{"Date": {date}})
	signV2As(r, "/bkt/k//")
	if _, err := v.Verify(r); !errors.Is(err, ErrSignatureDoesNotMatch) {
		t.Fatalf("object path with a slash added: %v, want SignatureDoesNotMatch", err)
	}
	r = v2Request(t, "PUT", "http://127.0.0.1:9000/bkt/k", http.Header{"Date": {date}, "X-Amz-Date": {""}})
	signV2As(r, "/bkt/k")
	if _, err := v.Verify(r); !errors.Is(err, ErrAccessDenied) {
		t.Fatalf("empty x-amz-date: %v, want AccessDenied", err)
	}
}

// Dates far off either way are refused; one in year 9999 once overflowed
// the skew check (a Duration) and passed.
func TestVerifyV2Dates(t *testing.T) {
	v := testVerifier(time.Now())
	for _, c := range []struct {
		date string
		want error
	}{
		{"Tue, 07 Jul 9999 21:53:04 GMT", ErrRequestTimeTooSkewed},
		{"Tue, 07 Jul 2010 21:53:04 GMT", ErrRequestTimeTooSkewed},
		{"Tue, 07 Jul 1950 21:53:04 GMT", ErrAccessDenied},
	} {
		r := v2Request(t, "PUT", "http://127.0.0.1:9000/bkt/k", http.Header{"Date": {time.Now().UTC().Format(http.TimeFormat)}, "X-Amz-Date": {c.date}})
		signV2As(r, "/bkt/k")
		if _, err := v.Verify(r); !errors.Is(err, c.want) {
			t.Fatalf("x-amz-date %s: %v, want %v", c.date, err, c.want)
		}
	}
}

// A SigV4 request dated in year 9999 is skewed too (it was accepted, and
// could have been replayed for ever).
func TestVerifyFarFutureSkewed(t *testing.T) {
	v := testVerifier(testNow)
	req, err := http.NewRequest("GET", "http://127.0.0.1:9000/bkt/k", nil)
	if err != nil {
		t.Fatal(err)
	}
	signHeader(t, req, emptySHA256, time.Date(9999, 7, 7, 0, 0, 0, 0, time.UTC))
	if _, err := v.Verify(req); !errors.Is(err, ErrRequestTimeTooSkewed) {
		t.Fatalf("signed in year 9999: %v, want RequestTimeTooSkewed", err)
	}
}
