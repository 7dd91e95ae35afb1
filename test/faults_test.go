package test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// TestProviderKilledBeforeRead SIGKILLs Providers of a 4+2 cluster one at a
// time: objects stay readable, byte for byte and promptly, with up to m=2
// gone; with three gone a GET fails, and never passes off wrong bytes as the
// object. Every stripe buffer the gateway took, on the failed requests too,
// is given back.
func TestProviderKilledBeforeRead(t *testing.T) {
	admin := "http://" + freeAddr(t)
	// --inline-max 0 --pack-max 0: "small" must be a stripe of its own, not inline or packed.
	killProviders(t, startCluster(t, 6, "4+2", "--inline-max", "0", "--pack-max", "0",
		"--admin", strings.TrimPrefix(admin, "http://")), 10*time.Second)
	buffersReturned(t, admin)
}

// buffersReturned checks that the gateway serving metrics at admin, idle
// now, holds none of its stripe buffers (mefs_buffer_bytes in_use drops to
// zero: what reads outlive a GET is given back once they return), and that
// it did use them.
func buffersReturned(t *testing.T, admin string) {
	t.Helper()
	const inUse = `mefs_buffer_bytes{state="in_use"}`
	if mapped := metric(t, admin, `mefs_buffer_bytes{state="mapped"}`); mapped < 6<<20 {
		t.Fatalf("gateway mapped %v bytes of stripe buffers, want at least a full 4+2 stripe's 6 MiB", mapped)
	}
	deadline := time.Now().Add(15 * time.Second)
	for metric(t, admin, inUse) != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("idle gateway still holds %v bytes of stripe buffers: a buffer was never given back", metric(t, admin, inUse))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// killProviders stores objects in c, then kills three of its six Providers in
// turn, checking reads after each; every GET must end within maxGet.
func killProviders(t *testing.T, c *cluster, maxGet time.Duration) {
	cl := c.client(t)
	mustCreateBucket(t, cl, "faults")
	objs := map[string][]byte{"big": randBytes(20 << 20), "small": randBytes(1 << 10)}
	for k, v := range objs {
		putBytes(t, cl, "faults", k, v)
	}
	// A client that hangs up after the first MiB of a GET.
	out, err := cl.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String("faults"), Key: aws.String("big")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(io.Discard, out.Body, 1<<20); err != nil {
		t.Fatal(err)
	}
	out.Body.Close()

	get := func(key string) ([]byte, time.Duration, error) {
		// Past maxGet, give the read a while longer so a slow success is
		// reported as slow rather than as a failure.
		ctx, cancel := context.WithTimeout(context.Background(), maxGet+60*time.Second)
		defer cancel()
		start := time.Now()
		b, err := tryGet(ctx, cl, "faults", key)
		return b, time.Since(start), err
	}

	// Kill providers 0 and 3 in turn (not neighbours, in case placement
	// rotates), reading everything after each.
	for i, victim := range []int{0, 3} {
		c.Providers[victim].kill()
		for _, k := range []string{"small", "big"} {
			want := objs[k]
			got, took, err := get(k)
			if err != nil {
				t.Fatalf("%d provider(s) down: get %s: %v (after %v)", i+1, k, err, took)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%d provider(s) down: get %s: %d bytes back, content differs from the %d stored", i+1, k, len(got), len(want))
			}
			t.Logf("%d provider(s) down: get %s ok in %v", i+1, k, took.Round(time.Millisecond))
		}
		// Writes go on at the write quorum (k+m-1 = 5 chunks a stripe) with
		// one Provider down, and stop, with 503, below it.
		fresh := randBytes(9 << 20)
		_, err := cl.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("faults"),
			Key: aws.String(fmt.Sprintf("written-%d-down", i+1)), Body: bytes.NewReader(fresh)})
		if i == 0 {
			if err != nil {
				t.Fatalf("PUT with one Provider down: %v", err)
			}
			if got := getBytes(t, cl, "faults", "written-1-down", ""); !bytes.Equal(got, fresh) {
				t.Fatal("object written with one Provider down reads back wrong")
			}
		} else if apiCode(err) != "ServiceUnavailable" {
			t.Fatalf("PUT with two Providers down (below the write quorum): %v, want ServiceUnavailable", err)
		}
	}

	// A third is one more than m: the objects are gone.
	c.Providers[5].kill()
	for _, k := range []string{"small", "big"} {
		want := objs[k]
		got, took, err := get(k)
		t.Logf("3 providers down: get %s: %d bytes, err %v, in %v", k, len(got), err, took.Round(time.Millisecond))
		if err == nil && bytes.Equal(got, want) {
			t.Fatalf("3 providers down: get %s returned the whole object; a 4+2 stripe cannot survive losing 3 chunks", k)
		}
		if len(got) >= len(want) {
			t.Fatalf("3 providers down: get %s returned %d bytes (err %v), want an error or a truncated body", k, len(got), err)
		}
		if !bytes.Equal(got, want[:len(got)]) {
			t.Fatalf("3 providers down: get %s returned %d bytes that are not a prefix of the object", k, len(got))
		}
		if took > maxGet {
			t.Errorf("3 providers down: get %s took %v to fail, want at most %v", k, took.Round(time.Millisecond), maxGet)
		}
	}
}

