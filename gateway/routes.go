package gateway

// Invariants:
//   - routes is the only description of the S3 API's request shapes: the
//     handler that serves a request and the operation name reported for it
//     (metrics, access log) come from the same matched entry, so they can
//     never disagree.
//   - A request naming a sub-resource (a query key listed in a route's sub or
//     in unsupported) never falls through to a plain object or bucket
//     handler: it is served by that sub-resource's route, or answered
//     MethodNotAllowed / NotImplemented.
//   - Each route names the IAM action the access check evaluates (ACLs,
//     bucket policy); "" means owner-only.

import (
	"net/http"
	"net/url"
)

// level is the part of the S3 namespace a request addresses.
type level int

const (
	levelService level = iota // no bucket
	levelBucket               // a bucket, no key
	levelObject               // a key in a bucket
)

// route is one S3 operation's request shape.
type route struct {
	level  level
	method string // "" any method
	sub    string // query key that must be present; "" none
	copy   bool   // x-amz-copy-source must be present
	when   func(q url.Values, h http.Header) bool
	op     string // S3 API operation name
	action string // IAM action checked against ACLs and bucket policy
	h      func(*Server, *request) error
}

// Operation names used when no route matches.
const (
	opNotImplemented   = "NotImplemented"
	opMethodNotAllowed = "MethodNotAllowed"
)

func isListV2(q url.Values, _ http.Header) bool { return q.Get("list-type") == "2" }

