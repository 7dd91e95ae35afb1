package provider_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peerstore"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/p2p"
	"github.com/mefs-project/mefs/backend/provider"
	"github.com/mefs-project/mefs/erasure"
)

func newHost(t testing.TB) host.Host {
	t.Helper()
	key, err := p2p.LoadIdentity(filepath.Join(t.TempDir(), "node.key"))
	if err != nil {
		t.Fatal(err)
	}
	h, err := p2p.NewHost(key, "/ip4/127.0.0.1/tcp/0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// setup starts a Provider and a client host that knows its address.
func setup(t *testing.T) (*p2p.Client, host.Host, *provider.Provider, string) {
	t.Helper()
	dir := t.TempDir()
	store, err := provider.OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	ph := newHost(t)
	p := provider.New(ph, store, provider.AllowAll{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ch := newHost(t)
	ch.Peerstore().AddAddrs(ph.ID(), ph.Addrs(), peerstore.PermanentAddrTTL)
	return &p2p.Client{Host: ch, Timeout: 10 * time.Second}, ph, p, dir
}

func TestProviderProtocol(t *testing.T) {
	c, ph, _, dir := setup(t)
	ctx := context.Background()
	pid := ph.ID()
	var obj erasure.DataID
	copy(obj[:], "provider-test-01")
	id := memo.ChunkID{Data: obj, Stripe: 4, Index: 2}
	data := bytes.Repeat([]byte("chunk bytes "), 1000)
	root := erasure.Commit(data)

	if _, err := c.GetChunk(ctx, pid, id, root, len(data)); !errors.Is(err, p2p.ErrNotFound) {
		t.Fatalf("Get before Put: %v, want ErrNotFound", err)
	}
	if err := c.PutChunk(ctx, pid, id, root, data); err != nil {
		t.Fatalf("Put: %v", err)
	}
	got, err := c.GetChunk(ctx, pid, id, root, len(data))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("Get: %d bytes, %v", len(got), err)
	}
	if err := c.VerifyChunk(ctx, pid, id, root); err != nil {
		t.Fatalf("Verify of a held chunk: %v", err)
	}
	if err := c.VerifyChunk(ctx, pid, memo.ChunkID{Data: obj, Stripe: 9}, root); !errors.Is(err, memo.ErrChunkLost) {
		t.Fatalf("Verify of a chunk never stored: %v, want ErrChunkLost", err)
	}
	// Ranges of the chunk, at any alignment; not past its end, not under
	// another commitment.
	for _, r := range [][2]int{{0, 1}, {5, 100}, {4095, 2}, {len(data) - 7, 7}, {0, len(data)}} {
		got, err := c.GetChunkRange(ctx, pid, id, root, int64(r[0]), make([]byte, r[1]))
		if err != nil || !bytes.Equal(got, data[r[0]:r[0]+r[1]]) {
			t.Fatalf("GetChunkRange %d+%d: %d bytes, %v", r[0], r[1], len(got), err)
		}
	}
	if _, err := c.GetChunkRange(ctx, pid, id, root, int64(len(data)-3), make([]byte, 4)); !errors.Is(err, p2p.ErrNotFound) {
		t.Fatalf("GetChunkRange past the end: %v, want ErrNotFound", err)
	}
	if _, err := c.GetChunkRange(ctx, pid, id, erasure.Commit([]byte("x")), 0, make([]byte, 4)); !errors.Is(err, p2p.ErrNotFound) {
		t.Fatalf("GetChunkRange under another commitment: %v, want ErrNotFound", err)
	}
	// Asking with another commitment is not found; with another size, refused.
	other := erasure.Commit([]byte("other"))
	if _, err := c.GetChunk(ctx, pid, id, other, len(data)); !errors.Is(err, p2p.ErrNotFound) {
		t.Fatalf("Get with wrong root: %v, want ErrNotFound", err)
	}
	if _, err := c.GetChunk(ctx, pid, id, root, len(data)+1); !errors.Is(err, p2p.ErrBadCommitment) {
		t.Fatalf("Get with wrong size: %v, want ErrBadCommitment", err)
	}

	// A chunk that does not match its commitment is refused and not stored.
	bad := memo.ChunkID{Data: obj, Stripe: 5, Index: 0}
	if err := c.PutChunk(ctx, pid, bad, root, []byte("not the committed bytes")); !errors.Is(err, p2p.ErrBadCommitment) {
		t.Fatalf("Put of mismatching chunk: %v, want ErrBadCommitment", err)
	}
	if _, err := c.GetChunk(ctx, pid, bad, root, len(data)); !errors.Is(err, p2p.ErrNotFound) {
		t.Fatalf("Get of refused chunk: %v, want ErrNotFound", err)
	}

	// A chunk corrupted on disk is never served.
	h := hex.EncodeToString(obj[:])
	path := filepath.Join(dir, "chunks", h[:2], h, strconv.Itoa(int(id.Stripe))+"."+strconv.Itoa(int(id.Index)))
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 1
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := c.GetChunk(ctx, pid, id, root, len(data)); !errors.Is(err, p2p.ErrBadCommitment) {
		t.Fatalf("Get of corrupted chunk: %d bytes, %v; want ErrBadCommitment", len(got), err)
	}
	if err := c.VerifyChunk(ctx, pid, id, root); !errors.Is(err, p2p.ErrBadCommitment) || !errors.Is(err, memo.ErrChunkLost) {
		t.Fatalf("Verify of a corrupted chunk: %v, want ErrBadCommitment (ErrChunkLost)", err)
	}

	// DeleteObject removes the object's chunks; again succeeds.
	if err := c.PutChunk(ctx, pid, bad, erasure.Commit(data[:10]), data[:10]); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteData(ctx, pid, obj); err != nil {
		t.Fatalf("DeleteObject: %v", err)
	}
	if _, err := c.GetChunk(ctx, pid, bad, erasure.Commit(data[:10]), 10); !errors.Is(err, p2p.ErrNotFound) {
		t.Fatalf("Get after DeleteObject: %v, want ErrNotFound", err)
	}
	if _, err := os.Stat(filepath.Dir(path)); !os.IsNotExist(err) {
		t.Fatalf("object folder after DeleteObject: %v", err)
	}
	if err := c.DeleteData(ctx, pid, obj); err != nil {
		t.Fatalf("second DeleteObject: %v", err)
	}
}

func TestProviderRejectsBadRequest(t *testing.T) {
	c, ph, _, _ := setup(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := c.Host.NewStream(ctx, ph.ID(), p2p.ProtocolID)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Op 9 does not exist: the Provider resets the stream without answering.
	hdr := make([]byte, 67)
	hdr[0] = 9
	if _, err := s.Write(hdr); err != nil {
		t.Fatal(err)
	}
	s.CloseWrite()
	s.SetDeadline(time.Now().Add(10 * time.Second))
	if n, err := p2p.ReadResponse(s); err == nil {
		t.Fatalf("ReadResponse after a bad request: size %d, no error", n)
	}
}

func TestProviderClosed(t *testing.T) {
	c, ph, p, _ := setup(t)
	ctx := context.Background()
	var obj erasure.DataID
	data := []byte("x")
	id := memo.ChunkID{Data: obj}
	if err := c.PutChunk(ctx, ph.ID(), id, erasure.Commit(data), data); err != nil {
		t.Fatal(err)
	}
	p.Close()
	if err := c.PutChunk(ctx, ph.ID(), id, erasure.Commit(data), data); err == nil {
		t.Fatal("Put to a closed Provider succeeded")
	}
}
