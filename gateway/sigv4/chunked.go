package sigv4

// Invariants:
//   - Signed chunk data is released to the caller only after the chunk's
//     signature verified; at most one chunk (<= maxSignedChunk bytes) is
//     held, and the buffer grows with the bytes actually received, not with
//     the size the client declared.
//   - Unsigned chunk data streams through without buffering.
//   - io.EOF is reported only after the final chunk, all trailers (and the
//     trailer signature when signed) and the declared decoded length
//     verified, and the body has no bytes left.
//   - Header and trailer lines are bounded by maxLineLen; trailers by
//     maxTrailers and maxTrailerBytes.
//
// Wire format (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html):
//
//	signed:   hex-size ";chunk-signature=" sig CRLF data CRLF ... "0;chunk-signature=" sig CRLF
//	unsigned: hex-size CRLF data CRLF ... "0" CRLF
//
// followed by zero or more trailer lines "name:value" CRLF, then (signed
// trailer variant only) "x-amz-trailer-signature:" sig CRLF, then CRLF.

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"net/http"
	"slices"
	"strings"
)

const (
	maxLineLen      = 4 << 10
	maxSignedChunk  = 16 << 20
	maxTrailers     = 16
	maxTrailerBytes = 16 << 10
	readBufSize     = 64 << 10
	minChunkAlloc   = 32 << 10

	chunkSigPrefix = "chunk-signature="
	trailerSigName = "x-amz-trailer-signature"
	payloadAlgo    = "AWS4-HMAC-SHA256-PAYLOAD"
	trailerAlgo    = "AWS4-HMAC-SHA256-TRAILER"
)

// chunkedReader decodes an aws-chunked body.
type chunkedReader struct {
	br         *bufio.Reader
	signed     bool // chunks carry signatures
	trailers   bool // a trailer section may carry trailers
	auth       *Auth
	prevSig    string
	declared   []string // trailer names from X-Amz-Trailer
	decodedLen int64    // X-Amz-Decoded-Content-Length, -1 if absent
	total      int64    // decoded bytes announced by chunk headers so far

	remaining int64 // unsigned: bytes of the current chunk not yet read
	needCRLF  bool  // unsigned: current chunk consumed, its CRLF pending
	buf       []byte
	off       int // signed: buf[off:] is verified data not yet returned
	chunkHash hash.Hash

	trailer http.Header
	err     error // sticky; io.EOF once fully verified
}

func newChunkedReader(body io.Reader, a *Auth, signed, trailers bool, declared []string, decodedLen int64) *chunkedReader {
	return &chunkedReader{
		br:         bufio.NewReaderSize(body, readBufSize),
		signed:     signed,
		trailers:   trailers,
		auth:       a,
		prevSig:    a.seed,
		declared:   declared,
		decodedLen: decodedLen,
		chunkHash:  sha256.New(),
	}
}

// Trailer implements Payload.
func (c *chunkedReader) Trailer() http.Header {
	if c.err != io.EOF {
		return nil
	}
	return c.trailer
}

// Read implements io.Reader.
func (c *chunkedReader) Read(p []byte) (int, error) {
	for {
		if c.err != nil {
			return 0, c.err
		}
		if c.off < len(c.buf) {
			n := copy(p, c.buf[c.off:])
			c.off += n
			return n, nil
		}
		if len(p) == 0 {
			return 0, nil
		}
		if c.remaining > 0 {
			q := p
			if int64(len(q)) > c.remaining {
				q = q[:c.remaining]
			}
			n, err := c.br.Read(q)
			c.remaining -= int64(n)
			if c.remaining == 0 {
				c.needCRLF = true
			}
			if err != nil && c.remaining > 0 {
				c.err = c.readError(err)
			}
			if n > 0 {
				return n, nil
			}
			continue
		}
		if err := c.next(); err != nil {
			c.err = err
		}
	}
}

// readError maps an error from the underlying body.
func (c *chunkedReader) readError(err error) error {
	if err == io.EOF {
		return ErrIncompleteBody.With("the aws-chunked body ended early")
	}
	return bodyReadError(err)
}

// readLine returns the next CRLF-terminated line without its CRLF. The
// returned slice is valid until the next read. A clean EOF before any byte
// of the line is returned as io.EOF.
func (c *chunkedReader) readLine() ([]byte, error) { return c.readLineEnd(false) }

// readTrailerLine is readLine for the trailer section, where a bare LF also
// ends a line: minio-go ends trailer lines so, S3 and MinIO accept it.
func (c *chunkedReader) readTrailerLine() ([]byte, error) { return c.readLineEnd(true) }

