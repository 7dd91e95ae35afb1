// Package provider is the MEFS Provider role: it stores chunks on disk and
// serves them to Users over the libp2p chunk protocol.
package provider

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"

	"github.com/mefs-project/mefs/backend/order"
	"github.com/mefs-project/mefs/backend/p2p"
)

// Provider serves a chunk Store on a libp2p host.
type Provider struct {
	Host  host.Host
	Store *Store
	Log   *slog.Logger
	// Ledger admits Users and co-signs order updates: ChainLedger admits
	// only Users with funded orders, AllowAll every peer (as itself).
	Ledger Ledger
	// sem bounds the chunks held in memory at once.
	sem chan struct{}
	// stats count requests and refusals since start (Stats).
	requests [p2p.LastOp + 1]atomic.Int64
	refused  atomic.Int64
}

// Stats are a Provider's request counters since start.
type Stats struct {
	Requests map[string]int64 // by operation: put, get, verify, delete, delete-chunk
	Refused  int64            // refused before anything of the peer's was stored
}

var opNames = map[p2p.Op]string{p2p.OpPut: "put", p2p.OpGet: "get", p2p.OpVerify: "verify", p2p.OpDeleteObject: "delete", p2p.OpDeleteChunk: "delete-chunk", p2p.OpGetRange: "get-range"}

// Stats reports the request counters.
func (p *Provider) Stats() Stats {
	st := Stats{Requests: map[string]int64{}, Refused: p.refused.Load()}
	for op, name := range opNames {
		st.Requests[name] = p.requests[op].Load()
	}
	return st
}

// The Provider's limits, in one place.
const (
	// requestTimeout bounds one chunk or order request on the Provider side.
	requestTimeout = 2 * time.Minute
	// authTimeout bounds the Ledger's admission of a peer.
	authTimeout = 30 * time.Second
	// maxInFlight bounds the chunk requests (and so chunks in memory) at once.
	maxInFlight = 32
	// headerTimeout bounds the wait for an admitted peer's request header.
	headerTimeout = 10 * time.Second
	// slotWait bounds the wait for a request slot before refusing as busy.
	slotWait = 30 * time.Second
	// refuseGrace is how long a refused stream stays open for the client
	// to read the refusal before it is reset.
	refuseGrace = 2 * time.Second
)

// New registers the chunk and order protocols on h, serving store to the
// Users ledger admits.
func New(h host.Host, store *Store, ledger Ledger, log *slog.Logger) *Provider {
	if log == nil {
		log = slog.Default()
	}
	p := &Provider{Host: h, Store: store, Log: log, Ledger: ledger, sem: make(chan struct{}, maxInFlight)}
	h.SetStreamHandler(p2p.ProtocolID, p.handle)
	h.SetStreamHandler(p2p.OrderProtocolID, p.handleOrder)
	return p
}

// owner returns as whom the stream's peer acts (see Ledger.Authorize).
func (p *Provider) owner(s network.Stream, store bool) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), authTimeout)
	defer cancel()
	return p.Ledger.Authorize(ctx, s.Conn().RemotePeer(), store)
}

// readEOF reads the sender's end of stream after a body of the announced
// size: closing a stream whose end has not been read stops the sender's
// side, which can fail its CloseWrite after the response is on the wire.
func readEOF(s io.Reader) error {
	var b [1]byte
	if n, err := s.Read(b[:]); n > 0 {
		return errors.New("body longer than its announced size")
	} else if err != nil && err != io.EOF {
		return err
	}
	return nil
}

// Close stops serving; it does not close the host.
func (p *Provider) Close() {
	p.Host.RemoveStreamHandler(p2p.ProtocolID)
	p.Host.RemoveStreamHandler(p2p.OrderProtocolID)
}

