package gateway

// Invariants:
//   - An ObjectLayer mutation is atomic: after PutObject or DeleteObject returns,
//     either the whole new state is visible and durable or none of it is.
//   - PutObject reads its PutReader to io.EOF before committing; any error the
//     reader returns (size mismatch, bad digest, bad signature) aborts the put.
//   - A version's data never changes once written: only its header (tags,
//     ACL) and its Object Lock state; it goes away only by a DeleteObject
//     naming it, by an unversioned overwrite, or as the null version a
//     suspended bucket's write replaces.

import (
	"context"
	"io"
	"time"
)

// ObjectLayer is the storage behind the S3 front end. Errors are, or wrap,
// the sentinel errors of this package (ErrNoSuchBucket, ErrNoSuchKey, ...);
// anything else is reported to clients as InternalError.
type ObjectLayer interface {
	// MakeBucket creates an empty bucket owned by owner; ErrBucketAlreadyOwnedByYou
	// if it exists.
	MakeBucket(ctx context.Context, bucket, owner string) error
	// BucketInfo describes a bucket; ErrNoSuchBucket if it does not exist.
	BucketInfo(ctx context.Context, bucket string) (BucketInfo, error)
	// ListBuckets lists every bucket in name order.
	ListBuckets(ctx context.Context) ([]BucketInfo, error)
	// DeleteBucket removes an empty bucket; ErrBucketNotEmpty if it holds objects.
	DeleteBucket(ctx context.Context, bucket string) error

	// PutObject stores data under bucket/key, replacing any object there. It
	// returns only once the object is durable.
	PutObject(ctx context.Context, bucket, key string, data *PutReader, opts PutOptions) (ObjectInfo, error)
	// GetObject opens a version of the object ("" the latest), or the byte
	// range rng resolves to against its size (nil: the whole object). The
	// caller closes the reader. Errors are ObjectInfo's.
	// customerKey is the SSE-C key the request presents (nil: none); it
	// must be the object's (CheckCustomerKey), whose data is encrypted
	// under a key derived from it.
	GetObject(ctx context.Context, bucket, key, versionID string, rng *Range, customerKey []byte) (ObjectInfo, io.ReadCloser, error)
	// ObjectInfo describes a version of an object ("" the latest);
	// ErrNoSuchKey if there is none, ErrNoSuchVersion if the version does
	// not exist. A delete marker is ErrNoSuchKey when latest and
	// ErrMethodNotAllowed when named, with info.DeleteMarker and VersionID set.
	ObjectInfo(ctx context.Context, bucket, key, versionID string) (ObjectInfo, error)
	// DeleteObject removes the version opts names or, without one, the
	// object (in a versioned bucket: adds a delete marker). It returns the
	// version removed or the marker added (DeleteMarker set). Deleting a
	// missing key of an unversioned bucket is not an error;
	// ErrNoSuchVersion if the version does not exist, ErrAccessDenied if
	// its Object Lock forbids removing it.
	DeleteObject(ctx context.Context, bucket, key string, opts DeleteOptions) (ObjectInfo, error)
	// ListObjects lists keys in lexicographic order after opts.Marker, rolling
	// keys that share a prefix up to opts.Delimiter into CommonPrefixes.
	ListObjects(ctx context.Context, bucket string, opts ListOptions) (ListResult, error)
	// ListObjectVersions lists versions and delete markers in key order,
	// newest first within a key, after (KeyMarker, VersionIDMarker).
	ListObjectVersions(ctx context.Context, bucket string, opts ListVersionsOptions) (ListVersionsResult, error)
	// SetBucketVersioning sets a bucket's versioning to "Enabled" or
	// "Suspended"; BucketInfo reports it in Versioning.
	SetBucketVersioning(ctx context.Context, bucket, status string) error

	// NewMultipartUpload starts a multipart upload of bucket/key and returns
	// its upload id.
	NewMultipartUpload(ctx context.Context, bucket, key string, opts PutOptions) (string, error)
	// PutObjectPart stores part number n (1..10000) of an upload, replacing
	// any earlier part n; ErrNoSuchUpload if the upload does not exist.
	// customerKey is the SSE-C key the request presents: the upload's
	// (CheckCustomerKey), nil for an upload without one.
	PutObjectPart(ctx context.Context, bucket, key, uploadID string, n int, data *PutReader, customerKey []byte) (PartInfo, error)
	// CompleteMultipartUpload assembles the listed parts, in order, into the
	// object; ErrInvalidPart, ErrInvalidPartOrder or ErrEntityTooSmall when
	// the list does not fit what was uploaded.
	// opts.IfMatch / opts.IfNoneMatch make it conditional like PutObject.
	CompleteMultipartUpload(ctx context.Context, bucket, key, uploadID string, parts []CompletePart, opts PutOptions) (ObjectInfo, error)
	// AbortMultipartUpload discards an upload and its parts.
	AbortMultipartUpload(ctx context.Context, bucket, key, uploadID string) error
	// ListObjectParts lists an upload's parts numbered above marker.
	ListObjectParts(ctx context.Context, bucket, key, uploadID string, marker, maxParts int) (ListPartsResult, error)
	// ListMultipartUploads lists a bucket's uploads in progress.
	ListMultipartUploads(ctx context.Context, bucket string, opts ListUploadsOptions) (ListUploadsResult, error)
	// MultipartUpload describes an upload in progress; ErrNoSuchUpload if
	// bucket/key has no upload uploadID.
	MultipartUpload(ctx context.Context, bucket, key, uploadID string) (UploadInfo, error)

	// SetObjectTags replaces a version's tags (nil removes them) and
	// returns the version; ErrMethodNotAllowed for a delete marker.
	SetObjectTags(ctx context.Context, bucket, key, versionID string, tags map[string]string) (ObjectInfo, error)
	// SetBucketTags replaces a bucket's tags (nil removes them).
	SetBucketTags(ctx context.Context, bucket string, tags map[string]string) error
	// SetBucketConfig stores a bucket sub-resource document (versioning,
	// ACL, policy, CORS, ...) under name, opaque to the layer; nil removes
	// it. BucketInfo returns every stored document in Config.
	SetBucketConfig(ctx context.Context, bucket, name string, doc []byte) error
	// SetObjectACL replaces a version's ACL document (opaque to the layer;
	// nil removes it); ErrNoSuchKey if there is no object.
	SetObjectACL(ctx context.Context, bucket, key, versionID string, acl []byte) error
	// SetObjectLock changes a version's Object Lock state with fn, which
	// sees the current state and returns the new one or an error to refuse;
	// atomic with any removal of the version. It returns the version.
	SetObjectLock(ctx context.Context, bucket, key, versionID string, fn func(cur ObjectLock) (ObjectLock, error)) (ObjectInfo, error)
}

