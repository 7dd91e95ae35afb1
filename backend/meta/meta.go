// Package meta is the User's metadata store: buckets, objects, stripe
// layouts, and the bookkeeping that makes sure no chunk is orphaned, in one
// Pebble database.
package meta

// Invariants:
//   - Every mutation is one synced Pebble batch: after it returns, the whole
//     change is durable; a crash leaves either all of it or none.
//   - Key space:
//       b/<bucket>                 Bucket (JSON)
//       o/<bucket>\x00<key>        Object header (JSON) of the key's latest version: what listings read
//       s/<object id>              Layout (gob): where the object's chunks are
//       p/<object id>              intent: chunks of an upload in flight (gob provider list)
//       g/<object id>              garbage: chunks to delete from those providers (gob provider list)
//   - Chunks reach Providers only after their object's intent is durable, and
//     an intent or object becomes garbage in the same batch that drops it; so
//     every chunk on a Provider is reachable from o/, v/ (versions.go), p/ or g/ and is
//     eventually collected once unreferenced.
//   - mu serialises read-modify-write mutations (bucket existence and
//     emptiness checks against object commits).

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cockroachdb/pebble/v2"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/erasure"
)

// Bucket is a bucket record.
type Bucket struct {
	Name    string
	Owner   string
	Created time.Time
	Tags    map[string]string `json:",omitempty"`
	// Config holds the front end's bucket sub-resource documents by name.
	Config map[string][]byte `json:",omitempty"`
	// Versioning is "", VersioningEnabled or VersioningSuspended.
	Versioning string `json:",omitempty"`
}

// Object is an object's header: everything but where its chunks are.
type Object struct {
	ID          memo.ObjectID
	Size        int64
	ETag        string
	ModTime     time.Time
	ContentType string            `json:",omitempty"`
	UserMeta    map[string]string `json:",omitempty"`
	Headers     map[string]string `json:",omitempty"`
	Checksums   map[string]string `json:",omitempty"`
	PartSizes   []int64           `json:",omitempty"` // multipart objects only
	Tags        map[string]string `json:",omitempty"`
	ACL         []byte            `json:",omitempty"`
	// PartChecksums are, for a multipart object with a checksum (its upload's
	// algorithm, the only key of Checksums), each part's value under that
	// algorithm, base64, in PartSizes' order; none for objects completed
	// before they were kept.
	PartChecksums []string `json:",omitempty"`
	// VersionID is the id clients see: "" in a bucket never versioned (the
	// object is version "null"), NullVersion, or a generated id.
	VersionID string `json:",omitempty"`
	// Seq is the version's sort position (its v/ record); 0: none (versions.go).
	Seq uint64 `json:",omitempty"`
	// DeleteMarker: the version is a delete marker (no ID, no layout).
	DeleteMarker bool `json:",omitempty"`
	// SSECKeyMD5 is the base64 MD5 of the SSE-C key the object's data is
	// encrypted under, with the User's own ("" if none); the key itself is
	// never stored.
	SSECKeyMD5 string `json:",omitempty"`
	// SSEKMSKeyID names the SSE-KMS key the object's data is encrypted
	// under, with the User's own ("" if none).
	SSEKMSKeyID string `json:",omitempty"`
	// UploadID is the multipart upload that made the version ("" if none):
	// a retried CompleteMultipartUpload is answered from it.
	UploadID string `json:",omitempty"`
}

// Layout says how an object is coded and where its chunks are. An object's
// data is one or more parts (a PutObject is one part; a multipart upload has
// one per uploaded part), each with its own data id that names its chunks and
// derives its encryption key; the stripes of all parts are laid end to end.
type Layout struct {
	K, M      int
	Providers []string // Providers (provider ids) holding any chunk of the object
	// Parts are the data ids of the object's parts; empty means a single
	// part whose data id is the object's id.
	Parts   []memo.DataID
	Stripes []Stripe
	// Strays are Providers a write tried that hold none of its chunks but
	// may hold a chunk whose reply was lost: the commit turns them into
	// garbage instead of storing them.
	Strays []string
	// Inline holds the sealed bytes of an object small enough to live in
	// the metadata (erasure.SealInline); such a layout has no stripes and
	// no Providers, and reaches Providers with the metadata snapshots.
	Inline []byte
	// Pack, if set, is where the bytes of a packed object lie (pack.go);
	// such a layout has no stripes and no Providers of its own.
	Pack *Extent
}

// AllProviders is Peers and Strays.
func (l Layout) AllProviders() []string { return append(slices.Clone(l.Providers), l.Strays...) }

