package chain

// BLS12-381 signatures for aggregated Keeper certificates, verified on chain by
// chain/contracts/BLS.sol with the EIP-2537 precompiles.
//
// Invariants:
//   - Public keys are G2 points, signatures G1 points, both in the EIP-2537 encoding
//     (Fp = 64 bytes big-endian with 16 leading zero bytes; G2 coordinates c0 || c1;
//     infinity = all zeros), byte for byte what BLS.sol takes.
//   - Messages are 32-byte digests hashed to G1 per RFC 9380 (suite
//     BLS12381G1_XMD:SHA-256_SSWU_RO_) under a DST of 1..255 bytes; BLS.sol's hashToG1
//     yields the same point.
//   - Decode* accept only canonical field elements (< p, zero padding) and points on the
//     curve and in the prime-order subgroup; VerifyBLS and DecodeBLSPublicKey also
//     reject the public key at infinity (it would verify the signature at infinity for
//     every message).
//   - Aggregation is only safe over keys admitted with a proof of possession (a
//     signature under BLSPoPDST, never BLSSigDST) and counted once each.
//   - Secret keys are never zero.

import (
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"

	bls12381 "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/consensys/gnark-crypto/ecc/bls12-381/fp"
	"github.com/consensys/gnark-crypto/ecc/bls12-381/fr"
)

const (
	// BLSSigDST is the RFC 9380 domain separation tag of certificate signatures.
	BLSSigDST = "MEFS-BLS-SIG-V1_BLS12381G1_XMD:SHA-256_SSWU_RO_"
	// BLSPoPDST is the domain separation tag of proofs of possession.
	BLSPoPDST = "MEFS-BLS-POP-V1_BLS12381G1_XMD:SHA-256_SSWU_RO_"

	// BLSG1Size is the EIP-2537 size of a G1 point (a signature).
	BLSG1Size = 128
	// BLSG2Size is the EIP-2537 size of a G2 point (a public key).
	BLSG2Size = 256

	fpEncSize = 64 // EIP-2537 Fp element: 16 zero bytes || 48-byte big-endian value
	fpPad     = fpEncSize - fp.Bytes
	blsMinIKM = 32 // KeyGen's minimum seed length
)

// ErrBLSEncoding is wrapped by every decoding failure (length, non-canonical field
// element, point off the curve or outside the subgroup, key at infinity).
var ErrBLSEncoding = errors.New("invalid BLS12-381 encoding")

// BLSSecretKey is a BLS secret key: a non-zero scalar mod r.
type BLSSecretKey struct{ s fr.Element }

// BLSPublicKey is an EIP-2537 encoded G2 point.
type BLSPublicKey [BLSG2Size]byte

// BLSSignature is an EIP-2537 encoded G1 point.
type BLSSignature [BLSG1Size]byte

// negG2Gen is -g2, the fixed second point of the verification pairing.
var negG2Gen = func() bls12381.G2Affine {
	_, _, _, g2 := bls12381.Generators()
	var n bls12381.G2Affine
	n.Neg(&g2)
	return n
}()

// BLSKeyFromSeed derives a secret key from a seed of at least 32 bytes with the KeyGen
// of draft-irtf-cfrg-bls-signature (HKDF-SHA256, 48 bytes reduced mod r, retried with
// a re-hashed salt while zero; key_info empty). The same seed gives the same key.
func BLSKeyFromSeed(seed []byte) (BLSSecretKey, error) {
	if len(seed) < blsMinIKM {
		return BLSSecretKey{}, fmt.Errorf("chain: bls key from seed: seed is %d bytes, want at least %d", len(seed), blsMinIKM)
	}
	ikm := append(append([]byte(nil), seed...), 0) // IKM || I2OSP(0, 1)
	salt := []byte("BLS-SIG-KEYGEN-SALT-")
	for {
		h := sha256.Sum256(salt)
		salt = h[:]
		prk, err := hkdf.Extract(sha256.New, ikm, salt)
		if err != nil {
			return BLSSecretKey{}, fmt.Errorf("chain: bls key from seed: hkdf extract: %w", err)
		}
		const l = 48 // ceil(3 * ceil(log2(r)) / 16)
		okm, err := hkdf.Expand(sha256.New, prk, string([]byte{0, l}), l)
		if err != nil {
			return BLSSecretKey{}, fmt.Errorf("chain: bls key from seed: hkdf expand: %w", err)
		}
		var sk BLSSecretKey
		sk.s.SetBigInt(new(big.Int).SetBytes(okm)) // reduces mod r
		if !sk.s.IsZero() {
			return sk, nil
		}
	}
}

