package node

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
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

// fakeRegistry is an in-memory registryChain whose Register fails as told.
type fakeRegistry struct {
	fails []error // Register's results, in order; nil once used up
	calls int
}

func (f *fakeRegistry) Address() common.Address { return common.Address{1} }
func (f *fakeRegistry) Info(context.Context, common.Address) (chain.Registration, error) {
	return chain.Registration{}, nil
}
func (f *fakeRegistry) Register(context.Context, chain.Role, *ecdsa.PrivateKey, []string, *big.Int) error {
	f.calls++
	if len(f.fails) > 0 {
		err := f.fails[0]
		f.fails = f.fails[1:]
		return err
	}
	return nil
}
func (f *fakeRegistry) UpdateAddrs(context.Context, *ecdsa.PrivateKey, []string) error { return nil }
func (f *fakeRegistry) Balance(context.Context, common.Address) (*big.Int, error) {
	return chain.MEMO(10), nil
}
func (f *fakeRegistry) Faucet(context.Context) error { return nil }

// TestRegistrationRetriedOnceAfterFailingAtInclusion: a registration that
// mined but failed (its estimate passed) is sent once more; a refusal is not.
func TestRegistrationRetriedOnceAfterFailingAtInclusion(t *testing.T) {
	w, _ := crypto.GenerateKey()
	k, err := NodeKeyOf(w)
	if err != nil {
		t.Fatal(err)
	}
	failed := fmt.Errorf("chain: register keeper: tx failed: %w", chain.ErrTxFailed)
	log := slog.New(slog.DiscardHandler)
	for _, c := range []struct {
		fails   []error
		calls   int
		wantErr bool
	}{
		{[]error{failed}, 2, false},
		{[]error{failed, failed}, 2, true},
		{[]error{errors.New("execution reverted: Registry: pledge below minimum")}, 1, true},
	} {
		f := &fakeRegistry{fails: c.fails}
		err := ensureRegistered(context.Background(), f, chain.RoleKeeper, k, nil, chain.MEMO(1), log)
		if (err != nil) != c.wantErr || f.calls != c.calls {
			t.Errorf("results %v: %d Register calls, err %v; want %d calls, error %v", c.fails, f.calls, err, c.calls, c.wantErr)
		}
	}
}
