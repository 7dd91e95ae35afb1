package user

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/backend/p2p"
	"github.com/mefs-project/mefs/backend/provider"
	"github.com/mefs-project/mefs/erasure"
	"github.com/mefs-project/mefs/gateway"
)

const (
	testK         = 4
	testM         = 2
	testChunkSize = 64 << 10
	// testStripe is the plaintext bytes of a full stripe.
	testStripe = testK*testChunkSize - erasure.Overhead
)

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// cluster is a Layer with in-process Providers on real libp2p hosts.
type cluster struct {
	t         *testing.T
	layer     *Layer
	meta      *meta.Store
	metaDir   string
	provHosts []host.Host
	provDirs  []string
	stores    []*provider.Store
	keyPaths  []string
	ids       []peer.ID
	client    host.Host
	stopped   map[int]bool
	stopRun   func()
}

func newHost(t *testing.T, keyPath string) host.Host {
	t.Helper()
	key, err := p2p.LoadIdentity(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	h, err := p2p.NewHost(key, "/ip4/127.0.0.1/tcp/0")
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// newCluster starts n Providers and a Layer over them; the garbage
// collector is not running until run is called.
func newCluster(t *testing.T, n int) *cluster {
	t.Helper()
	c := &cluster{t: t, stopped: map[int]bool{}}
	c.client = newHost(t, filepath.Join(t.TempDir(), "client.key"))
	t.Cleanup(func() { c.client.Close() })
	t.Cleanup(func() {
		for i, h := range c.provHosts {
			if !c.stopped[i] {
				h.Close()
			}
		}
	})
	for i := 0; i < n; i++ {
		dir := t.TempDir()
		store, err := provider.OpenStore(dir)
		if err != nil {
			t.Fatal(err)
		}
		keyPath := filepath.Join(t.TempDir(), "provider.key")
		c.provHosts = append(c.provHosts, nil)
		c.provDirs = append(c.provDirs, dir)
		c.stores = append(c.stores, store)
		c.keyPaths = append(c.keyPaths, keyPath)
		c.ids = append(c.ids, c.startProvider(i))
	}
	c.metaDir = t.TempDir()
	ms, err := meta.Open(c.metaDir, discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	c.meta = ms
	master := make([]byte, 32)
	rand.Read(master)
	l, err := New(Config{K: testK, M: testM, ChunkSize: testChunkSize, MasterKey: master},
		ms, &p2p.Client{Host: c.client, Timeout: 20 * time.Second}, NewFixed(c.ids), discard)
	if err != nil {
		t.Fatal(err)
	}
	c.layer = l
	if err := l.MakeBucket(context.Background(), "bkt", "owner"); err != nil {
		t.Fatal(err)
	}
	return c
}

// startRun starts the garbage collector; it is stopped before the store
// closes.
func (c *cluster) startRun() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.layer.Run(ctx)
	}()
	c.stopRun = func() { cancel(); <-done }
	c.t.Cleanup(c.stopRun)
}

// run recovers the uploads left unfinished at start-up, as cmd/mefs does
// before serving, starts the garbage collector and waits until it is
// waiting for work.
func (c *cluster) run() {
	if err := c.layer.Recover(); err != nil {
		c.t.Fatal(err)
	}
	c.startRun()
	c.layer.kickGC()
	waitFor(c.t, "the garbage collector to take its first kick", func() bool { return len(c.layer.gcKick) == 0 })
}

// startProvider (re)starts Provider i on a fresh port with its identity and
// store, and tells the client host where it is.
func (c *cluster) startProvider(i int) peer.ID {
	c.t.Helper()
	h := newHost(c.t, c.keyPaths[i])
	provider.New(h, c.stores[i], provider.AllowAll{}, discard)
	c.client.Peerstore().AddAddrs(h.ID(), h.Addrs(), peerstore.PermanentAddrTTL)
	c.provHosts[i] = h
	c.stopped[i] = false
	return h.ID()
}

func (c *cluster) stopProvider(i int) {
	c.t.Helper()
	if err := c.provHosts[i].Close(); err != nil {
		c.t.Fatal(err)
	}
	c.stopped[i] = true
}

func (c *cluster) put(key string, data []byte) gateway.ObjectInfo {
	c.t.Helper()
	info, err := c.layer.PutObject(context.Background(), "bkt", key,
		gateway.NewPutReader(bytes.NewReader(data), int64(len(data)), nil), gateway.PutOptions{})
	if err != nil {
		c.t.Fatalf("PutObject(%s, %d bytes): %v", key, len(data), err)
	}
	return info
}

// get reads key, or the range header rng of it.
func (c *cluster) get(key, rng string) ([]byte, error) {
	_, rc, err := c.layer.GetObject(context.Background(), "bkt", key, gateway.ParseRange(rng))
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func (c *cluster) objectID(key string) memo.ObjectID {
	c.t.Helper()
	o, err := c.meta.Object("bkt", key)
	if err != nil {
		c.t.Fatalf("meta.Object(%s): %v", key, err)
	}
	return o.ID
}

// files returns every regular file under the chunk folders of the
// Providers (all of them, or only those still running).
func (c *cluster) files(liveOnly bool) []string {
	c.t.Helper()
	var out []string
	for i, d := range c.provDirs {
		if liveOnly && c.stopped[i] {
			continue
		}
		err := filepath.WalkDir(filepath.Join(d, "chunks"), func(p string, e fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // removed by the garbage collector while we walk
			}
			if err != nil {
				return err
			}
			if e.Type().IsRegular() && e.Name() != ".owner" {
				out = append(out, p)
			}
			return nil
		})
		if err != nil {
			c.t.Fatal(err)
		}
	}
	return out
}

// chunksOf counts the chunk files of object id on all Providers.
func (c *cluster) chunksOf(id erasure.DataID) int {
	h := hex.EncodeToString(id[:])
	n := 0
	for _, f := range c.files(false) {
		if strings.Contains(f, h) {
			n++
		}
	}
	return n
}

// waitFor polls cond for up to 15 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (c *cluster) noGarbage() bool {
	g, err := c.meta.Garbage()
	if err != nil {
		c.t.Fatal(err)
	}
	in, err := c.meta.Intents()
	if err != nil {
		c.t.Fatal(err)
	}
	return len(g) == 0 && len(in) == 0
}

