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
	return crypto.Keccak256Hash(
		domainTypeHash[:],
		domainNameHash[:],
		domainVersionHash[:],
		word(chainID),
		common.LeftPadBytes(settlement[:], 32),
	)
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
	sep := DomainSeparator(chainID, settlement)
	return crypto.Keccak256Hash([]byte{0x19, 0x01}, sep[:], structHash[:])
}

// SignOrderUpdate signs u with key for the Settlement contract at settlement on chain
// chainID.
func SignOrderUpdate(key *ecdsa.PrivateKey, chainID *big.Int, settlement common.Address, u OrderUpdate) ([]byte, error) {
	h := OrderUpdateHash(chainID, settlement, u)
	sig, err := crypto.Sign(h[:], key)
	if err != nil {
		return nil, fmt.Errorf("chain: sign order update: %w", err)
	}
	sig[64] += 27
	return sig, nil
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
