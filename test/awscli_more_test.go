package test

// The aws CLI against the devnet, continued: paging, metadata key case,
// copies, tagging, checksums and DeleteObjects (helpers in awscli_test.go).

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// testAWSCLIPaging: list-objects(-v2) paging with --page-size, --max-items
// and --starting-token.
func testAWSCLIPaging(t *testing.T, aws *awsRunner) {
	c := clientFor(t, aws)
	var want []string
	for i := range 23 {
		k := fmt.Sprintf("page/k%02d", i)
		if i%4 == 0 {
			k = fmt.Sprintf("page/sub%d/k%02d", i%3, i) // common prefixes with --delimiter
		}
		putBytes(t, c, "clitest", k, []byte(k))
		want = append(want, k)
	}
	sort.Strings(want)

	type listing struct {
		Contents       []struct{ Key string }
		CommonPrefixes []struct{ Prefix string }
		NextToken      string
	}
	keysOf := func(l listing) []string {
		var out []string
		for _, o := range l.Contents {
			out = append(out, o.Key)
		}
		return out
	}
	for _, op := range []string{"list-objects-v2", "list-objects"} {
		var all listing
		aws.json(&all, "s3api", op, "--bucket", "clitest", "--prefix", "page/", "--page-size", "5")
		if got := keysOf(all); !slices.Equal(got, want) || all.NextToken != "" {
			t.Fatalf("%s --page-size 5: %v (NextToken %q), want %v", op, got, all.NextToken, want)
		}
		var got []string
		token := ""
		for pages := 0; ; pages++ {
			args := []string{"s3api", op, "--bucket", "clitest", "--prefix", "page/", "--page-size", "4", "--max-items", "10"}
			if token != "" {
				args = append(args, "--starting-token", token)
			}
			var l listing
			aws.json(&l, args...)
			if pages > 5 {
				t.Fatalf("%s --max-items 10: no end after %d pages", op, pages)
			}
			if k := keysOf(l); len(k) != 10 && l.NextToken != "" {
				t.Fatalf("%s --max-items 10: a page of %d items with NextToken %q", op, len(k), l.NextToken)
			}
			got = append(got, keysOf(l)...)
			if token = l.NextToken; token == "" {
				break
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%s --max-items 10 paging: %v, want %v", op, got, want)
		}

		var delim listing
		aws.json(&delim, "s3api", op, "--bucket", "clitest", "--prefix", "page/", "--delimiter", "/", "--page-size", "3")
		var prefixes []string
		for _, p := range delim.CommonPrefixes {
			prefixes = append(prefixes, p.Prefix)
		}
		sort.Strings(prefixes)
		if !slices.Equal(prefixes, []string{"page/sub0/", "page/sub1/", "page/sub2/"}) || len(delim.Contents) != 17 {
			t.Fatalf("%s --delimiter / --page-size 3: %d keys, prefixes %v; want 17 keys and page/sub{0,1,2}/",
				op, len(delim.Contents), prefixes)
		}
	}
	aws.ok("s3", "rm", "--recursive", "s3://clitest/page/")
}

func lowerKeys(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[strings.ToLower(k)] = v
	}
	return out
}

// testAWSCLIMetadataKeyCase: user metadata comes back with the lower-case
// keys S3 stores (x-amz-meta-colour), which botocore exposes verbatim.
func testAWSCLIMetadataKeyCase(t *testing.T, aws *awsRunner) {
	work := t.TempDir()
	writeTree(t, work, map[string][]byte{"obj": []byte("meta")})
	aws.ok("s3api", "put-object", "--bucket", "clitest", "--key", "meta/obj", "--body", filepath.Join(work, "obj"),
		"--metadata", "colour=blue,Mixed-Case=x")
	var head headOut
	aws.json(&head, "s3api", "head-object", "--bucket", "clitest", "--key", "meta/obj")
	aws.ok("s3", "rm", "s3://clitest/meta/obj")
	if len(head.Metadata) != 2 || head.Metadata["colour"] != "blue" || head.Metadata["mixed-case"] != "x" {
		t.Fatalf("head-object Metadata %v, want map[colour:blue mixed-case:x]", head.Metadata)
	}
}

