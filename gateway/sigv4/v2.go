package sigv4

// Signature Version 2 (HMAC-SHA1), which older clients and SDKs still send
// (minio-go's V2 credentials, boto2, s3cmd with signature_v2):
//
//	Authorization: AWS <access key>:<base64 HMAC-SHA1(secret, StringToSign)>
//	?AWSAccessKeyId=<access key>&Expires=<unix time>&Signature=<...>  (presigned)
//
//	StringToSign = Method \n Content-MD5 \n Content-Type \n Date (Expires when presigned) \n
//	               x-amz-* headers, lowercase, sorted, "name:v1,v2\n" each +
//	               CanonicalizedResource ("/bucket" for a virtual-hosted request,
//	               the path, then the subresources of v2Subresources present,
//	               sorted, "?a&b=v").
//
// Invariants:
//   - A V2 request is authenticated only if one of the strings a client may
//     have signed for it (the path as sent or S3-encoded, a bucket's with a
//     trailing slash as botocore signs it; the Date line as
//     sent, or empty when x-amz-date stands in for it) matches under the
//     access key's secret, compared in constant time. Every candidate covers
//     the same method, headers and resource: none admits a request the
//     signer did not make.
//   - A header-signed request is refused outside the clock skew, a
//     presigned one after its Expires.
//   - V2 does not sign the payload: the body is unsigned (Content-MD5, when
//     sent, is signed and checked by the front end).

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// v2Subresources are the query parameters the V2 canonical resource
// includes, sorted, as minio-go signs them; v2SubresourcesBoto as botocore
// does (the lists differ in a few rarely used ones).
var (
	v2Subresources = []string{"acl", "cors", "delete", "encryption", "legal-hold", "lifecycle", "location",
		"logging", "notification", "partNumber", "policy", "replication", "requestPayment",
		"response-cache-control", "response-content-disposition", "response-content-encoding",
		"response-content-language", "response-content-type", "response-expires", "retention", "select",
		"select-type", "tagging", "torrent", "uploadId", "uploads", "versionId", "versioning", "versions", "website"}
	v2SubresourcesBoto = []string{"accelerate", "acl", "analytics", "cors", "defaultObjectAcl", "delete",
		"inventory", "lifecycle", "location", "logging", "metrics", "notification", "object-lock", "partNumber",
		"policy", "replication", "requestPayment", "response-cache-control", "response-content-disposition",
		"response-content-encoding", "response-content-language", "response-content-type", "response-expires",
		"restore", "select", "select-type", "storageClass", "tagging", "torrent", "uploadId", "uploads",
		"versionId", "versioning", "versions", "website"}
)

// isV2Authorization reports whether an Authorization header is V2's.
func isV2Authorization(h string) bool { return strings.HasPrefix(h, "AWS ") }

// isV2Presigned reports whether the query carries V2 presigned parameters.
func isV2Presigned(params []queryParam) bool {
	return hasParam(params, "AWSAccessKeyId") || hasParam(params, "Signature") && !hasParam(params, "X-Amz-Signature")
}

func (v *Verifier) verifyV2Header(r *http.Request, authz, hostBucket string) (*Auth, error) {
	ak, sig, ok := strings.Cut(strings.TrimPrefix(authz, "AWS "), ":")
	if !ok || ak == "" || sig == "" || strings.ContainsAny(ak, " \t") {
		return nil, ErrInvalidArgument.With("AWS authorization header is invalid.  Expected AwsAccessKeyId:signature")
	}
	date := r.Header.Get("X-Amz-Date")
	if _, present := r.Header["X-Amz-Date"]; !present {
		date = r.Header.Get("Date")
	}
	if date == "" {
		return nil, ErrAccessDenied.With("AWS authentication requires a valid Date or x-amz-date header")
	}
	t, err := parseHTTPDate(date)
	if err != nil {
		t, err = time.Parse(amzDateLayout, date)
	}
	if err != nil || t.Before(time.Unix(0, 0)) {
		return nil, ErrAccessDenied.With("AWS authentication requires a valid Date or x-amz-date header")
	}
	secret, err := v.secret(ak)
	if err != nil {
		return nil, err
	}
	if v.skewed(t) {
		return nil, ErrRequestTimeTooSkewed
	}
	dates := []string{r.Header.Get("Date")}
	if r.Header.Get("X-Amz-Date") != "" && dates[0] != "" {
		dates = append(dates, "") // x-amz-date stands in for Date, which is then signed empty
	}
	if !v2Matches(r, secret, sig, hostBucket, dates) {
		return nil, ErrSignatureDoesNotMatch
	}
	return &Auth{AccessKey: ak, PayloadHash: unsignedPayload}, nil
}

