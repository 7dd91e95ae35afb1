package user

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/backend/placement"
	"github.com/mefs-project/mefs/backend/procs"
	"github.com/mefs-project/mefs/erasure"
	"github.com/mefs-project/mefs/gateway"
)

// placedStripe is where a stripe's chunks went.
type placedStripe struct {
	size      int
	providers []peer.ID
	roots     []erasure.Root
}

// PutObject cuts data into stripes, encrypts and codes each, sends every
// chunk to its Provider, and commits the object once all are durable.
func (l *Layer) PutObject(ctx context.Context, bucket, key string, body *gateway.PutReader, opts gateway.PutOptions) (_ gateway.ObjectInfo, err error) {
	defer translate(&err)
	if _, err := l.meta.Bucket(bucket); err != nil {
		return gateway.ObjectInfo{}, err
	}
	check := l.putCheck(bucket, key, opts)
	if check != nil {
		// Fail early rather than after storing the data; checked again at commit.
		if err := l.meta.CheckObject(bucket, key, check); err != nil {
			return gateway.ObjectInfo{}, err
		}
	}
	id := newObjectID()
	// header is the object's header, once its body is read.
	header := func() meta.Object {
		return meta.Object{ID: id, Size: body.Size(), ETag: body.ETag(), ModTime: time.Now().UTC(), ContentType: opts.ContentType,
			UserMeta: opts.UserMeta, Headers: opts.Headers, Checksums: body.Checksums(), Tags: opts.Tags, ACL: opts.ACL,
			SSECKeyMD5: gateway.CustomerKeyMD5(opts.CustomerKey), SSEKMSKeyID: opts.KMSKeyID}
	}
	commit := meta.CommitOptions{Check: check, Lock: metaLock(opts.Lock)}
	var obj meta.Object
	// A packed stripe has one key for all its objects: an object under a
	// customer's key or a KMS key has data of its own.
	if size := body.Size(); size >= 0 && l.packed(size) && opts.CustomerKey == nil && opts.KMSKeyID == "" {
		obj, err = l.putPacked(ctx, bucket, key, body, commit, header)
	} else {
		obj, err = l.putOwn(ctx, bucket, key, id, l.dataKey(opts.CustomerKey, opts.KMSKeyID, memo.DataOf(id)), body, commit, header)
	}
	if err != nil {
		return gateway.ObjectInfo{}, err
	}
	info := objectInfo(bucket, key, obj)
	info.Lock = opts.Lock
	return info, nil
}

// putOwn stores body as object id with data of its own, encrypted under
// dataKey: inline in its layout when small, else in stripes; then commits
// it as bucket/key.
func (l *Layer) putOwn(ctx context.Context, bucket, key string, id memo.ObjectID, dataKey []byte, body *gateway.PutReader, commit meta.CommitOptions, header func() meta.Object) (meta.Object, error) {
	data := memo.DataOf(id) // a PutObject is one part whose data id is the object id's bytes
	var (
		obj meta.Object
		lay meta.Layout
		err error
	)
	if size := body.Size(); size >= 0 && size <= int64(l.cfg.InlineMax) {
		lay, err = l.inlineData(dataKey, data, body, size)
	} else {
		lay, err = l.storeData(ctx, dataKey, data, body)
	}
	if err != nil {
		return obj, fmt.Errorf("put %s/%s: %w", bucket, key, err)
	}
	obj = header()
	obj, err = l.meta.CommitPutVersion(bucket, key, obj, lay, commit)
	if err != nil {
		l.abortData(data, lay.AllProviders())
		return obj, err
	}
	l.kickGC() // the object may have replaced another
	if lay.Missing() {
		l.kickRepair()
	}
	return obj, nil
}

// inlineData seals a small body whole for the metadata (no chunks): it
// costs one metadata commit, not k+m chunk writes.
func (l *Layer) inlineData(key []byte, id erasure.DataID, body io.Reader, size int64) (meta.Layout, error) {
	buf, err := readWhole(body, size)
	if err != nil {
		return meta.Layout{}, err
	}
	sealed, err := erasure.SealInline(key, id, buf)
	if err != nil {
		return meta.Layout{}, err
	}
	return meta.Layout{K: l.cfg.K, M: l.cfg.M, Providers: []string{}, Inline: sealed}, nil
}

