// Proving: a Provider answers the challenge of an epoch by reading only the
// sampled leaves (through its Source), never all its data.
//
// Invariants:
//   - Prove refuses (with an error) to answer for an order whose local
//     entry list does not match the on-chain root: it would not verify.
//   - The order tree of each sampled order is built once per proof.
package proof

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mefs-project/mefs/backend/order"
	"github.com/mefs-project/mefs/erasure"
)

// Source is what a prover reads: its order lists and its chunks' leaves.
type Source interface {
	// Entries returns the Provider's entry list of its order with user,
	// sorted by chunk id (order.Summarize's order).
	Entries(user common.Address) ([]order.Entry, error)
	// Leaf returns leaf i of chunk e and its path to e.Root.
	Leaf(e order.Entry, i int) (data []byte, path [][32]byte, err error)
}

// Prove builds the proof for challenge h over the Provider's on-chain
// orders with the given number of samples.
func Prove(h Header, orders []Order, src Source, samples int) (*Proof, error) {
	orders = Canonical(orders)
	p := &Proof{Header: h}
	if len(orders) == 0 {
		return p, nil
	}
	if samples > MaxSamples {
		return nil, fmt.Errorf("proof: %d samples exceed %d", samples, MaxSamples)
	}
	sm := newSampler(h, orders)
	lists := map[int]*orderList{}
	for j := range samples {
		oi := sm.order(j)
		l, ok := lists[oi]
		if !ok {
			var err error
			if l, err = loadOrder(src, orders[oi]); err != nil {
				return nil, err
			}
			lists[oi] = l
		}
		s, err := l.sample(sm, j, src)
		if err != nil {
			return nil, err
		}
		p.Samples = append(p.Samples, s)
	}
	return p, nil
}

type orderList struct {
	entries []order.Entry
	tree    *erasure.ListTree
}

func loadOrder(src Source, o Order) (*orderList, error) {
	entries, err := src.Entries(o.User)
	if err != nil {
		return nil, fmt.Errorf("proof: entries of order with %s: %w", o.User, err)
	}
	items := make([][]byte, len(entries))
	for i, e := range entries {
		items[i] = e.Marshal()
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("proof: no local entries for order with %s", o.User)
	}
	tree, err := erasure.NewListTree(items)
	if err != nil {
		return nil, err
	}
	if tree.Root() != o.Root {
		return nil, fmt.Errorf("proof: local order with %s has root %s, chain has %s", o.User, tree.Root(), o.Root)
	}
	return &orderList{entries: entries, tree: tree}, nil
}

func (l *orderList) sample(sm *sampler, j int, src Source) (Sample, error) {
	idx := int(sm.entry(j, uint64(len(l.entries))))
	e := l.entries[idx]
	opath, err := l.tree.Path(idx)
	if err != nil {
		return Sample{}, err
	}
	li := sm.leaf(j, e.Size)
	data, lpath, err := src.Leaf(e, li)
	if err != nil {
		return Sample{}, fmt.Errorf("proof: leaf %d of chunk %s: %w", li, e.Chunk, err)
	}
	return Sample{Count: uint64(len(l.entries)), Entry: e, OrderPath: opath, Leaf: data, LeafPath: lpath}, nil
}
