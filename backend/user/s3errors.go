package user

// The Layer is the gateway's ObjectLayer over the metadata store: every
// exported ObjectLayer method passes its error through s3Error, which
// turns the store's own errors (meta.Err*) into the gateway's S3 errors.
// Errors that are already S3 errors, or are internal, pass unchanged.

import (
	"errors"

	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/gateway"
)

// s3Errors maps each store error to the S3 error the front end answers.
var s3Errors = []struct {
	store error
	s3    *gateway.APIError
}{
	{meta.ErrNoSuchBucket, gateway.ErrNoSuchBucket},
	{meta.ErrBucketExists, gateway.ErrBucketAlreadyOwnedByYou},
	{meta.ErrBucketNotEmpty, gateway.ErrBucketNotEmpty},
	{meta.ErrNoSuchKey, gateway.ErrNoSuchKey},
	{meta.ErrNoSuchUpload, gateway.ErrNoSuchUpload},
	{meta.ErrPartChanged, gateway.ErrInvalidPart},
	{meta.ErrNoSuchVersion, gateway.ErrNoSuchVersion},
	{meta.ErrDeleteMarker, gateway.ErrMethodNotAllowed},
	{meta.ErrLocked, gateway.ErrAccessDenied},
}

// s3Error returns err as the gateway's S3 error. A wrapped store error
// keeps its chain (for logs); a changed part's message goes to the client.
func s3Error(err error) error {
	if err == nil {
		return nil
	}
	for _, m := range s3Errors {
		switch {
		case err == m.store:
			return m.s3
		case !errors.Is(err, m.store):
			continue
		case m.store == meta.ErrPartChanged:
			return m.s3.Errorf("%s", err.Error())
		default:
			return errors.Join(m.s3, err)
		}
	}
	return err
}

// translate rewrites *err with s3Error; deferred by ObjectLayer methods.
func translate(err *error) { *err = s3Error(*err) }
