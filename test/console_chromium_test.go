package test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/chromedp/chromedp"

	"github.com/mefs-project/mefs/backend/node"
)

// artifactDir is where the console screenshot is kept (the README shows it).
const artifactDir = "artifacts"

func TestConsoleChromium(t *testing.T) {
	d, info := consoleDevnet(t, freeAddr(t))
	ctx, errs := browser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(info.Admin+"/console/"), chromedp.Evaluate[chromedp.Void](`window.__notReloaded = true; null`)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "4 Providers and 2 Keepers listed",
		`document.querySelectorAll("#providers tbody tr").length === 4 && document.querySelectorAll("#keepers tbody tr").length === 2`)
	for _, id := range append(providerIDs(info.Providers), info.Keepers[0].PeerID, info.Keepers[1].PeerID) {
		waitJS(t, ctx, "peer "+id+" on the page", fmt.Sprintf(`document.body.innerText.includes(%q)`, id))
	}

	c := d.client(t)
	bg := context.Background()
	if _, err := c.CreateBucket(bg, &s3.CreateBucketInput{Bucket: aws.String("console-bucket")}); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the bucket made through S3", `document.querySelector("#buckets").innerText.includes("console-bucket")`)

	before, err := chromedp.Run(ctx, chromedp.Text("#s3-requests"))
	if err != nil {
		t.Fatal(err)
	}
	n0, err := strconv.Atoi(before)
	if err != nil {
		t.Fatalf("request counter %q: %v", before, err)
	}
	for i := range 20 {
		putBytes(t, c, "console-bucket", "k"+strconv.Itoa(i), bytes.Repeat([]byte{byte(i)}, 64<<10))
	}
	waitJS(t, ctx, "the request counter to count 20 more PUTs",
		fmt.Sprintf(`Number(document.querySelector("#s3-requests").textContent) >= %d`, n0+20))
	waitJS(t, ctx, "no reload", `window.__notReloaded === true`)

	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(artifactDir, 0o755); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(artifactDir, "console.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", shot, len(png))
	if e := errs(); len(e) > 0 {
		t.Fatalf("console errors: %v", e)
	}
}

func providerIDs(ps []node.ProviderInfo) []string {
	var ids []string
	for _, p := range ps {
		ids = append(ids, p.PeerID)
	}
	return ids
}

// TestConsoleLoginOffLoopback listens on 0.0.0.0: the console sends the
// browser to the login page, refuses wrong credentials, and shows the
// network after a login with the root S3 credentials.
func TestConsoleLoginOffLoopback(t *testing.T) {
	_, port, _ := net.SplitHostPort(freeAddr(t))
	d, _ := consoleDevnet(t, "0.0.0.0:"+port)
	base := "http://127.0.0.1:" + port
	ctx, errs := browser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/console/")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the login page", `location.pathname === "/console/login.html"`)
	code, err := chromedp.Run(ctx, chromedp.Evaluate[int](`fetch("/console/api/status").then(r => r.status)`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if code != 401 {
		t.Fatalf("status before login = %d, want 401", code)
	}
	login := func(name, secret string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.SetValue(`input[name="name"]`, name), chromedp.SetValue(`input[name="secret"]`, secret),
			chromedp.Submit(`form`)); err != nil {
			t.Fatal(err)
		}
	}
	login(d.AccessKey, "not-the-secret")
	waitJS(t, ctx, "the refusal", `document.body.innerText.includes("wrong credentials")`)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/console/login.html")); err != nil {
		t.Fatal(err)
	}
	login(d.AccessKey, d.SecretKey)
	waitJS(t, ctx, "the network after login", `document.querySelectorAll("#providers tbody tr").length === 4`)
	if e := errs(); len(e) > 0 {
		t.Fatalf("console errors: %v", e)
	}
}
