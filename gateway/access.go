package gateway

// Invariants:
//   - Every access key has one canonical id, hex SHA-256 of the key id, and a
//     display name (the key id); buckets record their owner's key id.
//   - An access decision is, in order: an explicit Deny of the bucket policy
//     refuses; the resource's owner is allowed (the bucket owner for bucket
//     operations and writes; the object owner for object reads); an Allow
//     of the bucket policy allows; an ACL grant allows (unless ACLs are
//     disabled by BucketOwnerEnforced); everything else is AccessDenied.
//   - PublicAccessBlock: IgnorePublicAcls drops group grants from decisions,
//     RestrictPublicBuckets drops a public policy's Allows for non-owners.
//   - Anonymous callers (no credentials) have canonical id "".

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// Bucket config document names (see ObjectLayer.SetBucketConfig).
const (
	cfgACL        = "acl"
	cfgPolicy     = "policy"
	cfgCORS       = "cors"
	cfgVersioning = "versioning"
	cfgOwnership  = "ownership"
	cfgPAB        = "public-access-block"
	cfgObjectLock = "object-lock"
	cfgSSE        = "encryption"
	cfgLocation   = "location"
)

// storeConfig stores v, XML encoded, as the bucket's name document and
// answers 200: the end of a Put<sub-resource> request that validated it.
func (s *Server) storeConfig(r *request, name string, v any) error {
	doc, err := xml.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s document: %w", name, err)
	}
	if err := s.Layer.SetBucketConfig(r.Context(), r.bucket, name, doc); err != nil {
		return err
	}
	return writeEmpty(r, http.StatusOK)
}

// deleteConfig is the handler of a Delete<sub-resource> request: it
// removes the bucket's name document, answering 204 also when there was
// none (objects keep what it gave them: e.g. their encryption).
func deleteConfig(name string) func(*Server, *request) error {
	return func(s *Server, r *request) error {
		if _, err := s.bucketOf(r); err != nil {
			return err
		}
		if err := s.Layer.SetBucketConfig(r.Context(), r.bucket, name, nil); err != nil {
			return err
		}
		return writeEmpty(r, http.StatusNoContent)
	}
}

// canonicalID is the canonical user id of an access key.
func canonicalID(accessKey string) string {
	if accessKey == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(accessKey))
	return hex.EncodeToString(sum[:])
}

// rememberKey records an authenticated key so its canonical id can be shown
// with a display name.
func (s *Server) rememberKey(accessKey string) {
	s.names.LoadOrStore(canonicalID(accessKey), accessKey)
}

// displayName is the display name of a canonical id (stored is a name
// recorded earlier, used when the id's key has not been seen).
func (s *Server) displayName(id, stored string) string {
	if v, ok := s.names.Load(id); ok {
		return v.(string)
	}
	return stored
}

// caller is the access key of r's signer, "" if anonymous.
func (r *request) caller() string {
	if r.auth == nil {
		return ""
	}
	return r.auth.AccessKey
}

// callerID is the canonical id of r's signer, "" if anonymous.
func (r *request) callerID() string { return canonicalID(r.caller()) }

// ownerOf is the owner element for an access key.
func ownerOf(accessKey string) owner {
	return owner{ID: canonicalID(accessKey), DisplayName: accessKey}
}

// bucketConf is a bucket's access-relevant configuration.
type bucketConf struct {
	b         BucketInfo
	ownerID   string
	acl       aclDoc
	policy    *policyDoc
	ownership string
	pab       publicAccessBlock
}

func (s *Server) confOf(b BucketInfo) bucketConf {
	c := bucketConf{b: b, ownerID: canonicalID(b.Owner)}
	c.acl = parseACLDoc(b.Config[cfgACL], defaultACL(c.ownerID, b.Owner))
	if doc := b.Config[cfgPolicy]; len(doc) > 0 {
		if p, err := parsePolicy(doc, b.Name); err == nil {
			c.policy = p
		} else {
			s.Log.Warn("stored bucket policy does not parse", "bucket", b.Name, "err", err)
		}
	}
	c.ownership = ownershipOf(b.Config[cfgOwnership])
	c.pab = parsePAB(b.Config[cfgPAB])
	return c
}

// aclsEnabled reports whether ACLs take part in access decisions.
func (c bucketConf) aclsEnabled() bool { return c.ownership != ownershipEnforced }

// bucketPerm is the bucket ACL permission that grants an action.
var bucketPerm = map[string]string{
	"s3:ListBucket": permRead, "s3:ListBucketVersions": permRead, "s3:ListBucketMultipartUploads": permRead,
	"s3:PutObject": permWrite, "s3:DeleteObject": permWrite, "s3:AbortMultipartUpload": permWrite,
	"s3:ListMultipartUploadParts": permWrite,
	"s3:GetBucketAcl":             permReadACP, "s3:PutBucketAcl": permWriteACP,
}

// objectPerm is the object ACL permission that grants an action.
var objectPerm = map[string]string{
	"s3:GetObject": permRead, "s3:GetObjectAttributes": permRead,
	"s3:GetObjectAcl": permReadACP, "s3:PutObjectAcl": permWriteACP,
}

