package sigv4

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

var (
	testPaths = []string{
		"/",
		"/bucket",
		"/bucket/key.txt",
		"/bucket/dir/sub/",
		"/bucket/a%20key%20with%20spaces",
		"/bucket/%E2%9C%93-unicode-%C3%A9%E6%97%A5%E6%9C%AC",
		"/bucket/a+b=c",
		"/bucket/a%2Bb%3Dc",
		"/bucket/100%25%20done",
		"/bucket/%41%62c",
		"/bucket/~tilde_under-dot.",
		"/bucket/semi;colon,comma:colon@at!bang$dollar&amp'quote(paren)*star",
		"/bucket//double//slash",
		"/bucket/dir/../dot/./seg",
		"/bucket/lower%2fslash%2Fencoded",
	}
	testQueries = []string{
		"",
		"acl",
		"uploads",
		"a=1&b=2",
		"b=2&a=1",
		"empty=&flag&x=1",
		"k=2&k=1&k=3",
		"k=b&k=a&j=",
		"prefix=a%20b&delimiter=%2F",
		"list-type=2&continuation-token=abc%2Bdef%3D%3D&start-after=%E2%9C%93",
		"q=a+b",
		"tilde=~x&star=*&pct=%25",
		"partNumber=1&uploadId=abc_DEF-123.x",
	}
)

func TestVerifyHeaderAuthSDK(t *testing.T) {
	v := testVerifier(testNow)
	body := []byte("hello, world")
	hash := testSHA256Hex(body)
	for _, p := range testPaths {
		for _, q := range testQueries {
			for _, method := range []string{http.MethodGet, http.MethodPut} {
				u := "http://bucket-host.example.com" + p
				if q != "" {
					u += "?" + q
				}
				t.Run(method+" "+p+"?"+q, func(t *testing.T) {
					var b []byte
					ph := emptySHA256
					if method == http.MethodPut {
						b, ph = body, hash
					}
					req := newClientRequest(t, method, u, b)
					req.Header.Set("X-Amz-Meta-Note", "  spaced   out  value ")
					req.Header.Add("X-Amz-Meta-Multi", "one")
					req.Header.Add("X-Amz-Meta-Multi", "two")
					signHeader(t, req, ph, testNow.Add(-time.Minute))
					sr := serverSide(t, req)
					a, err := v.Verify(sr)
					if err != nil {
						t.Fatalf("Verify: %v\nrequest URI %q", err, sr.RequestURI)
					}
					if a.AccessKey != testAK || a.Region != testRegion || a.PayloadHash != ph || a.Presigned {
						t.Fatalf("unexpected auth %+v", a)
					}
					if method == http.MethodPut {
						pl, err := a.Body(sr)
						if err != nil {
							t.Fatalf("Body: %v", err)
						}
						got, err := io.ReadAll(pl)
						if err != nil || string(got) != string(body) {
							t.Fatalf("body %q, %v", got, err)
						}
					}
				})
			}
		}
	}
}

func TestVerifyPresignedSDK(t *testing.T) {
	v := testVerifier(testNow)
	for _, p := range testPaths {
		for _, q := range testQueries {
			t.Run(p+"?"+q, func(t *testing.T) {
				req := presign(t, http.MethodGet, p, q, 900, testNow.Add(-5*time.Minute), nil)
				a, err := v.Verify(serverSide(t, req))
				if err != nil {
					t.Fatalf("Verify: %v (url %s)", err, req.URL)
				}
				if !a.Presigned || a.PayloadHash != unsignedPayload || a.AccessKey != testAK || a.Region != testRegion {
					t.Fatalf("unexpected auth %+v", a)
				}
			})
		}
	}
}

// presign builds a presigned request with the SDK and returns the request a
// client would then send.
func presign(t testing.TB, method, path, query string, expires int, at time.Time, hdr http.Header) *http.Request {
	t.Helper()
	u := "https://bucket-host.example.com" + path + "?"
	if query != "" {
		u += query + "&"
	}
	u += "X-Amz-Expires=" + strconv.Itoa(expires)
	req := newClientRequest(t, method, u, nil)
	for k, vs := range hdr {
		req.Header[k] = vs
	}
	signed, signedHdr, err := sdkSigner().PresignHTTP(context.Background(), testCreds(), req, unsignedPayload, "s3", testRegion, at)
	if err != nil {
		t.Fatalf("PresignHTTP: %v", err)
	}
	out := newClientRequest(t, method, signed, nil)
	for k, vs := range signedHdr {
		if strings.EqualFold(k, "host") {
			continue
		}
		out.Header[k] = vs
	}
	return out
}

