package gateway

// Invariants:
//   - Get/PutBucketAcl, Get/PutObjectAcl, the ownership controls and the
//     public access block are stored as bucket config documents or object
//     ACLs; this file only parses, checks and renders them.
//   - With BucketOwnerEnforced, ACLs can be read but not set (except to what
//     amounts to bucket-owner-full-control): AccessControlListNotSupported.
//   - With BlockPublicAcls, setting an ACL that grants to a public group is
//     AccessDenied.

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"strings"
)

// Errors of the ownership controls and public access block.
var (
	ErrOwnershipControlsNotFound = apiErr("OwnershipControlsNotFoundError", 404, "The bucket ownership controls were not found")
	ErrNoSuchPublicAccessBlock   = apiErr("NoSuchPublicAccessBlockConfiguration", 404, "The public access block configuration was not found")
)

// Object ownership settings.
const (
	ownershipWriter    = "ObjectWriter"
	ownershipPreferred = "BucketOwnerPreferred"
	ownershipEnforced  = "BucketOwnerEnforced"
)

func ownershipOf(doc []byte) string {
	switch v := string(doc); v {
	case ownershipPreferred, ownershipEnforced:
		return v
	}
	return ownershipWriter
}

// readBody reads a small request body whole (at most limit bytes), checking
// any Content-MD5 or x-amz-checksum-* sent with it.
func (s *Server) readBody(r *request, limit int64) ([]byte, error) {
	if r.ContentLength == 0 && r.Header.Get("X-Amz-Decoded-Content-Length") == "" {
		return nil, nil
	}
	if sizeOf(r) > limit {
		return nil, ErrMaxMessageLengthExceeded
	}
	data, err := s.putBody(r, "")
	if err != nil {
		return nil, err
	}
	return io.ReadAll(data)
}

func (s *Server) getBucketACL(r *request) error {
	c, err := s.bucketConfOf(r)
	if err != nil {
		return err
	}
	return writeXML(r, s.aclXML(c.acl))
}

// aclFromRequest reads the ACL a PutBucketAcl / PutObjectAcl asks for: from
// its headers, or from its AccessControlPolicy body.
func (s *Server) aclFromRequest(r *request, ownerID, ownerName, bucketOwnerID string) (aclDoc, error) {
	d, ok, err := s.requestACL(r.Header, ownerID, bucketOwnerID)
	if err != nil || ok {
		return d, err
	}
	body, err := s.readBody(r, 1<<20)
	if err != nil {
		return aclDoc{}, err
	}
	if len(body) == 0 {
		return aclDoc{}, ErrMalformedACL.Errorf("An ACL must be specified in the request body or with headers")
	}
	return s.parseACLBody(body, ownerID, ownerName)
}

// checkNewACL applies the bucket's ownership controls and public access
// block to an ACL about to be set.
func checkNewACL(c bucketConf, d aclDoc, canned string) error {
	if !c.aclsEnabled() && canned != "bucket-owner-full-control" {
		return ErrAccessControlListNotSupport
	}
	if d.public() && c.pab.BlockPublicAcls {
		return ErrAccessDenied
	}
	return nil
}

func (s *Server) putBucketACL(r *request) error {
	c, err := s.bucketConfOf(r)
	if err != nil {
		return err
	}
	d, err := s.aclFromRequest(r, c.ownerID, c.b.Owner, c.ownerID)
	if err != nil {
		return err
	}
	if err := checkNewACL(c, d, r.Header.Get("x-amz-acl")); err != nil {
		return err
	}
	if err := s.Layer.SetBucketConfig(r.Context(), r.bucket, cfgACL, d.encode()); err != nil {
		return err
	}
	return writeEmpty(r, http.StatusOK)
}

func (s *Server) getObjectACL(r *request) error {
	c, info, err := s.objectOf(r, "s3:GetObjectAcl")
	if err != nil {
		return err
	}
	setVersionHeader(r, info)
	return writeXML(r, s.aclXML(s.objectACLOf(c, info)))
}

func (s *Server) putObjectACL(r *request) error {
	c, info, err := s.objectOf(r, "s3:PutObjectAcl")
	if err != nil {
		return err
	}
	cur := s.objectACLOf(c, info)
	d, err := s.aclFromRequest(r, cur.OwnerID, cur.OwnerName, c.ownerID)
	if err != nil {
		return err
	}
	if err := checkNewACL(c, d, r.Header.Get("x-amz-acl")); err != nil {
		return err
	}
	if err := s.Layer.SetObjectACL(r.Context(), r.bucket, r.key, r.q.Get("versionId"), d.encode()); err != nil {
		return err
	}
	setVersionHeader(r, info)
	return writeEmpty(r, http.StatusOK)
}

type ownershipXML struct {
	XMLName xml.Name `xml:"OwnershipControls"`
	NS      string   `xml:"xmlns,attr,omitempty"`
	Rules   []struct {
		ObjectOwnership string
	} `xml:"Rule"`
}

