package test

// Settlement on the devnet's simulated chain: Providers refuse Users without
// a funded order, and the gateway's orders track the chunks Providers hold.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/gethclient"
	"github.com/ethereum/go-ethereum/rpc"
	libp2pcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peerstore"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/p2p"
	"github.com/mefs-project/mefs/chain"
	"github.com/mefs-project/mefs/chain/bindings/settlement"
	"github.com/mefs-project/mefs/erasure"
)

// devnetChainInfo is the settlement part of DIR/devnet.json.
type devnetChainInfo struct {
	RPC       string          `json:"rpc"`
	ChainID   uint64          `json:"chain_id"`
	Contracts chain.Contracts `json:"contracts"`
	User      struct {
		Account string `json:"account"`
	} `json:"user"`
	Providers []struct {
		PeerID  string   `json:"peer_id"`
		Addrs   []string `json:"addrs"`
		Account string   `json:"account"`
	} `json:"providers"`
}

func readDevnetChainInfo(t testing.TB, d *devnet) devnetChainInfo {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(d.Dir, "devnet.json"))
	if err != nil {
		t.Fatal(err)
	}
	var info devnetChainInfo
	if err := json.Unmarshal(b, &info); err != nil {
		t.Fatalf("decode devnet.json: %v", err)
	}
	if info.RPC == "" || info.Contracts.IsZero() || len(info.Providers) == 0 || info.User.Account == "" {
		t.Fatalf("devnet.json lacks rpc, contracts, user or providers: %s", b)
	}
	return info
}

