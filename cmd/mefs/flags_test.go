package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// TestFlagPrecedence: flags > MEFS_* environment > YAML config > defaults.
func TestFlagPrecedence(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "mefs.yaml")
	if err := os.WriteFile(cfg, []byte("s3: 127.0.0.1:7000\nec: 6+3\nlog-level: debug\nproviders: [a, b]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("MEFS_EC", "8+4")
	fs := flag.NewFlagSet("gateway", flag.ContinueOnError)
	s3 := fs.String("s3", "127.0.0.1:9000", "")
	ec := fs.String("ec", "4+2", "")
	level := fs.String("log-level", "info", "")
	dir := fs.String("dir", "d", "")
	var providers listFlag
	fs.Var(&providers, "providers", "")
	if err := parseFlags(fs, []string{"--config", cfg, "--log-level", "warn"}); err != nil {
		t.Fatal(err)
	}
	if *s3 != "127.0.0.1:7000" || *ec != "8+4" || *level != "warn" || *dir != "d" || len(providers) != 2 {
		t.Fatalf("s3 %q ec %q level %q dir %q providers %v; want config, env, flag, default, config", *s3, *ec, *level, *dir, providers)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("no-such-flag: 1\n"), 0o600)
	fs2 := flag.NewFlagSet("gateway", flag.ContinueOnError)
	fs2.String("s3", "", "")
	if err := parseFlags(fs2, []string{"--config", bad}); err == nil {
		t.Fatal("a config naming an unknown setting was accepted")
	}
}
