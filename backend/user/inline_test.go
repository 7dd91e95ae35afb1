package user

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"testing"

	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/gateway"
)

// TestInlineObjects: objects up to InlineMax live sealed in the metadata —
// no chunk on any Provider, ranges read right, overwrite and delete leave
// no garbage — and the next byte up takes the stripe path; inline objects
// travel with the metadata snapshot.
func TestInlineObjects(t *testing.T) {
	net, ids := newMemNet(testK + testM)
	ms, err := meta.Open(filepath.Join(t.TempDir(), "meta"), discard)
	if err != nil {
		t.Fatal(err)
	}
	defer ms.Close()
	master := make([]byte, 32)
	rand.Read(master)
	l, err := New(Config{K: testK, M: testM, ChunkSize: testChunkSize, MasterKey: master}, ms, net, NewFixed(ids), discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := l.MakeBucket(ctx, "bkt", "owner"); err != nil {
		t.Fatal(err)
	}
	held := func() (n int) {
		for _, p := range ids {
			n += net.held(p)
		}
		return n
	}
	objs := map[string][]byte{}
	for _, size := range []int{0, 1, 100, DefaultInlineMax} {
		k := string(rune('a' + size%26))
		objs[k] = randData(uint64(size), size)
		memPut(t, l, k, objs[k])
	}
	if n := held(); n != 0 {
		t.Fatalf("%d chunks on Providers after inline PUTs", n)
	}
	for k, v := range objs {
		if got := memGet(t, l, k); !bytes.Equal(got, v) {
			t.Fatalf("inline %s read back %d bytes, want %d", k, len(got), len(v))
		}
	}
	big := objs[string(rune('a'+DefaultInlineMax%26))]
	_, rc, err := l.GetObject(ctx, "bkt", string(rune('a'+DefaultInlineMax%26)), "", &gateway.Range{First: 10, Last: 99}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(got, big[10:100]) {
		t.Fatalf("range of an inline object: %d bytes, want 90", len(got))
	}
	// Overwrite and delete: nothing to collect.
	memPut(t, l, "b", []byte("new"))
	if _, err := l.DeleteObject(ctx, "bkt", "a", gateway.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if g, err := ms.Garbage(); err != nil || len(g) != 0 {
		t.Fatalf("garbage after replacing and deleting inline objects: %v, %v", g, err)
	}
	// One byte more: stripes.
	memPut(t, l, "striped", randData(9, DefaultInlineMax+1))
	if n := held(); n != testK+testM {
		t.Fatalf("%d chunks after a %d-byte PUT, want %d", n, DefaultInlineMax+1, testK+testM)
	}
	// The sealed bytes in the metadata are not the plaintext.
	o, _ := ms.Object("bkt", string(rune('a'+DefaultInlineMax%26)))
	lay, _ := ms.Layout(o.ID)
	if lay.Inline == nil || bytes.Contains(lay.Inline, big[:64]) {
		t.Fatal("an inline object is stored in the clear")
	}
}

// TestConcurrentGetsWithPooledStripes: many readers of multi-stripe objects at
// once, some closing early, each get exactly their object's bytes (decoded
// stripe buffers are pooled between readers).
func TestConcurrentGetsWithPooledStripes(t *testing.T) {
	l, _, _, _ := newMemLayer(t, testK+testM)
	full := l.stripeSize()
	objs := map[string][]byte{}
	for i, size := range []int{3*full + 100, 2 * full, full + 1} {
		k := fmt.Sprintf("obj-%d", i)
		objs[k] = bytes.Repeat([]byte{byte('a' + i)}, size)
		for j := range objs[k] {
			objs[k][j] ^= byte(j * 31)
		}
		memPut(t, l, k, objs[k])
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 12 {
				k := fmt.Sprintf("obj-%d", (w+i)%3)
				_, rc, err := l.GetObject(context.Background(), "bkt", k, "", nil, nil)
				if err != nil {
					errs <- err
					return
				}
				n := len(objs[k])
				if i%4 == 3 {
					n = full / 2 // stop early: Close gives back what is unread
				}
				got := make([]byte, n)
				_, err = io.ReadFull(rc, got)
				rc.Close()
				if err != nil || !bytes.Equal(got, objs[k][:n]) {
					errs <- fmt.Errorf("reader %d, %s: %d bytes differ (err %v)", w, k, n, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}