func (s *Server) getOwnershipControls(r *request) error {
	b, err := s.bucketOf(r)
	if err != nil {
		return err
	}
	v, ok := b.Config[cfgOwnership]
	if !ok {
		return ErrOwnershipControlsNotFound
	}
	out := ownershipXML{NS: s3NS}
	out.Rules = append(out.Rules, struct{ ObjectOwnership string }{ownershipOf(v)})
	return writeXML(r, out)
}

// validOwnership checks an ObjectOwnership value.
func validOwnership(v string) bool {
	return v == ownershipWriter || v == ownershipPreferred || v == ownershipEnforced
}

func (s *Server) putOwnershipControls(r *request) error {
	c, err := s.bucketConfOf(r)
	if err != nil {
		return err
	}
	var in ownershipXML
	if err := s.readXML(r, 1<<16, &in); err != nil {
		return err
	}
	if len(in.Rules) != 1 || !validOwnership(in.Rules[0].ObjectOwnership) {
		return ErrMalformedXML
	}
	v := in.Rules[0].ObjectOwnership
	if v == ownershipEnforced && !c.acl.onlyOwner(c.ownerID) {
		return ErrInvalidBucketACLWithOwnershp
	}
	if err := s.Layer.SetBucketConfig(r.Context(), r.bucket, cfgOwnership, []byte(v)); err != nil {
		return err
	}
	return writeEmpty(r, http.StatusOK)
}

// publicAccessBlock is a bucket's PublicAccessBlockConfiguration.
type publicAccessBlock struct {
	XMLName               xml.Name `xml:"PublicAccessBlockConfiguration" json:"-"`
	NS                    string   `xml:"xmlns,attr,omitempty" json:"-"`
	BlockPublicAcls       bool
	IgnorePublicAcls      bool
	BlockPublicPolicy     bool
	RestrictPublicBuckets bool
}

func parsePAB(doc []byte) publicAccessBlock {
	var p publicAccessBlock
	if len(doc) > 0 {
		_ = json.Unmarshal(doc, &p) // a bad document blocks nothing; it was validated when stored
	}
	return p
}

func (s *Server) getPublicAccessBlock(r *request) error {
	b, err := s.bucketOf(r)
	if err != nil {
		return err
	}
	doc, ok := b.Config[cfgPAB]
	if !ok {
		return ErrNoSuchPublicAccessBlock
	}
	p := parsePAB(doc)
	p.NS = s3NS
	return writeXML(r, p)
}

func (s *Server) putPublicAccessBlock(r *request) error {
	if _, err := s.bucketOf(r); err != nil {
		return err
	}
	var p publicAccessBlock
	if err := s.readXML(r, 1<<16, &p); err != nil {
		return err
	}
	doc, err := json.Marshal(p)
	if err != nil {
		return err
	}
	if err := s.Layer.SetBucketConfig(r.Context(), r.bucket, cfgPAB, doc); err != nil {
		return err
	}
	return writeEmpty(r, http.StatusOK)
}

// bucketCreateConfig works out the config documents a CreateBucket asks
// for: its ACL (x-amz-acl / x-amz-grant-*), object ownership, Object Lock
// and location (the body's LocationConstraint, recorded and answered by
// GetBucketLocation; the data is where the Providers are either way).
func (s *Server) bucketCreateConfig(r *request) (map[string][]byte, error) {
	out := map[string][]byte{}
	ownerID := r.callerID()
	own := r.Header.Get("x-amz-object-ownership")
	if own != "" {
		if !validOwnership(own) {
			return nil, ErrInvalidArgument.Errorf("Invalid x-amz-object-ownership header: %s", truncateArg(own))
		}
		out[cfgOwnership] = []byte(own)
	}
	d, ok, err := s.requestACL(r.Header, ownerID, ownerID)
	if err != nil {
		return nil, err
	}
	if ok {
		canned := r.Header.Get("x-amz-acl")
		if own == ownershipEnforced && !(canned == "bucket-owner-full-control" || canned == "private" || d.onlyOwner(ownerID)) {
			return nil, ErrInvalidBucketACLWithOwnershp
		}
		out[cfgACL] = d.encode()
	}
	if strings.EqualFold(r.Header.Get("x-amz-bucket-object-lock-enabled"), "true") {
		out[cfgObjectLock] = objectLockEnabledDoc
	}
	if sizeOf(r) != 0 {
		var c createBucketXML
		if err := s.readXML(r, 64<<10, &c); err != nil {
			return nil, err
		}
		if c.Location != "" {
			out[cfgLocation] = []byte(c.Location)
		}
	}
	return out, nil
}

// createBucketXML is a CreateBucket request's body.
type createBucketXML struct {
	XMLName  xml.Name `xml:"CreateBucketConfiguration"`
	Location string   `xml:"LocationConstraint"`
}
