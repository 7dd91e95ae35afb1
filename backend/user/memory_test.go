package user

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/mefs-project/mefs/gateway"
)

// recordingMemory is a real gateway.MemoryBudget that also records each
// reservation's size.
type recordingMemory struct {
	b  *gateway.MemoryBudget
	mu sync.Mutex
	ns []int64
}

func (m *recordingMemory) Reserve(ctx context.Context, n int64) (func(), error) {
	m.mu.Lock()
	m.ns = append(m.ns, n)
	m.mu.Unlock()
	return m.b.Reserve(ctx, n)
}

func (m *recordingMemory) last() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ns[len(m.ns)-1]
}

// free fails unless the whole budget can be reserved at once: every
// request gave its reservation back.
func (m *recordingMemory) free(t *testing.T, size int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	release, err := m.b.Reserve(ctx, size)
	if err != nil {
		t.Fatalf("budget not given back: %v", err)
	}
	release()
}

func TestMemoryReservations(t *testing.T) {
	l, _, _, _ := newMemLayer(t, testK+testM)
	const budget = 64 * testStripe
	mem := &recordingMemory{b: gateway.NewMemoryBudget(budget, 200*time.Millisecond)}
	l.cfg.Memory = mem
	// A GET holds a stripe's chunks and its plaintext; a PUT its chunks only
	// (the body is read into the chunks' buffer and sealed there).
	chunks := func(plain int) int64 { return int64(l.codec.ChunkSize(plain) * (testK + testM)) }
	cost := func(plain int) int64 { return int64(plain) + chunks(plain) }
	for _, c := range []struct {
		size int
		want int64
	}{
		{1 << 10, chunks(1 << 10)},
		{testStripe, chunks(testStripe)},
		{testStripe + 1, chunks(testStripe) + chunks(1)},
		{5 * testStripe, 2 * chunks(testStripe)}, // PutStripes (2) at once
	} {
		data := randData(uint64(c.size), c.size)
		memPut(t, l, "k", data)
		if got := mem.last(); got != c.want {
			t.Fatalf("PUT of %d bytes reserved %d, want %d", c.size, got, c.want)
		}
		mem.free(t, budget)
		_, rc, err := l.GetObject(context.Background(), "bkt", "k", "", nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("GET of %d bytes: %d bytes, %v", c.size, len(got), err)
		}
		if want := int64(min(stripesOf(c.size), getStripes)) * cost(min(c.size, testStripe)); mem.last() != want {
			t.Fatalf("GET of %d bytes reserved %d, want %d", c.size, mem.last(), want)
		}
		mem.free(t, budget)
	}
	// With the budget held elsewhere, a PUT waits, then is refused with
	// SlowDown, and stores nothing.
	hold, err := mem.b.Reserve(context.Background(), budget)
	if err != nil {
		t.Fatal(err)
	}
	_, err = l.PutObject(context.Background(), "bkt", "refused",
		gateway.NewPutReader(bytes.NewReader(make([]byte, 10)), 10, nil), gateway.PutOptions{})
	if !errors.Is(err, gateway.ErrSlowDown) {
		t.Fatalf("PUT past the budget: %v, want SlowDown", err)
	}
	if _, err := l.ObjectInfo(context.Background(), "bkt", "refused", ""); !errors.Is(err, gateway.ErrNoSuchKey) {
		t.Fatalf("refused PUT: ObjectInfo %v, want NoSuchKey", err)
	}
	hold()
}
