package meta

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/erasure"
)

// refVersion is one version in the reference model.
type refVersion struct {
	id     string // "null" for the null version
	marker bool
	data   erasure.DataID
}

// refBucket is a brute-force model of a bucket's versions: per key, newest first.
type refBucket struct {
	state   string
	keys    map[string][]refVersion
	garbage map[erasure.DataID]bool // data of every version removed
}

func (m *refBucket) removeAt(key string, i int) {
	v := m.keys[key][i]
	if !v.marker {
		m.garbage[v.data] = true
	}
	m.keys[key] = slices.Delete(m.keys[key], i, i+1)
	if len(m.keys[key]) == 0 {
		delete(m.keys, key)
	}
}

func (m *refBucket) nullIndex(key string) int {
	return slices.IndexFunc(m.keys[key], func(v refVersion) bool { return v.id == NullVersion })
}

// add is a write of v (its id already assigned) under the bucket's state.
func (m *refBucket) add(key string, v refVersion) {
	if m.state != VersioningEnabled { // unversioned or suspended: v replaces the null version
		if i := m.nullIndex(key); i >= 0 {
			m.removeAt(key, i)
		}
	}
	m.keys[key] = append([]refVersion{v}, m.keys[key]...)
}

func (m *refBucket) sortedKeys() []string {
	var ks []string
	for k := range m.keys {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// list is the reference ListVersions over the whole bucket: "key@id" per
// version ("!" marks a delete marker, "*" the latest) and common prefixes.
func (m *refBucket) list(prefix, delim string) (vers, cps []string) {
	for _, k := range m.sortedKeys() {
		if !strings.HasPrefix(k, prefix) {
			continue
		}
		if cp := refCommonPrefix(k, prefix, delim); cp != "" {
			if len(cps) == 0 || cps[len(cps)-1] != cp {
				cps = append(cps, cp)
			}
			continue
		}
		for i, v := range m.keys[k] {
			vers = append(vers, refEntry(k, v.id, v.marker, i == 0))
		}
	}
	return vers, cps
}

func refEntry(key, id string, marker, latest bool) string {
	s := key + "@" + id
	if marker {
		s += "!"
	}
	if latest {
		s += "*"
	}
	return s
}

// pagedVersions lists bucket through ListVersions in pages of max entries.
func pagedVersions(t *testing.T, s *Store, bucket, prefix, delim string, max int) (vers, cps []string) {
	t.Helper()
	opts := VersionListOptions{Prefix: prefix, Delimiter: delim, MaxKeys: max}
	for pages := 0; ; pages++ {
		if pages > 10000 {
			t.Fatal("ListVersions does not end")
		}
		page, err := s.ListVersions(bucket, opts)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(page.Versions) + len(page.CommonPrefixes); n > max {
			t.Fatalf("page of %d entries, MaxKeys %d", n, max)
		}
		for _, v := range page.Versions {
			vers = append(vers, refEntry(v.Key, v.Version(), v.DeleteMarker, v.IsLatest))
		}
		cps = append(cps, page.CommonPrefixes...)
		if !page.IsTruncated {
			return vers, cps
		}
		opts.KeyMarker, opts.VersionIDMarker = page.NextKeyMarker, page.NextVersionIDMarker
	}
}

// check compares the store with the model: latest of every key, listings
// paged and not, ListObjects, and the garbage.
func (m *refBucket) check(t *testing.T, s *Store, bucket string, rng *rand.Rand, step string) {
	t.Helper()
	for _, k := range []string{"a", "a/b", "b", "c/d", "c/e"} {
		o, err := s.Version(bucket, k, "")
		vs := m.keys[k]
		switch {
		case len(vs) == 0 && !errors.Is(err, ErrNoSuchKey):
			t.Fatalf("%s: latest of %q: %+v, %v; want none", step, k, o, err)
		case len(vs) > 0 && (err != nil || o.Version() != vs[0].id || o.DeleteMarker != vs[0].marker):
			t.Fatalf("%s: latest of %q: %+v, %v; want %+v", step, k, o, err, vs[0])
		}
	}
	for _, q := range []struct{ prefix, delim string }{{"", ""}, {"", "/"}, {"c/", ""}, {"a", "/"}} {
		wantV, wantC := m.list(q.prefix, q.delim)
		max := 1 + rng.IntN(4)
		gotV, gotC := pagedVersions(t, s, bucket, q.prefix, q.delim, max)
		if !slices.Equal(gotV, wantV) || !slices.Equal(gotC, wantC) {
			t.Fatalf("%s: ListVersions(%q, %q, max %d):\n got %v %v\nwant %v %v", step, q.prefix, q.delim, max, gotV, gotC, wantV, wantC)
		}
	}
	var live []string
	for _, k := range m.sortedKeys() {
		if !m.keys[k][0].marker {
			live = append(live, k)
		}
	}
	var got []string
	lo := ListOptions{MaxKeys: 1 + rng.IntN(3)}
	for pages := 0; ; pages++ {
		page, err := s.List(bucket, lo)
		if err != nil || pages > 100 {
			t.Fatalf("%s: List: %v after %d pages", step, err, pages)
		}
		for _, o := range page.Objects {
			got = append(got, o.Key)
		}
		if !page.IsTruncated {
			break
		}
		if len(got) >= len(live) { // only delete markers follow: not truncated
			t.Fatalf("%s: List truncated after the last live key (%v)", step, got)
		}
		lo.Marker = page.NextMarker
	}
	if !slices.Equal(got, live) {
		t.Fatalf("%s: List in pages of %d: %v, want %v", step, lo.MaxKeys, got, live)
	}
	g, err := s.scan("g/")
	if err != nil {
		t.Fatal(err)
	}
	gotG := map[erasure.DataID]bool{}
	for _, p := range g {
		gotG[p.ID] = true
	}
	if len(gotG) != len(m.garbage) {
		t.Fatalf("%s: %d garbage records, want %d", step, len(gotG), len(m.garbage))
	}
	for id := range m.garbage {
		if !gotG[id] {
			t.Fatalf("%s: data %x of a removed version is not garbage", step, id)
		}
	}
}

// TestVersionsAgainstModel runs random puts, deletes, version deletes and
// versioning changes against the store and a brute-force model.
func TestVersionsAgainstModel(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			s := newTestStore(t)
			if err := s.CreateBucket(Bucket{Name: "b"}); err != nil {
				t.Fatal(err)
			}
			m := &refBucket{keys: map[string][]refVersion{}, garbage: map[erasure.DataID]bool{}}
			rng := rand.New(rand.NewPCG(seed, 7))
			keys := []string{"a", "a/b", "b", "c/d", "c/e"}
			for step := 0; step < 250; step++ {
				key := keys[rng.IntN(len(keys))]
				desc := ""
				switch op := rng.IntN(10); {
				case op == 0:
					state := []string{VersioningEnabled, VersioningSuspended}[rng.IntN(2)]
					if m.state == "" && rng.IntN(3) > 0 {
						break // stay unversioned a while
					}
					if err := s.SetVersioning("b", state); err != nil {
						t.Fatal(err)
					}
					m.state, desc = state, "versioning "+state
				case op <= 4:
					id := testID()
					obj := Object{ID: memo.ObjectID(id), ModTime: time.Now()}
					if err := s.BeginPut(id, []string{"p"}); err != nil {
						t.Fatal(err)
					}
					got, err := s.CommitPutVersion("b", key, obj, Layout{K: 1, Providers: []string{"p"}}, CommitOptions{})
					if err != nil {
						t.Fatal(err)
					}
					m.add(key, refVersion{id: got.Version(), data: id})
					desc = "put " + key + " → " + got.Version()
				case op <= 6:
					o, err := s.Delete("b", key, DeleteOptions{})
					if m.state == "" {
						if len(m.keys[key]) == 0 {
							if !errors.Is(err, ErrNoSuchKey) {
								t.Fatalf("delete of missing %q: %v", key, err)
							}
							break
						}
						m.removeAt(key, 0)
						break
					}
					if err != nil || !o.DeleteMarker {
						t.Fatalf("delete %q: %+v, %v; want a marker", key, o, err)
					}
					m.add(key, refVersion{id: o.Version(), marker: true})
					desc = "delete " + key + " → marker " + o.Version()
				default:
					vs := m.keys[key]
					if len(vs) == 0 || rng.IntN(5) == 0 {
						vid := []string{NullVersion, newVersionID(1 << 40)}[rng.IntN(2)]
						if slices.ContainsFunc(vs, func(v refVersion) bool { return v.id == vid }) {
							break
						}
						if _, err := s.Delete("b", key, DeleteOptions{VersionID: vid}); !errors.Is(err, ErrNoSuchVersion) {
							t.Fatalf("delete of missing version %s of %q: %v", vid, key, err)
						}
						break
					}
					i := rng.IntN(len(vs))
					if _, err := s.Delete("b", key, DeleteOptions{VersionID: vs[i].id}); err != nil {
						t.Fatalf("delete version %s of %q: %v", vs[i].id, key, err)
					}
					desc = "delete version " + vs[i].id + " of " + key
					m.removeAt(key, i)
				}
				m.check(t, s, "b", rng, fmt.Sprintf("step %d (%s)", step, desc))
			}
		})
	}
}

