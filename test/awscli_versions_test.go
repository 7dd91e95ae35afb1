package test

// The aws CLI against a versioned bucket: s3api put-bucket-versioning,
// version ids from put-object, a delete marker from s3 rm,
// list-object-versions, get-object and delete-object by --version-id.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testAWSCLIVersioning(t *testing.T, aws *awsRunner) {
	work := t.TempDir()
	aws.ok("s3", "mb", "s3://clitest-versions")
	aws.ok("s3api", "put-bucket-versioning", "--bucket", "clitest-versions", "--versioning-configuration", "Status=Enabled")
	var status struct{ Status string }
	aws.json(&status, "s3api", "get-bucket-versioning", "--bucket", "clitest-versions")
	if status.Status != "Enabled" {
		t.Fatalf("get-bucket-versioning: %q", status.Status)
	}
	var ids []string
	for i, body := range []string{"first body\n", "second body\n"} {
		p := filepath.Join(work, "v"+string(rune('1'+i)))
		writeTree(t, work, map[string][]byte{filepath.Base(p): []byte(body)})
		var put struct{ VersionId string }
		aws.json(&put, "s3api", "put-object", "--bucket", "clitest-versions", "--key", "doc.txt", "--body", p)
		if put.VersionId == "" {
			t.Fatalf("put-object %d: no VersionId", i+1)
		}
		ids = append(ids, put.VersionId)
	}
	aws.ok("s3", "rm", "s3://clitest-versions/doc.txt")
	var list struct {
		Versions      []struct{ Key, VersionId string }
		DeleteMarkers []struct {
			Key, VersionId string
			IsLatest       bool
		}
	}
	aws.json(&list, "s3api", "list-object-versions", "--bucket", "clitest-versions")
	if len(list.Versions) != 2 || list.Versions[0].VersionId != ids[1] || list.Versions[1].VersionId != ids[0] ||
		len(list.DeleteMarkers) != 1 || !list.DeleteMarkers[0].IsLatest {
		t.Fatalf("list-object-versions: %+v, want versions %v newest first and one latest marker", list, ids)
	}
	dst := filepath.Join(work, "old.txt")
	var get struct{ VersionId string }
	aws.json(&get, "s3api", "get-object", "--bucket", "clitest-versions", "--key", "doc.txt", "--version-id", ids[0], dst)
	if b, err := os.ReadFile(dst); err != nil || string(b) != "first body\n" || get.VersionId != ids[0] {
		t.Fatalf("get-object --version-id: %q, %v, version %q", b, err, get.VersionId)
	}
	for _, id := range append(ids, list.DeleteMarkers[0].VersionId) {
		aws.ok("s3api", "delete-object", "--bucket", "clitest-versions", "--key", "doc.txt", "--version-id", id)
	}
	// An empty listing has neither Versions nor DeleteMarkers: the CLI prints nothing.
	if out := aws.ok("s3api", "list-object-versions", "--bucket", "clitest-versions"); strings.TrimSpace(out) != "" {
		t.Fatalf("list-object-versions after deleting every version: %s", out)
	}
	aws.ok("s3", "rb", "s3://clitest-versions")
}
