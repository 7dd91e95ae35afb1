package gateway

// Limits that let the gateway face the open internet (see docs/limits.md).
//
// Invariants:
//   - A request body that delivers no byte for BodyTimeout, or that has
//     delivered less than MinBodyRate bytes/s since BodyTimeout after it
//     began, fails its read with ErrRequestTimeout; a response that cannot
//     be written for BodyTimeout fails its write. So no client holds a
//     request, its buffers or its memory reservation by stalling or by
//     trickling.
//   - A request whose header section exceeds MaxHeaderBytes is answered 400
//     RequestHeaderSectionTooLarge before anything else is done with it.
//   - MemoryBudget never has more than its size reserved; a reservation
//     larger than the whole budget is clamped to it (it then runs alone).
//   - RateLimiter admits at most rate requests per second per key (plus a
//     burst); its table of keys is bounded.

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"golang.org/x/sync/semaphore"
	"golang.org/x/time/rate"
)

// Defaults of the limits, sized for slow links (docs/limits.md).
const (
	DefaultBodyTimeout       = 20 * time.Second
	DefaultMinBodyRate       = 1 << 10 // bytes per second
	DefaultReadHeaderTimeout = 30 * time.Second
	DefaultIdleTimeout       = 60 * time.Second
	// DefaultMaxHeaderBytes is AWS's limit on a request's header section.
	DefaultMaxHeaderBytes = 8 << 10
	// httpMaxHeaderBytes is what net/http itself accepts before answering
	// 431 on its own: well above DefaultMaxHeaderBytes, so that the handler
	// answers AWS's 400 for every header section AWS rejects.
	httpMaxHeaderBytes = 64 << 10
)

// Limit errors.
var (
	ErrRequestTimeout = apiErr("RequestTimeout", 400,
		"Your socket connection to the server was not read from or written to within the timeout period.")
	ErrSlowDown                     = apiErr("SlowDown", 503, "Please reduce your request rate.")
	ErrInvalidURI                   = apiErr("InvalidURI", 400, "Couldn't parse the specified URI.")
	ErrRequestHeaderSectionTooLarge = apiErr("RequestHeaderSectionTooLarge", 400,
		"Your request header section exceeds the maximum allowed size.")
)

// HTTPServer returns an http.Server serving h with the timeouts and header
// limit of s: headers must arrive within DefaultReadHeaderTimeout, idle
// keep-alive connections close after DefaultIdleTimeout. There is no whole
// request or response timeout (a 5 GiB upload over a slow link is
// legitimate); BodyTimeout bounds each stall instead.
func (s *Server) HTTPServer(h http.Handler, readHeaderTimeout, idleTimeout time.Duration) *http.Server {
	if readHeaderTimeout <= 0 {
		readHeaderTimeout = DefaultReadHeaderTimeout
	}
	if idleTimeout <= 0 {
		idleTimeout = DefaultIdleTimeout
	}
	return &http.Server{Handler: h, ReadHeaderTimeout: readHeaderTimeout, IdleTimeout: idleTimeout,
		MaxHeaderBytes: max(httpMaxHeaderBytes, 2*s.maxHeaderBytes())}
}

func (s *Server) bodyTimeout() time.Duration {
	if s.BodyTimeout > 0 {
		return s.BodyTimeout
	}
	return DefaultBodyTimeout
}

func (s *Server) minBodyRate() int64 {
	switch {
	case s.MinBodyRate < 0:
		return 0
	case s.MinBodyRate == 0:
		return DefaultMinBodyRate
	}
	return s.MinBodyRate
}

func (s *Server) maxHeaderBytes() int {
	if s.MaxHeaderBytes > 0 {
		return s.MaxHeaderBytes
	}
	return DefaultMaxHeaderBytes
}

// headerBytes is the size of r's header section as sent: "Name: value\r\n"
// per field.
func headerBytes(r *http.Request) int {
	n := len(r.Host) + len("Host: \r\n")
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}

