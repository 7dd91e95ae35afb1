package main

// The report: medians over rounds, one row per workload.

import (
	"fmt"
	"io"
	"slices"
	"time"
)

func sortDurations(d []time.Duration) { slices.Sort(d) }

// median returns the result with the median throughput.
func median(rs []result) result {
	s := slices.Clone(rs)
	slices.SortFunc(s, func(a, b result) int { return int(a.Dur - b.Dur) })
	return s[len(s)/2]
}

func printTable(w io.Writer, order []string, res map[string]map[string][]result, sides []*side) {
	fmt.Fprintf(w, "\n| workload | %s | %s | ratio | p50 / p99 %s | p50 / p99 %s | server CPU per op %s / %s | server peak RSS MiB %s / %s |\n",
		sides[0].Name, sides[1].Name, sides[0].Name, sides[1].Name, sides[0].Name, sides[1].Name, sides[0].Name, sides[1].Name)
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|")
	for _, name := range order {
		a, b := median(res[name][sides[0].Name]), median(res[name][sides[1].Name])
		unit, va, vb := "MB/s", a.mbps(), b.mbps()
		if a.Bytes/int64(max(a.Ops, 1)) < 256<<10 {
			unit, va, vb = "ops/s", a.opsps(), b.opsps()
		}
		fmt.Fprintf(w, "| %s | %.0f %s | %.0f %s | %.2f× | %v / %v | %v / %v | %v / %v | %d / %d |\n",
			name, va, unit, vb, unit, va/vb, a.pct(50), a.pct(99), b.pct(50), b.pct(99),
			a.cpuPerOp(), b.cpuPerOp(), a.PeakRSS>>20, b.PeakRSS>>20)
	}
}