func randData(seed uint64, n int) []byte {
	r := mrand.New(mrand.NewPCG(seed, 99))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func md5hex(b []byte) string {
	h := md5.Sum(b)
	return hex.EncodeToString(h[:])
}

func stripesOf(size int) int { return (size + testStripe - 1) / testStripe }

func TestPutGetSizesAndRanges(t *testing.T) {
	c := newCluster(t, 6)
	c.run()
	ctx := context.Background()
	const S = testStripe
	sizes := []int{0, 1, 100, S, S + 1, 1<<20 + 7}
	for _, size := range sizes {
		key := fmt.Sprintf("obj/%d", size)
		data := randData(uint64(size), size)
		info := c.put(key, data)
		if info.Size != int64(size) || info.ETag != md5hex(data) || info.Key != key || info.Bucket != "bkt" {
			t.Fatalf("PutObject(%d bytes) = %+v, want etag %s", size, info, md5hex(data))
		}
		st, err := c.layer.ObjectInfo(ctx, "bkt", key)
		if err != nil || st.Size != int64(size) || st.ETag != md5hex(data) {
			t.Fatalf("ObjectInfo(%s) = %+v, %v", key, st, err)
		}
		if got := c.chunksOf(memo.DataOf(c.objectID(key))); got != stripesOf(size)*(testK+testM) {
			t.Fatalf("%d bytes: %d chunk files, want %d", size, got, stripesOf(size)*(testK+testM))
		}

		got, err := c.get(key, "")
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("GetObject(%d bytes): %d bytes back, equal=%v, err %v", size, len(got), bytes.Equal(got, data), err)
		}
		ranges := []string{"bytes=0-0", "bytes=0-", "bytes=-1", "bytes=-100",
			fmt.Sprintf("bytes=%d-%d", S-10, S+10), fmt.Sprintf("bytes=%d-%d", S-1, S),
			fmt.Sprintf("bytes=%d-%d", S, 2*S-1), fmt.Sprintf("bytes=%d-%d", 1, 3*S+5),
			fmt.Sprintf("bytes=-%d", S+3), fmt.Sprintf("bytes=%d-%d", size-1, size+1000),
			fmt.Sprintf("bytes=%d-", size), fmt.Sprintf("bytes=%d-", S*2-7)}
		r := mrand.New(mrand.NewPCG(uint64(size), 1))
		for i := 0; i < 8 && size > 0; i++ {
			a := r.IntN(size)
			b := a + r.IntN(size-a)
			ranges = append(ranges, fmt.Sprintf("bytes=%d-%d", a, b))
		}
		for _, h := range ranges {
			rng := gateway.ParseRange(h)
			if rng == nil {
				continue // not a range ParseRange accepts: nothing to compare
			}
			off, n, rerr := rng.Resolve(int64(size))
			got, err := c.get(key, h)
			if rerr != nil {
				if !errors.Is(err, gateway.ErrInvalidRange) {
					t.Fatalf("%d bytes, %s: got %d bytes, err %v; want ErrInvalidRange", size, h, len(got), err)
				}
				continue
			}
			if err != nil || !bytes.Equal(got, data[off:off+n]) {
				t.Fatalf("%d bytes, %s: %d bytes back (want %d), equal=%v, err %v",
					size, h, len(got), n, bytes.Equal(got, data[off:off+n]), err)
			}
		}
	}

	// Listing sees every object once with its size and ETag.
	res, err := c.layer.ListObjects(ctx, "bkt", gateway.ListOptions{Prefix: "obj/", MaxKeys: 1000})
	if err != nil || len(res.Objects) != len(sizes) {
		t.Fatalf("ListObjects: %+v, %v", res, err)
	}
	for _, o := range res.Objects {
		var size int
		fmt.Sscanf(o.Key, "obj/%d", &size)
		if o.Size != int64(size) || o.ETag != md5hex(randData(uint64(size), size)) {
			t.Errorf("listed %+v", o)
		}
	}

	// Closing a reader early does not hang, and the next read is still right.
	_, rc, err := c.layer.GetObject(ctx, "bkt", fmt.Sprintf("obj/%d", 1<<20+7), nil)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 10)
	if _, err := io.ReadFull(rc, buf); err != nil {
		t.Fatal(err)
	}
	rc.Close()
	if !bytes.Equal(buf, randData(1<<20+7, 10)) {
		t.Fatal("first bytes of a read closed early are wrong")
	}
}

