package meta

// Packs: small objects sharing one stripe (docs/small-objects.md).
//
// Invariants:
//   - Key space:
//       k/<pack id>               pack use: live bytes, packed bytes (8 + 8 bytes BE)
//       x/<pack id><object id>    member: the object's extent lies in the pack (value: the extent's length, 8 bytes BE)
//   - A pack is ordinary single-part data: its layout is at s/<pack id>, its
//     chunks are in the chunk index, ordered, proven and repaired like any
//     object's. A packed object's own layout has no stripes and no Providers;
//     Layout.Pack names its extent. Providers cannot tell pack chunks apart.
//   - A member record exists exactly while an object's layout points into the
//     pack: both change in one batch (CommitPack, dropLayout, Repack).
//   - Every batch that removes a member settles the packs it touched before
//     it commits (settlePacks): the pack's use is recounted from its members,
//     and a pack left with no member is dropped in that same batch — its
//     layout goes and its chunks become garbage. So a pack is collected
//     exactly when its last object is, and no batch leaves a pack without
//     members behind.
//   - Everything that adds or removes a member runs under mu, which settle
//     relies on to recount from the database.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/cockroachdb/pebble/v2"

	"github.com/mefs-project/mefs/backend/memo"
)

// Extent is where a packed object's bytes lie: Length bytes from Offset in
// the plaintext of pack Pack (a pack is one stripe). What lies there is the
// object sealed on its own (erasure.SealInline under its data key), so it
// can be read and authenticated without the rest of the stripe.
type Extent struct {
	Pack           memo.ObjectID
	Offset, Length int64
}

func packKey(id memo.ObjectID) []byte { return append([]byte("k/"), id[:]...) }
func memberKey(pack, obj memo.ObjectID) []byte {
	return append(append([]byte("x/"), pack[:]...), obj[:]...)
}

// PackMember is one object of a pack being committed: what CommitPutVersion
// takes for it, and its extent in the pack. CommitPack sets Committed or Err.
type PackMember struct {
	Bucket, Key string
	K, M        int // the pack's coding, recorded in the object's layout
	Object      Object
	Options     CommitOptions
	// Offset and Length are the member's extent in the pack (its sealed bytes).
	Offset, Length int64
	// Committed is the object as committed (with its version id); Err why
	// it was not (its bytes stay in the pack as a hole).
	Committed Object
	Err       error
}

// CommitPack commits the pack id, stored with layout pack (one stripe), and
// every member whose check passes, in one batch that retires the pack's
// upload intent; then makes it durable. A member refused (its check, its
// bucket gone) gets Err and the others commit. If none commits, the pack is
// aborted and its chunks become garbage. The error is the whole batch's.
func (s *Store) CommitPack(id memo.ObjectID, pack Layout, members []*PackMember) error {
	if err := s.commitPack(id, pack, members); err != nil {
		return err
	}
	if err := s.sync(); err != nil {
		return fmt.Errorf("commit pack %s: %w", id, err)
	}
	return nil
}

func (s *Store) commitPack(id memo.ObjectID, pack Layout, members []*PackMember) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.hasIntent(memo.DataOf(id)); err != nil {
		return err
	}
	b := s.db.NewBatch()
	defer b.Close()
	var live int64
	n := 0
	for _, m := range members {
		if m.Err = s.placeMember(b, id, m); m.Err == nil {
			m.Committed = m.Object
			live += m.Length
			n++
		}
	}
	if err := s.addPack(b, id, pack, n, live); err != nil {
		return err
	}
	if err := s.commitBatchWith(b, pebble.NoSync); err != nil {
		return fmt.Errorf("commit pack %s: %w", id, err)
	}
	return nil
}

// addPack adds to b the record of pack id, stored with layout pack and
// holding n members of live bytes, retiring its upload intent; a pack with
// no member becomes garbage instead.
func (s *Store) addPack(b *pebble.Batch, id memo.ObjectID, pack Layout, n int, live int64) error {
	data := memo.DataOf(id)
	b.Delete(intentKey(data), nil)
	if n == 0 {
		b.Set(garbageKey(data), gobEnc(pack.AllProviders()), nil)
		return nil
	}
	if len(pack.Stripes) != 1 {
		return fmt.Errorf("pack %s has %d stripes, want 1", id, len(pack.Stripes))
	}
	if len(pack.Strays) > 0 {
		b.Set(garbageKey(data), gobEnc(pack.Strays), nil)
	}
	pack.Strays = nil
	b.Set(layoutKey(id), encodeLayout(pack), nil)
	s.indexLayout(b, []memo.DataID{data}, pack, true)
	if pack.Missing() {
		b.Set(repairKey(id), nil, nil)
	}
	b.Set(packKey(id), packUse(live, int64(pack.Stripes[0].Size)), nil)
	return nil
}

