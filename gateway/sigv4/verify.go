package sigv4

// Invariants:
//   - Verify never panics and never returns (nil, nil): it returns a
//     non-nil *Auth only after the request signature compared equal (in
//     constant time) to the one computed with the key's secret.
//   - Every error returned is an *Error (see errors.go).
//   - The secret and derived keys are kept only in the returned Auth's
//     unexported fields, and never appear in errors.

import (
	"crypto/sha256"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultMaxSkew is the clock skew tolerated when Verifier.MaxSkew is zero.
const DefaultMaxSkew = 15 * time.Minute

// maxPresignExpires is the longest X-Amz-Expires S3 accepts (one week).
const maxPresignExpires = 604800

// Verifier authenticates SigV4-signed S3 requests.
type Verifier struct {
	// Secret returns the secret key for an access key, ok=false if unknown.
	Secret func(accessKey string) (secret string, ok bool)
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// MaxSkew is the tolerated clock skew (DefaultMaxSkew when <= 0).
	MaxSkew time.Duration
}

// Auth is the result of a successful verification.
type Auth struct {
	AccessKey   string
	Region      string
	PayloadHash string // value of X-Amz-Content-Sha256 (or "UNSIGNED-PAYLOAD" for presigned)
	Presigned   bool

	key     []byte // signing key for the request's scope
	scope   string // date/region/s3/aws4_request
	amzDate string // timestamp as used in the string to sign
	seed    string // request signature, seed of the chunk signature chain
}

// credential is a parsed "AK/date/region/service/aws4_request" value.
type credential struct {
	accessKey, date, region, service string
}

func (c credential) scope() string {
	return c.date + "/" + c.region + "/" + c.service + "/" + scopeTerminator
}

// sigParams are the signature inputs common to both auth styles.
type sigParams struct {
	cred             credential
	signedHeaders    []string
	signedHeadersRaw string
	signature        string
}

// parseCredential parses a Credential value; ok=false if malformed.
func parseCredential(s string) (credential, bool) {
	parts := strings.SplitN(s, "/", 6)
	if len(parts) != 5 {
		return credential{}, false
	}
	c := credential{accessKey: parts[0], date: parts[1], region: parts[2], service: parts[3]}
	if c.accessKey == "" || c.region == "" || c.service == "" || parts[4] != scopeTerminator {
		return credential{}, false
	}
	if len(c.date) != 8 {
		return credential{}, false
	}
	if _, err := time.Parse(scopeDateLayout, c.date); err != nil {
		return credential{}, false
	}
	return c, true
}

// parseSignedHeaders parses "host;x-amz-date"; ok=false if malformed.
func parseSignedHeaders(s string) ([]string, bool) {
	if s == "" {
		return nil, false
	}
	names := strings.Split(s, ";")
	for _, n := range names {
		if n == "" {
			return nil, false
		}
		for i := 0; i < len(n); i++ {
			c := n[i]
			if c <= ' ' || c >= 0x7f || 'A' <= c && c <= 'Z' || c == ':' || c == ',' {
				return nil, false
			}
		}
	}
	return names, true
}

// parseAuthorization parses an Authorization header value of the form
// "AWS4-HMAC-SHA256 Credential=AK/date/region/s3/aws4_request,
// SignedHeaders=a;b, Signature=hex".
func parseAuthorization(h string) (sigParams, error) {
	alg, rest, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || alg != algorithm {
		return sigParams{}, ErrAuthorizationHeaderMalformed.With("The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.")
	}
	var p sigParams
	var haveCred, haveSH, haveSig bool
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return sigParams{}, ErrAuthorizationHeaderMalformed.With("The authorization header is malformed; the authorization component is not of the form key=value.")
		}
		var dup bool
		switch k {
		case "Credential":
			dup, haveCred = haveCred, true
			c, ok := parseCredential(v)
			if !ok {
				return sigParams{}, ErrAuthorizationHeaderMalformed.With("The authorization header is malformed; the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".")
			}
			p.cred = c
		case "SignedHeaders":
			dup, haveSH = haveSH, true
			names, ok := parseSignedHeaders(v)
			if !ok {
				return sigParams{}, ErrAuthorizationHeaderMalformed.With("The authorization header is malformed; SignedHeaders is malformed.")
			}
			p.signedHeaders, p.signedHeadersRaw = names, v
		case "Signature":
			dup, haveSig = haveSig, true
			if !isHex64(v) {
				return sigParams{}, ErrAuthorizationHeaderMalformed.With("The authorization header is malformed; the Signature is not 64 hex digits.")
			}
			p.signature = strings.ToLower(v)
		default:
			return sigParams{}, ErrAuthorizationHeaderMalformed.With("The authorization header is malformed; unknown component.")
		}
		if dup {
			return sigParams{}, ErrAuthorizationHeaderMalformed.With("The authorization header is malformed; repeated component.")
		}
	}
	if !haveCred || !haveSH || !haveSig {
		return sigParams{}, ErrAuthorizationHeaderMalformed.With("The authorization header is malformed; Credential, SignedHeaders and Signature are all required.")
	}
	return p, nil
}

