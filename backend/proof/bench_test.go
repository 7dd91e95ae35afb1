package proof

import (
	"crypto/rand"
	"fmt"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/order"
	"github.com/mefs-project/mefs/erasure"
)

// synthSource stands for a Provider holding gib GiB in 1 MiB chunks over
// users orders without materializing them: every chunk has the same bytes
// (one random 1 MiB buffer, so every entry has the same root but its own
// chunk id). Leaf reads the leaf from the buffer and computes its path by
// hashing the whole chunk, as a Provider reading a chunk file does; order
// lists are real (one entry per chunk) and their trees are built per proof.
type synthSource struct {
	chunk []byte
	lists map[common.Address][]order.Entry
}

func newSynth(gib, users int) (*synthSource, []Order) {
	const chunkSize = 1 << 20
	s := &synthSource{chunk: make([]byte, chunkSize), lists: map[common.Address][]order.Entry{}}
	_, _ = rand.Read(s.chunk)
	root := erasure.Commit(s.chunk)
	perUser := gib * 1024 / users
	var orders []Order
	for u := range users {
		user := common.BytesToAddress([]byte{byte(u + 1)})
		entries := make([]order.Entry, perUser)
		for c := range entries {
			id := memo.ChunkID{Stripe: uint64(c)}
			id.Data[0] = byte(u)
			entries[c] = order.Entry{Chunk: id, Root: root, Size: chunkSize}
		}
		sum := order.Summarize(entries)
		s.lists[user] = entries
		orders = append(orders, Order{User: user, Root: sum.Root, Size: sum.Size})
	}
	return s, orders
}

func (s *synthSource) Entries(u common.Address) ([]order.Entry, error) { return s.lists[u], nil }

func (s *synthSource) Leaf(e order.Entry, i int) ([]byte, [][32]byte, error) {
	p, err := erasure.Prove(s.chunk, i)
	if err != nil {
		return nil, nil, err
	}
	return s.chunk[i*erasure.LeafSize : (i+1)*erasure.LeafSize], p.Path, nil
}

var benchSizes = []struct{ gib, users int }{{1, 4}, {100, 10}}

func BenchmarkProve(b *testing.B) {
	for _, sz := range benchSizes {
		b.Run(fmt.Sprintf("%dGiB", sz.gib), func(b *testing.B) {
			src, orders := newSynth(sz.gib, sz.users)
			h := header(1, 1)
			var size int
			for i := 0; b.Loop(); i++ {
				h.Epoch = uint64(i)
				p, err := Prove(h, orders, src, DefaultSamples)
				if err != nil {
					b.Fatal(err)
				}
				enc, _ := p.Marshal()
				size = len(enc)
			}
			b.ReportMetric(float64(size), "proof-bytes")
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	for _, sz := range benchSizes {
		b.Run(fmt.Sprintf("%dGiB", sz.gib), func(b *testing.B) {
			src, orders := newSynth(sz.gib, sz.users)
			h := header(1, 1)
			p, err := Prove(h, orders, src, DefaultSamples)
			if err != nil {
				b.Fatal(err)
			}
			enc, _ := p.Marshal()
			for b.Loop() {
				q, err := Decode(enc)
				if err != nil {
					b.Fatal(err)
				}
				if err := Verify(q, h, orders, DefaultSamples); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(enc)), "proof-bytes")
		})
	}
}
