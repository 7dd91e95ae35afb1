package node

import (
	"crypto/rand"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
	libp2pcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/chain"
)

// TestNodeKeyForRegistry: a wallet-derived node key is secp256k1 and its chain form
// has the host's peer id; an Ed25519 key (an old node.key) is refused with advice.
func TestNodeKeyForRegistry(t *testing.T) {
	w, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	k, err := NodeKeyOf(w)
	if err != nil {
		t.Fatal(err)
	}
	ek, err := nodeKeyECDSA(k)
	if err != nil {
		t.Fatal(err)
	}
	id, err := peer.IDFromPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	if got := chain.PeerIDString(chain.PeerIDBytes(&ek.PublicKey)); got != id.String() {
		t.Fatalf("registered peer id %s, host peer id %s", got, id)
	}
	old, _, err := libp2pcrypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := nodeKeyECDSA(old); err == nil || !strings.Contains(err.Error(), "node.key") {
		t.Fatalf("an Ed25519 node key gave %v, want a refusal naming node.key", err)
	}
}
