package test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoPlaintextOnProviders stores objects made of a recognizable canary and
// checks that no file a Provider keeps contains it: chunks are encrypted
// before they leave the gateway; nor does the gateway's metadata, where the
// 1 KiB object lives sealed.
func TestNoPlaintextOnProviders(t *testing.T) {
	d := startDevnet(t, "", "--providers", "6", "--ec", "4+2")
	c := d.client(t)
	mustCreateBucket(t, c, "canary")

	const canary = "MEFS-CANARY-4f1d9c"
	sizes := []int{1 << 10, 3 << 20, 9 << 20}
	for _, size := range sizes {
		data := bytes.Repeat([]byte(canary), size/len(canary)+1)[:size]
		putBytes(t, c, "canary", fmt.Sprintf("canary-%d", size), data)
	}
	// A 64-byte run of the plaintext, which must not appear at any alignment.
	run := bytes.Repeat([]byte(canary), 64/len(canary)+2)
	var runs [][]byte
	for off := range len(canary) {
		runs = append(runs, run[off:off+64])
	}

	root := filepath.Join(d.Dir, "providers")
	chunkFiles := map[string]int{} // provider folder -> chunk files
	var total int64
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if bytes.Contains(b, []byte(canary)) {
			t.Errorf("%s holds the plaintext canary", rel)
		}
		for _, r := range runs {
			if bytes.Contains(b, r) {
				t.Errorf("%s holds a 64-byte run of the plaintext", rel)
				break
			}
		}
		if parts := strings.Split(rel, string(filepath.Separator)); len(parts) > 2 && parts[1] == "chunks" {
			chunkFiles[parts[0]]++
			total += int64(len(b))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Not vacuous: every Provider got chunks, and together they hold at least
	// the objects' bytes (more, with parity).
	var stored int64
	for _, s := range sizes {
		stored += int64(s)
	}
	for i := range 6 {
		if chunkFiles[fmt.Sprint(i)] == 0 {
			t.Errorf("provider %d holds no chunk files (found %v)", i, chunkFiles)
		}
	}
	if total < stored {
		t.Errorf("providers hold %d bytes of chunk files, less than the %d bytes stored", total, stored)
	}
	t.Logf("chunk files per provider: %v, %d bytes in all", chunkFiles, total)

	// Small objects live sealed in the gateway's metadata (and so in its
	// snapshots on Providers): its files hold no plaintext either.
	err = filepath.WalkDir(filepath.Join(d.Dir, "gateway"), func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, r := range append(runs[:1:1], []byte(canary)) {
			if bytes.Contains(b, r) {
				t.Errorf("gateway file %s holds plaintext of an object", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