// BLSSecretKeyFromBytes parses a 32-byte big-endian scalar (as Bytes returns); it must
// be non-zero and below r.
func BLSSecretKeyFromBytes(b []byte) (BLSSecretKey, error) {
	var sk BLSSecretKey
	if err := sk.s.SetBytesCanonical(b); err != nil {
		return BLSSecretKey{}, fmt.Errorf("chain: bls secret key: %w", err)
	}
	if sk.s.IsZero() {
		return BLSSecretKey{}, errors.New("chain: bls secret key: zero")
	}
	return sk, nil
}

// Bytes is the key as a 32-byte big-endian scalar.
func (sk BLSSecretKey) Bytes() [32]byte { return sk.s.Bytes() }

// PublicKey is sk·g2.
func (sk BLSSecretKey) PublicKey() BLSPublicKey {
	var pk bls12381.G2Affine
	pk.ScalarMultiplicationBase(sk.s.BigInt(new(big.Int)))
	return EncodeG2(&pk)
}

// Sign returns sk·H(digest) with H the RFC 9380 hash to G1 under dst.
func (sk BLSSecretKey) Sign(digest [32]byte, dst string) (BLSSignature, error) {
	if sk.s.IsZero() {
		return BLSSignature{}, errors.New("chain: bls sign: zero secret key")
	}
	h, err := BLSHashToG1(digest, dst)
	if err != nil {
		return BLSSignature{}, fmt.Errorf("chain: bls sign: %w", err)
	}
	h.ScalarMultiplication(&h, sk.s.BigInt(new(big.Int)))
	return EncodeG1(&h), nil
}

// BLSHashToG1 is the RFC 9380 hash_to_curve (BLS12381G1_XMD:SHA-256_SSWU_RO_) of digest
// under dst, which must be 1..255 bytes.
func BLSHashToG1(digest [32]byte, dst string) (bls12381.G1Affine, error) {
	if len(dst) == 0 || len(dst) > 255 {
		return bls12381.G1Affine{}, fmt.Errorf("chain: bls hash to G1: DST is %d bytes, want 1..255", len(dst))
	}
	h, err := bls12381.HashToG1(digest[:], []byte(dst))
	if err != nil {
		return bls12381.G1Affine{}, fmt.Errorf("chain: bls hash to G1: %w", err)
	}
	return h, nil
}

// VerifyBLS reports whether sig is pk's signature of digest under dst, i.e.
// e(sig, -g2) · e(H(digest), pk) == 1; malformed input gives false.
func VerifyBLS(pk BLSPublicKey, digest [32]byte, sig BLSSignature, dst string) bool {
	p, err := pk.Point()
	if err != nil || p.IsInfinity() {
		return false
	}
	q, err := sig.Point()
	if err != nil {
		return false
	}
	h, err := BLSHashToG1(digest, dst)
	if err != nil {
		return false
	}
	ok, err := bls12381.PairingCheck([]bls12381.G1Affine{q, h}, []bls12381.G2Affine{negG2Gen, p})
	return err == nil && ok
}

// AggregateSignatures is the sum of sigs (at least one, each a valid encoding).
func AggregateSignatures(sigs ...BLSSignature) (BLSSignature, error) {
	if len(sigs) == 0 {
		return BLSSignature{}, errors.New("chain: bls aggregate signatures: none given")
	}
	var acc bls12381.G1Jac
	for i := range sigs {
		p, err := sigs[i].Point()
		if err != nil {
			return BLSSignature{}, fmt.Errorf("chain: bls aggregate signatures: signature %d: %w", i, err)
		}
		acc.AddMixed(&p)
	}
	var sum bls12381.G1Affine
	sum.FromJacobian(&acc)
	return EncodeG1(&sum), nil
}

// AggregatePublicKeys is the sum of pks (at least one, each a valid encoding); see the
// invariants on proofs of possession.
func AggregatePublicKeys(pks ...BLSPublicKey) (BLSPublicKey, error) {
	if len(pks) == 0 {
		return BLSPublicKey{}, errors.New("chain: bls aggregate public keys: none given")
	}
	var acc bls12381.G2Jac
	for i := range pks {
		p, err := pks[i].Point()
		if err != nil {
			return BLSPublicKey{}, fmt.Errorf("chain: bls aggregate public keys: key %d: %w", i, err)
		}
		acc.AddMixed(&p)
	}
	var sum bls12381.G2Affine
	sum.FromJacobian(&acc)
	return EncodeG2(&sum), nil
}

