package node

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/test"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/backend/user"
	"github.com/mefs-project/mefs/erasure"
)

// offline is a Network whose Providers never answer.
type offline struct{}

var errOffline = errors.New("offline")

func (offline) PutChunk(context.Context, peer.ID, memo.ChunkID, erasure.Root, []byte) error {
	return errOffline
}
func (offline) GetChunkInto(context.Context, peer.ID, memo.ChunkID, erasure.Root, []byte) ([]byte, error) {
	return nil, errOffline
}
func (offline) GetChunkRange(context.Context, peer.ID, memo.ChunkID, erasure.Root, int64, []byte) ([]byte, error) {
	return nil, errOffline
}
func (offline) VerifyChunk(context.Context, peer.ID, memo.ChunkID, erasure.Root) error {
	return errOffline
}
func (offline) DeleteData(context.Context, peer.ID, memo.DataID) error { return errOffline }
func (offline) DeleteChunk(context.Context, peer.ID, memo.ChunkID) error {
	return errOffline
}
func (offline) Probe(context.Context, peer.ID) error { return errOffline }
func (offline) Connected(peer.ID) bool               { return false }
func (offline) Disconnect(peer.ID)                   {}

// TestRepairMetrics: the collector exports each Provider's health and the
// repair queue at every margin level.
func TestRepairMetrics(t *testing.T) {
	ms, err := meta.Open(filepath.Join(t.TempDir(), "meta"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer ms.Close()
	var ids []peer.ID
	for range 6 {
		p, err := test.RandPeerID()
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p)
	}
	l, err := user.New(user.Config{K: 4, M: 2, ChunkSize: 4096, MasterKey: make([]byte, 32)}, ms, offline{}, user.NewFixed(ids), nil)
	if err != nil {
		t.Fatal(err)
	}
	l.MarkFailing(ids[0], "failed epoch 3")
	reg := prometheus.NewRegistry()
	reg.MustRegister(repairCollector{layer: l})
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, f := range fams {
		for _, m := range f.GetMetric() {
			var labels []string
			for _, lp := range m.GetLabel() {
				labels = append(labels, lp.GetName()+"="+lp.GetValue())
			}
			got[f.GetName()] = append(got[f.GetName()], strings.Join(labels, ","))
		}
	}
	if q := got["mefs_repair_queue_objects"]; len(q) != 2 {
		t.Fatalf("repair queue series %v, want margins 0 and 1", q)
	}
	h := got["mefs_provider_health"]
	if len(h) != len(ids) {
		t.Fatalf("provider health series %v, want one per Provider", h)
	}
	if !slices.Contains(h, "provider="+ids[0].String()+",state=failing") {
		t.Fatalf("provider health %v: the Provider marked failing is not failing", h)
	}
	if len(got["mefs_repaired_chunks_total"]) != 1 || len(got["mefs_repaired_bytes_total"]) != 1 {
		t.Fatalf("repair throughput counters missing: %v", got)
	}
	if got := l.ProviderHealth(ids[0]); got != user.Failing {
		t.Fatalf("after MarkFailing: %v, want failing", got)
	}
}
