package meta

// The store's own errors and listing types: meta knows nothing of S3's
// front end; backend/user translates these to the gateway's errors and
// types.

import "errors"

var (
	// ErrNoSuchBucket: the bucket does not exist.
	ErrNoSuchBucket = errors.New("no such bucket")
	// ErrBucketExists: CreateBucket of a bucket that exists.
	ErrBucketExists = errors.New("bucket already exists")
	// ErrBucketNotEmpty: DeleteBucket of a bucket that holds objects.
	ErrBucketNotEmpty = errors.New("bucket is not empty")
	// ErrNoSuchKey: the object (or its layout) does not exist.
	ErrNoSuchKey = errors.New("no such key")
	// ErrNoSuchUpload: the multipart upload does not exist.
	ErrNoSuchUpload = errors.New("no such upload")
	// ErrPartChanged: a part named by CompleteUpload was uploaded again or
	// is gone since the layout was built.
	ErrPartChanged = errors.New("a listed part changed while the upload was being completed")
)

// ListOptions selects a page of List.
type ListOptions struct {
	Prefix    string
	Delimiter string
	Marker    string // list keys strictly after this one
	MaxKeys   int
}

// ListEntry is one object of a listing page.
type ListEntry struct {
	Bucket string
	Key    string
	Object
}

// ListPage is one page of a listing. Objects and CommonPrefixes together
// hold at most MaxKeys entries; NextMarker is the last key or prefix returned.
type ListPage struct {
	Objects        []ListEntry
	CommonPrefixes []string
	IsTruncated    bool
	NextMarker     string
}
