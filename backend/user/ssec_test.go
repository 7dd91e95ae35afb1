package user

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/mefs-project/mefs/gateway"
)

func ssecPut(t *testing.T, l *Layer, key string, data, customerKey []byte) {
	t.Helper()
	if _, err := l.PutObject(context.Background(), "bkt", key, gateway.NewPutReader(bytes.NewReader(data), int64(len(data)), nil),
		gateway.PutOptions{CustomerKey: customerKey}); err != nil {
		t.Fatalf("PutObject(%s) with a customer key: %v", key, err)
	}
}

func ssecGet(l *Layer, key string, customerKey []byte) ([]byte, error) {
	_, rc, err := l.GetObject(context.Background(), "bkt", key, "", nil, customerKey)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// An object under an SSE-C key, of every size class (inline, packed-size,
// several stripes), is encrypted under a key derived from the customer's
// and the User's together: it reads only with the same key (none: 400,
// another: 403), and a layer that knows only the User's master key cannot
// decrypt its data.
func TestCustomerKeyObjects(t *testing.T) {
	l, _, _, _ := newMemLayer(t, testK+testM)
	keyA, keyB := bytes.Repeat([]byte{0xa}, 32), bytes.Repeat([]byte{0xb}, 32)
	for _, size := range []int{100, 20 << 10, 3*testStripe + 5} {
		k := string(rune('a' + size%26))
		data := randData(uint64(size), size)
		ssecPut(t, l, k, data, keyA)
		got, err := ssecGet(l, k, keyA)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("size %d: GET with the key: %v, %d bytes, same %v", size, err, len(got), bytes.Equal(got, data))
		}
		if _, err := ssecGet(l, k, nil); apiCode(err) != "InvalidRequest" {
			t.Fatalf("size %d: GET without the key: %v, want InvalidRequest", size, err)
		}
		if _, err := ssecGet(l, k, keyB); !errors.Is(err, gateway.ErrAccessDenied) {
			t.Fatalf("size %d: GET with another key: %v, want AccessDenied", size, err)
		}
		info, err := l.ObjectInfo(context.Background(), "bkt", k, "")
		if err != nil || info.SSECustomerKeyMD5 != gateway.CustomerKeyMD5(keyA) {
			t.Fatalf("size %d: ObjectInfo: %v, key MD5 %q", size, err, info.SSECustomerKeyMD5)
		}
		// The stored data does not open under the User's key alone.
		checkOwnSealedData(t, l, k, l.cfg.MasterKey)
	}
	plain := randData(9, 1000)
	memPut(t, l, "plain", plain)
	if _, err := ssecGet(l, "plain", keyA); apiCode(err) != "InvalidRequest" {
		t.Fatalf("GET of an object without a customer key, presenting one: %v, want InvalidRequest", err)
	}
}

// checkOwnSealedData fails unless object key of bucket bkt has data of its
// own (not packed) that opens under none of masters.
func checkOwnSealedData(t *testing.T, l *Layer, key string, masters ...[]byte) {
	t.Helper()
	o, err := l.version("bkt", key, "")
	if err != nil {
		t.Fatal(err)
	}
	ref, err := l.locate(o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ref.ext != nil {
		t.Fatalf("%s: an object under its own key was packed with others", key)
	}
	for i, master := range masters {
		if ref.lay.Inline != nil {
			if _, err := l.readSmall(context.Background(), master, o.ID, ref); err == nil {
				t.Fatalf("%s: inline data opened under master %d", key, i)
			}
			continue
		}
		r := l.newObjectReader(context.Background(), master, ref.id, ref.lay, 0, o.Size)
		if err := r.prime(); err == nil {
			r.Close()
			t.Fatalf("%s: stripes opened under master %d", key, i)
		}
	}
}

// Repair rebuilds the chunks of an object under a customer key without it.
func TestCustomerKeyObjectRepairedWithoutKey(t *testing.T) {
	l, net, ids, _ := newMemLayer(t, testK+testM+2)
	key := bytes.Repeat([]byte{0xc}, 32)
	data := randData(4, 2*testStripe+99)
	ssecPut(t, l, "k", data, key)
	bad := ids[slices.IndexFunc(ids, net.holdsDataChunk)]
	if net.corrupt(bad) == 0 {
		t.Fatal("no chunks to corrupt")
	}
	for range 3 {
		if got, err := ssecGet(l, "k", key); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("read with corrupt chunks: %v", err)
		}
	}
	healRound(t, l, time.Now())
	if l.lostChunks.Load() == 0 || l.repairedChunks.Load() != l.lostChunks.Load() {
		t.Fatalf("lost %d chunks, repaired %d", l.lostChunks.Load(), l.repairedChunks.Load())
	}
	net.downWith(bad, ids)
	if got, err := ssecGet(l, "k", key); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read after repair with m Providers down: %v", err)
	}
}

// A multipart upload under a customer key takes only parts under that key;
// the object it makes reads with it.
func TestCustomerKeyMultipart(t *testing.T) {
	l, _, _, _ := newMemLayer(t, testK+testM)
	ctx := context.Background()
	key, other := bytes.Repeat([]byte{0xd}, 32), bytes.Repeat([]byte{0xe}, 32)
	id, err := l.NewMultipartUpload(ctx, "bkt", "mp", gateway.PutOptions{CustomerKey: key})
	if err != nil {
		t.Fatal(err)
	}
	part := randData(5, 3*testStripe)
	put := func(n int, ck []byte) (gateway.PartInfo, error) {
		return l.PutObjectPart(ctx, "bkt", "mp", id, n, gateway.NewPutReader(bytes.NewReader(part), int64(len(part)), nil), ck)
	}
	if _, err := put(1, nil); apiCode(err) != "InvalidRequest" {
		t.Fatalf("part without the upload's key: %v, want InvalidRequest", err)
	}
	if _, err := put(1, other); apiCode(err) != "InvalidArgument" {
		t.Fatalf("part under another key: %v, want InvalidArgument", err)
	}
	p1, err := put(1, key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.CompleteMultipartUpload(ctx, "bkt", "mp", id, []gateway.CompletePart{{Number: 1, ETag: p1.ETag}}, gateway.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if got, err := ssecGet(l, "mp", key); err != nil || !bytes.Equal(got, part) {
		t.Fatalf("GET of the completed object with its key: %v", err)
	}
	if _, err := ssecGet(l, "mp", nil); apiCode(err) != "InvalidRequest" {
		t.Fatalf("GET of the completed object without its key: %v", err)
	}
}

// apiCode is the S3 error code err carries ("" if none).
func apiCode(err error) string {
	var e *gateway.APIError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
