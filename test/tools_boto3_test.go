package test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// python3 is Debian's, which has python3-boto3; not a pyenv one from PATH.
const python3 = "/usr/bin/python3"

// boto3Script runs against ENDPOINT AK SK WORKDIR and exits non-zero, with a
// "FAIL: ..." line, at the first unexpected result.
const boto3Script = `
import hashlib, os, sys, urllib.request
import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, ak, sk, work = sys.argv[1:5]
# s3v4: boto3 1.26 presigns with SigV2 otherwise (the gateway takes SigV2
# too; SigV4 is what this script exercises).
s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=ak, aws_secret_access_key=sk,
                  region_name="us-east-1",
                  config=Config(s3={"addressing_style": "path"}, signature_version="s3v4",
                                retries={"mode": "standard", "max_attempts": 2}))
B = "boto3-test"
MiB = 1 << 20

def check(cond, msg):
    if not cond:
        print("FAIL: " + msg, flush=True)
        sys.exit(1)

def step(name):
    print("STEP " + name, flush=True)

def md5(b):
    return hashlib.md5(b).hexdigest()

def sha256_file(p):
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for chunk in iter(lambda: f.read(MiB), b""):
            h.update(chunk)
    return h.hexdigest()

def multipart_etag(data, part):
    sums = b"".join(hashlib.md5(data[i:i + part]).digest() for i in range(0, len(data), part))
    return '"%s-%d"' % (hashlib.md5(sums).hexdigest(), (len(data) + part - 1) // part)

step("create_bucket")
s3.create_bucket(Bucket=B)
check(B in [b["Name"] for b in s3.list_buckets()["Buckets"]], "list_buckets lacks " + B)

step("put_object")
small = b"hello from boto3\n"
odd = "odd/spa ce \u00fc+&=%?#.txt"
r = s3.put_object(Bucket=B, Key="small.txt", Body=small, ContentType="text/plain", Metadata={"colour": "blue"})
check(r["ETag"] == '"%s"' % md5(small), "put_object ETag %s" % r["ETag"])
s3.put_object(Bucket=B, Key=odd, Body=b"awkward")
s3.put_object(Bucket=B, Key="empty", Body=b"")

step("head_object")
h = s3.head_object(Bucket=B, Key="small.txt")
meta = {k.lower(): v for k, v in h["Metadata"].items()}
check(h["ContentLength"] == len(small) and h["ETag"] == '"%s"' % md5(small) and h["ContentType"] == "text/plain"
      and meta == {"colour": "blue"}, "head_object small.txt: %r" % h)
check(s3.head_object(Bucket=B, Key="empty")["ContentLength"] == 0, "head_object empty")
check(s3.get_object(Bucket=B, Key=odd)["Body"].read() == b"awkward", "get_object of an awkward key")
try:
    s3.head_object(Bucket=B, Key="missing")
    check(False, "head_object of a missing key succeeded")
except ClientError as e:
    check(e.response["Error"]["Code"] == "404", "head_object of a missing key: %r" % e.response)

step("upload_file multipart")
big = os.urandom(23 * MiB)
src = os.path.join(work, "big.bin")
with open(src, "wb") as f:
    f.write(big)
cfg = TransferConfig(multipart_threshold=5 * MiB, multipart_chunksize=5 * MiB, max_concurrency=4)
s3.upload_file(src, B, "big.bin", Config=cfg)
h = s3.head_object(Bucket=B, Key="big.bin")
check(h["ContentLength"] == len(big) and h["ETag"] == multipart_etag(big, 5 * MiB),
      "head_object big.bin: ETag %s, want %s" % (h["ETag"], multipart_etag(big, 5 * MiB)))
check(s3.list_multipart_uploads(Bucket=B).get("Uploads", []) == [], "an upload was left behind")

step("download_file")
dst = os.path.join(work, "big.down")
s3.download_file(B, "big.bin", dst, Config=cfg)
check(sha256_file(dst) == hashlib.sha256(big).hexdigest(), "download_file: content differs")
r = s3.get_object(Bucket=B, Key="big.bin", Range="bytes=%d-%d" % (5 * MiB - 3, 5 * MiB + 2))
check(r["Body"].read() == big[5 * MiB - 3:5 * MiB + 3] and r["ContentRange"] == "bytes %d-%d/%d" % (5 * MiB - 3, 5 * MiB + 2, len(big)),
      "ranged get_object across a part boundary")

step("managed copy")
s3.copy({"Bucket": B, "Key": "big.bin"}, B, "big copy.bin", Config=cfg)
h = s3.head_object(Bucket=B, Key="big copy.bin")
check(h["ContentLength"] == len(big), "copy: size %d" % h["ContentLength"])
check(hashlib.sha256(s3.get_object(Bucket=B, Key="big copy.bin")["Body"].read()).hexdigest() == hashlib.sha256(big).hexdigest(),
      "copy: content differs")

step("presigned put and get")
url = s3.generate_presigned_url("put_object", Params={"Bucket": B, "Key": "presigned.txt"}, ExpiresIn=300)
req = urllib.request.Request(url, data=b"via presigned put", method="PUT")
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
with opener.open(req) as resp:
    check(resp.status == 200, "presigned put: %d" % resp.status)
url = s3.generate_presigned_url("get_object", Params={"Bucket": B, "Key": "presigned.txt"}, ExpiresIn=300)
with opener.open(url) as resp:
    check(resp.read() == b"via presigned put", "presigned get: wrong content")

step("list_objects_v2 paginator")
want = sorted("list/%s/k%03d" % ("ab"[i % 2], i) for i in range(35))
for k in want:
    s3.put_object(Bucket=B, Key=k, Body=k.encode())
pages = list(s3.get_paginator("list_objects_v2").paginate(Bucket=B, Prefix="list/", PaginationConfig={"PageSize": 10}))
got = [o["Key"] for p in pages for o in p.get("Contents", [])]
check(len(pages) == 4 and got == want, "paginator: %d pages, keys %r" % (len(pages), got))
pages = list(s3.get_paginator("list_objects_v2").paginate(Bucket=B, Delimiter="/"))
prefixes = [c["Prefix"] for p in pages for c in p.get("CommonPrefixes", [])]
keys = [o["Key"] for p in pages for o in p.get("Contents", [])]
check(sorted(prefixes) == ["list/", "odd/"] and sorted(keys) == ["big copy.bin", "big.bin", "empty", "presigned.txt", "small.txt"],
      "delimiter listing: prefixes %r keys %r" % (prefixes, keys))

step("delete_objects")
r = s3.delete_objects(Bucket=B, Delete={"Objects": [{"Key": k} for k in want] + [{"Key": odd}]})
check(sorted(d["Key"] for d in r.get("Deleted", [])) == sorted(want + [odd]) and not r.get("Errors"),
      "delete_objects: %r" % r)
check(s3.list_objects_v2(Bucket=B, Prefix="list/")["KeyCount"] == 0, "keys left after delete_objects")
r = s3.delete_objects(Bucket=B, Delete={"Objects": [{"Key": k} for k in ["big.bin", "big copy.bin", "empty", "presigned.txt", "small.txt"]], "Quiet": True})
check(not r.get("Errors") and not r.get("Deleted"), "quiet delete_objects: %r" % r)
check(s3.list_objects_v2(Bucket=B)["KeyCount"] == 0, "keys left in the bucket")

step("delete_bucket")
s3.delete_bucket(Bucket=B)
check(B not in [b["Name"] for b in s3.list_buckets()["Buckets"]], "bucket still listed")
print("ALL OK", flush=True)
`

