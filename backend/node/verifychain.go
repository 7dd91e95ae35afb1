package node

// verifyChain adapts a chain.Client to what proving and judging read:
// challenge headers, a Provider's on-chain orders and an epoch's Keepers.
//
// Invariants:
//   - Headers name the client's chain id and Settlement contract, so a
//     proof built or checked here is bound to this deployment.
//   - An epoch's Keeper set is fixed before the epoch starts (Registry), so
//     it is cached per epoch; the cache keeps a few epochs only.

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/proof"
	"github.com/mefs-project/mefs/chain"
	"github.com/mefs-project/mefs/erasure"
)

type verifyChain struct {
	chain.Client

	keepers epochCache[[]chain.Node]
	sets    epochCache[[]common.Address]

	mu      sync.Mutex
	blsKeys map[common.Address]chain.BLSPublicKey // fixed per account forever (Registry)
}

// verifyAttestation checks sig as signer's BLS signature over a, with the
// signer's registered key (read once).
func (c *verifyChain) verifyAttestation(signer common.Address, a chain.Attestation, sig []byte) error {
	c.mu.Lock()
	pk, ok := c.blsKeys[signer]
	c.mu.Unlock()
	if !ok {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var err error
		if pk, err = c.BLSKeyOf(ctx, signer); err != nil {
			return err
		}
		c.mu.Lock()
		if c.blsKeys == nil {
			c.blsKeys = map[common.Address]chain.BLSPublicKey{}
		}
		c.blsKeys[signer] = pk
		c.mu.Unlock()
	}
	if !chain.VerifyAttestation(pk, c.ChainID(), c.Contracts().Settlement, a, sig) {
		return fmt.Errorf("bad BLS signature by %s", signer)
	}
	return nil
}

// ChallengeHeader is provider's challenge of epoch (keeper.JudgeChain).
func (c *verifyChain) ChallengeHeader(ctx context.Context, provider common.Address, epoch uint64) (proof.Header, error) {
	seed, err := c.EpochSeed(ctx, provider, epoch)
	if err != nil {
		return proof.Header{}, fmt.Errorf("seed of %s at %d: %w", provider, epoch, err)
	}
	return proof.Header{ChainID: c.ChainID().Uint64(), Settlement: c.Contracts().Settlement, Provider: provider, Epoch: epoch, Seed: seed}, nil
}

// Orders are provider's on-chain orders (keeper.JudgeChain).
func (c *verifyChain) Orders(ctx context.Context, provider common.Address) ([]proof.Order, error) {
	users, err := c.OrdersOf(ctx, provider)
	if err != nil {
		return nil, fmt.Errorf("orders of %s: %w", provider, err)
	}
	out := make([]proof.Order, 0, len(users))
	for _, u := range users {
		o, err := c.Order(ctx, u, provider)
		if err != nil {
			return nil, fmt.Errorf("order of %s at %s: %w", u, provider, err)
		}
		out = append(out, proof.Order{User: u, Root: erasure.Root(o.Root), Size: o.Size})
	}
	return out, nil
}

// KeepersAt is epoch's Keeper set, cached.
func (c *verifyChain) KeepersAt(ctx context.Context, epoch uint64) ([]chain.Node, error) {
	return c.keepers.get(ctx, epoch, c.Client.KeepersAt)
}

// KeeperSetAt is every member of epoch's Keeper set, cached.
func (c *verifyChain) KeeperSetAt(ctx context.Context, epoch uint64) ([]common.Address, error) {
	return c.sets.get(ctx, epoch, c.Client.KeeperSetAt)
}

// epochCache keeps what was read of a few epochs (an epoch's Keeper set is
// fixed once the epoch began). Its zero value is ready.
type epochCache[T any] struct {
	mu sync.Mutex
	m  map[uint64]T
}

func (c *epochCache[T]) get(ctx context.Context, epoch uint64, read func(context.Context, uint64) (T, error)) (T, error) {
	c.mu.Lock()
	v, ok := c.m[epoch]
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := read(ctx, epoch)
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) > 8 {
		c.m = map[uint64]T{}
	}
	c.m[epoch] = v
	return v, nil
}

// proverChain is provider.ProverChain for the client's own account.
type proverChain struct{ *verifyChain }

func (c proverChain) ChallengeHeader(ctx context.Context, epoch uint64) (proof.Header, error) {
	return c.verifyChain.ChallengeHeader(ctx, c.Address(), epoch)
}

func (c proverChain) Orders(ctx context.Context) ([]proof.Order, error) {
	return c.verifyChain.Orders(ctx, c.Address())
}

// IsKeeper reports whether peer p is a registered Keeper of epoch.
func (c proverChain) IsKeeper(ctx context.Context, p peer.ID, epoch uint64) (bool, error) {
	ks, err := c.KeepersAt(ctx, epoch)
	if err != nil {
		return false, err
	}
	for _, k := range ks {
		if k.PeerID == p.String() {
			return true, nil
		}
	}
	return false, nil
}
