package gateway

// Invariants:
//   - A stored lifecycle document is a LifecycleConfiguration that
//     validated: 1..1000 rules with unique IDs of at most 255 characters
//     (a rule sent without one gets a random ID), Status Enabled or
//     Disabled, at most one of a rule-level Prefix and a Filter, a Filter
//     naming at most one condition (And combines several), at least one
//     action, and positive day counts and midnight-UTC dates.
//   - A document is stored as the client's rules, re-encoded: a GET returns
//     what a PUT set (legacy rule-level Prefix kept as such).
//   - Transitions are accepted and kept but change nothing: every object is
//     erasure coded over Providers the same way (storage classes are not
//     kept). Expirations and aborts are carried out by Lifecycle
//     (lifecycle_run.go).
//   - An object's expiry is its ModTime plus the rule's days rounded up to
//     the next midnight UTC, as S3 computes it, unless the Server's day is
//     shortened (tests): then ModTime plus days × day, unrounded.

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"time"
)

const cfgLifecycle = "lifecycle"

// ErrNoSuchLifecycleConfiguration answers a GET of a bucket without rules.
var ErrNoSuchLifecycleConfiguration = apiErr("NoSuchLifecycleConfiguration", 404, "The lifecycle configuration does not exist")

const (
	maxLifecycleRules = 1000
	maxLifecycleID    = 255
	maxLifecycleBody  = 1 << 20
)

type lifecycleConfig struct {
	XMLName xml.Name        `xml:"LifecycleConfiguration"`
	NS      string          `xml:"xmlns,attr,omitempty"`
	Rules   []lifecycleRule `xml:"Rule"`
}

type lifecycleRule struct {
	ID                             string                    `xml:"ID,omitempty"`
	Prefix                         *string                   `xml:"Prefix"`
	Filter                         *lifecycleFilter          `xml:"Filter"`
	Status                         string                    `xml:"Status"`
	Expiration                     *lifecycleExpiration      `xml:"Expiration"`
	Transitions                    []lifecycleTransition     `xml:"Transition"`
	NoncurrentVersionTransitions   []lifecycleTransition     `xml:"NoncurrentVersionTransition"`
	NoncurrentVersionExpiration    *lifecycleNoncurrent      `xml:"NoncurrentVersionExpiration"`
	AbortIncompleteMultipartUpload *lifecycleAbortIncomplete `xml:"AbortIncompleteMultipartUpload"`
}

type lifecycleFilter struct {
	Prefix                *string       `xml:"Prefix"`
	Tag                   *lifecycleTag `xml:"Tag"`
	ObjectSizeGreaterThan *int64        `xml:"ObjectSizeGreaterThan"`
	ObjectSizeLessThan    *int64        `xml:"ObjectSizeLessThan"`
	And                   *lifecycleAnd `xml:"And"`
}

type lifecycleAnd struct {
	Prefix                *string        `xml:"Prefix"`
	Tags                  []lifecycleTag `xml:"Tag"`
	ObjectSizeGreaterThan *int64         `xml:"ObjectSizeGreaterThan"`
	ObjectSizeLessThan    *int64         `xml:"ObjectSizeLessThan"`
}

type lifecycleTag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

type lifecycleExpiration struct {
	Days                      *int   `xml:"Days"`
	Date                      string `xml:"Date,omitempty"`
	ExpiredObjectDeleteMarker *bool  `xml:"ExpiredObjectDeleteMarker"`
}

type lifecycleTransition struct {
	Days                    *int   `xml:"Days"`
	Date                    string `xml:"Date,omitempty"`
	NoncurrentDays          *int   `xml:"NoncurrentDays"`
	NewerNoncurrentVersions *int   `xml:"NewerNoncurrentVersions"`
	StorageClass            string `xml:"StorageClass"`
}

type lifecycleNoncurrent struct {
	NoncurrentDays          *int `xml:"NoncurrentDays"`
	NewerNoncurrentVersions *int `xml:"NewerNoncurrentVersions"`
}

type lifecycleAbortIncomplete struct {
	DaysAfterInitiation *int `xml:"DaysAfterInitiation"`
}

// parseLifecycle decodes a stored document (nil if none or unreadable).
func parseLifecycle(doc []byte) *lifecycleConfig {
	if len(doc) == 0 {
		return nil
	}
	var c lifecycleConfig
	if xml.Unmarshal(doc, &c) != nil {
		return nil
	}
	return &c
}

// validate checks c as S3 does and gives rules without an ID one.
func (c *lifecycleConfig) validate() error {
	if len(c.Rules) == 0 || len(c.Rules) > maxLifecycleRules {
		return ErrMalformedXML
	}
	ids := map[string]bool{}
	for i := range c.Rules {
		rule := &c.Rules[i]
		if rule.ID == "" {
			rule.ID = randomRuleID()
		}
		if len(rule.ID) > maxLifecycleID {
			return ErrInvalidArgument.Errorf("ID length should not exceed allowed limit of %d", maxLifecycleID)
		}
		if ids[rule.ID] {
			return ErrInvalidArgument.Errorf("Rule ID must be unique. Found same ID for more than one rule")
		}
		ids[rule.ID] = true
		if err := rule.validate(); err != nil {
			return err
		}
	}
	return nil
}

