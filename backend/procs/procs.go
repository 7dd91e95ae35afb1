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
//   - Once Run has started, GOMAXPROCS is base+Extra while a Hold is open
//     and for Linger after the last one closed, and base otherwise; base is
//     GOMAXPROCS when Run started, and Run puts it back when it returns.
//   - GOMAXPROCS changes at most once per Tick after a raise (each change
//     stops the world for a moment); the first Hold after a quiet spell
//     raises it at once.
//   - Hold and its release never block and never change GOMAXPROCS
//     themselves; a Governor that is not running (the zero value) only
//     counts.

import (
	"context"
	"runtime"
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

	open atomic.Int64 // Holds open now
	last atomic.Int64 // when the last Hold closed, unix nanoseconds
	wake chan struct{}
	init atomic.Bool
}

// Default is the process's Governor: the Provider holds it around chunk
// writes, and the mefs command runs it.
var Default Governor

// Hold marks a disk write in flight until release is called (once).
func (g *Governor) Hold() (release func()) {
	if g.open.Add(1) == 1 && g.init.Load() {
		select {
		case g.wake <- struct{}{}:
		default: // a wake-up is already pending
		}
	}
	return func() {
		g.last.Store(time.Now().UnixNano())
		g.open.Add(-1)
	}
}

// Open is the number of Holds open now.
func (g *Governor) Open() int { return int(g.open.Load()) }

// Run governs GOMAXPROCS until ctx ends, then restores it. Only one Run at
// a time per Governor.
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
	g.init.Store(true)
	base := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(base)
	raised := false
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		busy := g.open.Load() > 0 || time.Since(time.Unix(0, g.last.Load())) < linger
		switch {
		case busy && !raised:
			runtime.GOMAXPROCS(base + extra)
			raised = true
		case !busy && raised:
			runtime.GOMAXPROCS(base)
			raised = false
		}
		select {
		case <-ctx.Done():
			return
		case <-g.wake:
		case <-t.C:
		}
	}
}
