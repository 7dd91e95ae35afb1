package proof

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/order"
	"github.com/mefs-project/mefs/erasure"
)

// memSource is an in-memory Provider: order lists and chunk bytes, with a
// set of chunks it has lost.
type memSource struct {
	lists  map[common.Address][]order.Entry
	chunks map[memo.ChunkID][]byte
	lost   map[memo.ChunkID]bool
}

func (m *memSource) Entries(u common.Address) ([]order.Entry, error) {
	l, ok := m.lists[u]
	if !ok {
		return nil, fmt.Errorf("no order with %s", u)
	}
	return l, nil
}

func (m *memSource) Leaf(e order.Entry, i int) ([]byte, [][32]byte, error) {
	c, ok := m.chunks[e.Chunk]
	if !ok || m.lost[e.Chunk] {
		return nil, nil, fmt.Errorf("chunk %s missing", e.Chunk)
	}
	p, err := erasure.Prove(c, i)
	if err != nil {
		return nil, nil, err
	}
	end := min((i+1)*erasure.LeafSize, len(c))
	return c[i*erasure.LeafSize : end], p.Path, nil
}

// newMem builds users orders of n chunks each of chunkSize bytes (the last
// chunk of each order shorter) and returns the source and on-chain orders.
func newMem(users, n, chunkSize int) (*memSource, []Order) {
	m := &memSource{lists: map[common.Address][]order.Entry{}, chunks: map[memo.ChunkID][]byte{}, lost: map[memo.ChunkID]bool{}}
	var orders []Order
	for u := range users {
		user := common.BytesToAddress([]byte{byte(u + 1), 0xaa})
		var entries []order.Entry
		for c := range n {
			id := memo.ChunkID{Stripe: uint64(c), Index: uint16(u)}
			id.Data[0] = byte(u)
			size := chunkSize
			if c == n-1 {
				size = chunkSize/2 + 1
			}
			data := fill(id, size)
			m.chunks[id] = data
			entries = append(entries, order.Entry{Chunk: id, Root: erasure.Commit(data), Size: int64(size)})
		}
		sum := order.Summarize(entries)
		m.lists[user] = entries
		orders = append(orders, Order{User: user, Root: sum.Root, Size: sum.Size})
	}
	return m, orders
}

func fill(id memo.ChunkID, size int) []byte {
	out := make([]byte, 0, size+32)
	seed := sha256.Sum256(order.ChunkKey(id))
	for ctr := uint64(0); len(out) < size; ctr++ {
		var b [40]byte
		copy(b[:], seed[:])
		binary.BigEndian.PutUint64(b[32:], ctr)
		h := sha256.Sum256(b[:])
		out = append(out, h[:]...)
	}
	return out[:size]
}

func header(provider byte, epoch uint64) Header {
	h := Header{ChainID: 1337, Epoch: epoch}
	h.Settlement = common.BytesToAddress([]byte{0x5e})
	h.Provider = common.BytesToAddress([]byte{provider})
	h.Seed = sha256.Sum256(binary.BigEndian.AppendUint64([]byte{provider}, epoch))
	return h
}