// checkURI rejects a request whose key, copy source or query is not valid
// UTF-8: the one check for every operation.
func checkURI(r *request) error {
	if !utf8.ValidString(r.key) || !utf8.ValidString(r.bucket) {
		return ErrInvalidURI
	}
	for _, vs := range r.q {
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return ErrInvalidURI
			}
		}
	}
	if _, key, _, err := copySource(r.Header.Get("x-amz-copy-source")); err == nil && !utf8.ValidString(key) {
		return ErrInvalidURI
	}
	return nil
}

// idleDeadline extends a connection's read or write deadline on each call,
// at most every timeout/8, so that only a stall of about timeout fails.
type idleDeadline struct {
	set     func(time.Time) error
	timeout time.Duration
	last    time.Time
	off     bool // the connection does not support deadlines
	// limit, if set, is a deadline that extending never goes past.
	limit func() time.Time
}

func (d *idleDeadline) extend() {
	if d.off {
		return
	}
	now := time.Now()
	if !d.last.IsZero() && now.Sub(d.last) < d.timeout/8 {
		return
	}
	d.last = now
	t := now.Add(d.timeout)
	if d.limit != nil {
		if l := d.limit(); l.Before(t) {
			t = l
		}
	}
	if err := d.set(t); err != nil {
		d.off = true
	}
}

// clear removes the deadline.
func (d *idleDeadline) clear() {
	if !d.off && !d.last.IsZero() {
		_ = d.set(time.Time{})
		d.off = true
	}
}

// isTimeout reports whether err is a deadline that passed.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// idleBody is a request body whose reads fail with ErrRequestTimeout after
// a stall. Once the body has ended its deadline is removed: net/http then
// reads the connection in the background to notice a client going away,
// and a deadline passing there would cancel the request still at work.
type idleBody struct {
	io.ReadCloser
	d     idleDeadline
	rate  int64     // minimum bytes/s; 0: none
	start time.Time // of the first read
	n     int64     // bytes read
}

// rateLimit is the deadline by which the body, read since start, must have
// delivered more than n bytes at the minimum rate (after a first timeout).
func (b *idleBody) rateLimit() time.Time {
	return b.start.Add(b.d.timeout + time.Duration(float64(b.n)/float64(b.rate)*float64(time.Second)))
}

func (b *idleBody) Read(p []byte) (int, error) {
	if b.start.IsZero() {
		// From the first read, not the request's start: a handler may
		// wait (for memory) before it reads.
		b.start = time.Now()
	}
	b.d.extend()
	n, err := b.ReadCloser.Read(p)
	b.n += int64(n)
	switch {
	case err == io.EOF:
		b.d.clear()
	case err != nil && isTimeout(err):
		err = errors.Join(ErrRequestTimeout, err)
	}
	return n, err
}

// idleWriter is a ResponseWriter whose writes fail after a stall.
type idleWriter struct {
	http.ResponseWriter
	d idleDeadline
}

