package test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const resticBin = "/usr/bin/restic"

// TestToolRestic backs a tree up to a devnet with restic's s3 backend,
// checks the repository reading every pack, restores and compares, and
// prunes.
func TestToolRestic(t *testing.T) {
	requireTool(t, resticBin, "restic")
	d := startDevnet(t, "", "--providers", "6", "--ec", "4+2")
	home := t.TempDir()
	rs := &toolRunner{t: t, bin: resticBin, env: toolEnv(home,
		"RESTIC_REPOSITORY=s3:"+d.Endpoint+"/restic-repo",
		"RESTIC_PASSWORD=correct horse battery staple",
		"RESTIC_CACHE_DIR="+filepath.Join(home, "cache"),
		"AWS_ACCESS_KEY_ID="+d.AccessKey,
		"AWS_SECRET_ACCESS_KEY="+d.SecretKey,
		"AWS_DEFAULT_REGION=us-east-1",
	)}

	src := filepath.Join(t.TempDir(), "data")
	files := smallTree(60, 128<<10)
	files["big/twenty.bin"] = randBytes(20 << 20)
	files["empty"] = nil
	files["odd/spa ce ü.txt"] = []byte("awkward name\n")
	writeTree(t, src, files)

	// init creates the bucket.
	if out := rs.ok("init"); !strings.Contains(out, "created restic repository") {
		t.Fatalf("restic init: %q", out)
	}
	rs.ok("backup", "--host", "test", src)
	rs.ok("check", "--read-data")

	restore := func(what string, files map[string][]byte) {
		t.Helper()
		dst := t.TempDir()
		rs.ok("restore", "latest", "--target", dst)
		// restic restores the backed-up path under the target.
		sameTree(t, "restic restore "+what, hashTree(t, filepath.Join(dst, src)), hashFiles(files))
	}
	restore("of the first snapshot", files)

	// Change, remove and add files; back up again.
	files["a/fx1.dat"] = randBytes(50000)
	delete(files, "c/fxx2.dat")
	os.Remove(filepath.Join(src, "c", "fxx2.dat"))
	files["new/added.bin"] = randBytes(3 << 20)
	writeTree(t, src, map[string][]byte{"a/fx1.dat": files["a/fx1.dat"], "new/added.bin": files["new/added.bin"]})
	rs.ok("backup", "--host", "test", src)
	snapshots := func() int {
		t.Helper()
		var snaps []json.RawMessage
		out := rs.ok("snapshots", "--json")
		if err := json.Unmarshal([]byte(out), &snaps); err != nil {
			t.Fatalf("restic snapshots --json: %q: %v", tail(out, 2000), err)
		}
		return len(snaps)
	}
	if n := snapshots(); n != 2 {
		t.Fatalf("restic snapshots: %d, want 2", n)
	}

	// forget --prune deletes the first snapshot's unreferenced data.
	// The first snapshot's unique blobs sit in small packs with shared
	// ones: prune repacks and deletes at least one pack.
	out := rs.ok("forget", "--keep-last", "1", "--prune")
	if !strings.Contains(out, "1 snapshots have been removed, running prune") || !strings.Contains(out, "old packs") ||
		!strings.HasSuffix(strings.TrimSpace(out), "done") {
		t.Fatalf("restic forget --keep-last 1 --prune removed no packs:\n%s", tail(out, 3000))
	}
	if n := snapshots(); n != 1 {
		t.Fatalf("restic snapshots after forget --keep-last 1: %d, want 1", n)
	}
	rs.ok("check", "--read-data")
	restore("after forget --prune", files)
}
