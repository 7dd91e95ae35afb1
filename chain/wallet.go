package chain

// Invariants:
//   - Keys exist on disk only as go-ethereum keystore v3 files (scrypt + AES-128-CTR),
//     mode 0600 in a 0700 folder, named UTC--<time>--<address> like geth's, so geth and
//     other wallets can read them and vice versa.
//   - A key file is written to a temporary name and renamed: a crash never leaves a
//     truncated key behind. An address is never stored twice.
//   - Passwords are never logged; a PasswordSource reads a file, an environment
//     variable or the terminal, in that order of preference.

import (
	"bufio"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/google/uuid"
	"golang.org/x/term"
)

// Wallet errors.
var (
	ErrNoAccount        = errors.New("chain: wallet: no such account")
	ErrAmbiguous        = errors.New("chain: wallet: several accounts; name one by address")
	ErrAccountExists    = errors.New("chain: wallet: account already exists")
	ErrNoPassword       = errors.New("chain: wallet: no password source (file, environment or terminal)")
	ErrPasswordMismatch = errors.New("chain: wallet: passwords do not match")
)

// Wallet is a folder of keystore v3 key files (the library part of `mefs wallet`).
type Wallet struct {
	Dir string
	// LightKDF uses cheap scrypt parameters (tests, devnets); default is geth's
	// standard (N = 2^18, ~1 s and 256 MiB per encryption or decryption).
	LightKDF bool
}

// WalletAccount is one key file of a Wallet.
type WalletAccount struct {
	Address common.Address
	Path    string
}

// OpenWallet returns the wallet in dir (created on first write).
func OpenWallet(dir string) *Wallet { return &Wallet{Dir: dir} }

func (w *Wallet) scrypt() (n, p int) {
	if w.LightKDF {
		return keystore.LightScryptN, keystore.LightScryptP
	}
	return keystore.StandardScryptN, keystore.StandardScryptP
}

// New creates a fresh random key encrypted with password.
func (w *Wallet) New(password string) (WalletAccount, error) {
	k, err := crypto.GenerateKey()
	if err != nil {
		return WalletAccount{}, fmt.Errorf("chain: wallet: generate key: %w", err)
	}
	return w.Import(k, password)
}

// ImportHex imports a hex-encoded secp256k1 private key (with or without 0x).
func (w *Wallet) ImportHex(hexKey, password string) (WalletAccount, error) {
	k, err := crypto.HexToECDSA(strings.TrimPrefix(strings.TrimSpace(hexKey), "0x"))
	if err != nil {
		return WalletAccount{}, fmt.Errorf("chain: wallet: parse private key: %w", err)
	}
	return w.Import(k, password)
}

