package sigv4

// Invariants:
//   - Every error this package returns to a caller is, or wraps, an *Error.
//   - errors.Is(err, ErrX) holds exactly when err derives from sentinel ErrX
//     (via With or wrapping), or is an ad-hoc *Error with the same Code that
//     does not derive from a different sentinel.
//   - Messages never contain secrets, signing keys or expected signatures.

import "fmt"

// Error is an S3 authentication error with its exact AWS code and HTTP status.
type Error struct {
	Code    string
	Status  int
	Message string

	kind     *Error // sentinel this error was derived from, nil if none
	sentinel bool   // true for the package-level sentinels
	cause    error  // underlying error, if any
}

// Error implements error.
func (e *Error) Error() string {
	if e == nil {
		return "<nil>"
	}
	s := e.Code + ": " + e.Message
	if e.cause != nil {
		s += ": " + e.cause.Error()
	}
	return s
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.cause
}

// root is the sentinel e derives from, or e itself.
func (e *Error) root() *Error {
	if e.kind != nil {
		return e.kind
	}
	return e
}

// Is reports whether e matches target: same originating sentinel, or same
// Code when at most one of the two derives from a sentinel.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok || e == nil || t == nil {
		return false
	}
	er, tr := e.root(), t.root()
	if er == tr {
		return true
	}
	if er.sentinel && tr.sentinel {
		return false
	}
	return e.Code == t.Code
}

// With returns a copy of e with a different message. The copy still matches
// e (and e's sentinel) under errors.Is.
func (e *Error) With(message string) *Error {
	c := *e
	c.kind = e.root()
	c.sentinel = false
	c.Message = message
	return &c
}

// withf is With with formatting.
func (e *Error) withf(format string, args ...any) *Error {
	return e.With(fmt.Sprintf(format, args...))
}

// wrap returns a copy of e whose Unwrap yields cause.
func (e *Error) wrap(cause error) *Error {
	c := e.With(e.Message)
	c.cause = cause
	return c
}

// New returns a new sentinel error: the S3 front end declares its own
// errors with it, so that every S3 error is an *Error.
func New(code string, status int, message string) *Error { return sentinel(code, status, message) }

// Errorf returns a copy of e with a formatted message; it still matches e
// under errors.Is.
func (e *Error) Errorf(format string, args ...any) *Error { return e.withf(format, args...) }

func sentinel(code string, status int, message string) *Error {
	return &Error{Code: code, Status: status, Message: message, sentinel: true}
}

// Sentinels. Returned errors are, derive from (With) or wrap one of these.
var (
	// ErrAccessDenied is returned for anonymous requests, expired presigned
	// URLs (message "Request has expired") and unsigned x-amz-* headers.
	ErrAccessDenied = sentinel("AccessDenied", 403, "Access Denied")
	// ErrSignatureDoesNotMatch is returned when a request, chunk or trailer
	// signature is wrong.
	ErrSignatureDoesNotMatch = sentinel("SignatureDoesNotMatch", 403,
		"The request signature we calculated does not match the signature you provided. Check your key and signing method.")
	// ErrInvalidAccessKeyId is returned for unknown access keys.
	ErrInvalidAccessKeyId = sentinel("InvalidAccessKeyId", 403,
		"The AWS Access Key Id you provided does not exist in our records.")
	// ErrAuthorizationHeaderMalformed is returned for an unparsable
	// Authorization header or credential scope.
	ErrAuthorizationHeaderMalformed = sentinel("AuthorizationHeaderMalformed", 400,
		"The authorization header is malformed.")
	// ErrAuthorizationQueryParametersError is returned for malformed
	// presigned query parameters.
	ErrAuthorizationQueryParametersError = sentinel("AuthorizationQueryParametersError", 400,
		"Query-string authentication parameters are malformed.")
	// ErrRequestTimeTooSkewed is returned when the request time is too far
	// from the server clock.
	ErrRequestTimeTooSkewed = sentinel("RequestTimeTooSkewed", 403,
		"The difference between the request time and the current time is too large.")
	// ErrMissingSecurityHeader is returned when a required header such as
	// X-Amz-Date or X-Amz-Content-Sha256 is absent.
	ErrMissingSecurityHeader = sentinel("MissingSecurityHeader", 400,
		"Your request was missing a required header.")
	// ErrXAmzContentSHA256Mismatch is returned at the end of a body whose
	// SHA-256 differs from the signed X-Amz-Content-Sha256.
	ErrXAmzContentSHA256Mismatch = sentinel("XAmzContentSHA256Mismatch", 400,
		"The provided 'x-amz-content-sha256' header does not match what was computed.")
	// ErrIncompleteBody is returned for truncated bodies and for a decoded
	// length that differs from X-Amz-Decoded-Content-Length.
	ErrIncompleteBody = sentinel("IncompleteBody", 400,
		"You did not provide the number of bytes specified by the Content-Length HTTP header.")
	// ErrMalformedChunk is returned for bad aws-chunked framing.
	ErrMalformedChunk = sentinel("InvalidArgument", 400,
		"The aws-chunked payload encoding is malformed.")
	// ErrMalformedTrailer is returned for bad, missing or undeclared trailers.
	ErrMalformedTrailer = sentinel("MalformedTrailerError", 400,
		"The request contained trailing data that was not well-formed or did not conform to our published schema.")
	// ErrInvalidArgument is returned for unsupported X-Amz-Content-Sha256
	// values and conflicting authentication mechanisms.
	ErrInvalidArgument = sentinel("InvalidArgument", 400, "Invalid Argument")
)
