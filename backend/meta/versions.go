package meta

// Object versions (docs/versioning.md).
//
// Invariants (besides meta.go's):
//   - Key space:
//       v/<bucket>\x00<key>\x00<^seq, 8 bytes BE>   one Object per version, newest first
//       n/<bucket>\x00<key>                        seq of the key's null version, if it has a v/ record
//       z/seq                                      the last seq handed out (8 bytes BE)
//   - A bucket whose Versioning is "" has no v/ or n/ records: o/ is its
//     only record of a key, as before versioning existed. Once versioning is
//     set it never returns to "".
//   - A key has an o/ record iff it has a version: o/ is a copy of its newest
//     v/ record (Seq != 0), or a version "null" kept only in o/ (Seq == 0, a
//     "legacy" object written before the bucket was versioned). The first
//     versioned write of a key gives a legacy object a v/ record (a fresh
//     seq, older than the write's).
//   - Seqs are handed out under mu and stored in the batch that uses them,
//     so they grow in commit order: newest first in v/ is commit order.
//   - A version's chunks become garbage only in the batch that removes its
//     v/ record (or its legacy o/ record), and only when its lock (lock.go)
//     does not forbid it.

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/cockroachdb/pebble/v2"

	"github.com/mefs-project/mefs/backend/memo"
)

// Versioning states of a bucket.
const (
	VersioningEnabled   = "Enabled"
	VersioningSuspended = "Suspended"
)

// NullVersion is the version id of a key's null version.
const NullVersion = "null"

// Versioning errors.
var (
	// ErrNoSuchVersion: the version id names no version of the key.
	ErrNoSuchVersion = errors.New("no such version")
	// ErrDeleteMarker: the version named is a delete marker, which has no
	// data or metadata to read or change.
	ErrDeleteMarker = errors.New("the version is a delete marker")
	// ErrVersioningState: a versioning change the bucket's state forbids
	// (back to unversioned).
	ErrVersioningState = errors.New("versioning cannot be turned off once set")
)

var seqKey = []byte("z/seq")

func versionPrefix(b, k string) []byte { return []byte("v/" + b + "\x00" + k + "\x00") }
func versionKey(b, k string, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(versionPrefix(b, k), ^seq)
}
func nullKey(b, k string) []byte { return []byte("n/" + b + "\x00" + k) }

// Version returns the id clients see: "null" for a null or legacy version.
func (o Object) Version() string {
	if o.VersionID == "" {
		return NullVersion
	}
	return o.VersionID
}

// newVersionID is base64url(seq ‖ 16 random bytes): 32 characters, like
// S3's ids, unguessable, and decoding to the version's sort position.
func newVersionID(seq uint64) string {
	b := binary.BigEndian.AppendUint64(make([]byte, 0, 24), seq)
	b = b[:24]
	if _, err := rand.Read(b[8:]); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err))
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// versionSeq decodes the seq of a version id; ok=false if it is not one of ours.
func versionSeq(id string) (uint64, bool) {
	if len(id) != 32 {
		return 0, false
	}
	b, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil || len(b) != 24 {
		return 0, false
	}
	seq := binary.BigEndian.Uint64(b)
	return seq, seq != 0
}

// loadSeq reads the seq counter; called by Open.
func (s *Store) loadSeq() error {
	_, err := s.get(seqKey, func(v []byte) error {
		if len(v) != 8 {
			return fmt.Errorf("seq counter is %d bytes", len(v))
		}
		s.seq = binary.BigEndian.Uint64(v)
		return nil
	})
	return err
}

// nextSeq hands out a seq and stores the counter in b; under mu.
func (s *Store) nextSeq(b *pebble.Batch) uint64 {
	s.seq++
	b.Set(seqKey, binary.BigEndian.AppendUint64(nil, s.seq), nil)
	return s.seq
}

// SetVersioning sets a bucket's versioning state (Enabled or Suspended).
func (s *Store) SetVersioning(bucket, state string) error {
	if state != VersioningEnabled && state != VersioningSuspended {
		return fmt.Errorf("set versioning of %s to %q: %w", bucket, state, ErrVersioningState)
	}
	return s.UpdateBucket(bucket, func(b *Bucket) { b.Versioning = state })
}