// TestDevnetRestartKeepsData stops a devnet and starts it again in the same
// folder: objects, buckets and credentials survive.
func TestDevnetRestartKeepsData(t *testing.T) {
	dir := t.TempDir()
	d := startDevnet(t, dir, "--providers", "6", "--ec", "4+2")
	c := d.client(t)
	mustCreateBucket(t, c, "keep")
	objs := map[string][]byte{"a/empty": {}, "a/small": randBytes(1000), "b/big": randBytes(9<<20 + 7)}
	for k, v := range objs {
		putBytes(t, c, "keep", k, v)
	}
	d.Proc.stop()
	if d.Proc.cmd.ProcessState == nil || !d.Proc.cmd.ProcessState.Exited() {
		t.Fatalf("devnet did not exit on SIGTERM: %v", d.Proc.cmd.ProcessState)
	}
	if _, err := os.Stat(filepath.Join(dir, "credentials.json")); err != nil {
		t.Fatalf("credentials not saved in the devnet folder: %v", err)
	}

	d2 := startDevnet(t, dir, "--providers", "6", "--ec", "4+2")
	if d2.AccessKey != d.AccessKey || d2.SecretKey != d.SecretKey {
		t.Fatalf("credentials changed on restart: %s/%s -> %s/%s", d.AccessKey, d.SecretKey, d2.AccessKey, d2.SecretKey)
	}
	c2 := d2.client(t)
	ctx := context.Background()
	if _, err := c2.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("keep")}); err != nil {
		t.Fatalf("bucket lost on restart: %v", err)
	}
	listed := listKeys(t, c2, "keep", "")
	if len(listed) != len(objs) {
		t.Fatalf("listed %v after restart, want %d objects", listed, len(objs))
	}
	for k, v := range objs {
		if size, ok := listed[k]; !ok || size != int64(len(v)) {
			t.Fatalf("after restart %s listed with size %d (present %v), want %d", k, size, ok, len(v))
		}
		if got := getBytes(t, c2, "keep", k, ""); !bytes.Equal(got, v) {
			t.Fatalf("after restart %s: %d bytes back, content differs", k, len(got))
		}
	}
	// The restarted devnet takes writes and deletes as before.
	putBytes(t, c2, "keep", "c/new", []byte("after restart"))
	if _, err := c2.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("keep"), Key: aws.String("a/small")}); err != nil {
		t.Fatal(err)
	}
	_, err := c2.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("keep"), Key: aws.String("a/small")})
	var nsk *types.NoSuchKey
	if !errors.As(err, &nsk) {
		t.Fatalf("get after delete: %v, want NoSuchKey", err)
	}
	if got := getBytes(t, c2, "keep", "c/new", ""); string(got) != "after restart" {
		t.Fatalf("c/new: %q", got)
	}
}