func TestVerifyPresignedWithSignedHeader(t *testing.T) {
	v := testVerifier(testNow)
	hdr := http.Header{"X-Amz-Server-Side-Encryption": {"AES256"}, "Content-Type": {"text/plain"}}
	req := presign(t, http.MethodPut, "/bucket/obj", "", 3600, testNow, hdr)
	if _, err := v.Verify(serverSide(t, req)); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	req.Header.Set("Content-Type", "text/html")
	_, err := v.Verify(serverSide(t, req))
	wantErr(t, err, ErrSignatureDoesNotMatch)
}

func TestVerifyPresignedNegative(t *testing.T) {
	v := testVerifier(testNow)
	mk := func() *http.Request {
		return presign(t, http.MethodGet, "/bucket/a%20b", "x=1", 600, testNow.Add(-time.Minute), nil)
	}
	editQuery := func(r *http.Request, f func(string) string) { r.URL.RawQuery = f(r.URL.RawQuery) }
	cases := []struct {
		name string
		edit func(*http.Request)
		v    *Verifier
		want *Error
	}{
		{"expired", nil, testVerifier(testNow.Add(11 * time.Minute)), ErrAccessDenied},
		{"not yet valid", nil, testVerifier(testNow.Add(-20 * time.Minute)), ErrRequestTimeTooSkewed},
		{"wrong secret", nil, &Verifier{Secret: func(string) (string, bool) { return "other", true }, Now: v.Now}, ErrSignatureDoesNotMatch},
		{"unknown key", nil, &Verifier{Secret: func(string) (string, bool) { return "", false }, Now: v.Now}, ErrInvalidAccessKeyId},
		{"nil secret func", nil, &Verifier{Now: v.Now}, ErrInvalidAccessKeyId},
		{"tampered path", func(r *http.Request) { r.URL.Path, r.URL.RawPath = "/bucket/a b2", "" }, v, ErrSignatureDoesNotMatch},
		{"tampered method", func(r *http.Request) { r.Method = http.MethodDelete }, v, ErrSignatureDoesNotMatch},
		{"tampered query value", func(r *http.Request) {
			editQuery(r, func(s string) string { return strings.Replace(s, "x=1", "x=2", 1) })
		}, v, ErrSignatureDoesNotMatch},
		{"added query param", func(r *http.Request) { editQuery(r, func(s string) string { return s + "&extra=1" }) }, v, ErrSignatureDoesNotMatch},
		{"longer expiry", func(r *http.Request) {
			editQuery(r, func(s string) string { return strings.Replace(s, "X-Amz-Expires=600", "X-Amz-Expires=6000", 1) })
		}, v, ErrSignatureDoesNotMatch},
		{"tampered signature", func(r *http.Request) {
			editQuery(r, func(s string) string {
				i := strings.Index(s, "X-Amz-Signature=") + len("X-Amz-Signature=")
				c := byte('0')
				if s[i] == '0' {
					c = '1'
				}
				return s[:i] + string(c) + s[i+1:]
			})
		}, v, ErrSignatureDoesNotMatch},
		{"tampered host", func(r *http.Request) { r.Host = "evil.example.com" }, v, ErrSignatureDoesNotMatch},
		{"unsigned amz header", func(r *http.Request) { r.Header.Set("X-Amz-Copy-Source", "/other/obj") }, v, ErrAccessDenied},
		{"expires zero", func(r *http.Request) {
			editQuery(r, func(s string) string { return strings.Replace(s, "X-Amz-Expires=600", "X-Amz-Expires=0", 1) })
		}, v, ErrAccessDenied},
		{"expires too long", func(r *http.Request) {
			editQuery(r, func(s string) string { return strings.Replace(s, "X-Amz-Expires=600", "X-Amz-Expires=604801", 1) })
		}, v, ErrAccessDenied},
		{"expires garbage", func(r *http.Request) {
			editQuery(r, func(s string) string { return strings.Replace(s, "X-Amz-Expires=600", "X-Amz-Expires=ten", 1) })
		}, v, ErrAuthorizationQueryParametersError},
		{"missing signature", func(r *http.Request) {
			editQuery(r, func(s string) string { return s[:strings.Index(s, "&X-Amz-Signature=")] })
		}, v, ErrAuthorizationQueryParametersError},
		{"repeated date", func(r *http.Request) {
			editQuery(r, func(s string) string { return s + "&X-Amz-Date=20240524T120000Z" })
		}, v, ErrAuthorizationQueryParametersError},
		{"bad algorithm", func(r *http.Request) {
			editQuery(r, func(s string) string {
				return strings.Replace(s, "X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA1", 1)
			})
		}, v, ErrAuthorizationQueryParametersError},
		{"bad credential", func(r *http.Request) {
			editQuery(r, func(s string) string { return strings.Replace(s, "%2Faws4_request", "%2Faws5_request", 1) })
		}, v, ErrAuthorizationQueryParametersError},
		{"plus Authorization header", func(r *http.Request) { r.Header.Set("Authorization", "AWS4-HMAC-SHA256 x") }, v, ErrInvalidArgument},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := mk()
			if c.edit != nil {
				c.edit(req)
			}
			a, err := c.v.Verify(serverSide(t, req))
			if a != nil {
				t.Fatalf("got auth %+v with error %v", a, err)
			}
			wantErr(t, err, c.want)
			if c.name == "expired" && !strings.Contains(err.Error(), "Request has expired") {
				t.Fatalf("expired error message: %v", err)
			}
		})
	}
}

