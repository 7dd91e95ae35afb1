package meta

// Invariants (besides meta.go's):
//   - Key space:
//       m/<bucket>\x00<key>\x00<upload id>   Upload (JSON)
//       q/<upload id>/<part number, 4 bytes BE>  Part (gob)
//   - A part's data is referenced by its q/ record until the upload completes
//     (its layout moves into the object's s/ record) or is aborted (it
//     becomes garbage), in the same batch.

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/cockroachdb/pebble/v2"

	"github.com/mefs-project/mefs/backend/memo"
)

// Upload is a multipart upload in progress.
type Upload struct {
	Bucket      string
	Key         string
	ID          string
	Initiated   time.Time
	ContentType string            `json:",omitempty"`
	UserMeta    map[string]string `json:",omitempty"`
	Headers     map[string]string `json:",omitempty"`
	ChecksumAlg string            `json:",omitempty"`
	// ChecksumType is FULL_OBJECT or COMPOSITE when ChecksumAlg is set;
	// "" in uploads recorded before it existed, which are COMPOSITE.
	ChecksumType string            `json:",omitempty"`
	Tags         map[string]string `json:",omitempty"`
	ACL          []byte            `json:",omitempty"`
	Lock         Lock              `json:",omitzero"` // the completed version's Object Lock state
	// Initiator is the caller that started the upload ("" in uploads
	// recorded before it was kept).
	Initiator string `json:",omitempty"`
	// SSECKeyMD5 is the base64 MD5 of the SSE-C key the parts are
	// encrypted under ("" if none), as Object.SSECKeyMD5.
	SSECKeyMD5 string `json:",omitempty"`
	// SSEKMSKeyID names the SSE-KMS key the parts are encrypted under (""
	// if none), as Object.SSEKMSKeyID.
	SSEKMSKeyID string `json:",omitempty"`
}

// Part is an uploaded part of a multipart upload.
type Part struct {
	Number    int
	ID        memo.DataID // data id
	Size      int64
	ETag      string
	ModTime   time.Time
	Checksums map[string]string
	Layout    Layout // a single-part layout of data id ID
}

func uploadKey(bucket, key, id string) []byte {
	return []byte("m/" + bucket + "\x00" + key + "\x00" + id)
}

func partPrefix(uploadID string) []byte { return []byte("q/" + uploadID + "/") }

func partKey(uploadID string, n int) []byte {
	return binary.BigEndian.AppendUint32(partPrefix(uploadID), uint32(n))
}

// CreateUpload records a new multipart upload.
func (s *Store) CreateUpload(u Upload) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.Bucket(u.Bucket); err != nil {
		return err
	}
	if err := s.set(uploadKey(u.Bucket, u.Key, u.ID), jsonEnc(u)); err != nil {
		return fmt.Errorf("create upload %s: %w", u.ID, err)
	}
	return nil
}

// Upload returns an upload in progress; ErrNoSuchUpload if none.
func (s *Store) Upload(bucket, key, id string) (Upload, error) {
	var u Upload
	found, err := s.get(uploadKey(bucket, key, id), jsonDec(&u))
	if err == nil && !found {
		err = ErrNoSuchUpload
	}
	return u, err
}

// CommitPart records part p of upload u, retiring p's upload intent and
// turning any part it replaces into garbage.
func (s *Store) CommitPart(u Upload, p Part) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.Upload(u.Bucket, u.Key, u.ID); err != nil {
		return err
	}
	if err := s.hasIntent(p.ID); err != nil {
		return err
	}
	strays := p.Layout.Strays
	p.Layout.Strays = nil
	b := s.db.NewBatch()
	defer b.Close()
	var old Part
	found, err := s.get(partKey(u.ID, p.Number), gobDec(&old))
	if err != nil {
		return err
	}
	if found {
		b.Set(garbageKey(old.ID), gobEnc(old.Layout.Providers), nil)
		s.indexLayout(b, []memo.DataID{old.ID}, old.Layout, false)
	}
	b.Set(partKey(u.ID, p.Number), gobEnc(p), nil)
	if len(strays) > 0 {
		b.Set(garbageKey(p.ID), gobEnc(strays), nil)
	}
	s.indexLayout(b, []memo.DataID{p.ID}, p.Layout, true)
	b.Delete(intentKey(p.ID), nil)
	if err := s.commitBatch(b); err != nil {
		return fmt.Errorf("commit part %d of upload %s: %w", p.Number, u.ID, err)
	}
	return nil
}

