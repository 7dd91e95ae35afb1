package gateway

// Invariants:
//   - A stored bucket policy parsed when it was put: every statement has an
//     Effect (Allow/Deny), a Principal or NotPrincipal, an Action or
//     NotAction of s3: actions, and Resources of this bucket; conditions use
//     only the operators condOps knows. Anything else is MalformedPolicy.
//   - evaluate returns effectDeny if any matching statement denies, else
//     effectAllow if any allows, else effectNone; a condition on a key the
//     request lacks does not hold (the ...IfExists forms do).
//   - A policy is public if an Allow statement has Principal "*" and no
//     condition that narrows its callers (aws:SourceIp, aws:SourceArn, ...).

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// Bucket policy errors.
var (
	ErrMalformedPolicy    = apiErr("MalformedPolicy", 400, "Policies must be valid JSON and the first byte must be '{'")
	ErrNoSuchBucketPolicy = apiErr("NoSuchBucketPolicy", 404, "The bucket policy does not exist")
)

type effect int

const (
	effectNone effect = iota
	effectAllow
	effectDeny
)

// stringList is a JSON string or array of strings.
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*l = []string{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("want a string or a list of strings: %w", err)
	}
	*l = many
	return nil
}

// principal is "*" or {"AWS": ..., "CanonicalUser": ...}.
type principal struct {
	any bool
	ids []string
}

func (p *principal) UnmarshalJSON(b []byte) error {
	var star string
	if err := json.Unmarshal(b, &star); err == nil {
		if star != "*" {
			return fmt.Errorf("principal %q is not \"*\"", star)
		}
		p.any = true
		return nil
	}
	var m map[string]stringList
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("principal: %w", err)
	}
	for k, v := range m {
		if k != "AWS" && k != "CanonicalUser" {
			return fmt.Errorf("principal type %q is not supported", k)
		}
		for _, id := range v {
			if id == "*" {
				p.any = true
			}
			p.ids = append(p.ids, id)
		}
	}
	return nil
}

// matches reports whether the caller (access key, canonical id; "" for
// anonymous) is the principal.
func (p *principal) matches(caller, callerID string) bool {
	if p.any {
		return true
	}
	if caller == "" {
		return false
	}
	for _, id := range p.ids {
		// arn:aws:iam::<account>:root and :user/<name> name an account.
		acct := id
		if rest, ok := strings.CutPrefix(id, "arn:aws:iam::"); ok {
			acct, _, _ = strings.Cut(rest, ":")
			if _, user, ok := strings.Cut(rest, ":user/"); ok && user == caller {
				return true
			}
		}
		if acct == callerID || acct == caller {
			return true
		}
	}
	return false
}

type statement struct {
	Sid          string
	Effect       string
	Principal    *principal
	NotPrincipal *principal
	Action       stringList
	NotAction    stringList
	Resource     stringList
	NotResource  stringList
	Condition    map[string]map[string]stringList
}

// policyDoc is a parsed bucket policy.
type policyDoc struct {
	Version   string
	ID        string `json:"Id"`
	Statement []statement
}

// condOps are the condition operators evaluated.
var condOps = map[string]bool{"StringEquals": true, "StringNotEquals": true, "StringEqualsIgnoreCase": true,
	"StringNotEqualsIgnoreCase": true, "StringLike": true, "StringNotLike": true, "Bool": true, "IpAddress": true,
	"NotIpAddress": true, "NumericEquals": true, "NumericNotEquals": true, "NumericLessThan": true,
	"NumericLessThanEquals": true, "NumericGreaterThan": true, "NumericGreaterThanEquals": true, "ArnEquals": true,
	"ArnLike": true, "ArnNotEquals": true, "ArnNotLike": true, "Null": true}

