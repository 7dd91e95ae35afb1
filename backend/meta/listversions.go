package meta

// ListVersions: S3 ListObjectVersions over o/ and v/.
//
// Invariants:
//   - Keys come from o/ (a key has an o/ record iff it has a version), in
//     key order; a key's versions from v/, newest first. A page seeks
//     straight to (key-marker, the marker version's seq): it never reads
//     the versions of a key that precede the marker.
//   - Versions and common prefixes together count towards MaxKeys.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cockroachdb/pebble/v2"
)

// VersionListOptions selects a page of ListVersions.
type VersionListOptions struct {
	Prefix, Delimiter string
	// KeyMarker and VersionIDMarker: list what follows that version (all
	// of KeyMarker's versions when VersionIDMarker is "").
	KeyMarker, VersionIDMarker string
	MaxKeys                    int
}

// VersionEntry is one version of a listing.
type VersionEntry struct {
	Key      string
	IsLatest bool
	Object
}

// VersionPage is one page of ListVersions.
type VersionPage struct {
	Versions       []VersionEntry
	CommonPrefixes []string
	IsTruncated    bool
	// NextKeyMarker / NextVersionIDMarker name the last entry returned
	// (a common prefix has no version id).
	NextKeyMarker, NextVersionIDMarker string
}

// versionLister walks one ListVersions page.
type versionLister struct {
	s       *Store
	bucket  string
	opts    VersionListOptions
	objects *pebble.Iterator // o/ of the bucket, within the prefix
	vers    *pebble.Iterator // v/ of the bucket
	res     VersionPage
	n       int
}

// ListVersions returns a page of bucket's versions and delete markers.
func (s *Store) ListVersions(bucket string, opts VersionListOptions) (VersionPage, error) {
	if _, err := s.Bucket(bucket); err != nil {
		return VersionPage{}, err
	}
	if opts.MaxKeys <= 0 {
		return VersionPage{}, nil
	}
	upper := append([]byte("o/"+bucket), 1)
	if end := prefixEnd(opts.Prefix); end != "" {
		upper = objectKey(bucket, end)
	}
	objects, err := s.db.NewIter(&pebble.IterOptions{LowerBound: objectKey(bucket, opts.Prefix), UpperBound: upper})
	if err != nil {
		return VersionPage{}, fmt.Errorf("list versions of %s: %w", bucket, err)
	}
	defer objects.Close()
	vers, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte("v/" + bucket + "\x00"), UpperBound: append([]byte("v/"+bucket), 1)})
	if err != nil {
		return VersionPage{}, fmt.Errorf("list versions of %s: %w", bucket, err)
	}
	defer vers.Close()
	l := &versionLister{s: s, bucket: bucket, opts: opts, objects: objects, vers: vers}
	return l.res, l.run()
}

func (l *versionLister) commonPrefix(key string) string {
	if l.opts.Delimiter == "" || !strings.HasPrefix(key, l.opts.Prefix) {
		return ""
	}
	rest := key[len(l.opts.Prefix):]
	if i := strings.Index(rest, l.opts.Delimiter); i >= 0 {
		return l.opts.Prefix + rest[:i+len(l.opts.Delimiter)]
	}
	return ""
}

// skipPast positions the o/ iterator after every key starting with p.
func (l *versionLister) skipPast(p string) bool {
	if end := prefixEnd(p); end != "" {
		return l.objects.SeekGE(objectKey(l.bucket, end))
	}
	return false
}

// start positions the o/ iterator at the first key to list and returns the
// seq below which that key's versions are listed (0: all of them).
func (l *versionLister) start() (valid bool, below uint64, err error) {
	m := l.opts.KeyMarker
	if m == "" || m < l.opts.Prefix { // every key listed is after m
		return l.objects.First(), 0, nil
	}
	if cp := l.commonPrefix(m); cp == m {
		return l.skipPast(cp), 0, nil
	}
	after := func() bool { return l.objects.SeekGE(append(objectKey(l.bucket, m), 0)) }
	if l.opts.VersionIDMarker == "" {
		return after(), 0, nil
	}
	seq, ok := versionSeq(l.opts.VersionIDMarker)
	if l.opts.VersionIDMarker == NullVersion {
		o, err := l.s.nullVersion(l.bucket, m)
		if err != nil || o.Seq == 0 {
			return after(), 0, nil // gone, or legacy: the key's only version
		}
		seq, ok = o.Seq, true
	}
	if !ok {
		return after(), 0, nil
	}
	valid = l.objects.SeekGE(objectKey(l.bucket, m))
	if valid && string(l.objects.Key()) != string(objectKey(l.bucket, m)) {
		return valid, 0, nil
	}
	return valid, seq, nil
}

func (l *versionLister) run() error {
	valid, below, err := l.start()
	if err != nil {
		return err
	}
	base := len(objectKey(l.bucket, ""))
	for ; valid; below = 0 {
		key := string(l.objects.Key()[base:])
		if cp := l.commonPrefix(key); cp != "" {
			if !l.add(VersionEntry{}, cp) {
				return nil
			}
			valid = l.skipPast(cp)
			continue
		}
		var latest Object
		if err := json.Unmarshal(l.objects.Value(), &latest); err != nil {
			return fmt.Errorf("decode object %s/%s: %w", l.bucket, key, err)
		}
		more, err := l.versions(key, latest, below)
		if err != nil || !more {
			return err
		}
		valid = l.objects.Next()
	}
	return l.objects.Error()
}

// add appends a version (or common prefix cp) to the page; false once the
// page is full, marking it truncated.
func (l *versionLister) add(v VersionEntry, cp string) bool {
	if l.n == l.opts.MaxKeys {
		l.res.IsTruncated = true
		return false
	}
	l.n++
	if cp != "" {
		l.res.CommonPrefixes = append(l.res.CommonPrefixes, cp)
		l.res.NextKeyMarker, l.res.NextVersionIDMarker = cp, ""
		return true
	}
	l.res.Versions = append(l.res.Versions, v)
	l.res.NextKeyMarker, l.res.NextVersionIDMarker = v.Key, v.Version()
	return true
}

// versions lists key's versions older than below (all if 0); false once
// the page is full.
func (l *versionLister) versions(key string, latest Object, below uint64) (bool, error) {
	if latest.Seq == 0 { // legacy: o/ is the key's only version
		if below != 0 {
			return true, nil
		}
		return l.add(VersionEntry{Key: key, IsLatest: true, Object: latest}, ""), nil
	}
	prefix := versionPrefix(l.bucket, key)
	seek := prefix
	if below != 0 {
		seek = append(versionKey(l.bucket, key, below), 0)
	}
	for valid := l.vers.SeekGE(seek); valid && bytes.HasPrefix(l.vers.Key(), prefix); valid = l.vers.Next() {
		if len(l.vers.Key()) != len(prefix)+8 {
			continue // a longer key sharing the prefix
		}
		var o Object
		if err := json.Unmarshal(l.vers.Value(), &o); err != nil {
			return false, fmt.Errorf("decode %q: %w", l.vers.Key(), err)
		}
		if !l.add(VersionEntry{Key: key, IsLatest: o.Seq == latest.Seq, Object: o}, "") {
			return false, nil
		}
	}
	return true, l.vers.Error()
}
