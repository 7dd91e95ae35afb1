package main

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

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
