package chain

// Invariants:
//   - AttestationHash(chainID, settlement, a) equals Settlement.hashAttestation(a...) of
//     the contract at settlement on chain chainID (checked by tests against the contract):
//     every attestation names chain id and contract through the EIP-712 domain.
//   - Signatures are 65 bytes r || s || v (v ∈ {27, 28}, low s), as for orders.
//   - Quorum(n) = ceil(2n/3), the contract's rule (sigs*3 >= 2n).

import (
	"bytes"
	"crypto/ecdsa"
	"math/big"
	"sort"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

var attestationTypeHash = crypto.Keccak256Hash([]byte(
	"Attestation(address provider,uint64 epoch,bool pass,bytes32 proofDigest)"))

// Attestation is one Keeper's verdict on a Provider's proof for an epoch.
// ProofDigest is keccak256 of the proof bytes when Pass, zero when not.
type Attestation struct {
	Provider    common.Address
	Epoch       uint64
	Pass        bool
	ProofDigest common.Hash
}

// Certificate is an attestation with the signatures of a quorum of the epoch's Keepers.
type Certificate struct {
	Provider    common.Address
	Epoch       uint64
	Pass        bool
	ProofDigest common.Hash
	Signatures  [][]byte
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

// SignAttestation signs a with key for the Settlement contract at settlement on chain
// chainID.
func SignAttestation(key *ecdsa.PrivateKey, chainID *big.Int, settlement common.Address, a Attestation) ([]byte, error) {
	return signDigest(key, AttestationHash(chainID, settlement, a), "attestation")
}

// RecoverAttestationSigner returns the account that produced sig over a.
func RecoverAttestationSigner(chainID *big.Int, settlement common.Address, a Attestation, sig []byte) (common.Address, error) {
	return recoverDigest(AttestationHash(chainID, settlement, a), sig)
}

// SortSignatures orders sigs by their signer's address, ascending, as certify requires.
// Signatures that do not recover go first (the contract refuses them).
func SortSignatures(chainID *big.Int, settlement common.Address, a Attestation, sigs [][]byte) [][]byte {
	type signed struct {
		who common.Address
		sig []byte
	}
	all := make([]signed, len(sigs))
	for i, s := range sigs {
		who, _ := RecoverAttestationSigner(chainID, settlement, a, s)
		all[i] = signed{who, s}
	}
	sort.SliceStable(all, func(i, j int) bool { return bytes.Compare(all[i].who[:], all[j].who[:]) < 0 })
	out := make([][]byte, len(all))
	for i := range all {
		out[i] = all[i].sig
	}
	return out
}
