package node

// S3 bytes in and out, counted at the HTTP layer around the gateway (which
// imports nothing of MEFS), for /metrics and the console's throughput chart.

import (
	"io"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
)

func newBytesCounter(reg prometheus.Registerer) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "mefs_s3_bytes_total", Help: "S3 request and response body bytes, by direction (in, out).",
	}, []string{"direction"})
	reg.MustRegister(c)
	return c
}

// countBytes wraps h, adding each request's body bytes read to "in" and
// each response's body bytes written to "out".
func countBytes(h http.Handler, c *prometheus.CounterVec) http.Handler {
	in, out := c.WithLabelValues("in"), c.WithLabelValues("out")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			// On a copy: net/http judges by the body it made whether an
			// unread one is discarded (after 100 Continue) or the
			// connection closed; replacing it in place would make an early
			// error on an Expect: 100-continue upload wait for 256 KiB of
			// its body.
			r = r.WithContext(r.Context())
			r.Body = &countingBody{ReadCloser: r.Body, add: in.Add}
		}
		h.ServeHTTP(&countingWriter{ResponseWriter: w, add: out.Add}, r)
	})
}

type countingBody struct {
	io.ReadCloser
	add func(float64)
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.add(float64(n))
	return n, err
}

type countingWriter struct {
	http.ResponseWriter
	add func(float64)
}

func (w *countingWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.add(float64(n))
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (flush,
// deadlines, full duplex).
func (w *countingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush passes flushes through (the gateway flushes long responses).
func (w *countingWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
