package test

// Healing on the devnet: chunks corrupted on a Provider's disk are found by
// reads and by the scrubber, given up and rebuilt on other Providers, with
// the metrics to show it; then two more Providers' chunks are corrupted and
// everything still reads, which it could not had the first loss not been
// repaired.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mefs-project/mefs/backend/provider"
)

// metric reads one unlabelled series from a Prometheus endpoint (0 if absent).
func metric(t *testing.T, url, name string) float64 {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return f
		}
	}
	return 0
}

// corruptChunks flips one byte in the middle of every chunk file under dir
// (not the .owner files) and returns how many it changed.
func corruptChunks(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") {
			return err
		}
		off, size, err := provider.ChunkBytesAt(path)
		if err != nil || size < 32 {
			return nil // not a chunk file, or too small to matter
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		b[off+size/2] ^= 0x5a // in the chunk's bytes
		n++
		return os.WriteFile(path, b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCorruptChunksAreRepaired(t *testing.T) {
	admin := "http://" + freeAddr(t)
	d := startDevnet(t, "", "--providers", "7", "--keepers", "0", "--ec", "4+2", "--admin", strings.TrimPrefix(admin, "http://"),
		"--scrub-rate", "200", "--scrub-interval", "2s")
	s3c := d.client(t)
	mustCreateBucket(t, s3c, "heal")
	objs := map[string][]byte{}
	for i := range 8 {
		k := fmt.Sprintf("obj-%d", i)
		objs[k] = randBytes(1<<20 + i*300<<10)
		putBytes(t, s3c, "heal", k, objs[k])
	}
	n := corruptChunks(t, filepath.Join(d.Dir, "providers", "0", "chunks"))
	if n == 0 {
		t.Fatal("provider 0 holds no chunks")
	}
	ctx := context.Background()
	for k, v := range objs {
		got, err := tryGet(ctx, s3c, "heal", k)
		if err != nil || !bytes.Equal(got, v) {
			t.Fatalf("read %s with provider 0's chunks corrupt: %d bytes, %v", k, len(got), err)
		}
	}
	// Reads meet only the corrupt chunks they ask for; the scrubber (a
	// pass every 2 s here) finds the rest.
	deadline := time.Now().Add(90 * time.Second)
	var lost, repaired float64
	for time.Now().Before(deadline) {
		lost, repaired = metric(t, admin, "mefs_lost_chunks_total"), metric(t, admin, "mefs_repaired_chunks_total")
		if lost >= float64(n) && repaired >= lost {
			break
		}
		time.Sleep(time.Second)
	}
	t.Logf("%d chunk files corrupted; reads and the scrubber found %v lost, repair rebuilt %v", n, lost, repaired)
	if lost < float64(n) || repaired < lost {
		t.Fatalf("after 90 s: %v chunks found lost, %v repaired", lost, repaired)
	}
	// The rebuilt chunks are good, and they restored full redundancy:
	// corrupt two more Providers' chunks (m = 2 further losses) and every
	// object still reads.
	corruptChunks(t, filepath.Join(d.Dir, "providers", "1", "chunks"))
	corruptChunks(t, filepath.Join(d.Dir, "providers", "2", "chunks"))
	for k, v := range objs {
		got, err := tryGet(ctx, s3c, "heal", k)
		if err != nil || !bytes.Equal(got, v) {
			t.Fatalf("read %s after repair: %d bytes, %v", k, len(got), err)
		}
	}
}
