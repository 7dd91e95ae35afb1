package chain

// Invariants:
//   - AttestationHash(chainID, settlement, a) equals Settlement.hashAttestation(a...) of
//     the contract at settlement on chain chainID (checked by tests against the contract):
//     every attestation names chain id and contract through the EIP-712 domain.
//   - Attestation signatures are BLS (chain/bls.go) under BLSSigDST: 128-byte G1 points;
//     a certificate's signature is their sum over the set minus its absentees.
//   - Quorum(n) = ceil(2n/3), the contract's rule (signers*3 >= 2n).
//   - BLSPossessionHash equals Registry.hashBLSPossession (tests check it against the
//     contract); proofs of possession are signed under BLSPoPDST, never BLSSigDST.

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
	"math/big"
	"slices"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

var (
	attestationTypeHash = crypto.Keccak256Hash([]byte(
		"Attestation(address provider,uint64 epoch,bool pass,bytes32 proofDigest)"))
	blsPossessionTypeHash = crypto.Keccak256Hash([]byte("BLSPossession(address account,bytes key)"))
)

// Attestation is one Keeper's verdict on a Provider's proof for an epoch.
// ProofDigest is keccak256 of the proof bytes when Pass, zero when not.
type Attestation struct {
	Provider    common.Address
	Epoch       uint64
	Pass        bool
	ProofDigest common.Hash
}

// Certificate is an attestation with one aggregated BLS signature of a quorum of the
// epoch's Keepers: every member of the epoch's set (Client.KeeperSetAt) but Absentees.
type Certificate struct {
	Provider    common.Address
	Epoch       uint64
	Pass        bool
	ProofDigest common.Hash
	Absentees   []common.Address
	Signature   []byte // 128-byte G1 point: the sum of the signers' BLS signatures
}

// Attestation is the statement c's signatures sign.
func (c Certificate) Attestation() Attestation {
	return Attestation{Provider: c.Provider, Epoch: c.Epoch, Pass: c.Pass, ProofDigest: c.ProofDigest}
}

// Quorum is how many of n Keepers must sign a certificate: ceil(2n/3).
func Quorum(n uint64) uint64 { return (2*n + 2) / 3 }

// AttestationHash is the EIP-712 digest a Keeper signs for a.
func AttestationHash(chainID *big.Int, settlement common.Address, a Attestation) common.Hash {
	pass := new(big.Int)
	if a.Pass {
		pass.SetInt64(1)
	}
	structHash := crypto.Keccak256Hash(
		attestationTypeHash[:],
		common.LeftPadBytes(a.Provider[:], 32),
		word(new(big.Int).SetUint64(a.Epoch)),
		word(pass),
		a.ProofDigest[:],
	)
	return typedDataHash(chainID, settlement, structHash)
}

// SignAttestation signs a with the Keeper's BLS key sk for the Settlement contract at
// settlement on chain chainID (128 bytes).
func SignAttestation(sk BLSSecretKey, chainID *big.Int, settlement common.Address, a Attestation) ([]byte, error) {
	sig, err := sk.Sign(AttestationHash(chainID, settlement, a), BLSSigDST)
	if err != nil {
		return nil, fmt.Errorf("chain: sign attestation: %w", err)
	}
	return sig[:], nil
}

// VerifyAttestation reports whether sig is pk's signature over a.
func VerifyAttestation(pk BLSPublicKey, chainID *big.Int, settlement common.Address, a Attestation, sig []byte) bool {
	s, err := DecodeBLSSignature(sig)
	return err == nil && VerifyBLS(pk, AttestationHash(chainID, settlement, a), s, BLSSigDST)
}

// KeeperBLSKey is the BLS key of a Keeper, derived from its wallet key (HKDF-SHA256, info
// "mefs/keeper/bls/v1", then BLS KeyGen): nothing more to keep secret than the wallet.
func KeeperBLSKey(wallet *ecdsa.PrivateKey) (BLSSecretKey, error) {
	seed, err := hkdf.Key(sha256.New, crypto.FromECDSA(wallet), nil, "mefs/keeper/bls/v1", 32)
	if err != nil {
		return BLSSecretKey{}, fmt.Errorf("chain: derive keeper BLS key: %w", err)
	}
	return BLSKeyFromSeed(seed)
}

// BLSPossessionHash is the EIP-712 digest a Keeper's BLS key signs (under BLSPoPDST) to
// prove possession of key for account, as Registry.hashBLSPossession.
func BLSPossessionHash(chainID *big.Int, registry, account common.Address, key BLSPublicKey) common.Hash {
	structHash := crypto.Keccak256Hash(blsPossessionTypeHash[:], common.LeftPadBytes(account[:], 32), crypto.Keccak256(key[:]))
	return eip712Digest(RegistryDomainSeparator(chainID, registry), structHash)
}

// ProveBLSKey is what registerKeeper takes: sk's public key || its proof of possession
// for account at the Registry registry on chain chainID (384 bytes).
func ProveBLSKey(sk BLSSecretKey, chainID *big.Int, registry, account common.Address) ([]byte, error) {
	pk := sk.PublicKey()
	pop, err := sk.Sign(BLSPossessionHash(chainID, registry, account, pk), BLSPoPDST)
	if err != nil {
		return nil, fmt.Errorf("chain: prove BLS key: %w", err)
	}
	return append(pk[:], pop[:]...), nil
}

// SortAddresses orders list ascending, as certify wants its absentees.
func SortAddresses(list []common.Address) []common.Address {
	out := slices.Clone(list)
	slices.SortFunc(out, func(a, b common.Address) int { return bytes.Compare(a[:], b[:]) })
	return out
}
