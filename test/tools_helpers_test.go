package test

// Helpers shared by the tests that drive third-party S3 tools (rclone,
// restic, s3cmd, boto3, the aws CLI) against a devnet.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// requireTool fails the test (never skips) if the Debian-packaged tool at
// path is missing.
func requireTool(t testing.TB, path, pkg string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("%s is missing (%v): run `make test`, which installs Debian's %s package (scripts/install-test-deps.sh)", path, err, pkg)
	}
}

// toolEnv returns the environment with HOME set to home and every variable
// that could make a tool read the real user's configuration, or route
// loopback traffic through a proxy, removed; extra is appended.
func toolEnv(home string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		up := strings.ToUpper(name)
		switch {
		case name == "HOME", strings.HasPrefix(up, "XDG_"), strings.HasPrefix(up, "AWS_"),
			strings.HasPrefix(up, "RCLONE_"), strings.HasPrefix(up, "RESTIC_"), strings.HasPrefix(up, "S3CMD"),
			strings.HasPrefix(up, "PYTHON") && up != "PYTHONUNBUFFERED" && up != "PYTHONDONTWRITEBYTECODE",
			strings.HasSuffix(up, "_PROXY"), strings.HasPrefix(up, "BOTO"):
			continue
		}
		env = append(env, kv)
	}
	return append(env, append([]string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache")}, extra...)...)
}

// toolRunner runs one external tool with a fixed environment.
type toolRunner struct {
	t   testing.TB
	bin string
	env []string
	dir string // working directory ("" = the test's)
}

// run runs the tool and returns stdout, stderr and the exit code.
func (r *toolRunner) run(args ...string) (string, string, int) {
	r.t.Helper()
	cmd := exec.Command(r.bin, args...)
	cmd.Env = r.env
	cmd.Dir = r.dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			r.t.Fatalf("%s %v: %v", r.bin, args, err)
		}
		code = ee.ExitCode()
	}
	r.t.Logf("%s %s: exit %d in %v", filepath.Base(r.bin), strings.Join(args, " "), code,
		time.Since(start).Round(time.Millisecond))
	return stdout.String(), stderr.String(), code
}

// ok runs the tool and fails the test unless it exits 0.
func (r *toolRunner) ok(args ...string) string {
	r.t.Helper()
	out, errOut, code := r.run(args...)
	if code != 0 {
		r.t.Fatalf("%s %s: exit %d\nstdout: %s\nstderr: %s", filepath.Base(r.bin), strings.Join(args, " "),
			code, tail(out, 4000), tail(errOut, 4000))
	}
	return out
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// writeTree creates files (relative slash paths) under dir.
func writeTree(t testing.TB, dir string, files map[string][]byte) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// hashTree returns the sha256 of every regular file under dir by its
// relative slash path.
func hashTree(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[filepath.ToSlash(rel)] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// hashFiles is hashTree for an in-memory tree.
func hashFiles(files map[string][]byte) map[string]string {
	out := map[string]string{}
	for name, data := range files {
		sum := sha256.Sum256(data)
		out[name] = hex.EncodeToString(sum[:])
	}
	return out
}

// sameTree fails the test unless got and want (path → sha256) are equal,
// listing the differences.
func sameTree(t testing.TB, what string, got, want map[string]string) {
	t.Helper()
	var diffs []string
	for k, w := range want {
		if g, ok := got[k]; !ok {
			diffs = append(diffs, "missing "+k)
		} else if g != w {
			diffs = append(diffs, "content differs "+k)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, "unexpected "+k)
		}
	}
	if len(diffs) > 0 {
		sort.Strings(diffs)
		if len(diffs) > 30 {
			diffs = append(diffs[:30], "...")
		}
		t.Fatalf("%s: %d of %d files differ:\n%s", what, len(diffs), len(want), strings.Join(diffs, "\n"))
	}
}

// sha256Hex returns the hex sha256 of b.
func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// fileSHA256 returns the sha256 of a file.
func fileSHA256(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// smallTree returns n files of 0..maxSize random bytes in a few nested
// directories, with plain names.
func smallTree(n, maxSize int) map[string][]byte {
	files := map[string][]byte{}
	dirs := []string{"", "a/", "a/b/", "c/", "c/d/e/"}
	for i := range n {
		files[dirs[i%len(dirs)]+"f"+strings.Repeat("x", i%3)+strconv.Itoa(i)+".dat"] = randBytes(rand.IntN(maxSize + 1))
	}
	return files
}
