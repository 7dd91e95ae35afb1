package user

// Invariants:
//   - The metadata store is the only source of truth for what exists: chunks
//     are written before their object is committed and deleted only after it
//     is dropped (see meta's invariants), so a reader never sees an object
//     whose chunks are not all durable.
//   - Memory per PutObject is bounded by PutStripes stripes in flight (one
//     when more multi-stripe PUTs run than there are cores), and per
//     GetObject by the stripe being read plus one prefetched: never by object
//     size. With a Memory budget, the sum over all requests is bounded too.

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/internal/slab"
	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/erasure"
	"github.com/mefs-project/mefs/gateway"
)

// Config configures a Layer. Zero fields take the defaults in withDefaults.
type Config struct {
	K, M int
	// ChunkSize is the size of every chunk of a full stripe; a full stripe
	// holds K*ChunkSize-erasure.Overhead plaintext bytes.
	ChunkSize int
	// MasterKey (>= 32 bytes) derives every object's encryption key.
	MasterKey []byte
	// PutStripes bounds the stripes of one PUT being sent at once.
	PutStripes int
	// HedgeDelay is how long a read waits on a chunk before also asking
	// another Provider for a parity chunk.
	HedgeDelay time.Duration
	// WriteQuorum is how many chunks of each stripe must be stored for a
	// PUT to succeed (k+1 ≤ WriteQuorum ≤ k+m): the rest are queued for repair.
	WriteQuorum int
	// GCInterval is how often garbage is retried when no mutation kicks it;
	// RepairInterval likewise for the repair queue.
	GCInterval, RepairInterval time.Duration
	// PingInterval is how often connected Providers are pinged, and
	// PingTimeout how long one may take before its connections are dropped.
	PingInterval, PingTimeout time.Duration
	// SuspectFor is how long a failure keeps a Provider suspect (asked last).
	SuspectFor time.Duration
	// GoneAfter is how long a Provider may fail without one success before
	// it counts as gone.
	GoneAfter time.Duration
	// ScrubRate is how many chunks per second the scrubber asks their
	// Providers to verify in place (default 20; negative: no scrubbing);
	// ScrubInterval the pause between full passes (default 1 h).
	ScrubRate     float64
	ScrubInterval time.Duration
	// Memory, if set, is the budget PUTs and GETs reserve their buffers
	// from (memory.go); nil: no bound beyond the per-request ones.
	Memory Memory
	// InlineMax is the largest object kept sealed in the metadata instead of
	// in stripes (default DefaultInlineMax; negative: none).
	InlineMax int
	// PackMax is the largest object packed with others into a shared
	// stripe (default DefaultPackMax; negative: none), PackSize a pack's
	// plaintext bytes at most (default DefaultPackSize, at most a stripe),
	// PackLinger how long a pack waits for more PUTs once one arrives
	// (default DefaultPackLinger), CompactBelow the live fraction under
	// which a pack is compacted (default DefaultCompactBelow), and
	// CompactInterval how often sparse packs are looked for (default
	// GCInterval).
	PackMax, PackSize int
	PackLinger        time.Duration
	CompactBelow      float64
	CompactInterval   time.Duration
	// Proven, if set, tells up to which epoch each Provider was proven on
	// chain: GET and HEAD then carry x-mefs-proven-epoch (proven.go).
	Proven ProvenEpochs
}

// withDefaults fills in every zero field: the defaults of the User side, in
// one place.
func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.PutStripes <= 0 {
		c.PutStripes = 2
	}
	def(&c.HedgeDelay, 500*time.Millisecond)
	def(&c.GCInterval, 30*time.Second)
	def(&c.RepairInterval, 10*time.Second)
	def(&c.PingInterval, 3*time.Second)
	def(&c.PingTimeout, 2*time.Second)
	def(&c.SuspectFor, 30*time.Second)
	def(&c.GoneAfter, 10*time.Minute)
	def(&c.ScrubInterval, time.Hour)
	if c.ScrubRate == 0 {
		c.ScrubRate = 20
	}
	if c.InlineMax == 0 {
		c.InlineMax = DefaultInlineMax
	}
	if c.PackSize <= 0 {
		c.PackSize = DefaultPackSize
	}
	c.PackSize = min(c.PackSize, c.K*c.ChunkSize-erasure.Overhead)
	if c.PackMax == 0 {
		c.PackMax = DefaultPackMax
	}
	c.PackMax = min(c.PackMax, c.PackSize)
	def(&c.PackLinger, DefaultPackLinger)
	def(&c.CompactInterval, c.GCInterval)
	if c.CompactBelow <= 0 {
		c.CompactBelow = DefaultCompactBelow
	}
	if c.WriteQuorum == 0 {
		c.WriteQuorum = max(c.K+c.M-1, c.K+1)
	}
	c.WriteQuorum = min(max(c.WriteQuorum, min(c.K+1, c.K+c.M)), c.K+c.M)
	return c
}

