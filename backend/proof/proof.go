// Package proof holds the MEFS proof of storage: which chunks and leaves a
// Provider must show for an epoch (sampling from the epoch seed), the proof's
// wire form, and its verification against on-chain order roots and sizes.
//
// Invariants:
//   - Pure: no I/O except through the Source a prover is given.
//   - A proof names (chain id, settlement, Provider, epoch, seed) in its
//     header, and every sample position is drawn from a hash of that header,
//     so a proof verifies for exactly one (Provider, epoch): a replayed or
//     borrowed proof fails.
//   - Decode is versioned, bounds every length before allocating, rejects
//     trailing bytes, and never panics.
package proof

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mefs-project/mefs/backend/order"
	"github.com/mefs-project/mefs/erasure"
)

// Version is the encoding version this package writes and reads.
const Version = 1

// DefaultSamples is the number of (chunk, leaf) samples per epoch: a
// Provider missing a fraction f >= 1 % of its data passes one epoch with
// probability (1-f)^69 <= 0.4998 and 24 epochs with (0.99)^1656 < 2^-24
// (docs/verification.md).
const DefaultSamples = 69

// Bounds on a decoded proof.
const (
	MaxSamples = 1024
	MaxPath    = 48 // 2^48 leaves or order entries
	headerSize = 1 + 8 + 20 + 20 + 8 + 32
	// MaxSampleSize bounds one encoded sample.
	MaxSampleSize = 8 + order.EntrySize + 1 + 32*MaxPath + 1 + 32*MaxPath + 2 + erasure.LeafSize
	// MaxSize bounds an encoded proof of up to MaxSamples samples.
	MaxSize = headerSize + 2 + MaxSamples*MaxSampleSize
)

// Header binds a proof to one Provider and epoch of one settlement.
type Header struct {
	ChainID    uint64
	Settlement common.Address
	Provider   common.Address
	Epoch      uint64
	Seed       [32]byte // Settlement.epochSeed(provider, epoch)
}

// Sample shows one leaf of one chunk of one order.
type Sample struct {
	Count     uint64      // entries in the sampled order (bound by its root)
	Entry     order.Entry // the sampled entry
	OrderPath [][32]byte  // entry's path to the order root
	Leaf      []byte      // the sampled leaf of the entry's chunk
	LeafPath  [][32]byte  // leaf's path to the chunk commitment Entry.Root
}

// Proof is a Provider's answer to the challenge of one epoch.
type Proof struct {
	Header
	Samples []Sample
}

// ErrDecode marks a malformed encoding.
var ErrDecode = errors.New("proof: malformed encoding")

func (h Header) marshal() []byte {
	b := make([]byte, 0, headerSize)
	b = append(b, Version)
	b = binary.BigEndian.AppendUint64(b, h.ChainID)
	b = append(b, h.Settlement[:]...)
	b = append(b, h.Provider[:]...)
	b = binary.BigEndian.AppendUint64(b, h.Epoch)
	return append(b, h.Seed[:]...)
}

// Marshal encodes p. It fails only if p exceeds the decoder's bounds.
func (p *Proof) Marshal() ([]byte, error) {
	if len(p.Samples) > MaxSamples {
		return nil, fmt.Errorf("proof: %d samples exceed %d", len(p.Samples), MaxSamples)
	}
	b := p.Header.marshal()
	b = binary.BigEndian.AppendUint16(b, uint16(len(p.Samples)))
	for i, s := range p.Samples {
		if len(s.OrderPath) > MaxPath || len(s.LeafPath) > MaxPath || len(s.Leaf) > erasure.LeafSize {
			return nil, fmt.Errorf("proof: sample %d exceeds bounds", i)
		}
		b = binary.BigEndian.AppendUint64(b, s.Count)
		b = append(b, s.Entry.Marshal()...)
		b = appendPath(b, s.OrderPath)
		b = appendPath(b, s.LeafPath)
		b = binary.BigEndian.AppendUint16(b, uint16(len(s.Leaf)))
		b = append(b, s.Leaf...)
	}
	return b, nil
}

func appendPath(b []byte, path [][32]byte) []byte {
	b = append(b, byte(len(path)))
	for _, h := range path {
		b = append(b, h[:]...)
	}
	return b
}

// Decode parses Marshal's output.
func Decode(b []byte) (*Proof, error) {
	if len(b) > MaxSize {
		return nil, fmt.Errorf("%w: %d bytes exceed %d", ErrDecode, len(b), MaxSize)
	}
	r := reader{b: b}
	if v := r.bytes(1); v == nil || v[0] != Version {
		return nil, fmt.Errorf("%w: unknown version", ErrDecode)
	}
	var p Proof
	p.ChainID = r.u64()
	copy(p.Settlement[:], r.bytes(20))
	copy(p.Provider[:], r.bytes(20))
	p.Epoch = r.u64()
	copy(p.Seed[:], r.bytes(32))
	n := int(r.u16())
	if n > MaxSamples {
		return nil, fmt.Errorf("%w: %d samples exceed %d", ErrDecode, n, MaxSamples)
	}
	for i := 0; i < n && !r.bad; i++ {
		p.Samples = append(p.Samples, r.sample())
	}
	if r.bad || len(r.b) != 0 {
		return nil, fmt.Errorf("%w: truncated or trailing bytes", ErrDecode)
	}
	return &p, nil
}

// reader consumes b; once a read runs short, bad is set and reads return
// zero values.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) bytes(n int) []byte {
	if r.bad || n > len(r.b) {
		r.bad = true
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) u64() uint64 {
	if v := r.bytes(8); v != nil {
		return binary.BigEndian.Uint64(v)
	}
	return 0
}

func (r *reader) u16() uint16 {
	if v := r.bytes(2); v != nil {
		return binary.BigEndian.Uint16(v)
	}
	return 0
}

func (r *reader) path() [][32]byte {
	v := r.bytes(1)
	if v == nil || int(v[0]) > MaxPath {
		r.bad = true
		return nil
	}
	raw := r.bytes(32 * int(v[0]))
	path := make([][32]byte, int(v[0]))
	for i := range path {
		if raw != nil {
			copy(path[i][:], raw[32*i:])
		}
	}
	return path
}

func (r *reader) sample() Sample {
	var s Sample
	s.Count = r.u64()
	if raw := r.bytes(order.EntrySize); raw != nil {
		e, ok := order.UnmarshalEntry(raw)
		r.bad = r.bad || !ok
		s.Entry = e
	}
	s.OrderPath = r.path()
	s.LeafPath = r.path()
	n := int(r.u16())
	if n > erasure.LeafSize {
		r.bad = true
		return s
	}
	if v := r.bytes(n); v != nil {
		s.Leaf = append([]byte(nil), v...)
	}
	return s
}
