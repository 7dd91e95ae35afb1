package meta

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/erasure"
)

var quietLog = slog.New(slog.NewTextHandler(io.Discard, nil))

func openTestStore(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(dir, quietLog)
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	return s
}

func newTestStore(t *testing.T) *Store {
	t.Helper()
	s := openTestStore(t, t.TempDir())
	t.Cleanup(func() { s.Close() })
	return s
}

var idCounter uint64

func testID() erasure.DataID {
	idCounter++
	var id erasure.DataID
	for i := 0; i < 8; i++ {
		id[i] = byte(idCounter >> (8 * i))
	}
	id[15] = 0xA5
	return id
}

// putKey commits an object whose Size and ETag are derived from the key, so
// listings can be checked for returning the right header.
func putKey(t *testing.T, s *Store, bucket, key string) {
	t.Helper()
	obj := Object{ID: memo.ObjectID(testID()), Size: int64(len(key)), ETag: fmt.Sprintf("%x", key), ModTime: time.Unix(1700000000, 0).UTC()}
	if err := beginAndCommit(s, bucket, key, obj, Layout{K: 1, M: 0, Providers: []string{"p"}}, nil); err != nil {
		t.Fatalf("CommitPut(%s, %q): %v", bucket, key, err)
	}
}

// entry is one element of a listing: a key or a common prefix.
type entry struct {
	name     string
	isPrefix bool
}

func (e entry) String() string {
	if e.isPrefix {
		return fmt.Sprintf("P%q", e.name)
	}
	return fmt.Sprintf("K%q", e.name)
}

func refCommonPrefix(key, prefix, delim string) string {
	if delim == "" || !strings.HasPrefix(key, prefix) {
		return ""
	}
	rest := key[len(prefix):]
	if i := strings.Index(rest, delim); i >= 0 {
		return prefix + rest[:i+len(delim)]
	}
	return ""
}

// refList is a brute-force S3 ListObjects over sorted keys, ignoring MaxKeys:
// keys with prefix strictly after marker, rolled up at the first delimiter
// after the prefix; when marker is itself a common prefix, everything under
// it is skipped.
func refList(keys []string, prefix, delim, marker string) []entry {
	markerIsCP := marker != "" && refCommonPrefix(marker, prefix, delim) == marker
	var out []entry
	for _, k := range keys {
		if !strings.HasPrefix(k, prefix) || k <= marker {
			continue
		}
		if markerIsCP && strings.HasPrefix(k, marker) {
			continue
		}
		if cp := refCommonPrefix(k, prefix, delim); cp != "" {
			if n := len(out); n > 0 && out[n-1].isPrefix && out[n-1].name == cp {
				continue
			}
			out = append(out, entry{cp, true})
			continue
		}
		out = append(out, entry{k, false})
	}
	return out
}

