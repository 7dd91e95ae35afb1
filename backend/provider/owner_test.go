package provider_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/p2p"
	"github.com/mefs-project/mefs/backend/provider"
	"github.com/mefs-project/mefs/chain"
	"github.com/mefs-project/mefs/erasure"
)

// TestChunksBelongToTheirUser: another User can neither read nor delete a
// User's chunks, nor add chunks to its object.
func TestChunksBelongToTheirUser(t *testing.T) {
	alice, ph, _, _ := setup(t)
	bob := &p2p.Client{Host: newHost(t), Timeout: 10 * time.Second}
	bob.Host.Peerstore().AddAddrs(ph.ID(), ph.Addrs(), peerstore.PermanentAddrTTL)
	ctx := context.Background()
	var obj erasure.DataID
	copy(obj[:], "owned-object-001")
	id := memo.ChunkID{Data: obj, Index: 1}
	data := []byte("alice's encrypted chunk")
	root := erasure.Commit(data)
	if err := alice.PutChunk(ctx, ph.ID(), id, root, data); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.GetChunk(ctx, ph.ID(), id, root, len(data)); !errors.Is(err, p2p.ErrNotFound) {
		t.Fatalf("bob reads alice's chunk: %v, want ErrNotFound", err)
	}
	if _, err := bob.GetChunkRange(ctx, ph.ID(), id, root, 2, make([]byte, 5)); !errors.Is(err, p2p.ErrNotFound) {
		t.Fatalf("bob reads a range of alice's chunk: %v, want ErrNotFound", err)
	}
	other := memo.ChunkID{Data: obj, Index: 2}
	if err := bob.PutChunk(ctx, ph.ID(), other, root, data); !errors.Is(err, p2p.ErrRefused) {
		t.Fatalf("bob adds a chunk to alice's object: %v, want ErrRefused", err)
	}
	if err := bob.DeleteData(ctx, ph.ID(), obj); err != nil {
		t.Fatalf("bob's delete of an object not his: %v (answered as already gone)", err)
	}
	if got, err := alice.GetChunk(ctx, ph.ID(), id, root, len(data)); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("alice's chunk after bob's delete: %v", err)
	}
	if err := alice.DeleteData(ctx, ph.ID(), obj); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.GetChunk(ctx, ph.ID(), id, root, len(data)); !errors.Is(err, p2p.ErrNotFound) {
		t.Fatalf("after alice's delete: %v, want ErrNotFound", err)
	}
}

// refusingLedger admits no one: a Provider whose Users have no orders.
type refusingLedger struct{}

var errNoOrder = errors.New("no order")

func (refusingLedger) Authorize(context.Context, peer.ID, bool) (string, error) {
	return "", errNoOrder
}
func (refusingLedger) Check(context.Context, peer.ID, chain.OrderUpdate) (string, error) {
	return "", errNoOrder
}
func (refusingLedger) Sign(chain.OrderUpdate) ([]byte, error) { return nil, errNoOrder }
func (refusingLedger) Quota(string) (int64, bool)             { return 0, true }

func TestLedgerRefusesUnfundedUser(t *testing.T) {
	store, err := provider.OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ph := newHost(t)
	provider.New(ph, store, refusingLedger{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	c := &p2p.Client{Host: newHost(t), Timeout: 10 * time.Second}
	c.Host.Peerstore().AddAddrs(ph.ID(), ph.Addrs(), peerstore.PermanentAddrTTL)
	data := []byte("unpaid chunk")
	err = c.PutChunk(context.Background(), ph.ID(), memo.ChunkID{Index: 3}, erasure.Commit(data), data)
	if !errors.Is(err, p2p.ErrRefused) {
		t.Fatalf("put without an order: %v, want ErrRefused", err)
	}
	if store.Owned(erasure.DataID{}) {
		t.Fatal("the refused chunk's object was recorded in the store")
	}
}

// A refusal reaches the sender as ErrRefused every time, whatever the size:
// the Provider answers before reading the body, and neither its early answer
// nor its close may turn into a reset the sender reports instead.
func TestRefusalIsNeverAReset(t *testing.T) {
	store, err := provider.OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ph := newHost(t)
	provider.New(ph, store, refusingLedger{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	c := &p2p.Client{Host: newHost(t), Timeout: 10 * time.Second}
	c.Host.Peerstore().AddAddrs(ph.ID(), ph.Addrs(), peerstore.PermanentAddrTTL)
	for i := 0; i < 60; i++ {
		data := make([]byte, 1<<(10+i%11)) // 1 KiB … 1 MiB
		err := c.PutChunk(context.Background(), ph.ID(), memo.ChunkID{Index: uint16(i)}, erasure.Commit(data), data)
		if !errors.Is(err, p2p.ErrRefused) {
			t.Fatalf("put %d of %d bytes: %v, want ErrRefused", i, len(data), err)
		}
	}
}
