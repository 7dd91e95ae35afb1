package meta

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cockroachdb/pebble/v2"

	"github.com/mefs-project/mefs/backend/memo"
)

// BeginPut durably records that chunks of object id are about to be written
// to providers, so they are collected if the upload never commits.
func (s *Store) BeginPut(id memo.DataID, providers []string) error {
	if err := s.db.Set(intentKey(id), gobEnc(providers), pebble.Sync); err != nil {
		return fmt.Errorf("record upload intent %s: %w", id, err)
	}
	return nil
}

// CommitPut makes obj visible at bucket/key with its layout, in one batch
// that also retires the upload's intent and turns any object it replaces
// into garbage. check, if not nil, vets the object being replaced (nil if
// none) first, atomically with the commit.
func (s *Store) CommitPut(bucket, key string, obj Object, l Layout, check func(old *Object) error) error {
	_, err := s.CommitPutVersion(bucket, key, obj, l, CommitOptions{Check: check})
	return err
}

// CommitPutVersion is CommitPut with options; in a versioned bucket obj
// becomes the key's newest version (versions.go). It returns obj as
// committed, with its version id.
//
// The batch is applied under mu without waiting for the WAL, and made
// durable after mu is released (groupcommit.go), so concurrent PUTs share
// one WAL fsync instead of queueing behind each other's.
func (s *Store) CommitPutVersion(bucket, key string, obj Object, l Layout, opts CommitOptions) (Object, error) {
	if err := s.commitPut(bucket, key, &obj, l, opts); err != nil {
		return Object{}, err
	}
	if err := s.sync(); err != nil {
		return Object{}, fmt.Errorf("commit object %s/%s: %w", bucket, key, err)
	}
	return obj, nil
}

func (s *Store) commitPut(bucket, key string, obj *Object, l Layout, opts CommitOptions) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	bkt, err := s.Bucket(bucket)
	if err != nil {
		return err
	}
	data := memo.DataOf(obj.ID) // a PutObject's single part
	if l.Inline == nil {        // an inline object sent no chunks: it has no intent
		if err := s.hasIntent(data); err != nil {
			return err
		}
	}
	strays := l.Strays
	l.Strays = nil
	if err := s.checkLatest(bucket, key, opts.Check); err != nil {
		return err
	}
	b := s.db.NewBatch()
	defer b.Close()
	if err := s.placeObject(b, bkt, key, obj, []memo.DataID{data}, opts.Lock); err != nil {
		return err
	}
	b.Set(layoutKey(obj.ID), encodeLayout(l), nil)
	b.Delete(intentKey(data), nil)
	if len(strays) > 0 {
		b.Set(garbageKey(data), gobEnc(strays), nil)
	}
	s.indexLayout(b, []memo.DataID{data}, l, true)
	if l.Missing() {
		b.Set(repairKey(obj.ID), nil, nil)
	}
	if err := s.commitBatchWith(b, pebble.NoSync); err != nil {
		return fmt.Errorf("commit object %s/%s: %w", bucket, key, err)
	}
	return nil
}

// placeObject adds to b obj's header as bucket/key's latest: replacing the
// object there in an unversioned bucket, as a new version in a versioned one.
func (s *Store) placeObject(b *pebble.Batch, bkt Bucket, key string, obj *Object, data []memo.DataID, lock Lock) error {
	if bkt.Versioning != "" {
		return s.putVersion(b, bkt, key, obj, data, lock, time.Now())
	}
	if err := s.dropObject(b, bkt.Name, key); err != nil {
		return err
	}
	b.Set(objectKey(bkt.Name, key), jsonEnc(obj), nil)
	if !lock.IsZero() {
		s.setLock(b, obj.ID, data, lock)
	}
	return nil
}

// dropObject adds to b the removal of bucket/key, if it exists, and the
// garbage record of its chunks.
func (s *Store) dropObject(b *pebble.Batch, bucket, key string) error {
	old, err := s.Object(bucket, key)
	if err == ErrNoSuchKey {
		return nil
	}
	if err != nil {
		return err
	}
	l, err := s.Layout(old.ID)
	if err != nil {
		return err
	}
	b.Delete(objectKey(bucket, key), nil)
	s.dropLayout(b, old.ID, l)
	return nil
}

