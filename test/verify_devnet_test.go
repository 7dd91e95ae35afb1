package test

// The verification layer on the devnet: real Keepers challenge real
// Providers every epoch over libp2p, gossip signed attestations, and
// certify on the simulated chain; honest Providers are paid, a Provider
// that lost its data is slashed and its Users refunded — with one of the
// four Keepers byzantine (it signs the opposite of every verdict).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/ethereum/go-ethereum/common"

	"github.com/mefs-project/mefs/backend/node"
	"github.com/mefs-project/mefs/chain"
)

func TestKeepersCertifyAndSlash(t *testing.T) {
	const bad = 5 // this Provider's prover loses every sampled chunk
	admin := freeAddr(t)
	d := startDevnet(t, os.Getenv("MEFS_TEST_DEVNET_DIR"), "--providers", "6", "--keepers", "4", "--ec", "4+2", "--epoch", "6s", "--admin", admin,
		"--order-interval", "1s", "--test-prover-faults", strconv.Itoa(bad)+":drop=1", "--test-lying-keepers", "0")
	info := readDevnetChainInfo(t, d)
	s3c := d.client(t)
	mustCreateBucket(t, s3c, "proven")
	objs := map[string][]byte{}
	for i := range 12 {
		k := fmt.Sprintf("obj-%02d", i)
		objs[k] = randBytes(256<<10 + i*97<<10)
		putBytes(t, s3c, "proven", k, objs[k])
	}

	c := readOnlyClient(t, info.RPC, info.Contracts)
	ctx := context.Background()
	provs := make([]common.Address, len(info.Providers))
	for i, p := range info.Providers {
		provs[i] = common.HexToAddress(p.Account)
	}
	user := common.HexToAddress(info.User.Account)
	pledge0, err := c.Info(ctx, provs[bad])
	if err != nil {
		t.Fatal(err)
	}

	// Wait for: a passing certificate and a claim for an honest Provider,
	// a failing certificate for the bad one, and the User's refund.
	var passed, claimed, failed, refunded bool
	var events []chain.SettlementEvent
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) && !(passed && claimed && failed && refunded) {
		time.Sleep(time.Second)
		head, err := c.BlockNumber(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if events, err = c.SettlementEvents(ctx, 0, head); err != nil {
			t.Fatal(err)
		}
		passed, claimed, failed, refunded = false, false, false, false
		for _, ev := range events {
			switch {
			case ev.Kind == "certified" && ev.Pass && ev.Provider != provs[bad]:
				passed = true
			case ev.Kind == "claimed" && ev.Provider != provs[bad]:
				claimed = true
			case ev.Kind == "failed" && ev.Provider == provs[bad]:
				failed = true
			case ev.Kind == "refunded" && ev.Account == user:
				refunded = true
			}
		}
	}
	if !(passed && claimed && failed && refunded) {
		t.Fatalf("after 2 min: passing certificate %v, claim %v, failing certificate %v, refund %v; events: %+v", passed, claimed, failed, refunded, events)
	}

	// No honest Provider was ever failed, and the bad one was never paid.
	certified := map[common.Address]int{}
	for _, ev := range events {
		if ev.Kind == "failed" && ev.Provider != provs[bad] {
			t.Errorf("honest provider %s failed epoch %d", ev.Provider, ev.Epoch)
		}
		if (ev.Kind == "claimed" || ev.Kind == "certified" && ev.Pass) && ev.Provider == provs[bad] {
			t.Errorf("provider %d that lost its data: %s event at epoch %d", bad, ev.Kind, ev.Epoch)
		}
		if ev.Kind == "certified" {
			certified[ev.Provider]++
			if ev.Signers < 3 {
				t.Errorf("certificate of %s at %d with %d signers, quorum of 4 is 3", ev.Provider, ev.Epoch, ev.Signers)
			}
		}
	}
	t.Logf("certificates per provider: %v", certified)

	checkVerificationStatus(t, "http://"+admin, bad)

	st, err := c.ProviderStatus(ctx, provs[bad])
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != chain.StatusFailing && st.Status != chain.StatusLowPledge {
		t.Errorf("slashed provider status %d, want failing or low pledge", st.Status)
	}
	if st.Pledge == nil || st.Pledge.Cmp(pledge0.Pledge) >= 0 {
		t.Errorf("slashed provider pledge %v, was %v", st.Pledge, pledge0.Pledge)
	}
	// The gateway reads the failed standing and places no new chunks on the
	// slashed Provider.
	badDir := filepath.Join(d.Dir, "providers", strconv.Itoa(bad), "chunks")
	time.Sleep(3 * time.Second) // a few settler rounds (--order-interval 1s)
	before := countFiles(t, badDir)
	for i := range 6 {
		k := fmt.Sprintf("after-%02d", i)
		objs[k] = randBytes(300 << 10)
		putBytes(t, s3c, "proven", k, objs[k])
	}
	if after := countFiles(t, badDir); after > before {
		t.Errorf("slashed provider took %d new chunk files after its failure", after-before)
	}
	// Objects on honest Providers only carry the epoch up to which all
	// their holders were proven on chain.
	checkProvenEpoch(t, s3c, "proven", "after-00", 45*time.Second)
	// Every object still reads back: the bad Provider's chunks are within
	// the code's redundancy.
	for k, v := range objs {
		got, err := tryGet(ctx, s3c, "proven", k)
		if err != nil || !bytes.Equal(got, v) {
			t.Errorf("read back %s: %d bytes, %v", k, len(got), err)
		}
	}
}

