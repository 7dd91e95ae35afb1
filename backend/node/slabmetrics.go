package node

// The process's stripe and chunk buffers live outside the Go heap (slab), so
// the Go collector's figures do not show them: this collector does.

import (
	"github.com/mefs-project/mefs/backend/internal/slab"
	"github.com/prometheus/client_golang/prometheus"
)

var bufferBytesDesc = prometheus.NewDesc("mefs_buffer_bytes",
	"Stripe and chunk buffers outside the Go heap, by state: in_use (handed out), free_resident (free, pages kept for reuse), mapped (all, including free buffers whose pages were given back).",
	[]string{"state"}, nil)

type slabCollector struct{ pool *slab.Pool }

func (slabCollector) Describe(ch chan<- *prometheus.Desc) { ch <- bufferBytesDesc }

func (c slabCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.pool.Stats()
	for state, v := range map[string]int64{"in_use": s.InUse, "free_resident": s.FreeResident, "mapped": s.Mapped} {
		ch <- prometheus.MustNewConstMetric(bufferBytesDesc, prometheus.GaugeValue, float64(v), state)
	}
}