func randomRuleID() string {
	b := make([]byte, 15)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.EncodeToString(b))
}

func (rule *lifecycleRule) validate() error {
	if rule.Status != "Enabled" && rule.Status != "Disabled" {
		return ErrMalformedXML
	}
	if rule.Prefix != nil && rule.Filter != nil {
		return ErrMalformedXML
	}
	if err := rule.Filter.validate(); err != nil {
		return err
	}
	if rule.Expiration == nil && rule.NoncurrentVersionExpiration == nil && rule.AbortIncompleteMultipartUpload == nil &&
		len(rule.Transitions) == 0 && len(rule.NoncurrentVersionTransitions) == 0 {
		return ErrInvalidRequest.Errorf("At least one action needs to be specified in a rule")
	}
	if err := rule.Expiration.validate(rule.hasTags()); err != nil {
		return err
	}
	if n := rule.NoncurrentVersionExpiration; n != nil {
		if err := positiveDays("NoncurrentDays", "NoncurrentVersionExpiration", n.NoncurrentDays, true); err != nil {
			return err
		}
		if v := n.NewerNoncurrentVersions; v != nil && (*v < 1 || *v > 100) {
			return ErrInvalidArgument.Errorf("'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must be an integer between 1 and 100")
		}
	}
	if a := rule.AbortIncompleteMultipartUpload; a != nil {
		if rule.hasTags() {
			return ErrInvalidRequest.Errorf("AbortIncompleteMultipartUpload cannot be specified with Tags.")
		}
		if err := positiveDays("DaysAfterInitiation", "AbortIncompleteMultipartUpload", a.DaysAfterInitiation, true); err != nil {
			return err
		}
	}
	for _, t := range rule.Transitions {
		if err := t.validate(false); err != nil {
			return err
		}
	}
	for _, t := range rule.NoncurrentVersionTransitions {
		if err := t.validate(true); err != nil {
			return err
		}
	}
	return nil
}

func (f *lifecycleFilter) validate() error {
	if f == nil {
		return nil
	}
	n := 0
	for _, set := range []bool{f.Prefix != nil, f.Tag != nil, f.ObjectSizeGreaterThan != nil, f.ObjectSizeLessThan != nil, f.And != nil} {
		if set {
			n++
		}
	}
	if n > 1 {
		return ErrMalformedXML
	}
	if f.Tag != nil && f.Tag.Key == "" {
		return ErrInvalidArgument.Errorf("Tag keys must not be empty")
	}
	if a := f.And; a != nil {
		seen := map[string]bool{}
		for _, t := range a.Tags {
			if t.Key == "" || seen[t.Key] {
				return ErrInvalidArgument.Errorf("Duplicate or empty Tag Keys are not allowed")
			}
			seen[t.Key] = true
		}
	}
	lo, hi := f.sizes()
	if lo != nil && hi != nil && *hi <= *lo {
		return ErrInvalidArgument.Errorf("ObjectSizeLessThan must be greater than ObjectSizeGreaterThan")
	}
	return nil
}

func (e *lifecycleExpiration) validate(tagged bool) error {
	if e == nil {
		return nil
	}
	n := 0
	for _, set := range []bool{e.Days != nil, e.Date != "", e.ExpiredObjectDeleteMarker != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return ErrMalformedXML
	}
	if e.ExpiredObjectDeleteMarker != nil && *e.ExpiredObjectDeleteMarker && tagged {
		return ErrInvalidRequest.Errorf("ExpiredObjectDeleteMarker cannot be specified with Tags.")
	}
	if e.Date != "" {
		_, err := lifecycleDate(e.Date)
		return err
	}
	if e.Days != nil {
		return positiveDays("Days", "Expiration", e.Days, true)
	}
	return nil
}

func (t lifecycleTransition) validate(noncurrent bool) error {
	if t.StorageClass == "" || t.StorageClass == "STANDARD" || !storageClasses[t.StorageClass] {
		return ErrInvalidStorageClass
	}
	if noncurrent {
		return positiveDays("NoncurrentDays", "NoncurrentVersionTransition", t.NoncurrentDays, false)
	}
	if (t.Days != nil) == (t.Date != "") {
		return ErrMalformedXML
	}
	if t.Date != "" {
		_, err := lifecycleDate(t.Date)
		return err
	}
	return positiveDays("Days", "Transition", t.Days, false)
}

// positiveDays checks a day count: present, and above 0 (or at least 0
// when !strict, as for transitions).
func positiveDays(field, action string, days *int, strict bool) error {
	if days == nil {
		return ErrMalformedXML
	}
	if *days < 0 || (strict && *days == 0) {
		return ErrInvalidArgument.Errorf("'%s' for %s action must be a positive integer", field, action)
	}
	return nil
}

