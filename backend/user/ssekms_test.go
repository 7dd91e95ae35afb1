package user

import (
	"bytes"
	"context"
	"testing"

	"github.com/mefs-project/mefs/gateway"
)

func kmsPut(t *testing.T, l *Layer, key string, data []byte, kmsKey string) {
	t.Helper()
	if _, err := l.PutObject(context.Background(), "bkt", key, gateway.NewPutReader(bytes.NewReader(data), int64(len(data)), nil),
		gateway.PutOptions{KMSKeyID: kmsKey}); err != nil {
		t.Fatalf("PutObject(%s) under KMS key %q: %v", key, kmsKey, err)
	}
}

// An object under an SSE-KMS key, of every size class (inline, packed-size,
// several stripes), reads without anything from the client, says which key
// it is under, is never packed, and is encrypted under a key derived from
// the key's name: its data opens neither under the User's master key alone
// nor under another name's.
func TestKMSKeyObjects(t *testing.T) {
	l, _, _, _ := newMemLayer(t, testK+testM)
	for _, size := range []int{100, 20 << 10, 3*testStripe + 5} {
		k := string(rune('a' + size%26))
		data := randData(uint64(size), size)
		kmsPut(t, l, k, data, "testkey-1")
		got := memGet(t, l, k)
		info, err := l.ObjectInfo(context.Background(), "bkt", k, "")
		if err != nil || !bytes.Equal(got, data) || info.SSEKMSKeyID != "testkey-1" {
			t.Fatalf("size %d: GET: %v, same %v, KMS key %q", size, err, bytes.Equal(got, data), info.SSEKMSKeyID)
		}
		checkOwnSealedData(t, l, k, l.cfg.MasterKey, l.masterFor(nil, "testkey-2"))
	}
	if bytes.Equal(l.masterFor(nil, "a"), l.masterFor(nil, "b")) || bytes.Equal(l.masterFor(nil, "a"), l.masterFor(nil, "")) {
		t.Fatal("KMS key names do not separate keys")
	}
}

// A multipart upload under a KMS key encrypts its parts under it (the
// parts' requests name nothing), and the object it makes says so.
func TestKMSKeyMultipart(t *testing.T) {
	l, _, _, _ := newMemLayer(t, testK+testM)
	ctx := context.Background()
	id, err := l.NewMultipartUpload(ctx, "bkt", "mp", gateway.PutOptions{KMSKeyID: "k1"})
	if err != nil {
		t.Fatal(err)
	}
	up, err := l.MultipartUpload(ctx, "bkt", "mp", id)
	if err != nil || up.SSEKMSKeyID != "k1" {
		t.Fatalf("upload: %v, KMS key %q", err, up.SSEKMSKeyID)
	}
	part := randData(6, 2*testStripe+7)
	p1, err := l.PutObjectPart(ctx, "bkt", "mp", id, 1, gateway.NewPutReader(bytes.NewReader(part), int64(len(part)), nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	info, err := l.CompleteMultipartUpload(ctx, "bkt", "mp", id, []gateway.CompletePart{{Number: 1, ETag: p1.ETag}}, gateway.PutOptions{})
	if err != nil || info.SSEKMSKeyID != "k1" {
		t.Fatalf("complete: %v, KMS key %q", err, info.SSEKMSKeyID)
	}
	if got := memGet(t, l, "mp"); !bytes.Equal(got, part) {
		t.Fatal("GET of the completed object: bytes differ")
	}
}
