package keeper

import (
	"context"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/order"
	"github.com/mefs-project/mefs/backend/proof"
	"github.com/mefs-project/mefs/erasure"
)

// memJudgeChain is an in-memory chain and Provider data set.
type memJudgeChain struct {
	orders  []proof.Order
	entries []order.Entry
	chunks  map[memo.ChunkID][]byte
	noSeed  bool
}

func (c *memJudgeChain) ChallengeHeader(_ context.Context, p common.Address, e uint64) (proof.Header, error) {
	h := proof.Header{ChainID: 1337, Provider: p, Epoch: e}
	if !c.noSeed {
		h.Seed = crypto.Keccak256Hash(p[:], []byte{byte(e)})
	}
	return h, nil
}
func (c *memJudgeChain) Orders(context.Context, common.Address) ([]proof.Order, error) {
	return c.orders, nil
}
func (c *memJudgeChain) Entries(common.Address) ([]order.Entry, error) { return c.entries, nil }
func (c *memJudgeChain) Leaf(e order.Entry, i int) ([]byte, [][32]byte, error) {
	d := c.chunks[e.Chunk]
	p, err := erasure.Prove(d, i)
	return d[i*erasure.LeafSize : min(len(d), (i+1)*erasure.LeafSize)], p.Path, err
}

func newJudgeChain(t *testing.T) *memJudgeChain {
	c := &memJudgeChain{chunks: map[memo.ChunkID][]byte{}}
	for i := range 10 {
		d := make([]byte, 2*erasure.LeafSize)
		rand.Read(d)
		id := memo.ChunkID{Stripe: uint64(i)}
		c.chunks[id] = d
		c.entries = append(c.entries, order.Entry{Chunk: id, Root: erasure.Commit(d), Size: int64(len(d))})
	}
	s := order.Summarize(c.entries)
	c.orders = []proof.Order{{User: common.Address{1}, Root: s.Root, Size: s.Size}}
	return c
}

// honestFetch proves as the Provider prov would.
func honestFetch(c *memJudgeChain, prov common.Address) Fetch {
	return func(ctx context.Context, _ common.Address, e uint64) ([]byte, error) {
		h, _ := c.ChallengeHeader(ctx, prov, e)
		p, err := proof.Prove(h, c.orders, c, proof.DefaultSamples)
		if err != nil {
			return nil, err
		}
		return p.Marshal()
	}
}

func TestJudge(t *testing.T) {
	c := newJudgeChain(t)
	prov, other := common.Address{7}, common.Address{8}
	ctx := context.Background()
	a, reason, err := Judge(ctx, c, honestFetch(c, prov), prov, 5, proof.DefaultSamples)
	if err != nil || reason != nil || !a.Pass || a.ProofDigest == (common.Hash{}) {
		t.Fatalf("honest: %+v reason=%v err=%v", a, reason, err)
	}
	for name, f := range map[string]Fetch{
		"no answer":     func(context.Context, common.Address, uint64) ([]byte, error) { return nil, errors.New("timeout") },
		"garbage":       func(context.Context, common.Address, uint64) ([]byte, error) { return []byte{1, 2}, nil },
		"other's proof": honestFetch(c, other),
		"replayed epoch 4": func(ctx context.Context, p common.Address, _ uint64) ([]byte, error) {
			return honestFetch(c, prov)(ctx, p, 4)
		},
	} {
		a, reason, err := Judge(ctx, c, f, prov, 5, proof.DefaultSamples)
		if err != nil || reason == nil || a.Pass || a.ProofDigest != (common.Hash{}) {
			t.Errorf("%s: %+v reason=%v err=%v, want fail", name, a, reason, err)
		}
	}
	c.noSeed = true
	if _, _, err := Judge(ctx, c, honestFetch(c, prov), prov, 5, proof.DefaultSamples); !errors.Is(err, ErrNotChallengeable) {
		t.Fatalf("no seed: err = %v", err)
	}
}

// An order update between the Keeper's read and the Provider's proof makes
// an honest proof fail to verify: that is no verdict, not a fail.
func TestJudgeOrdersChangedIsNoVerdict(t *testing.T) {
	c := newJudgeChain(t)
	prov := common.Address{7}
	ctx := context.Background()
	old := c.orders
	// The Provider's answer fails against the orders the Keeper read first
	// (here: it cannot prove at all), and the orders changed meanwhile.
	garbage := func(context.Context, common.Address, uint64) ([]byte, error) { return []byte{1, 2}, nil }
	flip := &flipChain{memJudgeChain: c, after: []proof.Order{{User: old[0].User, Root: erasure.Commit([]byte("new list")), Size: old[0].Size + 1}}}
	if _, reason, err := Judge(ctx, flip, garbage, prov, 5, proof.DefaultSamples); !errors.Is(err, ErrOrdersChanged) || reason != nil {
		t.Fatalf("orders changed mid-challenge: reason=%v err=%v, want ErrOrdersChanged", reason, err)
	}
	// With orders unchanged, a bad proof is a fail as before.
	if _, reason, err := Judge(ctx, c, garbage, prov, 5, proof.DefaultSamples); err != nil || reason == nil {
		t.Fatalf("garbage with stable orders: reason=%v err=%v, want a fail", reason, err)
	}
}

// flipChain answers its first Orders read from memJudgeChain and every
// later one with after.
type flipChain struct {
	*memJudgeChain
	after []proof.Order
	reads int
}

func (f *flipChain) Orders(ctx context.Context, p common.Address) ([]proof.Order, error) {
	f.reads++
	if f.reads == 1 {
		return f.memJudgeChain.Orders(ctx, p)
	}
	return f.after, nil
}
