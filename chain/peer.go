package chain

// Invariants:
//   - PeerIDBytes(k) is the binary libp2p peer id of the secp256k1 node key k (identity
//     multihash of its protobuf PublicKey with the 33-byte compressed key), the same
//     bytes Registry.peerIdOf computes from k's 64-byte x || y, and the bytes of the id
//     go-libp2p gives a host with that key.
//   - PeerBindingHash(chainID, registry, account, id) equals
//     Registry.hashPeerBinding(account, id) of the registry at registry on chain chainID;
//     a PeerProof's Sig is the node key's signature over it (r || s || v, low s).

import (
	"crypto/ecdsa"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

// RegistryDomainName is the EIP-712 domain name of the Registry contract.
const RegistryDomainName = "MEFS Registry"

var (
	peerBindingTypeHash = crypto.Keccak256Hash([]byte("PeerBinding(address account,bytes peerId)"))
	registryNameHash    = crypto.Keccak256Hash([]byte(RegistryDomainName))
	// peerIDPrefix: identity multihash (0x00) of 37 bytes (0x25) holding the protobuf
	// PublicKey{Type: Secp256k1 (field 1 = 2), Data (field 2, 33 bytes)}.
	peerIDPrefix = []byte{0x00, 0x25, 0x08, 0x02, 0x12, 0x21}
)

// PeerProof proves to the Registry that the registering account holds a libp2p node key.
type PeerProof struct {
	Key []byte // 64-byte uncompressed secp256k1 public key x || y
	Sig []byte // the node key's signature over the PeerBinding of (account, peer id)
}

// PeerIDBytes is the binary libp2p peer id of the secp256k1 public key pub.
func PeerIDBytes(pub *ecdsa.PublicKey) []byte {
	return append(append([]byte{}, peerIDPrefix...), crypto.CompressPubkey(pub)...)
}

// PeerIDString is the text form (base58) of a binary peer id; empty if b is not one.
func PeerIDString(b []byte) string {
	id, err := peer.IDFromBytes(b)
	if err != nil {
		return ""
	}
	return id.String()
}

// RegistryDomainSeparator is the EIP-712 domain separator of the Registry at registry
// on chain chainID.
func RegistryDomainSeparator(chainID *big.Int, registry common.Address) common.Hash {
	return domainSeparator(registryNameHash, chainID, registry)
}

// PeerBindingHash is the EIP-712 digest a node key signs to bind peer id to account.
func PeerBindingHash(chainID *big.Int, registry, account common.Address, peerID []byte) common.Hash {
	structHash := crypto.Keccak256Hash(peerBindingTypeHash[:], common.LeftPadBytes(account[:], 32),
		crypto.Keccak256(peerID))
	return eip712Digest(RegistryDomainSeparator(chainID, registry), structHash)
}

// ProvePeer signs, with nodeKey, the binding of its peer id to account for the Registry
// at registry on chain chainID.
func ProvePeer(nodeKey *ecdsa.PrivateKey, chainID *big.Int, registry, account common.Address) (PeerProof, error) {
	if nodeKey == nil {
		return PeerProof{}, fmt.Errorf("chain: prove peer: no node key")
	}
	digest := PeerBindingHash(chainID, registry, account, PeerIDBytes(&nodeKey.PublicKey))
	sig, err := signDigest(nodeKey, digest, "peer binding")
	if err != nil {
		return PeerProof{}, err
	}
	return PeerProof{Key: crypto.FromECDSAPub(&nodeKey.PublicKey)[1:], Sig: sig}, nil
}