// DefaultInlineMax is Config.InlineMax's default: objects up to 4 KiB live
// in the metadata, which reaches Providers with every snapshot.
const DefaultInlineMax = 4 << 10

// Layer is MEFS's gateway.ObjectLayer: the User's side of the network.
type Layer struct {
	cfg        Config
	meta       *meta.Store
	net        Network
	roster     Roster
	codec      *erasure.Codec
	bufs       *slab.Pool // stripe buffers, outside the Go heap (bufpool.go)
	log        *slog.Logger
	gcKick     chan struct{}
	repairKick chan struct{}
	health     providerHealth
	// latency is a moving average of chunk read latency, in nanoseconds.
	latency atomic.Int64
	// largePuts counts PUTs in flight whose bodies span several stripes
	// (putDepth).
	largePuts atomic.Int32
	// repairedChunks and repairedBytes count repair's work since start;
	// lostChunks the chunks given up (heal.go).
	repairedChunks, repairedBytes, lostChunks atomic.Int64
	// scrubbedLost counts the lost chunks the scrubber found.
	scrubbedLost atomic.Int64
	// lost carries chunks reads found lost to the repair loop.
	lost chan lostChunk
	// garbageSeen: when the collector first saw each garbage record (an
	// order update must read the index after that before it deletes).
	seenMu      sync.Mutex
	garbageSeen map[memo.DataID]time.Time
	census      census
	atRisk      atRiskCache
	// orphanMu orders deleting a chunk an abandoned repair left with a new
	// repair of that chunk (repair.go).
	orphanMu sync.Mutex
	packs    packer
	// packsSealed, packedObjects and repackedObjects count packing's work
	// since start (pack.go).
	packsSealed, packedObjects, repackedObjects atomic.Int64
	// beforeRepack, in tests, runs between a compaction's chunk puts and its
	// commit; an error stops the compaction there, as a crash would.
	beforeRepack func() error
}

var _ gateway.ObjectLayer = (*Layer)(nil)

// providers returns the Providers chunks may be placed on now.
func (l *Layer) providers() []peer.ID { return l.roster.Providers() }

// New returns a Layer storing metadata in store and chunks on the Providers
// of roster, reached through net.
func New(cfg Config, store *meta.Store, net Network, roster Roster, log *slog.Logger) (*Layer, error) {
	if log == nil {
		log = slog.Default()
	}
	codec, err := erasure.NewCodec(cfg.K, cfg.M)
	if err != nil {
		return nil, fmt.Errorf("erasure code %d+%d: %w", cfg.K, cfg.M, err)
	}
	if len(cfg.MasterKey) < erasure.MinMasterSize {
		return nil, fmt.Errorf("master key of %d bytes is shorter than %d", len(cfg.MasterKey), erasure.MinMasterSize)
	}
	if cfg.ChunkSize <= erasure.Overhead || cfg.ChunkSize > memo.MaxChunkSize {
		return nil, fmt.Errorf("chunk size %d out of range", cfg.ChunkSize)
	}
	if _, fixed := roster.(Fixed); fixed && len(roster.Providers()) < cfg.K+cfg.M {
		return nil, fmt.Errorf("%d+%d coding needs %d providers, %d configured", cfg.K, cfg.M, cfg.K+cfg.M, len(roster.Providers()))
	}
	cfg = cfg.withDefaults()
	return &Layer{cfg: cfg, meta: store, net: net, roster: roster, codec: codec, log: log,
		bufs:   &slab.Default,
		gcKick: make(chan struct{}, 1), repairKick: make(chan struct{}, 1), lost: make(chan lostChunk, 1024), health: providerHealth{suspectFor: cfg.SuspectFor, goneAfter: cfg.GoneAfter}}, nil
}

