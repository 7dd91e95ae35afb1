package meta

import (
	"testing"
	"time"
)

// TestListUploadsPrefixWithNUL: a prefix holding NUL (the key separator of
// upload keys) lists only keys that start with it, and never panics.
func TestListUploadsPrefixWithNUL(t *testing.T) {
	s := newTestStore(t)
	if err := s.CreateBucket(Bucket{Name: "b"}); err != nil {
		t.Fatal(err)
	}
	for _, u := range []Upload{{Bucket: "b", Key: "a", ID: "up1"}, {Bucket: "b", Key: "a\x00b", ID: "up2"}} {
		u.Initiated = time.Now()
		if err := s.CreateUpload(u); err != nil {
			t.Fatal(err)
		}
	}
	for _, prefix := range []string{"a\x00", "a\x00b", "\x00", "a\x00\x00"} {
		for _, delim := range []string{"", "/", "\x00"} {
			page, err := s.ListUploads("b", prefix, delim, "", "", 1000)
			if err != nil {
				t.Fatalf("prefix %q delimiter %q: %v", prefix, delim, err)
			}
			for _, u := range page.Uploads {
				if len(u.Key) < len(prefix) || u.Key[:len(prefix)] != prefix {
					t.Fatalf("prefix %q delimiter %q listed key %q", prefix, delim, u.Key)
				}
			}
		}
	}
	page, err := s.ListUploads("b", "a\x00", "", "", "", 1000)
	if err != nil || len(page.Uploads) != 1 || page.Uploads[0].Key != "a\x00b" {
		t.Fatalf("prefix a\\x00: %+v, %v; want the one upload of a\\x00b", page.Uploads, err)
	}
}