// testAWSCLICopy: s3api copy-object (metadata COPY and REPLACE, an awkward
// source key) and s3 cp between keys of a multipart object (UploadPartCopy).
func testAWSCLICopy(t *testing.T, aws *awsRunner) {
	work := t.TempDir()
	data := randBytes(100 << 10)
	src := filepath.Join(work, "src")
	writeTree(t, work, map[string][]byte{"src": data})
	srcKey := "copy/src ü+&=%.bin"
	aws.ok("s3api", "put-object", "--bucket", "clitest", "--key", srcKey, "--body", src,
		"--content-type", "application/x-test", "--metadata", "colour=blue,shape=round")

	var res struct{ CopyObjectResult struct{ ETag string } }
	aws.json(&res, "s3api", "copy-object", "--bucket", "clitest", "--key", "copy/dst1", "--copy-source", "clitest/"+srcKey)
	if res.CopyObjectResult.ETag != md5ETag(data) {
		t.Fatalf("copy-object ETag %s, want %s", res.CopyObjectResult.ETag, md5ETag(data))
	}
	var head headOut
	aws.json(&head, "s3api", "head-object", "--bucket", "clitest", "--key", "copy/dst1")
	meta := lowerKeys(head.Metadata) // key case: see TestAWSCLI/MetadataKeyCase
	if head.ContentLength != int64(len(data)) || head.ContentType != "application/x-test" ||
		meta["colour"] != "blue" || meta["shape"] != "round" || len(meta) != 2 {
		t.Fatalf("head-object of a copy (COPY directive): %+v", head)
	}
	down := filepath.Join(work, "down")
	aws.ok("s3api", "get-object", "--bucket", "clitest", "--key", "copy/dst1", down)
	if fileSHA256(t, down) != sha256Hex((data)) {
		t.Fatalf("copy-object: the copy's content differs")
	}

	aws.json(&res, "s3api", "copy-object", "--bucket", "clitest", "--key", "copy/dst2", "--copy-source", "clitest/"+srcKey,
		"--metadata-directive", "REPLACE", "--content-type", "text/plain", "--metadata", "size=large")
	head = headOut{}
	aws.json(&head, "s3api", "head-object", "--bucket", "clitest", "--key", "copy/dst2")
	if meta := lowerKeys(head.Metadata); head.ContentType != "text/plain" || meta["size"] != "large" || len(meta) != 1 {
		t.Fatalf("head-object of a copy (REPLACE directive): %+v", head)
	}
	// Copying onto itself needs REPLACE.
	if _, errOut, code := aws.run("s3api", "copy-object", "--bucket", "clitest", "--key", "copy/dst2",
		"--copy-source", "clitest/copy/dst2"); code == 0 || !strings.Contains(errOut, "InvalidRequest") {
		t.Fatalf("copy-object onto itself: exit %d, stderr %q; want InvalidRequest", code, errOut)
	}
	if _, errOut, code := aws.run("s3api", "copy-object", "--bucket", "clitest", "--key", "copy/x",
		"--copy-source", "clitest/copy/missing"); code == 0 || !strings.Contains(errOut, "NoSuchKey") {
		t.Fatalf("copy-object of a missing source: exit %d, stderr %q; want NoSuchKey", code, errOut)
	}

	// s3 cp s3:// s3:// of a 20 MiB object: multipart copy (UploadPartCopy).
	big := randBytes(20 << 20)
	writeTree(t, work, map[string][]byte{"big": big})
	aws.ok("s3", "cp", "--no-progress", filepath.Join(work, "big"), "s3://clitest/copy/big")
	aws.ok("s3", "cp", "--no-progress", "s3://clitest/copy/big", "s3://clitest/copy/big copy")
	head = headOut{}
	aws.json(&head, "s3api", "head-object", "--bucket", "clitest", "--key", "copy/big copy")
	if want := multipartETag(big, 8<<20); head.ContentLength != int64(len(big)) || head.ETag != want {
		t.Fatalf("head-object of an s3-to-s3 cp: ContentLength %d ETag %s, want %d %s", head.ContentLength, head.ETag, len(big), want)
	}
	aws.ok("s3", "cp", "--no-progress", "s3://clitest/copy/big copy", down)
	if fileSHA256(t, down) != sha256Hex((big)) {
		t.Fatalf("s3 cp s3-to-s3: the copy's content differs")
	}
	aws.ok("s3", "rm", "--recursive", "s3://clitest/copy/")
}

