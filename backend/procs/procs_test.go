package procs

import (
	"context"
	"runtime"
	"testing"
	"time"
)

// waitProcs polls GOMAXPROCS until it is want, failing after a generous
// deadline.
func waitProcs(t *testing.T, want int, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.GOMAXPROCS(0) != want {
		if time.Now().After(deadline) {
			t.Fatalf("%s: GOMAXPROCS %d, want %d", what, runtime.GOMAXPROCS(0), want)
		}
		time.Sleep(time.Millisecond)
	}
}

// run starts g.Run and stops it when the test ends.
func run(t *testing.T, g *Governor) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { g.Run(ctx); close(done) }()
	stop = func() { cancel(); <-done }
	t.Cleanup(stop)
	return stop
}

func TestGovernorRaisesWhileHeldAndRestores(t *testing.T) {
	base := runtime.GOMAXPROCS(0)
	// A Tick of an hour: every change below is made on a wake-up from
	// Hold, except lowering after the linger, which needs the Tick.
	g := &Governor{Extra: 3, Tick: time.Hour, Linger: 20 * time.Millisecond}
	release := g.Hold() // before Run: raised as soon as it starts
	stop := run(t, g)
	waitProcs(t, base+3, "held before Run started")
	if g.Base() != base {
		t.Fatalf("Base %d while raised, want %d", g.Base(), base)
	}
	second := g.Hold()
	release()
	release() // a second call counts nothing
	if g.Open() != 1 {
		t.Fatalf("%d Holds open, want 1", g.Open())
	}
	second()
	stop()
	if got := runtime.GOMAXPROCS(0); got != base {
		t.Fatalf("Run returned leaving GOMAXPROCS %d, want %d", got, base)
	}

	g = &Governor{Extra: 2, Tick: 5 * time.Millisecond, Linger: 20 * time.Millisecond}
	run(t, g)
	time.Sleep(30 * time.Millisecond)
	if got := runtime.GOMAXPROCS(0); got != base {
		t.Fatalf("raised to %d with no Hold ever taken", got)
	}
	release = g.Hold()
	waitProcs(t, base+2, "held")
	time.Sleep(60 * time.Millisecond) // past Linger, the Hold still open
	if got := runtime.GOMAXPROCS(0); got != base+2 {
		t.Fatalf("lowered to %d while a Hold is open", got)
	}
	release()
	waitProcs(t, base, "after the last Hold and its linger")
	if g.Base() != base {
		t.Fatalf("Base %d after lowering, want %d", g.Base(), base)
	}
}

func TestGovernorNotRunningOnlyCounts(t *testing.T) {
	base := runtime.GOMAXPROCS(0)
	var g Governor
	release := g.Hold()
	if g.Open() != 1 || runtime.GOMAXPROCS(0) != base {
		t.Fatalf("open %d, GOMAXPROCS %d; want 1 and %d unchanged", g.Open(), runtime.GOMAXPROCS(0), base)
	}
	release()
	if g.Open() != 0 {
		t.Fatalf("open %d after release, want 0", g.Open())
	}
}