// validPayloadHash reports whether s is an X-Amz-Content-Sha256 value Body
// knows how to handle.
func validPayloadHash(s string) bool {
	switch s {
	case unsignedPayload, streamingSigned, streamingUnsignedTrailer, streamingSignedTrailer:
		return true
	}
	return isHex64(s)
}

// Verify authenticates r, signed either with the Authorization header or
// with presigned query parameters. See the package documentation.
func (v *Verifier) Verify(r *http.Request) (*Auth, error) { return v.VerifyHost(r, "") }

// VerifyHost is Verify for a request that names its bucket in its Host
// (virtual-hosted style; "" for path style), which Signature Version 2
// signs as if it led the path.
func (v *Verifier) VerifyHost(r *http.Request, hostBucket string) (*Auth, error) {
	if v == nil || r == nil || r.URL == nil {
		return nil, ErrAccessDenied
	}
	params := parseQuery(r.URL.RawQuery)
	authz := r.Header.Values("Authorization")
	if len(authz) == 1 && strings.TrimSpace(authz[0]) == "" {
		authz = nil
	}
	presigned := hasParam(params, "X-Amz-Algorithm") || hasParam(params, "X-Amz-Credential") ||
		hasParam(params, "X-Amz-Signature")
	switch {
	case len(authz) > 0 && presigned:
		return nil, ErrInvalidArgument.With("Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified.")
	case len(authz) > 1:
		return nil, ErrAuthorizationHeaderMalformed.With("The request carries more than one Authorization header.")
	case len(authz) == 1 && isV2Authorization(authz[0]):
		return v.verifyV2Header(r, authz[0], hostBucket)
	case len(authz) == 1:
		return v.verifyHeader(r, authz[0], params)
	case presigned:
		return v.verifyPresigned(r, params)
	case isV2Presigned(params):
		return v.verifyV2Presigned(r, params, hostBucket)
	}
	return nil, ErrAccessDenied
}

func (v *Verifier) verifyHeader(r *http.Request, authz string, params []queryParam) (*Auth, error) {
	p, err := parseAuthorization(authz)
	if err != nil {
		return nil, err
	}
	var t time.Time
	amzDate := r.Header.Get("X-Amz-Date")
	switch {
	case amzDate != "":
		if t, err = time.Parse(amzDateLayout, amzDate); err != nil {
			return nil, ErrAccessDenied.With("AWS authentication requires a valid Date or x-amz-date header")
		}
	case r.Header.Get("Date") != "":
		if t, err = parseHTTPDate(r.Header.Get("Date")); err != nil {
			return nil, ErrAccessDenied.With("AWS authentication requires a valid Date or x-amz-date header")
		}
		amzDate = t.UTC().Format(amzDateLayout)
	default:
		return nil, ErrMissingSecurityHeader.With("Missing required header for this request: x-amz-date")
	}
	if err := checkScope(p, amzDate, ErrAuthorizationHeaderMalformed); err != nil {
		return nil, err
	}
	payload := r.Header.Get("X-Amz-Content-Sha256")
	if payload == "" {
		return nil, ErrMissingSecurityHeader.With("Missing required header for this request: x-amz-content-sha256")
	}
	if !validPayloadHash(payload) {
		return nil, ErrInvalidArgument.With("x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.")
	}
	if err := checkUnsignedHeaders(r, p.signedHeaders, false); err != nil {
		return nil, err
	}
	secret, err := v.secret(p.cred.accessKey)
	if err != nil {
		return nil, err
	}
	if v.skewed(t) {
		return nil, ErrRequestTimeTooSkewed
	}
	return v.finish(r, p, secret, amzDate, canonicalQuery(params, ""), payload, false)
}

