package user

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/gateway"
)

// corrupt flips a byte of every chunk p holds.
func (m *memNet) corrupt(p peer.ID) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, b := range m.chunks[p] {
		b[len(b)/2] ^= 0xff
	}
	return len(m.chunks[p])
}

// holdsDataChunk reports whether p holds a data chunk (index < testK).
func (m *memNet) holdsDataChunk(p peer.ID) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	for c := range m.chunks[p] {
		if int(c.Index) < testK {
			return true
		}
	}
	return false
}

// downWith sets bad and m−1 other Providers holding chunks down.
func (m *memNet) downWith(bad peer.ID, ids []peer.ID) {
	m.setDown(bad, true)
	downs := 1
	for _, p := range ids {
		if p != bad && downs < testM && m.held(p) > 0 {
			m.setDown(p, true)
			downs++
		}
	}
}

// healRound is one round of the repair loop's healing and repair.
func healRound(t *testing.T, l *Layer, now time.Time) {
	t.Helper()
	l.recordLost()
	l.sweepUnhealthy(now)
	ids, err := l.meta.RepairQueue()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range l.repairOrder(ids) {
		if err := l.repairObject(context.Background(), q.id); err != nil {
			t.Fatalf("repair %s: %v", q.id, err)
		}
	}
}

// A read that meets corrupt chunks still returns the right bytes, reports
// them, and repair puts them on other Providers: afterwards the object
// reads with every other m Providers down.
func TestCorruptChunksFoundByReadsAreRepaired(t *testing.T) {
	l, net, ids, _ := newMemLayer(t, testK+testM+2)
	data := randData(3, 4*testStripe+77)
	memPut(t, l, "k", data)
	// A Provider holding a data chunk: reads ask for those first (one with
	// parity chunks only would never be read, so never found corrupt).
	bad := ids[slices.IndexFunc(ids, net.holdsDataChunk)]
	n := net.corrupt(bad)
	if n == 0 {
		t.Fatal("no chunks to corrupt")
	}
	// Reads ask data chunks first; a few reads meet every corrupt one.
	for range 3 {
		if got := memGet(t, l, "k"); !bytes.Equal(got, data) {
			t.Fatal("read with corrupt chunks returned other bytes")
		}
	}
	healRound(t, l, time.Now())
	if got := l.lostChunks.Load(); got == 0 {
		t.Fatalf("no chunk reported lost after reads met %d corrupt chunks", n)
	}
	if l.repairedChunks.Load() != l.lostChunks.Load() {
		t.Fatalf("lost %d chunks, repaired %d", l.lostChunks.Load(), l.repairedChunks.Load())
	}
	// The repaired layout no longer needs the bad Provider: with it and
	// m−1 others down, everything reads.
	net.downWith(bad, ids)
	if got := memGet(t, l, "k"); !bytes.Equal(got, data) {
		t.Fatal("read after repair with m Providers down returned other bytes")
	}
}

// A Provider that stays down is given up once its failure is confirmed:
// its chunks are re-placed on the others, the stripe's risk deciding when.
func TestGoneProviderChunksArePlacedElsewhere(t *testing.T) {
	l, net, ids, ms := newMemLayer(t, testK+testM+2)
	data := randData(5, 3*testStripe)
	memPut(t, l, "k", data)
	var gone peer.ID
	for _, p := range ids {
		if net.held(p) > 0 {
			gone = p
			break
		}
	}
	held := net.held(gone)
	net.setDown(gone, true)
	start := time.Now()
	for range failingAfter {
		l.health.bad(gone)
	}
	healRound(t, l, start) // failing, not yet confirmed at margin m−1
	if l.lostChunks.Load() != 0 {
		t.Fatalf("gave up %d chunks of a Provider failing for no time", l.lostChunks.Load())
	}
	healRound(t, l, start.Add(l.cfg.GoneAfter)) // gone
	if got := l.lostChunks.Load(); got != int64(held) {
		t.Fatalf("gave up %d chunks of a gone Provider holding %d", got, held)
	}
	if q, err := ms.RepairQueue(); err != nil || len(q) != 0 {
		t.Fatalf("repair queue after the sweep and repair: %v, %v", q, err)
	}
	chunks, err := ms.Chunks(gone.String())
	if err != nil || len(chunks) != 0 {
		t.Fatalf("the gone Provider still has %d chunks in its order list (%v)", len(chunks), err)
	}
	// Full redundancy again without the gone Provider: m more down, still
	// readable.
	downs := 0
	for _, p := range ids {
		if p != gone && downs < testM && net.held(p) > 0 {
			net.setDown(p, true)
			downs++
		}
	}
	if got := memGet(t, l, "k"); !bytes.Equal(got, data) {
		t.Fatal("read after re-placement with m more Providers down returned other bytes")
	}
}