// authorize decides whether r's caller may perform action on bucket c.b, on
// key if not "" and, for object reads, on the object whose ACL is objACL
// (nil: a bucket-level decision).
func (s *Server) authorize(r *request, c bucketConf, action, key string, objACL *aclDoc) error {
	caller, callerID := r.caller(), r.callerID()
	isOwner := caller != "" && caller == c.b.Owner
	policyAllows := false
	if c.policy != nil && !(c.pab.RestrictPublicBuckets && c.policy.public() && !isOwner) {
		resource := "arn:aws:s3:::" + c.b.Name
		if key != "" {
			resource += "/" + key
		}
		switch c.policy.evaluate(caller, callerID, action, resource, s.requestConditions(r)) {
		case effectDeny:
			return ErrAccessDenied
		case effectAllow:
			policyAllows = true
		}
	}
	if objACL != nil {
		if callerID != "" && callerID == objACL.OwnerID {
			return nil
		}
	} else if isOwner {
		return nil
	}
	if policyAllows || action == "" {
		if policyAllows {
			return nil
		}
		return ErrAccessDenied
	}
	if c.aclsEnabled() {
		ignore := c.pab.IgnorePublicAcls
		if objACL != nil {
			if p := objectPerm[action]; p != "" && objACL.grants(callerID, p, ignore) {
				return nil
			}
		} else if p := bucketPerm[action]; p != "" && c.acl.grants(callerID, p, ignore) {
			return nil
		}
	}
	return ErrAccessDenied
}

// bucketOf returns the bucket r names if its caller may perform the route's
// action on it (for object routes, on its key).
func (s *Server) bucketOf(r *request) (BucketInfo, error) {
	c, err := s.bucketConfOf(r)
	return c.b, err
}

func (s *Server) bucketConfOf(r *request) (bucketConf, error) {
	b, err := s.Layer.BucketInfo(r.Context(), r.bucket)
	if err != nil {
		return bucketConf{}, err
	}
	c := s.confOf(b)
	if err := checkExpectedOwner(r.Header.Get("x-amz-expected-bucket-owner"), c); err != nil {
		return c, err
	}
	key := ""
	if r.rt.level == levelObject {
		key = r.key
	}
	if err := s.authorize(r, c, r.rt.action, key, nil); err != nil {
		return c, err
	}
	return c, checkSSE(r)
}

// checkExpectedOwner applies x-amz-expected-bucket-owner (an account id:
// here the owner's canonical id or access key).
func checkExpectedOwner(want string, c bucketConf) error {
	if want != "" && want != c.ownerID && want != c.b.Owner {
		return ErrAccessDenied
	}
	return nil
}

// objectACLOf is the ACL of an object in bucket c.
func (s *Server) objectACLOf(c bucketConf, info ObjectInfo) aclDoc {
	d := parseACLDoc(info.ACL, defaultACL(c.ownerID, c.b.Owner))
	if !c.aclsEnabled() {
		// BucketOwnerEnforced: the bucket owner owns every object.
		d.OwnerID, d.OwnerName = c.ownerID, c.b.Owner
	}
	return d
}

// objectOf returns the bucket and object version r names (?versionId) if
// its caller may perform the route's action on it. A caller that may not
// list the bucket learns nothing of missing keys or versions: AccessDenied,
// not NoSuchKey.
func (s *Server) objectOf(r *request, action string) (bucketConf, ObjectInfo, error) {
	b, err := s.Layer.BucketInfo(r.Context(), r.bucket)
	if err != nil {
		return bucketConf{}, ObjectInfo{}, err
	}
	c := s.confOf(b)
	if err := checkExpectedOwner(r.Header.Get("x-amz-expected-bucket-owner"), c); err != nil {
		return c, ObjectInfo{}, err
	}
	vid, err := requestVersion(r)
	if err != nil {
		return c, ObjectInfo{}, err
	}
	info, err := s.Layer.ObjectInfo(r.Context(), r.bucket, r.key, vid)
	if err != nil {
		if errors.Is(err, ErrNoSuchKey) || errors.Is(err, ErrNoSuchVersion) || errors.Is(err, ErrMethodNotAllowed) {
			// May the caller list the key's name? (s3:prefix is the key.)
			lr := *r
			lr.q = url.Values{"prefix": {r.key}}
			if s.authorize(&lr, c, "s3:ListBucket", "", nil) != nil {
				return c, info, ErrAccessDenied
			}
			setDeleteMarkerHeaders(r, info)
		}
		return c, info, err
	}
	acl := s.objectACLOf(c, info)
	if err := s.authorize(r, c, action, r.key, &acl); err != nil {
		return c, info, err
	}
	return c, info, checkSSE(r)
}

// newObjectACL is the ACL document stored with an object r writes into
// bucket c (nil: the default, owned by the bucket owner).
func (s *Server) newObjectACL(r *request, c bucketConf) ([]byte, error) {
	writerID := r.callerID()
	ownerID := writerID
	if ownerID == "" || !c.aclsEnabled() || c.ownership == ownershipPreferred && r.Header.Get("x-amz-acl") == "bucket-owner-full-control" {
		ownerID = c.ownerID
	}
	d, ok, err := s.requestACL(r.Header, ownerID, c.ownerID)
	if err != nil {
		return nil, err
	}
	if !c.aclsEnabled() {
		if ok && r.Header.Get("x-amz-acl") != "bucket-owner-full-control" {
			return nil, ErrAccessControlListNotSupport
		}
		return nil, nil
	}
	if ok && d.public() && c.pab.BlockPublicAcls {
		return nil, ErrAccessDenied
	}
	if !ok {
		if ownerID == c.ownerID {
			return nil, nil
		}
		d = defaultACL(ownerID, s.displayName(ownerID, r.caller()))
	}
	return d.encode(), nil
}