func TestVerifyHeaderNegative(t *testing.T) {
	v := testVerifier(testNow)
	body := []byte("payload")
	mk := func() *http.Request {
		req := newClientRequest(t, http.MethodPut, "http://h.example.com/bucket/a%20b?tagging=&x=1", body)
		req.Header.Set("X-Amz-Meta-A", "1")
		signHeader(t, req, testSHA256Hex(body), testNow)
		return req
	}
	cases := []struct {
		name string
		edit func(*http.Request)
		v    *Verifier
		want *Error
	}{
		{"skew past", nil, testVerifier(testNow.Add(16 * time.Minute)), ErrRequestTimeTooSkewed},
		{"skew future", nil, testVerifier(testNow.Add(-16 * time.Minute)), ErrRequestTimeTooSkewed},
		{"custom skew", nil, &Verifier{Secret: v.Secret, Now: func() time.Time { return testNow.Add(2 * time.Minute) }, MaxSkew: time.Minute}, ErrRequestTimeTooSkewed},
		{"wrong secret", nil, &Verifier{Secret: func(string) (string, bool) { return testSK + "x", true }, Now: v.Now}, ErrSignatureDoesNotMatch},
		{"unknown key", nil, &Verifier{Secret: func(string) (string, bool) { return "", false }, Now: v.Now}, ErrInvalidAccessKeyId},
		{"tampered header", func(r *http.Request) { r.Header.Set("X-Amz-Meta-A", "2") }, v, ErrSignatureDoesNotMatch},
		{"tampered path", func(r *http.Request) { r.URL.Path, r.URL.RawPath = "/bucket/a%2520b", "/bucket/a%2520b" }, v, ErrSignatureDoesNotMatch},
		{"path encoding differs", func(r *http.Request) { r.URL.Path, r.URL.RawPath = "/bucket/a b", "/bucket/a%20%62" }, v, ErrSignatureDoesNotMatch},
		{"tampered query", func(r *http.Request) { r.URL.RawQuery = "tagging=&x=2" }, v, ErrSignatureDoesNotMatch},
		{"dropped query", func(r *http.Request) { r.URL.RawQuery = "x=1" }, v, ErrSignatureDoesNotMatch},
		{"tampered method", func(r *http.Request) { r.Method = http.MethodPost }, v, ErrSignatureDoesNotMatch},
		{"tampered payload hash", func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", testSHA256Hex([]byte("x"))) }, v, ErrSignatureDoesNotMatch},
		{"unsigned payload swap", func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", unsignedPayload) }, v, ErrSignatureDoesNotMatch},
		{"unsigned amz header", func(r *http.Request) { r.Header.Set("X-Amz-Acl", "public-read") }, v, ErrAccessDenied},
		{"missing date", func(r *http.Request) { r.Header.Del("X-Amz-Date") }, v, ErrMissingSecurityHeader},
		{"garbage date", func(r *http.Request) { r.Header.Set("X-Amz-Date", "yesterday") }, v, ErrAccessDenied},
		{"missing content sha", func(r *http.Request) { r.Header.Del("X-Amz-Content-Sha256") }, v, ErrMissingSecurityHeader},
		{"bad content sha", func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", "STREAMING-NOPE") }, v, ErrInvalidArgument},
		{"two authorization headers", func(r *http.Request) { r.Header.Add("Authorization", r.Header.Get("Authorization")) }, v, ErrAuthorizationHeaderMalformed},
		{"no auth", func(r *http.Request) { r.Header.Del("Authorization") }, v, ErrAccessDenied},
		{"empty auth", func(r *http.Request) { r.Header.Set("Authorization", " ") }, v, ErrAccessDenied},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := mk()
			if c.edit != nil {
				c.edit(req)
			}
			a, err := c.v.Verify(serverSide(t, req))
			if a != nil {
				t.Fatalf("got auth %+v with error %v", a, err)
			}
			wantErr(t, err, c.want)
		})
	}
}

func TestVerifyMalformedAuthorization(t *testing.T) {
	v := testVerifier(testNow)
	date := testNow.Format(amzDateLayout)
	day := date[:8]
	good := "Credential=" + testAK + "/" + day + "/" + testRegion + "/s3/aws4_request"
	sig := strings.Repeat("ab", 32)
	cases := []string{
		"garbage",
		"AWS4-HMAC-SHA256",
		"AWS4-HMAC-SHA256 ",
		"AWS4-HMAC-SHA1 " + good + ", SignedHeaders=host, Signature=" + sig,
		"aws4-hmac-sha256 " + good + ", SignedHeaders=host, Signature=" + sig,
		"AWS4-HMAC-SHA256 " + good + ", SignedHeaders=host",
		"AWS4-HMAC-SHA256 " + good + ", Signature=" + sig,
		"AWS4-HMAC-SHA256 SignedHeaders=host, Signature=" + sig,
		"AWS4-HMAC-SHA256 " + good + ", SignedHeaders=host, Signature=" + sig[:63],
		"AWS4-HMAC-SHA256 " + good + ", SignedHeaders=host, Signature=" + sig[:62] + "zz",
		"AWS4-HMAC-SHA256 " + good + ", SignedHeaders=host, Signature=" + sig + ", Signature=" + sig,
		"AWS4-HMAC-SHA256 " + good + ", SignedHeaders=host, Signature=" + sig + ", Foo=bar",
		"AWS4-HMAC-SHA256 " + good + ", SignedHeaders=host, Signature=" + sig + ", junk",
		"AWS4-HMAC-SHA256 " + good + ", SignedHeaders=, Signature=" + sig,
		"AWS4-HMAC-SHA256 " + good + ", SignedHeaders=host;;x-amz-date, Signature=" + sig,
		"AWS4-HMAC-SHA256 " + good + ", SignedHeaders=Host, Signature=" + sig,
		"AWS4-HMAC-SHA256 " + good + ", SignedHeaders=x-amz-date, Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=" + testAK + "/" + day + "/" + testRegion + "/s3, SignedHeaders=host, Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=" + testAK + "/" + day + "/" + testRegion + "/s3/aws4_request/x, SignedHeaders=host, Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=" + testAK + "/2024052X/" + testRegion + "/s3/aws4_request, SignedHeaders=host, Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=" + testAK + "/20240230/" + testRegion + "/s3/aws4_request, SignedHeaders=host, Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=" + testAK + "/" + day + "/" + testRegion + "/s3/aws4_reques, SignedHeaders=host, Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=/" + day + "/" + testRegion + "/s3/aws4_request, SignedHeaders=host, Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=" + testAK + "/" + day + "//s3/aws4_request, SignedHeaders=host, Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=" + testAK + "/" + day + "/" + testRegion + "/ec2/aws4_request, SignedHeaders=host, Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=" + testAK + "/20240101/" + testRegion + "/s3/aws4_request, SignedHeaders=host, Signature=" + sig,
		"AWS4-HMAC-SHA256 " + good + "; SignedHeaders=host; Signature=" + sig,
		"AWS4-HMAC-SHA256 \x00\xff" + good,
	}
	for i, h := range cases {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			req := newClientRequest(t, http.MethodGet, "http://h.example.com/bucket/key", nil)
			req.Header.Set("X-Amz-Date", date)
			req.Header.Set("X-Amz-Content-Sha256", emptySHA256)
			req.Header.Set("Authorization", h)
			a, err := v.Verify(req)
			if a != nil {
				t.Fatalf("got auth for %q", h)
			}
			wantErr(t, err, ErrAuthorizationHeaderMalformed)
		})
	}
}