// parsePolicy parses and validates a policy for bucket.
func parsePolicy(doc []byte, bucket string) (*policyDoc, error) {
	doc = bytes.TrimSpace(doc)
	if len(doc) == 0 || doc[0] != '{' {
		return nil, ErrMalformedPolicy
	}
	var raw struct {
		Version   string
		ID        string `json:"Id"`
		Statement json.RawMessage
	}
	if err := json.Unmarshal(doc, &raw); err != nil {
		return nil, ErrMalformedPolicy.Errorf("Policies must be valid JSON: %v", err)
	}
	if raw.Version != "" && raw.Version != "2012-10-17" && raw.Version != "2008-10-17" {
		return nil, ErrMalformedPolicy.Errorf("Policy has invalid version")
	}
	p := &policyDoc{Version: raw.Version, ID: raw.ID}
	if len(raw.Statement) == 0 {
		return nil, ErrMalformedPolicy.Errorf("Missing required field Statement")
	}
	if raw.Statement[0] == '{' {
		var st statement
		if err := json.Unmarshal(raw.Statement, &st); err != nil {
			return nil, ErrMalformedPolicy.Errorf("Invalid statement: %v", err)
		}
		p.Statement = []statement{st}
	} else if err := json.Unmarshal(raw.Statement, &p.Statement); err != nil {
		return nil, ErrMalformedPolicy.Errorf("Invalid statement: %v", err)
	}
	if len(p.Statement) == 0 {
		return nil, ErrMalformedPolicy.Errorf("Missing required field Statement")
	}
	for _, st := range p.Statement {
		if err := st.validate(bucket); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (st *statement) validate(bucket string) error {
	if st.Effect != "Allow" && st.Effect != "Deny" {
		return ErrMalformedPolicy.Errorf("Invalid effect: %s", truncateArg(st.Effect))
	}
	if (st.Principal == nil) == (st.NotPrincipal == nil) {
		return ErrMalformedPolicy.Errorf("Missing required field Principal")
	}
	if st.NotPrincipal != nil && st.Effect == "Allow" {
		return ErrMalformedPolicy.Errorf("NotPrincipal is only allowed with Deny")
	}
	if (len(st.Action) == 0) == (len(st.NotAction) == 0) {
		return ErrMalformedPolicy.Errorf("Missing required field Action")
	}
	for _, a := range append(append([]string{}, st.Action...), st.NotAction...) {
		if a != "*" && !strings.HasPrefix(strings.ToLower(a), "s3:") {
			return ErrMalformedPolicy.Errorf("Policy has invalid action")
		}
	}
	if (len(st.Resource) == 0) == (len(st.NotResource) == 0) {
		return ErrMalformedPolicy.Errorf("Missing required field Resource")
	}
	for _, res := range append(append([]string{}, st.Resource...), st.NotResource...) {
		rest, ok := strings.CutPrefix(res, "arn:aws:s3:::")
		b, _, _ := strings.Cut(rest, "/")
		if res != "*" && (!ok || !wildMatch(b, bucket)) {
			return ErrMalformedPolicy.Errorf("Policy has invalid resource")
		}
	}
	for op := range st.Condition {
		if !condOps[strings.TrimSuffix(op, "IfExists")] {
			return ErrMalformedPolicy.Errorf("Invalid Condition type : %s", truncateArg(op))
		}
	}
	return nil
}

// wildMatch matches s against a pattern with * and ? wildcards.
func wildMatch(pattern, s string) bool {
	if !strings.ContainsAny(pattern, "*?") {
		return pattern == s
	}
	// path.Match treats '/' specially; IAM wildcards do not.
	const sep = "\x00"
	ok, err := path.Match(strings.ReplaceAll(escapeBrackets(pattern), "/", sep), strings.ReplaceAll(s, "/", sep))
	return err == nil && ok
}

// escapeBrackets quotes the characters path.Match gives a meaning IAM does
// not: [ ] and \.
func escapeBrackets(p string) string {
	return strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`).Replace(p)
}

func anyMatch(patterns []string, s string, fold bool) bool {
	for _, p := range patterns {
		if fold {
			p, s = strings.ToLower(p), strings.ToLower(s)
		}
		if wildMatch(p, s) {
			return true
		}
	}
	return false
}

// condContext gives condition keys' values for a request.
type condContext func(key string) (string, bool)

// evaluate decides what the policy says about a request.
func (p *policyDoc) evaluate(caller, callerID, action, resource string, cond condContext) effect {
	out := effectNone
	for i := range p.Statement {
		st := &p.Statement[i]
		if st.Principal != nil && !st.Principal.matches(caller, callerID) ||
			st.NotPrincipal != nil && st.NotPrincipal.matches(caller, callerID) {
			continue
		}
		if len(st.Action) > 0 && !anyMatch(st.Action, action, true) ||
			len(st.NotAction) > 0 && anyMatch(st.NotAction, action, true) {
			continue
		}
		if len(st.Resource) > 0 && !anyMatch(st.Resource, resource, false) ||
			len(st.NotResource) > 0 && anyMatch(st.NotResource, resource, false) {
			continue
		}
		if !st.conditionsHold(cond) {
			continue
		}
		if st.Effect == "Deny" {
			return effectDeny
		}
		out = effectAllow
	}
	return out
}

func (st *statement) conditionsHold(cond condContext) bool {
	for op, kv := range st.Condition {
		base, ifExists := strings.CutSuffix(op, "IfExists")
		for key, want := range kv {
			v, ok := cond(key)
			if base == "Null" {
				if (len(want) > 0 && want[0] == "true") == ok {
					return false
				}
				continue
			}
			if !ok {
				if ifExists {
					continue
				}
				return false
			}
			if !condHolds(base, v, want) {
				return false
			}
		}
	}
	return true
}

func condHolds(op, v string, want []string) bool {
	switch op {
	case "StringEquals", "ArnEquals":
		return anyEqual(want, v, false)
	case "StringNotEquals", "ArnNotEquals":
		return !anyEqual(want, v, false)
	case "StringEqualsIgnoreCase":
		return anyEqual(want, v, true)
	case "StringNotEqualsIgnoreCase":
		return !anyEqual(want, v, true)
	case "StringLike", "ArnLike":
		return anyMatch(want, v, false)
	case "StringNotLike", "ArnNotLike":
		return !anyMatch(want, v, false)
	case "Bool":
		return anyEqual(want, v, true)
	case "IpAddress", "NotIpAddress":
		in := false
		ip := net.ParseIP(v)
		for _, w := range want {
			if _, n, err := net.ParseCIDR(w); err == nil && ip != nil && n.Contains(ip) {
				in = true
			} else if wip := net.ParseIP(w); wip != nil && wip.Equal(ip) {
				in = true
			}
		}
		return in == (op == "IpAddress")
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return false
	}
	for _, w := range want {
		y, err := strconv.ParseFloat(w, 64)
		if err != nil {
			continue
		}
		if op == "NumericEquals" && x == y || op == "NumericNotEquals" && x != y || op == "NumericLessThan" && x < y ||
			op == "NumericLessThanEquals" && x <= y || op == "NumericGreaterThan" && x > y ||
			op == "NumericGreaterThanEquals" && x >= y {
			return true
		}
	}
	return false
}

func anyEqual(want []string, v string, fold bool) bool {
	for _, w := range want {
		if w == v || fold && strings.EqualFold(w, v) {
			return true
		}
	}
	return false
}

// narrowingKeys are condition keys that restrict who a statement applies to.
var narrowingKeys = []string{"aws:sourceip", "aws:sourcearn", "aws:sourceaccount", "aws:sourcevpc",
	"aws:sourcevpce", "aws:principalaccount", "aws:principalarn", "aws:userid", "aws:username", "aws:principalorgid"}

// public reports whether the policy allows anyone at all.
func (p *policyDoc) public() bool {
	for _, st := range p.Statement {
		if st.Effect != "Allow" || st.Principal == nil || !st.Principal.any {
			continue
		}
		narrowed := false
		for _, kv := range st.Condition {
			for k := range kv {
				for _, n := range narrowingKeys {
					if strings.EqualFold(k, n) {
						narrowed = true
					}
				}
			}
		}
		if !narrowed {
			return true
		}
	}
	return false
}

// requestConditions returns the condition keys of r (names are matched
// case-insensitively, tag keys after the '/' exactly).
func (s *Server) requestConditions(r *request) condContext {
	var objTags map[string]string
	loaded := false
	return func(name string) (string, bool) {
		key := strings.ToLower(name)
		hv := func(name string) (string, bool) {
			v := r.Header.Get(name)
			return v, v != ""
		}
		qv := func(name string) (string, bool) {
			v, ok := r.q[name]
			if !ok {
				return "", false
			}
			return v[0], true
		}
		switch key {
		case "aws:referer":
			return hv("Referer")
		case "aws:useragent":
			return hv("User-Agent")
		case "aws:securetransport":
			return strconv.FormatBool(r.TLS != nil), true
		case "aws:sourceip":
			host, _, err := net.SplitHostPort(r.RemoteAddr)
			return host, err == nil
		case "aws:username", "aws:userid":
			return r.caller(), r.caller() != ""
		case "s3:prefix":
			return qv("prefix")
		case "s3:delimiter":
			return qv("delimiter")
		case "s3:max-keys":
			return qv("max-keys")
		case "s3:x-amz-acl":
			return hv("x-amz-acl")
		case "s3:x-amz-copy-source":
			return hv("x-amz-copy-source")
		case "s3:x-amz-server-side-encryption", "s3:x-amz-server-side-encryption-customer-algorithm",
			"s3:x-amz-server-side-encryption-aws-kms-key-id":
			return hv(key[len("s3:"):])
		case "s3:x-amz-metadata-directive":
			return hv("x-amz-metadata-directive")
		case "s3:versionid":
			return qv("versionId")
		}
		if strings.HasPrefix(key, "s3:requestobjecttag/") {
			tags, err := headerTags(r.Header.Get("x-amz-tagging"))
			if err != nil {
				return "", false
			}
			v, ok := tags[name[len("s3:requestobjecttag/"):]]
			return v, ok
		}
		if strings.HasPrefix(key, "s3:existingobjecttag/") && r.key != "" {
			if !loaded {
				loaded = true
				if info, err := s.Layer.ObjectInfo(r.Context(), r.bucket, r.key, r.q.Get("versionId")); err == nil {
					objTags = info.Tags
				}
			}
			v, ok := objTags[name[len("s3:existingobjecttag/"):]]
			return v, ok
		}
		if h, ok := strings.CutPrefix(key, "s3:x-amz-grant-"); ok {
			return hv("x-amz-grant-" + h)
		}
		return "", false
	}
}

func (s *Server) getBucketPolicy(r *request) error {
	b, err := s.bucketOf(r)
	if err != nil {
		return err
	}
	doc, ok := b.Config[cfgPolicy]
	if !ok {
		return ErrNoSuchBucketPolicy
	}
	r.w.Header().Set("Content-Type", "application/json")
	r.w.Header().Set("Content-Length", strconv.Itoa(len(doc)))
	r.status = http.StatusOK
	r.w.WriteHeader(http.StatusOK)
	_, err = r.w.Write(doc)
	if err != nil {
		s.Log.Debug("write bucket policy", "request_id", r.id, "err", err)
	}
	return nil
}

// maxPolicySize is S3's bucket policy limit.
const maxPolicySize = 20 << 10

func (s *Server) putBucketPolicy(r *request) error {
	c, err := s.bucketConfOf(r)
	if err != nil {
		return err
	}
	doc, err := s.readBody(r, maxPolicySize)
	if err != nil {
		return err
	}
	p, err := parsePolicy(doc, r.bucket)
	if err != nil {
		return err
	}
	if c.pab.BlockPublicPolicy && p.public() {
		return ErrAccessDenied
	}
	if err := s.Layer.SetBucketConfig(r.Context(), r.bucket, cfgPolicy, doc); err != nil {
		return err
	}
	return writeEmpty(r, http.StatusNoContent)
}

func (s *Server) getBucketPolicyStatus(r *request) error {
	c, err := s.bucketConfOf(r)
	if err != nil {
		return err
	}
	type status struct {
		XMLName  xml.Name `xml:"PolicyStatus"`
		NS       string   `xml:"xmlns,attr"`
		IsPublic bool
	}
	public := c.policy != nil && c.policy.public() || c.acl.public()
	return writeXML(r, status{NS: s3NS, IsPublic: public})
}
