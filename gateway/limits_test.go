package gateway

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestMemoryBudget(t *testing.T) {
	b := NewMemoryBudget(100, 50*time.Millisecond)
	ctx := context.Background()
	big, err := b.Reserve(ctx, 1000) // larger than the budget: clamped, runs alone
	if err != nil {
		t.Fatalf("reservation over the budget: %v", err)
	}
	start := time.Now()
	if _, err := b.Reserve(ctx, 1); !errors.Is(err, ErrSlowDown) {
		t.Fatalf("reservation in a full budget: %v, want SlowDown", err)
	}
	if waited := time.Since(start); waited < 40*time.Millisecond {
		t.Fatalf("refused after %v, want a wait of 50 ms first", waited)
	}
	big()
	big() // a second release gives nothing back twice
	a, err := b.Reserve(ctx, 60)
	if err != nil {
		t.Fatal(err)
	}
	if b.InUse() != 60 || b.Refused() != 1 {
		t.Fatalf("in use %d, refused %d; want 60 and 1", b.InUse(), b.Refused())
	}
	if _, err := b.Reserve(ctx, 60); !errors.Is(err, ErrSlowDown) {
		t.Fatalf("60 + 60 of 100: %v, want SlowDown (release counted twice?)", err)
	}
	a()
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	hold, _ := b.Reserve(ctx, 100)
	if _, err := b.Reserve(canceled, 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled wait: %v, want context.Canceled", err)
	}
	hold()
	var none *MemoryBudget
	if r, err := none.Reserve(ctx, 1<<40); err != nil {
		t.Fatal(err)
	} else {
		r()
	}
}

func TestRateLimiter(t *testing.T) {
	if NewRateLimiter(0) != nil || !(*RateLimiter)(nil).Allow("x") {
		t.Fatal("rate 0 must mean no limit")
	}
	rl := NewRateLimiter(3)
	ok := 0
	for range 10 {
		if rl.Allow("a") {
			ok++
		}
	}
	if ok != 3 {
		t.Fatalf("burst of 10 at 3/s: %d admitted, want 3", ok)
	}
	if !rl.Allow("b") {
		t.Fatal("another key shares the first one's budget")
	}
	for i := range maxRateKeys + 10 {
		rl.Allow(string(rune(i)))
	}
	if n := len(rl.keys); n > maxRateKeys {
		t.Fatalf("%d keys kept, want at most %d", n, maxRateKeys)
	}
}
