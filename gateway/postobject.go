package gateway

// Invariants:
//   - A browser POST upload is authenticated by its form alone: a policy
//     signed with SigV4 (x-amz-algorithm, x-amz-credential, x-amz-date,
//     x-amz-signature) or SigV2 (AWSAccessKeyId, signature); without a
//     policy it is anonymous and needs public write access to the bucket.
//   - A signed policy must not be expired, and every one of its conditions
//     must hold; every form field but the exempt ones must be named by a
//     condition. Failures are 403 AccessDenied; malformed policies are 400.
//   - Memory is bounded: form fields before the file are at most
//     maxPostFields bytes in all; the file streams to a temporary file
//     (whose size then is known and checked against content-length-range)
//     and from there into the object layer. Fields after the file are
//     ignored, as S3 does.

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/mefs-project/mefs/gateway/sigv4"
)

// maxPostFields bounds the form fields of a POST upload.
const maxPostFields = 1 << 20

// ErrMalformedPOSTRequest is a form S3 cannot parse.
var ErrMalformedPOSTRequest = apiErr("MalformedPOSTRequest", 400, "The body of your POST request is not well-formed multipart/form-data.")

// policyErr is an AccessDenied for a form that breaks its policy.
func policyErr(format string, args ...any) error {
	return ErrAccessDenied.Errorf("Invalid according to Policy: "+format, args...)
}

// postForm is a parsed POST upload: its fields (names lower-cased) and the
// file, spooled to disk.
type postForm struct {
	fields   map[string]string
	filename string
	file     *os.File
	size     int64
}

func (f *postForm) close() {
	if f.file != nil {
		f.file.Close()
		os.Remove(f.file.Name())
	}
}

// readPostForm reads the form up to and including the file field.
func readPostForm(r *request) (*postForm, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, ErrMalformedPOSTRequest
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	f := &postForm{fields: map[string]string{}}
	budget := int64(maxPostFields)
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil, ErrInvalidArgument.Errorf("POST requires exactly one file upload per request.")
		}
		if err != nil {
			return nil, ErrMalformedPOSTRequest.Errorf("The body of your POST request is not well-formed multipart/form-data: %v", err)
		}
		name := strings.ToLower(part.FormName())
		if name == "" {
			// A part without a field name (Content-Disposition with no
			// name) is no form field at all.
			return nil, ErrMalformedPOSTRequest
		}
		if name == "file" {
			f.filename = part.FileName()
			tmp, err := os.CreateTemp("", "mefs-post-*")
			if err != nil {
				return nil, fmt.Errorf("spool POST upload: %w", err)
			}
			f.file = tmp
			n, err := io.Copy(tmp, io.LimitReader(part, maxObjectSize+1))
			if err != nil {
				f.close()
				return nil, fmt.Errorf("spool POST upload: %w", err)
			}
			if n > maxObjectSize {
				f.close()
				return nil, ErrEntityTooLarge
			}
			f.size = n
			if _, err := tmp.Seek(0, io.SeekStart); err != nil {
				f.close()
				return nil, fmt.Errorf("rewind POST upload: %w", err)
			}
			return f, nil
		}
		b, err := io.ReadAll(io.LimitReader(part, budget+1))
		if err != nil {
			return nil, ErrMalformedPOSTRequest.Errorf("The body of your POST request is not well-formed multipart/form-data: %v", err)
		}
		budget -= int64(len(b))
		if budget < 0 {
			return nil, ErrMaxMessageLengthExceeded.Errorf("Your POST request fields preceding the upload file were too large.")
		}
		if _, dup := f.fields[name]; !dup {
			f.fields[name] = string(b)
		}
	}
}

// postPolicy is a decoded POST policy document.
type postPolicy struct {
	expiration time.Time
	conds      [][3]string // op ("eq", "starts-with"), field (lower case, no $), value
	minSize    int64
	maxSize    int64 // -1: no content-length-range
}

