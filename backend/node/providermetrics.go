package node

// Provider metrics: chunks and bytes each Provider stores, read from its
// store on every scrape (so they cannot drift from what is on disk).

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

type providerUsage struct {
	ps            []*Provider
	chunks, bytes *prometheus.Desc
}

func (c providerUsage) Describe(ch chan<- *prometheus.Desc) { ch <- c.chunks; ch <- c.bytes }

func (c providerUsage) Collect(ch chan<- prometheus.Metric) {
	for _, p := range c.ps {
		n, b := p.Provider.Store.Usage()
		peer := p.Host.ID().String()
		ch <- prometheus.MustNewConstMetric(c.chunks, prometheus.GaugeValue, float64(n), peer)
		ch <- prometheus.MustNewConstMetric(c.bytes, prometheus.GaugeValue, float64(b), peer)
	}
}

// registerProviderMetrics adds mefs_provider_chunks and
// mefs_provider_bytes for ps (Providers run in this process) to reg.
func registerProviderMetrics(reg prometheus.Registerer, ps []*Provider) error {
	if reg == nil || len(ps) == 0 {
		return nil
	}
	c := providerUsage{ps: ps,
		chunks: prometheus.NewDesc("mefs_provider_chunks", "Chunks a Provider stores (all Users).", []string{"peer"}, nil),
		bytes:  prometheus.NewDesc("mefs_provider_bytes", "Chunk bytes a Provider stores (all Users).", []string{"peer"}, nil),
	}
	if err := reg.Register(c); err != nil {
		return fmt.Errorf("register Provider metrics: %w", err)
	}
	return nil
}
