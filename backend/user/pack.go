package user

// Packing: objects above InlineMax and up to PackMax share one stripe, a
// pack (docs/small-objects.md; meta/pack.go holds the records).
//
// Invariants:
//   - A pack is stored like any single-stripe object (storeData: intent,
//     chunks on Providers, strays) and committed with every member in one
//     batch (meta.CommitPack); each PUT is answered only after that batch is
//     durable. A crash before it leaves an intent, turned into garbage at
//     start-up (Recover); the PUTs in the pack were never acknowledged.
//   - One pack holds at most one PUT per bucket/key: a later PUT of a key
//     waits for the next pack, so the two commit in order.
//   - Memory: a waiting member holds its body (≤ PackMax, reserved from the
//     budget by its PUT); a seal holds one pack's stripe (≤ PackSize)
//     through storeData's reservation; at most packSeals seals run at once.
//   - Each member is sealed on its own (erasure.SealInline under its data
//     key) before it joins a pack: a GET reads just its bytes from one or two
//     data chunks (GetChunkRange) and authenticates them, falling back to the
//     whole stripe (Merkle-checked chunks, decoding, repair reports).
//   - Compaction stores the live extents of sparse packs as a new pack, then
//     moves every member still in place in one batch (meta.Repack); a crash
//     between the two leaves the old packs whole and the new one an intent.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/erasure"
	"github.com/mefs-project/mefs/gateway"
)

// Packing defaults (Config.PackMax, PackSize, PackLinger, CompactBelow).
const (
	DefaultPackMax      = 128 << 10
	DefaultPackSize     = 512 << 10
	DefaultPackLinger   = 2 * time.Millisecond
	DefaultCompactBelow = 0.5
)

// packSeals bounds the packs being sealed at once.
const packSeals = 2

// packer gathers small PUTs into packs.
type packer struct {
	mu      sync.Mutex
	queue   []*packItem
	sealing int
}

// packItem is one PUT waiting in the packer; done closes once its member's
// Committed or Err is set.
type packItem struct {
	member meta.PackMember
	data   []byte
	done   chan struct{}
}

// packed reports whether an object of size bytes goes into a pack.
func (l *Layer) packed(size int64) bool {
	return size > int64(max(l.cfg.InlineMax, 0)) && size <= int64(l.cfg.PackMax)
}

// putPacked reads body (its size is known and packed) and commits it as
// bucket/key in the next pack; header makes the object's header once the
// body is read.
func (l *Layer) putPacked(ctx context.Context, bucket, key string, body *gateway.PutReader, opts meta.CommitOptions, header func() meta.Object) (meta.Object, error) {
	// The body, and its share of the pack's stripe in flight (plaintext and
	// chunks): the seal itself reserves nothing, so it never waits on
	// memory its members hold.
	release, err := l.reserve(ctx, body.Size()+l.stripeCost(int(body.Size())))
	if err != nil {
		return meta.Object{}, err
	}
	defer release()
	buf, err := readWhole(body, body.Size())
	if err != nil {
		return meta.Object{}, err
	}
	obj := header()
	// Sealed on its own, under its own data key: a GET reads and
	// authenticates these bytes alone, not the whole pack.
	data := memo.DataOf(obj.ID)
	sealed, err := erasure.SealInline(erasure.DataKey(l.cfg.MasterKey, data), data, buf)
	if err != nil {
		return meta.Object{}, err
	}
	it := &packItem{data: sealed, done: make(chan struct{}),
		member: meta.PackMember{Bucket: bucket, Key: key, K: l.cfg.K, M: l.cfg.M, Object: obj, Options: opts, Length: int64(len(sealed))}}
	l.packs.add(l, it)
	<-it.done
	return it.member.Committed, it.member.Err
}

// add queues it, starting a sealer if fewer than packSeals run.
func (p *packer) add(l *Layer, it *packItem) {
	p.mu.Lock()
	p.queue = append(p.queue, it)
	start := p.sealing < packSeals
	if start {
		p.sealing++
	}
	p.mu.Unlock()
	if start {
		go l.runPacker()
	}
}

// runPacker seals packs until the queue is empty; it first lingers, so that
// concurrent PUTs share a pack instead of each sealing its own.
func (l *Layer) runPacker() {
	time.Sleep(l.cfg.PackLinger)
	for {
		items := l.packs.take(l.cfg.PackSize)
		if items == nil {
			return
		}
		l.sealPack(items)
	}
}

// take removes the next pack's items from the queue, in arrival order: up
// to size bytes (at least one item), one per bucket/key. An empty queue
// retires the caller's sealer and returns nil.
func (p *packer) take(size int) []*packItem {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.queue) == 0 {
		p.sealing--
		return nil
	}
	seen := map[[2]string]bool{}
	var out []*packItem
	rest, total := p.queue[:0], 0
	for _, it := range p.queue {
		k := [2]string{it.member.Bucket, it.member.Key}
		if seen[k] || len(out) > 0 && total+len(it.data) > size {
			rest = append(rest, it)
			continue
		}
		seen[k] = true
		out = append(out, it)
		total += len(it.data)
	}
	clear(p.queue[len(rest):])
	p.queue = rest
	return out
}

