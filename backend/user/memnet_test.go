package user

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"testing"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/erasure"
	"github.com/mefs-project/mefs/gateway"
)

// memNet is an in-memory network of Providers: the Network seam of the
// User side without libp2p. A Provider that is down refuses every request.
type memNet struct {
	mu     sync.Mutex
	chunks map[peer.ID]map[memo.ChunkID][]byte
	down   map[peer.ID]bool
	// dataDeletes counts DeleteData calls per Provider.
	dataDeletes map[peer.ID]int
	// ranges counts GetChunkRange calls.
	ranges int
	// cold records, per chunk id, whether its last put was PutColdChunk.
	cold map[memo.ChunkID]bool
	// unchecked counts GetChunkUnchecked reads.
	unchecked int
}

var (
	errDown     = errors.New("memnet: provider is down")
	errNotFound = fmt.Errorf("memnet: no such chunk: %w", memo.ErrChunkLost)
)

func newMemNet(n int) (*memNet, []peer.ID) {
	m := &memNet{chunks: map[peer.ID]map[memo.ChunkID][]byte{}, down: map[peer.ID]bool{}}
	var ids []peer.ID
	for range n {
		_, pub, err := crypto.GenerateEd25519Key(rand.Reader)
		if err != nil {
			panic(err)
		}
		id, err := peer.IDFromPublicKey(pub)
		if err != nil {
			panic(err)
		}
		m.chunks[id] = map[memo.ChunkID][]byte{}
		ids = append(ids, id)
	}
	return m, ids
}

func (m *memNet) setDown(p peer.ID, down bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.down[p] = down
}

func (m *memNet) held(p peer.ID) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.chunks[p])
}

// holds reports whether p holds any chunk of data.
func (m *memNet) holds(p peer.ID, data memo.DataID) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	for c := range m.chunks[p] {
		if c.Data == data {
			return true
		}
	}
	return false
}

func (m *memNet) PutChunk(ctx context.Context, p peer.ID, id memo.ChunkID, root erasure.Root, data []byte) error {
	return m.put(p, id, root, data, false)
}

func (m *memNet) PutColdChunk(ctx context.Context, p peer.ID, id memo.ChunkID, root erasure.Root, data []byte) error {
	return m.put(p, id, root, data, true)
}

func (m *memNet) put(p peer.ID, id memo.ChunkID, root erasure.Root, data []byte, cold bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cold == nil {
		m.cold = map[memo.ChunkID]bool{}
	}
	m.cold[id] = cold
	if m.down[p] {
		return errDown
	}
	if !erasure.Verifies(root, data) {
		return fmt.Errorf("memnet: chunk %s does not match its commitment", id)
	}
	m.chunks[p][id] = bytes.Clone(data)
	return nil
}

func (m *memNet) GetChunkInto(ctx context.Context, p peer.ID, id memo.ChunkID, root erasure.Root, buf []byte) ([]byte, error) {
	return m.get(p, id, root, buf, true)
}

func (m *memNet) GetChunkUnchecked(ctx context.Context, p peer.ID, id memo.ChunkID, root erasure.Root, buf []byte) ([]byte, error) {
	return m.get(p, id, root, buf, false)
}

func (m *memNet) get(p peer.ID, id memo.ChunkID, root erasure.Root, buf []byte, check bool) ([]byte, error) {
	size := len(buf)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.down[p] {
		return nil, errDown
	}
	b, ok := m.chunks[p][id]
	if !ok {
		return nil, errNotFound
	}
	if len(b) != size || check && !erasure.Verifies(root, b) {
		return nil, fmt.Errorf("memnet: chunk %s is corrupt: %w", id, memo.ErrChunkLost)
	}
	if !check {
		m.unchecked++
	}
	return buf[:copy(buf, b)], nil
}

func (m *memNet) GetChunkRange(ctx context.Context, p peer.ID, id memo.ChunkID, root erasure.Root, off int64, buf []byte) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ranges++
	if m.down[p] {
		return nil, errDown
	}
	b, ok := m.chunks[p][id]
	if !ok || off < 0 || off+int64(len(buf)) > int64(len(b)) {
		return nil, errNotFound
	}
	return buf[:copy(buf, b[off:])], nil
}

