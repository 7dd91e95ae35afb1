package node

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLoadCredentialsCreatesOnceAndKeeps(t *testing.T) {
	t.Setenv("MEFS_ACCESS_KEY", "")
	t.Setenv("MEFS_SECRET_KEY", "")
	path := filepath.Join(t.TempDir(), "credentials.json")
	c1, created, err := LoadCredentials(path)
	if err != nil || !created || c1.AccessKey == "" || c1.SecretKey == "" {
		t.Fatalf("first load: %+v created=%v %v", c1, created, err)
	}
	c2, created, err := LoadCredentials(path)
	if err != nil || created || c2 != c1 {
		t.Fatalf("second load: %+v created=%v %v; want the saved %+v", c2, created, err, c1)
	}
	t.Setenv("MEFS_ACCESS_KEY", "AK")
	t.Setenv("MEFS_SECRET_KEY", "SK")
	if c, _, err := LoadCredentials(path); err != nil || c.AccessKey != "AK" || c.SecretKey != "SK" {
		t.Fatalf("environment credentials: %+v, %v", c, err)
	}
}

func TestLoadOrCreateSecretChecksLength(t *testing.T) {
	path := filepath.Join(t.TempDir(), "master.key")
	a, err := LoadOrCreateSecret(path, 32)
	if err != nil || len(a) != 32 {
		t.Fatalf("create: %d bytes, %v", len(a), err)
	}
	b, err := LoadOrCreateSecret(path, 32)
	if err != nil || string(a) != string(b) {
		t.Fatalf("reload gave another secret (%v)", err)
	}
	if _, err := LoadOrCreateSecret(path, 16); err == nil {
		t.Fatal("a 32-byte secret was accepted as 16 bytes")
	}
}

func TestParseMEMO(t *testing.T) {
	for in, ok := range map[string]bool{"1": true, "1.5": true, "0": true, "-1": false, "x": false, "0.0000000000000000001": false} {
		if _, err := ParseMEMO(in); (err == nil) != ok {
			t.Errorf("ParseMEMO(%q): %v, want ok=%v", in, err, ok)
		}
	}
	v, _ := ParseMEMO("1.5")
	if v.String() != "1500000000000000000" {
		t.Fatalf("ParseMEMO(1.5) = %s wei", v)
	}
}

func TestKeyFilesAreMode0600(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "gateway")
	path := filepath.Join(dir, "master.key")
	if _, err := LoadOrCreateSecret(path, 32); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("new key: %v, %v; want mode 0600", fi, err)
	}
	// A key left readable by others (copied in, or from an older release)
	// is tightened when loaded.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateSecret(path, 32); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("loaded key: mode %v, want 0600", fi.Mode().Perm())
	}
}