func (p *Provider) handle(s network.Stream) {
	// Admission comes first: a peer that is no User here is refused before
	// anything of it is read and before it takes a request slot.
	if _, err := p.owner(s, false); err != nil {
		p.Log.Debug("refused peer", "peer", s.Conn().RemotePeer(), "err", err)
		p.refuse(s, err)
		return
	}
	defer s.Close()
	if err := s.SetDeadline(time.Now().Add(headerTimeout)); err != nil {
		s.Reset()
		return
	}
	req, err := p2p.ReadRequest(s)
	if err != nil {
		p.Log.Warn("bad chunk request", "peer", s.Conn().RemotePeer(), "err", err)
		s.Reset()
		return
	}
	p.requests[req.Op].Add(1) // ReadRequest checked the op
	if req.Op == p2p.OpPut {
		// A put is admitted (funded, priced, bounded order) before its body
		// is read or a slot is taken.
		if _, err := p.owner(s, true); err != nil {
			p.Log.Info("refused chunk", "chunk", req.Chunk, "peer", s.Conn().RemotePeer(), "err", err)
			p.refuse(s, err)
			return
		}
	}
	if err := s.SetDeadline(time.Now().Add(requestTimeout)); err != nil {
		s.Reset()
		return
	}
	select {
	case p.sem <- struct{}{}:
	case <-time.After(slotWait):
		p.Log.Warn("provider busy", "peer", s.Conn().RemotePeer())
		p.refuse(s, errBusy)
		return
	}
	defer func() { <-p.sem }()
	switch req.Op {
	case p2p.OpPut:
		err = p.put(s, req)
	case p2p.OpGet:
		err = p.get(s, req)
	case p2p.OpGetRange:
		err = p.getRange(s, req)
	case p2p.OpVerify:
		err = p.verify(s, req)
	case p2p.OpDeleteObject:
		err = p.deleteObject(s, req)
	case p2p.OpDeleteChunk:
		err = p.deleteChunk(s, req)
	}
	if err != nil {
		// A peer that resets its stream (a hedged read no longer needed, an
		// upload its client abandoned) has not seen us fail.
		level := slog.LevelWarn
		if errors.Is(err, network.ErrReset) {
			level = slog.LevelDebug
		}
		p.Log.Log(context.Background(), level, "chunk request failed", "op", req.Op, "chunk", req.Chunk, "peer", s.Conn().RemotePeer(), "err", err)
		s.Reset()
	}
}

var errBusy = errors.New("provider busy")

// refuse answers a refusal without reading the request's body: it writes
// the refusal, closes its side, and resets the stream after refuseGrace
// (the client reads the answer while it writes, and resets first).
func (p *Provider) refuse(s network.Stream, err error) {
	p.refused.Add(1)
	if werr := p2p.WriteResponse(s, p2p.StatusRefused, 0, err.Error()); werr != nil {
		s.Reset()
		return
	}
	if cerr := s.CloseWrite(); cerr != nil {
		s.Reset()
		return
	}
	time.AfterFunc(refuseGrace, func() { s.Reset() })
}

// ErrOverQuota refuses a chunk that would take a User past what its
// orders pay for (plus the ledger's slack).
var ErrOverQuota = errors.New("over quota")

func (p *Provider) put(s network.Stream, req p2p.Request) error {
	owner, err := p.owner(s, true)
	if err != nil {
		return p2p.WriteResponse(s, p2p.StatusRefused, 0, err.Error())
	}
	// The User's orders bound what it may hold here: refused before the
	// body is read.
	if quota, limited := p.Ledger.Quota(owner); limited {
		if held := p.Store.UsageOf(owner); held+req.Size > quota {
			p.Log.Debug("refused chunk over quota", "owner", owner, "held", held, "size", req.Size, "quota", quota)
			p.refused.Add(1)
			return p2p.WriteResponse(s, p2p.StatusRefused, 0, fmt.Sprintf("%v: holding %d bytes for %s, its orders allow %d", ErrOverQuota, held, owner, quota))
		}
	}
	err = p.Store.PutFrom(owner, req.Chunk, req.Root, req.Size, s, req.Cold)
	switch {
	case errors.Is(err, ErrBody):
		return err
	case errors.Is(err, ErrMismatch):
		return p2p.WriteResponse(s, p2p.StatusBadCommitment, 0, "chunk "+req.Chunk.String()+" does not match its commitment")
	case errors.Is(err, ErrDeleted) || errors.Is(err, ErrNotOwner):
		return p2p.WriteResponse(s, p2p.StatusRefused, 0, err.Error())
	case err != nil:
		p.Log.Error("store chunk", "chunk", req.Chunk, "err", err)
		return p2p.WriteResponse(s, p2p.StatusError, 0, "store failed")
	}
	return p2p.WriteResponse(s, p2p.StatusOK, 0, "")
}