// pageEntries merges a page's objects and prefixes in lexicographic order,
// checking each object's header.
func pageEntries(t *testing.T, bucket string, res ListPage) []entry {
	t.Helper()
	var out []entry
	for _, o := range res.Objects {
		if o.Bucket != bucket || o.Size != int64(len(o.Key)) || o.ETag != fmt.Sprintf("%x", o.Key) {
			t.Errorf("object %q has header bucket=%q size=%d etag=%q", o.Key, o.Bucket, o.Size, o.ETag)
		}
		out = append(out, entry{o.Key, false})
	}
	for _, p := range res.CommonPrefixes {
		out = append(out, entry{p, true})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

var alphabet = []string{"a", "b", "/", "-", "é"}

func randToken(r *rand.Rand, minLen, maxLen int) string {
	n := minLen + r.IntN(maxLen-minLen+1)
	var sb strings.Builder
	for i := 0; i < n; i++ {
		sb.WriteString(alphabet[r.IntN(len(alphabet))])
	}
	return sb.String()
}

func TestListMatchesReference(t *testing.T) {
	s := newTestStore(t)
	r := rand.New(rand.NewPCG(1, 2))
	delims := []string{"", "/", "-", "ab"}
	maxKeys := []int{1, 2, 3, 1000}
	const sets = 24
	for set := 0; set < sets; set++ {
		// Buckets k1 and k10.. share a name prefix: their keys must not mix.
		bucket := fmt.Sprintf("k%d", set)
		if err := s.CreateBucket(Bucket{Name: bucket}); err != nil {
			t.Fatal(err)
		}
		keySet := map[string]bool{}
		n := 1 + r.IntN(30)
		for len(keySet) < n {
			keySet[randToken(r, 1, 6)] = true
		}
		var prefixes []string
		prefixes = append(prefixes, "")
		for i := 0; i < 4; i++ {
			prefixes = append(prefixes, randToken(r, 1, 2))
		}
		// Keys equal to prefixes, keys ending in delimiters.
		for _, p := range prefixes[1:3] {
			keySet[p] = true
		}
		keySet[randToken(r, 0, 3)+"/"] = true
		keySet[randToken(r, 0, 3)+"-"] = true
		keySet[randToken(r, 0, 2)+"ab"] = true
		keys := make([]string, 0, len(keySet))
		for k := range keySet {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		// Prefixes taken from keys, including a byte-level one that splits é.
		for i := 0; i < 3; i++ {
			k := keys[r.IntN(len(keys))]
			prefixes = append(prefixes, k[:r.IntN(len(k)+1)])
		}
		prefixes = append(prefixes, "\xc3", "zzz")
		for _, k := range keys {
			putKey(t, s, bucket, k)
		}

		for _, prefix := range prefixes {
			for _, delim := range delims {
				want := refList(keys, prefix, delim, "")
				for _, mk := range maxKeys {
					name := fmt.Sprintf("%s prefix=%q delim=%q max=%d", bucket, prefix, delim, mk)
					var got []entry
					marker := ""
					for page := 0; ; page++ {
						if page > len(keys)+2 {
							t.Fatalf("%s: listing does not end", name)
						}
						res, err := s.List(bucket, ListOptions{Prefix: prefix, Delimiter: delim, Marker: marker, MaxKeys: mk})
						if err != nil {
							t.Fatalf("%s: List: %v", name, err)
						}
						checkPage(t, name+fmt.Sprintf(" marker=%q", marker), keys, bucket, prefix, delim, marker, mk, res)
						pe := pageEntries(t, bucket, res)
						got = append(got, pe...)
						if !res.IsTruncated {
							break
						}
						marker = res.NextMarker
					}
					if !slices.Equal(got, want) {
						t.Errorf("%s: paged listing\n got %v\nwant %v\nkeys %q", name, got, want, keys)
					}
					seen := map[entry]bool{}
					for _, e := range got {
						if seen[e] {
							t.Errorf("%s: %v listed twice", name, e)
						}
						seen[e] = true
					}
				}
				// Arbitrary markers: keys, common prefixes, random strings.
				markers := []string{prefix, prefix + "/", keys[r.IntN(len(keys))], randToken(r, 1, 4), prefix + randToken(r, 1, 2)}
				if len(want) > 0 {
					markers = append(markers, want[r.IntN(len(want))].name)
				}
				for _, m := range markers {
					for _, mk := range []int{1, 3, 1000} {
						res, err := s.List(bucket, ListOptions{Prefix: prefix, Delimiter: delim, Marker: m, MaxKeys: mk})
						if err != nil {
							t.Fatal(err)
						}
						checkPage(t, fmt.Sprintf("%s prefix=%q delim=%q marker=%q max=%d", bucket, prefix, delim, m, mk),
							keys, bucket, prefix, delim, m, mk, res)
					}
				}
			}
		}
	}
}

// checkPage compares one page with the reference.
func checkPage(t *testing.T, name string, keys []string, bucket, prefix, delim, marker string, mk int, res ListPage) {
	t.Helper()
	all := refList(keys, prefix, delim, marker)
	want := all[:min(mk, len(all))]
	got := pageEntries(t, bucket, res)
	if !slices.Equal(got, want) {
		t.Errorf("%s: page\n got %v\nwant %v\nkeys %q", name, got, want, keys)
		return
	}
	if res.IsTruncated != (len(all) > mk) {
		t.Errorf("%s: IsTruncated=%v with %d entries left and MaxKeys %d", name, res.IsTruncated, len(all), mk)
	}
	wantNext := ""
	if len(want) > 0 {
		wantNext = want[len(want)-1].name
	}
	if res.IsTruncated && res.NextMarker != wantNext {
		t.Errorf("%s: NextMarker=%q, want %q", name, res.NextMarker, wantNext)
	}
}

func TestListEdgeCases(t *testing.T) {
	s := newTestStore(t)
	if err := s.CreateBucket(Bucket{Name: "b"}); err != nil {
		t.Fatal(err)
	}
	res, err := s.List("b", ListOptions{MaxKeys: 1000})
	if err != nil || len(res.Objects) != 0 || len(res.CommonPrefixes) != 0 || res.IsTruncated {
		t.Fatalf("empty bucket: %+v, %v", res, err)
	}
	for _, k := range []string{"a/1", "a/2", "a/b/c", "b", "c/"} {
		putKey(t, s, "b", k)
	}
	res, err = s.List("b", ListOptions{MaxKeys: 0})
	if err != nil || len(res.Objects) != 0 || len(res.CommonPrefixes) != 0 {
		t.Fatalf("MaxKeys 0: %+v, %v", res, err)
	}
	res, err = s.List("b", ListOptions{Delimiter: "/", MaxKeys: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if got := pageEntries(t, "b", res); !slices.Equal(got, []entry{{"a/", true}, {"b", false}, {"c/", true}}) {
		t.Fatalf("delimiter listing: %v", got)
	}
	// The marker is a common prefix: everything under it is skipped.
	res, err = s.List("b", ListOptions{Delimiter: "/", Marker: "a/", MaxKeys: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if got := pageEntries(t, "b", res); !slices.Equal(got, []entry{{"b", false}, {"c/", true}}) {
		t.Fatalf("marker a/: %v", got)
	}
	res, err = s.List("b", ListOptions{Prefix: "a/", Delimiter: "/", MaxKeys: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if got := pageEntries(t, "b", res); !slices.Equal(got, []entry{{"a/1", false}, {"a/2", false}, {"a/b/", true}}) {
		t.Fatalf("prefix a/: %v", got)
	}
}

func TestListMissingBucket(t *testing.T) {
	s := newTestStore(t)
	_, err := s.List("nope", ListOptions{MaxKeys: 10})
	if !errors.Is(err, ErrNoSuchBucket) {
		t.Fatalf("List on missing bucket: %v, want ErrNoSuchBucket", err)
	}
}

func TestBucketsCRUD(t *testing.T) {
	s := newTestStore(t)
	if bs, err := s.Buckets(); err != nil || len(bs) != 0 {
		t.Fatalf("Buckets on new store: %v, %v", bs, err)
	}
	created := time.Date(2024, 5, 6, 7, 8, 9, 10, time.UTC)
	for _, n := range []string{"zeta", "alpha", "mid", "alpha-2"} {
		if err := s.CreateBucket(Bucket{Name: n, Owner: "own-" + n, Created: created}); err != nil {
			t.Fatalf("CreateBucket(%s): %v", n, err)
		}
	}
	if err := s.CreateBucket(Bucket{Name: "mid", Owner: "other"}); !errors.Is(err, ErrBucketExists) {
		t.Fatalf("CreateBucket twice: %v, want ErrBucketAlreadyOwnedByYou", err)
	}
	b, err := s.Bucket("mid")
	if err != nil || b.Owner != "own-mid" || !b.Created.Equal(created) {
		t.Fatalf("Bucket(mid) = %+v, %v (the second create must not overwrite)", b, err)
	}
	if _, err := s.Bucket("nope"); !errors.Is(err, ErrNoSuchBucket) {
		t.Fatalf("Bucket(nope): %v", err)
	}
	bs, err := s.Buckets()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range bs {
		names = append(names, b.Name)
	}
	if !slices.Equal(names, []string{"alpha", "alpha-2", "mid", "zeta"}) {
		t.Fatalf("Buckets = %v", names)
	}

	putKey(t, s, "mid", "x")
	if err := s.DeleteBucket("mid"); !errors.Is(err, ErrBucketNotEmpty) {
		t.Fatalf("DeleteBucket on non-empty: %v, want ErrBucketNotEmpty", err)
	}
	// An object in a bucket whose name extends another's does not make it non-empty.
	putKey(t, s, "alpha-2", "y")
	if err := s.DeleteBucket("alpha"); err != nil {
		t.Fatalf("DeleteBucket(alpha) with objects only in alpha-2: %v", err)
	}
	if err := s.DeleteObject("mid", "x"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteBucket("mid"); err != nil {
		t.Fatalf("DeleteBucket after emptying: %v", err)
	}
	if err := s.DeleteBucket("mid"); !errors.Is(err, ErrNoSuchBucket) {
		t.Fatalf("DeleteBucket twice: %v, want ErrNoSuchBucket", err)
	}
	if _, err := s.Bucket("mid"); !errors.Is(err, ErrNoSuchBucket) {
		t.Fatalf("Bucket after delete: %v", err)
	}
	// A deleted bucket can be created again, and is empty.
	if err := s.CreateBucket(Bucket{Name: "mid"}); err != nil {
		t.Fatal(err)
	}
	res, err := s.List("mid", ListOptions{MaxKeys: 10})
	if err != nil || len(res.Objects) != 0 {
		t.Fatalf("recreated bucket lists %+v, %v", res, err)
	}
	if err := s.CommitPut("nope", "k", Object{ID: memo.ObjectID(testID())}, Layout{}, nil); !errors.Is(err, ErrNoSuchBucket) {
		t.Fatalf("CommitPut into missing bucket: %v", err)
	}
}

// beginAndCommit records an upload intent for obj and commits it, as the
// Layer does around sending chunks.
func beginAndCommit(s *Store, bucket, key string, obj Object, l Layout, check func(*Object) error) error {
	if err := s.BeginPut(memo.DataOf(obj.ID), l.Providers); err != nil {
		return err
	}
	return s.CommitPut(bucket, key, obj, l, check)
}