// Parts lists an upload's parts with numbers above marker, at most max of
// them; truncated reports whether more follow.
func (s *Store) Parts(uploadID string, marker, max int) (parts []Part, truncated bool, err error) {
	prefix := partPrefix(uploadID)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: partKey(uploadID, marker+1), UpperBound: []byte(prefixEnd(string(prefix)))})
	if err != nil {
		return nil, false, fmt.Errorf("list parts of %s: %w", uploadID, err)
	}
	defer it.Close()
	for it.First(); it.Valid(); it.Next() {
		if max >= 0 && len(parts) == max {
			return parts, true, nil
		}
		var p Part
		if err := gobDec(&p)(it.Value()); err != nil {
			return nil, false, fmt.Errorf("decode part %q: %w", it.Key(), err)
		}
		parts = append(parts, p)
	}
	return parts, false, it.Error()
}

// CompleteUpload makes obj (with layout l built from the parts in used)
// visible at the upload's key and forgets the upload; its other parts and
// any object replaced become garbage. All in one batch, after check (if not
// nil) has vetted the object being replaced.
func (s *Store) CompleteUpload(u Upload, obj Object, l Layout, used map[int]memo.DataID, check func(old *Object) error) error {
	_, err := s.CompleteUploadVersion(u, obj, l, used, CommitOptions{Check: check, Lock: u.Lock})
	return err
}

// CompleteUploadVersion is CompleteUpload with options, returning obj as
// committed (with its version id in a versioned bucket).
func (s *Store) CompleteUploadVersion(u Upload, obj Object, l Layout, used map[int]memo.DataID, opts CommitOptions) (Object, error) {
	if err := s.completeUpload(u, &obj, l, used, opts); err != nil {
		return Object{}, err
	}
	return obj, nil
}

func (s *Store) completeUpload(u Upload, obj *Object, l Layout, used map[int]memo.DataID, opts CommitOptions) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.Upload(u.Bucket, u.Key, u.ID); err != nil {
		return err
	}
	bkt, err := s.Bucket(u.Bucket)
	if err != nil {
		return err
	}
	if err := s.checkLatest(u.Bucket, u.Key, opts.Check); err != nil {
		return err
	}
	parts, _, err := s.Parts(u.ID, 0, -1)
	if err != nil {
		return err
	}
	// The layout was built from the parts read before the lock: a part
	// uploaded again since would be lost, so refuse and let the client retry.
	found := 0
	for _, p := range parts {
		if id, ok := used[p.Number]; ok {
			if id != p.ID {
				return fmt.Errorf("part %d was uploaded again; complete it again: %w", p.Number, ErrPartChanged)
			}
			found++
		}
	}
	if found != len(used) {
		return fmt.Errorf("a listed part is gone: %w", ErrPartChanged)
	}
	b := s.db.NewBatch()
	defer b.Close()
	if err := s.placeObject(b, bkt, u.Key, obj, l.DataIDs(obj.ID), opts.Lock); err != nil {
		return err
	}
	for _, p := range parts {
		if _, ok := used[p.Number]; !ok {
			b.Set(garbageKey(p.ID), gobEnc(p.Layout.Providers), nil)
			s.indexLayout(b, []memo.DataID{p.ID}, p.Layout, false)
		}
		b.Delete(partKey(u.ID, p.Number), nil)
	}
	b.Delete(uploadKey(u.Bucket, u.Key, u.ID), nil)
	b.Set(layoutKey(obj.ID), encodeLayout(l), nil)
	if l.Missing() {
		b.Set(repairKey(obj.ID), nil, nil)
	}
	if err := s.commitBatch(b); err != nil {
		return fmt.Errorf("complete upload %s of %s/%s: %w", u.ID, u.Bucket, u.Key, err)
	}
	return nil
}