// DeleteOptions select what DeleteObject removes.
type DeleteOptions struct {
	VersionID string
	// BypassGovernance: GOVERNANCE retention does not stop the removal.
	BypassGovernance bool
	// ACL is the ACL document of a delete marker added (its owner).
	ACL []byte
	// IfMatch (an ETag list) makes the removal conditional on the version
	// it acts on when it commits: ErrPreconditionFailed if that version's
	// ETag is not listed, ErrNoSuchKey if there is no such version.
	IfMatch string
}

// CheckDelete applies a conditional delete's precondition to the version
// found (exists=false if none).
func (o DeleteOptions) CheckDelete(existing ObjectInfo, exists bool) error {
	switch {
	case o.IfMatch == "":
		return nil
	case !exists:
		return ErrNoSuchKey
	case !etagMatches(o.IfMatch, existing.ETag):
		return ErrPreconditionFailed
	}
	return nil
}

// ObjectLock is a version's Object Lock state.
type ObjectLock struct {
	Mode        string // "GOVERNANCE", "COMPLIANCE" or "" (no retention)
	RetainUntil time.Time
	LegalHold   bool
}

// ListVersionsOptions selects a page of ListObjectVersions.
type ListVersionsOptions struct {
	Prefix, Delimiter          string
	KeyMarker, VersionIDMarker string
	MaxKeys                    int
}

// ListVersionsResult is a page of ListObjectVersions: Versions holds
// versions and delete markers (DeleteMarker set) in listing order.
type ListVersionsResult struct {
	Versions                           []ObjectInfo
	CommonPrefixes                     []string
	IsTruncated                        bool
	NextKeyMarker, NextVersionIDMarker string
}

// PartInfo describes an uploaded part.
type PartInfo struct {
	Number    int
	Size      int64
	ETag      string
	ModTime   time.Time
	Checksums map[string]string
}

// CompletePart names a part in a CompleteMultipartUpload request.
type CompletePart struct {
	Number    int
	ETag      string            // hex, without quotes
	Checksums map[string]string // the part checksums the client listed, if any
}

// ListPartsResult is a page of ListObjectParts.
type ListPartsResult struct {
	Parts       []PartInfo
	IsTruncated bool
	NextMarker  int
}

// UploadInfo describes a multipart upload in progress.
type UploadInfo struct {
	Key       string
	UploadID  string
	Initiated time.Time
	// ChecksumAlgorithm and ChecksumType are the upload's, as PutOptions
	// gave them to NewMultipartUpload ("" and "" if none).
	ChecksumAlgorithm string
	ChecksumType      string
	// Initiator is the caller that started the upload ("" if not recorded)
	// and ACL the ACL document the object will have (its owner), both as
	// PutOptions gave them.
	Initiator string
	ACL       []byte
	// SSECustomerKeyMD5 is the base64 MD5 of the SSE-C key the upload's
	// parts are encrypted under ("" if none).
	SSECustomerKeyMD5 string
	// SSEKMSKeyID names the SSE-KMS key the upload's parts are encrypted
	// under ("" if none).
	SSEKMSKeyID string
}

// ListUploadsOptions selects a page of ListMultipartUploads.
type ListUploadsOptions struct {
	Prefix, Delimiter, KeyMarker, UploadIDMarker string
	MaxUploads                                   int
}