// sealPack stores items' bodies end to end as one pack and commits them;
// every item is answered (done) on return.
func (l *Layer) sealPack(items []*packItem) {
	defer func() {
		for _, it := range items {
			close(it.done)
		}
	}()
	var plain []byte
	members := make([]*meta.PackMember, len(items))
	for i, it := range items {
		it.member.Offset = int64(len(plain))
		plain = append(plain, it.data...)
		members[i] = &it.member
	}
	fail := func(err error) {
		for _, m := range members {
			m.Err = err
		}
	}
	id := newObjectID()
	// The PUTs' own contexts may end; the pack serves them all.
	ctx := context.Background()
	lay, err := l.storePack(ctx, id, plain)
	if err != nil {
		fail(err)
		return
	}
	if err := l.meta.CommitPack(id, lay, members); err != nil {
		l.abortData(memo.DataOf(id), lay.AllProviders())
		fail(err)
		return
	}
	l.packsSealed.Add(1)
	l.packedObjects.Add(int64(len(members)))
	l.kickGC() // members may have replaced objects
	if lay.Missing() {
		l.kickRepair()
	}
}

// storePack stores plain as the single stripe of pack id (its memory is
// reserved by the caller), behind an upload intent.
func (l *Layer) storePack(ctx context.Context, id memo.ObjectID, plain []byte) (meta.Layout, error) {
	providers, err := l.placeable()
	if err != nil {
		return meta.Layout{}, err
	}
	lay, err := l.storeReserved(ctx, erasure.DataKey(l.cfg.MasterKey, memo.DataOf(id)), memo.DataOf(id), bytes.NewReader(plain), int64(len(plain)), providers)
	if err != nil {
		return meta.Layout{}, fmt.Errorf("store pack %s: %w", id, err)
	}
	return lay, nil
}

// dataRef is where an object's bytes are read: its own layout, or its
// pack's (ext, in the pack whose id and layout these are).
type dataRef struct {
	id  memo.ObjectID
	lay meta.Layout
	ext *meta.Extent
}

// locate returns where object id's bytes are.
func (l *Layer) locate(id memo.ObjectID) (dataRef, error) {
	lay, err := l.meta.Layout(id)
	if err != nil || lay.Pack == nil {
		return dataRef{id: id, lay: lay}, err
	}
	pack, err := l.meta.Layout(lay.Pack.Pack)
	if err != nil {
		return dataRef{}, fmt.Errorf("pack of object %s: %w", id, err)
	}
	return dataRef{id: lay.Pack.Pack, lay: pack, ext: lay.Pack}, nil
}

// readPacked returns packed object id's plaintext (at ref). It reads just
// the object's sealed bytes from the data chunks holding them, and reads
// and decodes the whole pack stripe only if that fails or does not
// authenticate (a Provider down or serving bad bytes).
func (l *Layer) readPacked(ctx context.Context, id memo.ObjectID, ref dataRef) ([]byte, error) {
	release, err := l.reserve(ctx, 2*ref.ext.Length)
	if err != nil {
		return nil, err
	}
	defer release()
	data := memo.DataOf(id)
	key := erasure.DataKey(l.cfg.MasterKey, data)
	sealed, err := l.readExtent(ctx, ref)
	if err == nil {
		plain, err := erasure.OpenInline(key, data, sealed)
		if err == nil {
			return plain, nil
		}
		l.log.Warn("packed object does not authenticate from chunk ranges; reading its pack's stripe", "object", id, "pack", ref.id, "err", err)
	} else {
		l.log.Debug("packed object range read failed; reading its pack's stripe", "object", id, "pack", ref.id, "err", err)
	}
	r := l.newObjectReader(ctx, l.cfg.MasterKey, ref.id, ref.lay, ref.ext.Offset, ref.ext.Length)
	defer r.Close()
	if sealed, err = io.ReadAll(r); err != nil {
		return nil, err
	}
	return erasure.OpenInline(key, data, sealed)
}