// TestVerifyDateHeaderFallback signs with an independent minimal signer
// using the Date header instead of X-Amz-Date.
func TestVerifyDateHeaderFallback(t *testing.T) {
	at := testNow.Add(-2 * time.Minute)
	dateHdr := at.Format(http.TimeFormat)
	canon := strings.Join([]string{
		"GET", "/bucket/key", "a=1&b=",
		"date:" + dateHdr, "host:h.example.com", "x-amz-content-sha256:" + emptySHA256, "",
		"date;host;x-amz-content-sha256", emptySHA256,
	}, "\n")
	scope := at.Format("20060102") + "/" + testRegion + "/s3/aws4_request"
	sts := "AWS4-HMAC-SHA256\n" + at.Format("20060102T150405Z") + "\n" + scope + "\n" + testSHA256Hex([]byte(canon))
	sig := testHMACHex(testKey(testSK, at, testRegion), sts)
	req := newClientRequest(t, http.MethodGet, "http://h.example.com/bucket/key?b=&a=1", nil)
	req.Header.Set("Date", dateHdr)
	req.Header.Set("X-Amz-Content-Sha256", emptySHA256)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+testAK+"/"+scope+",SignedHeaders=date;host;x-amz-content-sha256,Signature="+sig)
	a, err := testVerifier(testNow).Verify(serverSide(t, req))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if a.amzDate != at.Format(amzDateLayout) {
		t.Fatalf("amzDate %q", a.amzDate)
	}
	_, err = testVerifier(testNow.Add(time.Hour)).Verify(serverSide(t, req))
	wantErr(t, err, ErrRequestTimeTooSkewed)
}