// testAWSCLITagging: put/get/delete-object-tagging, put-object --tagging and
// tags carried by copy-object.
func testAWSCLITagging(t *testing.T, aws *awsRunner) {
	work := t.TempDir()
	writeTree(t, work, map[string][]byte{"obj": []byte("tagged")})
	type tagSet struct{ TagSet []struct{ Key, Value string } }
	tags := func(key string) map[string]string {
		var ts tagSet
		aws.json(&ts, "s3api", "get-object-tagging", "--bucket", "clitest", "--key", key)
		m := map[string]string{}
		for _, tg := range ts.TagSet {
			m[tg.Key] = tg.Value
		}
		return m
	}
	aws.ok("s3api", "put-object", "--bucket", "clitest", "--key", "tag/obj", "--body", filepath.Join(work, "obj"),
		"--tagging", "project=mefs&note=a%20b%2Bc")
	if got := tags("tag/obj"); len(got) != 2 || got["project"] != "mefs" || got["note"] != "a b+c" {
		t.Fatalf("get-object-tagging after put-object --tagging: %v", got)
	}
	set := `{"TagSet":[{"Key":"k1","Value":"v1"},{"Key":"spa ce","Value":"ü &=+"},{"Key":"empty","Value":""}]}`
	aws.ok("s3api", "put-object-tagging", "--bucket", "clitest", "--key", "tag/obj", "--tagging", set)
	want := map[string]string{"k1": "v1", "spa ce": "ü &=+", "empty": ""}
	if got := tags("tag/obj"); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("get-object-tagging: %v, want %v", got, want)
	}
	var head struct{ TagCount int }
	aws.json(&head, "s3api", "get-object", "--bucket", "clitest", "--key", "tag/obj", filepath.Join(work, "down"))
	if head.TagCount != 3 {
		t.Fatalf("get-object TagCount %d, want 3", head.TagCount)
	}
	aws.ok("s3api", "copy-object", "--bucket", "clitest", "--key", "tag/copy", "--copy-source", "clitest/tag/obj")
	if got := tags("tag/copy"); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("get-object-tagging of a copy: %v, want %v", got, want)
	}
	aws.ok("s3api", "copy-object", "--bucket", "clitest", "--key", "tag/copy2", "--copy-source", "clitest/tag/obj",
		"--tagging-directive", "REPLACE", "--tagging", "only=one")
	if got := tags("tag/copy2"); len(got) != 1 || got["only"] != "one" {
		t.Fatalf("get-object-tagging of a copy with REPLACE: %v", got)
	}
	aws.ok("s3api", "delete-object-tagging", "--bucket", "clitest", "--key", "tag/obj")
	if got := tags("tag/obj"); len(got) != 0 {
		t.Fatalf("get-object-tagging after delete-object-tagging: %v", got)
	}
	bad := `{"TagSet":[{"Key":"a","Value":"1"},{"Key":"a","Value":"2"}]}`
	if _, errOut, code := aws.run("s3api", "put-object-tagging", "--bucket", "clitest", "--key", "tag/obj", "--tagging", bad); code == 0 ||
		!strings.Contains(errOut, "InvalidTag") {
		t.Fatalf("put-object-tagging with a duplicate key: exit %d, stderr %q; want InvalidTag", code, errOut)
	}
	aws.ok("s3", "rm", "--recursive", "s3://clitest/tag/")
}