// ListUploadsResult is a page of ListMultipartUploads.
type ListUploadsResult struct {
	Uploads            []UploadInfo
	CommonPrefixes     []string
	IsTruncated        bool
	NextKeyMarker      string
	NextUploadIDMarker string
}

// BucketInfo describes a bucket.
type BucketInfo struct {
	Name    string
	Owner   string
	Created time.Time
	Tags    map[string]string
	// Config holds the bucket's sub-resource documents by name (see
	// SetBucketConfig); not filled in by ListBuckets.
	Config map[string][]byte
	// Versioning is "", "Enabled" or "Suspended".
	Versioning string
}

// ObjectInfo describes a stored object.
type ObjectInfo struct {
	Bucket      string
	Key         string
	Size        int64
	ETag        string // hex, without quotes
	ModTime     time.Time
	ContentType string
	// UserMeta holds x-amz-meta-* values keyed by lower-case name without the prefix.
	UserMeta map[string]string
	// Headers holds the stored standard headers (Content-Encoding,
	// Content-Disposition, Cache-Control, Content-Language, Expires) by
	// canonical name.
	Headers map[string]string
	// Checksums holds the object's checksums by algorithm ("CRC32", ...),
	// base64 as S3 sends them; a multipart object's composite checksum ends
	// in "-<parts>".
	Checksums map[string]string
	// Parts is the number of parts of a multipart object, 0 otherwise, and
	// PartSizes their sizes (not filled in by listings).
	Parts     int
	PartSizes []int64
	// PartChecksums are, for a multipart object with a checksum, each part's
	// value (base64) under the algorithm of Checksums, in PartSizes' order;
	// nil if the layer kept none (objects completed before they were kept).
	PartChecksums []string
	Tags          map[string]string
	// ACL is the object's ACL document as the front end stored it (nil: none).
	ACL []byte
	// VersionID is "" in a bucket never versioned (the object is version
	// "null" then), else the version's id ("null" for the null version).
	VersionID    string
	IsLatest     bool // filled in by ListObjectVersions
	DeleteMarker bool
	Lock         ObjectLock
	// Extra holds response headers the ObjectLayer adds to GET and HEAD
	// answers (names beginning with x-mefs-), e.g. x-mefs-proven-epoch.
	Extra map[string]string
	// SSECustomerKeyMD5 is the base64 MD5 of the SSE-C key the object's
	// data is encrypted under ("" if none): reads must present that key.
	SSECustomerKeyMD5 string
	// SSEKMSKeyID names the SSE-KMS key the object's data is encrypted
	// under ("" if none); reads need nothing.
	SSEKMSKeyID string
	// UploadID is the multipart upload that made the version ("" if none,
	// or if the layer does not keep it).
	UploadID string
}

// PutOptions carries the metadata of a PutObject or multipart upload.
type PutOptions struct {
	// Initiator is the caller starting a multipart upload (access key).
	Initiator   string
	ContentType string
	UserMeta    map[string]string
	Headers     map[string]string
	// ChecksumAlgorithm is the algorithm a multipart upload's parts carry.
	ChecksumAlgorithm string
	// ChecksumType is how a multipart upload with a ChecksumAlgorithm
	// checksums the object: "FULL_OBJECT" (the CRC of the whole object,
	// FullObjectChecksum) or "COMPOSITE" (CompositeChecksum).
	ChecksumType string
	Tags         map[string]string
	// ACL is the new object's ACL document, stored as given (nil: none).
	ACL []byte
	// Lock is the new version's Object Lock state.
	Lock ObjectLock
	// IfNoneMatch ("*" only) and IfMatch (an ETag) make a PutObject
	// conditional on the object there when it commits: ErrPreconditionFailed
	// if the condition fails (ErrNoSuchKey for IfMatch on a missing key).
	IfNoneMatch, IfMatch string
	// CustomerKey is the SSE-C key (32 bytes) the new object's data, or a
	// new upload's parts, are to be encrypted under, with the layer's own
	// key: reads must then present it. nil: none.
	CustomerKey []byte
	// KMSKeyID names the SSE-KMS key (see ssekms.go) the new object's data,
	// or a new upload's parts, are to be encrypted under; "": none. Never
	// set with CustomerKey.
	KMSKeyID string
}

// CheckPut applies a conditional PUT's preconditions to the object found at
// the key (exists=false if none).
func (o PutOptions) CheckPut(existing ObjectInfo, exists bool) error {
	if o.IfNoneMatch == "*" && exists {
		return ErrPreconditionFailed
	}
	if o.IfMatch != "" {
		if !exists {
			return ErrNoSuchKey
		}
		if !etagMatches(o.IfMatch, existing.ETag) {
			return ErrPreconditionFailed
		}
	}
	return nil
}

// ListOptions selects a page of ListObjects.
type ListOptions struct {
	Prefix    string
	Delimiter string
	Marker    string // list keys strictly after this one
	MaxKeys   int
}

// ListResult is one page of a listing. Objects and CommonPrefixes together
// hold at most MaxKeys entries; NextMarker is the last key or prefix returned.
type ListResult struct {
	Objects        []ObjectInfo
	CommonPrefixes []string
	IsTruncated    bool
	NextMarker     string
}