func TestVersionIDs(t *testing.T) {
	seen := map[string]bool{}
	for _, seq := range []uint64{1, 2, 1 << 32, ^uint64(0) >> 1} {
		id := newVersionID(seq)
		got, ok := versionSeq(id)
		if len(id) != 32 || !ok || got != seq || seen[id] {
			t.Fatalf("newVersionID(%d) = %q decodes to %d, %v", seq, id, got, ok)
		}
		seen[id] = true
	}
	for _, bad := range []string{"", "null", strings.Repeat("x", 31), strings.Repeat("!", 32), "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
		if _, ok := versionSeq(bad); ok {
			t.Errorf("versionSeq(%q) accepted", bad)
		}
	}
}

func TestLockForbids(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		lock   Lock
		bypass bool
		want   bool
	}{
		{Lock{}, false, false},
		{Lock{Mode: LockGovernance, RetainUntil: now.Add(time.Second)}, false, true},
		{Lock{Mode: LockGovernance, RetainUntil: now.Add(time.Second)}, true, false},
		{Lock{Mode: LockGovernance, RetainUntil: now}, false, false},
		{Lock{Mode: LockCompliance, RetainUntil: now.Add(time.Second)}, true, true},
		{Lock{Mode: LockCompliance, RetainUntil: now.Add(-time.Second)}, false, false},
		{Lock{LegalHold: true}, true, true},
		{Lock{Mode: LockGovernance, RetainUntil: now.Add(-time.Hour), LegalHold: true}, true, true},
	}
	for _, c := range cases {
		if got := c.lock.Forbids(now, c.bypass); got != c.want {
			t.Errorf("%+v bypass=%v: Forbids = %v, want %v", c.lock, c.bypass, got, c.want)
		}
	}
}

