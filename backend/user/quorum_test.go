package user

// Tests that a PUT needs only the write quorum of Providers in the roster
// (a Provider that lost its disk and its order drops out of it), and that
// Run returns only after its loops stop.

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/gateway"
)

// shrinkingRoster is a Roster whose Providers can be taken away, as a
// Settler drops a Provider whose order ended.
type shrinkingRoster struct {
	mu  sync.Mutex
	ids []peer.ID
}

func (r *shrinkingRoster) Providers() []peer.ID {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ids
}

func (r *shrinkingRoster) Run(ctx context.Context) {}

func (r *shrinkingRoster) drop(p peer.ID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []peer.ID
	for _, id := range r.ids {
		if id != p {
			out = append(out, id)
		}
	}
	r.ids = out
}

// newRosterLayer is a Layer over n in-memory Providers; the caller closes
// the store (pebble panics on a second Close).
func newRosterLayer(t *testing.T, n int) (*Layer, *shrinkingRoster, *memNet, *meta.Store) {
	t.Helper()
	net, ids := newMemNet(n)
	ms, err := meta.Open(filepath.Join(t.TempDir(), "meta"), discard)
	if err != nil {
		t.Fatal(err)
	}
	r := &shrinkingRoster{ids: ids}
	// InlineMax and PackMax -1: every object, however small, takes stripes of its own
	// these tests are about (inline_test.go covers inline objects).
	l, err := New(Config{K: testK, M: testM, ChunkSize: testChunkSize, MasterKey: bytes.Repeat([]byte{7}, 32), InlineMax: -1, PackMax: -1}, ms, net, r, discard)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.MakeBucket(context.Background(), "bkt", "owner"); err != nil {
		t.Fatal(err)
	}
	return l, r, net, ms
}

// TestPutWithRosterAtWriteQuorum: with k+m-1 Providers left in the roster,
// a PUT succeeds, reads back, and is queued for repair; with k+m-2 it is 503.
func TestPutWithRosterAtWriteQuorum(t *testing.T) {
	l, r, net, ms := newRosterLayer(t, testK+testM)
	defer ms.Close()
	ids := r.Providers()
	r.drop(ids[3])
	data := randData(21, 3*testStripe+99)
	memPut(t, l, "k", data)
	if got := memGet(t, l, "k"); !bytes.Equal(got, data) {
		t.Fatal("object stored at the write quorum reads back other bytes")
	}
	if q, err := ms.RepairQueue(); err != nil || len(q) != 1 {
		t.Fatalf("repair queue after a PUT at the write quorum: %v, %v; want the object", q, err)
	}
	if n := net.held(ids[3]); n != 0 {
		t.Fatalf("a Provider outside the roster took %d chunks", n)
	}
	for _, p := range r.Providers() {
		if n := net.held(p); n != stripesOf(len(data)) {
			t.Fatalf("Provider %s holds %d chunks, want one per stripe (%d)", p, n, stripesOf(len(data)))
		}
	}

	r.drop(ids[0])
	_, err := l.PutObject(context.Background(), "bkt", "k2",
		gateway.NewPutReader(bytes.NewReader(data), int64(len(data)), nil), gateway.PutOptions{})
	if !errors.Is(err, gateway.ErrServiceUnavailable) {
		t.Fatalf("PUT with %d Providers in the roster: %v, want ServiceUnavailable", len(r.Providers()), err)
	}
}

// TestRunReturnsAfterItsLoops: once Run returns, no loop of the Layer
// touches the store, so closing it then is safe.
func TestRunReturnsAfterItsLoops(t *testing.T) {
	l, _, _, ms := newRosterLayer(t, testK+testM)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { l.Run(ctx); close(done) }()
	for i := range 20 {
		memPut(t, l, "k", randData(uint64(i), testStripe)) // each overwrite makes garbage
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return within 10 s of its context ending")
	}
	if err := ms.Close(); err != nil {
		t.Fatalf("close store after Run returned: %v", err)
	}
}