func TestPutMetadataAndErrors(t *testing.T) {
	c := newCluster(t, 6)
	ctx := context.Background()
	data := []byte("hello, mefs")
	info, err := c.layer.PutObject(ctx, "bkt", "k", gateway.NewPutReader(bytes.NewReader(data), int64(len(data)), nil),
		gateway.PutOptions{ContentType: "text/x-test", UserMeta: map[string]string{"a": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.layer.ObjectInfo(ctx, "bkt", "k")
	if err != nil || st.ContentType != "text/x-test" || st.UserMeta["a"] != "1" || st.ETag != info.ETag {
		t.Fatalf("ObjectInfo = %+v, %v", st, err)
	}
	if err := c.layer.MakeBucket(ctx, "bkt", "owner"); !errors.Is(err, gateway.ErrBucketAlreadyOwnedByYou) {
		t.Fatalf("MakeBucket twice: %v", err)
	}
	if _, err := c.layer.PutObject(ctx, "nope", "k", gateway.NewPutReader(bytes.NewReader(data), int64(len(data)), nil), gateway.PutOptions{}); !errors.Is(err, gateway.ErrNoSuchBucket) {
		t.Fatalf("PutObject into missing bucket: %v", err)
	}
	if _, _, err := c.layer.GetObject(ctx, "bkt", "missing", nil); !errors.Is(err, gateway.ErrNoSuchKey) {
		t.Fatalf("GetObject of missing key: %v", err)
	}
	if _, _, err := c.layer.GetObject(ctx, "nope", "k", nil); !errors.Is(err, gateway.ErrNoSuchBucket) {
		t.Fatalf("GetObject in missing bucket: %v", err)
	}
	if _, err := c.layer.ObjectInfo(ctx, "nope", "k"); !errors.Is(err, gateway.ErrNoSuchBucket) {
		t.Fatalf("ObjectInfo in missing bucket: %v", err)
	}
	if err := c.layer.DeleteBucket(ctx, "bkt"); !errors.Is(err, gateway.ErrBucketNotEmpty) {
		t.Fatalf("DeleteBucket of non-empty bucket: %v", err)
	}
	// A Content-MD5 that does not match aborts the put.
	wrong := md5.Sum([]byte("other"))
	if _, err := c.layer.PutObject(ctx, "bkt", "k", gateway.NewPutReader(bytes.NewReader([]byte("new")), 3, wrong[:]), gateway.PutOptions{}); !errors.Is(err, gateway.ErrBadDigest) {
		t.Fatalf("PutObject with a wrong Content-MD5: %v", err)
	}
	if got, err := c.get("k", ""); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("object after a failed overwrite: %q, %v", got, err)
	}
	bs, err := c.layer.ListBuckets(ctx)
	if err != nil || len(bs) != 1 || bs[0].Name != "bkt" || bs[0].Owner != "owner" {
		t.Fatalf("ListBuckets = %+v, %v", bs, err)
	}
}

func TestDeleteMissingObjectIsNotAnError(t *testing.T) {
	c := newCluster(t, 6)
	if err := c.layer.DeleteObject(context.Background(), "bkt", "missing"); err != nil {
		t.Fatalf("DeleteObject of a missing key: %v", err)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	ids := []peer.ID{"a", "b", "c"}
	key := make([]byte, 32)
	for name, cfg := range map[string]Config{
		"too few providers": {K: 2, M: 2, ChunkSize: 1024, MasterKey: key},
		"short key":         {K: 2, M: 1, ChunkSize: 1024, MasterKey: key[:31]},
		"tiny chunks":       {K: 2, M: 1, ChunkSize: erasure.Overhead, MasterKey: key},
		"huge chunks":       {K: 2, M: 1, ChunkSize: p2p.MaxChunkSize + 1, MasterKey: key},
		"k zero":            {K: 0, M: 1, ChunkSize: 1024, MasterKey: key},
	} {
		if _, err := New(cfg, nil, nil, NewFixed(ids), discard); err == nil {
			t.Errorf("%s: New accepted %+v", name, cfg)
		}
	}
	if _, err := New(Config{K: 2, M: 1, ChunkSize: 1024, MasterKey: key}, nil, nil, NewFixed(ids), discard); err != nil {
		t.Errorf("New rejected a good config: %v", err)
	}
}

func TestDegradedReads(t *testing.T) {
	c := newCluster(t, 6)
	big := randData(7, 1<<20+7)
	small := randData(8, 100)
	c.put("big", big)
	c.put("small", small)
	rng := fmt.Sprintf("bytes=%d-%d", testStripe-50, 2*testStripe+50)
	wantRange := big[testStripe-50 : 2*testStripe+51]

	c.stopProvider(1)
	c.stopProvider(4)
	for key, want := range map[string][]byte{"big": big, "small": small} {
		got, err := c.get(key, "")
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s with %d Providers down: %d bytes, equal=%v, %v", key, testM, len(got), bytes.Equal(got, want), err)
		}
	}
	if got, err := c.get("big", rng); err != nil || !bytes.Equal(got, wantRange) {
		t.Fatalf("range with %d Providers down: %d bytes, %v", testM, len(got), err)
	}

	c.stopProvider(0)
	for key, want := range map[string][]byte{"big": big, "small": small} {
		got, err := c.get(key, "")
		if err == nil {
			t.Fatalf("%s with %d Providers down: read %d bytes without error", key, testM+1, len(got))
		}
		if !errors.Is(err, erasure.ErrTooFewChunks) {
			t.Errorf("%s with %d Providers down: %v, want ErrTooFewChunks", key, testM+1, err)
		}
		if len(got) >= len(want) || !bytes.Equal(got, want[:len(got)]) {
			t.Fatalf("%s: a failed read returned %d bytes that are not a proper prefix of the object", key, len(got))
		}
	}
	if got, err := c.get("big", rng); err == nil || !bytes.Equal(got, wantRange[:len(got)]) {
		t.Fatalf("range with %d Providers down: %d bytes, %v", testM+1, len(got), err)
	}
}

func TestPutUsesSpareProvider(t *testing.T) {
	c := newCluster(t, 7)
	c.stopProvider(2)
	data := randData(9, 3*testStripe+11)
	c.put("k", data)
	lay, err := c.meta.Layout(c.objectID("k"))
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(lay.Providers, c.ids[2].String()) {
		t.Fatalf("layout places chunks on the stopped Provider: %v", lay.Providers)
	}
	for _, st := range lay.Stripes {
		seen := map[uint16]bool{}
		for _, p := range st.Providers {
			if seen[p] {
				t.Fatalf("a stripe has two chunks on one Provider: %v", st.Providers)
			}
			seen[p] = true
		}
	}
	if got := c.chunksOf(memo.DataOf(c.objectID("k"))); got != stripesOf(len(data))*(testK+testM) {
		t.Fatalf("%d chunk files, want %d", got, stripesOf(len(data))*(testK+testM))
	}
	if got, err := c.get("k", ""); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back: %d bytes, %v", len(got), err)
	}
}

func TestPutFailsWithoutEnoughProviders(t *testing.T) {
	c := newCluster(t, 6)
	c.run()
	// 4 of 6 up: below the write quorum (k+m-1 = 5).
	c.stopProvider(4)
	c.stopProvider(5)
	// One stripe: every chunk put has finished when the PUT fails (see
	// TestAbortedPutLeavesNoOrphan for several stripes).
	data := randData(10, testStripe/2)
	_, err := c.layer.PutObject(context.Background(), "bkt", "k",
		gateway.NewPutReader(bytes.NewReader(data), int64(len(data)), nil), gateway.PutOptions{})
	if err == nil {
		t.Fatal("PutObject succeeded with only 4 of 6 Providers up, below the write quorum of 5")
	}
	if !errors.Is(err, errNoProviders) {
		t.Errorf("PutObject with too few Providers: %v, want errNoProviders", err)
	}
	if _, err := c.layer.ObjectInfo(context.Background(), "bkt", "k"); !errors.Is(err, gateway.ErrNoSuchKey) {
		t.Fatalf("ObjectInfo after a failed put: %v", err)
	}
	waitFor(t, "chunks of the failed put to be collected from the running Providers", func() bool {
		return len(c.files(true)) == 0
	})
}

// settlingReader yields data, then before reporting its end waits until the
// chunks of every full stripe already read are on the Providers, so the
// PUT fails with no chunk put in flight.
type settlingReader struct {
	c    *cluster
	r    *bytes.Reader
	full int // full stripes in data
}

func (s *settlingReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err == io.EOF && s.full > 0 {
		waitFor(s.c.t, "the stripes sent so far to be stored", func() bool {
			in, err := s.c.meta.Intents()
			return err == nil && len(in) == 1 && s.c.chunksOf(in[0].ID) == s.full*(testK+testM)
		})
	}
	return n, err
}

func TestShortBodyIsAbortedAndCollected(t *testing.T) {
	c := newCluster(t, 6)
	c.run()
	ctx := context.Background()
	for i, tc := range []struct{ declared, actual int }{
		{100, 50},
		{3*testStripe + 10, 2*testStripe + 100},
		{2 * testStripe, 2*testStripe - 1},
		{testStripe + 1, testStripe},
		{50, 100}, // longer than declared
	} {
		key := fmt.Sprintf("short-%d", i)
		data := randData(uint64(i), tc.actual)
		body := &settlingReader{c: c, r: bytes.NewReader(data)}
		if tc.actual < tc.declared {
			body.full = tc.actual / testStripe
		}
		_, err := c.layer.PutObject(ctx, "bkt", key, gateway.NewPutReader(body, int64(tc.declared), nil), gateway.PutOptions{})
		if err == nil {
			t.Fatalf("PutObject of %d bytes declared as %d succeeded", tc.actual, tc.declared)
		}
		if !errors.Is(err, gateway.ErrIncompleteBody) {
			t.Errorf("PutObject of %d bytes declared as %d: %v, want ErrIncompleteBody", tc.actual, tc.declared, err)
		}
		if _, err := c.layer.ObjectInfo(ctx, "bkt", key); !errors.Is(err, gateway.ErrNoSuchKey) {
			t.Fatalf("ObjectInfo after a short put: %v, want ErrNoSuchKey", err)
		}
		waitFor(t, fmt.Sprintf("chunks of short put %d to be collected", i), func() bool {
			return len(c.files(false)) == 0 && c.noGarbage()
		})
	}
	res, err := c.layer.ListObjects(ctx, "bkt", gateway.ListOptions{MaxKeys: 100})
	if err != nil || len(res.Objects) != 0 {
		t.Fatalf("ListObjects after short puts: %+v, %v", res, err)
	}
}

// TestAbortedPutLeavesNoOrphan fails a PUT while a chunk put it abandoned is
// still being handled by a Provider that has received the chunk: once the
// PUT's garbage is collected, the late write must not leave a chunk that no
// record refers to. The gate stands for a Provider slowed down between
// reading a chunk and storing it (disk, scheduling); without it the
// orphan shows up now and then in a loop of short multi-stripe PUTs.
func TestAbortedPutLeavesNoOrphan(t *testing.T) {
	c := newCluster(t, 6)
	// Provider 0 serves the chunk protocol like provider.Provider, except
	// that it holds stripe 0's chunk between reading and storing it.
	received, gate, stored := make(chan struct{}), make(chan struct{}), make(chan struct{})
	store := c.stores[0]
	c.provHosts[0].SetStreamHandler(p2p.ProtocolID, func(s network.Stream) {
		defer s.Close()
		req, err := p2p.ReadRequest(s)
		if err != nil {
			s.Reset()
			return
		}
		switch req.Op {
		case p2p.OpPut:
			data := make([]byte, req.Size)
			if _, err := io.ReadFull(s, data); err != nil {
				s.Reset()
				return
			}
			if req.Chunk.Stripe == 0 {
				close(received)
				<-gate
			}
			err := store.Put(req.Chunk, req.Root, data)
			if req.Chunk.Stripe == 0 {
				close(stored)
			}
			if err != nil {
				p2p.WriteResponse(s, p2p.StatusError, 0, err.Error())
				return
			}
			p2p.WriteResponse(s, p2p.StatusOK, 0, "")
		case p2p.OpDeleteObject:
			if err := store.DeleteObject(req.Chunk.Data); err != nil {
				p2p.WriteResponse(s, p2p.StatusError, 0, err.Error())
				return
			}
			p2p.WriteResponse(s, p2p.StatusOK, 0, "")
		default:
			s.Reset()
		}
	})
	c.run()

	data := randData(15, testStripe+10)
	pr, pw := io.Pipe()
	res := make(chan error, 1)
	go func() {
		_, err := c.layer.PutObject(context.Background(), "bkt", "k",
			gateway.NewPutReader(pr, int64(len(data))+100, nil), gateway.PutOptions{})
		res <- err
	}()
	if _, err := pw.Write(data); err != nil {
		t.Fatal(err)
	}
	var id erasure.DataID
	waitFor(t, "the upload intent", func() bool {
		in, err := c.meta.Intents()
		if err != nil || len(in) != 1 {
			return false
		}
		id = in[0].ID
		return true
	})
	select {
	case <-received:
	case <-time.After(15 * time.Second):
		t.Fatal("provider 0 never received its chunk of stripe 0")
	}
	pw.Close() // the body ends short: the PUT fails
	if err := <-res; err == nil {
		t.Fatal("a short PUT succeeded")
	}
	waitFor(t, "the failed PUT's garbage to be collected", c.noGarbage)
	close(gate)
	<-stored
	if n := c.chunksOf(id); n != 0 {
		t.Fatalf("%d chunk(s) of the failed PUT %s remain on Providers, and no record refers to them", n, id)
	}
}

func TestGarbageRetriedWhenProviderReturns(t *testing.T) {
	c := newCluster(t, 6)
	c.run()
	c.put("k", randData(13, 1000))
	id := memo.DataOf(c.objectID("k"))
	c.stopProvider(3)
	if err := c.layer.DeleteObject(context.Background(), "bkt", "k"); err != nil {
		t.Fatal(err)
	}
	h := hex.EncodeToString(id[:])
	waitFor(t, "chunks on running Providers to be collected", func() bool {
		for _, f := range c.files(true) {
			if strings.Contains(f, h) {
				return false
			}
		}
		return true
	})
	// The record keeps the Provider that could not be reached, and only it.
	waitFor(t, "the garbage record to name only the stopped Provider", func() bool {
		g, err := c.meta.Garbage()
		return err == nil && len(g) == 1 && g[0].ID == id && slices.Equal(g[0].Providers, []string{c.ids[3].String()})
	})
	if n := c.chunksOf(id); n != 1 {
		t.Fatalf("the stopped Provider holds %d chunks of the object, want 1", n)
	}
	// The Provider comes back (same identity and store, new port): the next
	// collection removes its chunk and the record.
	if got := c.startProvider(3); got != c.ids[3] {
		t.Fatalf("restarted Provider has id %s, want %s", got, c.ids[3])
	}
	c.layer.kickGC()
	waitFor(t, "the returning Provider's chunks to be collected", func() bool { return c.chunksOf(id) == 0 })
	waitFor(t, "the garbage record to be cleared", c.noGarbage)
}

func TestRecoverAbortsUnfinishedUploads(t *testing.T) {
	c := newCluster(t, 6)
	// A previous run began an upload and wrote chunks, then crashed.
	var id erasure.DataID
	rand.Read(id[:])
	if err := c.meta.BeginPut(id, providerStrings(c.ids)); err != nil {
		t.Fatal(err)
	}
	for i, s := range c.stores {
		data := []byte(fmt.Sprintf("orphan chunk %d", i))
		if err := s.PutFor(c.client.ID().String(), memo.ChunkID{Data: id, Index: uint16(i)}, erasure.Commit(data), data); err != nil {
			t.Fatal(err)
		}
	}
	if c.chunksOf(id) != len(c.stores) {
		t.Fatal("setup: chunks not written")
	}
	c.run()
	waitFor(t, "chunks of the unfinished upload to be collected", func() bool { return c.chunksOf(id) == 0 })
	waitFor(t, "intent and garbage records to be cleared", c.noGarbage)
}

func TestNoPlaintextOnProviders(t *testing.T) {
	c := newCluster(t, 6)
	canary := []byte("MEFS-CANARY-7f3a9c-plaintext-must-not-leak|")
	data := bytes.Repeat(canary, (2*testStripe+1000)/len(canary))
	c.put("canary", data)
	if got, err := c.get("canary", ""); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back: %d bytes, %v", len(got), err)
	}
	files := c.files(false)
	if len(files) != stripesOf(len(data))*(testK+testM) {
		t.Fatalf("%d chunk files, want %d", len(files), stripesOf(len(data))*(testK+testM))
	}
	var total int
	for _, dir := range c.provDirs {
		err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
			if err != nil || !e.Type().IsRegular() {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			total += len(b)
			if bytes.Contains(b, canary[:16]) {
				t.Errorf("plaintext found in %s", p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if total < len(data) {
		t.Fatalf("Providers hold %d bytes for a %d-byte object", total, len(data))
	}
}

// TestRunStartedDuringPut starts the garbage collector while a PUT is in
// flight: it must not take the PUT's intent for one left over from a crash
// and collect the chunks already written. The PUT must either fail or leave
// a readable object.
func TestRunStartedDuringPut(t *testing.T) {
	c := newCluster(t, 6)
	data := randData(14, 2*testStripe+10)
	pr, pw := io.Pipe()
	defer pw.Close()
	type result struct {
		info gateway.ObjectInfo
		err  error
	}
	res := make(chan result, 1)
	go func() {
		info, err := c.layer.PutObject(context.Background(), "bkt", "k",
			gateway.NewPutReader(pr, int64(len(data)), nil), gateway.PutOptions{})
		res <- result{info, err}
	}()
	// The first stripe goes out; the PUT then waits for more body.
	if _, err := pw.Write(data[:testStripe+5]); err != nil {
		t.Fatal(err)
	}
	var id erasure.DataID
	waitFor(t, "the upload intent", func() bool {
		in, err := c.meta.Intents()
		if err != nil || len(in) != 1 {
			return false
		}
		id = in[0].ID
		return true
	})
	waitFor(t, "the first stripe to be stored", func() bool { return c.chunksOf(id) == testK+testM })

	c.startRun()
	c.layer.kickGC()
	waitFor(t, "the garbage collector to take its kick", func() bool { return len(c.layer.gcKick) == 0 })

	if _, err := pw.Write(data[testStripe+5:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	r := <-res
	if r.err != nil {
		return // refusing the PUT is a correct outcome
	}
	got, err := c.get("k", "")
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("PutObject succeeded but the object reads back %d bytes (want %d), err %v", len(got), len(data), err)
	}
}

// TestPutAtWriteQuorumIsRepaired: with one Provider of six down, a 4+2 PUT
// succeeds at its write quorum (5 chunks a stripe) and queues the stripes
// for repair; once the Provider is back, repair restores full redundancy, so
// the object then survives any two Providers lost.
func TestPutAtWriteQuorumIsRepaired(t *testing.T) {
	c := newCluster(t, 6)
	c.run()
	c.stopProvider(2)
	data := randData(21, 3*testStripe+77)
	c.put("degraded", data)
	id := c.objectID("degraded")
	if q, err := c.meta.RepairQueue(); err != nil || len(q) != 1 || q[0] != id {
		t.Fatalf("repair queue %v, %v; want the object", q, err)
	}
	if got, err := c.get("degraded", ""); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read at write quorum: %v", err)
	}
	c.startProvider(2)
	c.layer.kickRepair()
	waitFor(t, "the stripes to be repaired", func() bool {
		q, err := c.meta.RepairQueue()
		return err == nil && len(q) == 0
	})
	if n := c.chunksOf(memo.DataOf(id)); n != stripesOf(len(data))*(testK+testM) {
		t.Fatalf("%d chunk files after repair, want %d", n, stripesOf(len(data))*(testK+testM))
	}
	lay, err := c.meta.Layout(id)
	if err != nil || lay.Missing() {
		t.Fatalf("layout after repair: missing %v, %v", lay.Missing(), err)
	}
	// Full redundancy: any two Providers may go.
	c.stopProvider(0)
	c.stopProvider(1)
	if got, err := c.get("degraded", ""); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read with two Providers down after repair: %v", err)
	}
}
