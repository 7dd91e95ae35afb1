package sigv4

// Invariants:
//   - The canonical request is built from the request exactly as received:
//     the path is the escaped path as sent (no normalization, no double
//     encoding, as S3 signs it), query parameters are decoded once and
//     re-encoded with the AWS rules, and header values are only trimmed and
//     space-collapsed.
//   - Nothing here fails: malformed percent-encoding in the query is kept
//     literally, so a bad request simply fails signature comparison.

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

const (
	algorithm       = "AWS4-HMAC-SHA256"
	amzDateLayout   = "20060102T150405Z"
	scopeDateLayout = "20060102"
	scopeTerminator = "aws4_request"
	serviceS3       = "s3"

	unsignedPayload = "UNSIGNED-PAYLOAD"
	emptySHA256     = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

// queryParam is one decoded query parameter.
type queryParam struct {
	key, value string
}

// parseQuery splits a raw query into decoded parameters in wire order.
// '+' decodes to a space (as url.ParseQuery does, and as the AWS SDKs assume);
// an undecodable component is kept verbatim. Empty pieces ("a&&b") are skipped.
func parseQuery(raw string) []queryParam {
	var out []queryParam
	for raw != "" {
		var piece string
		piece, raw, _ = strings.Cut(raw, "&")
		if piece == "" {
			continue
		}
		k, v, _ := strings.Cut(piece, "=")
		out = append(out, queryParam{key: unescapeQuery(k), value: unescapeQuery(v)})
	}
	return out
}

// paramValue is the value of the query parameter name (the last, if it is
// repeated) and how many times it appears.
func paramValue(params []queryParam, name string) (val string, n int) {
	for _, p := range params {
		if p.key == name {
			val, n = p.value, n+1
		}
	}
	return val, n
}

func unescapeQuery(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// awsEscape percent-encodes s per SigV4: unreserved A-Za-z0-9-._~ are kept,
// every other byte becomes %XX with uppercase hex.
func awsEscape(s string) string {
	const hexDigits = "0123456789ABCDEF"
	n := 0
	for i := 0; i < len(s); i++ {
		if !isUnreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&0xF])
	}
	return b.String()
}

func isUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// canonicalQuery encodes params sorted by encoded key, then encoded value,
// leaving out parameters named skip (when skip is not empty).
func canonicalQuery(params []queryParam, skip string) string {
	enc := make([]queryParam, 0, len(params))
	for _, p := range params {
		if skip != "" && p.key == skip {
			continue
		}
		enc = append(enc, queryParam{key: awsEscape(p.key), value: awsEscape(p.value)})
	}
	slices.SortFunc(enc, func(a, b queryParam) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.value, b.value)
	})
	var b strings.Builder
	for i, p := range enc {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.key)
		b.WriteByte('=')
		b.WriteString(p.value)
	}
	return b.String()
}

// canonicalURI is the request path as sent, "/" when empty.
func canonicalURI(r *http.Request) string {
	p := r.URL.EscapedPath()
	if p == "" {
		return "/"
	}
	return p
}

// headerValues returns the values of the lowercase header name as received.
// Go's server moves Host, and for chunked requests Content-Length and
// Transfer-Encoding, out of r.Header; they are recovered from r.
func headerValues(r *http.Request, name string) []string {
	switch name {
	case "host":
		if r.Host != "" {
			return []string{r.Host}
		}
		return []string{r.URL.Host}
	case "content-length":
		if v := r.Header.Values(name); len(v) > 0 {
			return v
		}
		if r.ContentLength > 0 {
			return []string{strconv.FormatInt(r.ContentLength, 10)}
		}
		return nil
	case "transfer-encoding":
		if v := r.Header.Values(name); len(v) > 0 {
			return v
		}
		return r.TransferEncoding
	}
	return r.Header.Values(name)
}

// canonicalHeaderValue trims v and collapses inner runs of spaces.
func canonicalHeaderValue(v string) string {
	v = strings.TrimSpace(v)
	if !strings.Contains(v, "  ") {
		return v
	}
	var b strings.Builder
	b.Grow(len(v))
	prevSpace := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == ' ' {
			if prevSpace {
				continue
			}
			prevSpace = true
		} else {
			prevSpace = false
		}
		b.WriteByte(c)
	}
	return b.String()
}

// writeCanonicalRequest streams the canonical request into w.
func writeCanonicalRequest(w io.Writer, r *http.Request, query string, signedHeaders []string, signedHeadersRaw, payloadHash string) {
	io.WriteString(w, r.Method)
	io.WriteString(w, "\n")
	io.WriteString(w, canonicalURI(r))
	io.WriteString(w, "\n")
	io.WriteString(w, query)
	io.WriteString(w, "\n")
	for _, name := range signedHeaders {
		io.WriteString(w, name)
		io.WriteString(w, ":")
		for i, v := range headerValues(r, name) {
			if i > 0 {
				io.WriteString(w, ",")
			}
			io.WriteString(w, canonicalHeaderValue(v))
		}
		io.WriteString(w, "\n")
	}
	io.WriteString(w, "\n")
	io.WriteString(w, signedHeadersRaw)
	io.WriteString(w, "\n")
	io.WriteString(w, payloadHash)
}

// stringToSign returns the SigV4 string to sign for a canonical request.
func stringToSign(amzDate, scope string, canonicalHash []byte) string {
	return algorithm + "\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(canonicalHash)
}

// signingKey derives the SigV4 signing key.
func signingKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, scopeTerminator)
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	io.WriteString(h, data)
	return h.Sum(nil)
}

// signHex returns the lowercase hex HMAC-SHA256 of data under key.
func signHex(key []byte, data string) string {
	return hex.EncodeToString(hmacSHA256(key, data))
}

// equalSig compares two hex signatures in constant time.
func equalSig(a, b string) bool {
	return hmac.Equal([]byte(a), []byte(b))
}

// isHex64 reports whether s is 64 hex digits (either case).
func isHex64(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
