package keeper

import (
	"crypto/ecdsa"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// testHash stands for the Settlement's EIP-712 attestation hash.
func testHash(a Attestation) []byte {
	b := []byte{0}
	if a.Pass {
		b[0] = 1
	}
	return crypto.Keccak256(a.Provider[:], common.BigToHash(new(big.Int).SetUint64(a.Epoch)).Bytes(), b, a.ProofDigest[:])
}

func sign(t *testing.T, k *ecdsa.PrivateKey, a Attestation) []byte {
	t.Helper()
	sig, err := crypto.Sign(testHash(a), k)
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

func newCollector(t *testing.T, n int) (*Collector, []*ecdsa.PrivateKey) {
	var keys []*ecdsa.PrivateKey
	var addrs []common.Address
	for range n {
		k, _ := crypto.GenerateKey()
		keys = append(keys, k)
		addrs = append(addrs, crypto.PubkeyToAddress(k.PublicKey))
	}
	return &Collector{
		Recover: func(a Attestation, sig []byte) (common.Address, error) {
			pub, err := crypto.SigToPub(testHash(a), sig)
			if err != nil {
				return common.Address{}, err
			}
			return crypto.PubkeyToAddress(*pub), nil
		},
		Keepers: func(uint64) ([]common.Address, error) { return addrs, nil },
	}, keys
}

func TestQuorumOneByzantineOfFour(t *testing.T) {
	c, keys := newCollector(t, 4)
	pass := Attestation{Provider: common.Address{7}, Epoch: 3, Pass: true, ProofDigest: common.Hash{1}}
	lie := Attestation{Provider: common.Address{7}, Epoch: 3} // byzantine: fail
	if cert, err := c.Add(lie, sign(t, keys[0], lie)); err != nil || cert != nil {
		t.Fatalf("byzantine alone: cert=%v err=%v", cert, err)
	}
	var got *Certificate
	for i, k := range keys[1:] {
		cert, err := c.Add(pass, sign(t, k, pass))
		if err != nil {
			t.Fatal(err)
		}
		if i < 1 && cert != nil {
			t.Fatalf("certificate with %d signatures", i+1)
		}
		if cert != nil {
			got = cert
		}
	}
	if got == nil || !got.Pass || len(got.Signatures) != Quorum(4) {
		t.Fatalf("honest quorum: %+v", got)
	}
	// The same Keeper signing twice counts once; a stranger not at all.
	c2, keys2 := newCollector(t, 4)
	for range 3 {
		if cert, _ := c2.Add(pass, sign(t, keys2[0], pass)); cert != nil {
			t.Fatal("one Keeper signing thrice made a certificate")
		}
	}
	stranger, _ := crypto.GenerateKey()
	if _, err := c2.Add(pass, sign(t, stranger, pass)); err == nil {
		t.Fatal("stranger's signature accepted")
	}
}

func TestBelowQuorumNothingCertified(t *testing.T) {
	c, keys := newCollector(t, 4)
	a := Attestation{Provider: common.Address{7}, Epoch: 3, Pass: true}
	for _, k := range keys[:2] { // two of four online
		if cert, _ := c.Add(a, sign(t, k, a)); cert != nil {
			t.Fatal("certificate below quorum")
		}
	}
	// A third returns: quorum.
	if cert, _ := c.Add(a, sign(t, keys[2], a)); cert == nil {
		t.Fatal("no certificate at quorum")
	}
}

func TestSubmitterDeterministicWithFallback(t *testing.T) {
	ks := []common.Address{{3}, {1}, {2}, {4}}
	p := common.Address{9}
	first := Submitter(ks, p, 5, 0)
	if Submitter([]common.Address{{4}, {2}, {1}, {3}}, p, 5, 0) != first {
		t.Fatal("submitter depends on list order")
	}
	seen := map[common.Address]bool{}
	for i := range 4 {
		seen[Submitter(ks, p, 5, i)] = true
	}
	if len(seen) != 4 {
		t.Fatalf("fallbacks cover %d of 4 keepers", len(seen))
	}
	if Quorum(4) != 3 || Quorum(16) != 11 || Quorum(3) != 2 {
		t.Fatal("quorum is not ceil(2n/3)")
	}
}
