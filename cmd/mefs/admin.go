package main

import (
	"context"
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

	"github.com/mefs-project/mefs/gateway"
)

// adminServer serves /metrics, /health/live, /health/ready and Go's
// /debug/pprof (it listens on loopback unless told otherwise).
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

func (m *s3Metrics) observe() gateway.Observer {
	return func(op string, status int, d time.Duration) {
		m.requests.WithLabelValues(op, strconv.Itoa(status)).Inc()
		m.duration.WithLabelValues(op).Observe(d.Seconds())
	}
}

// startAdmin serves the admin endpoints on addr; ready reports readiness.
func startAdmin(addr string, reg *prometheus.Registry, ready func(context.Context) error, log *slog.Logger) (*adminServer, error) {
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	mux.HandleFunc("GET /health/live", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /health/ready", func(w http.ResponseWriter, r *http.Request) {
		if err := ready(r.Context()); err != nil {
			http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for admin on %s: %w", addr, err)
	}
	a := &adminServer{srv: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}, Addr: ln.Addr().String()}
	go func() {
		if err := a.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("admin server stopped", "err", err)
		}
	}()
	return a, nil
}

func (a *adminServer) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	a.srv.Shutdown(ctx)
}