func (w *idleWriter) Write(p []byte) (int, error) {
	w.d.extend()
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *idleWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush passes flushes through.
func (w *idleWriter) Flush() {
	w.d.extend()
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// withIdleTimeouts wraps w, and the body of a copy of r it returns, so that
// a stall of s.bodyTimeout() fails the read or write. done gives the end of
// the response (written by net/http after the handler returns) one more
// timeout.
func (s *Server) withIdleTimeouts(w http.ResponseWriter, r *http.Request) (_ http.ResponseWriter, _ *http.Request, done func()) {
	rc := http.NewResponseController(w)
	t := s.bodyTimeout()
	iw := &idleWriter{ResponseWriter: w, d: idleDeadline{set: rc.SetWriteDeadline, timeout: t}}
	// Now, so that the deadline a previous request on this connection left
	// is gone before net/http writes anything (a 100 Continue).
	iw.d.extend()
	if r.Body != nil && r.Body != http.NoBody {
		b := &idleBody{ReadCloser: r.Body, d: idleDeadline{set: rc.SetReadDeadline, timeout: t}, rate: s.minBodyRate()}
		if b.rate > 0 {
			b.d.limit = b.rateLimit
		}
		// On a copy of the request: net/http decides from the body it made
		// whether one left unread is discarded (up to 256 KiB, sending 100
		// Continue to get it) or the connection closed. An early error on
		// an Expect: 100-continue upload must go out at once, not after
		// the client has sent 256 KiB of a body nobody reads.
		r = r.WithContext(r.Context())
		r.Body = b
	}
	return iw, r, func() {
		iw.d.last = time.Time{}
		iw.d.extend()
	}
}

// MemoryBudget bounds the memory held by requests in flight: each reserves
// what it buffers before buffering it, waiting at most Wait for room.
type MemoryBudget struct {
	size    int64
	wait    time.Duration
	sem     *semaphore.Weighted
	inUse   atomic.Int64
	refused atomic.Int64
}

// Size is the budget in bytes.
func (b *MemoryBudget) Size() int64 { return b.size }

// InUse is how many bytes are reserved now.
func (b *MemoryBudget) InUse() int64 { return b.inUse.Load() }

// Refused is how many reservations have failed with ErrSlowDown.
func (b *MemoryBudget) Refused() int64 { return b.refused.Load() }

// NewMemoryBudget returns a budget of size bytes; a reservation waits at
// most wait (default 2 s) for room, then fails with ErrSlowDown.
func NewMemoryBudget(size int64, wait time.Duration) *MemoryBudget {
	if wait <= 0 {
		wait = 2 * time.Second
	}
	return &MemoryBudget{size: size, wait: wait, sem: semaphore.NewWeighted(size)}
}

// Reserve takes n bytes of the budget (all of it if n is larger), waiting
// for room; release gives them back (once, however often it is called).
// A nil budget reserves nothing.
func (b *MemoryBudget) Reserve(ctx context.Context, n int64) (release func(), err error) {
	if b == nil || n <= 0 {
		return func() {}, nil
	}
	n = min(n, b.size)
	wctx, cancel := context.WithTimeout(ctx, b.wait)
	defer cancel()
	if err := b.sem.Acquire(wctx, n); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		b.refused.Add(1)
		return nil, ErrSlowDown.Errorf("The gateway is at its memory budget (%d bytes); please retry.", b.size)
	}
	b.inUse.Add(n)
	var once sync.Once
	return func() {
		once.Do(func() {
			b.inUse.Add(-n)
			b.sem.Release(n)
		})
	}, nil
}

// RateLimiter admits requests per key (access key, or client address for
// anonymous requests) at a steady rate with a burst.
type RateLimiter struct {
	rate  rate.Limit
	burst int
	mu    sync.Mutex
	keys  map[string]*keyRate
}

type keyRate struct {
	l    *rate.Limiter
	seen time.Time
}

// maxRateKeys bounds the limiter's table: idle keys are dropped past it.
const maxRateKeys = 10000

// NewRateLimiter admits perSecond requests per second per key, with a
// burst of one second's worth (at least 1). perSecond <= 0 returns nil: no
// limit.
func NewRateLimiter(perSecond float64) *RateLimiter {
	if perSecond <= 0 {
		return nil
	}
	return &RateLimiter{rate: rate.Limit(perSecond), burst: max(1, int(perSecond)), keys: map[string]*keyRate{}}
}

// Allow reports whether a request of key may run now. A nil limiter
// allows everything.
func (rl *RateLimiter) Allow(key string) bool {
	if rl == nil {
		return true
	}
	now := time.Now()
	rl.mu.Lock()
	defer rl.mu.Unlock()
	k, ok := rl.keys[key]
	if !ok {
		if len(rl.keys) >= maxRateKeys {
			rl.prune(now)
		}
		k = &keyRate{l: rate.NewLimiter(rl.rate, rl.burst)}
		rl.keys[key] = k
	}
	k.seen = now
	return k.l.AllowN(now, 1)
}

// prune drops keys idle long enough for their bucket to be full again (so
// forgetting them changes nothing), or every key if none is.
func (rl *RateLimiter) prune(now time.Time) {
	full := time.Duration(float64(rl.burst)/float64(rl.rate)*float64(time.Second)) + time.Second
	for key, k := range rl.keys {
		if now.Sub(k.seen) > full {
			delete(rl.keys, key)
		}
	}
	if len(rl.keys) >= maxRateKeys {
		clear(rl.keys)
	}
}

// rateKey is who a request counts against: its access key, or its client
// address when anonymous.
func rateKey(r *request) string {
	if r.auth != nil {
		return "key " + r.auth.AccessKey
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "addr " + host
}
