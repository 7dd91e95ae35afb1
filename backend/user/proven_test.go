package user

import (
	"context"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"
)

// provenMap is an in-memory ProvenEpochs.
type provenMap map[peer.ID]uint64

func (m provenMap) LastPassed(p peer.ID) (uint64, bool) {
	e, ok := m[p]
	return e, ok
}

// TestProvenEpochIsTheMinimumOverHolders: GET and HEAD carry the lowest last
// passing epoch of the Providers holding the object's chunks, and nothing
// when one of them has none.
func TestProvenEpochIsTheMinimumOverHolders(t *testing.T) {
	l, _, ids, _ := newMemLayer(t, testK+testM)
	proven := provenMap{}
	for i, p := range ids {
		proven[p] = uint64(20 + i)
	}
	l.cfg.Proven = proven
	memPut(t, l, "k", randData(3, 2*testStripe))
	ctx := context.Background()

	info, err := l.ObjectInfo(ctx, "bkt", "k", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Extra[ProvenHeader]; got != "20" {
		t.Fatalf("HEAD %s = %q, want 20 (the lowest of the holders)", ProvenHeader, got)
	}
	info, rc, err := l.GetObject(ctx, "bkt", "k", "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()
	if got := info.Extra[ProvenHeader]; got != "20" {
		t.Fatalf("GET %s = %q, want 20", ProvenHeader, got)
	}

	delete(proven, ids[len(ids)-1])
	info, err = l.ObjectInfo(ctx, "bkt", "k", "")
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := info.Extra[ProvenHeader]; ok {
		t.Fatalf("HEAD %s = %q although one holder was never proven", ProvenHeader, got)
	}
}

// TestStripesByChunks: the census counts each stripe by the chunks it holds;
// a PUT with one Provider down leaves its stripes one short.
func TestStripesByChunks(t *testing.T) {
	l, net, ids, _ := newMemLayer(t, testK+testM)
	memPut(t, l, "full", randData(1, 2*testStripe))
	if got, _ := l.StripesByChunks(); got[testK+testM] != 2 {
		t.Fatalf("census after the first PUT: %v", got)
	}
	net.setDown(ids[0], true)
	memPut(t, l, "short", randData(2, 3*testStripe)) // the census must not be reused now
	got, err := l.StripesByChunks()
	if err != nil {
		t.Fatal(err)
	}
	if got[testK+testM] != 2 || got[testK+testM-1] != 3 || len(got) != 2 {
		t.Fatalf("stripes by chunks = %v, want 2 at %d and 3 at %d", got, testK+testM, testK+testM-1)
	}
}