// readWhole reads a body of size bytes whole, and checks it ends there.
func readWhole(body io.Reader, size int64) ([]byte, error) {
	buf := make([]byte, size)
	_, err := io.ReadFull(body, buf)
	// The body's own answer (short, too long, a checksum that does not
	// match) says more than ReadFull's.
	if endErr := bodyEnd(body); endErr != nil {
		return nil, endErr
	}
	return buf, err
}

// bodyEnd reads once more past what a body should hold, so that a
// PutReader reports io.EOF (nil here) or why the body is not whole.
func bodyEnd(body io.Reader) error {
	switch _, err := body.Read(make([]byte, 1)); err {
	case io.EOF:
		return nil
	case nil:
		return errors.New("body continued after its end")
	default:
		return err
	}
}

// storeData stores data as the stripes of data id, behind an upload intent
// that the caller's commit retires (or abortData turns into garbage).
func (l *Layer) storeData(ctx context.Context, key []byte, id erasure.DataID, data io.Reader) (meta.Layout, error) {
	providers, err := l.placeable()
	if err != nil {
		return meta.Layout{}, err
	}
	size := int64(-1)
	if s, ok := data.(interface{ Size() int64 }); ok {
		size = s.Size()
	}
	release, err := l.reservePut(ctx, size)
	if err != nil {
		return meta.Layout{}, err
	}
	defer release()
	return l.storeReserved(ctx, key, id, data, size, providers)
}

// placeable returns the Providers a stripe may be placed on now, or 503
// if there are fewer than the write quorum: below full width a PUT still
// succeeds at the write quorum, the chunks no Provider took queued for repair.
func (l *Layer) placeable() ([]peer.ID, error) {
	providers := l.providers()
	if n := l.cfg.WriteQuorum; len(providers) < n {
		return nil, gateway.ErrServiceUnavailable.Errorf("%d Providers can take data now; a stripe needs %d", len(providers), n)
	}
	return providers, nil
}

// storeReserved is storeData once the memory of storing data, of size
// bytes (-1: unknown), on providers is reserved.
func (l *Layer) storeReserved(ctx context.Context, key []byte, id erasure.DataID, data io.Reader, size int64, providers []peer.ID) (meta.Layout, error) {
	if err := l.meta.BeginPut(id, providerStrings(providers)); err != nil {
		return meta.Layout{}, err
	}
	tried := &providerSet{m: map[peer.ID]bool{}}
	stripes, err := l.putStripes(ctx, key, id, providers, data, size, tried)
	if err != nil {
		l.abortData(id, tried.list())
		return meta.Layout{}, err
	}
	lay := l.layout(stripes)
	if lay.Providers == nil {
		lay.Providers = []string{}
	}
	// A chunk put that failed may still have landed (a lost reply): the
	// Providers tried that hold none of the layout's chunks are collected.
	for _, p := range tried.list() {
		if !slices.Contains(lay.Providers, p) {
			lay.Strays = append(lay.Strays, p)
		}
	}
	return lay, nil
}

// providerSet is a concurrent set of Providers.
type providerSet struct {
	mu sync.Mutex
	m  map[peer.ID]bool
}

func (s *providerSet) add(p peer.ID) {
	s.mu.Lock()
	s.m[p] = true
	s.mu.Unlock()
}

func (s *providerSet) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.m))
	for p := range s.m {
		out = append(out, p.String())
	}
	slices.Sort(out)
	return out
}

// abortData turns the chunks of data id on providers into garbage.
func (l *Layer) abortData(id erasure.DataID, providers []string) {
	if err := l.meta.AbortPut(id, providers); err != nil {
		l.log.Error("abort upload", "data", id, "err", err)
	}
	l.kickGC()
}