func (c *chunkedReader) readLineEnd(bareLF bool) ([]byte, error) {
	line, err := c.br.ReadSlice('\n')
	switch {
	case err == nil:
	case errors.Is(err, bufio.ErrBufferFull):
		return nil, ErrMalformedChunk.With("aws-chunked line too long")
	case err == io.EOF && len(line) == 0:
		return nil, io.EOF
	default:
		return nil, c.readError(err)
	}
	if len(line) > maxLineLen {
		return nil, ErrMalformedChunk.With("aws-chunked line too long")
	}
	if len(line) >= 2 && line[len(line)-2] == '\r' {
		return line[:len(line)-2], nil
	}
	if bareLF {
		return line[:len(line)-1], nil
	}
	return nil, ErrMalformedChunk.With("aws-chunked line not terminated by CRLF")
}

// expectCRLF consumes the CRLF that ends chunk data.
func (c *chunkedReader) expectCRLF() error {
	var b [2]byte
	if _, err := io.ReadFull(c.br, b[:]); err != nil {
		if err == io.ErrUnexpectedEOF {
			err = io.EOF
		}
		return c.readError(err)
	}
	if b != [2]byte{'\r', '\n'} {
		return ErrMalformedChunk.With("aws-chunked data not followed by CRLF")
	}
	return nil
}

// parseChunkHeader parses "hex-size[;chunk-signature=sig]".
func (c *chunkedReader) parseChunkHeader(line []byte) (int64, string, error) {
	sizePart, ext, hasExt := bytes.Cut(line, []byte(";"))
	size, ok := parseHexSize(sizePart)
	if !ok {
		return 0, "", ErrMalformedChunk.With("invalid aws-chunked chunk size")
	}
	if !c.signed {
		// Unsigned chunks may carry extensions; none has meaning here.
		return size, "", nil
	}
	sig, ok := bytes.CutPrefix(ext, []byte(chunkSigPrefix))
	if !hasExt || !ok || !isHex64(string(sig)) {
		return 0, "", ErrMalformedChunk.With("aws-chunked chunk without a valid chunk-signature")
	}
	return size, strings.ToLower(string(sig)), nil
}

// parseHexSize parses 1..15 hex digits (so the value fits an int64).
func parseHexSize(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 15 {
		return 0, false
	}
	var n int64
	for _, ch := range b {
		var d byte
		switch {
		case '0' <= ch && ch <= '9':
			d = ch - '0'
		case 'a' <= ch && ch <= 'f':
			d = ch - 'a' + 10
		case 'A' <= ch && ch <= 'F':
			d = ch - 'A' + 10
		default:
			return 0, false
		}
		n = n<<4 | int64(d)
	}
	return n, true
}

// next reads the next chunk header (and, when signed, its verified data).
func (c *chunkedReader) next() error {
	if c.needCRLF {
		if err := c.expectCRLF(); err != nil {
			return err
		}
		c.needCRLF = false
	}
	line, err := c.readLine()
	if err != nil {
		if err == io.EOF {
			return ErrIncompleteBody.With("the aws-chunked body ended before its final chunk")
		}
		return err
	}
	size, sig, err := c.parseChunkHeader(line)
	if err != nil {
		return err
	}
	if c.signed && size > maxSignedChunk {
		return ErrMalformedChunk.With("aws-chunked chunk larger than 16 MiB")
	}
	if c.decodedLen >= 0 && size > c.decodedLen-c.total {
		return ErrIncompleteBody.With("the aws-chunked body is longer than x-amz-decoded-content-length")
	}
	c.total += size
	if c.signed {
		if err := c.readSignedChunk(size, sig); err != nil {
			return err
		}
	} else {
		c.remaining = size
	}
	if size == 0 {
		return c.finish()
	}
	return nil
}