// stripeSize is the plaintext size of a full stripe.
func (l *Layer) stripeSize() int { return l.cfg.K*l.cfg.ChunkSize - erasure.Overhead }

func (l *Layer) MakeBucket(ctx context.Context, bucket, owner string) (err error) {
	defer translate(&err)
	return l.meta.CreateBucket(meta.Bucket{Name: bucket, Owner: owner, Created: time.Now().UTC()})
}

func (l *Layer) BucketInfo(ctx context.Context, bucket string) (_ gateway.BucketInfo, err error) {
	defer translate(&err)
	b, err := l.meta.Bucket(bucket)
	return gateway.BucketInfo{Name: b.Name, Owner: b.Owner, Created: b.Created, Tags: b.Tags, Config: b.Config, Versioning: b.Versioning}, err
}

func (l *Layer) ListBuckets(ctx context.Context) (_ []gateway.BucketInfo, err error) {
	defer translate(&err)
	bs, err := l.meta.Buckets()
	out := make([]gateway.BucketInfo, 0, len(bs))
	for _, b := range bs {
		out = append(out, gateway.BucketInfo{Name: b.Name, Owner: b.Owner, Created: b.Created})
	}
	return out, err
}

func (l *Layer) DeleteBucket(ctx context.Context, bucket string) (err error) {
	defer translate(&err)
	return l.meta.DeleteBucket(bucket)
}

func objectInfo(bucket, key string, o meta.Object) gateway.ObjectInfo {
	return gateway.ObjectInfo{Bucket: bucket, Key: key, Size: o.Size, ETag: o.ETag, ModTime: o.ModTime,
		ContentType: o.ContentType, UserMeta: o.UserMeta, Headers: o.Headers, Checksums: o.Checksums,
		Parts: len(o.PartSizes), PartSizes: o.PartSizes, PartChecksums: o.PartChecksums, Tags: o.Tags, ACL: o.ACL,
		VersionID: o.VersionID, DeleteMarker: o.DeleteMarker, SSECustomerKeyMD5: o.SSECKeyMD5,
		SSEKMSKeyID: o.SSEKMSKeyID, UploadID: o.UploadID}
}

func (l *Layer) ListObjects(ctx context.Context, bucket string, opts gateway.ListOptions) (_ gateway.ListResult, err error) {
	defer translate(&err)
	page, err := l.meta.List(bucket, meta.ListOptions{Prefix: opts.Prefix, Delimiter: opts.Delimiter, Marker: opts.Marker, MaxKeys: opts.MaxKeys})
	res := gateway.ListResult{CommonPrefixes: page.CommonPrefixes, IsTruncated: page.IsTruncated, NextMarker: page.NextMarker}
	for _, e := range page.Objects {
		res.Objects = append(res.Objects, objectInfo(e.Bucket, e.Key, e.Object))
	}
	return res, err
}

func (l *Layer) GetObject(ctx context.Context, bucket, key, versionID string, rng *gateway.Range, customerKey []byte) (_ gateway.ObjectInfo, _ io.ReadCloser, err error) {
	defer translate(&err)
	if _, err := l.meta.Bucket(bucket); err != nil {
		return gateway.ObjectInfo{}, nil, err
	}
	var (
		o   meta.Object
		ref dataRef
	)
	// The object and its layout are read one after the other: an overwrite
	// in between drops the layout read, so read the new object once more.
	for try := 0; ; try++ {
		var err error
		if o, err = l.version(bucket, key, versionID); err != nil {
			return objectInfo(bucket, key, o), nil, err
		}
		ref, err = l.locate(o.ID)
		if err == nil {
			break
		}
		if !errors.Is(err, meta.ErrNoSuchKey) || try == 2 {
			if versionID != "" && errors.Is(err, meta.ErrNoSuchKey) {
				err = meta.ErrNoSuchVersion // the version was deleted meanwhile
			}
			return gateway.ObjectInfo{}, nil, err
		}
	}
	info, err := l.withLock(bucket, key, o)
	if err != nil {
		return info, nil, err
	}
	if err := gateway.CheckCustomerKey(o.SSECKeyMD5, customerKey); err != nil {
		return info, nil, err
	}
	master := l.masterFor(customerKey, o.SSEKMSKeyID)
	l.addProvenEpoch(&info, ref.lay)
	off, n, err := rng.Resolve(o.Size)
	if err != nil {
		return info, nil, err
	}
	if ref.lay.Inline != nil || ref.ext != nil {
		plain, err := l.readSmall(ctx, master, o.ID, ref)
		if err != nil {
			return info, nil, unavailable(err)
		}
		return info, io.NopCloser(bytes.NewReader(plain[off : off+n])), nil
	}
	release, err := l.reserveGet(ctx, ref.lay, off, n)
	if err != nil {
		return info, nil, err
	}
	r := l.newObjectReader(ctx, master, ref.id, ref.lay, off, n)
	r.release = release
	if err := r.prime(); err != nil {
		r.Close()
		return info, nil, unavailable(err)
	}
	return info, r, nil
}