func (v *Verifier) verifyV2Presigned(r *http.Request, params []queryParam, hostBucket string) (*Auth, error) {
	missing := ErrAccessDenied.With("Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters")
	one := func(name string) string { // "" if missing or repeated
		if val, n := paramValue(params, name); n == 1 {
			return val
		}
		return ""
	}
	ak, sig, expires := one("AWSAccessKeyId"), one("Signature"), one("Expires")
	if ak == "" || sig == "" || expires == "" {
		return nil, missing
	}
	exp, err := strconv.ParseInt(expires, 10, 64)
	if err != nil {
		return nil, ErrAccessDenied.With("Invalid date (should be seconds since epoch): " + truncate(expires))
	}
	secret, err := v.secret(ak)
	if err != nil {
		return nil, err
	}
	if v.now().Unix() > exp {
		return nil, ErrAccessDenied.With("Request has expired")
	}
	if !v2Matches(r, secret, sig, hostBucket, []string{expires}) {
		return nil, ErrSignatureDoesNotMatch
	}
	return &Auth{AccessKey: ak, PayloadHash: unsignedPayload, Presigned: true}, nil
}

// v2Matches reports whether sig (base64) signs r under secret for one of
// the Date lines and canonical resources a client may have used.
func v2Matches(r *http.Request, secret, sig, hostBucket string, dates []string) bool {
	want, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return false
	}
	headers := v2AmzHeaders(r)
	subs := []string{v2Subresource(r, v2Subresources)}
	if sb := v2Subresource(r, v2SubresourcesBoto); sb != subs[0] {
		subs = append(subs, sb)
	}
	paths := []string{canonicalURI(r)}
	if p := v2EncodePath(r.URL.Path); p != paths[0] {
		paths = append(paths, p)
	}
	if p := paths[0]; hostBucket == "" && len(p) > 1 && strings.Count(p, "/") == 1 {
		paths = append(paths, p+"/") // botocore signs a bucket's path-style requests as "/bucket/"
	}
	ok := false
	for _, date := range dates {
		for _, p := range paths {
			if hostBucket != "" {
				p = "/" + hostBucket + p
			}
			for _, sub := range subs {
				m := hmac.New(sha1.New, []byte(secret))
				m.Write([]byte(r.Method + "\n" + r.Header.Get("Content-Md5") + "\n" + r.Header.Get("Content-Type") + "\n" +
					date + "\n" + headers + p + sub))
				ok = hmac.Equal(m.Sum(nil), want) || ok // every candidate is computed: no early exit
			}
		}
	}
	return ok
}

// v2AmzHeaders are r's x-amz-* headers as V2 signs them.
func v2AmzHeaders(r *http.Request) string {
	var names []string
	for k := range r.Header {
		if lk := strings.ToLower(k); strings.HasPrefix(lk, "x-amz-") {
			names = append(names, lk)
		}
	}
	slices.Sort(names)
	var b strings.Builder
	for _, n := range names {
		b.WriteString(n)
		b.WriteByte(':')
		b.WriteString(strings.Join(r.Header.Values(n), ","))
		b.WriteByte('\n')
	}
	return b.String()
}

// v2Subresource is the query part of r's V2 canonical resource, of the
// parameters in names.
func v2Subresource(r *http.Request, names []string) string {
	vals := map[string]string{}
	present := map[string]bool{}
	for _, p := range parseQuery(r.URL.RawQuery) {
		if !present[p.key] {
			present[p.key], vals[p.key] = true, p.value
		}
	}
	var b strings.Builder
	for _, name := range names {
		if !present[name] {
			continue
		}
		if b.Len() == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(name)
		if v := vals[name]; v != "" {
			b.WriteByte('=')
			b.WriteString(v)
		}
	}
	return b.String()
}

// v2EncodePath encodes a path as the SDKs do before signing: every byte but
// the unreserved ones and '/' as %XX.
func v2EncodePath(p string) string {
	if p == "" {
		return "/"
	}
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = awsEscape(s)
	}
	return strings.Join(segs, "/")
}
