package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/mefs-project/mefs/backend/internal/slab"
	"github.com/mefs-project/mefs/backend/node/console"
	"github.com/mefs-project/mefs/gateway"
)

// adminServer serves /metrics, /health/live, /health/ready, /status (the
// node's Status as JSON), the web console under /console/ and Go's
// /debug/pprof; it listens on loopback unless told otherwise, and off
// loopback the console requires a login.
type adminServer struct {
	srv  *http.Server
	Addr string
}

// s3Metrics is the Prometheus view of the S3 front end.
type s3Metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newS3Metrics(reg prometheus.Registerer) *s3Metrics {
	m := &s3Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mefs_s3_requests_total", Help: "S3 requests by operation and HTTP status.",
		}, []string{"op", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "mefs_s3_request_duration_seconds", Help: "S3 request latency by operation.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 9),
		}, []string{"op"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// registerBudget exports the memory budget: its size, what is reserved
// now, and how many requests it refused (503 SlowDown).
func registerBudget(reg prometheus.Registerer, b *gateway.MemoryBudget) {
	reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "mefs_s3_memory_budget_bytes", Help: "Memory budget for S3 request buffers."},
			func() float64 { return float64(b.Size()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "mefs_s3_memory_reserved_bytes", Help: "S3 request buffer memory reserved now."},
			func() float64 { return float64(b.InUse()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "mefs_s3_memory_refused_total", Help: "S3 requests refused (503 SlowDown) at the memory budget."},
			func() float64 { return float64(b.Refused()) }),
	)
}

// registerLifecycle exports what the lifecycle passes did.
func registerLifecycle(reg prometheus.Registerer, lc *gateway.Lifecycle) {
	vec := func(action, help string, f func(gateway.LifecycleStats) int) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "mefs_lifecycle_" + action + "_total", Help: help},
			func() float64 { return float64(f(lc.Totals())) })
	}
	reg.MustRegister(
		vec("expired", "Current object versions expired by bucket lifecycle rules.", func(s gateway.LifecycleStats) int { return s.Expired }),
		vec("noncurrent_removed", "Noncurrent versions removed by bucket lifecycle rules.", func(s gateway.LifecycleStats) int { return s.NoncurrentRemoved }),
		vec("markers_removed", "Expired delete markers removed by bucket lifecycle rules.", func(s gateway.LifecycleStats) int { return s.MarkersRemoved }),
		vec("uploads_aborted", "Incomplete multipart uploads aborted by bucket lifecycle rules.", func(s gateway.LifecycleStats) int { return s.UploadsAborted }),
		vec("errors", "Lifecycle actions that failed.", func(s gateway.LifecycleStats) int { return s.Errors }),
	)
}

func (m *s3Metrics) observe() gateway.Observer {
	return func(op string, status int, d time.Duration) {
		m.requests.WithLabelValues(op, strconv.Itoa(status)).Inc()
		m.duration.WithLabelValues(op).Observe(d.Seconds())
	}
}

// adminHandlers is what the admin listener serves from.
type adminHandlers struct {
	reg    *prometheus.Registry
	ready  func(context.Context) error
	status func(context.Context) Status
	// login checks a console login (admin token or root S3 credentials);
	// it is asked only when the listener is not on loopback.
	login func(name, secret string) bool
}

func (a adminHandlers) mux(loopback bool) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("/console/", console.Handler(console.Config{
		Status:       func(ctx context.Context) any { return a.status(ctx) },
		Metrics:      a.reg,
		RequireLogin: !loopback,
		Login:        a.login,
	}))
	mux.Handle("GET /{$}", http.RedirectHandler("/console/", http.StatusSeeOther))
	mux.Handle("GET /metrics", promhttp.HandlerFor(a.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	mux.HandleFunc("GET /health/live", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /health/ready", func(w http.ResponseWriter, r *http.Request) {
		if err := a.ready(r.Context()); err != nil {
			http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	mux.HandleFunc("GET /status", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(a.status(r.Context())) // a failed write is the client's loss
	})
	return mux
}

// startAdmin serves the admin endpoints on addr.
func startAdmin(addr string, h adminHandlers, log *slog.Logger) (*adminServer, error) {
	h.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		slabCollector{pool: &slab.Default})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for admin on %s: %w", addr, err)
	}
	loopback := false
	if ta, ok := ln.Addr().(*net.TCPAddr); ok {
		loopback = ta.IP.IsLoopback()
	}
	a := &adminServer{srv: &http.Server{Handler: h.mux(loopback), ReadHeaderTimeout: 10 * time.Second}, Addr: ln.Addr().String()}
	go func() {
		if err := a.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("admin server stopped", "err", err)
		}
	}()
	return a, nil
}

// URL is the admin listener's base URL ("" when a is nil: no listener).
func (a *adminServer) URL() string {
	if a == nil {
		return ""
	}
	return "http://" + a.Addr
}

func (a *adminServer) Close() {
	if a == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = a.srv.Shutdown(ctx) // past the timeout, connections are dropped
}
