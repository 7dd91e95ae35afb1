package test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestPeakRSS256Puts measures the devnet process's peak RSS (gateway, 6
// Providers and chain in one process) under 256 concurrent 4 MiB PUTs, with
// the default 512 MiB memory budget and without one. Clients retry SlowDown
// (up to 30 attempts, no client-side retry quota), as SDKs do.
func TestPeakRSS256Puts(t *testing.T) {
	if os.Getenv("MEFS_LIMITS_RSS") == "" {
		t.Skip("moves 2 GiB through two devnets (about a minute): set MEFS_LIMITS_RSS=1 to run")
	}
	const clients, size = 256, 4 << 20
	data := randBytes(size)
	peak := map[string]int64{}
	for _, budget := range []string{"512MiB", "0"} {
		d := startDevnet(t, "", "--memory-budget", budget)
		c := scClient(t, d.Endpoint, d.AccessKey, d.SecretKey, nil, func(o *s3.Options) {
			o.Retryer = retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 30
				o.MaxBackoff = 2 * time.Second
				o.RateLimiter = ratelimit.None
			})
		})
		mustCreateBucket(t, c, "rss")
		var (
			wg     sync.WaitGroup
			failed atomic.Int64
			first  atomic.Value
		)
		start := time.Now()
		for i := range clients {
			wg.Go(func() {
				_, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("rss"),
					Key: aws.String(fmt.Sprintf("o-%d", i)), Body: bytes.NewReader(data)})
				if err != nil {
					failed.Add(1)
					first.CompareAndSwap(nil, err)
				}
			})
		}
		wg.Wait()
		took := time.Since(start)
		peak[budget] = d.Proc.peakRSS()
		t.Logf("--memory-budget %s: %d concurrent 4 MiB PUTs in %v (%.0f MB/s), %d failed; devnet peak RSS %d MiB",
			budget, clients, took.Round(time.Millisecond), float64(clients*size)/took.Seconds()/1e6, failed.Load(), peak[budget]>>20)
		if budget != "0" && failed.Load() > 0 {
			t.Fatalf("with a budget, %d PUTs failed (first: %v)", failed.Load(), first.Load())
		}
		d.Proc.stop()
	}
	if peak["512MiB"] >= peak["0"] {
		t.Fatalf("peak RSS with the 512 MiB budget (%d MiB) is not below the unbounded one (%d MiB)", peak["512MiB"]>>20, peak["0"]>>20)
	}
}
