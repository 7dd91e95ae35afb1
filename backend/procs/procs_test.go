package procs

import (
	"context"
	"runtime"
	"testing"
	"time"
)

// waitProcs polls GOMAXPROCS until it is want, failing after a generous
// deadline (the Governor looks every Tick).
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

func TestGovernorRaisesWhileHeldAndRestores(t *testing.T) {
	base := runtime.GOMAXPROCS(0)
	g := &Governor{Extra: 3, Tick: 5 * time.Millisecond, Linger: 20 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { g.Run(ctx); close(done) }()

	release := g.Hold()
	waitProcs(t, base+3, "while a write is held")
	second := g.Hold()
	release()
	if g.Open() != 1 {
		t.Fatalf("%d Holds open, want 1", g.Open())
	}
	time.Sleep(60 * time.Millisecond) // past Linger, with one Hold still open
	if got := runtime.GOMAXPROCS(0); got != base+3 {
		t.Fatalf("lowered to %d while a Hold is open", got)
	}
	second()
	waitProcs(t, base, "after the last Hold and its linger")

	g.Hold() // raised again at once, then Run ends with it open
	waitProcs(t, base+3, "held again")
	cancel()
	<-done
	if got := runtime.GOMAXPROCS(0); got != base {
		t.Fatalf("Run returned leaving GOMAXPROCS %d, want %d", got, base)
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
