package test

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// awsCLI is Debian's aws CLI, installed by `make test` (scripts/install-test-deps.sh).
// Not the one on PATH, which may be a pyenv shim of some other version.
const awsCLI = "/usr/bin/aws"

// awsRunner runs the aws CLI against one endpoint with an isolated
// configuration.
type awsRunner struct {
	t        *testing.T
	endpoint string
	env      []string
}

func newAWSRunner(t *testing.T, endpoint, ak, sk string) *awsRunner {
	t.Helper()
	if _, err := os.Stat(awsCLI); err != nil {
		t.Fatalf("%s is missing (%v): run `make test`, which installs Debian's awscli package", awsCLI, err)
	}
	home := t.TempDir()
	cfg := filepath.Join(home, "aws-config")
	// Multipart upload is not implemented by the gateway yet, so keep every
	// upload a single PutObject. Path-style addressing because the endpoint is
	// an IP address.
	conf := "[default]\ns3 =\n  multipart_threshold = 1GB\n  addressing_style = path\n"
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "AWS_") || name == "HOME" {
			continue // AWS_CA_BUNDLE, AWS_PROFILE, ... must not leak in
		}
		env = append(env, kv)
	}
	env = append(env,
		"AWS_ACCESS_KEY_ID="+ak,
		"AWS_SECRET_ACCESS_KEY="+sk,
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE="+cfg,
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_PAGER=",
		"HOME="+home,
	)
	return &awsRunner{t: t, endpoint: endpoint, env: env}
}

// run runs `aws <args> --endpoint-url E` and returns stdout, stderr and the
// exit code.
func (a *awsRunner) run(args ...string) (string, string, int) {
	a.t.Helper()
	cmd := exec.Command(awsCLI, append(args, "--endpoint-url", a.endpoint)...)
	cmd.Env = a.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			a.t.Fatalf("aws %v: %v", args, err)
		}
		code = ee.ExitCode()
	}
	a.t.Logf("aws %s: exit %d in %v", strings.Join(args, " "), code, time.Since(start).Round(time.Millisecond))
	return stdout.String(), stderr.String(), code
}

