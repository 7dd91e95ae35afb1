package user

import (
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

// TestProviderHealthStates walks one Provider through every state.
func TestProviderHealthStates(t *testing.T) {
	now := time.Unix(1000, 0)
	h := providerHealth{suspectFor: 30 * time.Second, goneAfter: 10 * time.Minute, now: func() time.Time { return now }}
	p := peer.ID("provider-a")
	check := func(want Health) {
		t.Helper()
		if got := h.state(p); got != want {
			t.Fatalf("state %v, want %v", got, want)
		}
	}
	check(Healthy)
	h.bad(p)
	check(Suspect)
	now = now.Add(31 * time.Second) // one failure's suspicion lapses
	check(Healthy)
	h.bad(p)
	h.bad(p)
	check(Failing) // three in a row
	h.good(p)
	check(Healthy)
	h.bad(p)
	now = now.Add(10 * time.Minute)
	h.bad(p)
	check(Gone) // failing without a success for GoneAfter
	h.good(p)
	check(Healthy)
	h.markFailing(p, "failed epoch 7")
	check(Failing)
	h.good(p) // a good read does not outweigh chain evidence
	if s, reason := h.describe(p); s != Failing || reason != "failed epoch 7" {
		t.Fatalf("after a good read: %v %q, want failing with its reason", s, reason)
	}
	h.clearFailing(p)
	check(Healthy)
}
