package user

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/backend/placement"
	"github.com/mefs-project/mefs/erasure"
	"github.com/mefs-project/mefs/gateway"
)

// placedStripe is where a stripe's chunks went.
type placedStripe struct {
	size  int
	peers []peer.ID
	roots []erasure.Root
}

// PutObject cuts data into stripes, encrypts and codes each, sends every
// chunk to its Provider, and commits the object once all are durable.
func (l *Layer) PutObject(ctx context.Context, bucket, key string, data *gateway.PutReader, opts gateway.PutOptions) (gateway.ObjectInfo, error) {
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
	lay, err := l.storeData(ctx, id, data)
	if err != nil {
		return gateway.ObjectInfo{}, fmt.Errorf("put %s/%s: %w", bucket, key, err)
	}
	obj := meta.Object{ID: id, Size: data.Size(), ETag: data.ETag(), ModTime: time.Now().UTC(),
		ContentType: opts.ContentType, UserMeta: opts.UserMeta, Headers: opts.Headers, Checksums: data.Checksums(), Tags: opts.Tags, ACL: opts.ACL}
	if err := l.meta.CommitPut(bucket, key, obj, lay, check); err != nil {
		l.abortData(id, lay.AllPeers())
		return gateway.ObjectInfo{}, err
	}
	l.kickGC() // the object may have replaced another
	if lay.Missing() {
		l.kickRepair()
	}
	return objectInfo(bucket, key, obj), nil
}

// storeData stores data as the stripes of data id, behind an upload intent
// that the caller's commit retires (or abortData turns into garbage).
func (l *Layer) storeData(ctx context.Context, id erasure.DataID, data io.Reader) (meta.Layout, error) {
	peers := l.providers()
	if n := l.cfg.K + l.cfg.M; len(peers) < n {
		return meta.Layout{}, gateway.ErrServiceUnavailable.Errorf("%d Providers can take data now; a stripe needs %d", len(peers), n)
	}
	if err := l.meta.BeginPut(id, peerStrings(peers)); err != nil {
		return meta.Layout{}, err
	}
	tried := &peerSet{m: map[peer.ID]bool{}}
	stripes, err := l.putStripes(ctx, id, peers, data, tried)
	if err != nil {
		l.abortData(id, tried.list())
		return meta.Layout{}, err
	}
	lay := l.layout(stripes)
	if lay.Peers == nil {
		lay.Peers = []string{}
	}
	// A chunk put that failed may still have landed (a lost reply): the
	// Providers tried that hold none of the layout's chunks are collected.
	for _, p := range tried.list() {
		if !slices.Contains(lay.Peers, p) {
			lay.Strays = append(lay.Strays, p)
		}
	}
	return lay, nil
}

// peerSet is a concurrent set of Providers.
type peerSet struct {
	mu sync.Mutex
	m  map[peer.ID]bool
}

func (s *peerSet) add(p peer.ID) {
	s.mu.Lock()
	s.m[p] = true
	s.mu.Unlock()
}

func (s *peerSet) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.m))
	for p := range s.m {
		out = append(out, p.String())
	}
	slices.Sort(out)
	return out
}

// abortData turns the chunks of data id on peers into garbage.
func (l *Layer) abortData(id erasure.DataID, peers []string) {
	if err := l.meta.AbortPut(id, peers); err != nil {
		l.log.Error("abort upload", "data", id, "err", err)
	}
	l.kickGC()
}

// layout turns placed stripes into the stored Layout.
func (l *Layer) layout(stripes []placedStripe) meta.Layout {
	lay := meta.Layout{K: l.cfg.K, M: l.cfg.M}
	index := map[peer.ID]uint16{}
	for n, s := range stripes {
		st := meta.Stripe{Size: s.size, Index: uint64(n), Roots: s.roots, Peers: make([]uint16, len(s.peers))}
		for i, p := range s.peers {
			if p == "" {
				st.Peers[i] = meta.NoPeer
				continue
			}
			j, ok := index[p]
			if !ok {
				j = uint16(len(lay.Peers))
				index[p] = j
				lay.Peers = append(lay.Peers, p.String())
			}
			st.Peers[i] = j
		}
		lay.Stripes = append(lay.Stripes, st)
	}
	return lay
}

