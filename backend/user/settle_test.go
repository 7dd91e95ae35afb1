package user

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/backend/order"
	"github.com/mefs-project/mefs/chain"
	"github.com/mefs-project/mefs/erasure"
	"github.com/mefs-project/mefs/gateway"
)

// memChain is an in-memory SettlementChain: a registry of Providers and the
// User's orders, updated only by UpdateOrder with both signatures.
type memChain struct {
	mu      sync.Mutex
	user    common.Address
	epoch   uint64
	nodes   []chain.Node
	orders  map[common.Address]chain.Order
	updates int
}

func (c *memChain) Address() common.Address { return c.user }

func (c *memChain) Providers(ctx context.Context) ([]chain.Node, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.nodes), nil
}

func (c *memChain) CurrentEpoch(ctx context.Context) (uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.epoch, nil
}

func (c *memChain) Order(ctx context.Context, user, provider common.Address) (chain.Order, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if user != c.user {
		return chain.Order{}, errors.New("memchain: other user")
	}
	o, ok := c.orders[provider]
	if !ok {
		return chain.Order{Price: new(big.Int)}, nil
	}
	return o, nil
}

func (c *memChain) SignOrderUpdate(u chain.OrderUpdate) ([]byte, error) {
	return []byte("user-sig"), nil
}

func (c *memChain) UpdateOrder(ctx context.Context, s chain.SignedOrderUpdate) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if string(s.UserSig) != "user-sig" || string(s.ProviderSig) != "provider-sig:"+s.Provider.Hex() {
		return errors.New("memchain: bad signatures")
	}
	if cur := c.orders[s.Provider]; s.Nonce != cur.Nonce+1 {
		return errors.New("memchain: bad nonce")
	}
	c.orders[s.Provider] = chain.Order{Size: s.Size, Price: s.Price, End: s.End, Root: s.Root, Nonce: s.Nonce}
	c.updates++
	return nil
}

// memOrders is an in-memory OrderNetwork: each Provider co-signs a proposal
// when the entries it is shown match the update (unless it refuses).
type memOrders struct {
	mu       sync.Mutex
	accounts map[peer.ID]common.Address
	refuse   map[peer.ID]bool
	learned  map[peer.ID][]string
}

func (n *memOrders) Learn(p peer.ID, addrs []string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.learned[p] = addrs
}

func (n *memOrders) ProposeOrder(ctx context.Context, p peer.ID, u chain.OrderUpdate, entries []order.Entry) ([]byte, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.refuse[p] {
		return nil, errors.New("memorders: refused")
	}
	sum := order.Summarize(entries)
	if u.Size != sum.Size || u.Root != common.Hash(sum.Root) || u.Provider != n.accounts[p] {
		return nil, errors.New("memorders: update does not describe the entries")
	}
	return []byte("provider-sig:" + u.Provider.Hex()), nil
}

type settlerEnv struct {
	s      *Settler
	chain  *memChain
	net    *memOrders
	meta   *meta.Store
	ids    []peer.ID
	accts  []common.Address
	settle context.Context
}

