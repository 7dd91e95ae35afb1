package main

// Workloads, their timing, and the server-side counters read around them.

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

const benchBucket = "sidebyside"

// workload is a set of operations run at a fixed concurrency.
type workload struct {
	Name        string
	Size, Count int
	Conc        int
	Mixed       bool // 70/30 GET/PUT over sizes 64 KiB–4 MiB
}

func workloads(scale float64) []workload {
	n := func(c int) int { return max(1, int(float64(c)*scale)) }
	return []workload{
		{Name: "64MiB", Size: 64 << 20, Count: n(16), Conc: 4},
		{Name: "1MiB", Size: 1 << 20, Count: n(256), Conc: 8},
		{Name: "4KiB", Size: 4 << 10, Count: n(2000), Conc: 16},
		{Name: "mixed 64KiB-4MiB", Size: 4 << 20, Count: n(512), Conc: 32, Mixed: true},
	}
}

// result is one timed run on one side.
type result struct {
	Name    string
	Ops     int
	Bytes   int64
	Dur     time.Duration
	Lat     []time.Duration // sorted
	CPU     time.Duration   // server process utime+stime
	PeakRSS int64           // server VmHWM during the run, bytes
}

func (r result) String() string {
	return fmt.Sprintf("%8.1f MB/s %8.1f ops/s p50 %v p99 %v cpu/op %v peak %d MiB",
		r.mbps(), r.opsps(), r.pct(50), r.pct(99), r.cpuPerOp(), r.PeakRSS>>20)
}

func (r result) mbps() float64  { return float64(r.Bytes) / 1e6 / r.Dur.Seconds() }
func (r result) opsps() float64 { return float64(r.Ops) / r.Dur.Seconds() }
func (r result) cpuPerOp() time.Duration {
	return (r.CPU / time.Duration(max(r.Ops, 1))).Round(10 * time.Microsecond)
}
func (r result) pct(p int) time.Duration {
	if len(r.Lat) == 0 {
		return 0
	}
	return r.Lat[min(len(r.Lat)-1, len(r.Lat)*p/100)].Round(100 * time.Microsecond)
}

// op is one S3 call; it returns the bytes it moved.
type op func(ctx context.Context, i int) (int64, error)

// run runs w on s: PUT then GET of Count objects, or the mixed set.
func (w workload) run(ctx context.Context, s *side, round int) ([]result, error) {
	data := make([]byte, w.Size)
	rand.Read(data)
	key := func(i int) string { return fmt.Sprintf("%s/r%d/%d", strings.ReplaceAll(w.Name, " ", "-"), round, i) }
	if w.Mixed {
		return w.runMixed(ctx, s, data, key)
	}
	put := func(ctx context.Context, i int) (int64, error) {
		return int64(w.Size), putObject(ctx, s.cl, key(i), data[:w.Size])
	}
	get := func(ctx context.Context, i int) (int64, error) { return getObject(ctx, s.cl, key(i), w.Size) }
	p, err := timed(ctx, s, "PUT "+w.Name, w.Count, w.Conc, put)
	if err != nil {
		return nil, err
	}
	g, err := timed(ctx, s, "GET "+w.Name, w.Count, w.Conc, get)
	if err != nil {
		return nil, err
	}
	return []result{p, g}, nil
}

func (w workload) runMixed(ctx context.Context, s *side, data []byte, key func(int) string) ([]result, error) {
	const pool = 64
	rng := mrand.New(mrand.NewPCG(1, 2))
	sizes := make([]int, pool)
	for i := range sizes {
		sizes[i] = 64<<10 + rng.IntN(w.Size-64<<10)
		if err := putObject(ctx, s.cl, key(i), data[:sizes[i]]); err != nil {
			return nil, err
		}
	}
	type step struct {
		put     bool
		k, size int
	}
	plan := make([]step, w.Count)
	for i := range plan {
		plan[i] = step{put: rng.IntN(10) < 3, k: rng.IntN(pool), size: 64<<10 + rng.IntN(w.Size-64<<10)}
	}
	mix := func(ctx context.Context, i int) (int64, error) {
		p := plan[i]
		if p.put {
			return int64(p.size), putObject(ctx, s.cl, key(p.k), data[:p.size])
		}
		// A concurrent PUT may replace the object: check the body against
		// the length the response announced.
		return getObject(ctx, s.cl, key(p.k), -1)
	}
	r, err := timed(ctx, s, "mixed 70/30 64KiB-4MiB", w.Count, w.Conc, mix)
	return []result{r}, err
}

// timed runs count calls of o at concurrency conc on s and measures them.
func timed(ctx context.Context, s *side, name string, count, conc int, o op) (result, error) {
	resetPeak(s.PID)
	cpu0 := procCPU(s.PID)
	lat := make([]time.Duration, count)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		total int64
		first error
	)
	next := make(chan int, count)
	for i := range count {
		next <- i
	}
	close(next)
	t0 := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				s0 := time.Now()
				n, err := o(ctx, i)
				lat[i] = time.Since(s0)
				mu.Lock()
				total += n
				if err != nil && first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	r := result{Name: name, Ops: count, Bytes: total, Dur: time.Since(t0), Lat: lat,
		CPU: procCPU(s.PID) - cpu0, PeakRSS: peakRSS(s.PID)}
	sortDurations(r.Lat)
	return r, first
}

func putObject(ctx context.Context, cl *s3.Client, key string, b []byte) error {
	_, err := cl.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(benchBucket), Key: aws.String(key), Body: bytes.NewReader(b)})
	if err != nil {
		return fmt.Errorf("put %s (%d bytes): %w", key, len(b), err)
	}
	return nil
}

// getObject reads key to the end and checks its length: want, or the
// response's Content-Length when want < 0.
func getObject(ctx context.Context, cl *s3.Client, key string, want int) (int64, error) {
	out, err := cl.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(benchBucket), Key: aws.String(key)})
	if err != nil {
		return 0, fmt.Errorf("get %s: %w", key, err)
	}
	defer out.Body.Close()
	if want < 0 {
		want = int(aws.ToInt64(out.ContentLength))
	}
	n, err := io.Copy(io.Discard, out.Body)
	if err == nil && n != int64(want) {
		err = fmt.Errorf("get %s: %d bytes, want %d", key, n, want)
	}
	return n, err
}

// procCPU is the process's user+system CPU time (clock ticks of 10 ms).
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:]) // fields from 3 (state) on
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64) // field 14 utime
	k, _ := strconv.ParseInt(f[12], 10, 64) // field 15 stime
	return time.Duration(u+k) * 10 * time.Millisecond
}

// resetPeak resets the process's VmHWM (Linux clear_refs 5), so peakRSS
// reports the peak of one run.
func resetPeak(pid int) {
	os.WriteFile("/proc/"+strconv.Itoa(pid)+"/clear_refs", []byte("5"), 0)
}

func peakRSS(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
