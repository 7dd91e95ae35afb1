package provider

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/erasure"
)

// TestColdPutFrame: cold chunks of every size, from aligned (pooled) and
// unaligned buffers, read back byte for byte; a write around the page cache
// leaves nothing of it behind in the file's flags.
func TestColdPutFrame(t *testing.T) {
	s, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for i, size := range []int{0, 1, directAlign - 32, directAlign, directAlign + 1, 1<<20 + 5} {
		for _, unaligned := range []bool{false, true} {
			data := bytes.Repeat([]byte{byte(i + 1)}, size)
			root := erasure.Commit(data)
			frame := getChunkBuffer(int64(len(root) + size + 1))[:len(root)+size+1]
			if unaligned {
				frame = frame[1:]
			} else {
				frame = frame[:len(root)+size]
			}
			copy(frame, root[:])
			copy(frame[len(root):], data)
			id := memo.ChunkID{Data: erasure.DataID{byte(i)}, Stripe: uint64(i), Index: 5}
			if unaligned {
				id.Index = 4
			}
			if err := s.PutFrame("", id, frame, true); err != nil {
				t.Fatalf("cold put of %d bytes (unaligned %v): %v", size, unaligned, err)
			}
			got, _, err := s.Get(id)
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("cold chunk of %d bytes (unaligned %v) reads back %d bytes, %v", size, unaligned, len(got), err)
			}
		}
	}
}

func TestWriteDirectKeepsFlags(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	before := fileFlags(t, f)
	b := getChunkBuffer(3*directAlign + 7)
	for i := range b {
		b[i] = byte(i)
	}
	if err := writeDirect(f, b); err != nil {
		t.Fatal(err)
	}
	if after := fileFlags(t, f); after != before {
		t.Fatalf("file flags %#x after writeDirect, %#x before", after, before)
	}
	got, err := os.ReadFile(f.Name())
	if err != nil || !bytes.Equal(got, b) {
		t.Fatalf("file holds %d bytes, want the %d written: %v", len(got), len(b), err)
	}
}