func newSettlerEnv(t *testing.T, n int) *settlerEnv {
	t.Helper()
	ms, err := meta.Open(filepath.Join(t.TempDir(), "meta"), discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	e := &settlerEnv{meta: ms, settle: context.Background(),
		chain: &memChain{user: common.HexToAddress("0x00000000000000000000000000000000000000aa"), epoch: 5, orders: map[common.Address]chain.Order{}},
		net:   &memOrders{accounts: map[peer.ID]common.Address{}, refuse: map[peer.ID]bool{}, learned: map[peer.ID][]string{}}}
	for i := range n {
		_, pub, _ := crypto.GenerateEd25519Key(rand.Reader)
		id, _ := peer.IDFromPublicKey(pub)
		acct := common.BigToAddress(big.NewInt(int64(0x100 + i)))
		e.ids, e.accts = append(e.ids, id), append(e.accts, acct)
		e.net.accounts[id] = acct
		e.chain.nodes = append(e.chain.nodes, chain.Node{Address: acct, PeerID: id.String(), Addrs: []string{"/ip4/127.0.0.1/tcp/1"}})
	}
	e.s = &Settler{Chain: e.chain, Net: e.net, Meta: ms, Log: discard, Price: big.NewInt(3), Term: 100, Interval: time.Hour}
	return e
}

// store commits an object with one chunk on each of providers.
func (e *settlerEnv) store(t *testing.T, key string, providers ...peer.ID) {
	t.Helper()
	if err := e.meta.CreateBucket(meta.Bucket{Name: "b"}); err != nil && !errors.Is(err, gateway.ErrBucketAlreadyOwnedByYou) {
		t.Fatal(err)
	}
	id := newObjectID()
	lay := meta.Layout{K: 1, M: len(providers) - 1}
	st := meta.Stripe{Size: 100, Index: 0}
	for i, p := range providers {
		lay.Providers = append(lay.Providers, p.String())
		st.Providers = append(st.Providers, uint16(i))
		st.Roots = append(st.Roots, erasure.Commit([]byte(key+p.String())))
	}
	lay.Stripes = []meta.Stripe{st}
	if err := e.meta.BeginPut(memo.DataOf(id), lay.Providers); err != nil {
		t.Fatal(err)
	}
	if err := e.meta.CommitPut("b", key, meta.Object{ID: id, Size: 100}, lay, nil); err != nil {
		t.Fatal(err)
	}
}

func TestSettlerDiscoverOpensOrders(t *testing.T) {
	e := newSettlerEnv(t, 3)
	e.chain.nodes = append(e.chain.nodes, chain.Node{Address: common.HexToAddress("0x01"), PeerID: "not-a-peer-id"})
	n, err := e.s.Discover(e.settle)
	if err != nil || n != 3 {
		t.Fatalf("Discover = %d, %v; want 3 Providers (the bad peer id skipped)", n, err)
	}
	want := slices.Clone(e.ids)
	slices.Sort(want)
	if got := e.s.Providers(); !slices.Equal(got, want) {
		t.Fatalf("Providers = %v, want sorted %v", got, want)
	}
	for i, a := range e.accts {
		o := e.chain.orders[a]
		if o.Nonce != 1 || o.End != 5+100 || o.Size != 0 || o.Price.Cmp(big.NewInt(3)) != 0 {
			t.Fatalf("order with provider %d: %+v", i, o)
		}
		if len(e.net.learned[e.ids[i]]) != 1 {
			t.Fatalf("the addresses of provider %d were not learned", i)
		}
	}
	// Discovering again sends nothing new.
	before := e.chain.updates
	if _, err := e.s.Discover(e.settle); err != nil || e.chain.updates != before {
		t.Fatalf("second Discover: %v, %d new updates", err, e.chain.updates-before)
	}
}

func TestSettlerUpdateDirtyFollowsChunks(t *testing.T) {
	e := newSettlerEnv(t, 3)
	if _, err := e.s.Discover(e.settle); err != nil {
		t.Fatal(err)
	}
	e.store(t, "k1", e.ids[0], e.ids[1])
	e.net.refuse[e.ids[1]] = true
	if err := e.s.UpdateDirty(e.settle); err == nil {
		t.Fatal("UpdateDirty hid a refused proposal")
	}
	entries, err := e.meta.Chunks(e.ids[0].String())
	if err != nil || len(entries) != 1 {
		t.Fatalf("chunk index of provider 0: %v, %v", entries, err)
	}
	sum := order.Summarize(entries)
	if o := e.chain.orders[e.accts[0]]; o.Nonce != 2 || o.Size != sum.Size || o.Root != common.Hash(sum.Root) {
		t.Fatalf("order with provider 0 after a chunk: %+v, want size %d root %x", o, sum.Size, sum.Root)
	}
	if o := e.chain.orders[e.accts[1]]; o.Nonce != 1 {
		t.Fatalf("a refused update changed the order: %+v", o)
	}
	if o := e.chain.orders[e.accts[2]]; o.Nonce != 1 {
		t.Fatalf("an untouched Provider's order was updated: %+v", o)
	}
	dirty, err := e.meta.DirtyProviders()
	if err != nil || len(dirty) != 1 {
		t.Fatalf("dirty after a partial update: %v, %v; want only the refusing Provider", dirty, err)
	}
	if _, ok := dirty[e.ids[1].String()]; !ok {
		t.Fatalf("the refusing Provider's change was forgotten: %v", dirty)
	}
	// The refusal passes: the retry catches up.
	e.net.refuse[e.ids[1]] = false
	if err := e.s.UpdateDirty(e.settle); err != nil {
		t.Fatal(err)
	}
	if o := e.chain.orders[e.accts[1]]; o.Nonce != 2 || o.Size == 0 {
		t.Fatalf("order with provider 1 after the retry: %+v", o)
	}
	if dirty, _ := e.meta.DirtyProviders(); len(dirty) != 0 {
		t.Fatalf("still dirty: %v", dirty)
	}
}

func TestSettlerRenewsOrdersRunningOut(t *testing.T) {
	e := newSettlerEnv(t, 2)
	if _, err := e.s.Discover(e.settle); err != nil {
		t.Fatal(err)
	}
	before := e.chain.updates
	if err := e.s.UpdateDirty(e.settle); err != nil || e.chain.updates != before {
		t.Fatalf("nothing changed, yet %d updates (%v)", e.chain.updates-before, err)
	}
	e.chain.epoch = 5 + 100/2 + 1 // less than half the term left
	if err := e.s.UpdateDirty(e.settle); err != nil {
		t.Fatal(err)
	}
	for i, a := range e.accts {
		if o := e.chain.orders[a]; o.End != e.chain.epoch+100 || o.Nonce != 2 {
			t.Fatalf("order with provider %d not renewed: %+v", i, o)
		}
	}
	orders, err := e.s.Orders(e.settle)
	if err != nil || len(orders) != 2 {
		t.Fatalf("Orders = %v, %v", orders, err)
	}
}
