package user

// The metadata root: the few hundred bytes the chain records for the User,
// from which a machine holding only the wallet key finds its latest metadata
// snapshot (docs/metadata.md).
//
// Invariants:
//   - A root names one stripe, the snapshot's manifest: its data id, size,
//     code, and per chunk the commitment and the Provider holding it. Every
//     chunk read is checked against its commitment, so a root on chain cannot
//     be answered with other bytes, and the manifest's AEAD (key from the
//     wallet's master key) binds it to the data id.
//   - Encoding (version 1): 1 | seq u64 | manifest id [16] | k u8 | m u8 |
//     size u32 | k+m × (root [32] | holder length u8 | holder peer id bytes).

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/erasure"
)

const metaRootVersion = 1

// MetaRoot points to a metadata snapshot's manifest.
type MetaRoot struct {
	Seq      uint64
	Manifest memo.DataID
	K, M     int
	Size     int // the manifest's plaintext bytes: one stripe
	// Holders[i] holds chunk i ("" if none) and Roots[i] commits it.
	Holders []peer.ID
	Roots   []erasure.Root
}

// ErrBadMetaRoot reports a metadata root that does not decode.
var ErrBadMetaRoot = errors.New("malformed metadata root")

// metaRootOf is the root of a snapshot whose manifest is the single stripe
// of lay.
func metaRootOf(seq uint64, manifest memo.DataID, lay meta.Layout) (MetaRoot, error) {
	if len(lay.Stripes) != 1 {
		return MetaRoot{}, fmt.Errorf("metadata manifest of %d stripes, want 1", len(lay.Stripes))
	}
	st := lay.Stripes[0]
	r := MetaRoot{Seq: seq, Manifest: manifest, K: lay.K, M: lay.M, Size: st.Size, Roots: st.Roots}
	for _, pi := range st.Providers {
		var p peer.ID
		if pi != meta.NoProvider {
			var err error
			if p, err = peer.Decode(lay.Providers[pi]); err != nil {
				return MetaRoot{}, fmt.Errorf("metadata manifest holder %q: %w", lay.Providers[pi], err)
			}
		}
		r.Holders = append(r.Holders, p)
	}
	return r, nil
}

// Marshal encodes r for the chain.
func (r MetaRoot) Marshal() []byte {
	b := []byte{metaRootVersion}
	b = binary.BigEndian.AppendUint64(b, r.Seq)
	b = append(b, r.Manifest[:]...)
	b = append(b, byte(r.K), byte(r.M))
	b = binary.BigEndian.AppendUint32(b, uint32(r.Size))
	for i, root := range r.Roots {
		b = append(b, root[:]...)
		h := []byte(r.Holders[i])
		b = append(b, byte(len(h)))
		b = append(b, h...)
	}
	return b
}

// ParseMetaRoot decodes a root written by Marshal.
func ParseMetaRoot(b []byte) (MetaRoot, error) {
	var r MetaRoot
	if len(b) < 1+8+16+2+4 || b[0] != metaRootVersion {
		return r, fmt.Errorf("%w: %d bytes, version %v", ErrBadMetaRoot, len(b), b[:min(1, len(b))])
	}
	r.Seq = binary.BigEndian.Uint64(b[1:])
	copy(r.Manifest[:], b[9:25])
	r.K, r.M = int(b[25]), int(b[26])
	r.Size = int(binary.BigEndian.Uint32(b[27:]))
	rest := b[31:]
	if r.K < 1 || r.M < 0 || r.K+r.M > 255 {
		return r, fmt.Errorf("%w: code %d+%d", ErrBadMetaRoot, r.K, r.M)
	}
	for range r.K + r.M {
		if len(rest) < 33 || len(rest) < 33+int(rest[32]) {
			return r, fmt.Errorf("%w: cut short", ErrBadMetaRoot)
		}
		var root erasure.Root
		copy(root[:], rest)
		n := int(rest[32])
		h := peer.ID(rest[33 : 33+n])
		if n > 0 {
			if err := h.Validate(); err != nil {
				return r, fmt.Errorf("%w: holder: %v", ErrBadMetaRoot, err)
			}
		}
		r.Roots, r.Holders = append(r.Roots, root), append(r.Holders, h)
		rest = rest[33+n:]
	}
	if len(rest) != 0 {
		return r, fmt.Errorf("%w: %d trailing bytes", ErrBadMetaRoot, len(rest))
	}
	return r, nil
}

// layout is the manifest's layout as the root describes it.
func (r MetaRoot) layout() meta.Layout {
	lay := meta.Layout{K: r.K, M: r.M}
	st := meta.Stripe{Size: r.Size, Roots: r.Roots}
	for _, h := range r.Holders {
		if h == "" {
			st.Providers = append(st.Providers, meta.NoProvider)
			continue
		}
		st.Providers = append(st.Providers, uint16(len(lay.Providers)))
		lay.Providers = append(lay.Providers, h.String())
	}
	lay.Stripes = []meta.Stripe{st}
	return lay
}
