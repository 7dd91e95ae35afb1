package user

// Objects at risk: the current objects that hold a chunk on a Provider that
// is failing (the chain certified a failed epoch, a slash, or repeated
// failures) or gone, for an operator to see what repair is working on.
//
// Invariants:
//   - Nothing is scanned while no known Provider is failing or gone.
//   - At most limit names are returned; the count covers every object.
//   - A scan is reused (status pages poll) for up to censusTTL while neither
//     the metadata nor the set of bad Providers changed, as the census is.

import (
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/mefs-project/mefs/backend/meta"
)

// AtRisk is what AtRiskObjects found.
type AtRisk struct {
	Objects []string // "bucket/key", at most the limit asked for
	Count   int      // every object at risk
}

// AtRiskObjects lists the current objects (bucket/key) holding a chunk on a
// Provider failing or gone, at most limit of them, and counts them all.
func (l *Layer) AtRiskObjects(limit int) (AtRisk, error) {
	bad := l.badProviders()
	if len(bad) == 0 {
		return AtRisk{}, nil
	}
	c := &l.atRisk
	c.mu.Lock()
	defer c.mu.Unlock()
	key := fmt.Sprint(l.meta.Changes(), limit, slices.Sorted(maps.Keys(bad)))
	if c.key == key && time.Since(c.at) < censusTTL {
		return c.val, nil
	}
	out, err := l.scanAtRisk(bad, limit)
	if err == nil {
		c.key, c.at, c.val = key, time.Now(), out
	}
	return out, err
}

// atRiskCache is the last AtRiskObjects scan and what it depended on.
type atRiskCache struct {
	mu  sync.Mutex
	at  time.Time
	key string
	val AtRisk
}

// scanAtRisk reads every current object's layout for a chunk on bad.
func (l *Layer) scanAtRisk(bad map[string]bool, limit int) (AtRisk, error) {
	var out AtRisk
	isBad := func(s string) bool { return bad[s] }
	buckets, err := l.meta.Buckets()
	if err != nil {
		return out, err
	}
	for _, b := range buckets {
		err := l.eachObject(b.Name, func(e meta.ListEntry) {
			ref, err := l.locate(e.ID)
			if err != nil || !slices.ContainsFunc(ref.lay.Providers, isBad) {
				return
			}
			out.Count++
			if len(out.Objects) < limit {
				out.Objects = append(out.Objects, b.Name+"/"+e.Key)
			}
		})
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// badProviders are the Providers known to be failing or gone, by peer id text.
func (l *Layer) badProviders() map[string]bool {
	bad := map[string]bool{}
	for _, p := range l.health.known() {
		if h := l.health.state(p); h == Failing || h == Gone {
			bad[p.String()] = true
		}
	}
	return bad
}

// eachObject calls fn for every current object of bucket, in key order.
func (l *Layer) eachObject(bucket string, fn func(meta.ListEntry)) error {
	marker := ""
	for {
		page, err := l.meta.List(bucket, meta.ListOptions{Marker: marker, MaxKeys: 1000})
		if err != nil {
			return err
		}
		for _, e := range page.Objects {
			fn(e)
		}
		if !page.IsTruncated || page.NextMarker == "" {
			return nil
		}
		marker = page.NextMarker
	}
}