func (p *Provider) get(s network.Stream, req p2p.Request) error {
	// Sent unchecked: the User checks every chunk it receives against the
	// commitment it holds, and a mismatch there (ErrBadCommitment) means to it
	// what a corrupt answer from here would; the hash is paid once, not twice.
	data, ok, err := p.load(s, req, false)
	if !ok {
		return err
	}
	defer putChunkBuffer(data) // written out (flushed) by then
	// The header goes out with the chunk's first bytes in one frame; the
	// rest is written straight from data, not copied through the buffer.
	w := bufio.NewWriterSize(s, 16<<10)
	if err := p2p.WriteResponse(w, p2p.StatusOK, int64(len(data)), ""); err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		return err
	}
	return w.Flush()
}

// getRange sends Size bytes of the chunk from Offset, unchecked: a range
// cannot be checked against the chunk's commitment, and its reader
// authenticates what it asked for (a sealed packed object).
func (p *Provider) getRange(s network.Stream, req p2p.Request) error {
	owner, err := p.owner(s, false)
	if err != nil || !p.Store.Owns(owner, req.Chunk.Data) {
		return p2p.WriteResponse(s, p2p.StatusNotFound, 0, "")
	}
	data, err := p.Store.ReadRange(req.Chunk, req.Root, req.Offset, req.Size, getChunkBuffer)
	switch {
	case errors.Is(err, p2p.ErrNotFound):
		return p2p.WriteResponse(s, p2p.StatusNotFound, 0, "")
	case err != nil:
		p.Log.Warn("read chunk range", "chunk", req.Chunk, "offset", req.Offset, "size", req.Size, "err", err)
		return p2p.WriteResponse(s, p2p.StatusError, 0, "read failed")
	}
	defer putChunkBuffer(data) // written out (flushed) by then
	if err := p2p.WriteResponse(s, p2p.StatusOK, int64(len(data)), ""); err != nil {
		return err
	}
	_, err = s.Write(data)
	return err
}

// verify answers whether the chunk is held intact, without sending it.
func (p *Provider) verify(s network.Stream, req p2p.Request) error {
	data, ok, err := p.load(s, req, true)
	if !ok {
		return err
	}
	putChunkBuffer(data)
	return p2p.WriteResponse(s, p2p.StatusOK, 0, "")
}

// load reads the chunk req names for the stream's User, checked against its
// commitment when check; when ok is false it has answered the request (not
// held, corrupt, failed) and err is that answer's write error.
func (p *Provider) load(s network.Stream, req p2p.Request, check bool) (data []byte, ok bool, err error) {
	owner, err := p.owner(s, false)
	if err != nil || !p.Store.Owns(owner, req.Chunk.Data) {
		return nil, false, p2p.WriteResponse(s, p2p.StatusNotFound, 0, "")
	}
	read := p.Store.readInto
	if check {
		read = p.Store.getInto
	}
	data, root, err := read(req.Chunk, getChunkBuffer)
	if err != nil && data != nil {
		putChunkBuffer(data)
	}
	switch {
	case errors.Is(err, p2p.ErrNotFound):
		return nil, false, p2p.WriteResponse(s, p2p.StatusNotFound, 0, "")
	case errors.Is(err, ErrCorrupt):
		p.Log.Error("corrupt chunk on disk", "chunk", req.Chunk)
		return nil, false, p2p.WriteResponse(s, p2p.StatusBadCommitment, 0, "stored chunk is corrupt")
	case err != nil:
		p.Log.Error("read chunk", "chunk", req.Chunk, "err", err)
		return nil, false, p2p.WriteResponse(s, p2p.StatusError, 0, "read failed")
	case root != req.Root:
		return nil, false, p2p.WriteResponse(s, p2p.StatusNotFound, 0, "no chunk with that commitment")
	}
	return data, true, nil
}

func (p *Provider) deleteObject(s network.Stream, req p2p.Request) error {
	owner, err := p.owner(s, false)
	if err != nil {
		return p2p.WriteResponse(s, p2p.StatusRefused, 0, err.Error())
	}
	if !p.Store.Owns(owner, req.Chunk.Data) {
		// Nothing of this User's: already deleted, or never stored here. A
		// tombstone still stops late puts of it.
		return p.respondDeleted(s, req, owner)
	}
	if err := p.Store.DeleteObject(req.Chunk.Data); err != nil {
		p.Log.Error("delete object chunks", "object", req.Chunk.Data.String(), "err", err)
		return p2p.WriteResponse(s, p2p.StatusError, 0, "delete failed")
	}
	return p2p.WriteResponse(s, p2p.StatusOK, 0, "")
}

