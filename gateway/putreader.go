package gateway

// Invariants:
//   - A PutReader returns io.EOF only after exactly Size bytes were read and
//     every digest the client declared matched; otherwise it returns an error,
//     so an ObjectLayer that reads to io.EOF before committing never stores a
//     truncated, padded or corrupted body.

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"syscall"
)

var errUnexpectedEOF = io.ErrUnexpectedEOF

// PutReader is the body of a PutObject: the decoded payload, checked against
// its declared size and digests while it streams, with its MD5 (the ETag).
type PutReader struct {
	r       io.Reader
	size    int64
	n       int64
	md5     hash.Hash
	wantMD5 []byte // Content-MD5, nil if not sent
	sums    []*checksum
	done    bool
}

// NewPutReader wraps r, which must yield exactly size bytes; wantMD5 is the
// decoded Content-MD5 or nil.
func NewPutReader(r io.Reader, size int64, wantMD5 []byte) *PutReader {
	return &PutReader{r: r, size: size, md5: md5.New(), wantMD5: wantMD5}
}

// Checksums returns the additional checksums computed over the body, by
// algorithm, base64; valid once Read has returned io.EOF.
func (p *PutReader) Checksums() map[string]string {
	if len(p.sums) == 0 {
		return nil
	}
	out := make(map[string]string, len(p.sums))
	for _, c := range p.sums {
		out[c.alg] = base64.StdEncoding.EncodeToString(c.h.Sum(nil))
	}
	return out
}

// Size is the number of bytes the body holds.
func (p *PutReader) Size() int64 { return p.size }

// ETag is the hex MD5 of the body; valid once Read has returned io.EOF.
func (p *PutReader) ETag() string { return hex.EncodeToString(p.md5.Sum(nil)) }

// Read implements io.Reader.
func (p *PutReader) Read(b []byte) (int, error) {
	if p.done {
		return 0, io.EOF
	}
	if rem := p.size - p.n; int64(len(b)) > rem+1 {
		// Ask for one byte more than remains, to notice an over-long body.
		b = b[:rem+1]
	}
	n, err := p.r.Read(b)
	p.n += int64(n)
	if p.n > p.size {
		return 0, ErrIncompleteBody.Errorf("the body is longer than the declared %d bytes", p.size)
	}
	p.md5.Write(b[:n])
	for _, c := range p.sums {
		c.h.Write(b[:n])
	}
	switch {
	case err == io.EOF:
		if p.n < p.size {
			return n, ErrIncompleteBody.Errorf("the body ended after %d of %d bytes", p.n, p.size)
		}
		if p.wantMD5 != nil && !bytes.Equal(p.md5.Sum(nil), p.wantMD5) {
			return n, ErrBadDigest
		}
		for _, c := range p.sums {
			if err := c.verify(); err != nil {
				return n, err
			}
		}
		p.done = true
		return n, io.EOF
	case errors.Is(err, syscall.ECONNRESET):
		// The client's doing, not the server's: a 400, as a body cut short.
		return n, ErrIncompleteBody.Errorf("the connection was reset after %d of %d bytes", p.n, p.size)
	case err != nil:
		return n, err
	}
	return n, nil
}
