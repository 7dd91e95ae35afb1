// Package sigv4 owns server-side AWS Signature Version 4 authentication for
// the S3-compatible gateway.
//
// It does two things and nothing else:
//
//   - [Verifier.Verify] authenticates a request signed with the
//     Authorization header or with presigned query parameters (SigV4, or
//     Signature Version 2 for older clients: v2.go), and returns the [Auth]
//     describing who signed it and how the payload is protected.
//   - [Auth.Body] turns the request body into a verified, streaming
//     [Payload]: a SHA-256 checked body, an unsigned body, or a decoded
//     aws-chunked body (signed chunks, unsigned chunks with trailers, or
//     signed chunks with signed trailers).
//
// Every failure is an [*Error] carrying the exact S3 error code and HTTP
// status, so the HTTP layer can render it without interpretation. Callers
// match errors with errors.Is against the exported sentinels or extract the
// code with errors.As.
//
// The package never logs and never includes secrets or derived keys in
// errors. Memory use per request is bounded: header lines are limited to
// 4 KiB, trailers to a small fixed budget, and at most one signed chunk of
// at most 16 MiB is held while its signature is checked.
package sigv4
