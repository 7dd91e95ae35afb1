package node

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	libp2pcrypto "github.com/libp2p/go-libp2p/core/crypto"

	"github.com/mefs-project/mefs/backend/p2p"
	"github.com/mefs-project/mefs/backend/user"
	"github.com/mefs-project/mefs/chain"
)

// registryChain is what registering a role needs of the chain.
type registryChain interface {
	Address() common.Address
	Info(ctx context.Context, account common.Address) (chain.Registration, error)
	Register(ctx context.Context, role chain.Role, nodeKey *ecdsa.PrivateKey, addrs []string, pledge *big.Int) error
	UpdateAddrs(ctx context.Context, nodeKey *ecdsa.PrivateKey, addrs []string) error
	Balance(ctx context.Context, account common.Address) (*big.Int, error)
	Faucet(ctx context.Context) error
}

// ensureRegistered registers the client's account in role with the peer id
// of the libp2p node key (proving it holds the key) and addrs, or refreshes
// them; it draws MEMO from the faucet when the account cannot cover pledge.
func ensureRegistered(ctx context.Context, c registryChain, role chain.Role, key libp2pcrypto.PrivKey, addrs []string, pledge *big.Int, log *slog.Logger) error {
	nodeKey, err := nodeKeyECDSA(key)
	if err != nil {
		return err
	}
	peerID := chain.PeerIDString(chain.PeerIDBytes(&nodeKey.PublicKey))
	info, err := c.Info(ctx, c.Address())
	if err != nil {
		return fmt.Errorf("read registration: %w", err)
	}
	if info.Active {
		if info.Role != role {
			return fmt.Errorf("account %s is registered as %s, not %s", c.Address(), info.Role, role)
		}
		if info.PeerID != peerID || strings.Join(info.Addrs, ",") != strings.Join(addrs, ",") {
			if err := c.UpdateAddrs(ctx, nodeKey, addrs); err != nil {
				return fmt.Errorf("update registered addresses: %w", err)
			}
		}
		return nil
	}
	if pledge != nil && pledge.Sign() > 0 {
		if err := fundFromFaucet(ctx, c, pledge); err != nil {
			return err
		}
	}
	err = c.Register(ctx, role, nodeKey, addrs, pledge)
	if errors.Is(err, chain.ErrTxFailed) {
		// Mined but failed though its estimate passed: the state it depends
		// on (a Keeper set checkpoint across an epoch boundary) changed.
		log.Warn("registration failed at inclusion; trying once more", "role", role, "err", err)
		err = c.Register(ctx, role, nodeKey, addrs, pledge)
	}
	if err != nil {
		return fmt.Errorf("register as %s: %w", role, err)
	}
	log.Info("registered on chain", "role", role, "account", c.Address(), "peer", peerID, "pledge", chain.FormatMEMO(pledge))
	return nil
}

// nodeKeyECDSA is the secp256k1 libp2p node key k as the chain signs with it;
// the Registry cannot check a proof of possession of any other key type.
func nodeKeyECDSA(k libp2pcrypto.PrivKey) (*ecdsa.PrivateKey, error) {
	if k == nil || k.Type() != libp2pcrypto.Secp256k1 {
		return nil, fmt.Errorf("node key is not secp256k1, so the Registry cannot check it (a node.key made before keys were derived from the wallet: move it away to use the derived key; see docs/decisions.md)")
	}
	raw, err := k.Raw()
	if err != nil {
		return nil, fmt.Errorf("node key: %w", err)
	}
	nk, err := crypto.ToECDSA(raw)
	if err != nil {
		return nil, fmt.Errorf("node key: %w", err)
	}
	return nk, nil
}

// fundFromFaucet draws from the token faucet until the account holds want
// (a devnet token's faucet gives 10 MEMO to an account holding less).
func fundFromFaucet(ctx context.Context, c registryChain, want *big.Int) error {
	bal, err := c.Balance(ctx, c.Address())
	if err != nil {
		return fmt.Errorf("read MEMO balance: %w", err)
	}
	if bal.Cmp(want) >= 0 {
		return nil
	}
	if err := c.Faucet(ctx); err != nil {
		return fmt.Errorf("account holds %s MEMO, needs %s, and the faucet refused: %w", chain.FormatMEMO(bal), chain.FormatMEMO(want), err)
	}
	return nil
}

// ParseMEMO parses a decimal MEMO amount ("1.5") into token wei.
func ParseMEMO(s string) (*big.Int, error) {
	r, ok := new(big.Rat).SetString(s)
	if !ok || r.Sign() < 0 {
		return nil, fmt.Errorf("amount %q: want a non-negative decimal number of MEMO", s)
	}
	r.Mul(r, new(big.Rat).SetInt(chain.MEMO(1)))
	if !r.IsInt() {
		return nil, fmt.Errorf("amount %q has more than 18 decimals", s)
	}
	return r.Num(), nil
}

// NodeKeyOf is the libp2p node key derived from a wallet key (nil: none).
func NodeKeyOf(key *ecdsa.PrivateKey) (libp2pcrypto.PrivKey, error) {
	if key == nil {
		return nil, nil
	}
	return p2p.IdentityFromSeed(user.NodeSeedFromWalletKey(key))
}
