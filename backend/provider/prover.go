package provider

// The prover: answers Keepers' challenges with a proof of storage built
// from the on-chain seed and orders, reading only the sampled chunks.
//
// Invariants:
//   - Only peers the chain names as Keepers for the epoch get an answer, and
//     only for an epoch whose seed is recorded: a stranger costs one chain
//     lookup (cached per epoch), never a proof.
//   - One proof per epoch is built and served to every Keeper (cached).
//   - Faults are test-only behaviour (ProverFaults), off by default.

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/order"
	"github.com/mefs-project/mefs/backend/proof"
	"github.com/mefs-project/mefs/erasure"
)

// ProverChain is what the prover needs of the chain.
type ProverChain interface {
	// ChallengeHeader returns the header of the Provider's challenge of
	// epoch (zero Seed: not challengeable yet).
	ChallengeHeader(ctx context.Context, epoch uint64) (proof.Header, error)
	// Orders returns the Provider's on-chain orders.
	Orders(ctx context.Context) ([]proof.Order, error)
	// IsKeeper reports whether peer p is a Keeper registered for epoch.
	IsKeeper(ctx context.Context, p peer.ID, epoch uint64) (bool, error)
}

// ProverFaults alters an honest prover, for end-to-end tests only.
type ProverFaults struct {
	// DropFraction: before proving, silently delete this fraction of the
	// sampled chunks (chosen by chunk id, so the same chunks every epoch).
	DropFraction float64
	// Replay answers with the previous epoch's proof.
	Replay bool
}

// Prover answers challenges for the Provider's Store.
type Prover struct {
	Store   *Store
	Chain   ProverChain
	Samples int // 0: proof.DefaultSamples
	Faults  ProverFaults
	Log     *slog.Logger

	// answered and failed count challenges answered with a proof, and
	// those that could not be (since start).
	answered, failed atomic.Int64

	mu    sync.Mutex
	epoch uint64
	key   [32]byte // proofKey of cache
	cache []byte   // proof of epoch
	prev  []byte   // proof of the epoch before, for Faults.Replay
}

// ErrNotChallengeable refuses an epoch whose seed is not recorded.
var ErrNotChallengeable = errors.New("epoch not challengeable yet")

// Answer implements p2p.Answerer.
func (pr *Prover) Answer(ctx context.Context, from peer.ID, epoch uint64) ([]byte, error) {
	b, err := pr.answer(ctx, from, epoch)
	if err != nil {
		pr.failed.Add(1)
	} else {
		pr.answered.Add(1)
	}
	return b, err
}

// Answered counts the challenges answered with a proof since start, and
// those that could not be.
func (pr *Prover) Answered() (answered, failed int64) { return pr.answered.Load(), pr.failed.Load() }

func (pr *Prover) answer(ctx context.Context, from peer.ID, epoch uint64) ([]byte, error) {
	ok, err := pr.Chain.IsKeeper(ctx, from, epoch)
	if err != nil {
		return nil, fmt.Errorf("check keeper %s: %w", from, err)
	}
	if !ok {
		return nil, fmt.Errorf("peer %s is not a keeper at epoch %d", from, epoch)
	}
	h, err := pr.Chain.ChallengeHeader(ctx, epoch)
	if err != nil {
		return nil, fmt.Errorf("challenge header of epoch %d: %w", epoch, err)
	}
	if h.Seed == ([32]byte{}) {
		return nil, fmt.Errorf("epoch %d: %w", epoch, ErrNotChallengeable)
	}
	orders, err := pr.Chain.Orders(ctx)
	if err != nil {
		return nil, fmt.Errorf("orders: %w", err)
	}
	orders = proof.Canonical(orders)
	key := proofKey(epoch, orders)
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.cache == nil || pr.key != key {
		b, err := pr.prove(h, orders)
		if err != nil {
			return nil, err
		}
		if pr.cache != nil && pr.epoch < epoch {
			pr.prev = pr.cache
		}
		pr.epoch, pr.key, pr.cache = epoch, key, b
	}
	if pr.Faults.Replay && pr.prev != nil {
		return pr.prev, nil
	}
	return pr.cache, nil
}

// proofKey names what a proof answers: the epoch and the on-chain orders
// it was built from (an order update within the epoch needs a new proof,
// or Keepers reading the new roots would fail an honest Provider).
func proofKey(epoch uint64, orders []proof.Order) [32]byte {
	h := sha256.New()
	h.Write(binary.BigEndian.AppendUint64(nil, epoch))
	for _, o := range orders {
		h.Write(o.User[:])
		h.Write(o.Root[:])
		h.Write(binary.BigEndian.AppendUint64(nil, o.Size))
	}
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// prove builds the encoded proof for header h over orders.
func (pr *Prover) prove(h proof.Header, orders []proof.Order) ([]byte, error) {
	n := pr.Samples
	if n == 0 {
		n = proof.DefaultSamples
	}
	p, err := proof.Prove(h, orders, proverSource{pr, orders}, n)
	if err != nil {
		return nil, fmt.Errorf("prove epoch %d: %w", h.Epoch, err)
	}
	if pr.Log != nil {
		pr.Log.Info("proved", "epoch", h.Epoch, "orders", len(orders), "samples", len(p.Samples))
	}
	return p.Marshal()
}

// proverSource reads the co-signed lists and chunks, applying faults.
type proverSource struct {
	pr     *Prover
	orders []proof.Order // what the proof is built from
}

// Entries returns the list whose root the chain records for user.
func (s proverSource) Entries(user common.Address) ([]order.Entry, error) {
	for _, o := range s.orders {
		if o.User == user {
			return s.pr.Store.OrderList(user, o.Root)
		}
	}
	return nil, fmt.Errorf("no order with %s", user)
}

func (s proverSource) Leaf(e order.Entry, i int) ([]byte, [][32]byte, error) {
	if f := s.pr.Faults.DropFraction; f > 0 && dropped(e.Chunk.Data, e.Chunk.Stripe, e.Chunk.Index, f) {
		if err := s.pr.Store.deleteChunk(e.Chunk); err != nil {
			return nil, nil, err
		}
	}
	return s.pr.Store.Leaf(e, i)
}

// dropped picks a fixed fraction f of chunk ids.
func dropped(data erasure.DataID, stripe uint64, index uint16, f float64) bool {
	b := binary.BigEndian.AppendUint64(append([]byte("drop"), data[:]...), stripe)
	h := sha256.Sum256(binary.BigEndian.AppendUint16(b, index))
	return float64(binary.BigEndian.Uint64(h[:8]))/(1<<64) < f
}
