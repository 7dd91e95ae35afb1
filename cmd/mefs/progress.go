package main

// Progress for commands that wait (transactions, scans): a one-line
// spinner with the elapsed time and an optional count, redrawn in place on
// stderr, and nothing at all when stderr is not a terminal.

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

type progress struct {
	w     io.Writer
	label string
	start time.Time
	done  chan struct{}
	wg    sync.WaitGroup
	n     atomic.Int64 // items done, shown when > 0
}

// isTerminalFile reports whether f is a character device (a terminal).
func isTerminalFile(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// startProgress shows label on stderr until stop is called, if stderr is a
// terminal.
func startProgress(label string) *progress {
	if !isTerminalFile(os.Stderr) {
		return nil
	}
	return newProgress(os.Stderr, label, 200*time.Millisecond)
}

func newProgress(w io.Writer, label string, every time.Duration) *progress {
	p := &progress{w: w, label: label, start: time.Now(), done: make(chan struct{})}
	p.wg.Add(1)
	go p.run(every)
	return p
}

func (p *progress) run(every time.Duration) {
	defer p.wg.Done()
	frames := `|/-\`
	t := time.NewTicker(every)
	defer t.Stop()
	for i := 0; ; i++ {
		line := fmt.Sprintf("\r%c %s  %s", frames[i%len(frames)], p.label, time.Since(p.start).Truncate(100*time.Millisecond))
		if n := p.n.Load(); n > 0 {
			line += fmt.Sprintf("  %d done", n)
		}
		fmt.Fprint(p.w, line+"\033[K")
		select {
		case <-p.done:
			fmt.Fprint(p.w, "\r\033[K")
			return
		case <-t.C:
		}
	}
}

// Add counts n more items done (nil-safe).
func (p *progress) Add(n int64) {
	if p != nil {
		p.n.Add(n)
	}
}

// Stop clears the line (nil-safe).
func (p *progress) Stop() {
	if p == nil {
		return
	}
	close(p.done)
	p.wg.Wait()
}
