package main

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestProgressDrawsAndClears(t *testing.T) {
	var buf syncBuf
	p := newProgress(&buf, "waiting for the chain", time.Millisecond)
	p.Add(3)
	time.Sleep(20 * time.Millisecond)
	p.Stop()
	out := buf.String()
	if !strings.Contains(out, "waiting for the chain") || !strings.Contains(out, "3 done") {
		t.Fatalf("progress output %q", out)
	}
	if !strings.HasSuffix(out, "\r\033[K") {
		t.Fatalf("progress did not clear its line: %q", out)
	}
}

func TestProgressHiddenWithoutTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminalFile(f) {
		t.Fatal("a regular file taken for a terminal")
	}
	var p *progress // what startProgress returns off a terminal
	p.Add(1)
	p.Stop()
}
