package gateway

// Object Lock: bucket configuration, per-version retention and legal hold.
//
// Invariants:
//   - A bucket has Object Lock iff its "object-lock" config document is
//     stored (at CreateBucket with x-amz-bucket-object-lock-enabled, or by
//     PutObjectLockConfiguration on a versioning-Enabled bucket); its
//     versioning is then Enabled for good (versioning.go).
//   - A version's lock is only ever changed through ObjectLayer.SetObjectLock,
//     whose check (retentionChange) runs atomically with every removal of the
//     version: COMPLIANCE retention is only ever extended; GOVERNANCE is
//     shortened, removed or changed in mode only with
//     x-amz-bypass-governance-retention: true.
//   - Object Lock requests on a bucket without it are InvalidRequest, as in S3.

import (
	"encoding/xml"
	"net/http"
	"strings"
	"time"
)

// Object Lock errors.
var (
	ErrObjectLockConfigurationNotFound = apiErr("ObjectLockConfigurationNotFoundError", 404, "Object Lock configuration does not exist for this bucket")
	ErrNoSuchObjectLockConfiguration   = apiErr("NoSuchObjectLockConfiguration", 404, "The specified object does not have a ObjectLock configuration")
	ErrInvalidRetentionPeriod          = apiErr("InvalidRetentionPeriod", 400, "The retention period must be a positive integer.")
	errNoBucketLock                    = ErrInvalidRequest.Errorf("Bucket is missing Object Lock Configuration")
)

const (
	lockGovernance = "GOVERNANCE"
	lockCompliance = "COMPLIANCE"
)

var objectLockEnabledDoc = []byte(`<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>`)

type defaultRetentionXML struct {
	Mode  string
	Days  *int `xml:",omitempty"`
	Years *int `xml:",omitempty"`
}

type objectLockXML struct {
	XMLName           xml.Name `xml:"ObjectLockConfiguration"`
	NS                string   `xml:"xmlns,attr,omitempty"`
	ObjectLockEnabled string
	Rule              *struct {
		DefaultRetention *defaultRetentionXML
	} `xml:",omitempty"`
}

func objectLockEnabled(b BucketInfo) bool { return len(b.Config[cfgObjectLock]) > 0 }

// lockConfig is a bucket's stored Object Lock configuration.
func lockConfig(b BucketInfo) (objectLockXML, bool) {
	var c objectLockXML
	doc := b.Config[cfgObjectLock]
	return c, len(doc) > 0 && xml.Unmarshal(doc, &c) == nil
}

func validMode(m string) bool { return m == lockGovernance || m == lockCompliance }

func (s *Server) getObjectLockConfiguration(r *request) error {
	b, err := s.bucketOf(r)
	if err != nil {
		return err
	}
	c, ok := lockConfig(b)
	if !ok {
		return ErrObjectLockConfigurationNotFound
	}
	c.NS = s3NS
	return writeXML(r, c)
}

func (s *Server) putObjectLockConfiguration(r *request) error {
	b, err := s.bucketOf(r)
	if err != nil {
		return err
	}
	var c objectLockXML
	if err := s.readXML(r, 1<<16, &c); err != nil {
		return err
	}
	if c.ObjectLockEnabled != "Enabled" {
		return ErrMalformedXML
	}
	if c.Rule != nil {
		d := c.Rule.DefaultRetention
		switch {
		case d == nil || !validMode(d.Mode) || (d.Days != nil) == (d.Years != nil):
			return ErrMalformedXML
		case d.Days != nil && *d.Days <= 0 || d.Years != nil && *d.Years <= 0:
			return ErrInvalidRetentionPeriod
		}
	}
	if !objectLockEnabled(b) && versioningStatus(b) != "Enabled" {
		return ErrInvalidBucketState.Errorf("Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration")
	}
	c.NS = ""
	doc, err := xml.Marshal(c)
	if err != nil {
		return err
	}
	if err := s.Layer.SetBucketConfig(r.Context(), r.bucket, cfgObjectLock, doc); err != nil {
		return err
	}
	return writeEmpty(r, http.StatusOK)
}

// parseRetainUntil parses an ISO 8601 retain-until date.
func parseRetainUntil(v string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, v)
	return t.UTC(), err == nil
}

// newObjectLock is the lock a write into bucket b asks for with its
// x-amz-object-lock-* headers, or else the bucket's default retention.
func newObjectLock(h http.Header, b BucketInfo) (ObjectLock, error) {
	mode, until, hold := h.Get("x-amz-object-lock-mode"), h.Get("x-amz-object-lock-retain-until-date"), h.Get("x-amz-object-lock-legal-hold")
	conf, enabled := lockConfig(b)
	if !enabled {
		if mode != "" || until != "" || hold != "" {
			return ObjectLock{}, errNoBucketLock
		}
		return ObjectLock{}, nil
	}
	var l ObjectLock
	switch {
	case (mode == "") != (until == ""):
		return l, ErrInvalidArgument.Errorf("x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied")
	case mode != "" && !validMode(mode):
		return l, ErrInvalidArgument.Errorf("Unknown wormMode directive.")
	case hold != "" && hold != "ON" && hold != "OFF":
		return l, ErrInvalidArgument.Errorf("Legal Hold must be either of 'ON' or 'OFF'")
	}
	l.LegalHold = hold == "ON"
	if mode != "" {
		t, ok := parseRetainUntil(until)
		if !ok {
			return l, ErrInvalidArgument.Errorf("The retain until date must be provided in ISO 8601 format")
		}
		if !t.After(time.Now()) {
			return l, ErrInvalidArgument.Errorf("The retain until date must be in the future!")
		}
		l.Mode, l.RetainUntil = mode, t
		return l, nil
	}
	if conf.Rule != nil && conf.Rule.DefaultRetention != nil {
		d := conf.Rule.DefaultRetention
		days, years := 0, 0
		if d.Days != nil {
			days = *d.Days
		}
		if d.Years != nil {
			years = *d.Years
		}
		l.Mode, l.RetainUntil = d.Mode, time.Now().UTC().AddDate(years, 0, days)
	}
	return l, nil
}

