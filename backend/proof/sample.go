// Sampling: where the samples of an epoch fall.
//
// Invariants:
//   - Positions depend only on the header (which holds the seed) and the
//     canonical order list (on-chain roots and sizes), never on the
//     Provider's answer, except that entry positions are reduced modulo the
//     entry count, which the order root binds.
//   - An order is picked with probability proportional to its size in
//     bytes; within it an entry uniformly; within the entry's chunk a 4 KiB
//     leaf uniformly.
package proof

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"math/bits"
	"slices"
	"sort"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mefs-project/mefs/erasure"
)

// Order is one (User, Provider) order as recorded on chain.
type Order struct {
	User common.Address
	Root erasure.Root
	Size uint64 // bytes
}

// Canonical returns the orders a proof covers: nonzero root and size,
// sorted by User, one per User (the first seen is kept).
func Canonical(orders []Order) []Order {
	out := make([]Order, 0, len(orders))
	for _, o := range orders {
		if o.Size > 0 && o.Root != (erasure.Root{}) {
			out = append(out, o)
		}
	}
	slices.SortStableFunc(out, func(a, b Order) int { return bytes.Compare(a.User[:], b.User[:]) })
	return slices.CompactFunc(out, func(a, b Order) bool { return a.User == b.User })
}

// sampler draws the positions of one proof.
type sampler struct {
	domain []byte   // header encoding
	orders []Order  // canonical
	ends   []uint64 // cumulative sizes
}

func newSampler(h Header, orders []Order) *sampler {
	s := &sampler{domain: h.marshal(), orders: orders}
	var total uint64
	for _, o := range orders {
		total += o.Size
		s.ends = append(s.ends, total)
	}
	return s
}

// draw returns a uniform value in [0, n) for sample j and purpose label,
// from 128 hash bits (bias <= n / 2^128).
func (s *sampler) draw(j int, label byte, n uint64) uint64 {
	var tail [9]byte
	tail[0] = label
	binary.BigEndian.PutUint64(tail[1:], uint64(j))
	h := sha256.New()
	h.Write([]byte("mefs-proof-sample"))
	h.Write(s.domain)
	h.Write(tail[:])
	d := h.Sum(nil)
	return bits.Rem64(binary.BigEndian.Uint64(d[:8]), binary.BigEndian.Uint64(d[8:16]), n)
}

// order returns the index of the order sample j falls in.
func (s *sampler) order(j int) int {
	x := s.draw(j, 'o', s.ends[len(s.ends)-1])
	return sort.Search(len(s.ends), func(i int) bool { return s.ends[i] > x })
}

// entry returns the entry index of sample j in an order of count entries.
func (s *sampler) entry(j int, count uint64) uint64 { return s.draw(j, 'e', count) }

// leaf returns the leaf index of sample j in a chunk of size bytes.
func (s *sampler) leaf(j int, size int64) int {
	return int(s.draw(j, 'l', uint64(erasure.LeafCount(int(size)))))
}
