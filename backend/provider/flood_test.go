package provider_test

// A hostile, unregistered peer floods a Provider with put headers and
// silent streams while an admitted User stores and reads chunks.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/p2p"
	"github.com/mefs-project/mefs/backend/provider"
	"github.com/mefs-project/mefs/chain"
	"github.com/mefs-project/mefs/erasure"
)

// oneUser admits a single peer, as a funded User would be, up to quota
// bytes (0: no bound).
type oneUser struct {
	user  peer.ID
	quota int64
}

func (l oneUser) Authorize(_ context.Context, p peer.ID, _ bool) (string, error) {
	if p != l.user {
		return "", errNoOrder
	}
	return p.String(), nil
}
func (oneUser) Check(context.Context, peer.ID, chain.OrderUpdate) (string, error) {
	return "", errNoOrder
}
func (oneUser) Sign(chain.OrderUpdate) ([]byte, error) { return nil, errNoOrder }
func (l oneUser) Quota(string) (int64, bool)           { return l.quota, l.quota > 0 }

// floodSetup starts a Provider admitting only the returned client's peer.
func floodSetup(tb testing.TB) (*p2p.Client, host.Host) {
	tb.Helper()
	store, err := provider.OpenStore(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	ph := newHost(tb)
	ch := newHost(tb)
	provider.New(ph, store, oneUser{user: ch.ID()}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ch.Peerstore().AddAddrs(ph.ID(), ph.Addrs(), peerstore.PermanentAddrTTL)
	return &p2p.Client{Host: ch, Timeout: 30 * time.Second}, ph
}

// flood opens streams from a fresh host to ph until ctx ends: half send a
// put header announcing a full chunk and go silent, half send nothing.
func flood(ctx context.Context, tb testing.TB, ph host.Host, workers int) *sync.WaitGroup {
	attacker := newHost(tb)
	attacker.Peerstore().AddAddrs(ph.ID(), ph.Addrs(), peerstore.PermanentAddrTTL)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for ctx.Err() == nil {
				s, err := attacker.NewStream(ctx, ph.ID(), p2p.ProtocolID)
				if err != nil {
					continue
				}
				if w%2 == 0 {
					p2p.WriteRequest(s, p2p.Request{Op: p2p.OpPut, Chunk: memo.ChunkID{Index: uint16(w)}, Size: p2p.MaxChunkSize})
				}
				// Silent: hold the stream until the Provider drops it.
				s.SetReadDeadline(time.Now().Add(5 * time.Second))
				io.Copy(io.Discard, s)
				s.Reset()
			}
		}(w)
	}
	return &wg
}

// userWork stores and reads back n chunks of size bytes.
func userWork(ctx context.Context, c *p2p.Client, p peer.ID, tag string, n, size int) error {
	data := bytes.Repeat([]byte(tag), size/len(tag)+1)[:size]
	root := erasure.Commit(data)
	for i := 0; i < n; i++ {
		var obj erasure.DataID
		copy(obj[:], fmt.Sprintf("%s-%08d", tag, i))
		id := memo.ChunkID{Data: obj}
		if err := c.PutChunk(ctx, p, id, root, data); err != nil {
			return err
		}
		got, err := c.GetChunk(ctx, p, id, root, size)
		if err != nil {
			return err
		}
		if !bytes.Equal(got, data) {
			return errors.New("chunk read back differs")
		}
	}
	return nil
}

func TestFloodFromUnregisteredPeer(t *testing.T) {
	c, ph := floodSetup(t)
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	wg := flood(ctx, t, ph, 64)
	time.Sleep(500 * time.Millisecond) // let the flood build up
	var peakG int
	var peakHeap uint64
	sample := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peakG = max(peakG, runtime.NumGoroutine())
		peakHeap = max(peakHeap, ms.HeapInuse)
	}
	done := make(chan error, 1)
	go func() { done <- userWork(context.Background(), c, ph.ID(), "user", 40, 256<<10) }()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var err error
wait:
	for {
		select {
		case err = <-done:
			break wait
		case <-tick.C:
			sample()
		}
	}
	cancel()
	wg.Wait()
	if err != nil {
		t.Fatalf("the User's chunks under a flood: %v", err)
	}
	// Attacker and Provider run in this process: 64 flooding workers and
	// their streams account for some goroutines; a Provider that held a
	// goroutine per announced body would show thousands.
	if limit := before + 1000; peakG > limit {
		t.Errorf("goroutines peaked at %d under the flood (started with %d): not bounded", peakG, before)
	}
	if peakHeap > 512<<20 {
		t.Errorf("heap peaked at %d MiB under the flood", peakHeap>>20)
	}
	t.Logf("under the flood: peak goroutines %d (before %d), peak heap %d MiB", peakG, before, peakHeap>>20)
}

// BenchmarkUserUnderFlood reports the User's put+get throughput with and
// without an unregistered peer flooding the Provider.
func BenchmarkUserUnderFlood(b *testing.B) {
	for _, flooded := range []bool{false, true} {
		b.Run(fmt.Sprintf("flooded=%v", flooded), func(b *testing.B) {
			c, ph := floodSetup(b)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if flooded {
				wg := flood(ctx, b, ph, 64)
				defer wg.Wait()
				time.Sleep(500 * time.Millisecond)
			}
			const size = 256 << 10
			b.SetBytes(2 * size)
			b.ResetTimer()
			if err := userWork(context.Background(), c, ph.ID(), fmt.Sprint("b", flooded), b.N, size); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			cancel()
		})
	}
}
