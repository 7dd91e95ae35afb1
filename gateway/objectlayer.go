package gateway

// Invariants:
//   - An ObjectLayer mutation is atomic: after PutObject or DeleteObject returns,
//     either the whole new state is visible and durable or none of it is.
//   - PutObject reads its PutReader to io.EOF before committing; any error the
//     reader returns (size mismatch, bad digest, bad signature) aborts the put.

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
	// GetObject opens the object, or the byte range rng resolves to against its
	// size (nil: the whole object). The caller closes the reader.
	GetObject(ctx context.Context, bucket, key string, rng *Range) (ObjectInfo, io.ReadCloser, error)
	// ObjectInfo describes an object; ErrNoSuchKey if there is none.
	ObjectInfo(ctx context.Context, bucket, key string) (ObjectInfo, error)
	// DeleteObject removes an object; deleting a missing key is not an error.
	DeleteObject(ctx context.Context, bucket, key string) error
	// ListObjects lists keys in lexicographic order after opts.Marker, rolling
	// keys that share a prefix up to opts.Delimiter into CommonPrefixes.
	ListObjects(ctx context.Context, bucket string, opts ListOptions) (ListResult, error)
}

// BucketInfo describes a bucket.
type BucketInfo struct {
	Name    string
	Owner   string
	Created time.Time
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
}

// PutOptions carries the metadata of a PutObject.
type PutOptions struct {
	ContentType string
	UserMeta    map[string]string
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