func (m *memNet) VerifyChunk(ctx context.Context, p peer.ID, id memo.ChunkID, root erasure.Root) error {
	m.mu.Lock()
	b, ok := m.chunks[p][id]
	size := len(b)
	m.mu.Unlock()
	if !ok {
		if m.Probe(ctx, p) != nil {
			return errDown
		}
		return errNotFound
	}
	_, err := m.GetChunkInto(ctx, p, id, root, make([]byte, size))
	return err
}

func (m *memNet) DeleteData(ctx context.Context, p peer.ID, data memo.DataID) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.down[p] {
		return errDown
	}
	if m.dataDeletes == nil {
		m.dataDeletes = map[peer.ID]int{}
	}
	m.dataDeletes[p]++
	for id := range m.chunks[p] {
		if id.Data == data {
			delete(m.chunks[p], id)
		}
	}
	return nil
}

func (m *memNet) DeleteChunk(ctx context.Context, p peer.ID, id memo.ChunkID) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.down[p] {
		return errDown
	}
	delete(m.chunks[p], id)
	return nil
}

func (m *memNet) Probe(ctx context.Context, p peer.ID) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.down[p] {
		return errDown
	}
	return nil
}

func (m *memNet) Connected(p peer.ID) bool { return m.Probe(context.Background(), p) == nil }
func (m *memNet) Disconnect(p peer.ID)     {}