// dropLayout adds to b the removal of object id's layout l, its chunk index
// entries, repair mark and lock, and the garbage records of its chunks; a
// packed object leaves its pack (settled at commit: pack.go).
func (s *Store) dropLayout(b *pebble.Batch, id memo.ObjectID, l Layout) {
	ids := l.DataIDs(id)
	b.Delete(layoutKey(id), nil)
	b.Delete(repairKey(id), nil)
	s.dropLock(b, id, ids)
	s.indexLayout(b, ids, l, false)
	if l.Pack != nil {
		unpack(b, id, *l.Pack)
	}
	for _, d := range ids {
		if len(l.Providers) > 0 { // an inline or packed object has no chunks of its own
			b.Set(garbageKey(d), gobEnc(l.Providers), nil)
		}
	}
}

// AbortPut turns an upload's intent into garbage.
func (s *Store) AbortPut(id memo.DataID, providers []string) error {
	b := s.db.NewBatch()
	defer b.Close()
	b.Delete(intentKey(id), nil)
	b.Set(garbageKey(id), gobEnc(providers), nil)
	if err := s.commitBatch(b); err != nil {
		return fmt.Errorf("abort upload %s: %w", id, err)
	}
	return nil
}

// DeleteObject removes bucket/key's latest version (in a versioned bucket:
// adds a delete marker); ErrNoSuchKey if an unversioned key is not there.
func (s *Store) DeleteObject(bucket, key string) error {
	_, err := s.Delete(bucket, key, DeleteOptions{Marker: Object{ModTime: time.Now().UTC()}})
	return err
}

// ProviderSet is an object whose chunks on Peers are to be deleted.
type ProviderSet struct {
	ID        memo.DataID
	Providers []string
}

func (s *Store) scan(prefix string) ([]ProviderSet, error) {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte(prefix), UpperBound: []byte(prefixEnd(prefix))})
	if err != nil {
		return nil, fmt.Errorf("scan %s: %w", prefix, err)
	}
	defer it.Close()
	var out []ProviderSet
	for it.First(); it.Valid(); it.Next() {
		var g ProviderSet
		copy(g.ID[:], it.Key()[len(prefix):])
		if err := gobDec(&g.Providers)(it.Value()); err != nil {
			return nil, fmt.Errorf("decode %q: %w", it.Key(), err)
		}
		out = append(out, g)
	}
	return out, it.Error()
}

// Garbage lists the objects whose chunks await deletion.
//
// Every record it returns is durable first: a record committed without
// waiting for the WAL (CommitPut) must not have its chunks deleted before
// the commit that made it garbage can no longer be lost.
func (s *Store) Garbage() ([]ProviderSet, error) {
	sets, err := s.scan("g/")
	if err == nil {
		err = s.sync()
	}
	return sets, err
}

// GarbageCount is how many objects' chunks await deletion: the length of
// Garbage, without decoding the records or waiting for the WAL (for
// metrics and status, read on every scrape).
func (s *Store) GarbageCount() (int, error) {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte("g/"), UpperBound: []byte(prefixEnd("g/"))})
	if err != nil {
		return 0, fmt.Errorf("count garbage: %w", err)
	}
	defer it.Close()
	n := 0
	for it.First(); it.Valid(); it.Next() {
		n++
	}
	return n, it.Error()
}

// Intents lists the uploads begun and neither committed nor aborted.
func (s *Store) Intents() ([]ProviderSet, error) { return s.scan("p/") }

// prefixEnd returns the smallest string greater than every string with
// prefix p, or "" if there is none.
func prefixEnd(p string) string {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1])
		}
	}
	return ""
}

