package slab

import (
	"bytes"
	"sync"
	"testing"
)

func TestClasses(t *testing.T) {
	for _, tc := range []struct{ n, want int }{
		{32 << 10, -1}, // small: the heap's
		{32<<10 + 1, 64 << 10},
		{64 << 10, 64 << 10},
		{64<<10 + 1, 96 << 10},
		{96 << 10, 96 << 10},
		{96<<10 + 1, 128 << 10},
		{1<<20 + 24, 3 << 19},   // a chunk of a 1 MiB object's stripe
		{6 << 20, 6 << 20},      // a full 4+2 stripe of 1 MiB chunks
		{4<<20 + 4096, 6 << 20}, // a Provider's 4 MiB chunk plus its header
		{64 << 20, 64 << 20},    // the largest class
		{64<<20 + 1, -1},        // too large: the heap's
		{0, -1}, {-1, -1},
	} {
		c := classOf(tc.n)
		got := -1
		if c >= 0 {
			got = classSize(c)
		}
		if got != tc.want {
			t.Errorf("class of %d bytes = %d bytes, want %d", tc.n, got, tc.want)
		}
	}
	// Every class is the smallest that fits: sizes grow, and no request
	// gets a class whose predecessor would have held it.
	for c := 1; c < len(Pool{}.free); c++ {
		if classSize(c) <= classSize(c-1) {
			t.Fatalf("class %d (%d bytes) not above class %d (%d)", c, classSize(c), c-1, classSize(c-1))
		}
		if got := classOf(classSize(c-1) + 1); got != c {
			t.Errorf("classOf(%d) = %d, want %d", classSize(c-1)+1, got, c)
		}
	}
}

func TestReuse(t *testing.T) {
	var p Pool
	a := p.Get(1 << 20)
	if len(a) != 1<<20 || cap(a) != 1<<20 {
		t.Fatalf("Get(1 MiB): len %d cap %d", len(a), cap(a))
	}
	a[0], a[len(a)-1] = 1, 2
	if s := p.Stats(); s.InUse != 1<<20 || s.Mapped != 1<<20 {
		t.Fatalf("after Get: %+v", s)
	}
	p.Put(a[:10]) // a shorter view of the same buffer is the buffer
	b := p.Get(900 << 10)
	if &b[0] != &a[0] {
		t.Fatal("a buffer put back was not reused for the same class")
	}
	if b[0] != 1 {
		t.Fatal("a buffer put back (not discarded) lost its pages")
	}
	if s := p.Stats(); s.Mapped != 1<<20 || s.InUse != 1<<20 || s.FreeResident != 0 {
		t.Fatalf("after reuse: %+v", s)
	}
	p.Put(b)
	if s := p.Stats(); s.InUse != 0 || s.FreeResident != 1<<20 {
		t.Fatalf("after Put: %+v", s)
	}
}

func TestLargerResidentBufferReused(t *testing.T) {
	var p Pool
	stripe := p.Get(6 << 20)
	p.Put(stripe)
	data := p.Get(4 << 20) // two classes down: takes the warm 6 MiB buffer
	if &data[0] != &stripe[0] || len(data) != 4<<20 {
		t.Fatal("a 4 MiB Get did not reuse the free, resident 6 MiB buffer")
	}
	small := p.Get(2 << 20) // 6 MiB is three classes up: too big to lend
	if s := p.Stats(); s.Mapped != 6<<20+2<<20 {
		t.Fatalf("2 MiB Get with only a 6 MiB buffer free: %+v, want a new 2 MiB mapping", s)
	}
	p.Put(data)
	p.Put(small)
	if s := p.Stats(); s.InUse != 0 || s.FreeResident != 8<<20 {
		t.Fatalf("after giving both back: %+v", s)
	}
	if again := p.Get(6 << 20); &again[0] != &stripe[0] {
		t.Fatal("the lent buffer did not go back to its own class")
	}
	p.Discard(p.Get(2 << 20))
	if got := p.Get(3 << 19); &got[0] == &small[0] { // released: not lent up
		t.Fatal("a released buffer of another class was lent")
	}
}