// readSignedChunk reads size bytes of chunk data plus CRLF (none for the
// final chunk), and verifies sig over them.
func (c *chunkedReader) readSignedChunk(size int64, sig string) error {
	c.buf, c.off = c.buf[:0], 0
	for int64(len(c.buf)) < size {
		if len(c.buf) == cap(c.buf) {
			grow := max(cap(c.buf), minChunkAlloc)
			if left := int(size) - len(c.buf); grow > left {
				grow = left
			}
			c.buf = slices.Grow(c.buf, grow)
		}
		end := min(cap(c.buf), int(size))
		n, err := c.br.Read(c.buf[len(c.buf):end])
		c.buf = c.buf[:len(c.buf)+n]
		if err != nil && int64(len(c.buf)) < size {
			return c.readError(err)
		}
	}
	if size > 0 {
		if err := c.expectCRLF(); err != nil {
			return err
		}
	}
	c.chunkHash.Reset()
	c.chunkHash.Write(c.buf)
	sts := payloadAlgo + "\n" + c.auth.amzDate + "\n" + c.auth.scope + "\n" + c.prevSig + "\n" +
		emptySHA256 + "\n" + hex.EncodeToString(c.chunkHash.Sum(nil))
	want := signHex(c.auth.key, sts)
	if !equalSig(want, sig) {
		c.buf = c.buf[:0]
		return ErrSignatureDoesNotMatch.With("aws-chunked chunk signature does not match")
	}
	c.prevSig = want
	return nil
}

// finish reads the trailer section after the final chunk and runs the
// end-of-body checks. It returns io.EOF on success.
func (c *chunkedReader) finish() error {
	var (
		trailer  http.Header
		canon    = sha256.New()
		sigValue string
		sawSig   bool
		count    int
		// blankSeen: a blank line followed the trailers (see below).
		blankSeen bool
		bytesIn   int
	)
	for first := true; ; first = false {
		line, err := c.readTrailerLine()
		if err == io.EOF && first && c.signed && !c.trailers {
			// Some clients omit the CRLF after the signed final chunk; the
			// final chunk's signature already covered the end of data.
			break
		}
		if err == io.EOF && blankSeen {
			break
		}
		if err == io.EOF {
			return ErrIncompleteBody.With("the aws-chunked body ended inside its trailer")
		}
		if err != nil {
			return err
		}
		if len(line) == 0 {
			if c.trailers && count > 0 && !sawSig && !blankSeen {
				// minio-go puts a blank line after the trailers: before the
				// trailer signature, or before the final blank line.
				blankSeen = true
				continue
			}
			break
		}
		if !c.trailers {
			return ErrMalformedChunk.With("data after the final aws-chunked chunk")
		}
		if sawSig {
			return ErrMalformedTrailer.With("x-amz-trailer-signature must be the last trailer")
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		lname := strings.ToLower(strings.TrimSpace(string(name)))
		if !ok || lname == "" {
			return ErrMalformedTrailer.With("trailer line is not name:value")
		}
		if lname == trailerSigName {
			if !c.signed {
				return ErrMalformedTrailer.With("unexpected x-amz-trailer-signature in an unsigned payload")
			}
			sawSig, sigValue = true, strings.TrimSpace(string(value))
			continue
		}
		count++
		bytesIn += len(line)
		if count > maxTrailers || bytesIn > maxTrailerBytes {
			return ErrMalformedTrailer.With("too many trailers")
		}
		if !slices.Contains(c.declared, lname) {
			return ErrMalformedTrailer.With("trailer " + truncate(lname) + " was not declared in x-amz-trailer")
		}
		if _, dup := trailer[lname]; dup {
			return ErrMalformedTrailer.With("trailer " + truncate(lname) + " is repeated")
		}
		canon.Write(line)
		canon.Write([]byte{'\n'})
		if trailer == nil {
			trailer = make(http.Header)
		}
		trailer[lname] = []string{strings.TrimSpace(string(value))}
	}
	if c.signed && c.trailers {
		if !sawSig || !isHex64(sigValue) {
			return ErrMalformedTrailer.With("missing or malformed x-amz-trailer-signature")
		}
		sts := trailerAlgo + "\n" + c.auth.amzDate + "\n" + c.auth.scope + "\n" + c.prevSig + "\n" +
			hex.EncodeToString(canon.Sum(nil))
		if !equalSig(signHex(c.auth.key, sts), strings.ToLower(sigValue)) {
			return ErrSignatureDoesNotMatch.With("x-amz-trailer-signature does not match")
		}
	}
	for _, name := range c.declared {
		if _, ok := trailer[name]; !ok {
			return ErrMalformedTrailer.With("declared trailer " + truncate(name) + " is missing")
		}
	}
	if c.decodedLen >= 0 && c.total != c.decodedLen {
		return ErrIncompleteBody.With("the decoded body is shorter than x-amz-decoded-content-length")
	}
	if _, err := c.br.ReadByte(); err == nil {
		return ErrMalformedChunk.With("data after the end of the aws-chunked body")
	} else if err != io.EOF {
		return bodyReadError(err)
	}
	c.trailer = trailer
	return io.EOF
}