// List returns a page of bucket's objects (S3 ListObjects semantics).
func (s *Store) List(bucket string, opts ListOptions) (ListPage, error) {
	var res ListPage
	if _, err := s.Bucket(bucket); err != nil {
		return res, err
	}
	if opts.MaxKeys <= 0 {
		return res, nil
	}
	base := objectKey(bucket, "")
	upper := []byte(nil)
	if end := prefixEnd(opts.Prefix); end != "" {
		upper = objectKey(bucket, end)
	} else {
		upper = append([]byte("o/"+bucket), 1)
	}
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: objectKey(bucket, opts.Prefix), UpperBound: upper})
	if err != nil {
		return res, fmt.Errorf("list %s: %w", bucket, err)
	}
	defer it.Close()

	// commonPrefix returns the CommonPrefix key rolls up into, or "".
	commonPrefix := func(key string) string {
		if opts.Delimiter == "" || !strings.HasPrefix(key, opts.Prefix) {
			return ""
		}
		rest := key[len(opts.Prefix):]
		if i := strings.Index(rest, opts.Delimiter); i >= 0 {
			return opts.Prefix + rest[:i+len(opts.Delimiter)]
		}
		return ""
	}
	// skipPast positions the iterator after every key starting with p.
	skipPast := func(p string) bool {
		if end := prefixEnd(p); end != "" {
			return it.SeekGE(objectKey(bucket, end))
		}
		return false
	}

	valid := it.First()
	if opts.Marker != "" && opts.Marker >= opts.Prefix {
		if cp := commonPrefix(opts.Marker); cp == opts.Marker {
			valid = skipPast(cp)
		} else {
			valid = it.SeekGE(append(objectKey(bucket, opts.Marker), 0))
		}
	}
	n := 0
	for valid {
		key := string(it.Key()[len(base):])
		var o Object
		if err := json.Unmarshal(it.Value(), &o); err != nil {
			return res, fmt.Errorf("decode object %s/%s: %w", bucket, key, err)
		}
		if o.DeleteMarker {
			// A key whose latest is a delete marker is not listed, nor
			// does it make a common prefix of its own.
			valid = it.Next()
			continue
		}
		if n == opts.MaxKeys {
			res.IsTruncated = true
			break
		}
		if cp := commonPrefix(key); cp != "" {
			res.CommonPrefixes = append(res.CommonPrefixes, cp)
			res.NextMarker = cp
			n++
			valid = skipPast(cp)
			continue
		}
		res.Objects = append(res.Objects, ListEntry{Bucket: bucket, Key: key, Object: o})
		res.NextMarker = key
		n++
		valid = it.Next()
	}
	return res, it.Error()
}

// Collected removes from data id's garbage record the Providers whose
// chunks of it were deleted, forgetting the record when none is left.
// Providers added meanwhile (AddGarbage) stay.
func (s *Store) Collected(id memo.DataID, deleted []string) error {
	return s.updateGarbage(id, func(cur []string) []string {
		return slices.DeleteFunc(cur, func(p string) bool { return slices.Contains(deleted, p) })
	})
}

// AddGarbage adds providers to the garbage record of data id.
func (s *Store) AddGarbage(id memo.DataID, providers []string) error {
	return s.updateGarbage(id, func(cur []string) []string {
		for _, p := range providers {
			if !slices.Contains(cur, p) {
				cur = append(cur, p)
			}
		}
		return cur
	})
}

// updateGarbage rewrites data id's garbage record with fn, under mu; an
// empty result forgets the record.
func (s *Store) updateGarbage(id memo.DataID, fn func([]string) []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var cur []string
	if _, err := s.get(garbageKey(id), gobDec(&cur)); err != nil {
		return err
	}
	var err error
	if left := fn(cur); len(left) == 0 {
		err = s.db.Delete(garbageKey(id), pebble.Sync)
	} else {
		err = s.db.Set(garbageKey(id), gobEnc(left), pebble.Sync)
	}
	if err != nil {
		return fmt.Errorf("record garbage %s: %w", id, err)
	}
	return nil
}

// CheckObject runs check on the object at bucket/key (nil if none or a
// delete marker).
func (s *Store) CheckObject(bucket, key string, check func(old *Object) error) error {
	return s.checkLatest(bucket, key, check)
}

// errIntentGone reports a commit whose upload intent no longer exists: its
// chunks may already have been collected, so it must not commit.
var errIntentGone = errors.New("upload intent is gone; its chunks may have been collected")

func (s *Store) hasIntent(id memo.DataID) error {
	found, err := s.get(intentKey(id), func([]byte) error { return nil })
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("commit data %s: %w", id, errIntentGone)
	}
	return nil
}
