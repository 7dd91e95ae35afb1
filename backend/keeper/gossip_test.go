package keeper

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
)

func TestSignedAttestationEncoding(t *testing.T) {
	m := SignedAttestation{Attestation: Attestation{Provider: common.Address{7}, Epoch: 42, Pass: true, ProofDigest: common.Hash{9}}, Signer: common.Address{5}, Signature: bytes.Repeat([]byte{3}, 128)}
	got, err := UnmarshalSignedAttestation(m.Marshal())
	if err != nil || got.Attestation != m.Attestation || got.Signer != m.Signer || !bytes.Equal(got.Signature, m.Signature) {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	fail := SignedAttestation{Attestation: Attestation{Provider: common.Address{7}, Epoch: 1}, Signature: make([]byte, 128)}
	bad := map[string][]byte{
		"empty":               nil,
		"short":               m.Marshal()[:208],
		"long":                append(m.Marshal(), 0),
		"pass byte 2":         func() []byte { b := m.Marshal(); b[28] = 2; return b }(),
		"fail with a digest":  func() []byte { b := fail.Marshal(); b[40] = 1; return b }(),
		"signature truncated": (SignedAttestation{Attestation: m.Attestation, Signature: make([]byte, 127)}).Marshal(),
	}
	for name, b := range bad {
		if _, err := UnmarshalSignedAttestation(b); !errors.Is(err, ErrBadMessage) {
			t.Errorf("%s: %v, want ErrBadMessage", name, err)
		}
	}
}

func gossipHost(t *testing.T) host.Host {
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// Two Keepers on real libp2p hosts: a published attestation reaches the
// other; a malformed message is refused by the topic validator.
func TestGossipDelivers(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	topic := TopicName(big.NewInt(1337), common.Address{1})
	a, b := gossipHost(t), gossipHost(t)
	ga, err := JoinGossip(ctx, a, topic)
	if err != nil {
		t.Fatal(err)
	}
	defer ga.Close()
	gb, err := JoinGossip(ctx, b, topic)
	if err != nil {
		t.Fatal(err)
	}
	defer gb.Close()
	if err := a.Connect(ctx, peer.AddrInfo{ID: b.ID(), Addrs: b.Addrs()}); err != nil {
		t.Fatal(err)
	}
	// Publish until b's subscription is known to a (the mesh forms within
	// a heartbeat).
	if err := ga.topic.Publish(ctx, []byte("not an attestation")); err == nil {
		t.Fatal("a malformed message passed the topic validator")
	}
	m := SignedAttestation{Attestation: Attestation{Provider: common.Address{2}, Epoch: 5, Pass: true, ProofDigest: common.Hash{4}}, Signer: common.Address{6}, Signature: bytes.Repeat([]byte{1}, 128)}
	got := make(chan SignedAttestation, 1)
	go func() {
		r, err := gb.Next(ctx)
		if err == nil {
			got <- r
		}
	}()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		if err := ga.Publish(ctx, m); err != nil {
			t.Fatal(err)
		}
		select {
		case r := <-got:
			if r.Attestation != m.Attestation || !bytes.Equal(r.Signature, m.Signature) {
				t.Fatalf("received %+v, want %+v", r, m)
			}
			return
		case <-ctx.Done():
			t.Fatal("attestation never delivered")
		case <-tick.C:
		}
	}
}