// ok runs the command and fails the test unless it exits 0.
func (a *awsRunner) ok(args ...string) string {
	a.t.Helper()
	out, errOut, code := a.run(args...)
	if code != 0 {
		a.t.Fatalf("aws %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// TestAWSCLI drives a devnet with the aws CLI: high-level s3 commands and the
// s3api ones, checking exit codes and content.
func TestAWSCLI(t *testing.T) {
	d := startDevnet(t, "", "--providers", "6", "--ec", "4+2")
	aws := newAWSRunner(t, d.Endpoint, d.AccessKey, d.SecretKey)
	work := t.TempDir()

	big, small := randBytes(20<<20), []byte("hello from the aws cli\n")
	bigPath, smallPath := filepath.Join(work, "big.bin"), filepath.Join(work, "small.txt")
	if err := os.WriteFile(bigPath, big, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(smallPath, small, 0o600); err != nil {
		t.Fatal(err)
	}

	if out := aws.ok("s3", "mb", "s3://clitest"); !strings.Contains(out, "make_bucket: clitest") {
		t.Fatalf("s3 mb output %q", out)
	}
	aws.ok("s3", "cp", bigPath, "s3://clitest/data/big.bin")
	aws.ok("s3", "cp", smallPath, "s3://clitest/data/small.txt")
	aws.ok("s3", "cp", smallPath, "s3://clitest/other/small.txt")

	// s3 ls: "DATE TIME SIZE NAME" per object.
	out := aws.ok("s3", "ls", "s3://clitest/data/")
	sizes := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		if len(f) != 4 {
			t.Fatalf("s3 ls line %q: want date, time, size, name", line)
		}
		n, err := strconv.Atoi(f[2])
		if err != nil {
			t.Fatalf("s3 ls line %q: size: %v", line, err)
		}
		sizes[f[3]] = n
	}
	if len(sizes) != 2 || sizes["big.bin"] != len(big) || sizes["small.txt"] != len(small) {
		t.Fatalf("s3 ls listed %v, want big.bin=%d small.txt=%d\n%s", sizes, len(big), len(small), out)
	}
	if out := aws.ok("s3", "ls", "s3://clitest/"); !strings.Contains(out, "PRE data/") || !strings.Contains(out, "PRE other/") {
		t.Fatalf("s3 ls of the bucket root: %q, want PRE data/ and PRE other/", out)
	}
	if out := aws.ok("s3", "ls"); !strings.Contains(out, " clitest") {
		t.Fatalf("s3 ls (buckets): %q, want clitest", out)
	}

	// Download and compare.
	for _, f := range []struct {
		key  string
		data []byte
	}{{"data/big.bin", big}, {"data/small.txt", small}} {
		dst := filepath.Join(work, "down-"+filepath.Base(f.key))
		aws.ok("s3", "cp", "s3://clitest/"+f.key, dst)
		got, err := os.ReadFile(dst)
		if err != nil {
			t.Fatal(err)
		}
		if sha256.Sum256(got) != sha256.Sum256(f.data) {
			t.Fatalf("s3 cp down %s: %d bytes, sha256 differs from the %d uploaded", f.key, len(got), len(f.data))
		}
	}

	// Ranged get.
	rangePath := filepath.Join(work, "range.bin")
	out = aws.ok("s3api", "get-object", "--bucket", "clitest", "--key", "data/big.bin", "--range", "bytes=100-199", rangePath)
	if got, _ := os.ReadFile(rangePath); !bytes.Equal(got, big[100:200]) {
		t.Fatalf("get-object --range bytes=100-199: got %d bytes, wrong content", len(got))
	}
	var getOut struct {
		ContentLength int64
		ContentRange  string
	}
	if err := json.Unmarshal([]byte(out), &getOut); err != nil {
		t.Fatalf("get-object output %q: %v", out, err)
	}
	if getOut.ContentLength != 100 || getOut.ContentRange != "bytes 100-199/"+strconv.Itoa(len(big)) {
		t.Fatalf("get-object --range: ContentLength %d ContentRange %q", getOut.ContentLength, getOut.ContentRange)
	}

	// head-object: size and ETag (the MD5 of a single-part upload).
	out = aws.ok("s3api", "head-object", "--bucket", "clitest", "--key", "data/big.bin")
	var head struct {
		ContentLength int64
		ETag          string
	}
	if err := json.Unmarshal([]byte(out), &head); err != nil {
		t.Fatalf("head-object output %q: %v", out, err)
	}
	sum := md5.Sum(big)
	if head.ContentLength != int64(len(big)) || head.ETag != `"`+hex.EncodeToString(sum[:])+`"` {
		t.Fatalf("head-object: ContentLength %d ETag %s, want %d \"%x\"", head.ContentLength, head.ETag, len(big), sum)
	}
	if _, errOut, code := aws.run("s3api", "head-object", "--bucket", "clitest", "--key", "data/missing"); code == 0 ||
		!strings.Contains(errOut, "404") {
		t.Fatalf("head-object of a missing key: exit %d, stderr %q; want a failure with 404", code, errOut)
	}

	// list-objects-v2 --prefix.
	out = aws.ok("s3api", "list-objects-v2", "--bucket", "clitest", "--prefix", "data/")
	var list struct {
		KeyCount int
		Contents []struct {
			Key  string
			Size int64
		}
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("list-objects-v2 output %q: %v", out, err)
	}
	if len(list.Contents) != 2 || list.Contents[0].Key != "data/big.bin" || list.Contents[0].Size != int64(len(big)) ||
		list.Contents[1].Key != "data/small.txt" || list.Contents[1].Size != int64(len(small)) {
		t.Fatalf("list-objects-v2 --prefix data/: %+v", list)
	}

	// rb of a non-empty bucket fails; rm then rb succeeds.
	if _, errOut, code := aws.run("s3", "rb", "s3://clitest"); code == 0 || !strings.Contains(errOut, "BucketNotEmpty") {
		t.Fatalf("s3 rb of a non-empty bucket: exit %d, stderr %q; want BucketNotEmpty", code, errOut)
	}
	if out := aws.ok("s3", "rm", "s3://clitest/data/big.bin"); !strings.Contains(out, "delete: s3://clitest/data/big.bin") {
		t.Fatalf("s3 rm output %q", out)
	}
	aws.ok("s3", "rm", "--recursive", "s3://clitest/")
	if out := aws.ok("s3", "ls", "s3://clitest/"); strings.TrimSpace(out) != "" {
		t.Fatalf("s3 ls after rm: %q, want nothing", out)
	}
	if out := aws.ok("s3", "rb", "s3://clitest"); !strings.Contains(out, "remove_bucket: clitest") {
		t.Fatalf("s3 rb output %q", out)
	}
	if _, _, code := aws.run("s3", "ls", "s3://clitest/"); code == 0 {
		t.Fatalf("s3 ls of a removed bucket succeeded")
	}
}