// NoProvider in Stripe.Providers marks a chunk no Provider holds: a stripe stored
// at its write quorum, below full redundancy, and queued for repair.
const NoProvider = ^uint16(0)

// Stripe is one stripe of a Layout.
type Stripe struct {
	Size      int            // plaintext bytes
	Part      uint16         // index into Layout.Parts (0 when it is empty)
	Index     uint64         // stripe number within its part: names its chunks
	Providers []uint16       // Providers[i] holds chunk i: an index into Layout.Providers
	Roots     []erasure.Root // Roots[i] commits chunk i
}

// Missing reports whether any chunk of the layout has no Provider.
func (l Layout) Missing() bool {
	for _, st := range l.Stripes {
		for _, p := range st.Providers {
			if p == NoProvider {
				return true
			}
		}
	}
	return false
}

// DataIDs returns the data ids of object id's parts.
func (l Layout) DataIDs(id memo.ObjectID) []memo.DataID {
	if len(l.Parts) == 0 {
		return []memo.DataID{memo.DataOf(id)}
	}
	return l.Parts
}

// Concat lays parts out end to end as one object's layout; ids[i] is the
// data id of parts[i], whose own Layout has no Parts.
func Concat(ids []memo.DataID, parts []Layout) Layout {
	var out Layout
	index := map[string]uint16{}
	for pi, p := range parts {
		out.K, out.M = p.K, p.M
		out.Parts = append(out.Parts, ids[pi])
		for _, st := range p.Stripes {
			ns := Stripe{Size: st.Size, Part: uint16(pi), Index: st.Index, Roots: st.Roots, Providers: make([]uint16, len(st.Providers))}
			for i, pe := range st.Providers {
				if pe == NoProvider {
					ns.Providers[i] = NoProvider
					continue
				}
				name := p.Providers[pe]
				j, ok := index[name]
				if !ok {
					j = uint16(len(out.Providers))
					index[name] = j
					out.Providers = append(out.Providers, name)
				}
				ns.Providers[i] = j
			}
			out.Stripes = append(out.Stripes, ns)
		}
	}
	return out
}

// Store is the metadata database.
type Store struct {
	db  *pebble.DB
	mu  sync.Mutex
	seq uint64 // last version seq handed out (versions.go); under mu
	// changes counts mutations since Open (Changes).
	changes atomic.Uint64

	dirtyMu  sync.Mutex
	dirtyGen map[string]uint64          // per Provider: bumped by every chunk set change
	touched  map[*pebble.Batch][]string // Providers a batch in the making changes
}

type slogger struct{ l *slog.Logger }

func (s slogger) Infof(f string, a ...any)  { s.l.Debug(fmt.Sprintf(f, a...)) }
func (s slogger) Errorf(f string, a ...any) { s.l.Error(fmt.Sprintf(f, a...)) }
func (s slogger) Fatalf(f string, a ...any) {
	s.l.Error(fmt.Sprintf(f, a...))
	panic(fmt.Sprintf(f, a...))
}

// Open opens (creating) the store in dir.
func Open(dir string, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.Default()
	}
	db, err := pebble.Open(dir, &pebble.Options{Logger: slogger{log.With("component", "pebble")}})
	if err != nil {
		return nil, fmt.Errorf("open metadata store %s: %w", dir, err)
	}
	s := &Store{db: db, dirtyGen: map[string]uint64{}, touched: map[*pebble.Batch][]string{}}
	if err := s.loadSeq(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open metadata store %s: %w", dir, err)
	}
	return s, nil
}

// Changes counts the store's mutations since it was opened: a reader that
// saw the same count twice saw no mutation in between.
func (s *Store) Changes() uint64 { return s.changes.Load() }

// set writes one record, synced, outside any batch; it counts as a change.
func (s *Store) set(k, v []byte) error {
	s.changes.Add(1)
	return s.db.Set(k, v, pebble.Sync)
}

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

func bucketKey(b string) []byte { return []byte("b/" + b) }
func objectKey(b, k string) []byte {
	return append(append([]byte("o/"+b), 0), k...)
}
func layoutKey(id memo.ObjectID) []byte { return append([]byte("s/"), id[:]...) }
func intentKey(id memo.DataID) []byte   { return append([]byte("p/"), id[:]...) }
func garbageKey(id memo.DataID) []byte  { return append([]byte("g/"), id[:]...) }

// get decodes the value at k with dec; found=false if there is none.
func (s *Store) get(k []byte, dec func([]byte) error) (found bool, err error) {
	v, c, err := s.db.Get(k)
	if errors.Is(err, pebble.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read %q: %w", k, err)
	}
	defer c.Close()
	if err := dec(v); err != nil {
		return false, fmt.Errorf("decode %q: %w", k, err)
	}
	return true, nil
}