func TestVerifyNilSafety(t *testing.T) {
	var v *Verifier
	if _, err := v.Verify(&http.Request{}); !errors.Is(err, ErrAccessDenied) {
		t.Fatalf("nil verifier: %v", err)
	}
	if _, err := testVerifier(testNow).Verify(nil); !errors.Is(err, ErrAccessDenied) {
		t.Fatalf("nil request: %v", err)
	}
	if _, err := testVerifier(testNow).Verify(&http.Request{Method: "GET"}); !errors.Is(err, ErrAccessDenied) {
		t.Fatalf("nil URL: %v", err)
	}
	var a *Auth
	if _, err := a.Body(&http.Request{}); !errors.Is(err, ErrAccessDenied) {
		t.Fatalf("nil auth: %v", err)
	}
}

func TestCanonicalQueryEncoding(t *testing.T) {
	cases := map[string]string{
		"":                        "",
		"b=2&a=1":                 "a=1&b=2",
		"k=2&k=1&k=10":            "k=1&k=10&k=2",
		"flag&empty=":             "empty=&flag=",
		"q=a+b&r=a%20b&s=a%2Bb":   "q=a%20b&r=a%20b&s=a%2Bb",
		"x=~-._*'()!":             "x=~-._%2A%27%28%29%21",
		"u=%E2%9C%93&bad=%zz":     "bad=%25zz&u=%E2%9C%93",
		"&&a=1&&":                 "a=1",
		"a=%2f&A=1":               "A=1&a=%2F",
		"eq=a=b=c":                "eq=a%3Db%3Dc",
		"list-type=2&prefix=a/b/": "list-type=2&prefix=a%2Fb%2F",
	}
	for in, want := range cases {
		if got := canonicalQuery(parseQuery(in), ""); got != want {
			t.Errorf("canonicalQuery(%q) = %q, want %q", in, got, want)
		}
	}
	if got := canonicalQuery(parseQuery("X-Amz-Signature=abc&b=1"), "X-Amz-Signature"); got != "b=1" {
		t.Errorf("skip: %q", got)
	}
}

