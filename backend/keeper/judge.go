package keeper

// Judging one Provider for one epoch: challenge, verify against on-chain
// state only, and produce the attestation the Keeper signs.
//
// Invariants:
//   - Stateless: everything comes from the chain (header, orders) and the
//     Provider's answer; nothing is kept per object.
//   - pass ⇔ the proof verifies; ProofDigest = keccak256(proof bytes) on
//     pass, zero on fail (no answer, late answer, malformed or invalid).

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/mefs-project/mefs/backend/proof"
)

// Attestation is a Keeper's verdict on one Provider and epoch (the EIP-712
// Attestation(address provider,uint64 epoch,bool pass,bytes32 proofDigest)).
type Attestation struct {
	Provider    common.Address
	Epoch       uint64
	Pass        bool
	ProofDigest common.Hash
}

// JudgeChain is what judging needs of the chain.
type JudgeChain interface {
	// ChallengeHeader returns provider's challenge of epoch (zero Seed: not
	// challengeable yet).
	ChallengeHeader(ctx context.Context, provider common.Address, epoch uint64) (proof.Header, error)
	// Orders returns provider's on-chain orders.
	Orders(ctx context.Context, provider common.Address) ([]proof.Order, error)
}

// Fetch asks a Provider for its encoded proof of an epoch (p2p.Challenge).
type Fetch func(ctx context.Context, provider common.Address, epoch uint64) ([]byte, error)

// ErrOrdersChanged: the Provider's orders changed during the challenge, so
// a failed verification proves nothing; challenge again.
var ErrOrdersChanged = fmt.Errorf("keeper: orders changed during the challenge")

// sameOrders reports whether a and b are the same orders for proving.
func sameOrders(a, b []proof.Order) bool {
	a, b = proof.Canonical(a), proof.Canonical(b)
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// ErrNotChallengeable: the epoch's seed is not on chain yet.
var ErrNotChallengeable = fmt.Errorf("keeper: epoch not challengeable yet")

// Judge challenges provider for epoch and returns the attestation, and the
// reason for a fail (nil on pass). Errors reading the chain are returned as
// err: the Keeper then attests nothing rather than a false fail. samples 0
// means proof.DefaultSamples.
func Judge(ctx context.Context, c JudgeChain, fetch Fetch, provider common.Address, epoch uint64, samples int) (a Attestation, reason, err error) {
	a = Attestation{Provider: provider, Epoch: epoch}
	if samples == 0 {
		samples = proof.DefaultSamples
	}
	h, err := c.ChallengeHeader(ctx, provider, epoch)
	if err != nil {
		return a, nil, fmt.Errorf("challenge header of %s at %d: %w", provider, epoch, err)
	}
	if h.Seed == ([32]byte{}) {
		return a, nil, ErrNotChallengeable
	}
	orders, err := c.Orders(ctx, provider)
	if err != nil {
		return a, nil, fmt.Errorf("orders of %s: %w", provider, err)
	}
	b, reason := check(ctx, fetch, provider, epoch, h, orders, samples)
	if reason != nil {
		// An order update landing while the Provider proved makes an
		// honest answer fail against what was read before: only a failure
		// against orders unchanged across the whole challenge counts.
		after, err := c.Orders(ctx, provider)
		if err != nil {
			return a, nil, fmt.Errorf("orders of %s: %w", provider, err)
		}
		if !sameOrders(orders, after) {
			return a, nil, fmt.Errorf("provider %s at %d: %w", provider, epoch, ErrOrdersChanged)
		}
		return a, reason, nil
	}
	a.Pass, a.ProofDigest = true, common.BytesToHash(crypto.Keccak256(b))
	return a, nil, nil
}

// check fetches and verifies provider's proof; reason says why it fails.
func check(ctx context.Context, fetch Fetch, provider common.Address, epoch uint64, h proof.Header, orders []proof.Order, samples int) ([]byte, error) {
	b, err := fetch(ctx, provider, epoch)
	if err != nil {
		return nil, fmt.Errorf("no answer: %w", err)
	}
	p, err := proof.Decode(b)
	if err != nil {
		return nil, err
	}
	return b, proof.Verify(p, h, orders, samples)
}