// routes is the S3 routing table, matched in order.
var routes = []route{
	{level: levelService, method: http.MethodGet, op: "ListBuckets", h: (*Server).listBuckets},

	{level: levelBucket, method: http.MethodGet, sub: "location", op: "GetBucketLocation", action: "s3:GetBucketLocation", h: (*Server).getBucketLocation},
	{level: levelBucket, method: http.MethodPost, sub: "delete", op: "DeleteObjects", action: "s3:DeleteObject", h: (*Server).deleteObjects},
	{level: levelBucket, method: http.MethodGet, sub: "uploads", op: "ListMultipartUploads", action: "s3:ListBucketMultipartUploads", h: (*Server).listMultipartUploads},
	{level: levelBucket, method: http.MethodGet, sub: "tagging", op: "GetBucketTagging", action: "s3:GetBucketTagging", h: (*Server).bucketTagging},
	{level: levelBucket, method: http.MethodPut, sub: "tagging", op: "PutBucketTagging", action: "s3:PutBucketTagging", h: (*Server).bucketTagging},
	{level: levelBucket, method: http.MethodDelete, sub: "tagging", op: "DeleteBucketTagging", action: "s3:PutBucketTagging", h: (*Server).bucketTagging},
	{level: levelBucket, method: http.MethodGet, sub: "versions", op: "ListObjectVersions", action: "s3:ListBucketVersions", h: (*Server).listObjectVersions},
	{level: levelBucket, method: http.MethodGet, sub: "versioning", op: "GetBucketVersioning", action: "s3:GetBucketVersioning", h: (*Server).getBucketVersioning},
	{level: levelBucket, method: http.MethodPut, sub: "versioning", op: "PutBucketVersioning", action: "s3:PutBucketVersioning", h: (*Server).putBucketVersioning},
	{level: levelBucket, method: http.MethodGet, sub: "acl", op: "GetBucketAcl", action: "s3:GetBucketAcl", h: (*Server).getBucketACL},
	{level: levelBucket, method: http.MethodPut, sub: "acl", op: "PutBucketAcl", action: "s3:PutBucketAcl", h: (*Server).putBucketACL},
	{level: levelBucket, method: http.MethodGet, sub: "ownershipControls", op: "GetBucketOwnershipControls", action: "s3:GetBucketOwnershipControls", h: (*Server).getOwnershipControls},
	{level: levelBucket, method: http.MethodPut, sub: "ownershipControls", op: "PutBucketOwnershipControls", action: "s3:PutBucketOwnershipControls", h: (*Server).putOwnershipControls},
	{level: levelBucket, method: http.MethodDelete, sub: "ownershipControls", op: "DeleteBucketOwnershipControls", action: "s3:PutBucketOwnershipControls", h: deleteConfig(cfgOwnership)},
	{level: levelBucket, method: http.MethodGet, sub: "cors", op: "GetBucketCors", action: "s3:GetBucketCORS", h: (*Server).getBucketCORS},
	{level: levelBucket, method: http.MethodPut, sub: "cors", op: "PutBucketCors", action: "s3:PutBucketCORS", h: (*Server).putBucketCORS},
	{level: levelBucket, method: http.MethodDelete, sub: "cors", op: "DeleteBucketCors", action: "s3:PutBucketCORS", h: deleteConfig(cfgCORS)},
	{level: levelBucket, method: http.MethodGet, sub: "policy", op: "GetBucketPolicy", action: "s3:GetBucketPolicy", h: (*Server).getBucketPolicy},
	{level: levelBucket, method: http.MethodPut, sub: "policy", op: "PutBucketPolicy", action: "s3:PutBucketPolicy", h: (*Server).putBucketPolicy},
	{level: levelBucket, method: http.MethodDelete, sub: "policy", op: "DeleteBucketPolicy", action: "s3:DeleteBucketPolicy", h: deleteConfig(cfgPolicy)},
	{level: levelBucket, method: http.MethodGet, sub: "policyStatus", op: "GetBucketPolicyStatus", action: "s3:GetBucketPolicyStatus", h: (*Server).getBucketPolicyStatus},
	{level: levelBucket, method: http.MethodGet, sub: "publicAccessBlock", op: "GetPublicAccessBlock", action: "s3:GetBucketPublicAccessBlock", h: (*Server).getPublicAccessBlock},
	{level: levelBucket, method: http.MethodPut, sub: "publicAccessBlock", op: "PutPublicAccessBlock", action: "s3:PutBucketPublicAccessBlock", h: (*Server).putPublicAccessBlock},
	{level: levelBucket, method: http.MethodDelete, sub: "publicAccessBlock", op: "DeletePublicAccessBlock", action: "s3:PutBucketPublicAccessBlock", h: deleteConfig(cfgPAB)},
	{level: levelBucket, method: http.MethodGet, sub: "object-lock", op: "GetObjectLockConfiguration", action: "s3:GetBucketObjectLockConfiguration", h: (*Server).getObjectLockConfiguration},
	{level: levelBucket, method: http.MethodPut, sub: "object-lock", op: "PutObjectLockConfiguration", action: "s3:PutBucketObjectLockConfiguration", h: (*Server).putObjectLockConfiguration},

	{level: levelBucket, method: http.MethodGet, sub: "lifecycle", op: "GetBucketLifecycleConfiguration", action: "s3:GetLifecycleConfiguration", h: (*Server).getBucketLifecycle},
	{level: levelBucket, method: http.MethodPut, sub: "lifecycle", op: "PutBucketLifecycleConfiguration", action: "s3:PutLifecycleConfiguration", h: (*Server).putBucketLifecycle},
	{level: levelBucket, method: http.MethodDelete, sub: "lifecycle", op: "DeleteBucketLifecycle", action: "s3:PutLifecycleConfiguration", h: deleteConfig(cfgLifecycle)},

	{level: levelBucket, method: http.MethodGet, sub: "encryption", op: "GetBucketEncryption", action: "s3:GetEncryptionConfiguration", h: (*Server).getBucketEncryption},
	{level: levelBucket, method: http.MethodPut, sub: "encryption", op: "PutBucketEncryption", action: "s3:PutEncryptionConfiguration", h: (*Server).putBucketEncryption},
	{level: levelBucket, method: http.MethodDelete, sub: "encryption", op: "DeleteBucketEncryption", action: "s3:PutEncryptionConfiguration", h: deleteConfig(cfgSSE)},

	{level: levelBucket, method: http.MethodPut, op: "CreateBucket", h: (*Server).createBucket},
	{level: levelBucket, method: http.MethodHead, op: "HeadBucket", action: "s3:ListBucket", h: (*Server).headBucket},
	{level: levelBucket, method: http.MethodDelete, op: "DeleteBucket", action: "s3:DeleteBucket", h: (*Server).deleteBucket},
	{level: levelBucket, method: http.MethodGet, when: isListV2, op: "ListObjectsV2", action: "s3:ListBucket", h: (*Server).listObjectsV2},
	{level: levelBucket, method: http.MethodGet, op: "ListObjects", action: "s3:ListBucket", h: (*Server).listObjectsV1},
	{level: levelBucket, method: http.MethodPost, op: "PostObject", action: "s3:PutObject", h: (*Server).postObject},
	{level: levelBucket, method: http.MethodOptions, op: "PreflightRequest", h: (*Server).preflight},

	{level: levelObject, method: http.MethodPost, sub: "uploads", op: "CreateMultipartUpload", action: "s3:PutObject", h: (*Server).createMultipartUpload},
	{level: levelObject, method: http.MethodGet, sub: "tagging", op: "GetObjectTagging", action: "s3:GetObjectTagging", h: (*Server).objectTagging},
	{level: levelObject, method: http.MethodPut, sub: "tagging", op: "PutObjectTagging", action: "s3:PutObjectTagging", h: (*Server).objectTagging},
	{level: levelObject, method: http.MethodDelete, sub: "tagging", op: "DeleteObjectTagging", action: "s3:DeleteObjectTagging", h: (*Server).objectTagging},
	{level: levelObject, method: http.MethodGet, sub: "attributes", op: "GetObjectAttributes", action: "s3:GetObjectAttributes", h: (*Server).getObjectAttributes},
	{level: levelObject, method: http.MethodGet, sub: "retention", op: "GetObjectRetention", action: "s3:GetObjectRetention", h: (*Server).getObjectRetention},
	{level: levelObject, method: http.MethodPut, sub: "retention", op: "PutObjectRetention", action: "s3:PutObjectRetention", h: (*Server).putObjectRetention},
	{level: levelObject, method: http.MethodGet, sub: "legal-hold", op: "GetObjectLegalHold", action: "s3:GetObjectLegalHold", h: (*Server).getObjectLegalHold},
	{level: levelObject, method: http.MethodPut, sub: "legal-hold", op: "PutObjectLegalHold", action: "s3:PutObjectLegalHold", h: (*Server).putObjectLegalHold},
	{level: levelObject, method: http.MethodGet, sub: "acl", op: "GetObjectAcl", action: "s3:GetObjectAcl", h: (*Server).getObjectACL},
	{level: levelObject, method: http.MethodPut, sub: "acl", op: "PutObjectAcl", action: "s3:PutObjectAcl", h: (*Server).putObjectACL},
	{level: levelObject, method: http.MethodPut, sub: "uploadId", copy: true, op: "UploadPartCopy", action: "s3:PutObject", h: (*Server).uploadPartCopy},
	{level: levelObject, method: http.MethodPut, sub: "uploadId", op: "UploadPart", action: "s3:PutObject", h: (*Server).uploadPart},
	{level: levelObject, method: http.MethodPost, sub: "uploadId", op: "CompleteMultipartUpload", action: "s3:PutObject", h: (*Server).completeMultipartUpload},
	{level: levelObject, method: http.MethodDelete, sub: "uploadId", op: "AbortMultipartUpload", action: "s3:AbortMultipartUpload", h: (*Server).abortMultipartUpload},
	{level: levelObject, method: http.MethodGet, sub: "uploadId", op: "ListParts", action: "s3:ListMultipartUploadParts", h: (*Server).listParts},

	{level: levelObject, method: http.MethodPut, copy: true, op: "CopyObject", action: "s3:PutObject", h: (*Server).copyObject},
	{level: levelObject, method: http.MethodPut, op: "PutObject", action: "s3:PutObject", h: (*Server).putObject},
	{level: levelObject, method: http.MethodGet, op: "GetObject", action: "s3:GetObject", h: (*Server).getObjectBody},
	{level: levelObject, method: http.MethodHead, op: "HeadObject", action: "s3:GetObject", h: (*Server).headObject},
	{level: levelObject, method: http.MethodDelete, op: "DeleteObject", action: "s3:DeleteObject", h: (*Server).deleteObject},
	{level: levelObject, method: http.MethodOptions, op: "PreflightRequest", h: (*Server).preflight},
}

