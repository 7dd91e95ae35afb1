package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
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

func TestParseTestFaults(t *testing.T) {
	f, err := parseProverFaults("0:drop=0.5, 2:replay,2:drop=1")
	if err != nil || len(f) != 2 || f[0].DropFraction != 0.5 || !f[2].Replay || f[2].DropFraction != 1 {
		t.Fatalf("parseProverFaults = %+v, %v", f, err)
	}
	for _, bad := range []string{"x:drop=1", "1", "1:drop=0", "1:drop=2", "1:drop=x", "1:explode", "-1:replay"} {
		if _, err := parseProverFaults(bad); err == nil {
			t.Errorf("parseProverFaults(%q) accepted", bad)
		}
	}
	k, err := parseLyingKeepers("1,3")
	if err != nil || len(k) != 2 || !k[1].Lie || !k[3].Lie {
		t.Fatalf("parseLyingKeepers = %+v, %v", k, err)
	}
	if _, err := parseLyingKeepers("one"); err == nil {
		t.Error("parseLyingKeepers accepted a name")
	}
}

func TestS3LimitFlags(t *testing.T) {
	for _, c := range []struct {
		budget string
		want   int64
	}{{"512MiB", 512 << 20}, {"2GiB", 2 << 30}, {"1048576", 1 << 20}, {"0", -1}} {
		fs := flag.NewFlagSet("gateway", flag.ContinueOnError)
		var f s3Flags
		f.register(fs)
		if err := fs.Parse([]string{"--memory-budget", c.budget, "--rate-limit", "2.5", "--body-timeout", "3s"}); err != nil {
			t.Fatal(err)
		}
		cfg, err := f.config()
		if err != nil || cfg.MemoryBudget != c.want || cfg.RateLimit != 2.5 || cfg.BodyTimeout != 3*time.Second {
			t.Fatalf("--memory-budget %s: %+v, %v; want budget %d, rate 2.5, body timeout 3s", c.budget, cfg, err, c.want)
		}
	}
	fs := flag.NewFlagSet("gateway", flag.ContinueOnError)
	var f s3Flags
	f.register(fs)
	fs.Parse([]string{"--memory-budget", "lots"})
	if _, err := f.config(); err == nil {
		t.Fatal("--memory-budget lots was accepted")
	}
}

func TestSmallObjectFlags(t *testing.T) {
	flags := map[string]func(string) (int, error){
		"--inline-max": func(v string) (int, error) { return (&codingFlags{inline: v}).inlineMax() },
		"--pack-max":   func(v string) (int, error) { return (&codingFlags{pack: v}).packMax() },
	}
	for name, parse := range flags {
		for in, want := range map[string]int{"4KiB": 4096, "0": -1, "100": 100, "1MiB": 1 << 20} {
			got, err := parse(in)
			if err != nil || got != want {
				t.Errorf("%s %s = %d, %v; want %d", name, in, got, err, want)
			}
		}
		for _, in := range []string{"2MiB", "-1", "x"} {
			if _, err := parse(in); err == nil {
				t.Errorf("%s %s accepted", name, in)
			}
		}
	}
}