// AbortUpload forgets an upload and turns its parts into garbage.
func (s *Store) AbortUpload(u Upload) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.db.NewBatch()
	defer b.Close()
	if err := s.dropUpload(b, u); err != nil {
		return err
	}
	if err := s.commitBatch(b); err != nil {
		return fmt.Errorf("abort upload %s: %w", u.ID, err)
	}
	return nil
}

func (s *Store) dropUpload(b *pebble.Batch, u Upload) error {
	if _, err := s.Upload(u.Bucket, u.Key, u.ID); err != nil {
		return err
	}
	parts, _, err := s.Parts(u.ID, 0, -1)
	if err != nil {
		return err
	}
	for _, p := range parts {
		b.Set(garbageKey(p.ID), gobEnc(p.Layout.Providers), nil)
		s.indexLayout(b, []memo.DataID{p.ID}, p.Layout, false)
		b.Delete(partKey(u.ID, p.Number), nil)
	}
	b.Delete(uploadKey(u.Bucket, u.Key, u.ID), nil)
	return nil
}

// UploadList is a page of ListUploads.
type UploadList struct {
	Uploads            []Upload
	CommonPrefixes     []string
	IsTruncated        bool
	NextKeyMarker      string
	NextUploadIDMarker string
}

// ListUploads lists bucket's uploads in progress ordered by key, then upload
// id, after (keyMarker, uploadIDMarker), S3 ListMultipartUploads style.
func (s *Store) ListUploads(bucket, prefix, delimiter, keyMarker, uploadIDMarker string, max int) (UploadList, error) {
	var res UploadList
	if _, err := s.Bucket(bucket); err != nil {
		return res, err
	}
	base := []byte("m/" + bucket + "\x00")
	lower := append(bytes.Clone(base), prefix...)
	upper := append([]byte("m/"+bucket), 1)
	if end := prefixEnd(prefix); end != "" {
		upper = append(bytes.Clone(base), end...)
	}
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: upper})
	if err != nil {
		return res, fmt.Errorf("list uploads of %s: %w", bucket, err)
	}
	defer it.Close()
	valid := it.First()
	if keyMarker != "" {
		if uploadIDMarker != "" {
			valid = it.SeekGE(append(uploadKey(bucket, keyMarker, uploadIDMarker), 0))
		} else {
			valid = it.SeekGE(append(append(bytes.Clone(base), keyMarker...), 1))
		}
	}
	for ; valid; valid = it.Next() {
		var u Upload
		if err := json.Unmarshal(it.Value(), &u); err != nil {
			return res, fmt.Errorf("decode upload %q: %w", it.Key(), err)
		}
		if !strings.HasPrefix(u.Key, prefix) {
			// A prefix holding the key separator (NUL) bounds the scan
			// past keys that do not start with it.
			continue
		}
		if delimiter != "" {
			rest := u.Key[len(prefix):]
			if i := strings.Index(rest, delimiter); i >= 0 {
				cp := prefix + rest[:i+len(delimiter)]
				if cp <= keyMarker {
					continue
				}
				if n := len(res.CommonPrefixes); n == 0 || res.CommonPrefixes[n-1] != cp {
					if len(res.Uploads)+len(res.CommonPrefixes) == max {
						res.IsTruncated = true
						break
					}
					res.CommonPrefixes = append(res.CommonPrefixes, cp)
					res.NextKeyMarker, res.NextUploadIDMarker = cp, ""
				}
				continue
			}
		}
		if len(res.Uploads)+len(res.CommonPrefixes) == max {
			res.IsTruncated = true
			break
		}
		res.Uploads = append(res.Uploads, u)
		res.NextKeyMarker, res.NextUploadIDMarker = u.Key, u.ID
	}
	return res, it.Error()
}
