package keeper

import (
	"bytes"
	"errors"
	"math/big"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/mefs-project/mefs/chain"
)

// testHash stands for the Settlement's EIP-712 attestation hash.
func testHash(a Attestation) [32]byte {
	b := []byte{0}
	if a.Pass {
		b[0] = 1
	}
	return crypto.Keccak256Hash(a.Provider[:], common.BigToHash(new(big.Int).SetUint64(a.Epoch)).Bytes(), b, a.ProofDigest[:])
}

// testKeeper is a Keeper's account and BLS key.
type testKeeper struct {
	addr common.Address
	sk   chain.BLSSecretKey
}

func newTestKeeper(t *testing.T, i int) testKeeper {
	t.Helper()
	sk, err := chain.BLSKeyFromSeed(bytes.Repeat([]byte{byte(i + 1)}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return testKeeper{addr: common.Address{byte(i + 1)}, sk: sk}
}

func (k testKeeper) sign(t *testing.T, a Attestation) SignedAttestation {
	t.Helper()
	sig, err := k.sk.Sign(testHash(a), chain.BLSSigDST)
	if err != nil {
		t.Fatal(err)
	}
	return SignedAttestation{Attestation: a, Signer: k.addr, Signature: sig[:]}
}

func newCollector(t *testing.T, n int) (*Collector, []testKeeper) {
	var keys []testKeeper
	var addrs []common.Address
	pks := map[common.Address]chain.BLSPublicKey{}
	for i := range n {
		k := newTestKeeper(t, i)
		keys = append(keys, k)
		addrs = append(addrs, k.addr)
		pks[k.addr] = k.sk.PublicKey()
	}
	return &Collector{
		Verify: func(signer common.Address, a Attestation, sig []byte) error {
			s, err := chain.DecodeBLSSignature(sig)
			if err != nil {
				return err
			}
			if !chain.VerifyBLS(pks[signer], testHash(a), s, chain.BLSSigDST) {
				return errors.New("bad signature")
			}
			return nil
		},
		Keepers: func(uint64) ([]common.Address, error) { return addrs, nil },
	}, keys
}

// verifyCert checks c's aggregate against the signers' keys, as the contract does with
// the set's aggregate key minus the absentees'.
func verifyCert(t *testing.T, c *Certificate, keys []testKeeper) {
	t.Helper()
	var pks []chain.BLSPublicKey
	for _, k := range keys {
		if !slices.Contains(c.Absentees, k.addr) {
			pks = append(pks, k.sk.PublicKey())
		}
	}
	apk, err := chain.AggregatePublicKeys(pks...)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := chain.DecodeBLSSignature(c.Signature)
	if err != nil || !chain.VerifyBLS(apk, testHash(c.Attestation), sig, chain.BLSSigDST) {
		t.Fatalf("certificate's aggregate does not verify: %v", err)
	}
	if c.Signers+len(c.Absentees) != len(keys) {
		t.Fatalf("%d signers + %d absentees of %d keepers", c.Signers, len(c.Absentees), len(keys))
	}
}

func TestQuorumOneByzantineOfFour(t *testing.T) {
	c, keys := newCollector(t, 4)
	pass := Attestation{Provider: common.Address{7}, Epoch: 3, Pass: true, ProofDigest: common.Hash{1}}
	lie := Attestation{Provider: common.Address{7}, Epoch: 3} // byzantine: fail
	if cert, err := c.Add(keys[0].sign(t, lie)); err != nil || cert != nil {
		t.Fatalf("byzantine alone: cert=%v err=%v", cert, err)
	}
	var got *Certificate
	for i, k := range keys[1:] {
		cert, err := c.Add(k.sign(t, pass))
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
	if got == nil || !got.Pass || got.Signers != Quorum(4) || !slices.Equal(got.Absentees, []common.Address{keys[0].addr}) {
		t.Fatalf("honest quorum: %+v", got)
	}
	verifyCert(t, got, keys)
	// The same Keeper signing twice counts once; a stranger not at all; a signature
	// by another key under a Keeper's name is refused.
	c2, keys2 := newCollector(t, 4)
	for range 3 {
		if cert, _ := c2.Add(keys2[0].sign(t, pass)); cert != nil {
			t.Fatal("one Keeper signing thrice made a certificate")
		}
	}
	stranger := newTestKeeper(t, 9)
	if _, err := c2.Add(stranger.sign(t, pass)); err == nil {
		t.Fatal("stranger's signature accepted")
	}
	forged := stranger.sign(t, pass)
	forged.Signer = keys2[1].addr
	if _, err := c2.Add(forged); err == nil {
		t.Fatal("a signature by another key under a Keeper's name accepted")
	}
}

func TestBelowQuorumNothingCertified(t *testing.T) {
	c, keys := newCollector(t, 4)
	a := Attestation{Provider: common.Address{7}, Epoch: 3, Pass: true}
	for _, k := range keys[:2] { // two of four online
		if cert, _ := c.Add(k.sign(t, a)); cert != nil {
			t.Fatal("certificate below quorum")
		}
	}
	if cert, err := c.Build(a); cert != nil || err != nil {
		t.Fatalf("Build below quorum: %v, %v", cert, err)
	}
	// A third returns: quorum.
	if cert, _ := c.Add(keys[2].sign(t, a)); cert == nil {
		t.Fatal("no certificate at quorum")
	}
	// The fourth's late signature joins the certificate built for submission.
	if _, err := c.Add(keys[3].sign(t, a)); err != nil {
		t.Fatal(err)
	}
	cert, err := c.Build(a)
	if err != nil || cert == nil || cert.Signers != 4 || len(cert.Absentees) != 0 {
		t.Fatalf("Build after every signature: %+v, %v", cert, err)
	}
	verifyCert(t, cert, keys)
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
