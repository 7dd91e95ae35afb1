package provider

import (
	"context"
	"crypto/rand"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/order"
	"github.com/mefs-project/mefs/backend/proof"
	"github.com/mefs-project/mefs/erasure"
)

// memProverChain is an in-memory chain view for the prover.
type memProverChain struct {
	keeper peer.ID
	orders []proof.Order
}

func (c *memProverChain) ChallengeHeader(_ context.Context, epoch uint64) (proof.Header, error) {
	h := proof.Header{ChainID: 1337, Provider: common.Address{9}, Epoch: epoch}
	h.Seed[0], h.Seed[1] = 1, byte(epoch)
	return h, nil
}
func (c *memProverChain) Orders(context.Context) ([]proof.Order, error) { return c.orders, nil }
func (c *memProverChain) IsKeeper(_ context.Context, p peer.ID, _ uint64) (bool, error) {
	return p == c.keeper, nil
}

func newProverFixture(t *testing.T, faults ProverFaults) (*Prover, *memProverChain) {
	t.Helper()
	st, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	user := common.Address{1}
	var entries []order.Entry
	for i := range 40 {
		data := make([]byte, 3*erasure.LeafSize+5)
		rand.Read(data)
		id := memo.ChunkID{Stripe: uint64(i)}
		root := erasure.Commit(data)
		if err := st.PutFor("u", id, root, data); err != nil {
			t.Fatal(err)
		}
		entries = append(entries, order.Entry{Chunk: id, Root: root, Size: int64(len(data))})
	}
	sum := order.Summarize(entries)
	if err := st.SaveOrderList(user, entries); err != nil {
		t.Fatal(err)
	}
	c := &memProverChain{keeper: "keeper", orders: []proof.Order{{User: user, Root: sum.Root, Size: sum.Size}}}
	return &Prover{Store: st, Chain: c, Faults: faults}, c
}

func answerAndVerify(t *testing.T, pr *Prover, c *memProverChain, epoch uint64) error {
	t.Helper()
	b, err := pr.Answer(context.Background(), c.keeper, epoch)
	if err != nil {
		return err
	}
	p, err := proof.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := c.ChallengeHeader(context.Background(), epoch)
	return proof.Verify(p, h, c.orders, proof.DefaultSamples)
}

func TestProverHonest(t *testing.T) {
	pr, c := newProverFixture(t, ProverFaults{})
	for e := uint64(1); e <= 3; e++ {
		if err := answerAndVerify(t, pr, c, e); err != nil {
			t.Fatalf("epoch %d: %v", e, err)
		}
	}
	if _, err := pr.Answer(context.Background(), "stranger", 1); err == nil {
		t.Fatal("answered a peer that is not a keeper")
	}
}

func TestProverDroppingCaught(t *testing.T) {
	pr, c := newProverFixture(t, ProverFaults{DropFraction: 0.3})
	if err := answerAndVerify(t, pr, c, 1); err == nil {
		t.Fatal("Provider missing 30 % of its chunks passed") // passes w.p. 0.7^69 < 2^-35
	}
}

func TestProverReplayCaught(t *testing.T) {
	pr, c := newProverFixture(t, ProverFaults{Replay: true})
	if err := answerAndVerify(t, pr, c, 1); err != nil {
		t.Fatalf("first epoch (nothing to replay yet): %v", err)
	}
	if err := answerAndVerify(t, pr, c, 2); err == nil {
		t.Fatal("replayed proof of epoch 1 accepted for epoch 2")
	}
}
