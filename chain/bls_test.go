package chain

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bls12381 "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/consensys/gnark-crypto/ecc/bls12-381/fp"
	"github.com/consensys/gnark-crypto/ecc/bls12-381/fr"
	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
)

// blsKeys returns n deterministic test keys and their public keys.
func blsKeys(t testing.TB, n int) ([]BLSSecretKey, []BLSPublicKey) {
	t.Helper()
	sks := make([]BLSSecretKey, n)
	pks := make([]BLSPublicKey, n)
	for i := range n {
		seed := sha256.Sum256([]byte{'k', 'e', 'y', byte(i)})
		sk, err := BLSKeyFromSeed(seed[:])
		if err != nil {
			t.Fatal(err)
		}
		sks[i], pks[i] = sk, sk.PublicKey()
	}
	return sks, pks
}

func blsSign(t testing.TB, sk BLSSecretKey, digest [32]byte, dst string) BLSSignature {
	t.Helper()
	sig, err := sk.Sign(digest, dst)
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// blsQuorum returns the aggregate signature of digest by all sks.
func blsQuorum(t testing.TB, sks []BLSSecretKey, digest [32]byte) BLSSignature {
	t.Helper()
	sigs := make([]BLSSignature, len(sks))
	for i, sk := range sks {
		sigs[i] = blsSign(t, sk, digest, BLSSigDST)
	}
	agg, err := AggregateSignatures(sigs...)
	if err != nil {
		t.Fatal(err)
	}
	return agg
}

func randScalar(t testing.TB) *big.Int {
	t.Helper()
	var s fr.Element
	if _, err := s.SetRandom(); err != nil {
		t.Fatal(err)
	}
	return s.BigInt(new(big.Int))
}

func randG1(t testing.TB) bls12381.G1Affine {
	var p bls12381.G1Affine
	p.ScalarMultiplicationBase(randScalar(t))
	return p
}

func randG2(t testing.TB) bls12381.G2Affine {
	var p bls12381.G2Affine
	p.ScalarMultiplicationBase(randScalar(t))
	return p
}

func digestOf(s string) [32]byte { return sha256.Sum256([]byte(s)) }

func TestBLSKeyFromSeed(t *testing.T) {
	seed := bytes.Repeat([]byte{7}, 32)
	a, err := BLSKeyFromSeed(seed)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := BLSKeyFromSeed(seed)
	if a.Bytes() != b.Bytes() || a.PublicKey() != b.PublicKey() {
		t.Fatal("same seed, different keys")
	}
	c, _ := BLSKeyFromSeed(append(seed, 1))
	if a.Bytes() == c.Bytes() {
		t.Fatal("different seeds, same key")
	}
	if _, err := BLSKeyFromSeed(seed[:31]); err == nil {
		t.Fatal("31-byte seed accepted")
	}
	raw := a.Bytes()
	back, err := BLSSecretKeyFromBytes(raw[:])
	if err != nil || back.PublicKey() != a.PublicKey() {
		t.Fatalf("secret key round trip: %v", err)
	}
	rBytes := fr.Modulus().FillBytes(make([]byte, 32))
	for name, bad := range map[string][]byte{"zero": make([]byte, 32), "r": rBytes, "short": raw[:31]} {
		if _, err := BLSSecretKeyFromBytes(bad); err == nil {
			t.Errorf("BLSSecretKeyFromBytes(%s) accepted", name)
		}
	}
	if _, err := (BLSSecretKey{}).Sign(digestOf("x"), BLSSigDST); err == nil {
		t.Fatal("zero key signed")
	}
}

// TestBLSHashToG1RFC9380 anchors the Go hash on RFC 9380's vector J.9.1 (msg "").
func TestBLSHashToG1RFC9380(t *testing.T) {
	p, err := bls12381.HashToG1(nil, []byte("QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_RO_"))
	if err != nil {
		t.Fatal(err)
	}
	enc := EncodeG1(&p)
	wantX := "052926add2207b76ca4fa57a8734416c8dc95e24501772c814278700eed6d1e4e8cf62d9c09db0fac349612b759e79a1"
	wantY := "08ba738453bfed09cb546dbb0783dbb3a5f1f566ed67bb6be0e8c67e2e81a4cc68ee29813bb7994998f3eae0c9c6a265"
	if got := hex.EncodeToString(enc[16:64]) + hex.EncodeToString(enc[80:128]); got != wantX+wantY {
		t.Fatalf("hash of \"\" = %s, want %s", got, wantX+wantY)
	}
	for _, dst := range []string{"", strings.Repeat("d", 256)} {
		if _, err := BLSHashToG1(digestOf("m"), dst); err == nil {
			t.Errorf("DST of %d bytes accepted", len(dst))
		}
	}
}

func TestBLSSignVerify(t *testing.T) {
	sks, pks := blsKeys(t, 2)
	d := digestOf("epoch 7 certificate")
	sig := blsSign(t, sks[0], d, BLSSigDST)
	if !VerifyBLS(pks[0], d, sig, BLSSigDST) {
		t.Fatal("valid signature rejected")
	}
	if VerifyBLS(pks[0], digestOf("epoch 8 certificate"), sig, BLSSigDST) {
		t.Error("tampered message accepted")
	}
	if VerifyBLS(pks[1], d, sig, BLSSigDST) {
		t.Error("wrong public key accepted")
	}
	if VerifyBLS(pks[0], d, sig, BLSPoPDST) {
		t.Error("signature accepted under the PoP DST")
	}
	if VerifyBLS(pks[0], d, blsSign(t, sks[1], d, BLSSigDST), BLSSigDST) {
		t.Error("other key's signature accepted")
	}
	bad := sig
	bad[127] ^= 1
	if VerifyBLS(pks[0], d, bad, BLSSigDST) {
		t.Error("tampered signature accepted")
	}
	badPK := pks[0]
	badPK[255] ^= 1
	if VerifyBLS(badPK, d, sig, BLSSigDST) {
		t.Error("tampered public key accepted")
	}
	if VerifyBLS(BLSPublicKey{}, d, BLSSignature{}, BLSSigDST) {
		t.Error("key and signature at infinity accepted")
	}
	if _, err := DecodeBLSPublicKey(make([]byte, BLSG2Size)); !errors.Is(err, ErrBLSEncoding) {
		t.Errorf("public key at infinity: %v", err)
	}
	if _, err := DecodeBLSSignature(sig[:]); err != nil {
		t.Errorf("DecodeBLSSignature: %v", err)
	}
}

func TestBLSAggregate(t *testing.T) {
	sks, pks := blsKeys(t, 16)
	d := digestOf("aggregate")
	for _, n := range []int{1, 4, 16} {
		agg := blsQuorum(t, sks[:n], d)
		apk, err := AggregatePublicKeys(pks[:n]...)
		if err != nil {
			t.Fatal(err)
		}
		if !VerifyBLS(apk, d, agg, BLSSigDST) {
			t.Fatalf("aggregate of %d rejected", n)
		}
		if n > 1 {
			partial, _ := AggregatePublicKeys(pks[:n-1]...)
			if VerifyBLS(partial, d, agg, BLSSigDST) {
				t.Fatalf("aggregate of %d accepted against %d keys", n, n-1)
			}
			short := blsQuorum(t, sks[:n-1], d)
			if VerifyBLS(apk, d, short, BLSSigDST) {
				t.Fatalf("signature of %d accepted against %d keys", n-1, n)
			}
		}
	}
	if _, err := AggregateSignatures(); err == nil {
		t.Error("empty signature aggregate")
	}
	if _, err := AggregatePublicKeys(); err == nil {
		t.Error("empty key aggregate")
	}
	var junk BLSSignature
	junk[0] = 1
	if _, err := AggregateSignatures(junk); !errors.Is(err, ErrBLSEncoding) {
		t.Errorf("junk signature aggregated: %v", err)
	}
}

func TestBLSEncodeDecodeRoundTrip(t *testing.T) {
	_, _, g1, g2 := bls12381.Generators()
	g1s := []bls12381.G1Affine{g1, {}, randG1(t), randG1(t)}
	for _, p := range g1s {
		enc := EncodeG1(&p)
		q, err := DecodeG1(enc[:])
		if err != nil || !q.Equal(&p) {
			t.Fatalf("G1 round trip of %s: %v", p.String(), err)
		}
	}
	g2s := []bls12381.G2Affine{g2, {}, randG2(t), randG2(t)}
	for _, p := range g2s {
		enc := EncodeG2(&p)
		q, err := DecodeG2(enc[:])
		if err != nil || !q.Equal(&p) {
			t.Fatalf("G2 round trip of %s: %v", p.String(), err)
		}
	}
}

// offSubgroupG1 is a point on the G1 curve outside the prime-order subgroup.
func offSubgroupG1(t testing.TB) bls12381.G1Affine {
	var four fp.Element
	four.SetUint64(4)
	for x := uint64(1); ; x++ {
		var p bls12381.G1Affine
		p.X.SetUint64(x)
		var rhs fp.Element
		rhs.Square(&p.X).Mul(&rhs, &p.X).Add(&rhs, &four)
		if p.Y.Sqrt(&rhs) != nil && !p.IsInSubGroup() {
			return p
		}
	}
}

// offSubgroupG2 is a point on the G2 (twist) curve outside the prime-order subgroup.
func offSubgroupG2(t testing.TB) bls12381.G2Affine {
	var b bls12381.E2
	b.A0.SetUint64(4)
	b.A1.SetUint64(4)
	for x := uint64(1); ; x++ {
		var p bls12381.G2Affine
		p.X.A0.SetUint64(x)
		var rhs bls12381.E2
		rhs.Square(&p.X).Mul(&rhs, &p.X).Add(&rhs, &b)
		if rhs.Legendre() == 1 {
			p.Y.Sqrt(&rhs)
			if !p.IsOnCurve() {
				t.Fatal("constructed G2 point is off the curve")
			}
			if !p.IsInSubGroup() {
				return p
			}
		}
	}
}

// nonCanonical re-encodes the 48-byte element at enc[off+16:off+64] as itself + p.
func nonCanonical(enc []byte, off int) []byte {
	out := bytes.Clone(enc)
	v := new(big.Int).SetBytes(out[off+16 : off+64])
	v.Add(v, fp.Modulus())
	v.FillBytes(out[off+16 : off+64])
	return out
}

func TestBLSDecodeRejects(t *testing.T) {
	p1 := randG1(t)
	e1 := EncodeG1(&p1)
	off1 := offSubgroupG1(t)
	eOff1 := EncodeG1(&off1)
	notOn1 := bytes.Clone(e1[:])
	notOn1[127] ^= 1
	pad1 := bytes.Clone(e1[:])
	pad1[64] = 1
	for name, b := range map[string][]byte{
		"empty": nil, "short": e1[:127], "long": append(bytes.Clone(e1[:]), 0),
		"padding": pad1, "x+p": nonCanonical(e1[:], 0), "y+p": nonCanonical(e1[:], 64),
		"off curve": notOn1, "off subgroup": eOff1[:],
	} {
		if _, err := DecodeG1(b); !errors.Is(err, ErrBLSEncoding) {
			t.Errorf("DecodeG1(%s): %v, want ErrBLSEncoding", name, err)
		}
	}
	p2 := randG2(t)
	e2 := EncodeG2(&p2)
	off2 := offSubgroupG2(t)
	eOff2 := EncodeG2(&off2)
	notOn2 := bytes.Clone(e2[:])
	notOn2[255] ^= 1
	cases := map[string][]byte{
		"empty": nil, "short": e2[:255], "long": append(bytes.Clone(e2[:]), 0),
		"off curve": notOn2, "off subgroup": eOff2[:],
	}
	for i := range 4 {
		pad := bytes.Clone(e2[:])
		pad[i*64+15] = 1
		cases["padding "+string(rune('0'+i))] = pad
		cases["+p "+string(rune('0'+i))] = nonCanonical(e2[:], i*64)
	}
	for name, b := range cases {
		if _, err := DecodeG2(b); !errors.Is(err, ErrBLSEncoding) {
			t.Errorf("DecodeG2(%s): %v, want ErrBLSEncoding", name, err)
		}
	}
}

func FuzzBLSDecode(f *testing.F) {
	_, _, g1, g2 := bls12381.Generators()
	e1, e2 := EncodeG1(&g1), EncodeG2(&g2)
	f.Add(e1[:])
	f.Add(e2[:])
	f.Add(make([]byte, BLSG1Size))
	f.Add(make([]byte, BLSG2Size))
	f.Add(bytes.Repeat([]byte{0xff}, BLSG2Size))
	f.Add(nonCanonical(e1[:], 0))
	f.Fuzz(func(t *testing.T, b []byte) {
		if p, err := DecodeG1(b); err == nil {
			if enc := EncodeG1(&p); !bytes.Equal(enc[:], b) {
				t.Fatalf("G1 %x re-encodes as %x", b, enc)
			}
		}
		if p, err := DecodeG2(b); err == nil {
			if enc := EncodeG2(&p); !bytes.Equal(enc[:], b) {
				t.Fatalf("G2 %x re-encodes as %x", b, enc)
			}
		}
		_, _ = DecodeBLSPublicKey(b)
		_, _ = DecodeBLSSignature(b)
	})
}

// blsChain is a simulated chain with the test-only BLSCheck contract deployed.
type blsChain struct {
	t    *testing.T
	ctx  context.Context
	cl   simulated.Client
	from common.Address
	addr common.Address
	abi  abi.ABI
}

func newBLSChain(t *testing.T) *blsChain {
	t.Helper()
	dir := filepath.Join("testdata", "blscheck")
	abiJSON, err := os.ReadFile(filepath.Join(dir, "BLSCheck.abi"))
	if err != nil {
		t.Fatal(err)
	}
	bin, err := os.ReadFile(filepath.Join(dir, "BLSCheck.bin"))
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := abi.JSON(bytes.NewReader(abiJSON))
	if err != nil {
		t.Fatal(err)
	}
	sim, err := NewSimulated(SimulatedOptions{Accounts: 1, NoHTTP: true, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	c := &blsChain{t: t, ctx: context.Background(), cl: sim.backend.Client(), from: sim.Accounts()[0], abi: parsed}
	opts := bind.NewKeyedTransactor(sim.Keys()[0], big.NewInt(SimulatedChainID))
	addr, tx, err := bind.DeployContract(opts, common.FromHex(strings.TrimSpace(string(bin))), c.cl, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := sim.waitMined(c.ctx, tx.Hash())
	if err != nil || r.Status != 1 {
		t.Fatalf("deploy BLSCheck: %v (receipt %+v)", err, r)
	}
	c.addr = addr
	return c
}

func (c *blsChain) msg(method string, args ...any) ethereum.CallMsg {
	c.t.Helper()
	data, err := c.abi.Pack(method, args...)
	if err != nil {
		c.t.Fatalf("pack %s: %v", method, err)
	}
	return ethereum.CallMsg{From: c.from, To: &c.addr, Data: data}
}

// call is an eth_call of method; a revert comes back as *RevertError.
func (c *blsChain) call(method string, args ...any) ([]any, error) {
	c.t.Helper()
	out, err := c.cl.CallContract(c.ctx, c.msg(method, args...), nil)
	if err != nil {
		return nil, asRevert(err)
	}
	return c.abi.Unpack(method, out)
}

// one is the single result of a call that must not fail.
func one[T any](c *blsChain, method string, args ...any) T {
	c.t.Helper()
	res, err := c.call(method, args...)
	if err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
	return res[0].(T)
}

func (c *blsChain) bytes(method string, args ...any) []byte { return one[[]byte](c, method, args...) }
func (c *blsChain) bool(method string, args ...any) bool    { return one[bool](c, method, args...) }

func (c *blsChain) wantRevert(want, method string, args ...any) {
	c.t.Helper()
	_, err := c.call(method, args...)
	if reason, ok := RevertReason(err); !ok || !strings.Contains(reason, want) {
		c.t.Fatalf("%s: error %v, want revert %q", method, err, want)
	}
}

func (c *blsChain) estimate(method string, args ...any) uint64 {
	c.t.Helper()
	g, err := c.cl.EstimateGas(c.ctx, c.msg(method, args...))
	if err != nil {
		c.t.Fatalf("estimate %s: %v", method, err)
	}
	return g
}

func pkBytes(pks []BLSPublicKey) [][]byte {
	out := make([][]byte, len(pks))
	for i := range pks {
		out[i] = pks[i][:]
	}
	return out
}

func TestBLSOnChain(t *testing.T) {
	c := newBLSChain(t)
	sks, pks := blsKeys(t, 16)
	sigDST, popDST := []byte(BLSSigDST), []byte(BLSPoPDST)

	t.Run("constants", func(t *testing.T) {
		if got := string(c.bytes("sigDST")); got != BLSSigDST {
			t.Errorf("SIG_DST %q", got)
		}
		if got := string(c.bytes("popDST")); got != BLSPoPDST {
			t.Errorf("POP_DST %q", got)
		}
		if got, want := c.bytes("negG2Generator"), EncodeG2(&negG2Gen); !bytes.Equal(got, want[:]) {
			t.Errorf("NEG_G2_GEN %x, want %x", got, want)
		}
	})

	t.Run("hashToG1", func(t *testing.T) {
		digests := [][32]byte{{}, digestOf("a"), digestOf("b"), digestOf("keeper")}
		for i := range digests[0] {
			digests[0][i] = 0xff
		}
		dsts := []string{BLSSigDST, BLSPoPDST, "x", strings.Repeat("D", 255)}
		for _, d := range digests {
			for _, dst := range dsts {
				want, err := BLSHashToG1(d, dst)
				if err != nil {
					t.Fatal(err)
				}
				enc := EncodeG1(&want)
				if got := c.bytes("hashToG1", d, []byte(dst)); !bytes.Equal(got, enc[:]) {
					t.Fatalf("hashToG1(%x, %q) = %x, want %x", d, dst, got, enc)
				}
			}
		}
		c.wantRevert("BLS: DST must be 1..255 bytes", "hashToG1", digestOf("a"), []byte{})
		c.wantRevert("BLS: DST must be 1..255 bytes", "hashToG1", digestOf("a"), bytes.Repeat([]byte{1}, 256))
	})

	t.Run("verify", func(t *testing.T) {
		d := digestOf("certificate")
		sig := blsSign(t, sks[0], d, BLSSigDST)
		if !c.bool("verify", pks[0][:], d, sig[:], sigDST) {
			t.Fatal("contract rejected a Go signature")
		}
		pop := blsSign(t, sks[0], d, BLSPoPDST)
		if !c.bool("verify", pks[0][:], d, pop[:], popDST) {
			t.Fatal("contract rejected a Go proof of possession")
		}
		badSig := sig
		badSig[100] ^= 1
		inf := make([]byte, BLSG2Size)
		off := offSubgroupG1(t)
		offSig := EncodeG1(&off)
		otherSig := blsSign(t, sks[1], d, BLSSigDST)
		for name, args := range map[string][]any{
			"message":        {pks[0][:], digestOf("other"), sig[:], sigDST},
			"dst":            {pks[0][:], d, sig[:], popDST},
			"pk":             {pks[1][:], d, sig[:], sigDST},
			"other signer":   {pks[0][:], d, otherSig[:], sigDST},
			"sig off curve":  {pks[0][:], d, badSig[:], sigDST},
			"sig off group":  {pks[0][:], d, offSig[:], sigDST},
			"pk at infinity": {inf, d, make([]byte, BLSG1Size), sigDST},
			"short pk":       {pks[0][:255], d, sig[:], sigDST},
			"short sig":      {pks[0][:], d, sig[:127], sigDST},
		} {
			if c.bool("verify", args...) {
				t.Errorf("verify accepted a tampered %s", name)
			}
		}
	})

	t.Run("aggregate", func(t *testing.T) {
		d := digestOf("epoch 42")
		for _, n := range []int{4, 16} {
			agg := blsQuorum(t, sks[:n], d)
			apk, err := AggregatePublicKeys(pks[:n]...)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.bytes("aggregateG2", pkBytes(pks[:n])); !bytes.Equal(got, apk[:]) {
				t.Fatalf("aggregateG2 of %d differs from Go", n)
			}
			if !c.bool("verifyAggregate", pkBytes(pks[:n]), d, agg[:], sigDST) {
				t.Fatalf("aggregate of %d rejected", n)
			}
			if c.bool("verifyAggregate", pkBytes(pks[:n-1]), d, agg[:], sigDST) {
				t.Fatalf("aggregate of %d accepted for %d keys", n, n-1)
			}
			short := blsQuorum(t, sks[:n-1], d)
			if c.bool("verifyAggregate", pkBytes(pks[:n]), d, short[:], sigDST) {
				t.Fatalf("%d signatures accepted for %d keys", n-1, n)
			}
		}
		c.wantRevert("BLS: no keys to aggregate", "aggregateG2", [][]byte{})
		c.wantRevert("BLS: G2 point must be 256 bytes", "aggregateG2", [][]byte{pks[0][:], pks[1][:255]})
	})

	t.Run("G2 arithmetic", func(t *testing.T) { testBLSChainG2(t, c) })

	t.Run("gas", func(t *testing.T) {
		d := digestOf("gas")
		sig := blsSign(t, sks[0], d, BLSSigDST)
		t.Logf("verify (1 key): estimateGas %d", c.estimate("verify", pks[0][:], d, sig[:], sigDST))
		for _, n := range []int{1, 4, 16} {
			agg := blsQuorum(t, sks[:n], d)
			est := c.estimate("verifyAggregate", pkBytes(pks[:n]), d, agg[:], sigDST)
			res, err := c.call("measureVerifyAggregate", pkBytes(pks[:n]), d, agg[:], sigDST)
			if err != nil || !res[0].(bool) {
				t.Fatalf("measureVerifyAggregate(%d): %v %v", n, res, err)
			}
			t.Logf("verifyAggregate (%2d keys): estimateGas %d, inside the contract %d", n, est, res[1].(*big.Int))
		}
	})
}

// testBLSChainG2 checks the contract's G2 add / negate / subtract against gnark.
func testBLSChainG2(t *testing.T, c *blsChain) {
	for range 4 {
		a, b := randG2(t), randG2(t)
		ea, eb := EncodeG2(&a), EncodeG2(&b)
		var sum, neg, diff bls12381.G2Affine
		sum.Add(&a, &b)
		neg.Neg(&a)
		diff.Sub(&a, &b)
		for name, want := range map[string]struct {
			got  []byte
			want [BLSG2Size]byte
		}{
			"add": {c.bytes("addG2", ea[:], eb[:]), EncodeG2(&sum)},
			"neg": {c.bytes("negG2", ea[:]), EncodeG2(&neg)},
			"sub": {c.bytes("subG2", ea[:], eb[:]), EncodeG2(&diff)},
			"a-a": {c.bytes("subG2", ea[:], ea[:]), [BLSG2Size]byte{}},
		} {
			if !bytes.Equal(want.got, want.want[:]) {
				t.Fatalf("%s: contract %x, gnark %x", name, want.got, want.want)
			}
		}
	}
	inf := make([]byte, BLSG2Size)
	if got := c.bytes("negG2", inf); !bytes.Equal(got, inf) {
		t.Fatalf("negG2(infinity) = %x", got)
	}
	// negG2 is plain field negation of y: check it on raw coordinates, zeros included.
	for _, ys := range [][2]uint64{{0, 5}, {5, 0}, {1, 1}} {
		var y0, y1 fp.Element
		y0.SetUint64(ys[0])
		y1.SetUint64(ys[1])
		raw := EncodeG2(&bls12381.G2Affine{X: randG2(t).X, Y: bls12381.E2{A0: y0, A1: y1}})
		want := raw
		y0.Neg(&y0)
		y1.Neg(&y1)
		putFp(want[128:], &y0)
		putFp(want[192:], &y1)
		if got := c.bytes("negG2", raw[:]); !bytes.Equal(got, want[:]) {
			t.Fatalf("negG2 of y=%v: %x, want %x", ys, got, want)
		}
	}
	g2 := randG2(t)
	e := EncodeG2(&g2)
	c.wantRevert("BLS: non-canonical field element", "negG2", nonCanonical(e[:], 128))
	c.wantRevert("BLS: G2 point must be 256 bytes", "negG2", e[:200])
	offCurve := e
	offCurve[255] ^= 1
	c.wantRevert("BLS: G2ADD failed", "addG2", e[:], offCurve[:])
}
