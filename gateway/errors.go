package gateway

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"

	"github.com/mefs-project/mefs/gateway/sigv4"
)

// APIError is an S3 error: its AWS code, HTTP status and message. It is
// the one S3 error type of the front end, shared with SigV4 verification.
type APIError = sigv4.Error

func apiErr(code string, status int, msg string) *APIError { return sigv4.New(code, status, msg) }

// Errors an ObjectLayer or the front end may return.
var (
	ErrNoSuchBucket            = apiErr("NoSuchBucket", 404, "The specified bucket does not exist")
	ErrNoSuchKey               = apiErr("NoSuchKey", 404, "The specified key does not exist.")
	ErrBucketNotEmpty          = apiErr("BucketNotEmpty", 409, "The bucket you tried to delete is not empty")
	ErrBucketAlreadyOwnedByYou = apiErr("BucketAlreadyOwnedByYou", 409, "Your previous request to create the named bucket succeeded and you already own it.")
	ErrBucketAlreadyExists     = apiErr("BucketAlreadyExists", 409, "The requested bucket name is not available.")
	ErrInvalidBucketName       = apiErr("InvalidBucketName", 400, "The specified bucket is not valid.")
	ErrInvalidRange            = apiErr("InvalidRange", 416, "The requested range is not satisfiable")
	ErrInvalidArgument         = apiErr("InvalidArgument", 400, "Invalid Argument")
	ErrInvalidDigest           = apiErr("InvalidDigest", 400, "The Content-MD5 you specified is not valid.")
	ErrBadDigest               = apiErr("BadDigest", 400, "The Content-MD5 you specified did not match what was received.")
	ErrIncompleteBody          = apiErr("IncompleteBody", 400, "You did not provide the number of bytes specified by the Content-Length HTTP header.")
	ErrMissingContentLength    = apiErr("MissingContentLength", 411, "You must provide the Content-Length HTTP header.")
	ErrEntityTooLarge          = apiErr("EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed object size.")
	ErrKeyTooLong              = apiErr("KeyTooLongError", 400, "Your key is too long")
	ErrMethodNotAllowed        = apiErr("MethodNotAllowed", 405, "The specified method is not allowed against this resource.")
	ErrNotImplemented          = apiErr("NotImplemented", 501, "A header you provided implies functionality that is not implemented")
	ErrAccessDenied            = apiErr("AccessDenied", 403, "Access Denied")
	ErrInternal                = apiErr("InternalError", 500, "We encountered an internal error. Please try again.")
	ErrServiceUnavailable      = apiErr("ServiceUnavailable", 503, "Reduce your request rate.")
	ErrMalformedXML            = apiErr("MalformedXML", 400, "The XML you provided was not well-formed or did not validate against our published schema.")
)

// toAPIError maps any error to the S3 error reported to the client.
func toAPIError(err error) *APIError {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae
	}
	switch {
	case errors.Is(err, http.ErrBodyReadAfterClose) || errors.Is(err, errUnexpectedEOF):
		return ErrIncompleteBody
	case isTimeout(err):
		return ErrRequestTimeout
	}
	return ErrInternal
}

// Multipart upload errors.
var (
	ErrNoSuchUpload     = apiErr("NoSuchUpload", 404, "The specified multipart upload does not exist. The upload ID might be invalid, or the multipart upload might have been aborted or completed.")
	ErrInvalidPart      = apiErr("InvalidPart", 400, "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.")
	ErrInvalidPartOrder = apiErr("InvalidPartOrder", 400, "The list of parts was not in ascending order. The parts list must be specified in order by part number.")
	ErrEntityTooSmall   = apiErr("EntityTooSmall", 400, "Your proposed upload is smaller than the minimum allowed object size.")
)

// ErrInvalidRequest is S3's catch-all for a request it cannot honour as sent.
var ErrInvalidRequest = apiErr("InvalidRequest", 400, "Invalid Request")

// encode marshals an error body as S3 does: quotes in its text stay literal
// (encoding/xml writes them as &#34; and &#39;, which clients that match the
// message's text do not expect). The body has no attributes, so a quote can
// only be in character data, where it needs no escape; a literal "&#34;" in
// a message is written as "&amp;#34;" and is left alone.
func (b errorBody) encode() ([]byte, error) {
	out, err := xml.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("marshal error body: %w", err)
	}
	out = bytes.ReplaceAll(out, []byte("&#34;"), []byte(`"`))
	return bytes.ReplaceAll(out, []byte("&#39;"), []byte("'")), nil
}
