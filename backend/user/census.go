package user

// Census: every stripe counted by the chunks it still has on Providers that
// are not gone, so an operator sees how far the store is from full
// redundancy (k+m) and from loss (below k).
//
// Invariants:
//   - One census reads one metadata snapshot, one layout at a time. It is
//     reused for up to censusTTL while neither the metadata nor the set of
//     gone Providers changed (its key), so it is never stale about either.

import (
	"fmt"
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
	key      string // metadata changes and gone Providers it was taken at
	byChunks map[int]int
}

// censusKey names what a census depends on.
func (l *Layer) censusKey() string {
	key := fmt.Sprint(l.meta.Changes())
	for _, p := range l.providers() {
		if l.health.state(p) == Gone {
			key += "," + p.String()
		}
	}
	return key
}

// StripesByChunks counts stripes by how many of their chunks sit on
// Providers that are not gone (k+m: full redundancy; below k: lost).
func (l *Layer) StripesByChunks() (map[int]int, error) {
	l.census.mu.Lock()
	defer l.census.mu.Unlock()
	key := l.censusKey()
	if l.census.byChunks != nil && l.census.key == key && time.Since(l.census.at) < censusTTL {
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
	l.census.byChunks, l.census.at, l.census.key = out, time.Now(), key
	return maps.Clone(out), nil
}
