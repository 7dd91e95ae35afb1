package node

// Invariants:
//   - Repair metrics are read from the Layer's Snapshot at scrape time, so
//     they cannot drift from /status.

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/mefs-project/mefs/backend/user"
)

var (
	repairQueueDesc = prometheus.NewDesc("mefs_repair_queue_objects",
		"Objects awaiting repair, by the further chunk losses their worst stripe survives.", []string{"margin"}, nil)
	repairedChunksDesc = prometheus.NewDesc("mefs_repaired_chunks_total", "Chunks repaired since start.", nil, nil)
	repairedBytesDesc  = prometheus.NewDesc("mefs_repaired_bytes_total", "Bytes of chunks repaired since start.", nil, nil)
	lostChunksDesc     = prometheus.NewDesc("mefs_lost_chunks_total", "Chunks given up as lost (found corrupt or missing, or on a Provider confirmed lost) since start.", nil, nil)
	packsSealedDesc    = prometheus.NewDesc("mefs_packs_sealed_total", "Packs (shared stripes of small objects) stored since start.", nil, nil)
	packedObjectsDesc  = prometheus.NewDesc("mefs_packed_objects_total", "Small objects committed in packs since start.", nil, nil)
	repackedDesc       = prometheus.NewDesc("mefs_repacked_objects_total", "Packed objects moved out of sparse packs by compaction since start.", nil, nil)
	stripesDesc        = prometheus.NewDesc("mefs_stripes",
		"Stripes by how many of their chunks sit on Providers that are not gone (k+m: full redundancy; below k: lost).", []string{"chunks"}, nil)
	providerHealthDesc = prometheus.NewDesc("mefs_provider_health",
		"1 for each Provider's current health state (healthy, suspect, failing, gone).", []string{"provider", "state"}, nil)
)

// repairCollector exports a Layer's repair and Provider health state.
type repairCollector struct{ layer *user.Layer }

func (c repairCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- repairQueueDesc
	ch <- repairedChunksDesc
	ch <- repairedBytesDesc
	ch <- lostChunksDesc
	ch <- packsSealedDesc
	ch <- packedObjectsDesc
	ch <- repackedDesc
	ch <- providerHealthDesc
	ch <- stripesDesc
}

func (c repairCollector) Collect(ch chan<- prometheus.Metric) {
	snap, err := c.layer.Snapshot()
	if err != nil {
		return // metadata unreadable: the scrape shows nothing rather than wrong numbers
	}
	byMargin := map[int]int{}
	for m := range snap.M {
		byMargin[m] = 0 // every level shows, empty or not
	}
	for m, n := range snap.RepairByMargin {
		byMargin[m] = n // a negative margin is a stripe already below k
	}
	for m, n := range byMargin {
		ch <- prometheus.MustNewConstMetric(repairQueueDesc, prometheus.GaugeValue, float64(n), strconv.Itoa(m))
	}
	ch <- prometheus.MustNewConstMetric(repairedChunksDesc, prometheus.CounterValue, float64(snap.RepairedChunks))
	ch <- prometheus.MustNewConstMetric(repairedBytesDesc, prometheus.CounterValue, float64(snap.RepairedBytes))
	ch <- prometheus.MustNewConstMetric(lostChunksDesc, prometheus.CounterValue, float64(snap.LostChunks))
	ch <- prometheus.MustNewConstMetric(packsSealedDesc, prometheus.CounterValue, float64(snap.PacksSealed))
	ch <- prometheus.MustNewConstMetric(packedObjectsDesc, prometheus.CounterValue, float64(snap.PackedObjects))
	ch <- prometheus.MustNewConstMetric(repackedDesc, prometheus.CounterValue, float64(snap.RepackedObjects))
	for n := 0; n <= snap.K+snap.M; n++ { // every level shows, empty or not
		ch <- prometheus.MustNewConstMetric(stripesDesc, prometheus.GaugeValue, float64(snap.StripesByChunks[n]), strconv.Itoa(n))
	}
	for _, p := range snap.Providers {
		ch <- prometheus.MustNewConstMetric(providerHealthDesc, prometheus.GaugeValue, 1, p.ID.String(), p.Health.String())
	}
}