// layout turns placed stripes into the stored Layout.
func (l *Layer) layout(stripes []placedStripe) meta.Layout {
	lay := meta.Layout{K: l.cfg.K, M: l.cfg.M}
	index := map[peer.ID]uint16{}
	for n, s := range stripes {
		st := meta.Stripe{Size: s.size, Index: uint64(n), Roots: s.roots, Providers: make([]uint16, len(s.providers))}
		for i, p := range s.providers {
			if p == "" {
				st.Providers[i] = meta.NoProvider
				continue
			}
			j, ok := index[p]
			if !ok {
				j = uint16(len(lay.Providers))
				index[p] = j
				lay.Providers = append(lay.Providers, p.String())
			}
			st.Providers[i] = j
		}
		lay.Stripes = append(lay.Stripes, st)
	}
	return lay
}

// putStripes streams data, of size bytes (-1: unknown), into stripes and
// stores them, PutStripes at a time.
func (l *Layer) putStripes(ctx context.Context, key []byte, id erasure.DataID, providers []peer.ID, data io.Reader, size int64, tried *providerSet) ([]placedStripe, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		mu      sync.Mutex
		stripes []placedStripe
		wg      sync.WaitGroup
		depth   = 1 // a body of one stripe has no next one to read ahead
	)
	if size < 0 || size > int64(l.stripeSize()) {
		depth = l.putDepth()
		l.largePuts.Add(1)
		defer l.largePuts.Add(-1)
	}
	sem := make(chan struct{}, depth)
	fail := func(err error) { cancel(err) }
	// A body that fails is the answer, whatever else then fails: net/http
	// cancels the request's context as soon as its connection fails, so
	// the context's cause would say only "canceled".
	var readErr error
	failRead := func(err error) {
		readErr = err
		fail(err)
	}
	for index := uint64(0); ; index++ {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		// The body is read straight into the buffer the stripe's chunks are
		// sealed in and sent from (SealInPlace): no plaintext copy.
		want := l.bufferSize(size, index)
		buf := l.bufs.Get((l.cfg.K + l.cfg.M) * l.codec.ChunkSize(want))
		n, rerr := io.ReadFull(data, buf[:want])
		if rerr != nil && rerr != io.EOF && rerr != io.ErrUnexpectedEOF {
			<-sem
			l.bufs.Discard(buf)
			failRead(rerr)
			break
		}
		if n == 0 {
			<-sem
			l.bufs.Put(buf)
			break
		}
		mu.Lock()
		stripes = append(stripes, placedStripe{size: n})
		mu.Unlock()
		wg.Add(1)
		// Encode and send while the next stripe is read and hashed.
		go func(index uint64, n int) {
			defer wg.Done()
			defer func() { <-sem }()
			chunks, err := l.codec.SealInPlace(buf, key, id, index, n)
			if err != nil {
				l.bufs.Discard(buf)
				fail(fmt.Errorf("encode stripe %d: %w", index, err))
				return
			}
			ps, err := l.putStripe(ctx, id, index, providers, chunks, tried)
			if err != nil {
				l.bufs.Discard(buf)
				fail(err)
				return
			}
			l.bufs.Put(buf)
			mu.Lock()
			ps.size = stripes[index].size
			stripes[index] = ps
			mu.Unlock()
		}(index, n)
		if rerr != nil { // short stripe: the body has ended
			if err := bodyEnd(data); err != nil {
				failRead(err)
			}
			break
		}
	}
	wg.Wait()
	if readErr != nil {
		return nil, readErr
	}
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	return stripes, nil
}

// putDepth is how many stripes a PUT of several stripes, about to start,
// keeps in flight: PutStripes, so that the body's next stripe is read and
// hashed while the last is sent, unless with it more such PUTs would run
// than there are cores. Then the cores are busy anyway, and a second stripe
// per PUT adds memory but no throughput (64 MiB PUTs at concurrency 4 on 2
// cores: the same MB/s at depth 1 as at 2, and 27 MiB less peak RSS).
func (l *Layer) putDepth() int {
	if int(l.largePuts.Load()) >= cores() {
		return 1
	}
	return l.cfg.PutStripes
}

