package erasure

import (
	"bytes"
	"errors"
	"testing"
)

func TestReconstructRebuildsWithoutKey(t *testing.T) {
	c, err := NewCodec(4, 2)
	if err != nil {
		t.Fatal(err)
	}
	key := bytes.Repeat([]byte{7}, KeySize)
	plain := bytes.Repeat([]byte("stripe bytes "), 1000)
	orig, err := c.Encode(key, DataID{1}, 3, plain)
	if err != nil {
		t.Fatal(err)
	}
	for _, lost := range [][]int{{0}, {5}, {1, 4}, {2, 3}} {
		chunks := make([][]byte, len(orig))
		copy(chunks, orig)
		for _, i := range lost {
			chunks[i] = nil
		}
		if err := c.Reconstruct(chunks, len(plain), lost); err != nil {
			t.Fatalf("lost %v: %v", lost, err)
		}
		for _, i := range lost {
			if !bytes.Equal(chunks[i], orig[i]) {
				t.Errorf("lost %v: chunk %d rebuilt differs from the original", lost, i)
			}
			if Commit(chunks[i]) != Commit(orig[i]) {
				t.Errorf("lost %v: chunk %d rebuilt does not match its commitment", lost, i)
			}
		}
	}
}

func TestReconstructTooFew(t *testing.T) {
	c, err := NewCodec(4, 2)
	if err != nil {
		t.Fatal(err)
	}
	orig, err := c.Encode(bytes.Repeat([]byte{7}, KeySize), DataID{1}, 0, []byte("short"))
	if err != nil {
		t.Fatal(err)
	}
	chunks := [][]byte{orig[0], nil, nil, orig[3], orig[4][:1], nil}
	if err := c.Reconstruct(chunks, 5, []int{1}); !errors.Is(err, ErrTooFewChunks) {
		t.Fatalf("3 usable chunks of 6 (k=4): err %v, want ErrTooFewChunks", err)
	}
	if err := c.Reconstruct(make([][]byte, 5), 5, []int{1}); err == nil {
		t.Fatal("5 slots for k+m=6: no error")
	}
}
