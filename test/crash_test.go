//lint:file-ignore SA1019 feature/s3/manager (deprecated for transfermanager) is what most Go programs still upload with: the crash test uses it for multipart uploads.
package test

// Crash safety: SIGKILL of the whole devnet while PUTs (small inline ones,
// packed ones, striped ones, multipart uploads) and metadata snapshots (every second)
// are in flight; repair cut short by a crash is covered by the User's unit
// tests (TestRepairCutShortLeavesNoOrphan). After each restart every acknowledged object reads
// back byte-identical, no object that was not acknowledged shows up with
// other bytes, and the devnet keeps serving.

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func TestSIGKILLLosesNoAcknowledgedWrite(t *testing.T) {
	dir := t.TempDir()
	flags := []string{"--providers", "6", "--ec", "4+2", "--chunk-size", "256KiB", "--meta-backup", "1s", "--keepers", "0"}
	acked := map[string][]byte{}
	var mu sync.Mutex
	for round := range 3 {
		d := startDevnet(t, dir, flags...)
		c := d.client(t)
		if round == 0 {
			mustCreateBucket(t, c, "crash")
		}
		checkAcked(t, c, acked, round)
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for w := range 6 {
			wg.Go(func() {
				for i := 0; ctx.Err() == nil; i++ {
					k := fmt.Sprintf("r%d-w%d-%d", round, w, i)
					body := randBytes([]int{1 << 10, 64<<10 + 3, 300 << 10, 1<<20 + 77, 6 << 20}[(w+i)%5])
					var err error
					if w == 5 && i%2 == 1 { // multipart, 5 MiB parts
						_, err = manager.NewUploader(c, func(u *manager.Uploader) { u.PartSize = 5 << 20 }).
							Upload(ctx, &s3.PutObjectInput{Bucket: aws.String("crash"), Key: aws.String(k), Body: bytes.NewReader(body)})
					} else {
						err = tryPut(ctx, c, "crash", k, body)
					}
					if err == nil {
						mu.Lock()
						acked[k] = body
						mu.Unlock()
					}
				}
			})
		}
		time.Sleep(time.Duration(3+round) * time.Second)
		d.Proc.kill()
		cancel()
		wg.Wait()
		t.Logf("round %d: %d objects acknowledged so far", round, len(acked))
	}
	d := startDevnet(t, dir, flags...)
	checkAcked(t, d.client(t), acked, 3)
}

// checkAcked reads every acknowledged object back, and checks that a
// listing shows only whole objects: acknowledged ones with their size, or
// unacknowledged ones that read back whole.
func checkAcked(t *testing.T, c *s3.Client, acked map[string][]byte, round int) {
	t.Helper()
	ctx := context.Background()
	for k, v := range acked {
		got, err := tryGet(ctx, c, "crash", k)
		if err != nil || !bytes.Equal(got, v) {
			t.Fatalf("after crash %d: acknowledged %s reads back %d bytes of %d, %v", round, k, len(got), len(v), err)
		}
	}
	for k, size := range listKeys(t, c, "crash", "") {
		if v, ok := acked[k]; ok {
			if int64(len(v)) != size {
				t.Errorf("after crash %d: %s listed with %d bytes, %d acknowledged", round, k, size, len(v))
			}
			continue
		}
		// Committed but its answer lost in the crash: it must be whole.
		got, err := tryGet(ctx, c, "crash", k)
		if err != nil || int64(len(got)) != size {
			t.Errorf("after crash %d: unacknowledged %s listed with %d bytes reads %d, %v", round, k, size, len(got), err)
		}
	}
}