// Import stores key encrypted with password.
func (w *Wallet) Import(key *ecdsa.PrivateKey, password string) (WalletAccount, error) {
	addr := crypto.PubkeyToAddress(key.PublicKey)
	if _, err := w.Find(addr.Hex()); err == nil {
		return WalletAccount{}, fmt.Errorf("%w: %s", ErrAccountExists, addr)
	} else if !errors.Is(err, ErrNoAccount) {
		return WalletAccount{}, err
	}
	id, err := uuid.NewRandom()
	if err != nil {
		return WalletAccount{}, fmt.Errorf("chain: wallet: key id: %w", err)
	}
	n, p := w.scrypt()
	data, err := keystore.EncryptKey(&keystore.Key{Id: id, Address: addr, PrivateKey: key}, password, n, p)
	if err != nil {
		return WalletAccount{}, fmt.Errorf("chain: wallet: encrypt key: %w", err)
	}
	_, statErr := os.Stat(w.Dir)
	created := errors.Is(statErr, fs.ErrNotExist)
	if err := os.MkdirAll(w.Dir, 0o700); err != nil {
		return WalletAccount{}, fmt.Errorf("chain: wallet: create %s: %w", w.Dir, err)
	}
	name := fmt.Sprintf("UTC--%s--%s", time.Now().UTC().Format("2006-01-02T15-04-05.000000000Z"), hex.EncodeToString(addr[:]))
	path := filepath.Join(w.Dir, name)
	tmp, err := os.CreateTemp(w.Dir, ".tmp-"+name+"-*")
	if err != nil {
		return WalletAccount{}, fmt.Errorf("chain: wallet: write key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return WalletAccount{}, fmt.Errorf("chain: wallet: write key: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return WalletAccount{}, fmt.Errorf("chain: wallet: sync key: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return WalletAccount{}, fmt.Errorf("chain: wallet: write key: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return WalletAccount{}, fmt.Errorf("chain: wallet: chmod key: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return WalletAccount{}, fmt.Errorf("chain: wallet: store key: %w", err)
	}
	// The key's name in its folder, and a new folder's in its parent, must
	// survive a crash too.
	if err := syncDir(w.Dir); err != nil {
		return WalletAccount{}, fmt.Errorf("chain: wallet: store key %s: %w", path, err)
	}
	if created {
		if err := syncDir(filepath.Dir(filepath.Clean(w.Dir))); err != nil {
			return WalletAccount{}, fmt.Errorf("chain: wallet: store key %s: %w", path, err)
		}
	}
	return WalletAccount{Address: addr, Path: path}, nil
}

// List returns the wallet's accounts sorted by address (an absent folder is empty).
func (w *Wallet) List() ([]WalletAccount, error) {
	entries, err := os.ReadDir(w.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("chain: wallet: list %s: %w", w.Dir, err)
	}
	var out []WalletAccount
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		path := filepath.Join(w.Dir, e.Name())
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("chain: wallet: read %s: %w", path, err)
		}
		var head struct {
			Address string `json:"address"`
		}
		if json.Unmarshal(data, &head) != nil || !common.IsHexAddress(head.Address) {
			continue // not a key file
		}
		out = append(out, WalletAccount{Address: common.HexToAddress(head.Address), Path: path})
	}
	slices.SortFunc(out, func(a, b WalletAccount) int { return a.Address.Cmp(b.Address) })
	return out, nil
}

// Find returns the account with address addr ("" means the wallet's only account).
func (w *Wallet) Find(addr string) (WalletAccount, error) {
	accts, err := w.List()
	if err != nil {
		return WalletAccount{}, err
	}
	if addr == "" {
		switch len(accts) {
		case 0:
			return WalletAccount{}, fmt.Errorf("%w in %s", ErrNoAccount, w.Dir)
		case 1:
			return accts[0], nil
		}
		return WalletAccount{}, fmt.Errorf("%w (%d in %s)", ErrAmbiguous, len(accts), w.Dir)
	}
	if !common.IsHexAddress(addr) {
		return WalletAccount{}, fmt.Errorf("chain: wallet: %q is not an address", addr)
	}
	want := common.HexToAddress(addr)
	for _, a := range accts {
		if a.Address == want {
			return a, nil
		}
	}
	return WalletAccount{}, fmt.Errorf("%w: %s in %s", ErrNoAccount, want, w.Dir)
}

// Load decrypts the key of addr ("" = the only account) with password.
func (w *Wallet) Load(addr, password string) (*ecdsa.PrivateKey, WalletAccount, error) {
	a, err := w.Find(addr)
	if err != nil {
		return nil, WalletAccount{}, err
	}
	k, err := LoadKeyFile(a.Path, password)
	if err != nil {
		return nil, WalletAccount{}, err
	}
	return k, a, nil
}

// ExportHex decrypts the key of addr and returns it hex-encoded (no 0x).
func (w *Wallet) ExportHex(addr, password string) (string, error) {
	k, _, err := w.Load(addr, password)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(crypto.FromECDSA(k)), nil
}

// LoadKeyFile decrypts one keystore v3 file.
func LoadKeyFile(path, password string) (*ecdsa.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("chain: wallet: read key: %w", err)
	}
	k, err := keystore.DecryptKey(data, password)
	if err != nil {
		return nil, fmt.Errorf("chain: wallet: decrypt %s: %w", filepath.Base(path), err)
	}
	return k.PrivateKey, nil
}

// PasswordSource says where a wallet password comes from; the first configured of
// File, Env and Prompt wins.
type PasswordSource struct {
	File    string // a file whose first line is the password
	Env     string // an environment variable holding it, e.g. MEFS_WALLET_PASSWORD
	Prompt  bool   // ask on the terminal (stdin), echo off
	Confirm bool   // when prompting, ask twice (new keys)
	// In and Out replace stdin / stderr for prompting (tests).
	In  io.Reader
	Out io.Writer
}

// Password returns the password from the first configured source.
func (s PasswordSource) Password() (string, error) {
	if s.File != "" {
		data, err := os.ReadFile(s.File)
		if err != nil {
			return "", fmt.Errorf("chain: wallet: password file: %w", err)
		}
		line, _, _ := strings.Cut(string(data), "\n")
		return strings.TrimRight(line, "\r"), nil
	}
	if s.Env != "" {
		if v, ok := os.LookupEnv(s.Env); ok {
			return v, nil
		}
	}
	if !s.Prompt {
		return "", ErrNoPassword
	}
	var rd *bufio.Reader // shared, so a confirmation reads the next line
	p, err := s.prompt("Password: ", &rd)
	if err != nil || !s.Confirm {
		return p, err
	}
	again, err := s.prompt("Repeat password: ", &rd)
	if err != nil {
		return "", err
	}
	if again != p {
		return "", ErrPasswordMismatch
	}
	return p, nil
}

func (s PasswordSource) prompt(label string, rd **bufio.Reader) (string, error) {
	out := s.Out
	if out == nil {
		out = os.Stderr
	}
	fmt.Fprint(out, label)
	defer fmt.Fprintln(out)
	if s.In == nil && term.IsTerminal(int(os.Stdin.Fd())) {
		b, err := term.ReadPassword(int(os.Stdin.Fd()))
		if err != nil {
			return "", fmt.Errorf("chain: wallet: read password: %w", err)
		}
		return string(b), nil
	}
	if *rd == nil {
		in := s.In
		if in == nil {
			in = os.Stdin
		}
		*rd = bufio.NewReader(in)
	}
	line, err := (*rd).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", fmt.Errorf("chain: wallet: read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// syncDir fsyncs folder dir, making the names in it durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
