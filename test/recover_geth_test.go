package test

// Disaster recovery against a real EVM node: a gateway whose whole folder is
// lost comes back from its wallet alone — `mefs gateway recover` reads the
// metadata root the gateway recorded on chain, fetches the snapshot from the
// Providers, and serves every bucket and object byte-identical, with the
// same S3 credentials.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mefs-project/mefs/backend/user"
)

func TestGatewayRecoversFromWalletAlone(t *testing.T) {
	g := startGethNetwork(t, 6)
	ctx := context.Background()
	gwDir := filepath.Join(g.Dir, "gateway")
	s3Addr := freeAddr(t)
	ak, sk := "recoverkey", "recoversecret0123456789"
	gwArgs := func(dir, addr string) []string {
		return append([]string{"gateway", "--dir", dir, "--s3", addr, "--ec", "4+2", "--order-interval", "1s", "--meta-backup", "1s"},
			g.chainArgs(g.UserWallet)...)
	}
	gw := start(t, g.Dir, "gateway", []string{"MEFS_ACCESS_KEY=" + ak, "MEFS_SECRET_KEY=" + sk}, gwArgs(gwDir, s3Addr)...)
	waitListening(t, gw, s3Addr)
	c := s3Client(t, "http://"+s3Addr, ak, sk)

	// Buckets, objects (one multi-stripe, one empty), a versioned key.
	objs := map[string][]byte{}
	for _, b := range []string{"photos", "docs"} {
		mustCreateBucket(t, c, b)
	}
	for i, size := range []int{0, 1000, 3 << 20, 9<<20 + 123} {
		k := fmt.Sprintf("photos/obj-%d", i)
		objs[k] = randBytes(size)
		putBytes(t, c, "photos", k[len("photos/"):], objs[k])
	}
	if _, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("docs"),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
	putBytes(t, c, "docs", "report", randBytes(5000))
	objs["docs/report"] = randBytes(7000)
	putBytes(t, c, "docs", "report", objs["docs/report"])

	// Wait for a snapshot that covers the last write: the gateway
	// snapshots within a second (--meta-backup 1s) of any change after the
	// last snapshot began, so once the root stays put for 8 s it does.
	waitMetaRootSettles(t, g, 8*time.Second)

	// Disaster: the gateway dies and its folder is gone.
	gw.kill()
	if err := os.RemoveAll(gwDir); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	newDir := filepath.Join(g.Dir, "gateway-new")
	addr2 := freeAddr(t)
	gw2 := start(t, g.Dir, "gateway-recover", nil, append([]string{"gateway", "recover"}, gwArgs(newDir, addr2)[1:]...)...)
	waitListening(t, gw2, addr2)
	t.Logf("recovered and serving after %v", time.Since(began).Round(time.Millisecond))

	var creds struct {
		AccessKey string `json:"access_key"`
		SecretKey string `json:"secret_key"`
	}
	b, err := os.ReadFile(filepath.Join(newDir, "credentials.json"))
	if err != nil || json.Unmarshal(b, &creds) != nil || creds.AccessKey != ak || creds.SecretKey != sk {
		t.Fatalf("restored credentials %q (%v), want the original key pair", b, err)
	}
	c2 := s3Client(t, "http://"+addr2, ak, sk)
	buckets, err := c2.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil || len(buckets.Buckets) != 2 {
		t.Fatalf("buckets after recovery: %+v, %v", buckets, err)
	}
	for k, v := range objs {
		bucket, key := k[:bytes.IndexByte([]byte(k), '/')], k[bytes.IndexByte([]byte(k), '/')+1:]
		got, err := tryGet(ctx, c2, bucket, key)
		if err != nil || !bytes.Equal(got, v) {
			t.Errorf("%s after recovery: %d bytes (want %d), %v", k, len(got), len(v), err)
		}
	}
	vs, err := c2.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("docs")})
	if err != nil || len(vs.Versions) != 2 {
		t.Errorf("versions of docs/report after recovery: %d, %v; want 2", len(vs.Versions), err)
	}
	// The recovered gateway writes, and snapshots again.
	putBytes(t, c2, "photos", "after", []byte("written after recovery"))
	seq1 := metaRootSeq(t, g)
	for deadline := time.Now().Add(30 * time.Second); metaRootSeq(t, g) <= seq1; time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the recovered gateway recorded no new metadata root within 30 s")
		}
	}
	// A second recovery into a folder that holds metadata is refused.
	gw2.stop()
	out, err := exec.Command(mefsBin, append([]string{"gateway", "recover"}, gwArgs(newDir, freeAddr(t))[1:]...)...).CombinedOutput()
	if err == nil || !bytes.Contains(out, []byte("already holds metadata")) {
		t.Errorf("recover into a used folder: %v, printed %q", err, out)
	}
}

