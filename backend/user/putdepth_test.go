package user

import (
	"context"
	"crypto/rand"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/erasure"
)

// stripeCounter is a memNet that records the most stripes of one data id
// with chunk puts in flight at once. Each put takes a few milliseconds, so
// stripes a PUT sends concurrently do overlap.
type stripeCounter struct {
	*memNet
	mu       sync.Mutex
	inflight map[memo.DataID]map[uint64]int
	most     int
}

func (c *stripeCounter) track(id memo.ChunkID, put func() error) error {
	c.mu.Lock()
	if c.inflight[id.Data] == nil {
		c.inflight[id.Data] = map[uint64]int{}
	}
	c.inflight[id.Data][id.Stripe]++
	c.most = max(c.most, len(c.inflight[id.Data]))
	c.mu.Unlock()
	time.Sleep(3 * time.Millisecond)
	err := put()
	c.mu.Lock()
	if c.inflight[id.Data][id.Stripe]--; c.inflight[id.Data][id.Stripe] == 0 {
		delete(c.inflight[id.Data], id.Stripe)
	}
	c.mu.Unlock()
	return err
}

func (c *stripeCounter) PutChunk(ctx context.Context, p peer.ID, id memo.ChunkID, root erasure.Root, data []byte) error {
	return c.track(id, func() error { return c.memNet.PutChunk(ctx, p, id, root, data) })
}

func (c *stripeCounter) PutColdChunk(ctx context.Context, p peer.ID, id memo.ChunkID, root erasure.Root, data []byte) error {
	return c.track(id, func() error { return c.memNet.PutColdChunk(ctx, p, id, root, data) })
}

// TestPutDepth: a PUT of several stripes keeps PutStripes (2) of them in
// flight, or one while at least as many other multi-stripe PUTs run as
// there are cores; a single-stripe PUT never needs more than one.
func TestPutDepth(t *testing.T) {
	l, net, _, _ := newMemLayer(t, testK+testM)
	counter := &stripeCounter{memNet: net, inflight: map[memo.DataID]map[uint64]int{}}
	l.net = counter
	body := make([]byte, 6*testStripe)
	rand.Read(body)
	for _, c := range []struct {
		name   string
		others int
		size   int
		want   int
	}{
		{"alone", 0, len(body), 2},
		{"cores busy", cores(), len(body), 1},
		{"one stripe", 0, testStripe, 1},
	} {
		l.largePuts.Add(int32(c.others))
		counter.most = 0
		memPut(t, l, c.name, body[:c.size])
		l.largePuts.Add(-int32(c.others))
		if counter.most != c.want {
			t.Errorf("%s: at most %d stripes in flight, want %d", c.name, counter.most, c.want)
		}
		if got := memGet(t, l, c.name); string(got) != string(body[:c.size]) {
			t.Fatalf("%s: object reads back wrong", c.name)
		}
	}
	if n := l.largePuts.Load(); n != 0 {
		t.Fatalf("%d large PUTs still counted after all returned", n)
	}
}
