package provider_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peerstore"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/p2p"
	"github.com/mefs-project/mefs/backend/provider"
	"github.com/mefs-project/mefs/erasure"
)

// TestQuotaBoundsWhatAUserHolds: a User's chunks are refused, body unread,
// once they would take it past what its orders allow; deleting makes room.
func TestQuotaBoundsWhatAUserHolds(t *testing.T) {
	store, err := provider.OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ph := newHost(t)
	c := &p2p.Client{Host: newHost(t), Timeout: 10 * time.Second}
	provider.New(ph, store, oneUser{user: c.Host.ID(), quota: 10 << 10}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	c.Host.Peerstore().AddAddrs(ph.ID(), ph.Addrs(), peerstore.PermanentAddrTTL)
	ctx := context.Background()
	data := make([]byte, 4<<10)
	put := func(obj byte, i uint16) error {
		return c.PutChunk(ctx, ph.ID(), memo.ChunkID{Data: erasure.DataID{obj}, Index: i}, erasure.Commit(data), data)
	}
	for i := range uint16(2) { // 8 KiB of 10
		if err := put(1, i); err != nil {
			t.Fatalf("chunk %d within quota: %v", i, err)
		}
	}
	if err := put(1, 2); !errors.Is(err, p2p.ErrRefused) {
		t.Fatalf("chunk past the quota: %v, want ErrRefused", err)
	}
	if got := store.UsageOf(c.Host.ID().String()); got != 8<<10 {
		t.Fatalf("store holds %d bytes for the User, want 8 KiB", got)
	}
	// One chunk deleted: the other stays, readable.
	if err := c.DeleteChunk(ctx, ph.ID(), memo.ChunkID{Data: erasure.DataID{1}, Index: 1}); err != nil {
		t.Fatal(err)
	}
	if got := store.UsageOf(c.Host.ID().String()); got != 4<<10 {
		t.Fatalf("store holds %d bytes after deleting one chunk, want 4 KiB", got)
	}
	if _, err := c.GetChunk(ctx, ph.ID(), memo.ChunkID{Data: erasure.DataID{1}}, erasure.Commit(data), len(data)); err != nil {
		t.Fatalf("the chunk left after a chunk delete: %v", err)
	}
	if _, err := c.GetChunk(ctx, ph.ID(), memo.ChunkID{Data: erasure.DataID{1}, Index: 1}, erasure.Commit(data), len(data)); !errors.Is(err, p2p.ErrNotFound) {
		t.Fatalf("the deleted chunk: %v, want ErrNotFound", err)
	}
	if err := c.DeleteData(ctx, ph.ID(), erasure.DataID{1}); err != nil {
		t.Fatal(err)
	}
	if got := store.UsageOf(c.Host.ID().String()); got != 0 {
		t.Fatalf("store holds %d bytes after the delete, want 0", got)
	}
	if err := put(2, 0); err != nil {
		t.Fatalf("chunk after a delete made room: %v", err)
	}
}