// checkProvenEpoch waits until HEAD of bucket/key carries
// x-mefs-proven-epoch, a positive epoch number.
func checkProvenEpoch(t *testing.T, c *s3.Client, bucket, key string, wait time.Duration) {
	t.Helper()
	deadline := time.Now().Add(wait)
	var got string
	for time.Now().Before(deadline) {
		out, err := c.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: &bucket, Key: &key})
		if err != nil {
			t.Fatalf("HEAD %s: %v", key, err)
		}
		if raw, ok := awsmiddleware.GetRawResponse(out.ResultMetadata).(*smithyhttp.Response); ok {
			got = raw.Header.Get("x-mefs-proven-epoch")
		}
		if e, err := strconv.ParseUint(got, 10, 64); err == nil && e > 0 {
			return
		}
		time.Sleep(time.Second)
	}
	t.Errorf("HEAD %s: x-mefs-proven-epoch %q after %s, want an epoch", key, got, wait)
}

// countFiles counts the regular files under dir.
func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(_ string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			n++
		}
		return err
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return n
}

// checkVerificationStatus reads `mefs status --json`: the Keepers counted
// their verdicts, the honest Providers show passed or claimed epochs and
// income, the bad one its failed epoch and standing.
func checkVerificationStatus(t *testing.T, admin string, bad int) {
	t.Helper()
	out, err := exec.Command(mefsBin, "status", "--admin", admin, "--json").Output()
	if err != nil {
		t.Fatalf("mefs status --json: %v", err)
	}
	var st node.Status
	if err := json.Unmarshal(out, &st); err != nil {
		t.Fatalf("decode status: %v", err)
	}
	var verdicts int64
	for _, k := range st.Keepers {
		if k.Attested != nil {
			verdicts += k.Attested.Passed + k.Attested.Failed
		}
	}
	if len(st.Keepers) != 4 || verdicts == 0 {
		t.Errorf("status: %d keepers, %d verdicts counted", len(st.Keepers), verdicts)
	}
	if len(st.Providers) != 6 {
		t.Fatalf("status lists %d providers", len(st.Providers))
	}
	results := func(n node.NodeStatus) string {
		var rs []string
		for _, e := range n.Epochs {
			rs = append(rs, e.Result)
		}
		return strings.Join(rs, ",")
	}
	if r := results(st.Providers[bad]); !strings.Contains(r, "failed") || st.Providers[bad].Standing == "ok" {
		t.Errorf("bad provider status: standing %q, epochs %s", st.Providers[bad].Standing, r)
	}
	// A claimed epoch can scroll out of the status's recent-epoch window
	// before this check runs; the claimed income stays, and the window
	// still shows the Provider's later epochs passing or claimed.
	paid := 0
	for i, p := range st.Providers {
		r := results(p)
		if i != bad && (strings.Contains(r, "claimed") || strings.Contains(r, "passed")) && p.Claimed != "" && p.Claimed != "0" {
			paid++
		}
	}
	if paid == 0 {
		t.Errorf("no honest provider shows a passed or claimed epoch and claimed income in status: %+v", st.Providers)
	}
}
