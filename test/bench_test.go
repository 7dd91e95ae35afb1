package test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

const (
	benchObject      = 64 << 20
	benchConcurrency = 4
)

// BenchmarkE2E measures S3 PUT and GET of 64 MiB objects through a gateway
// process in front of six Provider processes (4+2), with aws-sdk-go-v2 at
// its default settings.
//
// Concurrency: b.N operations are spread over benchConcurrency (4) explicit
// worker goroutines, each with its own object (PUT overwrites put-<worker>,
// GET reads get-<worker>), whatever GOMAXPROCS is. MB/s is total plaintext
// bytes over wall time. gateway-peak-MiB is the gateway process's VmHWM: the
// gateway is restarted (same folder, same address) before each timed run so
// the peak belongs to that run alone.
func BenchmarkE2E(b *testing.B) {
	c := startCluster(b, 6, "4+2", strings.Fields(os.Getenv("MEFS_BENCH_GATEWAY_FLAGS"))...)
	cl := c.client(b)
	ctx := context.Background()
	if _, err := cl.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bench")}); err != nil {
		b.Fatal(err)
	}
	data := make([][]byte, benchConcurrency)
	for w := range data {
		data[w] = randBytes(benchObject)
		putBytes(b, cl, "bench", fmt.Sprintf("get-%d", w), data[w])
	}

	b.Run("PUT-64MiB", func(b *testing.B) {
		restartGateway(b, c)
		runE2E(b, c, benchObject, benchConcurrency, func(cl *s3.Client, w int) error {
			_, err := cl.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bench"), Key: aws.String(fmt.Sprintf("put-%d", w)),
				Body: bytes.NewReader(data[w])})
			return err
		})
	})
	b.Run("GET-64MiB", func(b *testing.B) {
		restartGateway(b, c)
		runE2E(b, c, benchObject, benchConcurrency, func(cl *s3.Client, w int) error {
			out, err := cl.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bench"), Key: aws.String(fmt.Sprintf("get-%d", w))})
			if err != nil {
				return err
			}
			defer out.Body.Close()
			n, err := io.Copy(io.Discard, out.Body)
			if err == nil && n != benchObject {
				err = fmt.Errorf("got %d bytes, want %d", n, benchObject)
			}
			return err
		})
	})
}

// BenchmarkE2ESmall measures 1 MiB objects at concurrency 8 and 4 KiB
// objects at concurrency 16 (the figures MinIO is compared on in NOTES.md).
func BenchmarkE2ESmall(b *testing.B) {
	c := startCluster(b, 6, "4+2", strings.Fields(os.Getenv("MEFS_BENCH_GATEWAY_FLAGS"))...)
	cl := c.client(b)
	ctx := context.Background()
	if _, err := cl.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("small")}); err != nil {
		b.Fatal(err)
	}
	sizes := []struct {
		name       string
		size, conc int
	}{{"1MiB", 1 << 20, 8}, {"64KiB", 64 << 10, 16}, {"4KiB", 4 << 10, 16}}
	// Every object read is written first: a sub-benchmark's gateway stops
	// when it ends.
	// They are written concurrently, as they would be under load: small
	// ones then share packs, and a GET reads its pack's whole stripe.
	data := map[string][]byte{}
	for _, sz := range sizes {
		data[sz.name] = randBytes(sz.size)
		var wg sync.WaitGroup
		for w := range sz.conc {
			wg.Go(func() { putBytes(b, cl, "small", fmt.Sprintf("get-%s-%d", sz.name, w), data[sz.name]) })
		}
		wg.Wait()
	}
	for _, sz := range sizes {
		data := data[sz.name]
		b.Run("PUT-"+sz.name, func(b *testing.B) {
			restartGateway(b, c)
			var n atomic.Int64
			runE2E(b, c, sz.size, sz.conc, func(cl *s3.Client, w int) error {
				_, err := cl.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("small"),
					Key: aws.String(fmt.Sprintf("put-%s-%d", sz.name, n.Add(1)%64)), Body: bytes.NewReader(data)})
				return err
			})
		})
		b.Run("GET-"+sz.name, func(b *testing.B) {
			restartGateway(b, c)
			runE2E(b, c, sz.size, sz.conc, func(cl *s3.Client, w int) error {
				out, err := cl.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("small"), Key: aws.String(fmt.Sprintf("get-%s-%d", sz.name, w))})
				if err != nil {
					return err
				}
				defer out.Body.Close()
				got, err := io.Copy(io.Discard, out.Body)
				if err == nil && got != int64(sz.size) {
					err = fmt.Errorf("got %d bytes, want %d", got, sz.size)
				}
				return err
			})
		})
	}
}

// runE2E times b.N calls of op, each moving size bytes, spread over conc
// workers, and reports ops/s and the gateway's peak RSS.
func runE2E(b *testing.B, c *cluster, size, conc int, op func(cl *s3.Client, worker int) error) {
	cl := c.client(b)
	b.SetBytes(int64(size))
	work := make(chan struct{}, b.N)
	for range b.N {
		work <- struct{}{}
	}
	close(work)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	b.ResetTimer()
	start := time.Now()
	for w := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range work {
				if err := op(cl, w); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	if firstErr != nil {
		b.Fatal(firstErr)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "ops/s")
	b.ReportMetric(float64(c.Gateway.peakRSS())/(1<<20), "gateway-peak-MiB")
}

// restartGateway stops c's gateway and starts a new one on the same folder,
// address, Providers and flags (MEFS_BENCH_GATEWAY_FLAGS, e.g. "--pack-max 0"
// to compare), so its peak RSS starts afresh.
func restartGateway(t testing.TB, c *cluster) {
	t.Helper()
	c.Gateway.stop()
	c.startGateway(t)
}