// readOnlyClient dials rpc with a throwaway key (it only reads).
func readOnlyClient(t testing.TB, url string, ct chain.Contracts) chain.Client {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := chain.Dial(ctx, url, key, chain.Options{Contracts: ct})
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestProviderRefusesUnfundedUser(t *testing.T) {
	d := startDevnet(t, "", "--providers", "6", "--keepers", "0", "--ec", "4+2")
	info := readDevnetChainInfo(t, d)

	// putAll stores a valid chunk of size bytes on every Provider from a
	// fresh host that no User registered, and wants each refused.
	putAll := func(t *testing.T, size int) {
		key, _, err := libp2pcrypto.GenerateEd25519Key(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		h, err := p2p.NewHost(key, "/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1")
		if err != nil {
			t.Fatal(err)
		}
		defer h.Close()
		cl := &p2p.Client{Host: h, Timeout: 10 * time.Second}
		data := randBytes(size)
		root := erasure.Commit(data)
		for i, p := range info.Providers {
			ai, err := p2p.ParsePeerAddrs(p.Addrs)
			if err != nil || len(ai) != 1 {
				t.Fatalf("provider %d addrs %v: %v", i, p.Addrs, err)
			}
			h.Peerstore().AddAddrs(ai[0].ID, ai[0].Addrs, peerstore.PermanentAddrTTL)
			var id memo.ChunkID
			rand.Read(id.Data[:])
			err = cl.PutChunk(context.Background(), ai[0].ID, id, root, data)
			if !errors.Is(err, p2p.ErrRefused) {
				t.Errorf("provider %d (%s): put of %d bytes from a peer with no order: got %v, want p2p.ErrRefused", i, ai[0].ID, size, err)
			}
			// Nothing of the refused chunk may have landed on disk.
			obj := filepath.Join(d.Dir, "providers", strconv.Itoa(i), "chunks", id.Data.String()[:2], id.Data.String())
			if _, err := os.Stat(obj); err == nil {
				t.Errorf("provider %d created %s for a refused chunk", i, obj)
			}
		}
	}
	t.Run("4KiB", func(t *testing.T) { putAll(t, 4<<10) })
	t.Run("1MiB", func(t *testing.T) {
		putAll(t, 1<<20)
	})

	// The refusal is per User: the devnet's own gateway still stores.
	c := d.client(t)
	data := randBytes(64 << 10)
	mustCreateBucket(t, c, "funded")
	putBytes(t, c, "funded", "k", data)
	got, err := tryGet(context.Background(), c, "funded", "k")
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("funded user's read back: %d bytes, %v", len(got), err)
	}
}

func TestDevnetOrdersOnChain(t *testing.T) {
	const epoch = time.Minute
	d := startDevnet(t, "", "--providers", "6", "--keepers", "0", "--ec", "4+2", "--order-interval", "1s", "--epoch", epoch.String())
	info := readDevnetChainInfo(t, d)
	user := common.HexToAddress(info.User.Account)
	var ps []orderCheck
	for i, p := range info.Providers {
		ps = append(ps, orderCheck{Name: "provider-" + strconv.Itoa(i), Account: common.HexToAddress(p.Account),
			Dir: filepath.Join(d.Dir, "providers", strconv.Itoa(i))})
	}

	s3c := d.client(t)
	mustCreateBucket(t, s3c, "orders")
	objs := map[string][]byte{"small": randBytes(1000), "stripe": randBytes(3 << 20), "multi": randBytes(9<<20 + 123)}
	for k, v := range objs {
		putBytes(t, s3c, "orders", k, v)
	}
	for k, v := range objs {
		got, err := tryGet(context.Background(), s3c, "orders", k)
		if err != nil || !bytes.Equal(got, v) {
			t.Fatalf("read back %s: %d bytes, %v", k, len(got), err)
		}
	}

	c := readOnlyClient(t, info.RPC, info.Contracts)
	states := waitOrdersMatchDisk(t, c, user, ps, 30*time.Second, nonEmpty)
	var total uint64
	for i, s := range states {
		if s.Order.Root == (common.Hash{}) {
			t.Errorf("%s: order root is zero", ps[i].Name)
		}
		if s.Order.Price == nil || s.Order.Price.Sign() <= 0 || s.Order.Escrow == nil || s.Order.Escrow.Sign() <= 0 {
			t.Errorf("%s: order price %v escrow %v, want both positive", ps[i].Name, s.Order.Price, s.Order.Escrow)
		}
		total += s.Chain.Size
		t.Logf("%s: size %d, %d chunks, nonce %d, epochs %d..%d, escrow %s MEMO", ps[i].Name, s.Chain.Size, s.Disk.Count,
			s.Order.Nonce, s.Order.LastSettled, s.Order.End, chain.FormatMEMO(s.Order.Escrow))
	}
	t.Logf("orders hold %d bytes for %d bytes of objects", total, 1000+3<<20+9<<20+123)

	// Income accrues with chain time. Nothing mines blocks on an idle devnet,
	// so evaluate accruedIncome at a later block time (eth_call block override).
	rc, err := rpc.Dial(info.RPC)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	gc := gethclient.New(rc)
	ctx := context.Background()
	head, err := c.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	abi := settlement.NewSettlement()
	accrued := func(p common.Address, at uint64) *big.Int {
		t.Helper()
		msg := ethereum.CallMsg{To: &info.Contracts.Settlement, Data: abi.PackAccruedIncome(p)}
		out, err := gc.CallContractWithBlockOverrides(ctx, msg, new(big.Int).SetUint64(head), nil, gethclient.BlockOverrides{Time: at})
		if err != nil {
			t.Fatalf("accruedIncome(%s) at time %d: %v", p, at, err)
		}
		v, err := abi.UnpackAccruedIncome(out)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	now, err := blockTime(ctx, rc, head)
	if err != nil {
		t.Fatal(err)
	}
	const later = 10 // epochs
	for i, s := range states {
		got, err := c.AccruedIncome(ctx, ps[i].Account)
		if err != nil {
			t.Fatal(err)
		}
		a0, a1 := accrued(ps[i].Account, now), accrued(ps[i].Account, now+later*uint64(epoch/time.Second))
		if got.Cmp(a0) != 0 {
			t.Errorf("%s: AccruedIncome %v, eth_call at head time %v", ps[i].Name, got, a0)
		}
		grew := new(big.Int).Sub(a1, a0)
		want := new(big.Int).Mul(new(big.Int).SetUint64(s.Order.Size), s.Order.Price)
		want.Mul(want, big.NewInt(later))
		if grew.Cmp(want) != 0 {
			t.Errorf("%s: income grew by %v over %d epochs, want size %d × price %v × %d = %v", ps[i].Name, grew, later, s.Order.Size, s.Order.Price, later, want)
		}
		t.Logf("%s: accrued %v wei now, %v wei %d epochs later", ps[i].Name, a0, a1, later)
	}
}

// blockTime reads block n's timestamp.
func blockTime(ctx context.Context, rc *rpc.Client, n uint64) (uint64, error) {
	var h struct {
		Time string `json:"timestamp"`
	}
	if err := rc.CallContext(ctx, &h, "eth_getBlockByNumber", "0x"+strconv.FormatUint(n, 16), false); err != nil {
		return 0, err
	}
	return strconv.ParseUint(h.Time[2:], 16, 64)
}
