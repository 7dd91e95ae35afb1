package chain

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
)

func TestWallet(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	w := &Wallet{Dir: dir, LightKDF: true}
	if accts, err := w.List(); err != nil || len(accts) != 0 {
		t.Fatalf("empty wallet: %v, %v", accts, err)
	}
	if _, err := w.Find(""); !errors.Is(err, ErrNoAccount) {
		t.Fatalf("Find in empty wallet: %v", err)
	}
	a, err := w.New("pw1")
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(a.Path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v", st.Mode(), err)
	}
	if !strings.HasPrefix(filepath.Base(a.Path), "UTC--") || !strings.HasSuffix(a.Path, strings.ToLower(a.Address.Hex()[2:])) {
		t.Fatalf("key file name %s", a.Path)
	}
	k, got, err := w.Load("", "pw1")
	if err != nil || got.Address != a.Address || crypto.PubkeyToAddress(k.PublicKey) != a.Address {
		t.Fatalf("Load: %v %v", got, err)
	}
	if _, _, err := w.Load("", "wrong"); err == nil {
		t.Fatal("Load with a wrong password succeeded")
	}

	// Import a known key; the wallet then holds two and needs an address.
	dev := DevKey(3)
	hexKey := "0x" + strings.ToUpper(hexOf(crypto.FromECDSA(dev)))
	b, err := w.ImportHex(hexKey, "pw2")
	if err != nil {
		t.Fatal(err)
	}
	if b.Address != crypto.PubkeyToAddress(dev.PublicKey) {
		t.Fatalf("imported address %s", b.Address)
	}
	if _, err := w.Import(dev, "pw3"); !errors.Is(err, ErrAccountExists) {
		t.Fatalf("re-import: %v, want ErrAccountExists", err)
	}
	if _, err := w.Find(""); !errors.Is(err, ErrAmbiguous) {
		t.Fatalf("Find with two accounts: %v", err)
	}
	out, err := w.ExportHex(strings.ToLower(b.Address.Hex()), "pw2")
	if err != nil || out != hexOf(crypto.FromECDSA(dev)) {
		t.Fatalf("export = %s, %v", out, err)
	}
	accts, err := w.List()
	if err != nil || len(accts) != 2 {
		t.Fatalf("list = %v, %v", accts, err)
	}
	if _, err := w.ImportHex("zz", "x"); err == nil {
		t.Fatal("bad hex imported")
	}

	// A fresh Wallet over the same folder reads the same keys (geth-compatible files).
	k2, err := LoadKeyFile(b.Path, "pw2")
	if err != nil || !k2.Equal(dev) {
		t.Fatalf("LoadKeyFile: %v", err)
	}
}

func TestPasswordSource(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "pw")
	if err := os.WriteFile(f, []byte("from-file\nignored\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("MEFS_TEST_PW", "from-env")
	for _, c := range []struct {
		src  PasswordSource
		want string
	}{
		{PasswordSource{File: f, Env: "MEFS_TEST_PW"}, "from-file"},
		{PasswordSource{Env: "MEFS_TEST_PW", Prompt: true}, "from-env"},
		{PasswordSource{Env: "MEFS_TEST_UNSET", Prompt: true, In: strings.NewReader("typed\r\n"), Out: &strings.Builder{}}, "typed"},
		{PasswordSource{Prompt: true, Confirm: true, In: strings.NewReader("a\na\n"), Out: &strings.Builder{}}, "a"},
	} {
		got, err := c.src.Password()
		if err != nil || got != c.want {
			t.Errorf("%+v: %q, %v; want %q", c.src, got, err, c.want)
		}
	}
	if _, err := (PasswordSource{Prompt: true, Confirm: true, In: strings.NewReader("a\nb\n"), Out: &strings.Builder{}}).Password(); !errors.Is(err, ErrPasswordMismatch) {
		t.Errorf("mismatch: %v", err)
	}
	if _, err := (PasswordSource{Env: "MEFS_TEST_UNSET"}).Password(); !errors.Is(err, ErrNoPassword) {
		t.Errorf("no source: %v", err)
	}
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}
