package p2p

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
)

type fixedAnswer struct {
	allowed peer.ID
	proof   []byte
	delay   time.Duration
}

func (f fixedAnswer) Answer(ctx context.Context, from peer.ID, epoch uint64) ([]byte, error) {
	if from != f.allowed {
		return nil, errors.New("not a keeper")
	}
	select {
	case <-time.After(f.delay):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return append(append([]byte(nil), f.proof...), byte(epoch)), nil
}

func newTestHost(t *testing.T) *hostT {
	t.Helper()
	k, _, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		t.Fatal(err)
	}
	h, err := NewHost(k, "/ip4/127.0.0.1/tcp/0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return &hostT{h}
}

func TestChallengeProtocol(t *testing.T) {
	prov, keeper, stranger := newTestHost(t), newTestHost(t), newTestHost(t)
	ServeChallenges(prov.Host, fixedAnswer{allowed: keeper.ID(), proof: []byte("proof"), delay: 0}, slog.Default())
	ctx := context.Background()
	for _, c := range []*hostT{keeper, stranger} {
		c.Peerstore().AddAddrs(prov.ID(), prov.Addrs(), time.Minute)
	}
	got, err := Challenge(ctx, keeper.Host, prov.ID(), 7, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, []byte("proof\x07")) {
		t.Fatalf("proof = %q", got)
	}
	if _, err := Challenge(ctx, stranger.Host, prov.ID(), 7, 5*time.Second); !errors.Is(err, ErrRefused) {
		t.Fatalf("stranger's challenge: err = %v, want refusal", err)
	}
}

func TestChallengeTimeout(t *testing.T) {
	prov, keeper := newTestHost(t), newTestHost(t)
	ServeChallenges(prov.Host, fixedAnswer{allowed: keeper.ID(), delay: 10 * time.Second}, slog.Default())
	keeper.Peerstore().AddAddrs(prov.ID(), prov.Addrs(), time.Minute)
	start := time.Now()
	if _, err := Challenge(context.Background(), keeper.Host, prov.ID(), 1, 300*time.Millisecond); err == nil {
		t.Fatal("slow Provider's answer accepted")
	}
	if time.Since(start) > 5*time.Second {
		t.Fatalf("challenge did not time out: %v", time.Since(start))
	}
}

type hostT struct{ host.Host }
