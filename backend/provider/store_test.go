package provider

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/p2p"
	"github.com/mefs-project/mefs/erasure"
)

func randBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func objID(b byte) erasure.DataID {
	var id erasure.DataID
	for i := range id {
		id[i] = b + byte(i)
	}
	return id
}

// chunkPath is where the documented layout puts a chunk:
// DIR/chunks/<object hex[0:2]>/<object hex>/<stripe>.<index>.
func chunkPath(dir string, id memo.ChunkID) string {
	h := hex.EncodeToString(id.Data[:])
	return filepath.Join(dir, "chunks", h[:2], h, strconv.FormatUint(id.Stripe, 10)+"."+strconv.Itoa(int(id.Index)))
}

// walkFiles returns every chunk file under dir (regular files but the
// owner log and any legacy .owner records).
func walkFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && d.Name() != ".owner" && d.Name() != ownerLogName {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func openStore(t *testing.T) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s, dir
}

func TestStorePutGet(t *testing.T) {
	s, dir := openStore(t)
	r := rand.New(rand.NewPCG(3, 4))
	type stored struct {
		id   memo.ChunkID
		data []byte
	}
	var all []stored
	for _, size := range []int{0, 1, 4095, 4096, 4097, 100000} {
		for idx := uint16(0); idx < 2; idx++ {
			id := memo.ChunkID{Data: objID(byte(size)), Stripe: uint64(size) << 20, Index: idx}
			data := randBytes(r, size)
			if err := s.Put(id, erasure.Commit(data), data); err != nil {
				t.Fatalf("Put(%s): %v", id, err)
			}
			all = append(all, stored{id, data})
		}
	}
	for _, c := range all {
		got, root, err := s.Get(c.id)
		if err != nil {
			t.Fatalf("Get(%s): %v", c.id, err)
		}
		if !bytes.Equal(got, c.data) || root != erasure.Commit(c.data) {
			t.Fatalf("Get(%s) returned %d bytes / root %s, want %d bytes / root %s", c.id, len(got), root, len(c.data), erasure.Commit(c.data))
		}
		if _, err := os.Stat(chunkPath(dir, c.id)); err != nil {
			t.Fatalf("chunk %s is not where the layout says: %v", c.id, err)
		}
	}
	// Overwriting a chunk replaces it.
	data := []byte("replacement")
	if err := s.Put(all[0].id, erasure.Commit(data), data); err != nil {
		t.Fatal(err)
	}
	if got, _, err := s.Get(all[0].id); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("Get after overwrite: %q, %v", got, err)
	}
	for _, f := range walkFiles(t, dir) {
		if strings.HasPrefix(filepath.Base(f), ".tmp-") {
			t.Errorf("temporary file left behind: %s", f)
		}
	}
	if n := len(walkFiles(t, dir)); n != len(all) {
		t.Errorf("%d files in the store, want %d", n, len(all))
	}
}

func TestStoreGetMissing(t *testing.T) {
	s, _ := openStore(t)
	id := memo.ChunkID{Data: objID(1), Stripe: 0, Index: 0}
	if _, _, err := s.Get(id); !errors.Is(err, p2p.ErrNotFound) {
		t.Fatalf("Get of missing chunk: %v, want ErrNotFound", err)
	}
	data := []byte("x")
	if err := s.Put(id, erasure.Commit(data), data); err != nil {
		t.Fatal(err)
	}
	// Same object, other stripe / index: still not found.
	for _, other := range []memo.ChunkID{{Data: id.Data, Stripe: 1}, {Data: id.Data, Index: 1}} {
		if _, _, err := s.Get(other); !errors.Is(err, p2p.ErrNotFound) {
			t.Fatalf("Get(%s): %v, want ErrNotFound", other, err)
		}
	}
}

func TestStoreDeleteObject(t *testing.T) {
	s, dir := openStore(t)
	a, b := objID(0x10), objID(0x10)
	b[15] ^= 0xff // same hex[0:2] folder as a
	c := objID(0x77)
	var kept []memo.ChunkID
	for _, obj := range []erasure.DataID{a, b, c} {
		for st := uint64(0); st < 3; st++ {
			for i := uint16(0); i < 3; i++ {
				id := memo.ChunkID{Data: obj, Stripe: st, Index: i}
				data := []byte(id.String())
				if err := s.Put(id, erasure.Commit(data), data); err != nil {
					t.Fatal(err)
				}
				if obj != a {
					kept = append(kept, id)
				}
			}
		}
	}
	if err := s.DeleteObject(a); err != nil {
		t.Fatal(err)
	}
	for st := uint64(0); st < 3; st++ {
		for i := uint16(0); i < 3; i++ {
			if _, _, err := s.Get(memo.ChunkID{Data: a, Stripe: st, Index: i}); !errors.Is(err, p2p.ErrNotFound) {
				t.Fatalf("chunk of deleted object: %v", err)
			}
		}
	}
	for _, id := range kept {
		got, _, err := s.Get(id)
		if err != nil || string(got) != id.String() {
			t.Fatalf("chunk %s of another object after DeleteObject: %q, %v", id, got, err)
		}
	}
	h := hex.EncodeToString(a[:])
	for _, f := range walkFiles(t, dir) {
		if strings.Contains(f, h) {
			t.Errorf("file of deleted object left: %s", f)
		}
	}
	if n := len(walkFiles(t, dir)); n != len(kept) {
		t.Errorf("%d files left, want %d", n, len(kept))
	}
	// Deleting what is not there succeeds.
	if err := s.DeleteObject(a); err != nil {
		t.Fatalf("second DeleteObject: %v", err)
	}
	if err := s.DeleteObject(objID(0xee)); err != nil {
		t.Fatalf("DeleteObject of unknown object: %v", err)
	}
}

func TestStoreReopen(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	id := memo.ChunkID{Data: objID(3), Stripe: 7, Index: 1}
	data := []byte("durable chunk")
	if err := s.Put(id, erasure.Commit(data), data); err != nil {
		t.Fatal(err)
	}
	s2, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, _, err := s2.Get(id); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("Get after reopen: %q, %v", got, err)
	}
}
