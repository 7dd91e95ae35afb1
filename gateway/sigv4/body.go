package sigv4

// Invariants:
//   - A Payload never reports io.EOF for a body that failed verification:
//     the final Read returns the verification error instead.
//   - Errors are sticky: once Read returned an error, every later Read
//     returns the same error.
//   - Read errors are *Error values, or wrap the underlying body's own read
//     error (for example a client disconnect or http.MaxBytesError) with %w.
//   - No payload is ever buffered whole.

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// X-Amz-Content-Sha256 values selecting the aws-chunked encodings.
const (
	streamingSigned          = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	streamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
	streamingSignedTrailer   = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
)

// maxDeclaredTrailers bounds the names accepted in X-Amz-Trailer.
const maxDeclaredTrailers = 16

// Payload is a verified request body.
type Payload interface {
	io.Reader
	// Trailer returns the trailing headers (canonical lowercase names, e.g.
	// "x-amz-checksum-crc32") once Read has returned io.EOF; nil otherwise or
	// when none. Index it directly: http.Header.Get would canonicalize the
	// name and miss.
	Trailer() http.Header
}

// Body returns the request payload decoded and verified, streaming, as
// selected by a.PayloadHash:
//   - 64 hex digits: the body, checked against the SHA-256 at EOF
//     (ErrXAmzContentSHA256Mismatch instead of io.EOF on mismatch);
//   - UNSIGNED-PAYLOAD: the body as is;
//   - STREAMING-AWS4-HMAC-SHA256-PAYLOAD: aws-chunked with signed chunks;
//   - STREAMING-UNSIGNED-PAYLOAD-TRAILER: aws-chunked, unsigned, trailers;
//   - STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER: signed chunks and signed
//     trailers.
//
// For aws-chunked bodies, trailers named in X-Amz-Trailer must be present,
// and the decoded length must equal X-Amz-Decoded-Content-Length when that
// header is present.
func (a *Auth) Body(r *http.Request) (Payload, error) {
	if a == nil || r == nil {
		return nil, ErrAccessDenied.With("request is not authenticated")
	}
	body := r.Body
	if body == nil {
		body = http.NoBody
	}
	switch ph := a.PayloadHash; ph {
	case unsignedPayload:
		return &plainPayload{r: body}, nil
	case streamingSigned, streamingUnsignedTrailer, streamingSignedTrailer:
		decoded, err := declaredDecodedLength(r)
		if err != nil {
			return nil, err
		}
		declared, err := declaredTrailers(r)
		if err != nil {
			return nil, err
		}
		trailers := ph != streamingSigned
		if !trailers && len(declared) > 0 {
			return nil, ErrMalformedTrailer.With("x-amz-trailer requires a STREAMING-*-TRAILER x-amz-content-sha256")
		}
		return newChunkedReader(body, a, ph != streamingUnsignedTrailer, trailers, declared, decoded), nil
	default:
		if isHex64(ph) {
			return &hashPayload{r: body, h: sha256.New(), want: strings.ToLower(ph)}, nil
		}
	}
	return nil, ErrInvalidArgument.With("unsupported x-amz-content-sha256 value")
}

// DecodedLength returns the payload length the client declared:
// X-Amz-Decoded-Content-Length for aws-chunked bodies, else r.ContentLength
// (-1 if unknown).
func DecodedLength(r *http.Request) int64 {
	if r == nil {
		return -1
	}
	if isAWSChunked(r) {
		n, err := declaredDecodedLength(r)
		if err != nil {
			return -1
		}
		return n
	}
	return r.ContentLength
}

// isAWSChunked reports whether r's body uses the aws-chunked encoding: a
// STREAMING-* payload hash, or a Content-Encoding naming aws-chunked with
// the decoded length declared. The token alone, with neither (a plain
// upload whose client lists it), frames nothing: its length is
// Content-Length.
func isAWSChunked(r *http.Request) bool {
	if strings.HasPrefix(r.Header.Get("X-Amz-Content-Sha256"), "STREAMING-") {
		return true
	}
	if r.Header.Get("X-Amz-Decoded-Content-Length") == "" {
		return false
	}
	for _, v := range r.Header.Values("Content-Encoding") {
		for _, enc := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(enc), "aws-chunked") {
				return true
			}
		}
	}
	return false
}

// declaredDecodedLength parses X-Amz-Decoded-Content-Length; -1 if absent.
func declaredDecodedLength(r *http.Request) (int64, error) {
	v := r.Header.Get("X-Amz-Decoded-Content-Length")
	if v == "" {
		return -1, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return -1, ErrInvalidArgument.With("invalid x-amz-decoded-content-length")
	}
	return n, nil
}

// declaredTrailers parses X-Amz-Trailer into lowercase names.
func declaredTrailers(r *http.Request) ([]string, error) {
	var names []string
	for _, v := range r.Header.Values("X-Amz-Trailer") {
		for _, n := range strings.Split(v, ",") {
			n = strings.ToLower(strings.TrimSpace(n))
			if n == "" {
				continue
			}
			if n == trailerSigName || len(names) >= maxDeclaredTrailers {
				return nil, ErrMalformedTrailer.With("invalid x-amz-trailer header")
			}
			names = append(names, n)
		}
	}
	return names, nil
}

// bodyReadError converts an error from the underlying body.
func bodyReadError(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return ErrIncompleteBody.wrap(err)
	}
	return fmt.Errorf("sigv4: reading request body: %w", err)
}

// plainPayload is an UNSIGNED-PAYLOAD body.
type plainPayload struct {
	r   io.Reader
	err error
}

func (p *plainPayload) Read(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	n, err := p.r.Read(b)
	if err != nil {
		if err != io.EOF {
			err = bodyReadError(err)
		}
		p.err = err
	}
	return n, err
}

func (p *plainPayload) Trailer() http.Header { return nil }

// hashPayload checks the body against a signed SHA-256.
type hashPayload struct {
	r    io.Reader
	h    hash.Hash
	want string
	err  error
}

func (p *hashPayload) Read(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	n, err := p.r.Read(b)
	p.h.Write(b[:n])
	switch {
	case err == io.EOF:
		if hex.EncodeToString(p.h.Sum(nil)) != p.want {
			err = ErrXAmzContentSHA256Mismatch
		}
		p.err = err
	case err != nil:
		err = bodyReadError(err)
		p.err = err
	}
	return n, err
}

func (p *hashPayload) Trailer() http.Header { return nil }