// unavailable makes a read that found too few chunks a 503 (the client may
// retry); other errors pass as they are.
func unavailable(err error) error {
	if errors.Is(err, erasure.ErrTooFewChunks) {
		return errors.Join(gateway.ErrServiceUnavailable.Errorf("Too few Providers answered to read the object; try again later."), err)
	}
	return err
}

// readSmall returns the plaintext of an inline (its key derived from
// master) or packed object.
func (l *Layer) readSmall(ctx context.Context, master []byte, id memo.ObjectID, ref dataRef) ([]byte, error) {
	if ref.ext != nil {
		return l.readPacked(ctx, id, ref)
	}
	return erasure.OpenInline(erasure.DataKey(master, memo.DataOf(id)), memo.DataOf(id), ref.lay.Inline)
}

// masterFor is the secret an object's data keys derive from: the User's
// master key; for an object under an SSE-C key, a secret derived from both
// (HMAC-SHA256 under the master key of "mefs/sse-c/v1" || the customer's
// key), so that neither key alone decrypts it; for an object under an
// SSE-KMS key, one derived from the master key and the key's name
// (HMAC-SHA256 of "mefs/sse-kms/v1" || the name), so that each name is a
// key of its own. Part of the data format.
func (l *Layer) masterFor(customerKey []byte, kmsKey string) []byte {
	var label, secret []byte
	switch {
	case customerKey != nil:
		label, secret = []byte("mefs/sse-c/v1"), customerKey
	case kmsKey != "":
		label, secret = []byte("mefs/sse-kms/v1"), []byte(kmsKey)
	default:
		return l.cfg.MasterKey
	}
	m := hmac.New(sha256.New, l.cfg.MasterKey)
	m.Write(label)
	m.Write(secret)
	return m.Sum(nil)
}

// dataKey is the key of data id under customerKey (nil: none) or the
// SSE-KMS key named kmsKey ("": none).
func (l *Layer) dataKey(customerKey []byte, kmsKey string, id erasure.DataID) []byte {
	return erasure.DataKey(l.masterFor(customerKey, kmsKey), id)
}

// newDataID returns a fresh random data id.
func newDataID() memo.DataID { return memo.DataID(newObjectID()) }

func newObjectID() memo.ObjectID {
	var id memo.ObjectID
	if _, err := rand.Read(id[:]); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err))
	}
	return id
}

func providerStrings(ps []peer.ID) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

// errNoProviders reports a stripe that could not be placed.
var errNoProviders = errors.New("not enough providers accepted the stripe")

func (l *Layer) SetBucketTags(ctx context.Context, bucket string, tags map[string]string) (err error) {
	defer translate(&err)
	return l.meta.UpdateBucket(bucket, func(b *meta.Bucket) { b.Tags = tags })
}

func (l *Layer) SetBucketConfig(ctx context.Context, bucket, name string, doc []byte) (err error) {
	defer translate(&err)
	return l.meta.UpdateBucket(bucket, func(b *meta.Bucket) {
		if doc == nil {
			delete(b.Config, name)
			return
		}
		if b.Config == nil {
			b.Config = map[string][]byte{}
		}
		b.Config[name] = doc
	})
}
