// Package wire holds MEFS's Provider chunk protocol: its messages, framing,
// the client the User side speaks it with, and libp2p host set-up.
package p2p

// Invariants:
//   - One libp2p stream carries one request and its response.
//   - A request header is fixed-size binary (headerSize bytes), followed for
//     OpPut by exactly Size chunk bytes. A response is a fixed status header,
//     an optional message, and for OpGet (OpGetRange) exactly Size chunk bytes.
//   - Chunks travel with their commitment: a Provider stores only chunks that
//     match it, and Client.GetChunkInto returns only chunks that match it.
//     Client.GetChunkUnchecked and ranges of a chunk (OpGetRange) are not
//     checked against it: their reader authenticates them otherwise (a
//     stripe's or a sealed packed object's GCM tag under the User's key).

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/erasure"
)

// ProtocolID names version 1.1 of the chunk protocol (1.1: OpGetRange, the
// request's Offset and its flags).
const ProtocolID = "/mefs/chunk/1.1.0"

// MaxChunkSize bounds a chunk on the wire.
const MaxChunkSize = memo.MaxChunkSize

// Op is a chunk protocol operation.
type Op uint8

const (
	OpPut          Op = 1          // store a chunk
	OpGet          Op = 2          // read a chunk
	OpDeleteObject Op = 3          // delete every chunk of an object
	OpVerify       Op = 4          // check a chunk is held intact, without sending it
	OpDeleteChunk  Op = 5          // delete one chunk (an orphan no order lists)
	OpGetRange     Op = 6          // read Size bytes of a chunk from Offset, unchecked
	LastOp            = OpGetRange // the highest op
)

// Request is a chunk protocol request header.
type Request struct {
	Op    Op
	Chunk memo.ChunkID
	Root  erasure.Root // OpPut, OpGet, OpVerify: the chunk's commitment
	Size  int64        // OpPut: the chunk's length; OpGetRange: the range's
	// Offset is OpGetRange's first byte of the chunk.
	Offset int64
	// Cold marks an OpPut's chunk as rarely read (parity: read only to
	// repair or to decode around a loss): the Provider may write it around
	// its page cache.
	Cold bool
}

const headerSize = 1 + 16 + 8 + 2 + 32 + 8 + 8 + 1

// flagCold is Request.Cold in the header's flags byte; no other bit is
// defined.
const flagCold = 1

// Status is a response status.
type Status uint8

const (
	StatusOK            Status = 0
	StatusNotFound      Status = 1
	StatusBadCommitment Status = 2 // the bytes do not match the commitment
	StatusRefused       Status = 3 // the Provider will not store the chunk
	StatusError         Status = 4 // an internal failure on the Provider
)

// Errors a client may see, wrapped with detail.
var (
	// ErrNotFound and ErrBadCommitment wrap memo.ErrChunkLost.
	ErrNotFound      = fmt.Errorf("chunk not found (%w)", memo.ErrChunkLost)
	ErrBadCommitment = fmt.Errorf("chunk does not match its commitment (%w)", memo.ErrChunkLost)
	ErrRefused       = errors.New("provider refused the chunk")
	ErrProvider      = errors.New("provider failed")
)

// statusError reports whether err is a Provider's answer, not a transport failure.
func statusError(err error) bool {
	return errors.Is(err, ErrNotFound) || errors.Is(err, ErrBadCommitment) ||
		errors.Is(err, ErrRefused) || errors.Is(err, ErrProvider)
}

func (s Status) err(msg string) error {
	var base error
	switch s {
	case StatusOK:
		return nil
	case StatusNotFound:
		base = ErrNotFound
	case StatusBadCommitment:
		base = ErrBadCommitment
	case StatusRefused:
		base = ErrRefused
	default:
		base = ErrProvider
	}
	if msg == "" {
		return base
	}
	return fmt.Errorf("%w: %s", base, msg)
}

// WriteRequest writes a request header.
func WriteRequest(w io.Writer, r Request) error {
	var b [headerSize]byte
	b[0] = byte(r.Op)
	copy(b[1:17], r.Chunk.Data[:])
	binary.BigEndian.PutUint64(b[17:25], r.Chunk.Stripe)
	binary.BigEndian.PutUint16(b[25:27], r.Chunk.Index)
	copy(b[27:59], r.Root[:])
	binary.BigEndian.PutUint64(b[59:67], uint64(r.Size))
	binary.BigEndian.PutUint64(b[67:75], uint64(r.Offset))
	if r.Cold {
		b[75] = flagCold
	}
	_, err := w.Write(b[:])
	return err
}

// ReadRequest reads and validates a request header.
func ReadRequest(rd io.Reader) (Request, error) {
	var b [headerSize]byte
	if _, err := io.ReadFull(rd, b[:]); err != nil {
		return Request{}, fmt.Errorf("read request header: %w", err)
	}
	r := Request{Op: Op(b[0])}
	copy(r.Chunk.Data[:], b[1:17])
	r.Chunk.Stripe = binary.BigEndian.Uint64(b[17:25])
	r.Chunk.Index = binary.BigEndian.Uint16(b[25:27])
	copy(r.Root[:], b[27:59])
	r.Size = int64(binary.BigEndian.Uint64(b[59:67]))
	r.Offset = int64(binary.BigEndian.Uint64(b[67:75]))
	r.Cold = b[75]&flagCold != 0
	if r.Op < OpPut || r.Op > LastOp {
		return r, fmt.Errorf("unknown op %d", r.Op)
	}
	if b[75]&^flagCold != 0 {
		return r, fmt.Errorf("unknown request flags %#x", b[75])
	}
	if r.Size < 0 || r.Size > MaxChunkSize {
		return r, fmt.Errorf("chunk size %d out of range", r.Size)
	}
	if r.Offset < 0 || r.Offset > MaxChunkSize-r.Size {
		return r, fmt.Errorf("chunk range %d+%d out of range", r.Offset, r.Size)
	}
	return r, nil
}

// maxMessage bounds a response's message.
const maxMessage = 1024

// WriteResponse writes a response header: status, payload size, message.
func WriteResponse(w io.Writer, s Status, size int64, msg string) error {
	if len(msg) > maxMessage {
		msg = msg[:maxMessage]
	}
	b := make([]byte, 1+8+2+len(msg))
	b[0] = byte(s)
	binary.BigEndian.PutUint64(b[1:9], uint64(size))
	binary.BigEndian.PutUint16(b[9:11], uint16(len(msg)))
	copy(b[11:], msg)
	_, err := w.Write(b)
	return err
}

// ReadResponse reads a response header and returns the payload size that
// follows it, or the error the status stands for.
func ReadResponse(rd io.Reader) (int64, error) {
	var b [11]byte
	if _, err := io.ReadFull(rd, b[:]); err != nil {
		return 0, fmt.Errorf("read response header: %w", err)
	}
	size := int64(binary.BigEndian.Uint64(b[1:9]))
	n := int(binary.BigEndian.Uint16(b[9:11]))
	if n > maxMessage {
		return 0, fmt.Errorf("response message of %d bytes is too long", n)
	}
	msg := make([]byte, n)
	if _, err := io.ReadFull(rd, msg); err != nil {
		return 0, fmt.Errorf("read response message: %w", err)
	}
	if err := Status(b[0]).err(string(msg)); err != nil {
		return 0, err
	}
	if size < 0 || size > MaxChunkSize {
		return 0, fmt.Errorf("response size %d out of range", size)
	}
	return size, nil
}
