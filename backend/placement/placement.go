// Package placement makes every choice of Provider the User makes: where a
// stripe's chunks go, which spare takes a chunk whose Provider failed, in
// which order a stripe's chunks are read, and where a repaired chunk goes.
package placement

// Invariants:
//   - Pick returns distinct Providers; the choice is a pure function of its
//     inputs. It is rendezvous (highest-random-weight) hashing: each
//     candidate's weight for a stripe is SHA-256(data id ‖ stripe ‖ peer id),
//     so which Providers share a stripe is independent per stripe. A Provider
//     cannot win many stripes with Providers it controls by grinding peer
//     ids that sort next to each other (as it could when a stripe went to
//     consecutive Providers of the sorted list), and adding or removing one
//     Provider moves only the chunks it wins or held.
//   - ReadOrder and RepairTargets never return a Provider twice, and put
//     suspect Providers last.

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/memo"
)

// Pick chooses n distinct Providers out of candidates for stripe of data id.
func Pick(candidates []peer.ID, id memo.DataID, stripe uint64, n int) ([]peer.ID, error) {
	if n == 0 {
		return nil, nil
	}
	if len(candidates) < n {
		return nil, fmt.Errorf("placement needs %d providers for a stripe, %d are known", n, len(candidates))
	}
	type scored struct {
		w [32]byte
		p peer.ID
	}
	var prefix [24]byte
	copy(prefix[:16], id[:])
	binary.BigEndian.PutUint64(prefix[16:], stripe)
	all := make([]scored, len(candidates))
	for i, c := range candidates {
		h := sha256.New()
		h.Write(prefix[:])
		h.Write([]byte(c))
		copy(all[i].w[:], h.Sum(nil))
		all[i].p = c
	}
	slices.SortFunc(all, func(a, b scored) int { return bytes.Compare(a.w[:], b.w[:]) })
	out := make([]peer.ID, n)
	for i := range out {
		out[i] = all[i].p
	}
	return out, nil
}

// Spare returns a candidate not in used, or "" if every candidate is used.
func Spare(candidates []peer.ID, used map[peer.ID]bool) peer.ID {
	for _, c := range candidates {
		if !used[c] {
			return c
		}
	}
	return ""
}

// ReadOrder returns the order in which to ask for a stripe's chunks, as
// indexes into holders (holders[i] holds chunk i; "" for none): healthy
// Providers before suspect ones, and within each, data chunks before parity
// (lower index first), so a healthy stripe is read without decoding.
func ReadOrder(holders []peer.ID, suspect func(peer.ID) bool) []int {
	order := make([]int, 0, len(holders))
	for _, wantSuspect := range []bool{false, true} {
		for i, p := range holders {
			if p != "" && suspect(p) == wantSuspect {
				order = append(order, i)
			}
		}
	}
	return order
}

// RepairTargets returns the candidates a repaired chunk may go to, best
// first: those not in used (holding no chunk of the stripe), healthy before
// suspect.
func RepairTargets(candidates []peer.ID, used map[peer.ID]bool, suspect func(peer.ID) bool) []peer.ID {
	var healthy, suspects []peer.ID
	for _, p := range candidates {
		switch {
		case used[p]:
		case suspect(p):
			suspects = append(suspects, p)
		default:
			healthy = append(healthy, p)
		}
	}
	return append(healthy, suspects...)
}