func (v *Verifier) verifyPresigned(r *http.Request, params []queryParam) (*Auth, error) {
	qerr := ErrAuthorizationQueryParametersError
	get := func(name string) (string, error) {
		val, n := paramValue(params, name)
		switch n {
		case 0:
			return "", qerr.withf("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters; %s is missing.", name)
		case 1:
			return val, nil
		}
		return "", qerr.withf("The %s parameter is repeated.", name)
	}
	var vals [6]string
	for i, name := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature"} {
		val, err := get(name)
		if err != nil {
			return nil, err
		}
		vals[i] = val
	}
	algo, credStr, amzDate, expStr, shStr, sig := vals[0], vals[1], vals[2], vals[3], vals[4], vals[5]
	if algo != algorithm {
		return nil, qerr.With("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"")
	}
	var p sigParams
	var ok bool
	if p.cred, ok = parseCredential(credStr); !ok {
		return nil, qerr.With("Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".")
	}
	t, err := time.Parse(amzDateLayout, amzDate)
	if err != nil {
		return nil, qerr.With("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"")
	}
	expires, err := strconv.Atoi(expStr)
	if err != nil {
		return nil, qerr.With("X-Amz-Expires must be a number of seconds from 1 to 604800")
	}
	if expires < 1 || expires > maxPresignExpires {
		// S3 refuses a presigned URL that is expired or valid for too long
		// as it refuses an expired one: 403.
		return nil, ErrAccessDenied.With("X-Amz-Expires must be a number of seconds from 1 to 604800")
	}
	if p.signedHeaders, ok = parseSignedHeaders(shStr); !ok {
		return nil, qerr.With("X-Amz-SignedHeaders is malformed.")
	}
	p.signedHeadersRaw = shStr
	if !isHex64(sig) {
		// A malformed signature cannot match: 403, as S3 answers.
		return nil, ErrSignatureDoesNotMatch
	}
	p.signature = strings.ToLower(sig)
	if err := checkScope(p, amzDate, qerr); err != nil {
		return nil, err
	}
	// The payload hash is the X-Amz-Content-Sha256 parameter, else the
	// header of that name, signed or not, else UNSIGNED-PAYLOAD: S3 takes a
	// header the URL was not signed with into the canonical request too, so
	// a client that declares a hash the signer did not (or an invalid one)
	// gets SignatureDoesNotMatch, not its body taken unchecked.
	payload := unsignedPayload
	fromHeader := false
	if hasParam(params, "X-Amz-Content-Sha256") {
		payload, err = get("X-Amz-Content-Sha256")
		if err != nil {
			return nil, err
		}
	} else if vs, ok := r.Header["X-Amz-Content-Sha256"]; ok && len(vs) > 0 {
		payload, fromHeader = vs[0], true
	}
	badPayload := !validPayloadHash(payload)
	if badPayload && !fromHeader {
		return nil, badPresignedPayload()
	}
	if err := checkUnsignedHeaders(r, p.signedHeaders, true); err != nil {
		return nil, err
	}
	secret, err := v.secret(p.cred.accessKey)
	if err != nil {
		return nil, err
	}
	now := v.now()
	if t.Sub(now) > v.maxSkew() {
		return nil, ErrRequestTimeTooSkewed.With("Request is not yet valid; the difference between the request time and the current time is too large.")
	}
	if now.Sub(t) > time.Duration(expires)*time.Second {
		return nil, ErrAccessDenied.With("Request has expired")
	}
	a, err := v.finish(r, p, secret, amzDate, canonicalQuery(params, "X-Amz-Signature"), payload, true)
	if err == nil && badPayload {
		return nil, badPresignedPayload() // signed as sent, but no hash Body can check
	}
	return a, err
}

// badPresignedPayload refuses a presigned request whose payload hash is
// none of the values Body accepts.
func badPresignedPayload() *Error {
	return ErrInvalidArgument.With("x-amz-content-sha256 must be UNSIGNED-PAYLOAD, a STREAMING-* value or a valid sha256 value.")
}

// finish computes the expected signature and compares it with p.signature.
func (v *Verifier) finish(r *http.Request, p sigParams, secret, amzDate, query, payload string, presigned bool) (*Auth, error) {
	h := sha256.New()
	writeCanonicalRequest(h, r, query, p.signedHeaders, p.signedHeadersRaw, payload)
	scope := p.cred.scope()
	key := signingKey(secret, p.cred.date, p.cred.region, p.cred.service)
	want := signHex(key, stringToSign(amzDate, scope, h.Sum(nil)))
	if !equalSig(want, p.signature) {
		return nil, ErrSignatureDoesNotMatch
	}
	return &Auth{
		AccessKey:   p.cred.accessKey,
		Region:      p.cred.region,
		PayloadHash: payload,
		Presigned:   presigned,
		key:         key,
		scope:       scope,
		amzDate:     amzDate,
		seed:        want,
	}, nil
}

// checkScope validates the credential scope against the request timestamp
// and the signed headers; malformed is the sentinel to report with.
func checkScope(p sigParams, amzDate string, malformed *Error) error {
	if p.cred.service != serviceS3 {
		return malformed.withf("The credential scope names service %q; expecting \"s3\".", truncate(p.cred.service))
	}
	if p.cred.date != amzDate[:8] {
		return malformed.With("The credential scope date does not match the request date.")
	}
	if !slices.Contains(p.signedHeaders, "host") {
		return malformed.With("The host header must be signed.")
	}
	return nil
}

// checkUnsignedHeaders rejects x-amz-* request headers that are not signed:
// they would change the request's meaning without the signer's consent.
// Presigned requests may carry an unsigned x-amz-content-sha256, which is
// then the payload hash of the canonical request.
func checkUnsignedHeaders(r *http.Request, signed []string, presigned bool) error {
	for name := range r.Header {
		lower := strings.ToLower(name)
		if !strings.HasPrefix(lower, "x-amz-") || slices.Contains(signed, lower) {
			continue
		}
		if presigned && lower == "x-amz-content-sha256" {
			continue
		}
		return ErrAccessDenied.withf("There were headers present in the request which were not signed: %s", truncate(lower))
	}
	return nil
}

func hasParam(params []queryParam, key string) bool {
	for _, p := range params {
		if p.key == key {
			return true
		}
	}
	return false
}

func (v *Verifier) secret(accessKey string) (string, error) {
	if v.Secret == nil {
		return "", ErrInvalidAccessKeyId
	}
	s, ok := v.Secret(accessKey)
	if !ok {
		return "", ErrInvalidAccessKeyId
	}
	return s, nil
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

// skewed reports whether t is further from now than the tolerated skew.
// (Times, not a Duration: a date in year 9999 overflows now.Sub(t).)
func (v *Verifier) skewed(t time.Time) bool {
	now, skew := v.now(), v.maxSkew()
	return t.Before(now.Add(-skew)) || t.After(now.Add(skew))
}

func (v *Verifier) maxSkew() time.Duration {
	if v.MaxSkew > 0 {
		return v.MaxSkew
	}
	return DefaultMaxSkew
}

// truncate bounds client-supplied text echoed into error messages.
func truncate(s string) string {
	const max = 64
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}

// parseHTTPDate parses a Date header: the HTTP formats, and RFC 1123 with a
// numeric zone ("-0000"), which Python's email.utils.formatdate (botocore's
// Date header) writes.
func parseHTTPDate(v string) (time.Time, error) {
	if t, err := http.ParseTime(v); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC1123Z, v)
}