// The scrubber finds corrupt chunks no read touched (parity chunks are
// never read while data chunks answer), and healing repairs them.
func TestScrubFindsUnreadCorruption(t *testing.T) {
	l, net, ids, _ := newMemLayer(t, testK+testM+2)
	data := randData(9, 2*testStripe+5)
	memPut(t, l, "k", data)
	n := 0
	for _, p := range ids {
		n += net.corrupt(p) // every chunk of every Provider
		if n > 0 {
			break
		}
	}
	tick := make(chan time.Time)
	close(tick) // no rate limit in the test
	checked := l.scrubPass(context.Background(), tick)
	if want := stripesOf(len(data)) * (testK + testM); checked != want {
		t.Fatalf("scrub checked %d chunks, want %d", checked, want)
	}
	if got := l.scrubbedLost.Load(); got != int64(n) {
		t.Fatalf("scrub found %d lost chunks, %d were corrupted", got, n)
	}
	healRound(t, l, time.Now())
	if l.repairedChunks.Load() != int64(n) {
		t.Fatalf("repaired %d of %d corrupt chunks", l.repairedChunks.Load(), n)
	}
	l.scrubbedLost.Store(0)
	l.scrubPass(context.Background(), tick)
	if got := l.scrubbedLost.Load(); got != 0 {
		t.Fatalf("a second pass after repair found %d lost chunks", got)
	}
	if got := memGet(t, l, "k"); !bytes.Equal(got, data) {
		t.Fatal("read after scrub and repair returned other bytes")
	}
}

// trackedRoster is a Fixed roster whose Providers have orders on chain,
// last brought in step with the chunk index at listed.
type trackedRoster struct {
	Fixed
	listed time.Time
}

func (r *trackedRoster) ListedSince(_ peer.ID, t time.Time) bool { return r.listed.After(t) }

// Deleted chunks stay on their Providers until the Providers' orders no
// longer list them: Keepers sampling an order must find every chunk in it.
func TestGarbageWaitsForOrderUpdate(t *testing.T) {
	l, net, ids, ms := newMemLayer(t, testK+testM)
	tr := &trackedRoster{Fixed: NewFixed(ids)}
	l.roster = tr
	memPut(t, l, "k", randData(4, testStripe))
	if _, err := l.DeleteObject(context.Background(), "bkt", "k", gateway.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	l.collect(context.Background())
	held := 0
	for _, p := range ids {
		held += net.held(p)
	}
	if held != testK+testM {
		t.Fatalf("%d chunks left after collecting before any order update, want all %d", held, testK+testM)
	}
	tr.listed = time.Now() // the orders were updated from the index after the delete
	l.collect(context.Background())
	for _, p := range ids {
		if n := net.held(p); n != 0 {
			t.Fatalf("provider %s still holds %d chunks after its order was updated", p, n)
		}
	}
	if g, err := ms.Garbage(); err != nil || len(g) != 0 {
		t.Fatalf("garbage after collection: %v, %v", g, err)
	}
}