// waitMetaRootSettles waits until the User has a metadata root on chain
// that did not change for quiet.
func waitMetaRootSettles(t *testing.T, g *gethNet, quiet time.Duration) {
	t.Helper()
	last, since := metaRootSeq(t, g), time.Now()
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("metadata root did not settle within 90 s (at snapshot %d)", last)
		}
		seq := metaRootSeq(t, g)
		if seq != last {
			last, since = seq, time.Now()
			continue
		}
		if seq > 0 && time.Since(since) >= quiet {
			t.Logf("metadata root settled at snapshot %d", seq)
			return
		}
	}
}

// metaRootSeq is the snapshot number of the User's metadata root on chain
// (0: none).
func metaRootSeq(t *testing.T, g *gethNet) uint64 {
	t.Helper()
	raw, err := g.C.MetaRootOf(context.Background(), g.User)
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) == 0 {
		return 0
	}
	r, err := user.ParseMetaRoot(raw)
	if err != nil {
		t.Fatalf("metadata root on chain: %v", err)
	}
	return r.Seq
}

// chunkFiles counts the chunk files under a Provider's folder (not its
// bookkeeping files, which start with a dot).
func chunkFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(filepath.Join(dir, "chunks"), func(_ string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") {
			n++
		}
		return err
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return n
}

// TestProviderLosesItsDisk: a Provider's folder is deleted and the Provider
// restarted (same wallet, so same account and peer id): writes go on at
// once, and the chunks it lost are found by the scrubber and re-placed.
func TestProviderLosesItsDisk(t *testing.T) {
	g := startGethNetwork(t, 6)
	ctx := context.Background()
	admin := freeAddr(t)
	c := g.startGateway(t, "diskkey", "disksecret0123456789", "--admin", admin, "--scrub-rate", "500", "--scrub-interval", "1s")
	mustCreateBucket(t, c, "disk")
	objs := map[string][]byte{}
	for i := range 8 {
		k := fmt.Sprintf("obj-%d", i)
		objs[k] = randBytes(1<<20 + i*4099)
		putBytes(t, c, "disk", k, objs[k])
	}

	const victim = 2
	pdir := g.Providers[victim].Dir
	lost := chunkFiles(t, pdir)
	if lost == 0 {
		t.Fatal("the victim Provider holds no chunks")
	}
	g.Procs[victim].kill()
	if err := os.RemoveAll(pdir); err != nil {
		t.Fatal(err)
	}
	restarted := start(t, g.Dir, g.Providers[victim].Name+"-restarted", nil,
		append([]string{"provider", "--dir", pdir}, g.chainArgs(g.ProviderWallets[victim])...)...)
	var info providerJSON
	waitFile(t, restarted, filepath.Join(pdir, "provider.json"), &info)

	// Writes go on at once.
	for i := range 4 {
		k := fmt.Sprintf("after-%d", i)
		objs[k] = randBytes(600 << 10)
		putBytes(t, c, "disk", k, objs[k])
	}
	// The lost chunks are found and repaired.
	began := time.Now()
	var st clusterStatus
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(time.Second) {
		if time.Now().After(deadline) {
			t.Fatalf("%d of the %d lost chunks repaired after 2 min: %+v", st.User.RepairedChunks, lost, st.User)
		}
		st = readClusterStatus(t, admin)
		if st.User.RepairedChunks >= int64(lost) && st.User.RepairQueue == 0 {
			break
		}
	}
	t.Logf("%d lost chunks repaired (%d bytes) %v after the Provider came back empty", st.User.RepairedChunks, st.User.RepairedBytes, time.Since(began).Round(time.Second))
	for k, v := range objs {
		if got, err := tryGet(ctx, c, "disk", k); err != nil || !bytes.Equal(got, v) {
			t.Errorf("read %s after the repair: %d bytes of %d, %v", k, len(got), len(v), err)
		}
	}
}
