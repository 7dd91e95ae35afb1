// Package slab hands out large byte buffers kept outside the Go heap.
//
// A gateway or Provider moving stripes holds tens of megabytes of chunk
// buffers in flight. On the Go heap those buffers count towards the live heap
// that the collector doubles to set its next target, and a sync.Pool drops
// its buffers at every collection, so they are allocated and zeroed again:
// under load the heap, and the process's RSS, grow to about twice what is in
// flight. Buffers here are mapped once and recycled by size class, and the
// collector never sees them: RSS is what is in use plus at most Retain bytes
// of free buffers.
package slab

// Invariants:
//   - A class's buffers are whole mappings of exactly the class's size,
//     mapped once and never unmapped: a buffer used after Put (a bug) reads
//     stale or zeroed bytes, it never faults.
//   - Classes are 64 KiB · {1, 1.5} · 2^i up to 64 MiB. A request outside
//     them is allocated on the Go heap, and Put ignores any buffer that is
//     not a whole mapping of this pool handed out by Get.
//   - A mapping is in exactly one place: handed out, or on its class's free
//     list. A second Put of the same buffer is ignored (and counted).
//   - Free buffers hold their pages for at most Retain bytes in all; a
//     buffer put back beyond that gives its pages back to the kernel
//     (released), and they read as zeros when next used. Free lists keep
//     resident buffers on top, so Get reuses warm pages first, of its own
//     class or else of the next two up (a buffer always goes back to the
//     class of its mapping).
//   - Discard gives a buffer's pages back before the buffer is reused: for
//     buffers that may hold plaintext, or whose user failed midway.

import (
	"math/bits"
	"sync"
	"unsafe"
)

const (
	minShift = 16 // 64 KiB
	maxShift = 26 // 64 MiB

	// DefaultRetain is the pages of free buffers a pool keeps when its
	// Retain is zero.
	DefaultRetain = 32 << 20
)

// Pool recycles mapped buffers by size class. The zero value is ready to use.
type Pool struct {
	// Retain bounds the bytes of free buffers whose pages stay resident
	// (0: DefaultRetain; negative: none). Set it before first use.
	Retain int64

	mu      sync.Mutex
	bufs    map[uintptr]*mapping // by base address
	free    [2*(maxShift-minShift) + 1][]*mapping
	stats   Stats
	resFree int64 // bytes of free buffers with resident pages
}

type mapping struct {
	b        []byte // the whole mapping
	class    int
	inUse    bool
	resident bool // pages not given back since last use
}

// Stats describes a pool's mappings.
type Stats struct {
	Mapped       int64 // bytes mapped in all
	InUse        int64 // bytes of buffers handed out
	FreeResident int64 // bytes of free buffers whose pages are resident
	DoublePuts   int64 // buffers put back twice (ignored)
}

// Default is the process's pool, used by Get, Put and Discard.
var Default Pool

// Get returns a buffer of n bytes from the Default pool.
func Get(n int) []byte { return Default.Get(n) }

// Put gives b back to the Default pool.
func Put(b []byte) { Default.Put(b) }

// Discard gives b back to the Default pool without its pages.
func Discard(b []byte) { Default.Discard(b) }

// Get returns a buffer of length n whose contents are undefined. Buffers of
// a class's size or less come from the pool; give them back with Put or
// Discard once nothing reads or writes them.
func (p *Pool) Get(n int) []byte {
	c := classOf(n)
	if c < 0 {
		return make([]byte, n)
	}
	p.mu.Lock()
	if m := p.pop(c); m != nil {
		p.mu.Unlock()
		return m.b[:n]
	}
	p.mu.Unlock()
	b, err := mapBytes(classSize(c))
	if err != nil { // out of address space: let the heap try
		return make([]byte, n)
	}
	m := &mapping{b: b, class: c, inUse: true, resident: true}
	p.mu.Lock()
	if p.bufs == nil {
		p.bufs = map[uintptr]*mapping{}
	}
	p.bufs[base(b)] = m
	p.stats.Mapped += int64(len(b))
	p.stats.InUse += int64(len(b))
	p.mu.Unlock()
	return b[:n]
}

// pop hands out class c's top free buffer or, failing that, a resident one
// of the next two classes (up to twice the size): warm pages serve a
// request of another size (a GET's 4 MiB of data chunks after a PUT's 6 MiB
// stripes) rather than a fresh mapping growing RSS while they sit idle.
func (p *Pool) pop(c int) *mapping {
	for d := 0; d <= 2 && c+d < len(p.free); d++ {
		free := p.free[c+d]
		l := len(free)
		if l == 0 || (d > 0 && !free[l-1].resident) {
			continue
		}
		m := free[l-1]
		p.free[c+d] = free[:l-1]
		if m.resident {
			p.resFree -= int64(len(m.b))
		}
		m.inUse, m.resident = true, true
		p.stats.InUse += int64(len(m.b))
		return m
	}
	return nil
}

// Put gives back a buffer of Get once nothing reads or writes it. Buffers
// not from this pool are left to the collector.
func (p *Pool) Put(b []byte) { p.put(b, false) }

// Discard is Put, giving the buffer's pages back to the kernel first, so
// that what it held is gone before it is reused.
func (p *Pool) Discard(b []byte) { p.put(b, true) }

func (p *Pool) put(b []byte, release bool) {
	if cap(b) == 0 {
		return
	}
	b = b[:cap(b)]
	p.mu.Lock()
	defer p.mu.Unlock()
	m := p.bufs[base(b)]
	if m == nil || len(b) != len(m.b) {
		return
	}
	if !m.inUse {
		p.stats.DoublePuts++
		return
	}
	m.inUse = false
	p.stats.InUse -= int64(len(m.b))
	if release || p.resFree+int64(len(m.b)) > p.retain() {
		releasePages(m.b)
		m.resident = false
		// Released buffers go under the resident ones.
		p.free[m.class] = append([]*mapping{m}, p.free[m.class]...)
		return
	}
	m.resident = true
	p.resFree += int64(len(m.b))
	p.free[m.class] = append(p.free[m.class], m)
}

func (p *Pool) retain() int64 {
	switch {
	case p.Retain == 0:
		return DefaultRetain
	case p.Retain < 0:
		return 0
	}
	return p.Retain
}

// Stats returns the pool's current figures.
func (p *Pool) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.stats
	s.FreeResident = p.resFree
	return s
}

// classOf is the smallest class holding n bytes, or -1 if none should.
// Class 2i is 64 KiB << i, class 2i+1 is 1.5 times that.
func classOf(n int) int {
	if n <= 1<<minShift/2 || n > 1<<maxShift {
		return -1
	}
	if n <= 1<<minShift {
		return 0
	}
	shift := bits.Len(uint(n - 1)) // 2^(shift-1) < n <= 2^shift
	c := 2 * (shift - minShift)
	if n <= 3<<(shift-2) { // fits 1.5 · 2^(shift-1)
		c--
	}
	return c
}

// classSize is the size of class c's buffers.
func classSize(c int) int {
	if c%2 == 0 {
		return 1 << (minShift + c/2)
	}
	return 3 << (minShift + c/2 - 1)
}

func base(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }
