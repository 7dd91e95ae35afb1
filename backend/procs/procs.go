// Package procs gives the Go runtime a few more Ps than cores while disk
// writes are in flight.
//
// A goroutine in a disk syscall (a chunk write, an fsync) keeps its P until
// the runtime takes it back, and on a machine of few cores the stream
// goroutines that wait meanwhile add their wait to every chunk put. With a
// few more Ps than cores the kernel runs them. Without disk writes the
// extra Ps only cost CPU: idle Ps spin for work, and a GET, a chain of
// short hand-offs between goroutines, pays for it. Measured on 2 cores (the
// devnet under the side-by-side workloads), 4 Ps against 2: PUT 1 MiB
// +23 %, PUT 64 MiB +10–14 %, mixed +14 %, but GET 64 MiB −15 % (CPU per
// GET +25 %). So the extra Ps come and go with the writes.
package procs

// Invariants:
//   - While Run runs, GOMAXPROCS is base+Extra while a Hold is open and for
//     Linger after the last one closed (on the monotonic clock), and the
//     runtime's default otherwise; base is GOMAXPROCS just before the
//     raise. Run lowers it with runtime.SetDefaultGOMAXPROCS, so the
//     runtime's own tracking of the CPU limit resumes, and lowers it when
//     it returns. Run expects GOMAXPROCS at its default when it starts
//     (the mefs command runs it only when GOMAXPROCS is not set).
//   - GOMAXPROCS changes at most once per Tick after a raise (each change
//     stops the world for a moment); the first Hold after a quiet spell
//     raises it at once, also a Hold taken before Run started.
//   - Hold and its release never block and never change GOMAXPROCS
//     themselves; a release counts once however often it is called; a
//     Governor that is not running (the zero value) only counts.

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults of a Governor's zero fields.
const (
	DefaultExtra  = 2
	DefaultTick   = 50 * time.Millisecond
	DefaultLinger = 200 * time.Millisecond
)

// Governor raises GOMAXPROCS while disk writes are in flight. Its zero
// value is ready: Run starts it with the defaults.
type Governor struct {
	Extra  int           // Ps beyond base while raised (DefaultExtra if 0)
	Tick   time.Duration // how often Run looks again (DefaultTick if 0)
	Linger time.Duration // how long it stays raised after the last Hold (DefaultLinger if 0)

	open   atomic.Int64 // Holds open now
	last   atomic.Int64 // when the last Hold closed: nanoseconds since epoch, +1 (0: never)
	raised atomic.Int32 // Ps added now
	// mu makes a change of GOMAXPROCS and of raised one step to Base.
	mu      sync.Mutex
	wake    chan struct{}
	running atomic.Bool
}

// epoch is the origin of Governor.last, read on the monotonic clock.
var epoch = time.Now()

// Default is the process's Governor: a Provider holds it around each chunk
// put, and the mefs command runs it.
var Default Governor

// Hold marks a disk write in flight (a chunk put, the transfer of its body
// included) until release is called.
func (g *Governor) Hold() (release func()) {
	if g.open.Add(1) == 1 && g.running.Load() {
		select {
		case g.wake <- struct{}{}:
		default: // a wake-up is already pending
		}
	}
	var released atomic.Bool
	return func() {
		if released.Swap(true) {
			return
		}
		g.last.Store(int64(time.Since(epoch)) + 1)
		g.open.Add(-1)
	}
}

// Open is the number of Holds open now.
func (g *Governor) Open() int { return int(g.open.Load()) }

// Base is GOMAXPROCS without the Ps the Governor has added.
func (g *Governor) Base() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return runtime.GOMAXPROCS(0) - int(g.raised.Load())
}

// busy reports whether a Hold is open or closed less than linger ago.
func (g *Governor) busy(linger time.Duration) bool {
	if g.open.Load() > 0 {
		return true
	}
	last := g.last.Load()
	return last != 0 && time.Since(epoch)-time.Duration(last-1) < linger
}

// Run governs GOMAXPROCS until ctx ends. Only one Run at a time per
// Governor.
func (g *Governor) Run(ctx context.Context) {
	extra, tick, linger := g.Extra, g.Tick, g.Linger
	if extra <= 0 {
		extra = DefaultExtra
	}
	if tick <= 0 {
		tick = DefaultTick
	}
	if linger <= 0 {
		linger = DefaultLinger
	}
	if g.wake == nil {
		g.wake = make(chan struct{}, 1)
	}
	g.running.Store(true)
	defer g.running.Store(false)
	defer g.lower()
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		switch busy := g.busy(linger); {
		case busy && g.raised.Load() == 0:
			g.raise(extra)
		case !busy:
			g.lower()
		}
		select {
		case <-ctx.Done():
			return
		case <-g.wake:
		case <-t.C:
		}
	}
}

// raise adds extra Ps.
func (g *Governor) raise(extra int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	runtime.GOMAXPROCS(runtime.GOMAXPROCS(0) + extra)
	g.raised.Store(int32(extra))
}

// lower gives GOMAXPROCS back to the runtime, if raised.
func (g *Governor) lower() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.raised.Swap(0) != 0 {
		runtime.SetDefaultGOMAXPROCS()
	}
}