// newMemLayer is a Layer over n in-memory Providers and a real Pebble store.
func newMemLayer(t *testing.T, n int) (*Layer, *memNet, []peer.ID, *meta.Store) {
	t.Helper()
	net, ids := newMemNet(n)
	ms, err := meta.Open(filepath.Join(t.TempDir(), "meta"), discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	master := make([]byte, 32)
	rand.Read(master)
	// InlineMax and PackMax -1: every object, however small, takes stripes of its own
	// these tests are about (inline_test.go covers inline objects).
	l, err := New(Config{K: testK, M: testM, ChunkSize: testChunkSize, MasterKey: master, InlineMax: -1, PackMax: -1}, ms, net, NewFixed(ids), discard)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.MakeBucket(context.Background(), "bkt", "owner"); err != nil {
		t.Fatal(err)
	}
	return l, net, ids, ms
}

func memPut(t *testing.T, l *Layer, key string, data []byte) {
	t.Helper()
	if _, err := l.PutObject(context.Background(), "bkt", key,
		gateway.NewPutReader(bytes.NewReader(data), int64(len(data)), nil), gateway.PutOptions{}); err != nil {
		t.Fatalf("PutObject(%s): %v", key, err)
	}
}

func memGet(t *testing.T, l *Layer, key string) []byte {
	t.Helper()
	_, rc, err := l.GetObject(context.Background(), "bkt", key, "", nil, nil)
	if err != nil {
		t.Fatalf("GetObject(%s): %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return b
}

// TestMemNetPutGetRepairWithProviderDown: with one of k+m Providers down a
// PUT succeeds at the write quorum and queues its stripes for repair; reads
// decode around the gap; once the Provider is back, repair fills every gap,
// and after the object is deleted the garbage collector empties every
// Provider. No libp2p host is involved.
func TestMemNetPutGetRepairWithProviderDown(t *testing.T) {
	l, net, ids, ms := newMemLayer(t, testK+testM)
	net.setDown(ids[2], true)
	data := randData(7, 3*testStripe+1234)
	memPut(t, l, "k", data)
	q, err := ms.RepairQueue()
	if err != nil || len(q) != 1 {
		t.Fatalf("repair queue after a PUT with a Provider down: %v, %v; want the object", q, err)
	}
	if net.held(ids[2]) != 0 {
		t.Fatal("the down Provider took chunks")
	}
	if got := memGet(t, l, "k"); !bytes.Equal(got, data) {
		t.Fatal("read with a Provider down returned other bytes")
	}

	net.setDown(ids[2], false)
	if err := l.repairObject(context.Background(), q[0]); err != nil {
		t.Fatalf("repair: %v", err)
	}
	if q, err := ms.RepairQueue(); err != nil || len(q) != 0 {
		t.Fatalf("repair queue after repair: %v, %v", q, err)
	}
	if n := net.held(ids[2]); n != stripesOf(len(data)) {
		t.Fatalf("the returned Provider holds %d chunks after repair, want one per stripe (%d)", n, stripesOf(len(data)))
	}
	// Every chunk is now readable from its Provider: take any m Providers
	// down and the object still reads back.
	net.setDown(ids[0], true)
	net.setDown(ids[5], true)
	if got := memGet(t, l, "k"); !bytes.Equal(got, data) {
		t.Fatal("read after repair with m Providers down returned other bytes")
	}
	net.setDown(ids[0], false)
	net.setDown(ids[5], false)

	if _, err := l.DeleteObject(context.Background(), "bkt", "k", gateway.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	l.collect(context.Background())
	for _, p := range ids {
		if n := net.held(p); n != 0 {
			t.Fatalf("Provider %s holds %d chunks after the object was deleted and collected", p, n)
		}
	}
}

// TestMemNetSpareProvider: with a Provider more than a stripe needs, a down
// Provider's chunks go to the spare and nothing is queued for repair.
func TestMemNetSpareProvider(t *testing.T) {
	l, net, ids, ms := newMemLayer(t, testK+testM+1)
	for i, down := range ids {
		net.setDown(down, true)
		data := randData(uint64(i), 2*testStripe)
		memPut(t, l, "k", data)
		if q, err := ms.RepairQueue(); err != nil || len(q) != 0 {
			t.Fatalf("with %s down and a spare: repair queue %v, %v", down, q, err)
		}
		if got := memGet(t, l, "k"); !bytes.Equal(got, data) {
			t.Fatalf("with %s down: read returned other bytes", down)
		}
		net.setDown(down, false)
	}
}

// TestMemNetBelowQuorum: with two of k+m Providers down (below the write
// quorum k+m-1) a PUT is 503 and leaves nothing behind once collected.
func TestMemNetBelowQuorum(t *testing.T) {
	l, net, ids, _ := newMemLayer(t, testK+testM)
	net.setDown(ids[1], true)
	net.setDown(ids[4], true)
	_, err := l.PutObject(context.Background(), "bkt", "k",
		gateway.NewPutReader(bytes.NewReader(randData(3, testStripe)), int64(testStripe), nil), gateway.PutOptions{})
	if !errors.Is(err, gateway.ErrServiceUnavailable) {
		t.Fatalf("PUT below the write quorum: %v, want ServiceUnavailable", err)
	}
	if _, err := l.ObjectInfo(context.Background(), "bkt", "k", ""); !errors.Is(err, gateway.ErrNoSuchKey) {
		t.Fatalf("a failed PUT left an object: %v", err)
	}
	l.collect(context.Background())
	for _, p := range ids {
		if n := net.held(p); n != 0 {
			t.Fatalf("Provider %s holds %d chunks of a failed PUT after collection", p, n)
		}
	}
}

// TestParityChunksPutCold: a stripe's parity chunks are stored cold (the
// Provider may keep them out of its page cache), its data chunks not.
func TestParityChunksPutCold(t *testing.T) {
	l, net, _, _ := newMemLayer(t, testK+testM)
	memPut(t, l, "two-stripes", randData(9, testStripe+1))
	net.mu.Lock()
	defer net.mu.Unlock()
	if len(net.cold) != 2*(testK+testM) {
		t.Fatalf("%d chunks put, want %d", len(net.cold), 2*(testK+testM))
	}
	for id, cold := range net.cold {
		if cold != (int(id.Index) >= testK) {
			t.Fatalf("chunk %s put cold=%v; want cold for parity (index ≥ %d) only", id, cold, testK)
		}
	}
}

// TestGetReadsUnchecked: a healthy GET reads its k data chunks a stripe
// unchecked (the stripe's GCM tag authenticates them; a failing tag sends
// the read back through checked chunks: TestCorruptChunksFoundByReadsAreRepaired).
func TestGetReadsUnchecked(t *testing.T) {
	l, net, _, _ := newMemLayer(t, testK+testM)
	data := randData(5, 2*testStripe+3)
	memPut(t, l, "obj", data)
	if got := memGet(t, l, "obj"); !bytes.Equal(got, data) {
		t.Fatal("GET returned other bytes")
	}
	net.mu.Lock()
	defer net.mu.Unlock()
	if net.unchecked != 3*testK {
		t.Fatalf("%d unchecked chunk reads for 3 stripes, want %d", net.unchecked, 3*testK)
	}
}
