package test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

const rcloneBin = "/usr/bin/rclone"

// TestToolRclone drives a devnet with rclone's s3 backend: copy (with a
// multipart upload), check --download, lsf, sync, delete and purge.
func TestToolRclone(t *testing.T) {
	requireTool(t, rcloneBin, "rclone")
	d := startDevnet(t, "", "--providers", "6", "--ec", "4+2")
	home := t.TempDir()
	conf := filepath.Join(home, "rclone.conf")
	cfg := "[mefs]\ntype = s3\nprovider = Other\nenv_auth = false\n" +
		"access_key_id = " + d.AccessKey + "\nsecret_access_key = " + d.SecretKey + "\n" +
		"endpoint = " + d.Endpoint + "\nregion = us-east-1\nforce_path_style = true\n"
	if err := os.WriteFile(conf, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	// The isolated config and quiet, quick-failing defaults, as environment
	// variables to keep the logged command lines short.
	rc := &toolRunner{t: t, bin: rcloneBin, env: toolEnv(home, "RCLONE_CONFIG="+conf, "RCLONE_RETRIES=1",
		"RCLONE_LOW_LEVEL_RETRIES=2", "RCLONE_STATS=0", "RCLONE_CACHE_DIR="+filepath.Join(home, "cache"))}
	// Multipart above 5 MiB, in 5 MiB parts (rclone's default cutoff is 200 MiB).
	r := func(args ...string) []string {
		return append(args, "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M")
	}

	src := t.TempDir()
	files := smallTree(40, 64<<10)
	files["big/forty.bin"] = randBytes(40 << 20)
	files["odd names/spa ce ü+&=%#?.txt"] = []byte("awkward\n")
	files["odd names/日本語.txt"] = []byte("unicode\n")
	writeTree(t, src, files)

	rc.ok("mkdir", "mefs:rclone-test")
	rc.ok(r("copy", src, "mefs:rclone-test/tree")...)

	// The 40 MiB file went up in 8 parts of 5 MiB.
	c := d.client(t)
	head, err := c.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String("rclone-test"),
		Key: aws.String("tree/big/forty.bin")})
	if err != nil {
		t.Fatalf("head tree/big/forty.bin: %v", err)
	}
	if etag := aws.ToString(head.ETag); !strings.HasSuffix(etag, `-8"`) || aws.ToInt64(head.ContentLength) != 40<<20 {
		t.Fatalf("tree/big/forty.bin: ETag %s size %d, want a multipart ETag ending -8 and %d bytes", etag,
			aws.ToInt64(head.ContentLength), 40<<20)
	}

	check := func(what string, n int) {
		t.Helper()
		_, errOut, code := rc.run("check", src, "mefs:rclone-test/tree", "--download")
		if code != 0 || !strings.Contains(errOut, "0 differences found") || !strings.Contains(errOut, itoaPlural(n, "matching file")) {
			t.Fatalf("rclone check --download %s: exit %d, want 0, \"0 differences found\" and %q\n%s", what, code,
				itoaPlural(n, "matching file"), tail(errOut, 3000))
		}
		// Also by hash (MD5 from the ETag, or rclone's own metadata for
		// multipart uploads).
		if _, errOut, code := rc.run("check", src, "mefs:rclone-test/tree"); code != 0 ||
			!strings.Contains(errOut, "0 differences found") {
			t.Fatalf("rclone check %s: exit %d\n%s", what, code, tail(errOut, 3000))
		}
	}
	lsf := func(what string) {
		t.Helper()
		out := rc.ok("lsf", "-R", "--files-only", "mefs:rclone-test/tree")
		got := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		var want []string
		for name := range files {
			want = append(want, name)
		}
		sort.Strings(got)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Fatalf("rclone lsf -R %s: %q\nwant %q", what, got, want)
		}
	}
	check("after copy", len(files))
	lsf("after copy")

	// Change, remove and add files; sync mirrors them.
	files["a/fx1.dat"] = randBytes(12345)
	delete(files, "c/fxx2.dat")
	os.Remove(filepath.Join(src, "c", "fxx2.dat"))
	files["new/dir/added.bin"] = randBytes(6 << 20) // multipart too
	writeTree(t, src, map[string][]byte{"a/fx1.dat": files["a/fx1.dat"], "new/dir/added.bin": files["new/dir/added.bin"]})
	rc.ok(r("sync", src, "mefs:rclone-test/tree")...)
	check("after sync", len(files))
	lsf("after sync")

	// Download the tree and compare.
	dst := t.TempDir()
	rc.ok(r("copy", "mefs:rclone-test/tree", dst)...)
	sameTree(t, "rclone copy down", hashTree(t, dst), hashFiles(files))

	// delete removes the files under a path, leaving the rest.
	rc.ok("delete", "mefs:rclone-test/tree/c")
	for name := range files {
		if strings.HasPrefix(name, "c/") {
			delete(files, name)
		}
	}
	lsf("after delete")

	// purge removes everything, bucket included.
	rc.ok("purge", "mefs:rclone-test")
	if out := rc.ok("lsf", "mefs:"); strings.Contains(out, "rclone-test") {
		t.Fatalf("rclone lsf mefs: after purge lists %q", out)
	}
	if _, err := c.HeadBucket(context.Background(), &s3.HeadBucketInput{Bucket: aws.String("rclone-test")}); err == nil {
		t.Fatalf("bucket rclone-test still exists after rclone purge")
	}
}

// itoaPlural is rclone's "N matching files" wording.
func itoaPlural(n int, noun string) string {
	s := strconv.Itoa(n) + " " + noun
	if n != 1 {
		s += "s"
	}
	return s
}
