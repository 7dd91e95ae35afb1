package user

// Invariants:
//   - A Provider's Health only worsens on evidence (a failed or slow
//     request, a missed ping, a missing or corrupt chunk, MarkFailing) and
//     only recovers on a success; time alone turns a failure streak into
//     gone, or lets a single failure's suspicion lapse.
//   - MarkFailing's reason (failed epoch, slash) is cleared only by
//     ClearFailing: chain evidence outweighs a good read.

import (
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

// Health is the User's view of one Provider.
type Health int

const (
	// Healthy: no recent failure.
	Healthy Health = iota
	// Suspect: failed or was slow recently; asked last, not yet distrusted.
	Suspect
	// Failing: failed repeatedly, or the verification layer says it failed
	// an epoch or was slashed; repair treats its chunks as at risk.
	Failing
	// Gone: failing without one success for longer than GoneAfter; its
	// chunks are as good as lost.
	Gone
)

func (h Health) String() string {
	switch h {
	case Healthy:
		return "healthy"
	case Suspect:
		return "suspect"
	case Failing:
		return "failing"
	default:
		return "gone"
	}
}

// failingAfter consecutive failures make a Provider failing.
const failingAfter = 3

type providerRecord struct {
	suspectUntil time.Time
	fails        int       // consecutive failures
	firstFail    time.Time // start of the current streak
	reason       string    // set by MarkFailing
}

// providerHealth tracks every Provider's Health from the outcomes of
// requests to it.
type providerHealth struct {
	suspectFor time.Duration // how long one failure keeps a Provider suspect
	goneAfter  time.Duration // how long a failure streak lasts before gone
	now        func() time.Time
	mu         sync.Mutex
	m          map[peer.ID]*providerRecord
}

func (h *providerHealth) clock() time.Time {
	if h.now != nil {
		return h.now()
	}
	return time.Now()
}

func (h *providerHealth) record(p peer.ID) *providerRecord {
	if h.m == nil {
		h.m = map[peer.ID]*providerRecord{}
	}
	r := h.m[p]
	if r == nil {
		r = &providerRecord{}
		h.m[p] = r
	}
	return r
}

// bad records a failed or slow request to p, or a chunk of p's found
// missing or corrupt.
func (h *providerHealth) bad(p peer.ID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r, now := h.record(p), h.clock()
	if r.fails == 0 {
		r.firstFail = now
	}
	r.fails++
	r.suspectUntil = now.Add(h.suspectFor)
}

// good records a request p answered.
func (h *providerHealth) good(p peer.ID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if r := h.m[p]; r != nil {
		r.fails, r.suspectUntil = 0, time.Time{}
	}
}

func (h *providerHealth) markFailing(p peer.ID, reason string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.record(p).reason = reason
}

func (h *providerHealth) clearFailing(p peer.ID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if r := h.m[p]; r != nil {
		r.reason = ""
	}
}

// describe returns p's Health and, if failing by MarkFailing, why.
func (h *providerHealth) describe(p peer.ID) (Health, string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.m[p]
	if r == nil {
		return Healthy, ""
	}
	now := h.clock()
	switch {
	case r.fails > 0 && h.goneAfter > 0 && now.Sub(r.firstFail) >= h.goneAfter:
		return Gone, r.reason
	case r.reason != "" || r.fails >= failingAfter:
		return Failing, r.reason
	case now.Before(r.suspectUntil):
		return Suspect, ""
	}
	return Healthy, ""
}

// known lists every Provider with a record (any that ever failed).
func (h *providerHealth) known() []peer.ID {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Collect(maps.Keys(h.m))
}

func (h *providerHealth) state(p peer.ID) Health {
	s, _ := h.describe(p)
	return s
}

// isSuspect reports whether p is anything but healthy: reads ask it last
// and repair avoids it.
func (h *providerHealth) isSuspect(p peer.ID) bool { return h.state(p) != Healthy }

// MarkFailing records failure evidence about p from outside the data path
// (a failed epoch, a slash on chain): p is failing until ClearFailing, and
// repair treats the chunks it holds as at risk.
func (l *Layer) MarkFailing(p peer.ID, reason string) {
	l.log.Warn("provider marked failing", "provider", p, "reason", reason)
	l.health.markFailing(p, reason)
	l.kickRepair()
}

// ClearFailing withdraws MarkFailing's evidence about p.
func (l *Layer) ClearFailing(p peer.ID) { l.health.clearFailing(p) }

// ProviderHealth returns p's Health now.
func (l *Layer) ProviderHealth(p peer.ID) Health { return l.health.state(p) }