// DecodeBLSPublicKey checks b is a valid public key: 256 bytes, a G2 subgroup point
// other than infinity.
func DecodeBLSPublicKey(b []byte) (BLSPublicKey, error) {
	p, err := DecodeG2(b)
	if err != nil {
		return BLSPublicKey{}, fmt.Errorf("chain: bls public key: %w", err)
	}
	if p.IsInfinity() {
		return BLSPublicKey{}, fmt.Errorf("chain: bls public key: %w: point at infinity", ErrBLSEncoding)
	}
	return BLSPublicKey(b), nil
}

// DecodeBLSSignature checks b is a valid signature encoding: 128 bytes, a G1 subgroup
// point.
func DecodeBLSSignature(b []byte) (BLSSignature, error) {
	if _, err := DecodeG1(b); err != nil {
		return BLSSignature{}, fmt.Errorf("chain: bls signature: %w", err)
	}
	return BLSSignature(b), nil
}

// Point decodes pk (see DecodeG2).
func (pk BLSPublicKey) Point() (bls12381.G2Affine, error) { return DecodeG2(pk[:]) }

// Point decodes sig (see DecodeG1).
func (sig BLSSignature) Point() (bls12381.G1Affine, error) { return DecodeG1(sig[:]) }

// EncodeG1 is p's EIP-2537 encoding, x || y (infinity: all zeros).
func EncodeG1(p *bls12381.G1Affine) (out [BLSG1Size]byte) {
	putFp(out[0:], &p.X)
	putFp(out[fpEncSize:], &p.Y)
	return out
}

// EncodeG2 is p's EIP-2537 encoding, x.c0 || x.c1 || y.c0 || y.c1 (infinity: all zeros).
func EncodeG2(p *bls12381.G2Affine) (out [BLSG2Size]byte) {
	for i, e := range []*fp.Element{&p.X.A0, &p.X.A1, &p.Y.A0, &p.Y.A1} {
		putFp(out[i*fpEncSize:], e)
	}
	return out
}

// DecodeG1 parses an EIP-2537 G1 point; it must be on the curve and in the subgroup.
func DecodeG1(b []byte) (bls12381.G1Affine, error) {
	var p bls12381.G1Affine
	if len(b) != BLSG1Size {
		return p, fmt.Errorf("%w: G1 point is %d bytes, want %d", ErrBLSEncoding, len(b), BLSG1Size)
	}
	if err := getFps(b, &p.X, &p.Y); err != nil {
		return bls12381.G1Affine{}, fmt.Errorf("G1 point: %w", err)
	}
	if !p.IsOnCurve() {
		return bls12381.G1Affine{}, fmt.Errorf("%w: G1 point not on the curve", ErrBLSEncoding)
	}
	if !p.IsInfinity() && !p.IsInSubGroup() {
		return bls12381.G1Affine{}, fmt.Errorf("%w: G1 point not in the subgroup", ErrBLSEncoding)
	}
	return p, nil
}

// DecodeG2 parses an EIP-2537 G2 point; it must be on the curve and in the subgroup.
func DecodeG2(b []byte) (bls12381.G2Affine, error) {
	var p bls12381.G2Affine
	if len(b) != BLSG2Size {
		return p, fmt.Errorf("%w: G2 point is %d bytes, want %d", ErrBLSEncoding, len(b), BLSG2Size)
	}
	if err := getFps(b, &p.X.A0, &p.X.A1, &p.Y.A0, &p.Y.A1); err != nil {
		return bls12381.G2Affine{}, fmt.Errorf("G2 point: %w", err)
	}
	if !p.IsOnCurve() {
		return bls12381.G2Affine{}, fmt.Errorf("%w: G2 point not on the curve", ErrBLSEncoding)
	}
	if !p.IsInfinity() && !p.IsInSubGroup() {
		return bls12381.G2Affine{}, fmt.Errorf("%w: G2 point not in the subgroup", ErrBLSEncoding)
	}
	return p, nil
}

// putFp writes e's 64-byte EIP-2537 encoding at the start of dst.
func putFp(dst []byte, e *fp.Element) {
	v := e.Bytes()
	clear(dst[:fpPad])
	copy(dst[fpPad:fpEncSize], v[:])
}

// getFps parses consecutive 64-byte field elements of b into es.
func getFps(b []byte, es ...*fp.Element) error {
	for i, e := range es {
		enc := b[i*fpEncSize : (i+1)*fpEncSize]
		for _, c := range enc[:fpPad] {
			if c != 0 {
				return fmt.Errorf("%w: field element %d: non-zero padding", ErrBLSEncoding, i)
			}
		}
		if err := e.SetBytesCanonical(enc[fpPad:]); err != nil {
			return fmt.Errorf("%w: field element %d: not below p: %v", ErrBLSEncoding, i, err)
		}
	}
	return nil
}