// testAWSCLIChecksums: put-object with additional checksums, read back with
// --checksum-mode ENABLED.
func testAWSCLIChecksums(t *testing.T, aws *awsRunner) {
	work := t.TempDir()
	data := randBytes(1<<20 + 17)
	writeTree(t, work, map[string][]byte{"obj": data})
	aws.ok("s3api", "put-object", "--bucket", "clitest", "--key", "sum/sha", "--body", filepath.Join(work, "obj"),
		"--checksum-algorithm", "SHA256")
	var head headOut
	aws.json(&head, "s3api", "head-object", "--bucket", "clitest", "--key", "sum/sha", "--checksum-mode", "ENABLED")
	if want := base64.StdEncoding.EncodeToString(sha256Of(data)); head.ChecksumSHA256 != want {
		t.Fatalf("head-object --checksum-mode ENABLED: ChecksumSHA256 %q, want %q", head.ChecksumSHA256, want)
	}
	aws.ok("s3api", "put-object", "--bucket", "clitest", "--key", "sum/crc", "--body", filepath.Join(work, "obj"),
		"--checksum-algorithm", "CRC32")
	head = headOut{}
	down := filepath.Join(work, "down")
	aws.json(&head, "s3api", "get-object", "--bucket", "clitest", "--key", "sum/crc", "--checksum-mode", "ENABLED", down)
	if head.ChecksumCRC32 == "" || fileSHA256(t, down) != sha256Hex((data)) {
		t.Fatalf("get-object --checksum-mode ENABLED: ChecksumCRC32 %q, or content differs", head.ChecksumCRC32)
	}
	// A wrong declared checksum is refused and nothing is stored.
	wrong := base64.StdEncoding.EncodeToString(sha256Of([]byte("something else")))
	if _, errOut, code := aws.run("s3api", "put-object", "--bucket", "clitest", "--key", "sum/bad", "--body",
		filepath.Join(work, "obj"), "--checksum-sha256", wrong); code == 0 || !strings.Contains(errOut, "BadDigest") {
		t.Fatalf("put-object with a wrong --checksum-sha256: exit %d, stderr %q; want BadDigest", code, errOut)
	}
	if _, _, code := aws.run("s3api", "head-object", "--bucket", "clitest", "--key", "sum/bad"); code == 0 {
		t.Fatalf("an upload refused for a bad checksum was stored")
	}
	aws.ok("s3", "rm", "--recursive", "s3://clitest/sum/")
}

// testAWSCLIDeleteObjects: s3api delete-objects with awkward keys and a
// missing one.
func testAWSCLIDeleteObjects(t *testing.T, aws *awsRunner) {
	c := clientFor(t, aws)
	keys := []string{"del/a", "del/spa ce ü+&=%?#", "del/<xml>&'\"", "del/keep"}
	for _, k := range keys {
		putBytes(t, c, "clitest", k, []byte(k))
	}
	type obj struct{ Key string }
	req := struct{ Objects []obj }{}
	for _, k := range append(keys[:3:3], "del/never-existed") {
		req.Objects = append(req.Objects, obj{k})
	}
	body, _ := json.Marshal(req)
	var res struct {
		Deleted []obj
		Errors  []struct{ Key, Code string }
	}
	aws.json(&res, "s3api", "delete-objects", "--bucket", "clitest", "--delete", string(body))
	var got []string
	for _, o := range res.Deleted {
		got = append(got, o.Key)
	}
	sort.Strings(got)
	want := []string{"del/<xml>&'\"", "del/a", "del/never-existed", "del/spa ce ü+&=%?#"}
	if !slices.Equal(got, want) || len(res.Errors) != 0 {
		t.Fatalf("delete-objects: Deleted %q Errors %v, want Deleted %q", got, res.Errors, want)
	}
	if left := listKeys(t, c, "clitest", "del/"); len(left) != 1 || left["del/keep"] == 0 {
		t.Fatalf("after delete-objects the bucket lists %v, want only del/keep", left)
	}
	// Quiet mode reports nothing on success.
	out := aws.ok("s3api", "delete-objects", "--bucket", "clitest", "--delete", `{"Objects":[{"Key":"del/keep"}],"Quiet":true}`)
	if strings.Contains(out, "del/keep") {
		t.Fatalf("delete-objects Quiet=true listed the deleted key: %s", out)
	}
	if left := listKeys(t, c, "clitest", "del/"); len(left) != 0 {
		t.Fatalf("after delete-objects the bucket lists %v, want nothing", left)
	}
}
