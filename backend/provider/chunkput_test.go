package provider

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/erasure"
)

// TestPutFromSizes: chunks of every size around the piece and alignment
// boundaries, cold and not, read from readers that return short reads, read
// back byte for byte.
func TestPutFromSizes(t *testing.T) {
	s, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for i, size := range []int{0, 1, directAlign - 32, directAlign, directAlign + 1, putPiece - 32, putPiece, 3*putPiece + 5, 1<<20 + 5} {
		for _, cold := range []bool{false, true} {
			data := bytes.Repeat([]byte{byte(i + 1), 7, 9}, size)[:size]
			id := memo.ChunkID{Data: erasure.DataID{byte(i)}, Stripe: uint64(i), Index: 4}
			if cold {
				id.Index = 5
			}
			r := iotest.HalfReader(bytes.NewReader(data))
			if err := s.PutFrom("", id, erasure.Commit(data), int64(size), r, cold); err != nil {
				t.Fatalf("put of %d bytes (cold %v): %v", size, cold, err)
			}
			got, _, err := s.Get(id)
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("chunk of %d bytes (cold %v) reads back %d bytes, %v", size, cold, len(got), err)
			}
		}
	}
}

// TestPutFromRefuses: bytes that do not match the commitment, a body that
// ends early or runs on, leave no chunk and no temporary file behind.
func TestPutFromRefuses(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("chunk"), 30000)
	root := erasure.Commit(data)
	id := memo.ChunkID{Data: erasure.DataID{9}}
	cases := []struct {
		name string
		size int64
		r    io.Reader
		want error
	}{
		{"other bytes", int64(len(data)), bytes.NewReader(append([]byte("x"), data[1:]...)), ErrMismatch},
		{"short body", int64(len(data)), bytes.NewReader(data[:len(data)-1]), ErrBody},
		{"long body", int64(len(data)), bytes.NewReader(append(bytes.Clone(data), 0)), ErrBody},
		{"failing reader", int64(len(data)), iotest.TimeoutReader(bytes.NewReader(data)), ErrBody},
	}
	for _, c := range cases {
		if err := s.PutFrom("", id, root, c.size, c.r, false); !errors.Is(err, c.want) {
			t.Fatalf("%s: %v, want %v", c.name, err, c.want)
		}
		if _, _, err := s.Get(id); err == nil {
			t.Fatalf("%s: a chunk was put in place", c.name)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, "chunks", "*", "*", ".tmp-*"))
	if len(left) != 0 {
		t.Fatalf("temporary files left behind: %v", left)
	}
}

func TestWriteDirectKeepsFlags(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	before := fileFlags(t, f)
	b := getChunkBuffer(putPiece)[:3*directAlign+7] // page-aligned
	for i := range b {
		b[i] = byte(i)
	}
	w := newDirectWriter(f)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if after := fileFlags(t, f); after != before {
		t.Fatalf("file flags %#x after a directWriter, %#x before", after, before)
	}
	got, err := os.ReadFile(f.Name())
	if err != nil || !bytes.Equal(got, b) {
		t.Fatalf("file holds %d bytes, want the %d written: %v", len(got), len(b), err)
	}
}

// unread fails a test that reads it.
type unread struct{ t *testing.T }

func (u unread) Read([]byte) (int, error) {
	u.t.Error("the body of a refused put was read")
	return 0, io.EOF
}

// TestPutFromRefusesOtherOwnerFirst: a put into another User's object is
// refused before its body is read or written.
func TestPutFromRefusesOtherOwnerFirst(t *testing.T) {
	s, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("alice's chunk")
	id := memo.ChunkID{Data: erasure.DataID{1}}
	if err := s.PutFor("alice", id, erasure.Commit(data), data); err != nil {
		t.Fatal(err)
	}
	other := memo.ChunkID{Data: id.Data, Index: 1}
	if err := s.PutFrom("bob", other, erasure.Commit(data), int64(len(data)), unread{t}, false); !errors.Is(err, ErrNotOwner) {
		t.Fatalf("bob's put into alice's object: %v, want ErrNotOwner", err)
	}
}
