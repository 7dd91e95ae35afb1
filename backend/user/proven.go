package user

// Proof status through S3: GET and HEAD of an object carry
// x-mefs-proven-epoch, the last epoch in which every Provider holding one of
// its chunks passed its challenge with a quorum certificate on chain.
//
// Invariants:
//   - The header is a lower bound the chain vouches for: it is the minimum
//     over the object's Providers, and it is absent when any of them has no
//     passing certificate known (never a guess).

import (
	"strconv"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/gateway"
)

// ProvenHeader is the response header naming the proven epoch.
const ProvenHeader = "x-mefs-proven-epoch"

// ProvenEpochs reports the last epoch a passing certificate covers for a
// Provider; ok is false if none is known.
type ProvenEpochs interface {
	LastPassed(p peer.ID) (epoch uint64, ok bool)
}

// provenEpoch is the last epoch every Provider of lay holding a chunk was
// proven in.
func (l *Layer) provenEpoch(lay meta.Layout) (uint64, bool) {
	if l.cfg.Proven == nil {
		return 0, false
	}
	held := make([]bool, len(lay.Providers))
	for _, st := range lay.Stripes {
		for _, pi := range st.Providers {
			if int(pi) < len(held) {
				held[pi] = true
			}
		}
	}
	var (
		min   uint64
		found bool
	)
	for i, s := range lay.Providers {
		if !held[i] {
			continue
		}
		p, err := peer.Decode(s)
		if err != nil {
			return 0, false
		}
		e, ok := l.cfg.Proven.LastPassed(p)
		if !ok {
			return 0, false
		}
		if !found || e < min {
			min, found = e, true
		}
	}
	return min, found
}

// addProvenEpoch sets info's proven-epoch header from lay, if known.
func (l *Layer) addProvenEpoch(info *gateway.ObjectInfo, lay meta.Layout) {
	e, ok := l.provenEpoch(lay)
	if !ok {
		return
	}
	if info.Extra == nil {
		info.Extra = map[string]string{}
	}
	info.Extra[ProvenHeader] = strconv.FormatUint(e, 10)
}