// placeMember adds to b member m as an object whose bytes lie in pack, or
// says why it cannot be (nothing of it is then in b): each member is built
// in a batch of its own, applied to b only whole.
func (s *Store) placeMember(b *pebble.Batch, pack memo.ObjectID, m *PackMember) error {
	bkt, err := s.Bucket(m.Bucket)
	if err != nil {
		return err
	}
	if err := s.checkLatest(m.Bucket, m.Key, m.Options.Check); err != nil {
		return err
	}
	mb := s.db.NewBatch()
	defer s.discard(mb)
	obj := m.Object
	if err := s.placeObject(mb, bkt, m.Key, &obj, []memo.DataID{memo.DataOf(obj.ID)}, m.Options.Lock); err != nil {
		return err
	}
	ext := Extent{Pack: pack, Offset: m.Offset, Length: m.Length}
	mb.Set(layoutKey(obj.ID), encodeLayout(Layout{K: m.K, M: m.M, Providers: []string{}, Pack: &ext}), nil)
	mb.Set(memberKey(pack, obj.ID), binary.BigEndian.AppendUint64(nil, uint64(m.Length)), nil)
	if err := b.Apply(mb, nil); err != nil {
		return fmt.Errorf("add %s/%s to pack %s: %w", m.Bucket, m.Key, pack, err)
	}
	s.moveTouched(mb, b)
	m.Object = obj
	return nil
}

func packUse(live, packed int64) []byte {
	return binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(nil, uint64(live)), uint64(packed))
}

// unpack adds to b the removal of object id from the pack its extent is in;
// the commit settles the pack (settlePacks).
func unpack(b *pebble.Batch, id memo.ObjectID, ext Extent) {
	b.Delete(memberKey(ext.Pack, id), nil)
}

// settlePacks recounts, for b, every pack b removes a member from, from
// its members in the database less those b removes plus those b adds: a
// pack left with none is dropped in b, the others' use is rewritten.
func (s *Store) settlePacks(b *pebble.Batch) error {
	removed, added := map[memo.ObjectID]map[memo.ObjectID]bool{}, map[string]int64{}
	r := b.Reader()
	for {
		kind, k, v, ok, err := r.Next()
		if err != nil {
			return fmt.Errorf("read batch: %w", err)
		}
		if !ok {
			break
		}
		if len(k) != 2+2*len(memo.ObjectID{}) || string(k[:2]) != "x/" {
			continue
		}
		var pack, obj memo.ObjectID
		copy(pack[:], k[2:])
		copy(obj[:], k[2+len(pack):])
		switch kind {
		case pebble.InternalKeyKindDelete:
			if removed[pack] == nil {
				removed[pack] = map[memo.ObjectID]bool{}
			}
			removed[pack][obj] = true
		case pebble.InternalKeyKindSet:
			added[string(k)] = int64(binary.BigEndian.Uint64(v))
		}
	}
	for pack, gone := range removed {
		if err := s.settlePack(b, pack, gone, added); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) settlePack(b *pebble.Batch, pack memo.ObjectID, gone map[memo.ObjectID]bool, added map[string]int64) error {
	members, err := s.members(pack)
	if err != nil {
		return err
	}
	live, n := int64(0), 0
	for _, m := range members {
		if !gone[m.Object] {
			live += m.Extent.Length
			n++
		}
	}
	prefix := string(memberKey(pack, memo.ObjectID{})[:2+len(pack)])
	for k, length := range added {
		var obj memo.ObjectID
		copy(obj[:], k[len(prefix):])
		if k[:len(prefix)] == prefix && !gone[obj] {
			live += length
			n++
		}
	}
	l, err := s.Layout(pack)
	if err != nil {
		return fmt.Errorf("settle pack %s: %w", pack, err)
	}
	if n > 0 {
		b.Set(packKey(pack), packUse(live, int64(l.Stripes[0].Size)), nil)
		return nil
	}
	data := memo.DataOf(pack)
	b.Delete(layoutKey(pack), nil)
	b.Delete(repairKey(pack), nil)
	b.Delete(packKey(pack), nil)
	s.indexLayout(b, []memo.DataID{data}, l, false)
	var garbage []string
	if _, err := s.get(garbageKey(data), gobDec(&garbage)); err != nil {
		return err
	}
	for _, p := range l.Providers {
		if !slices.Contains(garbage, p) {
			garbage = append(garbage, p)
		}
	}
	b.Set(garbageKey(data), gobEnc(garbage), nil)
	return nil
}

// Member is an object packed in a pack, with its extent.
type Member struct {
	Object memo.ObjectID
	Extent Extent
}

// PackMembers lists the objects packed in pack, in object id order, with
// their extents.
func (s *Store) PackMembers(pack memo.ObjectID) ([]Member, error) {
	out, err := s.members(pack)
	if err != nil {
		return nil, err
	}
	for i := range out {
		l, err := s.Layout(out[i].Object)
		if err != nil {
			return nil, err
		}
		if l.Pack == nil || l.Pack.Pack != pack {
			return nil, fmt.Errorf("member %s of pack %s: its layout does not point into the pack", out[i].Object, pack)
		}
		out[i].Extent = *l.Pack
	}
	return out, nil
}

// members lists pack's member records: object ids and lengths.
func (s *Store) members(pack memo.ObjectID) ([]Member, error) {
	prefix := memberKey(pack, memo.ObjectID{})[:2+len(pack)]
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: []byte(prefixEnd(string(prefix)))})
	if err != nil {
		return nil, fmt.Errorf("list members of pack %s: %w", pack, err)
	}
	defer it.Close()
	var out []Member
	for it.First(); it.Valid(); it.Next() {
		var m Member
		copy(m.Object[:], it.Key()[len(prefix):])
		m.Extent = Extent{Pack: pack, Length: int64(binary.BigEndian.Uint64(it.Value()))}
		out = append(out, m)
	}
	if err := it.Error(); err != nil {
		return nil, fmt.Errorf("list members of pack %s: %w", pack, err)
	}
	return out, nil
}