// TestToolBoto3 runs a boto3 script against a devnet: buckets, put/head,
// managed multipart upload, download and copy, presigned URLs, paginated
// listing, delete_objects.
func TestToolBoto3(t *testing.T) {
	requireTool(t, python3, "python3")
	home := t.TempDir()
	env := toolEnv(home, "LC_ALL=C.UTF-8")
	probe := exec.Command(python3, "-c", "import boto3")
	probe.Env = env
	if out, err := probe.CombinedOutput(); err != nil {
		t.Fatalf("%s cannot import boto3 (%v: %s): run `make test`, which installs Debian's python3-boto3 package (scripts/install-test-deps.sh)",
			python3, err, out)
	}
	d := startDevnet(t, "", "--providers", "6", "--ec", "4+2")
	script := filepath.Join(home, "boto3_e2e.py")
	if err := os.WriteFile(script, []byte(boto3Script), 0o600); err != nil {
		t.Fatal(err)
	}
	py := &toolRunner{t: t, bin: python3, env: env}
	out, errOut, code := py.run(script, d.Endpoint, d.AccessKey, d.SecretKey, t.TempDir())
	t.Logf("script output:\n%s", out)
	if code != 0 || !strings.HasSuffix(strings.TrimSpace(out), "ALL OK") {
		t.Fatalf("boto3 script: exit %d, want 0 and ALL OK\nstdout: %s\nstderr: %s", code, tail(out, 3000), tail(errOut, 4000))
	}
}