func parsePostPolicy(b64 string) (*postPolicy, error) {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, ErrInvalidArgument.Errorf("Invalid Policy: Invalid Base64 encoding.")
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, ErrInvalidArgument.Errorf("Invalid Policy: Invalid JSON.")
	}
	var exp string
	if err := json.Unmarshal(doc["expiration"], &exp); err != nil || exp == "" {
		return nil, ErrInvalidArgument.Errorf("Invalid Policy: Policy missing expiration.")
	}
	p := &postPolicy{maxSize: -1}
	if p.expiration, err = time.Parse(time.RFC3339, exp); err != nil {
		return nil, ErrInvalidArgument.Errorf("Invalid Policy: Invalid 'expiration' value: '%s'", exp)
	}
	var conds []json.RawMessage
	if c, ok := doc["conditions"]; !ok || json.Unmarshal(c, &conds) != nil {
		return nil, ErrInvalidArgument.Errorf("Invalid Policy: Policy missing conditions.")
	}
	for _, c := range conds {
		if err := p.addCondition(c); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (p *postPolicy) addCondition(c json.RawMessage) error {
	bad := ErrInvalidArgument.Errorf("Invalid Policy: Invalid Condition: %s", truncateArg(string(c)))
	var m map[string]any
	if json.Unmarshal(c, &m) == nil {
		if len(m) != 1 {
			return bad
		}
		for k, v := range m {
			s, ok := v.(string)
			if !ok {
				return bad
			}
			p.conds = append(p.conds, [3]string{"eq", strings.ToLower(k), s})
		}
		return nil
	}
	var list []any
	if json.Unmarshal(c, &list) != nil || len(list) == 0 {
		return bad
	}
	op, _ := list[0].(string)
	switch strings.ToLower(op) {
	case "eq", "starts-with":
		if len(list) != 3 {
			return bad
		}
		field, ok1 := list[1].(string)
		value, ok2 := list[2].(string)
		if !ok1 || !ok2 || !strings.HasPrefix(field, "$") {
			return bad
		}
		p.conds = append(p.conds, [3]string{strings.ToLower(op), strings.ToLower(field[1:]), value})
	case "content-length-range":
		if len(list) != 3 {
			return bad
		}
		lo, ok1 := asInt(list[1])
		hi, ok2 := asInt(list[2])
		if !ok1 || !ok2 || lo < 0 || hi < lo {
			return bad
		}
		p.minSize, p.maxSize = lo, hi
	default:
		return bad
	}
	return nil
}

func asInt(v any) (int64, bool) {
	switch x := v.(type) {
	case float64:
		return int64(x), x == float64(int64(x))
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		return n, err == nil
	}
	return 0, false
}

// exemptFields need no policy condition.
var exemptFields = map[string]bool{"policy": true, "signature": true, "x-amz-signature": true, "awsaccesskeyid": true,
	"file": true, "bucket": true}

// check applies the policy to the form's fields.
func (p *postPolicy) check(fields map[string]string, now time.Time) error {
	if now.After(p.expiration) {
		return policyErr("Policy expired.")
	}
	covered := map[string]bool{}
	for _, c := range p.conds {
		op, field, want := c[0], c[1], c[2]
		covered[field] = true
		got, ok := fields[field]
		if !ok && !(op == "starts-with" && want == "") { // ["starts-with", "$f", ""]: any value, or none
			return policyErr("Policy Condition failed: [\"%s\", \"$%s\", \"%s\"]", op, field, want)
		}
		if op == "eq" && got != want || op == "starts-with" && !strings.HasPrefix(got, want) {
			return policyErr("Policy Condition failed: [\"%s\", \"$%s\", \"%s\"]", op, field, want)
		}
	}
	for name := range fields {
		if exemptFields[name] || covered[name] || strings.HasPrefix(name, "x-ignore-") || strings.HasPrefix(name, "x-amz-checksum-") {
			continue
		}
		return policyErr("Extra input fields: %s", name)
	}
	return nil
}

// authenticatePost checks the form's signature and returns the signer's
// access key.
func (s *Server) authenticatePost(fields map[string]string) (string, error) {
	policy := fields["policy"]
	secretOf := func(ak string) (string, error) {
		if s.Verifier == nil || s.Verifier.Secret == nil {
			return "", sigv4.ErrInvalidAccessKeyId
		}
		sk, ok := s.Verifier.Secret(ak)
		if !ok {
			return "", sigv4.ErrInvalidAccessKeyId
		}
		return sk, nil
	}
	if alg, ok := fields["x-amz-algorithm"]; ok {
		if alg != "AWS4-HMAC-SHA256" {
			return "", ErrInvalidArgument.Errorf("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"")
		}
		parts := strings.Split(fields["x-amz-credential"], "/")
		if len(parts) != 5 || parts[4] != "aws4_request" || len(parts[1]) != 8 {
			return "", ErrInvalidArgument.Errorf("Invalid X-Amz-Credential")
		}
		if _, err := time.Parse("20060102T150405Z", fields["x-amz-date"]); err != nil {
			return "", ErrInvalidArgument.Errorf("Invalid X-Amz-Date")
		}
		sig, ok := fields["x-amz-signature"]
		if !ok {
			return "", ErrInvalidArgument.Errorf("Bucket POST must contain a field named 'X-Amz-Signature'.")
		}
		sk, err := secretOf(parts[0])
		if err != nil {
			return "", err
		}
		if !sigv4.EqualSignatures(sigv4.PostPolicySignature(sk, parts[1], parts[2], parts[3], policy), strings.ToLower(sig)) {
			return "", sigv4.ErrSignatureDoesNotMatch
		}
		return parts[0], nil
	}
	ak, ok := fields["awsaccesskeyid"]
	if !ok {
		return "", ErrInvalidArgument.Errorf("Bucket POST must contain a field named 'AWSAccessKeyId'.")
	}
	sig, ok := fields["signature"]
	if !ok {
		return "", ErrInvalidArgument.Errorf("Bucket POST must contain a field named 'Signature'.")
	}
	sk, err := secretOf(ak)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha1.New, []byte(sk))
	mac.Write([]byte(policy))
	if !hmac.Equal([]byte(base64.StdEncoding.EncodeToString(mac.Sum(nil))), []byte(sig)) {
		return "", sigv4.ErrSignatureDoesNotMatch
	}
	return ak, nil
}

type postResponse struct {
	XMLName  xml.Name `xml:"PostResponse"`
	Location string
	Bucket   string
	Key      string
	ETag     string
}

func (s *Server) postObject(r *request) error {
	if r.auth != nil {
		return ErrInvalidRequest.Errorf("POST uploads are authenticated by their form, not by an Authorization header")
	}
	form, err := readPostForm(r)
	if err != nil {
		return err
	}
	defer form.close()
	f := form.fields
	f["bucket"] = r.bucket
	key, ok := f["key"]
	if !ok || key == "" {
		return ErrInvalidArgument.Errorf("Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.")
	}
	key = strings.ReplaceAll(key, "${filename}", form.filename)
	f["key"] = key
	if _, signed := f["policy"]; signed {
		ak, err := s.authenticatePost(f)
		if err != nil {
			return err
		}
		p, err := parsePostPolicy(f["policy"])
		if err != nil {
			return err
		}
		if err := p.check(f, time.Now()); err != nil {
			return err
		}
		if p.maxSize >= 0 && form.size > p.maxSize {
			return ErrEntityTooLarge
		}
		if p.maxSize >= 0 && form.size < p.minSize {
			return ErrEntityTooSmall
		}
		r.auth = &sigv4.Auth{AccessKey: ak}
		s.rememberKey(ak)
	}
	r.key = key
	if len(r.key) > 1024 {
		return ErrKeyTooLong
	}
	c, err := s.bucketConfOf(r)
	if err != nil {
		return err
	}
	h := http.Header{}
	for name, v := range f {
		switch {
		case name == "acl":
			h.Set("x-amz-acl", v)
		case name == "content-type", name == "cache-control", name == "content-disposition",
			name == "content-encoding", name == "expires", strings.HasPrefix(name, "x-amz-meta-"),
			strings.HasPrefix(name, hdrSSE):
			h.Set(name, v)
		case name == "tagging":
			var t tagging
			if xml.Unmarshal([]byte(v), &t) != nil {
				return ErrMalformedXML
			}
			if _, err := validTags(t.TagSet, maxObjectTags); err != nil {
				return err
			}
			q := url.Values{}
			for _, tg := range t.TagSet {
				q.Set(tg.Key, tg.Value)
			}
			h.Set("x-amz-tagging", q.Encode())
		}
	}
	if err := sseError(h, false); err != nil {
		return err
	}
	opts, err := putOptions(h)
	if err != nil {
		return err
	}
	aclReq := *r
	aclReq.Request = r.Request.Clone(r.Context())
	aclReq.Request.Header = h
	if opts.ACL, err = s.newObjectACL(&aclReq, c); err != nil {
		return err
	}
	if opts.Lock, err = newObjectLock(h, c.b); err != nil { // the bucket's default retention
		return err
	}
	if opts.KMSKeyID, err = s.kmsKeyOf(h, c.b); err != nil {
		return err
	}
	data := NewPutReader(form.file, form.size, nil)
	for _, alg := range checksumAlgorithms {
		if v, ok := f[checksumHeader(alg)]; ok {
			if err := checkEncoding(alg, v); err != nil {
				return err
			}
			data.sums = append(data.sums, &checksum{alg: alg, h: newChecksum(alg), want: func() (string, bool) { return v, true }})
		}
	}
	data.sums = withDefaultChecksum(data.sums)
	info, err := s.Layer.PutObject(r.Context(), r.bucket, r.key, data, opts)
	if err != nil {
		return err
	}
	announceSSE(r.w.Header(), info.SSECustomerKeyMD5, info.SSEKMSKeyID)
	setWriteVersionHeader(r, info)
	etag := `"` + info.ETag + `"`
	r.w.Header().Set("ETag", etag)
	setChecksumHeaders(r.w.Header(), info.Checksums)
	location := s.objectURL(r)
	r.w.Header().Set("Location", location)
	if redirect := f["success_action_redirect"]; redirect != "" {
		if u, err := url.Parse(redirect); err == nil && u.Scheme != "" {
			sep := "?"
			if u.RawQuery != "" {
				sep = "&"
			}
			r.w.Header().Set("Location", redirect+sep+"bucket="+url.QueryEscape(r.bucket)+
				"&key="+url.QueryEscape(r.key)+"&etag="+url.QueryEscape(etag))
			return writeEmpty(r, http.StatusSeeOther)
		}
	}
	switch f["success_action_status"] {
	case "200":
		return writeEmpty(r, http.StatusOK)
	case "201":
		out, err := xml.Marshal(postResponse{Location: location, Bucket: r.bucket, Key: r.key, ETag: etag})
		if err != nil {
			return err
		}
		r.w.Header().Set("Content-Type", "application/xml")
		r.status = http.StatusCreated
		r.w.WriteHeader(http.StatusCreated)
		if _, err := r.w.Write(append([]byte(xml.Header), out...)); err != nil && !errors.Is(err, http.ErrHandlerTimeout) {
			s.Log.Debug("write POST response", "request_id", r.id, "err", err)
		}
		return nil
	}
	return writeEmpty(r, http.StatusNoContent)
}