// PackUse is how much of a pack is still live.
type PackUse struct {
	Pack         memo.ObjectID
	Live, Packed int64
}

// SparsePacks lists up to n packs whose live bytes are below fraction of
// their packed bytes, in pack id order.
func (s *Store) SparsePacks(fraction float64, n int) ([]PackUse, error) {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte("k/"), UpperBound: []byte("k0")})
	if err != nil {
		return nil, fmt.Errorf("list packs: %w", err)
	}
	defer it.Close()
	var out []PackUse
	for it.First(); it.Valid() && len(out) < n; it.Next() {
		v := it.Value()
		if len(v) != 16 {
			return nil, fmt.Errorf("malformed pack use %q", it.Key())
		}
		u := PackUse{Live: int64(binary.BigEndian.Uint64(v)), Packed: int64(binary.BigEndian.Uint64(v[8:]))}
		copy(u.Pack[:], it.Key()[2:])
		if float64(u.Live) < fraction*float64(u.Packed) {
			out = append(out, u)
		}
	}
	return out, it.Error()
}

// Move is a packed object's extent moving into a new pack.
type Move struct {
	Object   memo.ObjectID
	From, To Extent
}

// Repack commits the pack id, stored with layout pack, and moves into it
// every object of moves still at its From extent, in one synced batch that
// retires the pack's upload intent; the packs left empty become garbage in
// the same batch. It returns how many objects moved; an object deleted or
// overwritten meanwhile stays a hole in the new pack.
func (s *Store) Repack(id memo.ObjectID, pack Layout, moves []Move) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.hasIntent(memo.DataOf(id)); err != nil {
		return 0, err
	}
	b := s.db.NewBatch()
	defer b.Close()
	var live int64
	n := 0
	for _, mv := range moves {
		l, err := s.Layout(mv.Object)
		if err != nil && !errors.Is(err, ErrNoSuchKey) {
			return 0, err
		}
		if err != nil || l.Pack == nil || *l.Pack != mv.From {
			continue
		}
		to := mv.To
		to.Pack = id
		l.Pack = &to
		b.Set(layoutKey(mv.Object), encodeLayout(l), nil)
		unpack(b, mv.Object, mv.From)
		b.Set(memberKey(id, mv.Object), binary.BigEndian.AppendUint64(nil, uint64(to.Length)), nil)
		live += to.Length
		n++
	}
	if err := s.addPack(b, id, pack, n, live); err != nil {
		return 0, err
	}
	if err := s.commitBatch(b); err != nil {
		return 0, fmt.Errorf("repack into %s: %w", id, err)
	}
	return n, nil
}
