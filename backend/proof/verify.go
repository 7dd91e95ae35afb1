// Verification: a Keeper checks a proof with nothing but the proof, the
// expected header (its own view of chain id, settlement, Provider, epoch and
// the on-chain seed) and the Provider's on-chain orders.
//
// Invariants:
//   - Verify accepts only if the header equals the expected one, the sample
//     count is exactly what was asked (zero when there are no orders), and
//     every sample shows the drawn entry of the drawn order and the drawn
//     leaf of that entry's chunk, with paths to the on-chain order root.
package proof

import (
	"errors"
	"fmt"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/erasure"
)

// Verification failures.
var (
	ErrHeader  = errors.New("proof: header does not match the challenge")
	ErrSamples = errors.New("proof: wrong number of samples")
	ErrSample  = errors.New("proof: sample does not verify")
)

// maxCount bounds an order's entry count (so index arithmetic is sane).
const maxCount = 1 << MaxPath

// Verify checks p against the challenge want, the Provider's on-chain
// orders and the sample count.
func Verify(p *Proof, want Header, orders []Order, samples int) error {
	if p.Header != want {
		return fmt.Errorf("%w: got epoch %d provider %s, want epoch %d provider %s",
			ErrHeader, p.Epoch, p.Provider, want.Epoch, want.Provider)
	}
	orders = Canonical(orders)
	if len(orders) == 0 {
		samples = 0
	}
	if len(p.Samples) != samples {
		return fmt.Errorf("%w: %d, want %d", ErrSamples, len(p.Samples), samples)
	}
	sm := newSampler(want, orders)
	for j := range p.Samples {
		if err := verifySample(sm, j, &p.Samples[j]); err != nil {
			return err
		}
	}
	return nil
}

func verifySample(sm *sampler, j int, s *Sample) error {
	o := sm.orders[sm.order(j)]
	if s.Count == 0 || s.Count > maxCount {
		return fmt.Errorf("%w: sample %d: entry count %d", ErrSample, j, s.Count)
	}
	idx := sm.entry(j, s.Count)
	if !erasure.VerifyList(o.Root, s.Entry.Marshal(), int(idx), int(s.Count), s.OrderPath) {
		return fmt.Errorf("%w: sample %d: entry %d not in order of user %s", ErrSample, j, idx, o.User)
	}
	if s.Entry.Size <= 0 || s.Entry.Size > memo.MaxChunkSize {
		return fmt.Errorf("%w: sample %d: chunk size %d", ErrSample, j, s.Entry.Size)
	}
	leaf := sm.leaf(j, s.Entry.Size)
	lp := erasure.Proof{Leaf: leaf, Size: int(s.Entry.Size), Path: s.LeafPath}
	if !erasure.Verify(s.Entry.Root, s.Leaf, lp) {
		return fmt.Errorf("%w: sample %d: leaf %d of chunk %s", ErrSample, j, leaf, s.Entry.Chunk)
	}
	return nil
}
