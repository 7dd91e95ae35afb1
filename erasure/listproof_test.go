package erasure

import (
	"fmt"
	"testing"
)

func TestListProofRoundTrip(t *testing.T) {
	for _, n := range []int{1, 2, 3, 5, 8, 13, 64, 100} {
		items := make([][]byte, n)
		for i := range items {
			items[i] = fmt.Appendf(nil, "item-%d", i)
		}
		root := ListRoot(items)
		for i := range items {
			path, err := ProveList(items, i)
			if err != nil {
				t.Fatal(err)
			}
			if !VerifyList(root, items[i], i, n, path) {
				t.Fatalf("n=%d i=%d: valid path rejected", n, i)
			}
			if VerifyList(root, []byte("other"), i, n, path) {
				t.Fatalf("n=%d i=%d: wrong item accepted", n, i)
			}
			if n > 1 && VerifyList(root, items[i], (i+1)%n, n, path) {
				t.Fatalf("n=%d i=%d: wrong index accepted", n, i)
			}
			if VerifyList(root, items[i], i, n+1, path) {
				t.Fatalf("n=%d i=%d: wrong count accepted", n, i)
			}
		}
	}
	if _, err := ProveList(nil, 0); err == nil {
		t.Fatal("ProveList on empty list: want error")
	}
	if VerifyList(Root{}, nil, 0, 0, nil) {
		t.Fatal("VerifyList with count 0 accepted")
	}
}

func TestListTreeMatchesProveList(t *testing.T) {
	for _, n := range []int{1, 2, 3, 5, 7, 8, 9, 31, 100} {
		items := make([][]byte, n)
		for i := range items {
			items[i] = fmt.Appendf(nil, "e%d", i)
		}
		tree, err := NewListTree(items)
		if err != nil {
			t.Fatal(err)
		}
		if tree.Root() != ListRoot(items) {
			t.Fatalf("n=%d: tree root differs from ListRoot", n)
		}
		for i := range items {
			a, _ := ProveList(items, i)
			b, err := tree.Path(i)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(a) != fmt.Sprint(b) {
				t.Fatalf("n=%d i=%d: tree path differs from ProveList", n, i)
			}
		}
	}
}