// TestLockedVersionStays: a locked version refuses removal in the batch
// that would drop it, leaving no garbage, and Held covers every data id.
func TestLockedVersionStays(t *testing.T) {
	s := newTestStore(t)
	if err := s.CreateBucket(Bucket{Name: "b", Versioning: VersioningEnabled}); err != nil {
		t.Fatal(err)
	}
	id := testID()
	if err := s.BeginPut(id, []string{"p"}); err != nil {
		t.Fatal(err)
	}
	until := time.Now().Add(time.Hour)
	o, err := s.CommitPutVersion("b", "k", Object{ID: memo.ObjectID(id)}, Layout{K: 1, Providers: []string{"p"}},
		CommitOptions{Lock: Lock{Mode: LockCompliance, RetainUntil: until}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Delete("b", "k", DeleteOptions{VersionID: o.VersionID, BypassGovernance: true}); !errors.Is(err, ErrLocked) {
		t.Fatalf("delete of a COMPLIANCE version: %v, want ErrLocked", err)
	}
	if g, _ := s.scan("g/"); len(g) != 0 {
		t.Fatalf("refused delete left garbage %v", g)
	}
	if held, err := s.Held(id, time.Now()); err != nil || !held {
		t.Fatalf("Held before retain-until: %v, %v", held, err)
	}
	if held, err := s.Held(id, until.Add(time.Second)); err != nil || held {
		t.Fatalf("Held after retain-until: %v, %v", held, err)
	}
	if _, err := s.Delete("b", "k", DeleteOptions{VersionID: o.VersionID, Now: until.Add(time.Second)}); err != nil {
		t.Fatalf("delete after retain-until: %v", err)
	}
	if held, err := s.Held(id, time.Now()); err != nil || held {
		t.Fatalf("Held after the version is gone: %v, %v", held, err)
	}
}

// TestConcurrentVersions: versions committed at once each get a distinct id,
// ListVersions orders them by commit (seq), and o/ is the newest.
func TestConcurrentVersions(t *testing.T) {
	s := newTestStore(t)
	if err := s.CreateBucket(Bucket{Name: "b", Versioning: VersioningEnabled}); err != nil {
		t.Fatal(err)
	}
	const writers, each = 8, 10
	ids := make([]erasure.DataID, writers*each)
	for i := range ids {
		ids[i] = testID()
	}
	errs := make(chan error, writers)
	for w := 0; w < writers; w++ {
		go func() {
			for i := 0; i < each; i++ {
				id := ids[w*each+i]
				if err := s.BeginPut(id, []string{"p"}); err != nil {
					errs <- err
					return
				}
				if _, err := s.CommitPutVersion("b", "k", Object{ID: memo.ObjectID(id)}, Layout{K: 1, Providers: []string{"p"}}, CommitOptions{}); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for w := 0; w < writers; w++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	page, err := s.ListVersions("b", VersionListOptions{MaxKeys: 1000})
	if err != nil || len(page.Versions) != writers*each {
		t.Fatalf("ListVersions: %d versions, %v; want %d", len(page.Versions), err, writers*each)
	}
	seen := map[string]bool{}
	for i, v := range page.Versions {
		if seen[v.VersionID] || i > 0 && v.Seq >= page.Versions[i-1].Seq || v.IsLatest != (i == 0) {
			t.Fatalf("version %d: %+v (previous seq %d)", i, v, page.Versions[max(i-1, 0)].Seq)
		}
		seen[v.VersionID] = true
	}
	latest, err := s.Object("b", "k")
	if err != nil || latest.VersionID != page.Versions[0].VersionID {
		t.Fatalf("latest %+v, %v; want %s", latest, err, page.Versions[0].VersionID)
	}
}
