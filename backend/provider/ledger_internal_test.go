package provider

import (
	"context"
	"errors"
	"math/big"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	libp2pcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/chain"
)

// memChain is an in-memory LedgerChain: one Provider, Users registered with
// a peer id, orders listed on chain only once "settled".
type memChain struct {
	provider common.Address
	regs     map[common.Address]chain.Registration
	orders   map[common.Address]chain.Order // by User; listed by OrdersOf
	epoch    uint64
	scans    atomic.Int32
}

func (c *memChain) Address() common.Address { return c.provider }
func (c *memChain) Info(_ context.Context, a common.Address) (chain.Registration, error) {
	return c.regs[a], nil
}
func (c *memChain) OrdersOf(context.Context, common.Address) ([]common.Address, error) {
	c.scans.Add(1)
	var out []common.Address
	for u := range c.orders {
		out = append(out, u)
	}
	return out, nil
}
func (c *memChain) Order(_ context.Context, u, _ common.Address) (chain.Order, error) {
	return c.orders[u], nil
}
func (c *memChain) DepositOf(context.Context, common.Address) (chain.Deposit, error) {
	return chain.Deposit{Free: big.NewInt(1e18), Locked: new(big.Int)}, nil
}
func (c *memChain) CurrentEpoch(context.Context) (uint64, error)      { return c.epoch, nil }
func (c *memChain) SignOrderUpdate(chain.OrderUpdate) ([]byte, error) { return []byte{1}, nil }

func testPeer(t *testing.T) peer.ID {
	t.Helper()
	_, pub, err := libp2pcrypto.GenerateEd25519Key(nil)
	if err != nil {
		t.Fatal(err)
	}
	id, err := peer.IDFromPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestLedgerAdmission(t *testing.T) {
	ctx := context.Background()
	user, stranger := testPeer(t), testPeer(t)
	ua := common.HexToAddress("0x1000000000000000000000000000000000000001")
	c := &memChain{
		provider: common.HexToAddress("0x2000000000000000000000000000000000000002"),
		regs:     map[common.Address]chain.Registration{ua: {Role: chain.RoleUser, Active: true, PeerID: user.String()}},
		orders:   map[common.Address]chain.Order{},
		epoch:    10,
	}
	l := &ChainLedger{Chain: c, MaxTerm: 100}

	// An unknown peer costs one registry scan, then is refused from the
	// cache however often it knocks.
	for i := 0; i < 50; i++ {
		if _, err := l.Authorize(ctx, stranger, true); !errors.Is(err, ErrNoOrder) {
			t.Fatalf("stranger admitted: %v", err)
		}
	}
	if n := c.scans.Load(); n != 1 {
		t.Fatalf("%d registry scans for 50 refusals of one stranger, want 1", n)
	}

	// The User proposes its first order before it is on chain: the
	// Provider learns its peer, and a later rescan must not forget it.
	upd := chain.OrderUpdate{User: ua, Provider: c.provider, Price: big.NewInt(1), End: 50, Nonce: 1}
	if _, err := l.Check(ctx, user, upd); err != nil {
		t.Fatalf("first order proposal refused: %v", err)
	}
	l.mu.Lock()
	l.refreshed = time.Now().Add(-time.Hour) // every entry stale: next call rescans
	l.mu.Unlock()
	if _, err := l.Authorize(ctx, stranger, true); !errors.Is(err, ErrNoOrder) {
		t.Fatalf("stranger admitted after rescan: %v", err)
	}
	// The rescan ran before the order landed; it lands now, and the
	// User's first chunk arrives while the rescan is still fresh.
	c.orders[ua] = chain.Order{Price: big.NewInt(1), End: 50, Nonce: 1}
	if _, err := l.Authorize(ctx, user, true); err != nil {
		t.Fatalf("funded User refused after a rescan: %v", err)
	}
	// Its quota is its order's size plus the slack; a stranger has none.
	if q, limited := l.Quota(ua.Hex()); !limited || q != DefaultQuotaSlack {
		t.Fatalf("quota of a User with an empty order: %d, %v; want the slack", q, limited)
	}
	if q, limited := l.Quota(common.Address{9}.Hex()); !limited || q != 0 {
		t.Fatalf("quota of an account never admitted: %d, %v; want 0", q, limited)
	}

	// Terms: free, underpriced and too-long orders are refused.
	l.MinPrice = big.NewInt(5)
	for name, u := range map[string]chain.OrderUpdate{
		"free":        {User: ua, Provider: c.provider, Price: big.NewInt(0), End: 50, Nonce: 2},
		"underpriced": {User: ua, Provider: c.provider, Price: big.NewInt(4), End: 50, Nonce: 2},
		"too long":    {User: ua, Provider: c.provider, Price: big.NewInt(5), End: 10 + 101, Nonce: 2},
	} {
		if _, err := l.Check(ctx, user, u); err == nil {
			t.Errorf("%s order accepted", name)
		}
	}
	ok := chain.OrderUpdate{User: ua, Provider: c.provider, Price: big.NewInt(5), End: 110, Nonce: 2}
	if _, err := l.Check(ctx, user, ok); err != nil {
		t.Errorf("order at the minimum price and the longest term refused: %v", err)
	}
}