func TestForeignBuffersIgnored(t *testing.T) {
	var p Pool
	own := p.Get(256 << 10)
	p.Put(make([]byte, 256<<10)) // the heap's
	p.Put(own[4096:])            // not the whole mapping
	p.Put(nil)
	if s := p.Stats(); s.InUse != 256<<10 || s.FreeResident != 0 {
		t.Fatalf("foreign buffers changed the pool: %+v", s)
	}
	small := p.Get(100)
	p.Put(small)
	if s := p.Stats(); s.Mapped != 256<<10 {
		t.Fatalf("a small buffer was mapped: %+v", s)
	}
}

func TestDoublePutIgnored(t *testing.T) {
	var p Pool
	a := p.Get(64 << 10)
	p.Put(a)
	p.Put(a)
	if s := p.Stats(); s.DoublePuts != 1 || s.FreeResident != 64<<10 {
		t.Fatalf("double put: %+v", s)
	}
	b, c := p.Get(64<<10), p.Get(64<<10)
	if &b[0] == &c[0] {
		t.Fatal("a buffer put back twice was handed out twice")
	}
}

func TestDiscardForgets(t *testing.T) {
	var p Pool
	a := p.Get(128 << 10)
	copy(a, bytes.Repeat([]byte("secret"), len(a)/6))
	p.Discard(a)
	b := p.Get(128 << 10)
	if &b[0] != &a[0] {
		t.Fatal("a discarded buffer was not reused")
	}
	if !bytes.Equal(b, make([]byte, len(b))) {
		t.Fatal("a discarded buffer kept its contents")
	}
	if s := p.Stats(); s.FreeResident != 0 || s.InUse != 128<<10 {
		t.Fatalf("after Discard and Get: %+v", s)
	}
}

func TestRetainBoundsResidentFreeBuffers(t *testing.T) {
	p := Pool{Retain: 2 << 20}
	var held [][]byte
	for range 5 {
		held = append(held, p.Get(1<<20))
	}
	for _, b := range held {
		b[0] = 7
		p.Put(b)
	}
	s := p.Stats()
	if s.FreeResident != 2<<20 || s.InUse != 0 || s.Mapped != 5<<20 {
		t.Fatalf("after putting 5 MiB back with 2 MiB retained: %+v", s)
	}
	// Resident buffers come first; then the released ones, reading zeros.
	for i := range 5 {
		b := p.Get(1 << 20)
		if want := byte(0); i < 2 {
			if b[0] != 7 {
				t.Fatalf("Get %d: a retained buffer should come first", i)
			}
		} else if b[0] != want {
			t.Fatalf("Get %d: a released buffer read %d, want zeros", i, b[0])
		}
	}
	if s := p.Stats(); s.Mapped != 5<<20 || s.FreeResident != 0 {
		t.Fatalf("reuse mapped more: %+v", s)
	}
}

func TestConcurrentUse(t *testing.T) {
	var p Pool
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				n := (64 << 10) * (1 + (g+i)%7)
				b := p.Get(n)
				for j := 0; j < len(b); j += 4096 {
					b[j] = byte(g)
				}
				for j := 0; j < len(b); j += 4096 {
					if b[j] != byte(g) {
						t.Errorf("goroutine %d: buffer shared with another", g)
						return
					}
				}
				if i%5 == 0 {
					p.Discard(b)
				} else {
					p.Put(b)
				}
			}
		})
	}
	wg.Wait()
	if s := p.Stats(); s.InUse != 0 || s.DoublePuts != 0 {
		t.Fatalf("after concurrent use: %+v", s)
	}
}

// BenchmarkGetPut is a stripe-sized buffer's round trip (compare
// BenchmarkMake: allocating and zeroing it on the heap).
func BenchmarkGetPut(b *testing.B) {
	var p Pool
	b.SetBytes(6 << 20)
	for b.Loop() {
		buf := p.Get(6 << 20)
		buf[0] = 1
		p.Put(buf)
	}
}

func BenchmarkMake(b *testing.B) {
	b.SetBytes(6 << 20)
	for b.Loop() {
		buf := make([]byte, 6<<20)
		buf[0] = 1
		sink = buf
	}
}

var sink []byte
