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
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
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
	// InlineMax and PackMax -1: every object, however small, takes stripes of its own
	// these tests are about (inline_test.go covers inline objects).
	l, err := New(Config{K: testK, M: testM, ChunkSize: testChunkSize, MasterKey: master, InlineMax: -1, PackMax: -1},
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
	_, rc, err := c.layer.GetObject(context.Background(), "bkt", key, "", gateway.ParseRange(rng), nil)
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
		st, err := c.layer.ObjectInfo(ctx, "bkt", key, "")
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
	_, rc, err := c.layer.GetObject(ctx, "bkt", fmt.Sprintf("obj/%d", 1<<20+7), "", nil, nil)
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
	st, err := c.layer.ObjectInfo(ctx, "bkt", "k", "")
	if err != nil || st.ContentType != "text/x-test" || st.UserMeta["a"] != "1" || st.ETag != info.ETag {
		t.Fatalf("ObjectInfo = %+v, %v", st, err)
	}
	if err := c.layer.MakeBucket(ctx, "bkt", "owner"); !errors.Is(err, gateway.ErrBucketAlreadyOwnedByYou) {
		t.Fatalf("MakeBucket twice: %v", err)
	}
	if _, err := c.layer.PutObject(ctx, "nope", "k", gateway.NewPutReader(bytes.NewReader(data), int64(len(data)), nil), gateway.PutOptions{}); !errors.Is(err, gateway.ErrNoSuchBucket) {
		t.Fatalf("PutObject into missing bucket: %v", err)
	}
	if _, _, err := c.layer.GetObject(ctx, "bkt", "missing", "", nil, nil); !errors.Is(err, gateway.ErrNoSuchKey) {
		t.Fatalf("GetObject of missing key: %v", err)
	}
	if _, _, err := c.layer.GetObject(ctx, "nope", "k", "", nil, nil); !errors.Is(err, gateway.ErrNoSuchBucket) {
		t.Fatalf("GetObject in missing bucket: %v", err)
	}
	if _, err := c.layer.ObjectInfo(ctx, "nope", "k", ""); !errors.Is(err, gateway.ErrNoSuchBucket) {
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
	if _, err := c.layer.DeleteObject(context.Background(), "bkt", "missing", gateway.DeleteOptions{}); err != nil {
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