// versionAt reads the v/ record of seq.
func (s *Store) versionAt(bucket, key string, seq uint64) (Object, bool, error) {
	var o Object
	found, err := s.get(versionKey(bucket, key, seq), jsonDec(&o))
	return o, found, err
}

// Version returns a version of bucket/key: "" is the latest (which may be
// a delete marker), "null" the null version. ErrNoSuchKey if the key has
// no version at all and "" was asked, else ErrNoSuchVersion.
func (s *Store) Version(bucket, key, versionID string) (Object, error) {
	if versionID == "" {
		return s.Object(bucket, key)
	}
	if versionID == NullVersion {
		return s.nullVersion(bucket, key)
	}
	seq, ok := versionSeq(versionID)
	if !ok {
		return Object{}, ErrNoSuchVersion
	}
	o, found, err := s.versionAt(bucket, key, seq)
	if err != nil {
		return Object{}, err
	}
	if !found || o.VersionID != versionID {
		return Object{}, ErrNoSuchVersion
	}
	return o, nil
}

// nullVersion returns the key's null version: its v/ record, or a legacy o/.
func (s *Store) nullVersion(bucket, key string) (Object, error) {
	var seq uint64
	found, err := s.get(nullKey(bucket, key), func(v []byte) error {
		if len(v) != 8 {
			return fmt.Errorf("null pointer is %d bytes", len(v))
		}
		seq = binary.BigEndian.Uint64(v)
		return nil
	})
	if err != nil {
		return Object{}, err
	}
	if found {
		o, ok, err := s.versionAt(bucket, key, seq)
		if err == nil && !ok {
			err = fmt.Errorf("null version %d of %s/%s: %w", seq, bucket, key, ErrNoSuchVersion)
		}
		return o, err
	}
	o, err := s.Object(bucket, key)
	if errors.Is(err, ErrNoSuchKey) || err == nil && o.Seq != 0 {
		return Object{}, ErrNoSuchVersion
	}
	return o, err
}

// CommitOptions are the optional parts of a commit.
type CommitOptions struct {
	// Check, if not nil, vets the latest object being replaced (nil if
	// none, or if the latest is a delete marker) atomically with the commit.
	Check func(old *Object) error
	// Lock is the new version's Object Lock state (zero: none).
	Lock Lock
}

// checkLatest runs check on bucket/key's latest version (nil if none or a
// delete marker).
func (s *Store) checkLatest(bucket, key string, check func(*Object) error) error {
	if check == nil {
		return nil
	}
	old, err := s.Object(bucket, key)
	switch {
	case err == ErrNoSuchKey || err == nil && old.DeleteMarker:
		return check(nil)
	case err != nil:
		return err
	}
	return check(&old)
}

// putVersion adds to b the write of obj as bucket/key's newest version, per
// the bucket's versioning state: Enabled adds a version with a fresh id,
// Suspended replaces the null version. obj.Seq and obj.VersionID are set.
// data lists obj's data ids (none for a delete marker).
func (s *Store) putVersion(b *pebble.Batch, bkt Bucket, key string, obj *Object, data []memo.DataID, lock Lock, now time.Time) error {
	bucket := bkt.Name
	cur, err := s.Object(bucket, key)
	hasCur := err == nil
	if err != nil && err != ErrNoSuchKey {
		return err
	}
	suspended := bkt.Versioning == VersioningSuspended
	replacedNull := false
	if hasCur && cur.Seq == 0 {
		if suspended {
			// The legacy object is the null version the write replaces.
			if err := s.dropVersionData(b, cur, DeleteOptions{Now: now}); err != nil {
				return err
			}
			replacedNull = true
		} else {
			cur.Seq, cur.VersionID = s.nextSeq(b), NullVersion
			b.Set(versionKey(bucket, key, cur.Seq), jsonEnc(cur), nil)
			b.Set(nullKey(bucket, key), binary.BigEndian.AppendUint64(nil, cur.Seq), nil)
		}
	}
	if suspended && !replacedNull {
		old, err := s.nullVersion(bucket, key)
		switch {
		case err == nil:
			if err := s.dropVersionData(b, old, DeleteOptions{Now: now}); err != nil {
				return err
			}
			b.Delete(versionKey(bucket, key, old.Seq), nil)
		case !errors.Is(err, ErrNoSuchVersion):
			return err
		}
	}
	obj.Seq = s.nextSeq(b)
	if suspended {
		obj.VersionID = NullVersion
		b.Set(nullKey(bucket, key), binary.BigEndian.AppendUint64(nil, obj.Seq), nil)
	} else {
		obj.VersionID = newVersionID(obj.Seq)
	}
	b.Set(versionKey(bucket, key, obj.Seq), jsonEnc(obj), nil)
	b.Set(objectKey(bucket, key), jsonEnc(obj), nil)
	if !lock.IsZero() {
		s.setLock(b, obj.ID, data, lock)
	}
	return nil
}

