package test

// Churn on a multi-process network: 8 Provider processes, 4+2 coding, reads
// and writes running throughout. Two Providers are SIGKILLed: every read
// stays correct, writes keep succeeding, and repair restores full
// redundancy; then two others are SIGKILLed and everything still reads —
// which it could not had the first two Providers' chunks not been re-placed.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// clusterStatus is the part of the gateway's /status the churn test reads.
type clusterStatus struct {
	User struct {
		RepairQueue     int            `json:"repair_queue"`
		StripesByChunks map[string]int `json:"stripes_by_chunks"`
		RepairedChunks  int64          `json:"repaired_chunks"`
		RepairedBytes   int64          `json:"repaired_bytes"`
		Providers       []struct {
			PeerID string `json:"peer_id"`
			Health string `json:"health"`
		} `json:"providers"`
	} `json:"user"`
}

func readClusterStatus(t *testing.T, admin string) clusterStatus {
	t.Helper()
	resp, err := http.Get("http://" + admin + "/status")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st clusterStatus
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatalf("decode /status: %v", err)
	}
	return st
}

// providerPeer reads provider i's peer id from its provider.json.
func providerPeer(t *testing.T, c *cluster, i int) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(c.Dir, "provider"+strconv.Itoa(i), "provider.json"))
	if err != nil {
		t.Fatal(err)
	}
	var info providerJSON
	if err := json.Unmarshal(b, &info); err != nil {
		t.Fatal(err)
	}
	return info.PeerID
}

func TestChurnRepairsToFullRedundancy(t *testing.T) {
	admin := freeAddr(t)
	c := startCluster(t, 8, "4+2", "--chunk-size", "256KiB", "--admin", admin, "--provider-gone-after", "15s")
	cl := c.client(t)
	mustCreateBucket(t, cl, "churn")
	var mu sync.Mutex
	objs := map[string][]byte{}
	var stored int64
	for i := range 16 {
		k := fmt.Sprintf("seed-%02d", i)
		objs[k] = randBytes(1<<20 + i*37<<10)
		putBytes(t, cl, "churn", k, objs[k])
		stored += int64(len(objs[k]))
	}

	// Load: one writer, two readers, until stopped.
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var writes, writeErrs, reads atomic.Int64
	var badRead atomic.Value
	wg.Go(func() {
		for i := 0; ctx.Err() == nil; i++ {
			k, v := fmt.Sprintf("live-%04d", i), randBytes(64<<10+i*1031%(512<<10))
			if err := tryPut(ctx, cl, "churn", k, v); err != nil {
				if ctx.Err() == nil {
					writeErrs.Add(1)
					t.Logf("write %s during churn: %v", k, err)
				}
				continue
			}
			writes.Add(1)
			mu.Lock()
			objs[k] = v
			mu.Unlock()
		}
	})
	for r := range 2 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(r), 7))
			for ctx.Err() == nil {
				mu.Lock()
				k := fmt.Sprintf("seed-%02d", rng.IntN(16))
				want := objs[k]
				mu.Unlock()
				got, err := tryGet(ctx, cl, "churn", k)
				if ctx.Err() != nil {
					return
				}
				if err != nil || !bytes.Equal(got, want) {
					badRead.Store(fmt.Sprintf("read %s: %d bytes of %d, %v", k, len(got), len(want), err))
					continue
				}
				reads.Add(1)
			}
		})
	}

	killed := time.Now()
	for _, i := range []int{1, 5} {
		c.Providers[i].kill()
	}
	dead := map[string]bool{providerPeer(t, c, 1): true, providerPeer(t, c, 5): true}
	// Full redundancy: both dead Providers are gone, nothing is left to
	// repair, and every stripe has all 6 chunks on live Providers.
	var st clusterStatus
	for deadline := time.Now().Add(3 * time.Minute); ; time.Sleep(time.Second) {
		if time.Now().After(deadline) {
			t.Fatalf("no full redundancy 3 min after two Providers died: %+v", st.User)
		}
		st = readClusterStatus(t, admin)
		gone := 0
		for _, p := range st.User.Providers {
			if dead[p.PeerID] && p.Health == "gone" {
				gone++
			}
		}
		full := len(st.User.StripesByChunks) == 1 && st.User.StripesByChunks["6"] > 0
		if gone == 2 && st.User.RepairQueue == 0 && st.User.RepairedChunks > 0 && full {
			break
		}
	}
	took := time.Since(killed)
	stop()
	wg.Wait()
	if v := badRead.Load(); v != nil {
		t.Fatalf("a read during churn failed: %v", v)
	}
	if writes.Load() == 0 || writeErrs.Load() > 0 {
		t.Errorf("writes during churn: %d succeeded, %d failed; want all to succeed", writes.Load(), writeErrs.Load())
	}
	t.Logf("full redundancy %v after two Providers died (15 s of it confirming they are gone): %d chunks (%d bytes) repaired; %d reads and %d writes meanwhile, none failed",
		took.Round(time.Second), st.User.RepairedChunks, st.User.RepairedBytes, reads.Load(), writes.Load())

	// Two more Providers die: with the first two's chunks re-placed, every
	// stripe has lost at most two chunks, and everything reads.
	for _, i := range []int{2, 6} {
		c.Providers[i].kill()
	}
	for k, v := range objs {
		got, err := tryGet(context.Background(), cl, "churn", k)
		if err != nil || !bytes.Equal(got, v) {
			t.Errorf("with 4 of 8 Providers dead, read %s: %d bytes of %d, %v", k, len(got), len(v), err)
		}
	}
}
