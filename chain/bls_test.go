package chain

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math/big"
	"strings"
	"testing"

	bls12381 "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/consensys/gnark-crypto/ecc/bls12-381/fp"
	"github.com/consensys/gnark-crypto/ecc/bls12-381/fr"
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