func TestCanonicalHeaderValue(t *testing.T) {
	cases := map[string]string{
		"":                  "",
		"  a  ":             "a",
		"a   b    c":        "a b c",
		"\ta b\t":           "a b",
		"\"quoted  value\"": "\"quoted value\"",
	}
	for in, want := range cases {
		if got := canonicalHeaderValue(in); got != want {
			t.Errorf("canonicalHeaderValue(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestErrorSemantics(t *testing.T) {
	e := ErrAccessDenied.With("Request has expired")
	if !errors.Is(e, ErrAccessDenied) || errors.Is(e, ErrSignatureDoesNotMatch) {
		t.Fatal("With copy does not match its sentinel only")
	}
	if e.Code != "AccessDenied" || e.Status != 403 || e.Message != "Request has expired" {
		t.Fatalf("copy %+v", e)
	}
	if ErrAccessDenied.Message == e.Message {
		t.Fatal("With modified the sentinel")
	}
	wrapped := fmt.Errorf("handler: %w", e)
	var got *Error
	if !errors.As(wrapped, &got) || got.Code != "AccessDenied" || !errors.Is(wrapped, ErrAccessDenied) {
		t.Fatal("wrapped error lost its identity")
	}
	if errors.Is(ErrMalformedChunk, ErrInvalidArgument) || errors.Is(ErrMalformedChunk.With("x"), ErrInvalidArgument) {
		t.Fatal("distinct sentinels with the same code must not match")
	}
	adhoc := &Error{Code: "InvalidArgument", Status: 400}
	if !errors.Is(adhoc, ErrInvalidArgument) || !errors.Is(ErrMalformedChunk, adhoc) {
		t.Fatal("ad-hoc errors match by code")
	}
	cause := io.ErrUnexpectedEOF
	w := ErrIncompleteBody.wrap(cause)
	if !errors.Is(w, io.ErrUnexpectedEOF) || !errors.Is(w, ErrIncompleteBody) {
		t.Fatal("wrap lost cause or sentinel")
	}
	if !strings.HasPrefix(ErrSignatureDoesNotMatch.Error(), "SignatureDoesNotMatch: ") {
		t.Fatalf("Error() = %q", ErrSignatureDoesNotMatch.Error())
	}
}

func TestParseHTTPDate(t *testing.T) {
	want := time.Date(2026, 12, 7, 20, 1, 2, 0, time.UTC)
	for _, v := range []string{"Mon, 07 Dec 2026 20:01:02 GMT", "Mon, 07 Dec 2026 20:01:02 -0000", "Mon, 07 Dec 2026 21:01:02 +0100",
		"Monday, 07-Dec-26 20:01:02 GMT", "Mon Dec  7 20:01:02 2026"} {
		if got, err := parseHTTPDate(v); err != nil || !got.Equal(want) {
			t.Errorf("parseHTTPDate(%q) = %v, %v; want %v", v, got, err, want)
		}
	}
	if _, err := parseHTTPDate("20261207T200102Z"); err == nil {
		t.Error("an ISO 8601 basic date parsed as a Date header")
	}
}

// TestVerifyPresignedPayloadHeader: a presigned request's own
// X-Amz-Content-Sha256 header is its payload hash, signed or not, as S3
// takes it: one the URL was not signed with fails the signature (mint's
// PresignedPut sends "invalid-sha256"), UNSIGNED-PAYLOAD is what the SDK
// signed, and a hash signed into the URL is then checked against the body.
func TestVerifyPresignedPayloadHeader(t *testing.T) {
	v := testVerifier(testNow)
	for _, bad := range []string{"invalid-sha256", testSHA256Hex([]byte("body"))} {
		req := presign(t, http.MethodPut, "/bucket/obj", "", 600, testNow, nil)
		req.Header.Set("X-Amz-Content-Sha256", bad)
		_, err := v.Verify(serverSide(t, req))
		wantErr(t, err, ErrSignatureDoesNotMatch)
	}
	req := presign(t, http.MethodPut, "/bucket/obj", "", 600, testNow, nil)
	req.Header.Set("X-Amz-Content-Sha256", unsignedPayload)
	if a, err := v.Verify(serverSide(t, req)); err != nil || a.PayloadHash != unsignedPayload {
		t.Fatalf("UNSIGNED-PAYLOAD header: %v %+v", err, a)
	}
	// A URL presigned over a body's hash (the header then sent with it).
	sum := testSHA256Hex([]byte("body"))
	creq := newClientRequest(t, http.MethodPut, "https://bucket-host.example.com/bucket/obj?X-Amz-Expires=600", nil)
	signed, _, err := sdkSigner().PresignHTTP(context.Background(), testCreds(), creq, sum, "s3", testRegion, testNow)
	if err != nil {
		t.Fatal(err)
	}
	req = newClientRequest(t, http.MethodPut, signed, nil)
	req.Header.Set("X-Amz-Content-Sha256", sum)
	if a, err := v.Verify(serverSide(t, req)); err != nil || a.PayloadHash != sum {
		t.Fatalf("header of the hash presigned: %v %+v", err, a)
	}
}
