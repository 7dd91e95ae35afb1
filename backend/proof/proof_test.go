package proof

import (
	"bytes"
	"errors"
	"math"
	"testing"

	"github.com/mefs-project/mefs/erasure"
)

func mustProve(t *testing.T, h Header, orders []Order, src Source) *Proof {
	t.Helper()
	p, err := Prove(h, orders, src, DefaultSamples)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// roundTrip encodes and decodes p, as a Keeper receives it.
func roundTrip(t *testing.T, p *Proof) *Proof {
	t.Helper()
	b, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	q, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestHonestProofVerifies(t *testing.T) {
	src, orders := newMem(3, 20, 3*erasure.LeafSize+100)
	h := header(1, 7)
	p := roundTrip(t, mustProve(t, h, orders, src))
	if len(p.Samples) != DefaultSamples {
		t.Fatalf("samples = %d, want %d", len(p.Samples), DefaultSamples)
	}
	if err := Verify(p, h, orders, DefaultSamples); err != nil {
		t.Fatalf("honest proof rejected: %v", err)
	}
	// Order of the chain's list does not matter.
	rev := []Order{orders[2], orders[0], orders[1]}
	if err := Verify(p, h, rev, DefaultSamples); err != nil {
		t.Fatalf("honest proof rejected with reordered orders: %v", err)
	}
}

func TestNoOrdersEmptyProof(t *testing.T) {
	src, _ := newMem(0, 0, 0)
	h := header(1, 1)
	p := roundTrip(t, mustProve(t, h, nil, src))
	if len(p.Samples) != 0 || Verify(p, h, nil, DefaultSamples) != nil {
		t.Fatalf("empty proof: %d samples", len(p.Samples))
	}
}

func TestTamperedProofsRejected(t *testing.T) {
	src, orders := newMem(2, 16, 2*erasure.LeafSize)
	h := header(1, 3)
	cases := map[string]func(p *Proof){
		"tampered leaf":    func(p *Proof) { p.Samples[5].Leaf[0] ^= 1 },
		"wrong leaf path":  func(p *Proof) { p.Samples[5].LeafPath[0][3] ^= 1 },
		"short leaf path":  func(p *Proof) { p.Samples[5].LeafPath = p.Samples[5].LeafPath[:0] },
		"wrong order path": func(p *Proof) { p.Samples[9].OrderPath[1][0] ^= 1 },
		"wrong entry":      func(p *Proof) { p.Samples[9].Entry.Size-- },
		"wrong count":      func(p *Proof) { p.Samples[9].Count++ },
		"dropped sample":   func(p *Proof) { p.Samples = p.Samples[1:] },
		"swapped samples":  func(p *Proof) { p.Samples[0], p.Samples[1] = p.Samples[1], p.Samples[0] },
	}
	for name, tamper := range cases {
		p := roundTrip(t, mustProve(t, h, orders, src))
		if p.Samples[0].Entry == p.Samples[1].Entry && name == "swapped samples" {
			t.Fatal("test data: samples 0 and 1 coincide")
		}
		tamper(p)
		if err := Verify(p, h, orders, DefaultSamples); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestProofBoundToChallenge(t *testing.T) {
	src, orders := newMem(2, 16, erasure.LeafSize+1)
	h := header(1, 10)
	p := roundTrip(t, mustProve(t, h, orders, src))
	older := roundTrip(t, mustProve(t, header(1, 9), orders, src))
	other := roundTrip(t, mustProve(t, header(2, 10), orders, src))

	wrongSeed := h
	wrongSeed.Seed[0] ^= 1
	wrongChain := h
	wrongChain.ChainID++
	for name, want := range map[string]Header{"wrong epoch": header(1, 11), "wrong provider": header(2, 10),
		"wrong seed": wrongSeed, "wrong chain": wrongChain} {
		if err := Verify(p, want, orders, DefaultSamples); !errors.Is(err, ErrHeader) {
			t.Errorf("%s: err = %v, want ErrHeader", name, err)
		}
	}
	if err := Verify(older, h, orders, DefaultSamples); err == nil {
		t.Error("replay of epoch 9's proof accepted for epoch 10")
	}
	if err := Verify(other, h, orders, DefaultSamples); err == nil {
		t.Error("another Provider's proof accepted")
	}
	// Relabelling an old proof's header does not help: the samples were
	// drawn for the old header.
	older.Header = h
	if err := Verify(older, h, orders, DefaultSamples); !errors.Is(err, ErrSample) {
		t.Errorf("relabelled replay: err = %v, want ErrSample", err)
	}
	other.Header = h
	if err := Verify(other, h, orders, DefaultSamples); !errors.Is(err, ErrSample) {
		t.Errorf("relabelled foreign proof: err = %v, want ErrSample", err)
	}
}

func TestLocalListMismatchRefused(t *testing.T) {
	src, orders := newMem(1, 8, erasure.LeafSize)
	orders[0].Root[0] ^= 1
	if _, err := Prove(header(1, 1), orders, src, DefaultSamples); err == nil {
		t.Fatal("proved an order whose local list does not match the chain root")
	}
}

// TestDeletionCaught: a Provider that lost a fraction f of its chunks can
// answer an epoch only if no sample hits a lost chunk; over many epochs the
// pass rate matches (1-f)^s.
func TestDeletionCaught(t *testing.T) {
	src, orders := newMem(4, 100, erasure.LeafSize)
	i := 0
	for _, l := range src.lists {
		for _, e := range l {
			if i%20 == 0 { // 5 %
				src.lost[e.Chunk] = true
			}
			i++
		}
	}
	const epochs = 200
	passed := 0
	for e := range uint64(epochs) {
		if _, err := Prove(header(1, e), orders, src, DefaultSamples); err == nil {
			passed++
		}
	}
	want := math.Pow(0.95, DefaultSamples) * epochs // ~5.8
	if float64(passed) > 4*want+5 {
		t.Fatalf("5%% lost: passed %d of %d epochs, expected about %.1f", passed, epochs, want)
	}
	t.Logf("5%% lost: passed %d of %d epochs (expected %.1f)", passed, epochs, want)
}

func TestDecodeRejectsMalformed(t *testing.T) {
	src, orders := newMem(1, 4, erasure.LeafSize)
	b, err := mustProve(t, header(1, 1), orders, src).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string][]byte{
		"empty":    nil,
		"version":  append([]byte{2}, b[1:]...),
		"truncate": b[:len(b)-1],
		"trailing": append(bytes.Clone(b), 0),
		"header":   b[:headerSize-1],
	}
	for name, in := range bad {
		if _, err := Decode(in); !errors.Is(err, ErrDecode) {
			t.Errorf("%s: err = %v, want ErrDecode", name, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	src, orders := newMem(1, 4, erasure.LeafSize+7)
	p, _ := Prove(header(1, 1), orders, src, 3)
	b, _ := p.Marshal()
	f.Add(b)
	f.Add([]byte{Version})
	f.Fuzz(func(t *testing.T, in []byte) {
		p, err := Decode(in)
		if err != nil {
			return
		}
		out, err := p.Marshal()
		if err != nil {
			t.Fatalf("decoded proof does not re-encode: %v", err)
		}
		if !bytes.Equal(out, in) {
			t.Fatal("decode/encode not canonical")
		}
		_ = Verify(p, p.Header, orders, len(p.Samples))
	})
}
