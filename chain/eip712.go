package chain

// Invariants:
//   - OrderUpdateHash(chainID, settlement, u) equals Settlement.hashOrderUpdate(u) on the
//     contract deployed at settlement on chain chainID (checked by tests against the
//     contract and against go-ethereum's generic EIP-712 encoder).
//   - Signatures are 65 bytes r || s || v with v ∈ {27, 28} and low s, the form the
//     contract's ECDSA.recover accepts.

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/crypto"
)

// EIP-712 domain of the Settlement contract.
const (
	DomainName    = "MEFS Settlement"
	DomainVersion = "1"
)

var (
	domainTypeHash = crypto.Keccak256Hash([]byte(
		"EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"))
	orderUpdateTypeHash = crypto.Keccak256Hash([]byte(
		"OrderUpdate(address user,address provider,uint64 size,uint256 price,uint64 end,bytes32 root,uint64 nonce)"))
	domainNameHash    = crypto.Keccak256Hash([]byte(DomainName))
	domainVersionHash = crypto.Keccak256Hash([]byte(DomainVersion))
)

// ErrBadSignature is returned for a malformed signature or one by the wrong account.
var ErrBadSignature = errors.New("chain: bad signature")

// DomainSeparator is the EIP-712 domain separator of the Settlement contract at
// settlement on chain chainID.
func DomainSeparator(chainID *big.Int, settlement common.Address) common.Hash {
	return domainSeparator(domainNameHash, chainID, settlement)
}

// domainSeparator is the EIP-712 domain separator of the contract named by
// nameHash (version "1") at contract on chain chainID.
func domainSeparator(nameHash common.Hash, chainID *big.Int, contract common.Address) common.Hash {
	return crypto.Keccak256Hash(domainTypeHash[:], nameHash[:], domainVersionHash[:],
		word(chainID), common.LeftPadBytes(contract[:], 32))
}

// OrderUpdateHash is the EIP-712 digest of u that User and Provider sign.
func OrderUpdateHash(chainID *big.Int, settlement common.Address, u OrderUpdate) common.Hash {
	structHash := crypto.Keccak256Hash(
		orderUpdateTypeHash[:],
		common.LeftPadBytes(u.User[:], 32),
		common.LeftPadBytes(u.Provider[:], 32),
		word(new(big.Int).SetUint64(u.Size)),
		word(u.Price),
		word(new(big.Int).SetUint64(u.End)),
		u.Root[:],
		word(new(big.Int).SetUint64(u.Nonce)),
	)
	return typedDataHash(chainID, settlement, structHash)
}

// SignOrderUpdate signs u with key for the Settlement contract at settlement on chain
// chainID.
func SignOrderUpdate(key *ecdsa.PrivateKey, chainID *big.Int, settlement common.Address, u OrderUpdate) ([]byte, error) {
	return signDigest(key, OrderUpdateHash(chainID, settlement, u), "order update")
}

// RecoverOrderSigner returns the account that produced sig over u.
func RecoverOrderSigner(chainID *big.Int, settlement common.Address, u OrderUpdate, sig []byte) (common.Address, error) {
	return recoverDigest(OrderUpdateHash(chainID, settlement, u), sig)
}

// VerifyOrderUpdate checks that sig over u was made by want (u.User or u.Provider),
// as the contract will; a Provider calls it on the User's signature before co-signing.
func VerifyOrderUpdate(chainID *big.Int, settlement common.Address, u OrderUpdate, sig []byte, want common.Address) error {
	got, err := RecoverOrderSigner(chainID, settlement, u, sig)
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("%w: signed by %s, want %s", ErrBadSignature, got, want)
	}
	return nil
}

// word is v as a 32-byte big-endian EVM word (nil is 0).
func word(v *big.Int) []byte {
	if v == nil {
		return make([]byte, 32)
	}
	return math.U256Bytes(new(big.Int).Set(v))
}

// typedDataHash is the EIP-712 digest of structHash under the Settlement
// contract's domain (which names chain id and contract).
func typedDataHash(chainID *big.Int, settlement common.Address, structHash common.Hash) common.Hash {
	return eip712Digest(DomainSeparator(chainID, settlement), structHash)
}

// eip712Digest is the digest signed for structHash under domain separator sep.
func eip712Digest(sep, structHash common.Hash) common.Hash {
	return crypto.Keccak256Hash([]byte{0x19, 0x01}, sep[:], structHash[:])
}

// signDigest signs digest h with key, with v as 27 or 28 as ecrecover expects;
// what names the message in errors.
func signDigest(key *ecdsa.PrivateKey, h common.Hash, what string) ([]byte, error) {
	sig, err := crypto.Sign(h[:], key)
	if err != nil {
		return nil, fmt.Errorf("chain: sign %s: %w", what, err)
	}
	sig[64] += 27
	return sig, nil
}

// recoverDigest returns the signer of digest h from a 65-byte low-s signature.
func recoverDigest(h common.Hash, sig []byte) (common.Address, error) {
	if len(sig) != 65 {
		return common.Address{}, fmt.Errorf("%w: length %d, want 65", ErrBadSignature, len(sig))
	}
	s := make([]byte, 65)
	copy(s, sig)
	if s[64] >= 27 {
		s[64] -= 27
	}
	if s[64] > 1 {
		return common.Address{}, fmt.Errorf("%w: v = %d", ErrBadSignature, sig[64])
	}
	if !crypto.ValidateSignatureValues(s[64], new(big.Int).SetBytes(s[:32]), new(big.Int).SetBytes(s[32:64]), true) {
		return common.Address{}, fmt.Errorf("%w: invalid r, s", ErrBadSignature)
	}
	pub, err := crypto.SigToPub(h[:], s)
	if err != nil {
		return common.Address{}, fmt.Errorf("%w: %v", ErrBadSignature, err)
	}
	return crypto.PubkeyToAddress(*pub), nil
}
