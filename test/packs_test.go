package test

// Packed small objects end to end: six `mefs provider` processes and a
// gateway compacting every half second. Concurrent small PUTs share packs;
// whole and ranged GETs read each back; overwrites and deletes leave packs
// sparse; a SIGKILL of the gateway while it compacts loses nothing;
// compaction moves the live objects, the old packs' chunks leave the
// Providers' disks, and the moved objects read with m Providers down.

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	mrand "math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func TestPackedObjectsEndToEnd(t *testing.T) {
	admin := freeAddr(t)
	c := startCluster(t, 6, "4+2", "--compact-interval", "500ms", "--admin", admin)
	cl := c.client(t)
	mustCreateBucket(t, cl, "packs")
	rng := mrand.New(mrand.NewPCG(11, 7))
	objs := map[string][]byte{}
	for i := range 48 {
		objs[fmt.Sprintf("p%02d", i)] = randBytes(5<<10 + rng.IntN(120<<10))
	}
	putAll(t, cl, objs)
	sealed, packed := metric(t, "http://"+admin, "mefs_packs_sealed_total"), metric(t, "http://"+admin, "mefs_packed_objects_total")
	if packed != 48 || sealed < 1 || sealed > 24 {
		t.Fatalf("48 concurrent small PUTs: %v packed in %v packs; want all 48, at least two to a pack", packed, sealed)
	}
	if n := countChunks(t, c); n != 6*int(sealed) {
		t.Fatalf("%v packs left %d chunk files on the Providers, want %v (k+m each)", sealed, n, 6*sealed)
	}
	checkPacked(t, cl, objs, rng)

	// Overwrite 8 (into new packs) and delete 28: most packs turn sparse.
	over := map[string][]byte{}
	for i := range 8 {
		over[fmt.Sprintf("p%02d", i)] = randBytes(7<<10 + rng.IntN(60<<10))
	}
	putAll(t, cl, over)
	for k, v := range over {
		objs[k] = v
	}
	for i := 20; i < 48; i++ {
		k := fmt.Sprintf("p%02d", i)
		if _, err := cl.DeleteObject(context.Background(), &s3.DeleteObjectInput{Bucket: aws.String("packs"), Key: aws.String(k)}); err != nil {
			t.Fatalf("delete %s: %v", k, err)
		}
		delete(objs, k)
	}
	chunksBefore := countChunks(t, c)

	// SIGKILL the gateway somewhere in its first compactions; the next one
	// finds every object whole.
	after := time.Duration(mrand.IntN(1200)) * time.Millisecond
	time.Sleep(after)
	c.Gateway.kill()
	t.Logf("gateway SIGKILLed %v after the deletes", after)
	c.startGateway(t)
	checkPacked(t, cl, objs, rng)

	// Compaction moves the live objects out; the old packs' chunks go.
	deadline := time.Now().Add(90 * time.Second)
	for countChunks(t, c) >= chunksBefore {
		if time.Now().After(deadline) {
			t.Fatalf("chunk files stayed at %d (before compaction %d) for 90 s", countChunks(t, c), chunksBefore)
		}
		time.Sleep(500 * time.Millisecond)
	}
	// More deletes: this gateway compacts too, and says so.
	for i := 8; i < 18; i++ {
		k := fmt.Sprintf("p%02d", i)
		if _, err := cl.DeleteObject(context.Background(), &s3.DeleteObjectInput{Bucket: aws.String("packs"), Key: aws.String(k)}); err != nil {
			t.Fatalf("delete %s: %v", k, err)
		}
		delete(objs, k)
	}
	deadline = time.Now().Add(90 * time.Second)
	for metric(t, "http://"+admin, "mefs_repacked_objects_total") == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no object repacked within 90 s of deleting most of the packs' objects")
		}
		time.Sleep(200 * time.Millisecond)
	}
	checkPacked(t, cl, objs, rng)
	for _, i := range []int{0, 3} { // m = 2 Providers down
		c.Providers[i].kill()
	}
	checkPacked(t, cl, objs, rng)
	t.Logf("%v packs for 48 objects; %d chunk files before compaction, %d after; %d objects left", sealed, chunksBefore, countChunks(t, c), len(objs))
}

// putAll PUTs objs into bucket packs concurrently.
func putAll(t *testing.T, cl *s3.Client, objs map[string][]byte) {
	t.Helper()
	var wg sync.WaitGroup
	for k, v := range objs {
		wg.Go(func() {
			if err := tryPut(context.Background(), cl, "packs", k, v); err != nil {
				t.Errorf("put %s: %v", k, err)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
}

// checkPacked reads every object of objs whole and one random range of it,
// and checks the bucket lists exactly objs; a range past the end is 416.
func checkPacked(t *testing.T, cl *s3.Client, objs map[string][]byte, rng *mrand.Rand) {
	t.Helper()
	ctx := context.Background()
	for k, v := range objs {
		if got, err := tryGet(ctx, cl, "packs", k); err != nil || !bytes.Equal(got, v) {
			t.Fatalf("get %s: %d bytes of %d, %v", k, len(got), len(v), err)
		}
		lo := rng.IntN(len(v))
		hi := lo + rng.IntN(len(v)-lo)
		if got := getBytes(t, cl, "packs", k, fmt.Sprintf("bytes=%d-%d", lo, hi)); !bytes.Equal(got, v[lo:hi+1]) {
			t.Fatalf("get %s bytes %d-%d: %d bytes, content differs", k, lo, hi, len(got))
		}
		_, err := cl.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("packs"), Key: aws.String(k), Range: aws.String(fmt.Sprintf("bytes=%d-", len(v)))})
		if apiCode(err) != "InvalidRange" {
			t.Fatalf("get %s past its end: %v, want InvalidRange", k, err)
		}
	}
	listed := listKeys(t, cl, "packs", "")
	for k, v := range objs {
		if listed[k] != int64(len(v)) {
			t.Fatalf("%s listed with %d bytes, want %d", k, listed[k], len(v))
		}
	}
	if len(listed) != len(objs) {
		t.Fatalf("bucket lists %d objects, want %d", len(listed), len(objs))
	}
}

// countChunks counts the chunk files on c's Providers' disks.
func countChunks(t *testing.T, c *cluster) int {
	t.Helper()
	n := 0
	for i := range c.Providers {
		root := filepath.Join(c.Dir, "provider"+strconv.Itoa(i), "chunks")
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
				n++
			}
			return nil
		})
		if err != nil {
			t.Fatalf("count chunks of provider %d: %v", i, err)
		}
	}
	return n
}
