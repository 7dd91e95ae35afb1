// Package placement decides which Providers hold the chunks of a stripe.
package placement

// Invariants:
//   - Pick returns distinct Providers; the choice is a pure function of its
//     inputs, and spreads consecutive stripes and objects over all Providers.

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/erasure"
)

// Pick chooses n distinct Providers out of candidates for stripe of object id.
func Pick(candidates []peer.ID, id erasure.DataID, stripe uint64, n int) ([]peer.ID, error) {
	if n == 0 {
		return nil, nil
	}
	if len(candidates) < n {
		return nil, fmt.Errorf("placement needs %d providers for a stripe, %d are known", n, len(candidates))
	}
	var b [24]byte
	copy(b[:16], id[:])
	binary.BigEndian.PutUint64(b[16:], stripe)
	h := sha256.Sum256(b[:])
	start := int(binary.BigEndian.Uint64(h[:8]) % uint64(len(candidates)))
	out := make([]peer.ID, n)
	for i := range out {
		out[i] = candidates[(start+i)%len(candidates)]
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
