package test

import (
	"encoding/hex"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/mefs-project/mefs/chain"
)

// TestWalletCLI drives `mefs wallet` against a devnet's chain: keystore
// accounts (new, import, address), and MEMO (faucet, balance, deposit,
// withdraw) with the devnet User's wallet.
func TestWalletCLI(t *testing.T) {
	d := startDevnet(t, "", "--keepers", "0")
	devnetJSON := filepath.Join(d.Dir, "devnet.json")
	info := readDevnetChainInfo(t, d)
	pw := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(pw, []byte("correct horse\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(wantOK bool, args ...string) string {
		t.Helper()
		cmd := exec.Command(mefsBin, append([]string{"wallet"}, args...)...)
		cmd.Env = append(os.Environ(), "MEFS_WALLET_PASSWORD=") // only --password-file counts
		out, err := cmd.CombinedOutput()
		if (err == nil) != wantOK {
			t.Fatalf("mefs wallet %v: err %v (want ok %v)\n%s", args, err, wantOK, out)
		}
		return string(out)
	}
	chainArgs := []string{"--chain", info.RPC, "--contracts", devnetJSON}

	// A new account: a keystore v3 file, the key not in plaintext.
	fresh := filepath.Join(t.TempDir(), "fresh")
	out := run(true, "new", "--wallet", fresh, "--password-file", pw)
	addr := strings.Fields(out)[0]
	files, _ := filepath.Glob(filepath.Join(fresh, "*"))
	if len(files) != 1 {
		t.Fatalf("keystore holds %d files, want 1", len(files))
	}
	ks, _ := os.ReadFile(files[0])
	if !strings.Contains(string(ks), `"crypto"`) || !strings.Contains(strings.ToLower(string(ks)), strings.ToLower(addr[2:])) {
		t.Fatalf("keystore file is not a v3 keystore for %s: %s", addr, ks)
	}
	if got := strings.TrimSpace(run(true, "address", "--wallet", fresh)); got != addr {
		t.Fatalf("address = %q, want %q", got, addr)
	}

	// Import a funded dev key (it has gas, no MEMO): faucet once, not twice.
	key := chain.DevKey(7)
	imported := filepath.Join(t.TempDir(), "imported")
	out = run(true, "import", hex.EncodeToString(crypto.FromECDSA(key)), "--wallet", imported, "--password-file", pw)
	if want := crypto.PubkeyToAddress(key.PublicKey).Hex(); strings.TrimSpace(out) != want {
		t.Fatalf("import printed %q, want %s", out, want)
	}
	if ks, _ := os.ReadFile(mustGlob(t, filepath.Join(imported, "*"))); strings.Contains(string(ks), hex.EncodeToString(crypto.FromECDSA(key))) {
		t.Fatal("the imported key is stored in plaintext")
	}
	faucet := append([]string{"faucet", "--wallet", imported, "--password-file", pw}, chainArgs...)
	if out := run(true, faucet...); !strings.Contains(out, "MEMO: 10") {
		t.Fatalf("faucet: %s", out)
	}
	run(false, faucet...) // already holds 10 MEMO
	if out := run(false, append([]string{"deposit", "1", "--wallet", imported, "--password-file", pw}, chainArgs...)...); !strings.Contains(out, "User") && !strings.Contains(out, "revert") {
		t.Fatalf("deposit by an account that is not a registered User should be refused by the contract: %s", out)
	}

	// The devnet User: deposit and withdraw move free deposit.
	user := []string{"--wallet", filepath.Join(d.Dir, "wallets", "user"), "--password-file", filepath.Join(d.Dir, "wallet-password")}
	bal := run(true, append(append([]string{"balance"}, user...), chainArgs...)...)
	if !strings.Contains(bal, info.User.Account) || !strings.Contains(bal, "MEMO:     5") {
		t.Fatalf("balance of the devnet User (10 MEMO from the faucet, 5 deposited): %s", bal)
	}
	before := depositFree(t, bal)
	out = run(true, append(append([]string{"deposit", "1.5"}, user...), chainArgs...)...)
	if got := depositFree(t, out); got != addMEMO(t, before, "1.5") {
		t.Fatalf("after depositing 1.5: free %s, was %s", got, before)
	}
	out = run(true, append(append([]string{"withdraw", "0.5"}, user...), chainArgs...)...)
	if got := depositFree(t, out); got != addMEMO(t, before, "1") {
		t.Fatalf("after withdrawing 0.5: free %s, was %s", got, before)
	}
	run(false, append(append([]string{"withdraw", "1000"}, user...), chainArgs...)...)
}

func mustGlob(t *testing.T, pattern string) string {
	t.Helper()
	m, _ := filepath.Glob(pattern)
	if len(m) != 1 {
		t.Fatalf("%s matches %d files", pattern, len(m))
	}
	return m[0]
}

// depositFree extracts the free deposit from `wallet balance|deposit|withdraw` output.
func depositFree(t *testing.T, out string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "deposit:"); ok {
			return strings.Fields(rest)[0]
		}
	}
	t.Fatalf("no deposit line in %q", out)
	return ""
}

func addMEMO(t *testing.T, a, b string) string {
	t.Helper()
	x, ok1 := new(bigRat).SetString(a)
	y, ok2 := new(bigRat).SetString(b)
	if !ok1 || !ok2 {
		t.Fatalf("bad amounts %q %q", a, b)
	}
	s := x.Add(x, y).FloatString(18)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

type bigRat = big.Rat