// lifecycleDate parses a rule's Date: ISO 8601 at midnight UTC.
func lifecycleDate(v string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		t, err := time.Parse(layout, v)
		if err != nil {
			continue
		}
		t = t.UTC()
		if !t.Equal(t.Truncate(24 * time.Hour)) {
			break
		}
		return t, nil
	}
	return time.Time{}, ErrInvalidArgument.Errorf("'Date' must be at midnight GMT")
}

func (rule *lifecycleRule) hasTags() bool {
	f := rule.Filter
	return f != nil && (f.Tag != nil || (f.And != nil && len(f.And.Tags) > 0))
}

// sizes returns the filter's size bounds (nil: none).
func (f *lifecycleFilter) sizes() (greater, less *int64) {
	if f.And != nil {
		return f.And.ObjectSizeGreaterThan, f.And.ObjectSizeLessThan
	}
	return f.ObjectSizeGreaterThan, f.ObjectSizeLessThan
}

// prefix is the key prefix the rule applies to.
func (rule *lifecycleRule) prefix() string {
	switch f := rule.Filter; {
	case rule.Prefix != nil:
		return *rule.Prefix
	case f == nil:
		return ""
	case f.Prefix != nil:
		return *f.Prefix
	case f.And != nil && f.And.Prefix != nil:
		return *f.And.Prefix
	}
	return ""
}

// matches reports whether an enabled rule applies to an object (its key,
// size and tags; tags nil when unknown and needed: see needsTags).
func (rule *lifecycleRule) matches(key string, size int64, tags map[string]string) bool {
	if rule.Status != "Enabled" || !strings.HasPrefix(key, rule.prefix()) {
		return false
	}
	f := rule.Filter
	if f == nil {
		return true
	}
	if lo, hi := f.sizes(); (lo != nil && size <= *lo) || (hi != nil && size >= *hi) {
		return false
	}
	want := []lifecycleTag{}
	if f.Tag != nil {
		want = append(want, *f.Tag)
	} else if f.And != nil {
		want = f.And.Tags
	}
	for _, t := range want {
		if v, ok := tags[t.Key]; !ok || v != t.Value {
			return false
		}
	}
	return true
}

// after is the time days lifecycle days after t: rounded up to the next
// midnight UTC for real days (S3's rule), exact for a shortened day.
func after(t time.Time, days int, day time.Duration) time.Time {
	if day > 0 && day != 24*time.Hour {
		return t.Add(time.Duration(days) * day)
	}
	end := t.UTC().Add(time.Duration(days) * 24 * time.Hour)
	mid := end.Truncate(24 * time.Hour)
	if mid.Equal(end) {
		return mid
	}
	return mid.Add(24 * time.Hour)
}

// expiry is when the current version info expires under c's rules, and
// the rule's ID; ok=false if no Expiration rule applies.
func (c *lifecycleConfig) expiry(info ObjectInfo, day time.Duration) (at time.Time, id string, ok bool) {
	for i := range c.Rules {
		rule := &c.Rules[i]
		e := rule.Expiration
		if e == nil || (e.Days == nil && e.Date == "") || !rule.matches(info.Key, info.Size, info.Tags) {
			continue
		}
		var t time.Time
		if e.Days != nil {
			t = after(info.ModTime, *e.Days, day)
		} else if d, err := lifecycleDate(e.Date); err == nil {
			t = d
		} else {
			continue
		}
		if !ok || t.Before(at) {
			at, id, ok = t, rule.ID, true
		}
	}
	return at, id, ok
}

// setExpirationHeader announces, on a PUT, GET or HEAD of an object's
// current version info, when the bucket's rules expire it
// (x-amz-expiration). A read naming a version gets none.
func (s *Server) setExpirationHeader(r *request, b BucketInfo, info ObjectInfo) {
	if info.DeleteMarker || r.q.Has("versionId") {
		return
	}
	c := parseLifecycle(b.Config[cfgLifecycle])
	if c == nil {
		return
	}
	if at, id, ok := c.expiry(info, s.LifecycleDay); ok {
		r.w.Header().Set("x-amz-expiration", fmt.Sprintf(`expiry-date="%s", rule-id="%s"`, at.UTC().Format(http.TimeFormat), id))
	}
}

func (s *Server) getBucketLifecycle(r *request) error {
	b, err := s.bucketOf(r)
	if err != nil {
		return err
	}
	c := parseLifecycle(b.Config[cfgLifecycle])
	if c == nil {
		return ErrNoSuchLifecycleConfiguration
	}
	c.NS = s3NS
	return writeXML(r, c)
}

func (s *Server) putBucketLifecycle(r *request) error {
	if _, err := s.bucketOf(r); err != nil {
		return err
	}
	if !hasBodyDigest(r.Header) {
		return ErrInvalidRequest.Errorf("Missing required header for this request: Content-MD5")
	}
	var c lifecycleConfig
	if err := s.readXML(r, maxLifecycleBody, &c); err != nil {
		return err
	}
	if err := c.validate(); err != nil {
		return err
	}
	c.NS = ""
	return s.storeConfig(r, cfgLifecycle, c)
}
