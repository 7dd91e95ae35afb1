package p2p

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	quic "github.com/libp2p/go-libp2p/p2p/transport/quic"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/mefs-project/mefs/backend/internal/durable"
)

// LoadIdentity reads the node's libp2p key from path, creating a secp256k1
// key (mode 0600, durably) on first use: the key type the Registry can check
// a proof of possession of. An existing key of another type (Ed25519, from
// before) still loads, for nodes that never register on chain.
func LoadIdentity(path string) (crypto.PrivKey, error) {
	b, err := durable.ReadSecret(path)
	if err == nil {
		k, err := crypto.UnmarshalPrivateKey(b)
		if err != nil {
			return nil, fmt.Errorf("parse node key %s: %w", path, err)
		}
		return k, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("node key: %w", err)
	}
	k, _, err := crypto.GenerateSecp256k1Key(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate node key: %w", err)
	}
	b, err = crypto.MarshalPrivateKey(k)
	if err != nil {
		return nil, fmt.Errorf("marshal node key: %w", err)
	}
	if err := durable.WriteFile(path, b); err != nil {
		return nil, fmt.Errorf("write node key: %w", err)
	}
	return k, nil
}

// IdentityFromSeed is the secp256k1 libp2p key whose scalar is the 32-byte
// seed (an error for the ~2^-128 of seeds that are not a valid scalar).
func IdentityFromSeed(seed []byte) (crypto.PrivKey, error) {
	if len(seed) != 32 {
		return nil, fmt.Errorf("node key seed of %d bytes, want 32", len(seed))
	}
	k, err := crypto.UnmarshalSecp256k1PrivateKey(seed)
	if err != nil {
		return nil, fmt.Errorf("node key from seed: %w", err)
	}
	return k, nil
}

// OpenIdentity returns the node key kept at path if there is one (folders
// made before keys were derived), else derived (when not nil; nothing is
// written), else a new key kept at path (LoadIdentity).
func OpenIdentity(path string, derived crypto.PrivKey) (crypto.PrivKey, error) {
	if _, err := os.Stat(path); err == nil || derived == nil {
		return LoadIdentity(path)
	}
	return derived, nil
}

// NewHost starts a libp2p host with TCP and QUIC transports (TLS or Noise
// security) listening on the given multiaddrs: the Provider's and Keeper's.
func NewHost(key crypto.PrivKey, listen ...string) (host.Host, error) {
	return newHost(key, listen, libp2p.Transport(tcp.NewTCPTransport), libp2p.Transport(quic.NewTransport))
}

// NewUserHost starts the libp2p host a gateway (User) reaches Providers
// from. It speaks TCP only: Providers listen on TCP and QUIC, but bulk chunk
// traffic over QUIC cost the gateway about twice the CPU (a syscall and an
// AEAD seal per packet: QUIC was a third of a PUT's CPU profile here), and a
// Provider that dies behind TCP is noticed at once by the kernel's reset
// rather than after QUIC's idle timeout.
func NewUserHost(key crypto.PrivKey, listen ...string) (host.Host, error) {
	return newHost(key, listen, libp2p.Transport(tcp.NewTCPTransport))
}

func newHost(key crypto.PrivKey, listen []string, transports ...libp2p.Option) (host.Host, error) {
	limits, err := limitOptions()
	if err != nil {
		return nil, err
	}
	opts := append([]libp2p.Option{
		libp2p.Identity(key),
		libp2p.ListenAddrStrings(listen...),
		libp2p.DisableRelay(),
	}, limits...)
	opts = append(opts, transports...)
	h, err := libp2p.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("start libp2p host on %v: %w", listen, err)
	}
	return h, nil
}

// FullAddrs returns h's listen addresses with its peer id, as others dial it.
func FullAddrs(h host.Host) []string {
	var out []string
	for _, a := range h.Addrs() {
		out = append(out, a.String()+"/p2p/"+h.ID().String())
	}
	return out
}

// ParsePeerAddrs groups multiaddrs ending in /p2p/<id> by peer.
func ParsePeerAddrs(addrs []string) ([]peer.AddrInfo, error) {
	var mas []ma.Multiaddr
	for _, a := range addrs {
		m, err := ma.NewMultiaddr(a)
		if err != nil {
			return nil, fmt.Errorf("parse provider address %q: %w", a, err)
		}
		mas = append(mas, m)
	}
	infos, err := peer.AddrInfosFromP2pAddrs(mas...)
	if err != nil {
		return nil, fmt.Errorf("provider addresses must end in /p2p/<peer id>: %w", err)
	}
	return infos, nil
}
