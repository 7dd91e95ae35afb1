// Package provider is the MEFS Provider role: it stores chunks on disk and
// serves them to Users over the libp2p chunk protocol.
package provider

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"

	"github.com/mefs-project/mefs/backend/wire"
	"github.com/mefs-project/mefs/erasure"
)

// Provider serves a chunk Store on a libp2p host.
type Provider struct {
	Host  host.Host
	Store *Store
	Log   *slog.Logger
	// sem bounds the chunks held in memory at once.
	sem chan struct{}
}

// requestTimeout bounds one chunk request on the Provider side.
const requestTimeout = 2 * time.Minute

// New registers the chunk protocol on h, serving store.
func New(h host.Host, store *Store, log *slog.Logger) *Provider {
	if log == nil {
		log = slog.Default()
	}
	p := &Provider{Host: h, Store: store, Log: log, sem: make(chan struct{}, 32)}
	h.SetStreamHandler(wire.ProtocolID, p.handle)
	return p
}

// Close stops serving; it does not close the host.
func (p *Provider) Close() {
	p.Host.RemoveStreamHandler(wire.ProtocolID)
}

func (p *Provider) handle(s network.Stream) {
	defer s.Close()
	s.SetDeadline(time.Now().Add(requestTimeout))
	req, err := wire.ReadRequest(s)
	if err != nil {
		p.Log.Warn("bad chunk request", "peer", s.Conn().RemotePeer(), "err", err)
		s.Reset()
		return
	}
	p.sem <- struct{}{}
	defer func() { <-p.sem }()
	switch req.Op {
	case wire.OpPut:
		err = p.put(s, req)
	case wire.OpGet:
		err = p.get(s, req)
	case wire.OpDeleteObject:
		err = p.deleteObject(s, req)
	}
	if err != nil {
		p.Log.Warn("chunk request failed", "op", req.Op, "chunk", req.Chunk, "peer", s.Conn().RemotePeer(), "err", err)
		s.Reset()
	}
}

func (p *Provider) put(s network.Stream, req wire.Request) error {
	data := make([]byte, req.Size)
	if _, err := io.ReadFull(s, data); err != nil {
		return fmt.Errorf("read chunk %s: %w", req.Chunk, err)
	}
	if !erasure.Verifies(req.Root, data) {
		return wire.WriteResponse(s, wire.StatusBadCommitment, 0, "chunk "+req.Chunk.String()+" does not match its commitment")
	}
	if err := p.Store.Put(req.Chunk, req.Root, data); errors.Is(err, ErrDeleted) {
		return wire.WriteResponse(s, wire.StatusRefused, 0, "object was deleted")
	} else if err != nil {
		p.Log.Error("store chunk", "chunk", req.Chunk, "err", err)
		return wire.WriteResponse(s, wire.StatusError, 0, "store failed")
	}
	return wire.WriteResponse(s, wire.StatusOK, 0, "")
}

func (p *Provider) get(s network.Stream, req wire.Request) error {
	data, root, err := p.Store.Get(req.Chunk)
	switch {
	case errors.Is(err, wire.ErrNotFound):
		return wire.WriteResponse(s, wire.StatusNotFound, 0, "")
	case errors.Is(err, ErrCorrupt):
		p.Log.Error("corrupt chunk on disk", "chunk", req.Chunk)
		return wire.WriteResponse(s, wire.StatusBadCommitment, 0, "stored chunk is corrupt")
	case err != nil:
		p.Log.Error("read chunk", "chunk", req.Chunk, "err", err)
		return wire.WriteResponse(s, wire.StatusError, 0, "read failed")
	case root != req.Root:
		return wire.WriteResponse(s, wire.StatusNotFound, 0, "no chunk with that commitment")
	}
	w := bufio.NewWriterSize(s, 64<<10)
	if err := wire.WriteResponse(w, wire.StatusOK, int64(len(data)), ""); err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		return err
	}
	return w.Flush()
}

func (p *Provider) deleteObject(s network.Stream, req wire.Request) error {
	if err := p.Store.DeleteObject(req.Chunk.Object); err != nil {
		p.Log.Error("delete object chunks", "object", req.Chunk.Object.String(), "err", err)
		return wire.WriteResponse(s, wire.StatusError, 0, "delete failed")
	}
	return wire.WriteResponse(s, wire.StatusOK, 0, "")
}
