// Package keeper is the MEFS Keeper role. A Keeper is registered on chain
// with a pledge and its libp2p identity; challenging Providers each epoch,
// verifying their proofs and signing attestations are the verification
// layer's work, which will live here.
package keeper

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/host"

	"github.com/mefs-project/mefs/chain"
)

// Chain is what a Keeper needs of the chain.
type Chain interface {
	// Address is the Keeper's account.
	Address() common.Address
	// Info reads account's registration.
	Info(ctx context.Context, account common.Address) (chain.Registration, error)
}

// Keeper is a running Keeper on a libp2p host.
type Keeper struct {
	Host  host.Host
	Chain Chain
	Log   *slog.Logger
}

// Registration reads the Keeper's registration (role, pledge, addresses)
// from chain.
func (k *Keeper) Registration(ctx context.Context) (chain.Registration, error) {
	r, err := k.Chain.Info(ctx, k.Chain.Address())
	if err != nil {
		return r, fmt.Errorf("keeper %s: read registration: %w", k.Chain.Address(), err)
	}
	return r, nil
}