// readExtent reads ref's extent from the data chunks of its pack's stripe
// that hold it (one or two ranges), decrypted but not authenticated.
func (l *Layer) readExtent(ctx context.Context, ref dataRef) ([]byte, error) {
	if len(ref.lay.Stripes) != 1 {
		return nil, fmt.Errorf("pack %s has %d stripes", ref.id, len(ref.lay.Stripes))
	}
	st, ext := ref.lay.Stripes[0], *ref.ext
	cs := int64(l.codec.ChunkSize(st.Size))
	first, last := ext.Offset/cs, (ext.Offset+ext.Length-1)/cs
	if ext.Length <= 0 || last >= int64(ref.lay.K) {
		return nil, fmt.Errorf("extent %d+%d outside the data chunks of pack %s", ext.Offset, ext.Length, ref.id)
	}
	ctx, cancel := context.WithTimeout(ctx, l.hedgeDelay())
	defer cancel()
	buf := make([]byte, ext.Length)
	data := memo.DataOf(ref.id)
	errs := make([]error, last-first+1)
	var wg sync.WaitGroup
	for i := first; i <= last; i++ {
		lo, hi := max(ext.Offset, i*cs), min(ext.Offset+ext.Length, (i+1)*cs)
		pi := st.Providers[i]
		if pi == meta.NoProvider {
			return nil, fmt.Errorf("chunk %d of pack %s has no Provider", i, ref.id)
		}
		p, err := peer.Decode(ref.lay.Providers[pi])
		if err != nil {
			return nil, fmt.Errorf("pack %s: provider id %q: %w", ref.id, ref.lay.Providers[pi], err)
		}
		wg.Go(func() {
			cid := memo.ChunkID{Data: data, Stripe: st.Index, Index: uint16(i)}
			_, errs[i-first] = l.net.GetChunkRange(ctx, p, cid, st.Roots[i], lo-i*cs, buf[lo-ext.Offset:hi-ext.Offset])
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if err := erasure.OpenRange(erasure.DataKey(l.cfg.MasterKey, data), st.Index, ext.Offset, buf); err != nil {
		return nil, err
	}
	return buf, nil
}

// runCompaction compacts sparse packs every CompactInterval until ctx ends.
func (l *Layer) runCompaction(ctx context.Context) {
	every(ctx, l.cfg.CompactInterval, func() {
		if n, err := l.CompactPacks(ctx); err != nil {
			l.log.Warn("pack compaction", "moved", n, "err", err)
		} else if n > 0 {
			l.log.Info("packs compacted", "moved", n)
		}
	})
}

// compactBatch bounds the sparse packs one compaction pass looks at.
const compactBatch = 256

// CompactPacks moves the live objects of packs whose live bytes are below
// CompactBelow of their size into new packs, each up to PackSize; the old
// packs become garbage. It returns how many objects moved.
func (l *Layer) CompactPacks(ctx context.Context) (int, error) {
	sparse, err := l.meta.SparsePacks(l.cfg.CompactBelow, compactBatch)
	if err != nil {
		return 0, err
	}
	moved := 0
	for len(sparse) > 0 {
		n, total := 0, int64(0)
		for n < len(sparse) && (n == 0 || total+sparse[n].Live <= int64(l.cfg.PackSize)) {
			total += sparse[n].Live
			n++
		}
		m, err := l.repack(ctx, sparse[:n])
		moved += m
		if err != nil {
			return moved, err
		}
		sparse = sparse[n:]
	}
	return moved, nil
}

// repack stores the live extents of packs as one new pack and moves them.
func (l *Layer) repack(ctx context.Context, packs []meta.PackUse) (int, error) {
	var (
		plain []byte
		moves []meta.Move
	)
	for _, u := range packs {
		members, err := l.meta.PackMembers(u.Pack)
		if err != nil {
			return 0, err
		}
		whole, err := l.readPack(ctx, u.Pack)
		if err != nil {
			return 0, err
		}
		for _, m := range members {
			e := m.Extent
			if e.Offset < 0 || e.Offset+e.Length > int64(len(whole)) {
				return 0, fmt.Errorf("object %s: extent %d+%d outside pack %s of %d bytes", m.Object, e.Offset, e.Length, u.Pack, len(whole))
			}
			moves = append(moves, meta.Move{Object: m.Object, From: e, To: meta.Extent{Offset: int64(len(plain)), Length: e.Length}})
			plain = append(plain, whole[e.Offset:e.Offset+e.Length]...)
		}
	}
	if len(moves) == 0 {
		return 0, nil
	}
	id := newObjectID()
	lay, err := l.storeData(ctx, erasure.DataKey(l.cfg.MasterKey, memo.DataOf(id)), memo.DataOf(id), bytes.NewReader(plain))
	if err != nil {
		return 0, fmt.Errorf("store pack %s: %w", id, err)
	}
	if l.beforeRepack != nil {
		if err := l.beforeRepack(); err != nil {
			return 0, err // as a crash here would: the new pack's intent stays
		}
	}
	n, err := l.meta.Repack(id, lay, moves)
	if err != nil {
		l.abortData(memo.DataOf(id), lay.AllProviders())
		return 0, err
	}
	l.repackedObjects.Add(int64(n))
	l.kickGC()
	if lay.Missing() {
		l.kickRepair()
	}
	return n, nil
}

// readPack reads the whole plaintext of pack id.
func (l *Layer) readPack(ctx context.Context, id memo.ObjectID) ([]byte, error) {
	lay, err := l.meta.Layout(id)
	if err != nil {
		return nil, err
	}
	var size int64
	for _, st := range lay.Stripes {
		size += int64(st.Size)
	}
	r := l.newObjectReader(ctx, l.cfg.MasterKey, id, lay, 0, size)
	defer r.Close()
	out, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read pack %s: %w", id, err)
	}
	return out, nil
}
