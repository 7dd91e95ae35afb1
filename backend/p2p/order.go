package p2p

// The order protocol: a User proposes an order update to a Provider, which
// checks it against the chunks it holds for that User and the chain, and
// answers with its EIP-712 signature. One stream per proposal:
//   request:  uvarint length, JSON Proposal header, then Count entries
//             (order.EntrySize bytes each, sorted by chunk id, no duplicates)
//   response: wire status header (see WriteResponse) whose size is the
//             signature length, then the signature.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/order"
	"github.com/mefs-project/mefs/chain"
)

// OrderProtocolID names version 1 of the order protocol.
const OrderProtocolID = "/mefs/order/1.0.0"

// maxProposalHeader bounds a proposal's JSON header.
const maxProposalHeader = 64 << 10

// MaxEntries bounds one proposal (64 MiB of entries).
const MaxEntries = 1 << 20

// Proposal is an order update and the number of entries that follow it.
type Proposal struct {
	Update chain.OrderUpdate
	Count  int
}

// Propose sends u with its chunk list to Provider p and returns the
// Provider's signature of u.
func ProposeOrder(ctx context.Context, h host.Host, p peer.ID, u chain.OrderUpdate, entries []order.Entry) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	s, err := h.NewStream(ctx, p, OrderProtocolID)
	if err != nil {
		return nil, fmt.Errorf("open order stream to %s: %w", p, err)
	}
	defer s.Close()
	if dl, ok := ctx.Deadline(); ok {
		if err := s.SetDeadline(dl); err != nil {
			s.Reset()
			return nil, fmt.Errorf("order stream to %s: set deadline: %w", p, err)
		}
	}
	hdr, err := json.Marshal(Proposal{Update: u, Count: len(entries)})
	if err != nil {
		return nil, fmt.Errorf("encode order proposal: %w", err)
	}
	w := bufio.NewWriterSize(s, 64<<10)
	w.Write(binary.AppendUvarint(nil, uint64(len(hdr))))
	w.Write(hdr)
	for _, e := range entries {
		w.Write(e.Marshal())
	}
	if err := w.Flush(); err != nil {
		s.Reset()
		return nil, fmt.Errorf("send order proposal to %s: %w", p, err)
	}
	if err := s.CloseWrite(); err != nil {
		s.Reset()
		return nil, fmt.Errorf("send order proposal to %s: %w", p, err)
	}
	n, err := ReadResponse(s)
	if err != nil {
		s.Reset()
		return nil, fmt.Errorf("order proposal to %s: %w", p, err)
	}
	if n != 65 {
		s.Reset()
		return nil, fmt.Errorf("order proposal to %s: signature of %d bytes", p, n)
	}
	sig := make([]byte, n)
	if _, err := io.ReadFull(s, sig); err != nil {
		s.Reset()
		return nil, fmt.Errorf("read order signature from %s: %w", p, err)
	}
	return sig, nil
}

// ReadProposal reads a proposal from a stream: its header, which start
// vets and answers with a visitor, then each entry, handed to the visitor,
// checking they come sorted without duplicates.
func ReadProposal(s io.Reader, start func(Proposal) (visit func(order.Entry) error, err error)) (Proposal, error) {
	var p Proposal
	r := bufio.NewReaderSize(s, 64<<10)
	n, err := binary.ReadUvarint(r)
	if err != nil || n > maxProposalHeader {
		return p, fmt.Errorf("read order proposal header length: %v", err)
	}
	hdr := make([]byte, n)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return p, fmt.Errorf("read order proposal header: %w", err)
	}
	if err := json.Unmarshal(hdr, &p); err != nil {
		return p, fmt.Errorf("decode order proposal header: %w", err)
	}
	if p.Count < 0 || p.Count > MaxEntries {
		return p, fmt.Errorf("order proposal of %d entries out of range", p.Count)
	}
	visit, err := start(p)
	if err != nil {
		return p, err
	}
	buf := make([]byte, order.EntrySize)
	var prev []byte
	for i := 0; i < p.Count; i++ {
		if _, err := io.ReadFull(r, buf); err != nil {
			return p, fmt.Errorf("read order entry %d: %w", i, err)
		}
		e, ok := order.UnmarshalEntry(buf)
		if !ok {
			return p, fmt.Errorf("malformed order entry %d", i)
		}
		k := e.Key()
		if prev != nil && bytes.Compare(prev, k) >= 0 {
			return p, fmt.Errorf("order entries not sorted at %d", i)
		}
		prev = k
		if err := visit(e); err != nil {
			return p, err
		}
	}
	return p, nil
}