// unsupported lists sub-resources this gateway does not implement: a
// request naming one gets NotImplemented rather than being mistaken for a
// plain object or bucket request.
var unsupported = []string{"website", "logging", "notification", "replication",
	"torrent", "restore", "select",
	"requestPayment", "accelerate", "analytics", "inventory", "metrics", "intelligent-tiering",
	"append", "renameObject"}

// subResources is every query key that names a sub-resource.
var subResources = func() map[string]bool {
	m := map[string]bool{}
	for _, rt := range routes {
		if rt.sub != "" {
			m[rt.sub] = true
		}
	}
	for _, k := range unsupported {
		m[k] = true
	}
	return m
}()

// matchRoute finds the route of a request. When none fits, it returns a
// route whose handler answers the AWS error (MethodNotAllowed or
// NotImplemented) and whose op names that outcome.
func matchRoute(method string, lv level, q url.Values, h http.Header) *route {
	copySrc := h.Get("x-amz-copy-source") != ""
	named := false // the request names a sub-resource some route serves
	for i := range routes {
		rt := &routes[i]
		if rt.level != lv {
			continue
		}
		if rt.sub != "" {
			if _, ok := q[rt.sub]; !ok {
				continue
			}
			named = true
		} else if named || namesSubResource(q) {
			break
		}
		if rt.method != "" && rt.method != method || rt.copy && !copySrc || rt.when != nil && !rt.when(q, h) {
			continue
		}
		return rt
	}
	for _, k := range unsupported {
		if _, ok := q[k]; ok {
			k := k
			return &route{level: lv, op: opNotImplemented, h: func(*Server, *request) error {
				return ErrNotImplemented.Errorf("the %q sub-resource is not implemented", k)
			}}
		}
	}
	return &route{level: lv, op: opMethodNotAllowed, h: func(*Server, *request) error { return ErrMethodNotAllowed }}
}

// namesSubResource reports whether q names any sub-resource.
func namesSubResource(q url.Values) bool {
	for k := range q {
		if subResources[k] {
			return true
		}
	}
	return false
}

func levelOf(bucket, key string) level {
	switch {
	case bucket == "":
		return levelService
	case key == "":
		return levelBucket
	}
	return levelObject
}
