package test

// Clean shutdown: SIGTERM at any moment drains requests in flight, stops
// the background loops (garbage collection, repair, order updates) and only
// then closes the metadata store, exiting 0.

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestSIGTERMAfterOverwriteBurst overwrites keys concurrently (each
// overwrite makes garbage the collector works on), sends SIGTERM while
// writes are still in flight, and expects exit status 0.
func TestSIGTERMAfterOverwriteBurst(t *testing.T) {
	for round := range 3 {
		t.Run(fmt.Sprint("round", round), func(t *testing.T) {
			d := startDevnet(t, "", "--providers", "6", "--ec", "4+2")
			c := d.client(t)
			mustCreateBucket(t, c, "burst")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var wg sync.WaitGroup
			var mu sync.Mutex
			acked := 0
			for w := range 8 {
				wg.Go(func() {
					for i := 0; ctx.Err() == nil; i++ {
						body := bytes.Repeat([]byte{byte(i)}, 64<<10+w)
						_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("burst"),
							Key: aws.String(fmt.Sprint("k", w%3)), Body: bytes.NewReader(body)})
						if err == nil {
							mu.Lock()
							acked++
							mu.Unlock()
						}
					}
				})
			}
			// Let overwrites pile up garbage, then stop mid-burst.
			deadline := time.Now().Add(20 * time.Second)
			for time.Now().Before(deadline) {
				mu.Lock()
				n := acked
				mu.Unlock()
				if n >= 30+10*round {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
			if err := d.Proc.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			err := d.Proc.wait()
			cancel()
			wg.Wait()
			if err != nil {
				t.Fatalf("devnet after SIGTERM mid-burst (%d PUTs acknowledged): %v, want exit 0", acked, err)
			}
			if acked == 0 {
				t.Fatal("no PUT was acknowledged before SIGTERM")
			}
		})
	}
}