// deleteChunk deletes one chunk of the peer's: an orphan its User never
// recorded (a repair cut short).
func (p *Provider) deleteChunk(s network.Stream, req p2p.Request) error {
	owner, err := p.owner(s, false)
	if err != nil {
		return p2p.WriteResponse(s, p2p.StatusRefused, 0, err.Error())
	}
	if !p.Store.Owns(owner, req.Chunk.Data) {
		return p2p.WriteResponse(s, p2p.StatusOK, 0, "") // nothing of this User's to delete
	}
	if err := p.Store.DeleteChunk(req.Chunk); err != nil {
		p.Log.Error("delete chunk", "chunk", req.Chunk, "err", err)
		return p2p.WriteResponse(s, p2p.StatusError, 0, "delete failed")
	}
	return p2p.WriteResponse(s, p2p.StatusOK, 0, "")
}

// respondDeleted answers a delete of an object owner does not hold: if no
// one holds it, it records a tombstone so a late put of it cannot land.
func (p *Provider) respondDeleted(s network.Stream, req p2p.Request, owner string) error {
	if !p.Store.Owned(req.Chunk.Data) {
		if err := p.Store.DeleteObject(req.Chunk.Data); err != nil {
			return p2p.WriteResponse(s, p2p.StatusError, 0, "delete failed")
		}
	}
	return p2p.WriteResponse(s, p2p.StatusOK, 0, "")
}

func (p *Provider) handleOrder(s network.Stream) {
	defer s.Close()
	if err := s.SetDeadline(time.Now().Add(requestTimeout)); err != nil {
		s.Reset()
		return
	}
	peerID := s.Conn().RemotePeer()
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	var (
		owner   string
		entries []order.Entry
		missing int
	)
	prop, err := p2p.ReadProposal(s, func(pr p2p.Proposal) (func(order.Entry) error, error) {
		o, err := p.Ledger.Check(ctx, peerID, pr.Update)
		if err != nil {
			return nil, err
		}
		owner = o
		entries = make([]order.Entry, 0, pr.Count)
		return func(e order.Entry) error {
			if !p.Store.Has(owner, e) {
				missing++
			}
			entries = append(entries, e)
			return nil
		}, nil
	})
	if err != nil {
		p.Log.Warn("order proposal refused", "peer", peerID, "err", err)
		p2p.WriteResponse(s, p2p.StatusRefused, 0, err.Error())
		return
	}
	sum := order.Summarize(entries)
	u := prop.Update
	switch {
	case missing > 0:
		err = fmt.Errorf("%d of the %d listed chunks are not held here", missing, len(entries))
	case sum.Size != u.Size || [32]byte(sum.Root) != [32]byte(u.Root):
		err = fmt.Errorf("listed chunks sum to %d bytes, root %s; the update says %d bytes, root %x", sum.Size, sum.Root, u.Size, u.Root)
	}
	if err != nil {
		p.Log.Warn("order proposal refused", "peer", peerID, "err", err)
		p2p.WriteResponse(s, p2p.StatusRefused, 0, err.Error())
		return
	}
	// The list is saved before the signature leaves, so whatever root the
	// User records on chain, the Provider can prove its entries.
	if err := p.Store.SaveOrderList(u.User, entries); err != nil {
		p.Log.Error("save order list", "user", u.User, "err", err)
		p2p.WriteResponse(s, p2p.StatusError, 0, "saving the order list failed")
		return
	}
	sig, err := p.Ledger.Sign(u)
	if err != nil {
		p.Log.Error("sign order update", "err", err)
		p2p.WriteResponse(s, p2p.StatusError, 0, "signing failed")
		return
	}
	p.Log.Info("co-signed order update", "user", u.User, "size", u.Size, "chunks", len(entries), "nonce", u.Nonce, "end", u.End)
	if err := p2p.WriteResponse(s, p2p.StatusOK, int64(len(sig)), ""); err == nil {
		s.Write(sig)
	}
}