// dropVersionData adds to b the removal of version o's layout, chunk index
// entries and lock, and the garbage records of its chunks; ErrLocked if its
// lock forbids it. Its v/ and o/ records are the caller's.
func (s *Store) dropVersionData(b *pebble.Batch, o Object, opts DeleteOptions) error {
	if o.DeleteMarker {
		return nil
	}
	if err := s.checkUnlocked(o.ID, opts); err != nil {
		return err
	}
	l, err := s.Layout(o.ID)
	if err != nil {
		return err
	}
	s.dropLayout(b, o.ID, l)
	return nil
}

// DeleteOptions select what Delete removes.
type DeleteOptions struct {
	// VersionID names the version to remove; "" removes the latest in an
	// unversioned bucket and adds a delete marker in a versioned one.
	VersionID string
	// BypassGovernance lets the removal ignore GOVERNANCE retention.
	BypassGovernance bool
	// Now is the time retention is judged at (zero: the clock).
	Now time.Time
	// Marker is the delete marker to add (ModTime, ACL); its id is set here.
	Marker Object
	// Check, if set, runs under the store's lock before anything changes,
	// on the version the removal acts on (the latest if VersionID is ""),
	// nil if there is none or it is a delete marker; its error is Delete's.
	Check func(*Object) error
}

func (o DeleteOptions) now() time.Time {
	if o.Now.IsZero() {
		return time.Now()
	}
	return o.Now
}

// Delete removes a version of bucket/key or adds a delete marker (see
// DeleteOptions), and returns the version removed or the marker added.
// ErrNoSuchKey: no version id, unversioned bucket, no object.
// ErrNoSuchVersion: the version does not exist. ErrLocked: its lock forbids.
func (s *Store) Delete(bucket, key string, opts DeleteOptions) (Object, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	bkt, err := s.Bucket(bucket)
	if err != nil {
		return Object{}, err
	}
	if err := s.checkDelete(bucket, key, opts); err != nil {
		return Object{}, err
	}
	b := s.db.NewBatch()
	defer b.Close()
	var out Object
	switch {
	case opts.VersionID == "" && bkt.Versioning == "":
		if out, err = s.Object(bucket, key); err != nil {
			return Object{}, err
		}
		err = s.dropObject(b, bucket, key)
	case opts.VersionID == "":
		out = opts.Marker
		out.ID, out.DeleteMarker, out.Size, out.ETag = memo.ObjectID{}, true, 0, ""
		err = s.putVersion(b, bkt, key, &out, nil, Lock{}, opts.now())
	default:
		if out, err = s.Version(bucket, key, opts.VersionID); err != nil {
			return Object{}, err
		}
		err = s.deleteVersion(b, bucket, key, out, opts)
	}
	if err != nil {
		return Object{}, err
	}
	if err := s.commitBatch(b); err != nil {
		return Object{}, fmt.Errorf("delete %s/%s version %q: %w", bucket, key, opts.VersionID, err)
	}
	return out, nil
}