// cores is how many cores this process may run on: the CPUs, or fewer if
// GOMAXPROCS says so, not counting the Ps procs.Default adds while
// Providers in this process write chunks.
func cores() int { return min(runtime.NumCPU(), procs.Default.Base()) }

// bufferSize is the buffer for stripe index of a body of size bytes: a full
// stripe, or what remains of a known size (at least 1 byte, to see its end).
func (l *Layer) bufferSize(size int64, index uint64) int {
	full := int64(l.stripeSize())
	if size < 0 {
		return int(full)
	}
	return int(max(1, min(full, size-int64(index)*full)))
}

// putStripe sends a stripe's chunks to distinct Providers concurrently,
// moving a chunk to a spare Provider when its first choice fails.
func (l *Layer) putStripe(ctx context.Context, id erasure.DataID, index uint64, providers []peer.ID, chunks [][]byte, tried *providerSet) (placedStripe, error) {
	targets, err := placement.Pick(providers, id, index, min(len(chunks), len(providers)))
	if err != nil {
		return placedStripe{}, err
	}
	// Fewer Providers than chunks: the chunks beyond them start without a
	// target and take a spare if one frees up, else wait for repair.
	for len(targets) < len(chunks) {
		targets = append(targets, "")
	}
	ps := placedStripe{providers: make([]peer.ID, len(chunks)), roots: make([]erasure.Root, len(chunks))}
	var mu sync.Mutex
	used := map[peer.ID]bool{}
	for _, t := range targets {
		used[t] = true
	}
	errs := make([]error, len(chunks))
	var wg sync.WaitGroup
	for i, c := range chunks {
		wg.Add(1)
		go func(i int, target peer.ID) {
			defer wg.Done()
			// Each chunk's commitment on its chunk's goroutine: the first
			// chunk is on its way while the others are still hashed.
			ps.roots[i] = erasure.Commit(c)
			cid := memo.ChunkID{Data: id, Stripe: index, Index: uint16(i)}
			if target == "" {
				errs[i] = fmt.Errorf("chunk %s: %w", cid, errNoProviders)
				return
			}
			for {
				tried.add(target)
				err := l.putChunk(ctx, target, cid, ps.roots[i], chunks[i])
				if err == nil {
					ps.providers[i] = target
					return
				}
				l.log.Warn("chunk put failed", "chunk", cid, "provider", target, "err", err)
				if ctx.Err() != nil {
					errs[i] = err
					return
				}
				l.health.bad(target)
				mu.Lock()
				target = placement.Spare(providers, used)
				used[target] = true
				mu.Unlock()
				if target == "" {
					errs[i] = fmt.Errorf("chunk %s: %w: %w", cid, errNoProviders, err)
					return
				}
			}
		}(i, targets[i])
	}
	wg.Wait()
	// A chunk that no Provider took is left for repair when enough of the
	// stripe is stored (ps.providers[i] stays ""); otherwise the stripe fails.
	stored := 0
	for _, p := range ps.providers {
		if p != "" {
			stored++
		}
	}
	if stored < l.cfg.WriteQuorum {
		return placedStripe{}, errors.Join(
			gateway.ErrServiceUnavailable.Errorf("Too few storage Providers answered; try again later."),
			fmt.Errorf("stripe %d: %d of %d chunks stored, write quorum %d: %w", index, stored, len(chunks), l.cfg.WriteQuorum, errors.Join(errs...)))
	}
	if stored < len(chunks) {
		l.log.Warn("stripe stored below full redundancy; queued for repair", "data", id, "stripe", index,
			"stored", stored, "chunks", len(chunks))
	}
	return ps, nil
}

// putCheck returns the precondition of a conditional write, nil if none.
func (l *Layer) putCheck(bucket, key string, opts gateway.PutOptions) func(*meta.Object) error {
	if opts.IfMatch == "" && opts.IfNoneMatch == "" {
		return nil
	}
	return func(old *meta.Object) error {
		if old == nil {
			return opts.CheckPut(gateway.ObjectInfo{}, false)
		}
		return opts.CheckPut(objectInfo(bucket, key, *old), true)
	}
}
