package node

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	libp2pcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/chain"
)

// certChain is an in-memory provenChain.
type certChain struct {
	epoch uint64
	certs map[common.Address]map[uint64]uint8
	reads int
}

func (c *certChain) CurrentEpoch(context.Context) (uint64, error) { return c.epoch, nil }
func (c *certChain) Params(context.Context) (chain.Params, error) {
	return chain.Params{DeployParams: chain.DeployParams{EpochLength: time.Minute, CertifyWindow: 4}}, nil
}
func (c *certChain) CertificateOf(_ context.Context, p common.Address, e uint64) (chain.CertificateState, error) {
	c.reads++
	return chain.CertificateState{Status: c.certs[p][e]}, nil
}

func TestProvenEpochsFollowPassingCertificates(t *testing.T) {
	_, pub, _ := libp2pcrypto.GenerateEd25519Key(rand.Reader)
	good, _ := peer.IDFromPublicKey(pub)
	_, pub2, _ := libp2pcrypto.GenerateEd25519Key(rand.Reader)
	bad, _ := peer.IDFromPublicKey(pub2)
	ga, ba := common.Address{1}, common.Address{2}
	c := &certChain{epoch: 10, certs: map[common.Address]map[uint64]uint8{
		ga: {6: chain.CertClaimed, 7: chain.CertPassed, 8: chain.CertNone},
		ba: {7: chain.CertFailed, 8: chain.CertFailed},
	}}
	tr := &provenEpochs{chain: c, accounts: func() map[peer.ID]common.Address { return map[peer.ID]common.Address{good: ga, bad: ba} }}
	tr.refresh(context.Background(), 4)
	if e, ok := tr.LastPassed(good); !ok || e != 7 {
		t.Fatalf("good provider last passed %d, %v; want 7", e, ok)
	}
	if e, ok := tr.LastPassed(bad); ok {
		t.Fatalf("a provider with only failed epochs counts as proven at %d", e)
	}
	// Later: epoch 9 passes; the refresh reads only epochs after 7 for the
	// good provider, newest first (and the window for the bad one).
	c.certs[ga][9] = chain.CertPassed
	c.epoch, c.reads = 11, 0
	tr.refresh(context.Background(), 4)
	if e, _ := tr.LastPassed(good); e != 9 {
		t.Fatalf("good provider last passed %d after epoch 9 passed, want 9", e)
	}
	if c.reads != 2+4 {
		t.Fatalf("refresh read %d certificates, want 2 (good: epochs 10, 9) + 4 (bad: its window)", c.reads)
	}
}
