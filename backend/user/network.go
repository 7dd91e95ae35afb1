package user

import (
	"context"
	"slices"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/erasure"
)

// ColdPutter is a Network that can also store a chunk marked rarely read
// (parity), which a Provider may write around its page cache; the User
// stores parity chunks that way when its Network can.
type ColdPutter interface {
	PutColdChunk(ctx context.Context, p peer.ID, id memo.ChunkID, root erasure.Root, data []byte) error
}

// UncheckedGetter is a Network that can also read a chunk without checking
// it against its commitment; the User then authenticates a stripe's data
// chunks by the stripe's GCM tag, and reads them again, each checked, only
// if that fails (fetchStripe).
type UncheckedGetter interface {
	GetChunkUnchecked(ctx context.Context, p peer.ID, id memo.ChunkID, root erasure.Root, buf []byte) ([]byte, error)
}

// putChunk stores chunk i of a stripe coded k+m: data chunks as PutChunk,
// parity chunks cold where the Network can.
func (l *Layer) putChunk(ctx context.Context, p peer.ID, id memo.ChunkID, root erasure.Root, data []byte) error {
	if cp, ok := l.net.(ColdPutter); ok && int(id.Index) >= l.cfg.K {
		return cp.PutColdChunk(ctx, p, id, root, data)
	}
	return l.net.PutChunk(ctx, p, id, root, data)
}

// Network is how the User reaches Providers: the chunk protocol and
// liveness checks. p2p.Client implements it over libp2p; the unit tests use
// an in-memory network of Providers. Every method is safe for concurrent use.
type Network interface {
	// PutChunk stores chunk id, whose commitment is root, on Provider p and
	// returns once p has made it durable.
	PutChunk(ctx context.Context, p peer.ID, id memo.ChunkID, root erasure.Root, data []byte) error
	// GetChunkInto reads chunk id (len(buf) bytes) from Provider p into buf
	// and returns it, checked against root; it writes to buf only until it
	// returns. A chunk p does not hold, or holds corrupt, is an error
	// wrapping memo.ErrChunkLost.
	GetChunkInto(ctx context.Context, p peer.ID, id memo.ChunkID, root erasure.Root, buf []byte) ([]byte, error)
	// GetChunkRange reads len(buf) bytes of chunk id (whose commitment is
	// root) from byte off, from Provider p into buf, and returns it, NOT
	// checked: the caller authenticates them (packed objects are sealed).
	GetChunkRange(ctx context.Context, p peer.ID, id memo.ChunkID, root erasure.Root, off int64, buf []byte) ([]byte, error)
	// VerifyChunk asks Provider p to check, on its disk, that it holds
	// chunk id matching root, without sending it; a chunk lost there is an
	// error wrapping memo.ErrChunkLost.
	VerifyChunk(ctx context.Context, p peer.ID, id memo.ChunkID, root erasure.Root) error
	// DeleteData deletes every chunk of data id that Provider p holds for
	// this User; deleting what is not there succeeds.
	DeleteData(ctx context.Context, p peer.ID, id memo.DataID) error
	// DeleteChunk deletes chunk id on Provider p (an orphan no layout
	// records); deleting what is not there succeeds.
	DeleteChunk(ctx context.Context, p peer.ID, id memo.ChunkID) error
	// Probe checks that Provider p answers within ctx, connecting if needed.
	Probe(ctx context.Context, p peer.ID) error
	// Connected reports whether a connection to Provider p is open now.
	Connected(p peer.ID) bool
	// Disconnect drops every connection to Provider p, so requests in flight
	// to it fail at once.
	Disconnect(p peer.ID)
}

// Roster says which Providers may take new chunks of this User now. The
// Settler is the Roster of a User with orders on chain; Fixed is the Roster
// of a chain-less gateway.
type Roster interface {
	// Providers returns the Providers chunks may be placed on, sorted. The
	// caller must not modify the slice.
	Providers() []peer.ID
	// Run keeps the roster current until ctx ends.
	Run(ctx context.Context)
}

// Fixed is a Roster of a fixed set of Providers (a gateway without
// settlement).
type Fixed []peer.ID

// NewFixed returns the Roster of providers.
func NewFixed(providers []peer.ID) Fixed {
	f := slices.Clone(providers)
	slices.Sort(f)
	return Fixed(slices.Compact(f))
}

func (f Fixed) Providers() []peer.ID { return f }

// Run returns at once: a fixed set needs no upkeep.
func (f Fixed) Run(ctx context.Context) {}