// setLockHeaders reports a version's lock on GET and HEAD.
func setLockHeaders(h http.Header, l ObjectLock) {
	if l.Mode != "" {
		h.Set("x-amz-object-lock-mode", l.Mode)
		h.Set("x-amz-object-lock-retain-until-date", l.RetainUntil.UTC().Format(iso8601))
	}
	if l.LegalHold {
		h.Set("x-amz-object-lock-legal-hold", "ON")
	}
}

type retentionXML struct {
	XMLName         xml.Name `xml:"Retention"`
	NS              string   `xml:"xmlns,attr,omitempty"`
	Mode            string   `xml:",omitempty"`
	RetainUntilDate string   `xml:",omitempty"`
}

type legalHoldXML struct {
	XMLName xml.Name `xml:"LegalHold"`
	NS      string   `xml:"xmlns,attr,omitempty"`
	Status  string
}

// lockedObject is objectOf for an Object Lock request: InvalidRequest on a
// bucket without Object Lock.
func (s *Server) lockedObject(r *request) (ObjectInfo, error) {
	c, err := s.bucketConfOf(r)
	if err != nil {
		return ObjectInfo{}, err
	}
	if !objectLockEnabled(c.b) {
		return ObjectInfo{}, errNoBucketLock
	}
	_, info, err := s.objectOf(r, r.rt.action)
	return info, err
}

func (s *Server) getObjectRetention(r *request) error {
	info, err := s.lockedObject(r)
	if err != nil {
		return err
	}
	if info.Lock.Mode == "" {
		return ErrNoSuchObjectLockConfiguration
	}
	setVersionHeader(r, info)
	return writeXML(r, retentionXML{NS: s3NS, Mode: info.Lock.Mode, RetainUntilDate: info.Lock.RetainUntil.UTC().Format(iso8601)})
}

// retentionChange decides whether a version's retention may go from cur
// to next at now.
func retentionChange(cur, next ObjectLock, bypass bool, now time.Time) error {
	if cur.Mode == "" || !now.Before(cur.RetainUntil) {
		return nil
	}
	extends := next.Mode == cur.Mode && !next.RetainUntil.Before(cur.RetainUntil)
	if extends || cur.Mode == lockGovernance && bypass {
		return nil
	}
	return ErrAccessDenied.Errorf("Access Denied because object protected by object lock.")
}

func (s *Server) putObjectRetention(r *request) error {
	if _, err := s.lockedObject(r); err != nil {
		return err
	}
	var x retentionXML
	if err := s.readXML(r, 1<<16, &x); err != nil {
		return err
	}
	var next ObjectLock
	if x.Mode != "" || x.RetainUntilDate != "" {
		t, ok := parseRetainUntil(x.RetainUntilDate)
		if !validMode(x.Mode) || !ok {
			return ErrMalformedXML
		}
		if !t.After(time.Now()) {
			return ErrInvalidArgument.Errorf("The retain until date must be in the future!")
		}
		next.Mode, next.RetainUntil = x.Mode, t
	}
	bypass := strings.EqualFold(r.Header.Get("x-amz-bypass-governance-retention"), "true")
	info, err := s.Layer.SetObjectLock(r.Context(), r.bucket, r.key, r.q.Get("versionId"), func(cur ObjectLock) (ObjectLock, error) {
		if err := retentionChange(cur, next, bypass, time.Now()); err != nil {
			return cur, err
		}
		next.LegalHold = cur.LegalHold
		return next, nil
	})
	if err != nil {
		return err
	}
	setVersionHeader(r, info)
	return writeEmpty(r, http.StatusOK)
}

func (s *Server) getObjectLegalHold(r *request) error {
	info, err := s.lockedObject(r)
	if err != nil {
		return err
	}
	status := "OFF"
	if info.Lock.LegalHold {
		status = "ON"
	}
	setVersionHeader(r, info)
	return writeXML(r, legalHoldXML{NS: s3NS, Status: status})
}

func (s *Server) putObjectLegalHold(r *request) error {
	if _, err := s.lockedObject(r); err != nil {
		return err
	}
	var x legalHoldXML
	if err := s.readXML(r, 1<<16, &x); err != nil {
		return err
	}
	if x.Status != "ON" && x.Status != "OFF" {
		return ErrMalformedXML
	}
	info, err := s.Layer.SetObjectLock(r.Context(), r.bucket, r.key, r.q.Get("versionId"), func(cur ObjectLock) (ObjectLock, error) {
		cur.LegalHold = x.Status == "ON"
		return cur, nil
	})
	if err != nil {
		return err
	}
	setVersionHeader(r, info)
	return writeEmpty(r, http.StatusOK)
}