// putStripes streams data into stripes and stores them, PutStripes at a time.
func (l *Layer) putStripes(ctx context.Context, id erasure.DataID, peers []peer.ID, data io.Reader, tried *peerSet) ([]placedStripe, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	key := erasure.DataKey(l.cfg.MasterKey, id)
	var (
		mu      sync.Mutex
		stripes []placedStripe
		wg      sync.WaitGroup
		sem     = make(chan struct{}, l.cfg.PutStripes)
	)
	fail := func(err error) { cancel(err) }
	for index := uint64(0); ; index++ {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		buf := make([]byte, l.stripeSize())
		n, rerr := io.ReadFull(data, buf)
		if rerr != nil && rerr != io.EOF && rerr != io.ErrUnexpectedEOF {
			<-sem
			fail(rerr)
			break
		}
		if n == 0 {
			<-sem
			break
		}
		mu.Lock()
		stripes = append(stripes, placedStripe{size: n})
		mu.Unlock()
		wg.Add(1)
		// Encode and send while the next stripe is read and hashed.
		go func(index uint64, plain []byte) {
			defer wg.Done()
			defer func() { <-sem }()
			chunks, err := l.codec.Encode(key, id, index, plain)
			if err != nil {
				fail(fmt.Errorf("encode stripe %d: %w", index, err))
				return
			}
			ps, err := l.putStripe(ctx, id, index, peers, chunks, tried)
			if err != nil {
				fail(err)
				return
			}
			mu.Lock()
			ps.size = stripes[index].size
			stripes[index] = ps
			mu.Unlock()
		}(index, buf[:n])
		if rerr != nil { // short stripe: the body has ended
			// Read once more so the PutReader reports io.EOF or its error.
			if _, err := data.Read(make([]byte, 1)); err != io.EOF {
				if err == nil {
					err = errors.New("body continued after its end")
				}
				fail(err)
			}
			break
		}
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	return stripes, nil
}

// putStripe sends a stripe's chunks to distinct Providers concurrently,
// moving a chunk to a spare Provider when its first choice fails.
func (l *Layer) putStripe(ctx context.Context, id erasure.DataID, index uint64, peers []peer.ID, chunks [][]byte, tried *peerSet) (placedStripe, error) {
	targets, err := placement.Pick(peers, id, index, len(chunks))
	if err != nil {
		return placedStripe{}, err
	}
	ps := placedStripe{peers: make([]peer.ID, len(chunks)), roots: make([]erasure.Root, len(chunks))}
	var mu sync.Mutex
	used := map[peer.ID]bool{}
	for _, t := range targets {
		used[t] = true
	}
	errs := make([]error, len(chunks))
	var wg sync.WaitGroup
	for i, c := range chunks {
		ps.roots[i] = erasure.Commit(c)
		wg.Add(1)
		go func(i int, target peer.ID) {
			defer wg.Done()
			cid := memo.ChunkID{Data: id, Stripe: index, Index: uint16(i)}
			for {
				tried.add(target)
				err := l.client.Put(ctx, target, cid, ps.roots[i], chunks[i])
				if err == nil {
					ps.peers[i] = target
					return
				}
				l.log.Warn("chunk put failed", "chunk", cid, "provider", target, "err", err)
				if ctx.Err() != nil {
					errs[i] = err
					return
				}
				l.health.bad(target)
				mu.Lock()
				target = placement.Spare(peers, used)
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
	// stripe is stored (ps.peers[i] stays ""); otherwise the stripe fails.
	stored := 0
	for _, p := range ps.peers {
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
