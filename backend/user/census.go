package user

// Census: every stripe counted by the chunks it still has on Providers that
// are not gone, so an operator sees how far the store is from full
// redundancy (k+m) and from loss (below k).
//
// Invariants:
//   - One census reads one metadata snapshot, one layout at a time; it runs
//     at most once per censusTTL however often it is asked for.

import (
	"maps"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/meta"
)

// censusTTL is how long a census is reused.
const censusTTL = 30 * time.Second

type census struct {
	mu       sync.Mutex
	at       time.Time
	byChunks map[int]int
}

// StripesByChunks counts stripes by how many of their chunks sit on
// Providers that are not gone (k+m: full redundancy; below k: lost).
func (l *Layer) StripesByChunks() (map[int]int, error) {
	l.census.mu.Lock()
	defer l.census.mu.Unlock()
	if l.census.byChunks != nil && time.Since(l.census.at) < censusTTL {
		return maps.Clone(l.census.byChunks), nil
	}
	out := map[int]int{}
	gone := map[string]bool{}
	err := l.meta.EachLayout(func(_ memo.ObjectID, lay meta.Layout) bool {
		for _, s := range lay.Providers {
			if _, seen := gone[s]; !seen {
				p, err := peer.Decode(s)
				gone[s] = err != nil || l.health.state(p) == Gone
			}
		}
		for _, st := range lay.Stripes {
			n := 0
			for _, pi := range st.Providers {
				if pi != meta.NoProvider && int(pi) < len(lay.Providers) && !gone[lay.Providers[pi]] {
					n++
				}
			}
			out[n]++
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	l.census.byChunks, l.census.at = out, time.Now()
	return maps.Clone(out), nil
}