func jsonDec(v any) func([]byte) error { return func(b []byte) error { return json.Unmarshal(b, v) } }
func gobDec(v any) func([]byte) error {
	return func(b []byte) error { return gob.NewDecoder(bytes.NewReader(b)).Decode(v) }
}

func gobEnc(v any) []byte {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		panic(fmt.Sprintf("gob encode %T: %v", v, err)) // only our own plain types reach here
	}
	return buf.Bytes()
}

func jsonEnc(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("json encode %T: %v", v, err))
	}
	return b
}

// CreateBucket creates a bucket; ErrBucketExists if it exists.
func (s *Store) CreateBucket(b Bucket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var old Bucket
	found, err := s.get(bucketKey(b.Name), jsonDec(&old))
	if err != nil {
		return err
	}
	if found {
		return ErrBucketExists
	}
	if err := s.set(bucketKey(b.Name), jsonEnc(b)); err != nil {
		return fmt.Errorf("create bucket %s: %w", b.Name, err)
	}
	return nil
}

// Bucket returns a bucket; ErrNoSuchBucket if there is none.
func (s *Store) Bucket(name string) (Bucket, error) {
	var b Bucket
	found, err := s.get(bucketKey(name), jsonDec(&b))
	if err == nil && !found {
		err = ErrNoSuchBucket
	}
	return b, err
}

// Buckets lists every bucket in name order.
func (s *Store) Buckets() ([]Bucket, error) {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte("b/"), UpperBound: []byte("b0")})
	if err != nil {
		return nil, fmt.Errorf("list buckets: %w", err)
	}
	defer it.Close()
	var out []Bucket
	for it.First(); it.Valid(); it.Next() {
		var b Bucket
		if err := json.Unmarshal(it.Value(), &b); err != nil {
			return nil, fmt.Errorf("decode bucket %q: %w", it.Key(), err)
		}
		out = append(out, b)
	}
	return out, it.Error()
}

// DeleteBucket deletes an empty bucket.
func (s *Store) DeleteBucket(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.Bucket(name); err != nil {
		return err
	}
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: objectKey(name, ""), UpperBound: append([]byte("o/"+name), 1)})
	if err != nil {
		return fmt.Errorf("check bucket %s is empty: %w", name, err)
	}
	empty := !it.First()
	it.Close()
	if empty {
		vp := []byte("v/" + name + "\x00")
		if empty, err = s.isEmpty(vp, append([]byte("v/"+name), 1)); err != nil {
			return err
		}
	}
	if !empty {
		return ErrBucketNotEmpty
	}
	// Uploads in progress go with the bucket; their parts become garbage.
	uploads, err := s.ListUploads(name, "", "", "", "", -1)
	if err != nil {
		return err
	}
	b := s.db.NewBatch()
	defer b.Close()
	for _, u := range uploads.Uploads {
		if err := s.dropUpload(b, u); err != nil {
			return err
		}
	}
	b.Delete(bucketKey(name), nil)
	if err := s.commitBatch(b); err != nil {
		return fmt.Errorf("delete bucket %s: %w", name, err)
	}
	return nil
}

// isEmpty reports whether no key lies in [lower, upper).
func (s *Store) isEmpty(lower, upper []byte) (bool, error) {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: upper})
	if err != nil {
		return false, fmt.Errorf("check %q is empty: %w", lower, err)
	}
	defer it.Close()
	return !it.First(), it.Error()
}

// Object returns a key's latest header, which may be a delete marker;
// ErrNoSuchKey if there is none.
func (s *Store) Object(bucket, key string) (Object, error) {
	var o Object
	found, err := s.get(objectKey(bucket, key), jsonDec(&o))
	if err == nil && !found {
		err = ErrNoSuchKey
	}
	return o, err
}

// Layout returns an object's layout.
func (s *Store) Layout(id memo.ObjectID) (Layout, error) {
	var l Layout
	found, err := s.get(layoutKey(id), func(b []byte) error { return decodeLayout(b, &l) })
	if err == nil && !found {
		err = fmt.Errorf("layout of object %s: %w", id, ErrNoSuchKey)
	}
	return l, err
}

// UpdateBucket rewrites a bucket's record with fn.
func (s *Store) UpdateBucket(name string, fn func(*Bucket)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.Bucket(name)
	if err != nil {
		return err
	}
	fn(&b)
	if err := s.set(bucketKey(name), jsonEnc(b)); err != nil {
		return fmt.Errorf("update bucket %s: %w", name, err)
	}
	return nil
}
