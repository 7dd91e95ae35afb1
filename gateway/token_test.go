package gateway

import (
	"encoding/base64"
	"testing"
)

// Continuation tokens resume after their marker, whatever it holds; a token
// this gateway did not give is refused, not listed from.
func TestContinuationTokens(t *testing.T) {
	for _, m := range []string{"a", "dir/key ä+1", "\x00\x01", string(make([]byte, 1024))} {
		got, err := openToken(sealToken(m))
		if err != nil || got != m {
			t.Fatalf("marker %q: reopened as %q, %v", m, got, err)
		}
	}
	good := sealToken("photos/2024/")
	raw, _ := base64.RawURLEncoding.DecodeString(good)
	raw[3] ^= 1
	for _, bad := range []string{"garbage", "zzzz", "", "%%%", base64.RawURLEncoding.EncodeToString([]byte("photos/2024/")),
		base64.RawURLEncoding.EncodeToString(raw), good[:len(good)-2]} {
		if _, err := openToken(bad); err != errBadToken {
			t.Fatalf("token %q: %v, want InvalidArgument", bad, err)
		}
	}
}
