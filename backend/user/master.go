package user

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"fmt"
	"io"

	"github.com/ethereum/go-ethereum/crypto"
	"golang.org/x/crypto/hkdf"
)

// MasterFromWalletKey derives the User's object-key master secret from its
// wallet key (HKDF-SHA256, info "mefs/gateway/master/v1"), so the wallet
// alone can decrypt the User's data. Changing it makes every stored object
// unreadable: it is part of the data format.
func MasterFromWalletKey(key *ecdsa.PrivateKey) []byte {
	r := hkdf.New(sha256.New, crypto.FromECDSA(key), nil, []byte("mefs/gateway/master/v1"))
	out := make([]byte, 32)
	if _, err := io.ReadFull(r, out); err != nil {
		panic(fmt.Sprintf("hkdf: %v", err)) // cannot happen: 32 of 8160 bytes
	}
	return out
}

// NodeSeedFromWalletKey derives the 32-byte seed of a node's libp2p key
// from its wallet key (HKDF-SHA256, info "mefs/node/libp2p/v1"): a node
// whose folder is lost comes back with the same peer id from the wallet
// alone, and no unencrypted node key needs to be kept on disk.
func NodeSeedFromWalletKey(key *ecdsa.PrivateKey) []byte {
	r := hkdf.New(sha256.New, crypto.FromECDSA(key), nil, []byte("mefs/node/libp2p/v1"))
	out := make([]byte, 32)
	if _, err := io.ReadFull(r, out); err != nil {
		panic(fmt.Sprintf("hkdf: %v", err))
	}
	return out
}
