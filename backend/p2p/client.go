package p2p

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	"github.com/libp2p/go-libp2p/p2p/protocol/ping"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/order"
	"github.com/mefs-project/mefs/chain"
	"github.com/mefs-project/mefs/erasure"
)

// Client speaks the chunk protocol to Providers from a User's host.
type Client struct {
	Host host.Host
	// Timeout bounds one request when ctx has no earlier deadline.
	Timeout time.Duration
}

func (c *Client) open(ctx context.Context, p peer.ID) (network.Stream, context.CancelFunc, error) {
	timeout := c.Timeout
	if timeout == 0 {
		timeout = 60 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	s, err := c.Host.NewStream(ctx, p, ProtocolID)
	if err != nil {
		cancel()
		return nil, nil, fmt.Errorf("open chunk stream to %s: %w", p, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		if err := s.SetDeadline(dl); err != nil {
			s.Reset()
			cancel()
			return nil, nil, fmt.Errorf("chunk stream to %s: set deadline: %w", p, err)
		}
	}
	// Unblock the stream if ctx is cancelled before the deadline.
	stop := context.AfterFunc(ctx, func() { s.Reset() })
	return s, func() { stop(); cancel() }, nil
}

// PutChunk stores a chunk on Provider p and returns once the Provider has made it
// durable.
func (c *Client) PutChunk(ctx context.Context, p peer.ID, id memo.ChunkID, root erasure.Root, data []byte) error {
	return c.put(ctx, p, Request{Op: OpPut, Chunk: id, Root: root, Size: int64(len(data))}, data)
}

// PutColdChunk is PutChunk for a chunk rarely read (parity): the Provider
// may write it around its page cache.
func (c *Client) PutColdChunk(ctx context.Context, p peer.ID, id memo.ChunkID, root erasure.Root, data []byte) error {
	return c.put(ctx, p, Request{Op: OpPut, Chunk: id, Root: root, Size: int64(len(data)), Cold: true}, data)
}

func (c *Client) put(ctx context.Context, p peer.ID, req Request, data []byte) error {
	id := req.Chunk
	s, done, err := c.open(ctx, p)
	if err != nil {
		return err
	}
	defer done()
	if err := sendPut(s, req, data); err != nil {
		return fmt.Errorf("put chunk %s to %s: %w", id, p, err)
	}
	s.Close()
	return nil
}

// sendPut writes a put and reads its answer at the same time: a Provider
// refuses before it reads the body, so its answer may come first, and
// then the rest of the body is not sent.
func sendPut(s network.Stream, req Request, data []byte) error {
	answer := make(chan error, 1)
	go func() {
		_, err := ReadResponse(s)
		if err != nil {
			s.Reset() // unblocks the writer
		}
		answer <- err
	}()
	werr := WriteRequest(s, req)
	if werr == nil {
		_, werr = s.Write(data)
	}
	if werr == nil {
		werr = s.CloseWrite()
	}
	if werr != nil {
		s.Reset()
	}
	rerr := <-answer
	switch {
	case rerr != nil && (werr == nil || statusError(rerr)):
		s.Reset()
		return rerr
	case werr != nil:
		return werr
	}
	return nil
}

// GetChunk reads a chunk of size bytes from Provider p and checks it against root.
func (c *Client) GetChunk(ctx context.Context, p peer.ID, id memo.ChunkID, root erasure.Root, size int) ([]byte, error) {
	return c.GetChunkInto(ctx, p, id, root, make([]byte, size))
}

// GetChunkInto is GetChunk reading into buf (the chunk is len(buf) bytes);
// it returns buf, and writes to it only until it returns.
func (c *Client) GetChunkInto(ctx context.Context, p peer.ID, id memo.ChunkID, root erasure.Root, buf []byte) ([]byte, error) {
	if _, err := c.GetChunkUnchecked(ctx, p, id, root, buf); err != nil {
		return nil, err
	}
	if !erasure.Verifies(root, buf) {
		return nil, fmt.Errorf("get chunk %s from %s: %w", id, p, ErrBadCommitment)
	}
	return buf, nil
}

// GetChunkUnchecked is GetChunkInto without checking the bytes against
// root: for a caller that authenticates them otherwise (a stripe's GCM tag)
// and calls GetChunkInto when that fails.
func (c *Client) GetChunkUnchecked(ctx context.Context, p peer.ID, id memo.ChunkID, root erasure.Root, buf []byte) ([]byte, error) {
	size := len(buf)
	s, done, err := c.open(ctx, p)
	if err != nil {
		return nil, err
	}
	defer done()
	if err := WriteRequest(s, Request{Op: OpGet, Chunk: id, Root: root}); err != nil {
		s.Reset()
		return nil, fmt.Errorf("get chunk %s from %s: %w", id, p, err)
	}
	if err := s.CloseWrite(); err != nil {
		s.Reset()
		return nil, fmt.Errorf("get chunk %s from %s: %w", id, p, err)
	}
	n, err := ReadResponse(s)
	if err != nil {
		s.Reset()
		return nil, fmt.Errorf("get chunk %s from %s: %w", id, p, err)
	}
	if n != int64(size) {
		s.Reset()
		return nil, fmt.Errorf("get chunk %s from %s: %w: %d bytes, want %d", id, p, ErrBadCommitment, n, size)
	}
	if _, err := io.ReadFull(s, buf); err != nil {
		s.Reset()
		return nil, fmt.Errorf("get chunk %s from %s: %w", id, p, err)
	}
	s.Close()
	return buf, nil
}

// GetChunkRange reads len(buf) bytes of chunk id, whose commitment is root,
// from byte off, from Provider p into buf and returns it. The bytes are NOT
// checked (a range cannot be, against a chunk's commitment): the caller
// authenticates them, and reads the whole chunk (GetChunkInto) if they fail.
func (c *Client) GetChunkRange(ctx context.Context, p peer.ID, id memo.ChunkID, root erasure.Root, off int64, buf []byte) ([]byte, error) {
	s, done, err := c.open(ctx, p)
	if err != nil {
		return nil, err
	}
	defer done()
	fail := func(err error) ([]byte, error) {
		s.Reset()
		return nil, fmt.Errorf("get chunk %s range %d+%d from %s: %w", id, off, len(buf), p, err)
	}
	if err := WriteRequest(s, Request{Op: OpGetRange, Chunk: id, Root: root, Size: int64(len(buf)), Offset: off}); err != nil {
		return fail(err)
	}
	if err := s.CloseWrite(); err != nil {
		return fail(err)
	}
	n, err := ReadResponse(s)
	if err != nil {
		return fail(err)
	}
	if n != int64(len(buf)) {
		return fail(fmt.Errorf("%w: %d bytes, want %d", ErrBadCommitment, n, len(buf)))
	}
	if _, err := io.ReadFull(s, buf); err != nil {
		return fail(err)
	}
	s.Close()
	return buf, nil
}

// VerifyChunk asks Provider p whether it holds chunk id intact (re-read and
// checked against root on its disk) without transferring it; a chunk lost
// there is an error wrapping memo.ErrChunkLost.
func (c *Client) VerifyChunk(ctx context.Context, p peer.ID, id memo.ChunkID, root erasure.Root) error {
	s, done, err := c.open(ctx, p)
	if err != nil {
		return err
	}
	defer done()
	if err := WriteRequest(s, Request{Op: OpVerify, Chunk: id, Root: root}); err != nil {
		s.Reset()
		return fmt.Errorf("verify chunk %s on %s: %w", id, p, err)
	}
	if err := s.CloseWrite(); err != nil {
		s.Reset()
		return fmt.Errorf("verify chunk %s on %s: %w", id, p, err)
	}
	if _, err := ReadResponse(s); err != nil {
		s.Reset()
		return fmt.Errorf("verify chunk %s on %s: %w", id, p, err)
	}
	s.Close()
	return nil
}

// DeleteData deletes every chunk of data id obj that Provider p holds for
// this User.
// Deleting what is not there succeeds.
func (c *Client) DeleteData(ctx context.Context, p peer.ID, obj memo.DataID) error {
	return c.delete(ctx, p, Request{Op: OpDeleteObject, Chunk: memo.ChunkID{Data: obj}}, "object "+obj.String())
}

// DeleteChunk deletes chunk id on Provider p; deleting what is not there
// succeeds.
func (c *Client) DeleteChunk(ctx context.Context, p peer.ID, id memo.ChunkID) error {
	return c.delete(ctx, p, Request{Op: OpDeleteChunk, Chunk: id}, "chunk "+id.String())
}

func (c *Client) delete(ctx context.Context, p peer.ID, req Request, what string) error {
	s, done, err := c.open(ctx, p)
	if err != nil {
		return err
	}
	defer done()
	if err := WriteRequest(s, req); err != nil {
		s.Reset()
		return fmt.Errorf("delete %s on %s: %w", what, p, err)
	}
	if err := s.CloseWrite(); err != nil {
		s.Reset()
		return fmt.Errorf("delete %s on %s: %w", what, p, err)
	}
	if _, err := ReadResponse(s); err != nil {
		s.Reset()
		return fmt.Errorf("delete %s on %s: %w", what, p, err)
	}
	s.Close()
	return nil
}

// Connected reports whether a connection to Provider p is open.
func (c *Client) Connected(p peer.ID) bool {
	return c.Host.Network().Connectedness(p) == network.Connected
}

// Probe checks that Provider p answers a ping within ctx, connecting first
// if there is no connection.
func (c *Client) Probe(ctx context.Context, p peer.ID) error {
	if !c.Connected(p) {
		if err := c.Host.Connect(ctx, peer.AddrInfo{ID: p}); err != nil {
			return fmt.Errorf("connect to %s: %w", p, err)
		}
	}
	res, ok := <-ping.Ping(ctx, c.Host, p)
	if !ok {
		return fmt.Errorf("ping %s: %w", p, ctx.Err())
	}
	if res.Error != nil {
		return fmt.Errorf("ping %s: %w", p, res.Error)
	}
	return nil
}

// Disconnect closes every connection to Provider p, so requests in flight
// to it fail at once.
func (c *Client) Disconnect(p peer.ID) { c.Host.Network().ClosePeer(p) }

// Learn records the multiaddrs Provider p listens on (each may end in
// /p2p/<id>); unparsable ones are skipped.
func (c *Client) Learn(p peer.ID, addrs []string) {
	var mas []ma.Multiaddr
	for _, a := range addrs {
		m, err := ma.NewMultiaddr(a)
		if err != nil {
			continue
		}
		if info, err := peer.AddrInfoFromP2pAddr(m); err == nil {
			mas = append(mas, info.Addrs...)
		} else {
			mas = append(mas, m)
		}
	}
	c.Host.Peerstore().AddAddrs(p, mas, peerstore.PermanentAddrTTL)
}

// ProposeOrder asks Provider p to co-sign order update u over entries (see
// the order protocol) and returns its signature.
func (c *Client) ProposeOrder(ctx context.Context, p peer.ID, u chain.OrderUpdate, entries []order.Entry) ([]byte, error) {
	return ProposeOrder(ctx, c.Host, p, u, entries)
}
