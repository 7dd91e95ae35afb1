package console

// The live stream: every interval, a sample of the S3 counters from the
// same registry /metrics serves, sent as a server-sent event. The browser
// turns successive samples into rates.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Sample is one reading of the counters.
type Sample struct {
	Time     time.Time          `json:"time"`
	Requests float64            `json:"requests"` // mefs_s3_requests_total, all ops
	Errors   float64            `json:"errors"`   // of those, status ≥ 400
	ByOp     map[string]float64 `json:"by_op"`
	// LatencySum and LatencyCount are the request duration histogram's
	// sum (seconds) and count: their deltas give the mean latency.
	LatencySum   float64 `json:"latency_sum"`
	LatencyCount float64 `json:"latency_count"`
	// Bytes is mefs_s3_bytes_total (in and out) when the node counts it.
	Bytes float64 `json:"bytes"`
}

// Read takes a Sample from g.
func Read(g prometheus.Gatherer) (Sample, error) {
	s := Sample{Time: time.Now().UTC(), ByOp: map[string]float64{}}
	mfs, err := g.Gather()
	if err != nil {
		return s, fmt.Errorf("gather metrics: %w", err)
	}
	for _, mf := range mfs {
		switch mf.GetName() {
		case "mefs_s3_requests_total":
			for _, m := range mf.GetMetric() {
				v := m.GetCounter().GetValue()
				s.Requests += v
				for _, l := range m.GetLabel() {
					switch l.GetName() {
					case "op":
						s.ByOp[l.GetValue()] += v
					case "status":
						if code, _ := strconv.Atoi(l.GetValue()); code >= 400 {
							s.Errors += v
						}
					}
				}
			}
		case "mefs_s3_request_duration_seconds":
			for _, m := range mf.GetMetric() {
				s.LatencySum += m.GetHistogram().GetSampleSum()
				s.LatencyCount += float64(m.GetHistogram().GetSampleCount())
			}
		case "mefs_s3_bytes_total":
			for _, m := range mf.GetMetric() {
				s.Bytes += m.GetCounter().GetValue()
			}
		}
	}
	return s, nil
}

func live(g prometheus.Gatherer, every time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		flusher, ok := w.(http.Flusher)
		if !ok || g == nil {
			http.Error(w, "streaming unsupported", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-store")
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			s, err := Read(g)
			if err != nil {
				fmt.Fprintf(w, "event: error\ndata: %q\n\n", err.Error())
			} else {
				b, _ := json.Marshal(s) // a Sample always encodes
				fmt.Fprintf(w, "data: %s\n\n", b)
			}
			flusher.Flush()
			select {
			case <-r.Context().Done():
				return
			case <-t.C:
			}
		}
	}
}
