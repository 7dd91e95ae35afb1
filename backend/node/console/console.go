// Package console serves the web console: a one-page app whose assets are
// embedded in the binary, a JSON view of the node's Status and a stream
// (server-sent events) of the S3 counters that /metrics exports.
//
// Invariants: nothing is fetched from outside the binary; on a non-loopback
// listener every route but the login page and its assets needs a session
// cookie obtained with the admin token or the root S3 credentials, compared
// in constant time; no secret is logged.
package console

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

//go:embed assets
var assets embed.FS

// Config is what the console shows and whom it lets in.
type Config struct {
	// Status returns the node's snapshot (any JSON-encodable value).
	Status func(context.Context) any
	// Metrics is the registry /metrics serves; the live charts read it.
	Metrics prometheus.Gatherer
	// RequireLogin is set when the listener is not on loopback.
	RequireLogin bool
	// Login reports whether a name and secret may log in (the admin token
	// as secret with any name, or the root S3 access and secret key).
	Login func(name, secret string) bool
	// Interval between metric samples on the live stream (default 1 s).
	Interval time.Duration
}

// Handler serves the console under /console/.
func Handler(cfg Config) http.Handler {
	if cfg.Interval <= 0 {
		cfg.Interval = time.Second
	}
	static, err := fs.Sub(assets, "assets")
	if err != nil {
		panic(fmt.Sprintf("console assets: %v", err)) // embedded at build time
	}
	s := newSessions(12 * time.Hour)
	mux := http.NewServeMux()
	mux.Handle("GET /console/", http.StripPrefix("/console/", http.FileServerFS(static)))
	mux.HandleFunc("POST /console/login", s.login(cfg.Login))
	mux.HandleFunc("POST /console/logout", s.logout)
	mux.HandleFunc("GET /console/api/status", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(cfg.Status(r.Context())) // a failed write is the client's loss
	})
	mux.HandleFunc("GET /console/api/live", live(cfg.Metrics, cfg.Interval))
	if !cfg.RequireLogin {
		return mux
	}
	return s.guard(mux)
}
