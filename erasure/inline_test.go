package erasure

import (
	"bytes"
	"testing"
)

func TestInlineSealOpen(t *testing.T) {
	master := bytes.Repeat([]byte{3}, MinMasterSize)
	id, other := DataID{1}, DataID{2}
	key := DataKey(master, id)
	for _, n := range []int{0, 1, 4096} {
		plain := bytes.Repeat([]byte{byte(n)}, n)
		sealed, err := SealInline(key, id, plain)
		if err != nil || len(sealed) != n+Overhead {
			t.Fatalf("seal %d bytes: %d sealed, %v", n, len(sealed), err)
		}
		if bytes.Contains(sealed, plain) && n > 16 {
			t.Fatalf("sealed %d bytes hold the plaintext", n)
		}
		got, err := OpenInline(key, id, sealed)
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("open %d bytes: %v", n, err)
		}
		if _, err := OpenInline(DataKey(master, other), other, sealed); err == nil {
			t.Fatal("opened under another data id")
		}
		bad := bytes.Clone(sealed)
		bad[len(bad)-1] ^= 1
		if _, err := OpenInline(key, id, bad); err == nil {
			t.Fatal("opened a tampered seal")
		}
	}
	if _, err := OpenInline(key, id, []byte{1, 2}); err == nil {
		t.Fatal("opened a seal shorter than its tag")
	}
}
