package chain

import (
	"crypto/ecdsa"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	libp2pcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

// testNodeKey is a secp256k1 node key fixed by name (the same name, the same peer id).
func testNodeKey(name string) *ecdsa.PrivateKey {
	k, err := crypto.ToECDSA(crypto.Keccak256([]byte("node key " + name)))
	if err != nil {
		panic(err)
	}
	return k
}

// testPeerID is the peer id text of testNodeKey(name).
func testPeerID(name string) string {
	return PeerIDString(PeerIDBytes(&testNodeKey(name).PublicKey))
}

// TestPeerIDMatchesLibp2p: the id computed here and on chain is the one go-libp2p gives
// a host with the same key.
func TestPeerIDMatchesLibp2p(t *testing.T) {
	for _, name := range []string{"a", "b", "c", "d"} {
		k := testNodeKey(name)
		lk, err := libp2pcrypto.UnmarshalSecp256k1PrivateKey(crypto.FromECDSA(k))
		if err != nil {
			t.Fatal(err)
		}
		want, err := peer.IDFromPrivateKey(lk)
		if err != nil {
			t.Fatal(err)
		}
		if got := PeerIDString(PeerIDBytes(&k.PublicKey)); got != want.String() {
			t.Fatalf("peer id of %q: %s, libp2p says %s", name, got, want)
		}
	}
	if PeerIDString([]byte("not a multihash")) != "" {
		t.Fatal("PeerIDString accepted garbage")
	}
}

// TestPeerProofOnChain: the contract computes the same peer id and digest, and refuses
// every proof that is not the node key's own signature for this account, chain and
// registry.
func TestPeerProofOnChain(t *testing.T) {
	e := newEnv(t)
	k := testNodeKey("peer-x")
	proof, err := ProvePeer(k, e.user.chainID, e.ct.Registry, e.user.Address())
	e.must(err)

	id, err := call(e.ctx, e.user, "peerIdOf", e.ct.Registry, registryABI.PackPeerIdOf(proof.Key), nil, registryABI.UnpackPeerIdOf)
	e.must(err)
	if string(id) != string(PeerIDBytes(&k.PublicKey)) {
		t.Fatalf("contract peer id %x, Go %x", id, PeerIDBytes(&k.PublicKey))
	}
	h, err := call(e.ctx, e.user, "hashPeerBinding", e.ct.Registry, registryABI.PackHashPeerBinding(e.user.Address(), id), nil, registryABI.UnpackHashPeerBinding)
	e.must(err)
	if common.Hash(h) != PeerBindingHash(e.user.chainID, e.ct.Registry, e.user.Address(), id) {
		t.Fatal("contract and Go disagree on the peer binding digest")
	}

	other := func(chainID *big.Int, registry, account common.Address) PeerProof {
		p, err := ProvePeer(k, chainID, registry, account)
		e.must(err)
		return p
	}
	offCurve := PeerProof{Key: append([]byte{}, proof.Key...), Sig: proof.Sig}
	offCurve.Key[63] ^= 2
	tampered := PeerProof{Key: proof.Key, Sig: append([]byte{}, proof.Sig...)}
	tampered.Sig[10] ^= 1
	notKey := testNodeKey("someone else")
	cases := []struct {
		name  string
		proof PeerProof
		want  string
	}{
		{"made for another account", other(e.user.chainID, e.ct.Registry, e.user2.Address()), "peer key not proven"},
		{"made for another chain", other(big.NewInt(1), e.ct.Registry, e.user.Address()), "peer key not proven"},
		{"made for another registry", other(e.user.chainID, e.ct.Settlement, e.user.Address()), "peer key not proven"},
		{"signed by another key", PeerProof{Key: proof.Key, Sig: mustSign(t, notKey, PeerBindingHash(e.user.chainID, e.ct.Registry, e.user.Address(), id))}, "peer key not proven"},
		{"tampered signature", tampered, "peer key not proven"},
		{"no signature", PeerProof{Key: proof.Key}, "peer key not proven"},
		{"key off the curve", offCurve, "not on secp256k1"},
		{"short key", PeerProof{Key: proof.Key[:33], Sig: proof.Sig}, "bad peer key"},
	}
	for _, c := range cases {
		wantRevert(t, e.user.register(e.ctx, RoleUser, c.proof, nil, nil), c.want)
	}
	// The genuine proof registers; a second account presenting it (or the same key's
	// own proof for itself) cannot take the peer id.
	e.must(e.user.register(e.ctx, RoleUser, proof, nil, nil))
	wantRevert(t, e.user2.register(e.ctx, RoleUser, proof, nil, nil), "peer key not proven")
	wantRevert(t, e.user2.Register(e.ctx, RoleUser, k, nil, nil), "peer id registered by another account")
	info, err := e.user.Info(e.ctx, e.user.Address())
	e.must(err)
	if info.PeerID != testPeerID("peer-x") {
		t.Fatalf("registered peer id %q, want %q", info.PeerID, testPeerID("peer-x"))
	}
	// Updates need the proof too.
	wantRevert(t, e.user.updateAddrs(e.ctx, tampered, nil), "peer key not proven")
}

func mustSign(t *testing.T, k *ecdsa.PrivateKey, h common.Hash) []byte {
	t.Helper()
	sig, err := signDigest(k, h, "test")
	if err != nil {
		t.Fatal(err)
	}
	return sig
}
