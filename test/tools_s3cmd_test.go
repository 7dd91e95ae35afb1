package test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

const s3cmdBin = "/usr/bin/s3cmd"

// TestToolS3cmd drives a devnet with s3cmd (SigV4, path-style): mb, put
// (single and multipart), ls, get, del, rb.
func TestToolS3cmd(t *testing.T) {
	requireTool(t, s3cmdBin, "s3cmd")
	d := startDevnet(t, "", "--providers", "6", "--ec", "4+2")
	u, err := url.Parse(d.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	conf := filepath.Join(home, "s3cfg")
	cfg := "[default]\naccess_key = " + d.AccessKey + "\nsecret_key = " + d.SecretKey + "\n" +
		"host_base = " + u.Host + "\nhost_bucket = " + u.Host + "\n" +
		"use_https = False\nsignature_v2 = False\nbucket_location = us-east-1\n" +
		"check_ssl_certificate = False\nprogress_meter = False\n"
	if err := os.WriteFile(conf, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	sc := &toolRunner{t: t, bin: s3cmdBin, env: toolEnv(home, "LC_ALL=C.UTF-8")}
	run := func(args ...string) string {
		t.Helper()
		return sc.ok(append([]string{"-c", conf}, args...)...)
	}

	work := t.TempDir()
	small, big := []byte("hello from s3cmd\n"), randBytes(30<<20)
	odd := "spa ce ü+&=.txt"
	writeTree(t, work, map[string][]byte{"small.txt": small, "big.bin": big, odd: []byte("awkward\n")})

	if out := run("mb", "s3://s3cmd-test"); !strings.Contains(out, "Bucket 's3://s3cmd-test/' created") {
		t.Fatalf("s3cmd mb: %q", out)
	}
	run("put", filepath.Join(work, "small.txt"), "s3://s3cmd-test/dir/small.txt")
	run("put", "--multipart-chunk-size-mb=5", filepath.Join(work, "big.bin"), "s3://s3cmd-test/dir/big.bin")
	run("put", filepath.Join(work, odd), "s3://s3cmd-test/"+odd)

	// The 30 MiB file went up in 6 parts of 5 MiB.
	c := d.client(t)
	head, err := c.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String("s3cmd-test"), Key: aws.String("dir/big.bin")})
	if err != nil {
		t.Fatalf("head dir/big.bin: %v", err)
	}
	if etag := aws.ToString(head.ETag); etag != multipartETag(big, 5<<20) || !strings.HasSuffix(etag, `-6"`) {
		t.Fatalf("dir/big.bin ETag %s, want %s", etag, multipartETag(big, 5<<20))
	}

	// ls: buckets, then "DATE TIME SIZE URL" per object, DIR per prefix.
	if out := run("ls"); !strings.Contains(out, "s3://s3cmd-test") {
		t.Fatalf("s3cmd ls: %q", out)
	}
	out := run("ls", "s3://s3cmd-test/")
	if !strings.Contains(out, "DIR  s3://s3cmd-test/dir/") || !strings.Contains(out, "s3://s3cmd-test/"+odd) {
		t.Fatalf("s3cmd ls s3://s3cmd-test/: %q", out)
	}
	out = run("ls", "s3://s3cmd-test/dir/")
	sizes := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		if len(f) != 4 {
			t.Fatalf("s3cmd ls line %q: want date, time, size, url", line)
		}
		n, _ := strconv.Atoi(f[2])
		sizes[f[3]] = n
	}
	if len(sizes) != 2 || sizes["s3://s3cmd-test/dir/small.txt"] != len(small) || sizes["s3://s3cmd-test/dir/big.bin"] != len(big) {
		t.Fatalf("s3cmd ls s3://s3cmd-test/dir/: %v\n%s", sizes, out)
	}

	// get and compare; s3cmd also checks the MD5 it stored for the
	// multipart upload.
	for _, f := range []struct {
		key  string
		data []byte
	}{{"dir/small.txt", small}, {"dir/big.bin", big}, {odd, []byte("awkward\n")}} {
		dst := filepath.Join(work, "down-"+strings.ReplaceAll(f.key, "/", "_"))
		_, errOut, code := sc.run("-c", conf, "get", "s3://s3cmd-test/"+f.key, dst)
		if code != 0 || strings.Contains(errOut, "MD5") {
			t.Fatalf("s3cmd get %s: exit %d\n%s", f.key, code, errOut)
		}
		if fileSHA256(t, dst) != sha256Hex(f.data) {
			t.Fatalf("s3cmd get %s: content differs from the %d bytes uploaded", f.key, len(f.data))
		}
	}

	// rb of a non-empty bucket fails; del, then rb.
	if _, errOut, code := sc.run("-c", conf, "rb", "s3://s3cmd-test"); code == 0 || !strings.Contains(errOut, "BucketNotEmpty") {
		t.Fatalf("s3cmd rb of a non-empty bucket: exit %d, %q; want BucketNotEmpty", code, errOut)
	}
	for _, key := range []string{"dir/small.txt", "dir/big.bin", odd} {
		if out := run("del", "s3://s3cmd-test/"+key); !strings.Contains(out, "delete: 's3://s3cmd-test/"+key+"'") {
			t.Fatalf("s3cmd del %s: %q", key, out)
		}
	}
	if out := run("ls", "s3://s3cmd-test/"); strings.TrimSpace(out) != "" {
		t.Fatalf("s3cmd ls after del: %q", out)
	}
	if out := run("rb", "s3://s3cmd-test"); !strings.Contains(out, "Bucket 's3://s3cmd-test/' removed") {
		t.Fatalf("s3cmd rb: %q", out)
	}
	if out := run("ls"); strings.Contains(out, "s3cmd-test") {
		t.Fatalf("s3cmd ls after rb: %q", out)
	}
}