// checkDelete runs opts.Check, if any, on the version a removal acts on;
// s.mu is held.
func (s *Store) checkDelete(bucket, key string, opts DeleteOptions) error {
	if opts.Check == nil {
		return nil
	}
	o, err := s.Version(bucket, key, opts.VersionID)
	switch {
	case err == nil && !o.DeleteMarker:
		return opts.Check(&o)
	case err == nil || errors.Is(err, ErrNoSuchKey) || errors.Is(err, ErrNoSuchVersion):
		return opts.Check(nil)
	}
	return err
}

// deleteVersion adds to b the removal of version o of bucket/key; if it is
// the latest, the next newer-than-the-rest version becomes latest.
func (s *Store) deleteVersion(b *pebble.Batch, bucket, key string, o Object, opts DeleteOptions) error {
	if err := s.dropVersionData(b, o, opts); err != nil {
		return err
	}
	if o.Seq == 0 { // legacy: the key's only version
		b.Delete(objectKey(bucket, key), nil)
		return nil
	}
	b.Delete(versionKey(bucket, key, o.Seq), nil)
	if o.VersionID == NullVersion {
		b.Delete(nullKey(bucket, key), nil)
	}
	latest, err := s.Object(bucket, key)
	if err != nil {
		return err
	}
	if latest.Seq != o.Seq {
		return nil
	}
	next, found, err := s.versionAfter(bucket, key, o.Seq)
	if err != nil {
		return err
	}
	if found {
		b.Set(objectKey(bucket, key), jsonEnc(next), nil)
	} else {
		b.Delete(objectKey(bucket, key), nil)
	}
	return nil
}

// versionAfter returns the newest version of bucket/key older than seq.
func (s *Store) versionAfter(bucket, key string, seq uint64) (Object, bool, error) {
	prefix := versionPrefix(bucket, key)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: append(versionKey(bucket, key, seq), 0), UpperBound: []byte(prefixEnd(string(prefix)))})
	if err != nil {
		return Object{}, false, fmt.Errorf("read versions of %s/%s: %w", bucket, key, err)
	}
	defer it.Close()
	for valid := it.First(); valid; valid = it.Next() {
		if len(it.Key()) != len(prefix)+8 || !bytes.HasPrefix(it.Key(), prefix) {
			continue // a longer key that shares the prefix
		}
		var o Object
		if err := jsonDec(&o)(it.Value()); err != nil {
			return Object{}, false, fmt.Errorf("decode %q: %w", it.Key(), err)
		}
		return o, true, nil
	}
	return Object{}, false, it.Error()
}

// UpdateVersion rewrites a version's header with fn (its data stays as
// is) and returns it; versionID "" is the latest. ErrDeleteMarker if it is
// a delete marker.
func (s *Store) UpdateVersion(bucket, key, versionID string, fn func(*Object) error) (Object, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.Version(bucket, key, versionID)
	if err != nil {
		return Object{}, err
	}
	if o.DeleteMarker {
		return o, ErrDeleteMarker
	}
	if err := fn(&o); err != nil {
		return Object{}, err
	}
	b := s.db.NewBatch()
	defer b.Close()
	if err := s.rewriteVersion(b, bucket, key, o); err != nil {
		return Object{}, err
	}
	if err := s.commitBatch(b); err != nil {
		return Object{}, fmt.Errorf("update %s/%s version %s: %w", bucket, key, o.Version(), err)
	}
	return o, nil
}

// rewriteVersion adds to b version o's new header: its v/ record, and o/
// if it is the latest.
func (s *Store) rewriteVersion(b *pebble.Batch, bucket, key string, o Object) error {
	if o.Seq == 0 {
		b.Set(objectKey(bucket, key), jsonEnc(o), nil)
		return nil
	}
	b.Set(versionKey(bucket, key, o.Seq), jsonEnc(o), nil)
	latest, err := s.Object(bucket, key)
	if err != nil {
		return err
	}
	if latest.Seq == o.Seq {
		b.Set(objectKey(bucket, key), jsonEnc(o), nil)
	}
	return nil
}
