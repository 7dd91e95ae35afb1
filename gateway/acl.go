package gateway

// Invariants:
//   - An ACL document, as stored (bucket config "acl", ObjectInfo.ACL), is the
//     JSON of aclDoc: an owner and explicit grants. No document means the
//     default: the bucket owner owns it and holds FULL_CONTROL, nobody else
//     has any grant.
//   - Canned ACLs and x-amz-grant-* headers are mutually exclusive; grant
//     headers replace the whole grant list (the owner keeps nothing implicit),
//     as in S3.
//   - Grantees are canonical users (64 hex digits) or one of the S3 groups;
//     grants by e-mail cannot be resolved here and are refused.

import (
	"cmp"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
)

// ACL errors.
var (
	ErrMalformedACL                 = apiErr("MalformedACLError", 400, "The XML you provided was not well-formed or did not validate against our published schema.")
	ErrUnresolvableGrantByEmail     = apiErr("UnresolvableGrantByEmailAddress", 400, "The e-mail address you provided does not match any account on record.")
	ErrAccessControlListNotSupport  = apiErr("AccessControlListNotSupported", 400, "The bucket does not allow ACLs")
	ErrInvalidBucketACLWithOwnershp = apiErr("InvalidBucketAclWithObjectOwnership", 400, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")
)

// S3 permission names and group URIs.
const (
	permRead        = "READ"
	permWrite       = "WRITE"
	permReadACP     = "READ_ACP"
	permWriteACP    = "WRITE_ACP"
	permFullControl = "FULL_CONTROL"

	groupAllUsers    = "http://acs.amazonaws.com/groups/global/AllUsers"
	groupAuthUsers   = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
	groupLogDelivery = "http://acs.amazonaws.com/groups/s3/LogDelivery"

	xsiNS = "http://www.w3.org/2001/XMLSchema-instance"
)

var validPerms = map[string]bool{permRead: true, permWrite: true, permReadACP: true, permWriteACP: true, permFullControl: true}

var canonicalIDRe = regexp.MustCompile(`^[0-9a-f]{64}$`)

// aclGrant is one grant: a canonical user (ID) or a group (URI).
type aclGrant struct {
	ID          string `json:"id,omitempty"`
	DisplayName string `json:"name,omitempty"`
	URI         string `json:"uri,omitempty"`
	Permission  string `json:"perm"`
}

// aclDoc is a stored ACL.
type aclDoc struct {
	OwnerID   string     `json:"owner"`
	OwnerName string     `json:"owner_name,omitempty"`
	Grants    []aclGrant `json:"grants"`
}

// defaultACL is the ACL of a resource without a stored document.
func defaultACL(ownerID, ownerName string) aclDoc {
	return aclDoc{OwnerID: ownerID, OwnerName: ownerName,
		Grants: []aclGrant{{ID: ownerID, DisplayName: ownerName, Permission: permFullControl}}}
}

// parseACLDoc decodes a stored ACL; nil or undecodable documents give def.
func parseACLDoc(b []byte, def aclDoc) aclDoc {
	if len(b) == 0 {
		return def
	}
	var d aclDoc
	if err := json.Unmarshal(b, &d); err != nil || d.OwnerID == "" {
		return def
	}
	return d
}

// sameGrants reports whether d and e grant the same, in the same order.
func (d aclDoc) sameGrants(e aclDoc) bool {
	if d.OwnerID != e.OwnerID || len(d.Grants) != len(e.Grants) {
		return false
	}
	for i, g := range d.Grants {
		h := e.Grants[i]
		if g.ID != h.ID || g.URI != h.URI || g.Permission != h.Permission {
			return false
		}
	}
	return true
}

func (d aclDoc) encode() []byte {
	b, _ := json.Marshal(d)
	return b
}

// grants reports whether d gives the caller (canonical id, "" = anonymous)
// permission perm; public says whether group grants count.
func (d aclDoc) grants(callerID, perm string, ignorePublic bool) bool {
	for _, g := range d.Grants {
		if g.Permission != perm && g.Permission != permFullControl {
			continue
		}
		switch {
		case g.ID != "" && g.ID == callerID:
			return true
		case g.URI == groupAllUsers && !ignorePublic:
			return true
		case g.URI == groupAuthUsers && callerID != "" && !ignorePublic:
			return true
		}
	}
	return false
}

// public reports whether d grants anything to AllUsers or AuthenticatedUsers.
func (d aclDoc) public() bool {
	for _, g := range d.Grants {
		if g.URI == groupAllUsers || g.URI == groupAuthUsers {
			return true
		}
	}
	return false
}

// onlyOwner reports whether d grants nothing to anyone but its owner (and
// the bucket owner bucketOwnerID).
func (d aclDoc) onlyOwner(bucketOwnerID string) bool {
	for _, g := range d.Grants {
		if g.ID != d.OwnerID && g.ID != bucketOwnerID || g.URI != "" {
			return false
		}
	}
	return true
}

// acpXML is the AccessControlPolicy document of S3's ACL API.
type acpXML struct {
	XMLName xml.Name   `xml:"AccessControlPolicy"`
	NS      string     `xml:"xmlns,attr,omitempty"`
	Owner   *owner     `xml:"Owner"`
	Grants  []grantXML `xml:"AccessControlList>Grant"`
}

type grantXML struct {
	Grantee    granteeXML
	Permission string
}

type granteeXML struct {
	XMLNSXSI     string `xml:"xmlns:xsi,attr,omitempty"`
	Type         string `xml:"xsi:type,attr,omitempty"`
	ID           string `xml:",omitempty"`
	DisplayName  string `xml:",omitempty"`
	URI          string `xml:",omitempty"`
	EmailAddress string `xml:",omitempty"`
}

// acpIn is acpXML as read from a client (namespaced attributes differ).
type acpIn struct {
	XMLName xml.Name `xml:"AccessControlPolicy"`
	Owner   *owner   `xml:"Owner"`
	Grants  []struct {
		Grantee *struct {
			Type         string `xml:"type,attr"`
			ID           string
			DisplayName  string
			URI          string
			EmailAddress string
		}
		Permission string
	} `xml:"AccessControlList>Grant"`
}

// toXML renders d for GetBucketAcl / GetObjectAcl.
func (s *Server) aclXML(d aclDoc) acpXML {
	out := acpXML{NS: s3NS, Owner: &owner{ID: d.OwnerID, DisplayName: s.displayName(d.OwnerID, d.OwnerName)}, Grants: []grantXML{}}
	for _, g := range d.Grants {
		gx := grantXML{Permission: g.Permission, Grantee: granteeXML{XMLNSXSI: xsiNS}}
		if g.URI != "" {
			gx.Grantee.Type, gx.Grantee.URI = "Group", g.URI
		} else {
			gx.Grantee.Type, gx.Grantee.ID = "CanonicalUser", g.ID
			gx.Grantee.DisplayName = s.displayName(g.ID, g.DisplayName)
		}
		out.Grants = append(out.Grants, gx)
	}
	// Group grants first, as canned ACLs list them, whatever order a
	// PutBucketAcl body gave (ceph's s3-tests compare in this order).
	slices.SortStableFunc(out.Grants, func(a, b grantXML) int {
		return cmp.Compare(groupFirst(a.Grantee.Type), groupFirst(b.Grantee.Type))
	})
	return out
}

// groupFirst orders Group grantees before canonical users.
func groupFirst(typ string) int {
	if typ == "Group" {
		return 0
	}
	return 1
}

// parseACLBody reads an AccessControlPolicy body into a document owned by
// ownerID.
func (s *Server) parseACLBody(body []byte, ownerID, ownerName string) (aclDoc, error) {
	var in acpIn
	if err := xml.Unmarshal(body, &in); err != nil {
		return aclDoc{}, ErrMalformedACL
	}
	if in.Owner != nil && in.Owner.ID != "" && in.Owner.ID != ownerID {
		return aclDoc{}, ErrAccessDenied
	}
	d := aclDoc{OwnerID: ownerID, OwnerName: ownerName, Grants: []aclGrant{}}
	for _, g := range in.Grants {
		if g.Grantee == nil || !validPerms[g.Permission] {
			return aclDoc{}, ErrMalformedACL
		}
		switch g.Grantee.Type {
		case "CanonicalUser":
			if !canonicalIDRe.MatchString(g.Grantee.ID) {
				return aclDoc{}, ErrInvalidArgument.Errorf("Invalid id")
			}
			d.Grants = append(d.Grants, aclGrant{ID: g.Grantee.ID, DisplayName: s.displayName(g.Grantee.ID, ""), Permission: g.Permission})
		case "Group":
			if !validGroup(g.Grantee.URI) {
				return aclDoc{}, ErrInvalidArgument.Errorf("Invalid group uri")
			}
			d.Grants = append(d.Grants, aclGrant{URI: g.Grantee.URI, Permission: g.Permission})
		case "AmazonCustomerByEmail":
			return aclDoc{}, ErrUnresolvableGrantByEmail
		default:
			return aclDoc{}, ErrMalformedACL
		}
	}
	return d, nil
}

func validGroup(uri string) bool {
	return uri == groupAllUsers || uri == groupAuthUsers || uri == groupLogDelivery
}

// grantHeaders maps x-amz-grant-* headers to permissions.
var grantHeaders = []struct{ header, perm string }{
	{"x-amz-grant-read", permRead}, {"x-amz-grant-write", permWrite}, {"x-amz-grant-read-acp", permReadACP},
	{"x-amz-grant-write-acp", permWriteACP}, {"x-amz-grant-full-control", permFullControl},
}

// requestACL builds the ACL a request asks for with x-amz-acl or
// x-amz-grant-* headers, for a resource owned by ownerID in a bucket owned
// by bucketOwnerID; ok=false if it asks for none. bucketLevel refuses the
// object-only canned ACLs' meaning (they act as private on buckets).
func (s *Server) requestACL(h http.Header, ownerID, bucketOwnerID string) (aclDoc, bool, error) {
	canned := h.Get("x-amz-acl")
	hasGrants := false
	for _, gh := range grantHeaders {
		if h.Get(gh.header) != "" {
			hasGrants = true
		}
	}
	if canned != "" && hasGrants {
		return aclDoc{}, false, ErrInvalidRequest.Errorf("Specifying both Canned ACLs and Header Grants is not allowed")
	}
	ownerName := s.displayName(ownerID, "")
	if canned != "" {
		d, err := s.cannedACL(canned, ownerID, bucketOwnerID)
		return d, err == nil, err
	}
	if !hasGrants {
		return aclDoc{}, false, nil
	}
	d := aclDoc{OwnerID: ownerID, OwnerName: ownerName, Grants: []aclGrant{}}
	for _, gh := range grantHeaders {
		for _, v := range h.Values(gh.header) {
			for _, item := range splitComma(v) {
				k, val, ok := strings.Cut(item, "=")
				if !ok {
					return aclDoc{}, false, ErrInvalidArgument.Errorf("Invalid grant %q", item)
				}
				val = strings.Trim(strings.TrimSpace(val), `"`)
				switch strings.ToLower(strings.TrimSpace(k)) {
				case "id":
					if !canonicalIDRe.MatchString(val) {
						return aclDoc{}, false, ErrInvalidArgument.Errorf("Invalid id")
					}
					d.Grants = append(d.Grants, aclGrant{ID: val, DisplayName: s.displayName(val, ""), Permission: gh.perm})
				case "uri":
					if !validGroup(val) {
						return aclDoc{}, false, ErrInvalidArgument.Errorf("Invalid group uri")
					}
					d.Grants = append(d.Grants, aclGrant{URI: val, Permission: gh.perm})
				case "emailaddress":
					return aclDoc{}, false, ErrUnresolvableGrantByEmail
				default:
					return aclDoc{}, false, ErrInvalidArgument.Errorf("Argument format not recognized")
				}
			}
		}
	}
	return d, true, nil
}

// cannedACL expands a canned ACL name. Group grants come first, then the
// owner's, then the bucket owner's, as S3 lists them.
func (s *Server) cannedACL(name, ownerID, bucketOwnerID string) (aclDoc, error) {
	d := aclDoc{OwnerID: ownerID, OwnerName: s.displayName(ownerID, "")}
	var groups []aclGrant
	bucketOwnerPerm := ""
	switch name {
	case "private":
	case "public-read":
		groups = []aclGrant{{URI: groupAllUsers, Permission: permRead}}
	case "public-read-write":
		groups = []aclGrant{{URI: groupAllUsers, Permission: permRead}, {URI: groupAllUsers, Permission: permWrite}}
	case "authenticated-read":
		groups = []aclGrant{{URI: groupAuthUsers, Permission: permRead}}
	case "bucket-owner-read":
		bucketOwnerPerm = permRead
	case "bucket-owner-full-control":
		bucketOwnerPerm = permFullControl
	case "log-delivery-write":
		groups = []aclGrant{{URI: groupLogDelivery, Permission: permWrite}, {URI: groupLogDelivery, Permission: permReadACP}}
	default:
		return aclDoc{}, ErrInvalidArgument.Errorf("%s is not a valid canned ACL", truncateArg(name))
	}
	d.Grants = append(groups, aclGrant{ID: ownerID, DisplayName: d.OwnerName, Permission: permFullControl})
	if bucketOwnerPerm != "" && bucketOwnerID != ownerID {
		d.Grants = append(d.Grants, aclGrant{ID: bucketOwnerID, DisplayName: s.displayName(bucketOwnerID, ""), Permission: bucketOwnerPerm})
	}
	return d, nil
}

func truncateArg(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return fmt.Sprintf("%q", s)
}
