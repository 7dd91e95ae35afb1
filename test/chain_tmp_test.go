package test

import (
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	libp2pcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peerstore"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/mefs-project/mefs/backend/wire"
	"github.com/mefs-project/mefs/erasure"
)

func TestTmpRefuseRace(t *testing.T) {
	d := startDevnet(t, "", "--providers", "6", "--keepers", "0", "--ec", "4+2")
	info := readDevnetChainInfo(t, d)
	for _, transport := range []string{"/tcp/", "/quic-v1"} {
		for _, size := range []int{4 << 10, 64 << 10, 1 << 20} {
			refused, other := 0, 0
			var otherErr error
			for round := 0; round < 3; round++ {
				key, _, _ := libp2pcrypto.GenerateEd25519Key(rand.Reader)
				h, err := wire.NewHost(key, "/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1")
				if err != nil {
					t.Fatal(err)
				}
				cl := &wire.Client{Host: h, Timeout: 20 * time.Second}
				data := make([]byte, size)
				rand.Read(data)
				root := erasure.Commit(data)
				for _, p := range info.Providers {
					ai, _ := wire.ParsePeerAddrs(p.Addrs)
					var addrs []ma.Multiaddr
					for _, a := range ai[0].Addrs {
						if strings.Contains(a.String(), transport) {
							addrs = append(addrs, a)
						}
					}
					h.Peerstore().AddAddrs(ai[0].ID, addrs, peerstore.PermanentAddrTTL)
					var id wire.ChunkID
					rand.Read(id.Object[:])
					err = cl.Put(context.Background(), ai[0].ID, id, root, data)
					if errors.Is(err, wire.ErrRefused) {
						refused++
					} else {
						other++
						otherErr = err
					}
				}
				h.Close()
			}
			t.Logf("%s size %d: refused %d, other %d (%v)", transport, size, refused, other, otherErr)
		}
	}
}
