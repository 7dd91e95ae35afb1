package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"os"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"golang.org/x/crypto/hkdf"

	"github.com/mefs-project/mefs/chain"
)

// chainFlags select the settlement chain, the deployment and the wallet
// key a role signs with.
type chainFlags struct {
	URL          string
	Contracts    string // token,registry,settlement
	WalletDir    string
	Account      string
	PasswordFile string
}

func (f *chainFlags) register(fs *flag.FlagSet, walletDir string) {
	fs.StringVar(&f.URL, "chain", "", "EVM JSON-RPC endpoint (http://, ws://); empty: run without settlement")
	fs.StringVar(&f.Contracts, "contracts", "", "deployment: token,registry,settlement addresses, or a devnet.json file")
	fs.StringVar(&f.WalletDir, "wallet", walletDir, "keystore folder of the account to sign with (default DIR/wallet)")
	fs.StringVar(&f.Account, "account", "", "account to use from the keystore (default: the only one)")
	fs.StringVar(&f.PasswordFile, "password-file", "", "file holding the keystore password (else $MEFS_WALLET_PASSWORD, else a prompt)")
}

func (f *chainFlags) enabled() bool { return f.URL != "" }

func (f *chainFlags) password(confirm bool) (string, error) {
	return chain.PasswordSource{File: f.PasswordFile, Env: "MEFS_WALLET_PASSWORD", Prompt: isTerminal(), Confirm: confirm}.Password()
}

func isTerminal() bool {
	fi, err := os.Stdin.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// key loads the account's key from the keystore, creating an account when
// the keystore is empty and create is set.
func (f *chainFlags) key(create bool) (*ecdsa.PrivateKey, error) {
	w := chain.OpenWallet(f.WalletDir)
	accts, err := w.List()
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	pw, err := f.password(len(accts) == 0)
	if err != nil {
		return nil, err
	}
	if len(accts) == 0 {
		if !create {
			return nil, fmt.Errorf("no account in keystore %s: run mefs wallet new", f.WalletDir)
		}
		a, err := w.New(pw)
		if err != nil {
			return nil, err
		}
		slog.Info("created wallet account", "address", a.Address, "keystore", a.Path)
		accts = append(accts, a)
	}
	addr := f.Account
	if addr == "" {
		if len(accts) > 1 {
			return nil, fmt.Errorf("keystore %s holds %d accounts: choose one with --account", f.WalletDir, len(accts))
		}
		addr = accts[0].Address.Hex()
	}
	k, _, err := w.Load(addr, pw)
	return k, err
}

// deployment parses --contracts.
func (f *chainFlags) deployment() (chain.Contracts, error) {
	var c chain.Contracts
	if f.Contracts == "" {
		return c, errors.New("--contracts is required with --chain")
	}
	if strings.HasSuffix(f.Contracts, ".json") {
		b, err := os.ReadFile(f.Contracts)
		if err != nil {
			return c, fmt.Errorf("read deployment: %w", err)
		}
		var info struct {
			Contracts chain.Contracts `json:"contracts"`
		}
		if err := json.Unmarshal(b, &info); err != nil || info.Contracts.IsZero() {
			return c, fmt.Errorf("%s holds no contracts", f.Contracts)
		}
		return info.Contracts, nil
	}
	parts := strings.Split(f.Contracts, ",")
	if len(parts) != 3 {
		return c, fmt.Errorf("--contracts %q: want token,registry,settlement", f.Contracts)
	}
	for i, p := range parts {
		if !common.IsHexAddress(strings.TrimSpace(p)) {
			return c, fmt.Errorf("--contracts: %q is not an address", p)
		}
		a := common.HexToAddress(strings.TrimSpace(p))
		switch i {
		case 0:
			c.Token = a
		case 1:
			c.Registry = a
		case 2:
			c.Settlement = a
		}
	}
	return c, nil
}

// dial connects to the chain with the wallet key (creating one if asked).
func (f *chainFlags) dial(ctx context.Context, create bool, log *slog.Logger) (chain.Client, *ecdsa.PrivateKey, error) {
	ct, err := f.deployment()
	if err != nil {
		return nil, nil, err
	}
	key, err := f.key(create)
	if err != nil {
		return nil, nil, err
	}
	c, err := chain.Dial(ctx, f.URL, key, chain.Options{
		Contracts: ct,
		Logger:    log,
		Retry:     chain.RetryPolicy{Attempts: 5, Initial: 200 * time.Millisecond, Max: 5 * time.Second},
	})
	if err != nil {
		return nil, nil, err
	}
	return c, key, nil
}

// masterFromKey derives the gateway's object-key master secret from the
// User's wallet key, so the wallet alone can decrypt the User's data.
func masterFromKey(key *ecdsa.PrivateKey) []byte {
	r := hkdf.New(sha256.New, crypto.FromECDSA(key), nil, []byte("mefs/gateway/master/v1"))
	out := make([]byte, 32)
	if _, err := io.ReadFull(r, out); err != nil {
		panic(fmt.Sprintf("hkdf: %v", err))
	}
	return out
}

// ensureRegistered registers the client's account in role with peer id
// and addrs, or refreshes its addrs; it draws MEMO from the faucet when the
// account cannot cover pledge.
func ensureRegistered(ctx context.Context, c chain.Client, role chain.Role, peerID string, addrs []string, pledge *big.Int, log *slog.Logger) error {
	info, err := c.Info(ctx, c.Address())
	if err != nil {
		return fmt.Errorf("read registration: %w", err)
	}
	if info.Active {
		if info.Role != role {
			return fmt.Errorf("account %s is registered as %s, not %s", c.Address(), info.Role, role)
		}
		if info.PeerID != peerID || strings.Join(info.Addrs, ",") != strings.Join(addrs, ",") {
			if err := c.UpdateAddrs(ctx, peerID, addrs); err != nil {
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
	if err := c.Register(ctx, role, peerID, addrs, pledge); err != nil {
		return fmt.Errorf("register as %s: %w", role, err)
	}
	log.Info("registered on chain", "role", role, "account", c.Address(), "peer", peerID, "pledge", chain.FormatMEMO(pledge))
	return nil
}

// fundFromFaucet draws from the token faucet until the account holds want
// (a devnet token's faucet gives 10 MEMO to an account holding less).
func fundFromFaucet(ctx context.Context, c chain.Client, want *big.Int) error {
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

// parseMEMO parses a decimal MEMO amount ("1.5").
func parseMEMO(s string) (*big.Int, error) {
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

func chainAddress(key *ecdsa.PrivateKey) common.Address { return crypto.PubkeyToAddress(key.PublicKey) }
