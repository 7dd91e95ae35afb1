package p2p

// Fuzz targets for what a Provider decodes from any peer: chunk request and
// response headers and order proposals. Malformed input must be an error,
// never a panic, a hang or an allocation beyond the declared bounds.

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"testing"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/order"
	"github.com/mefs-project/mefs/chain"
)

func FuzzReadRequest(f *testing.F) {
	var buf bytes.Buffer
	WriteRequest(&buf, Request{Op: OpPut, Chunk: memo.ChunkID{Stripe: 1, Index: 2}, Size: 100})
	f.Add(buf.Bytes())
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ReadRequest(bytes.NewReader(b))
		if err != nil {
			return
		}
		if r.Op < OpPut || r.Op > OpDeleteChunk || r.Size < 0 || r.Size > MaxChunkSize {
			t.Fatalf("accepted request %+v", r)
		}
		var out bytes.Buffer
		if err := WriteRequest(&out, r); err != nil || !bytes.Equal(out.Bytes(), b[:out.Len()]) {
			t.Fatalf("request %+v does not re-encode as read: %v", r, err)
		}
	})
}

func FuzzReadResponse(f *testing.F) {
	var buf bytes.Buffer
	WriteResponse(&buf, StatusOK, 10, "")
	f.Add(buf.Bytes())
	buf.Reset()
	WriteResponse(&buf, StatusRefused, 0, "no order")
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := ReadResponse(bytes.NewReader(b))
		if err == nil && (n < 0 || n > MaxChunkSize) {
			t.Fatalf("accepted a response of %d bytes", n)
		}
	})
}

func FuzzReadProposal(f *testing.F) {
	hdr, _ := json.Marshal(Proposal{Update: chain.OrderUpdate{Nonce: 1}, Count: 2})
	seed := binary.AppendUvarint(nil, uint64(len(hdr)))
	seed = append(seed, hdr...)
	for i := range 2 {
		seed = append(seed, order.Entry{Chunk: memo.ChunkID{Index: uint16(i)}, Size: 10}.Marshal()...)
	}
	f.Add(seed)
	f.Fuzz(func(t *testing.T, b []byte) {
		var got []order.Entry
		p, err := ReadProposal(bytes.NewReader(b), func(p Proposal) (func(order.Entry) error, error) {
			return func(e order.Entry) error { got = append(got, e); return nil }, nil
		})
		if err != nil {
			return
		}
		if len(got) != p.Count {
			t.Fatalf("proposal of %d entries visited %d", p.Count, len(got))
		}
		for i := 1; i < len(got); i++ {
			if bytes.Compare(got[i-1].Key(), got[i].Key()) >= 0 {
				t.Fatalf("entries %d and %d out of order", i-1, i)
			}
		}
	})
}
