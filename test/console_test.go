package test

// The console and `mefs status` against a running devnet: `mefs status
// --json` matches the devnet's layout; headless Chromium (Debian's chromium)
// loads the console without console errors, lists every Provider and
// Keeper, shows a bucket made through S3 and follows S3 traffic without a
// reload; off loopback the console asks for a login first.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/mefs-project/mefs/backend/node"
)

// consoleDevnet starts a devnet of 4 Providers, 2 Keepers and EC 2+2 with
// its admin listener on adminAddr, and returns it with its devnet.json.
func consoleDevnet(t *testing.T, adminAddr string) (*devnet, node.DevnetInfo) {
	t.Helper()
	d := startDevnet(t, "", "--providers", "4", "--keepers", "2", "--ec", "2+2", "--admin", adminAddr)
	var info node.DevnetInfo
	raw, err := os.ReadFile(filepath.Join(d.Dir, "devnet.json"))
	if err == nil {
		err = json.Unmarshal(raw, &info)
	}
	if err != nil || info.Admin == "" {
		t.Fatalf("devnet.json: %v (admin %q)", err, info.Admin)
	}
	return d, info
}

func TestStatusJSONMatchesDevnet(t *testing.T) {
	d, info := consoleDevnet(t, freeAddr(t))
	c := d.client(t)
	if _, err := c.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("status-bucket")}); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(mefsBin, "status", "--admin", info.Admin, "--json").Output()
	if err != nil {
		t.Fatalf("mefs status --json: %v", err)
	}
	var st node.Status
	if err := json.Unmarshal(out, &st); err != nil {
		t.Fatalf("decode %q: %v", out, err)
	}
	if len(st.Providers) != 4 || len(st.Keepers) != 2 || st.User == nil || st.User.EC != "2+2" || len(st.User.Providers) != 4 {
		t.Fatalf("status does not match the devnet (4 Providers, 2 Keepers, 2+2): %s", out)
	}
	for i, p := range info.Providers {
		if st.Providers[i].PeerID != p.PeerID {
			t.Errorf("provider %d: status %s, devnet.json %s", i, st.Providers[i].PeerID, p.PeerID)
		}
	}
	if len(st.Buckets) != 1 || st.Buckets[0].Name != "status-bucket" {
		t.Errorf("buckets = %+v, want status-bucket", st.Buckets)
	}
	checkRoleMetrics(t, d, info)
	table, err := exec.Command(mefsBin, "status", "--admin", info.Admin).Output()
	if err != nil || !strings.Contains(string(table), "KEEPER") || !strings.Contains(string(table), info.Keepers[0].PeerID) {
		t.Fatalf("mefs status tables: %v\n%s", err, table)
	}
}

// chromiumPath finds Debian's chromium, installing it with apt-get when it
// is missing and we are root.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Geteuid() != 0 {
		t.Skip("chromium missing and not root to apt-get it: run scripts/install-test-deps.sh")
	}
	cmd := exec.Command("apt-get", "install", "-y", "-qq", "chromium")
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("apt-get install chromium: %v\n%s", err, out)
	}
	p, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// browser starts headless Chromium and collects the page's console errors
// and uncaught exceptions.
func browser(t *testing.T) (context.Context, func() []string) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU, chromedp.WindowSize(1280, 1100))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	var mu sync.Mutex
	var errs []string
	ctx, cancelB := chromedp.NewContext(actx, chromedp.WithListener(func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				errs = append(errs, fmt.Sprintf("console.error %v", ev.Args))
			}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			errs = append(errs, fmt.Sprintf("exception %s at %s:%d", d.Text, d.URL, d.LineNumber))
		}
	}))
	ctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelT(); cancelB(); cancelA() })
	return ctx, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), errs...) }
}

// waitJS polls a JavaScript boolean expression until it holds.
func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`)) // for the message only
			t.Fatalf("timed out waiting for %s; page:\n%s", what, body)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// checkRoleMetrics PUTs an object and reads /metrics: every Provider's
// chunks gauge, every Keeper's certificate counter and the S3 bytes counter
// are there; the bytes counter saw at least the object's body, the
// Providers its chunk puts, the chain clients their transactions.
func checkRoleMetrics(t *testing.T, d *devnet, info node.DevnetInfo) {
	t.Helper()
	const size = 100 << 10
	putBytes(t, d.client(t), "status-bucket", "obj", make([]byte, size))
	resp, err := http.Get(info.Admin + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	text := string(body)
	for _, p := range info.Providers {
		if !strings.Contains(text, `mefs_provider_chunks{peer="`+p.PeerID+`"}`) {
			t.Errorf("no mefs_provider_chunks for %s", p.PeerID)
		}
	}
	for _, k := range info.Keepers {
		if !strings.Contains(text, `mefs_keeper_certificates_total{peer="`+k.PeerID+`"}`) {
			t.Errorf("no mefs_keeper_certificates_total for %s", k.PeerID)
		}
	}
	var in, puts, mined float64
	for _, line := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(line, `mefs_s3_bytes_total{direction="in"} `); ok {
			in, _ = strconv.ParseFloat(v, 64)
		}
		if strings.HasPrefix(line, "mefs_provider_requests_total{") && strings.Contains(line, `op="put"`) {
			f := strings.Fields(line)
			v, _ := strconv.ParseFloat(f[len(f)-1], 64)
			puts += v
		}
		if strings.HasPrefix(line, "mefs_chain_transactions_total{") && strings.Contains(line, `outcome="mined"`) {
			f := strings.Fields(line)
			v, _ := strconv.ParseFloat(f[len(f)-1], 64)
			mined += v
		}
	}
	if puts < float64(len(info.Providers)) || mined < 1 { // this devnet's stripes span every Provider
		t.Errorf("role metrics: %v chunk puts on Providers, %v mined transactions; want the PUT's %d chunks and the registrations", puts, mined, len(info.Providers))
	}
	if in < size {
		t.Errorf("mefs_s3_bytes_total in = %v after a %d-byte PUT", in, size)
	}
}
