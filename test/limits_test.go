package test

// The gateway's limits for the open internet (docs/limits.md), over real
// TCP connections to a devnet: malformed and hostile requests are written
// by hand with net.Dial.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// rawReq is a request written by hand on its own connection.
type rawReq struct {
	t    testing.TB
	conn net.Conn
	br   *bufio.Reader
}

// dialRaw connects to d's S3 endpoint.
func dialRaw(t testing.TB, d *devnet) *rawReq {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(d.Endpoint, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &rawReq{t: t, conn: conn, br: bufio.NewReader(conn)}
}

// signedHead is the head of a request signed by d's root key with an
// unsigned payload of contentLength bytes, as sent on the wire (negative:
// no Content-Length header at all).
func signedHead(t testing.TB, d *devnet, method, path string, contentLength int64) []byte {
	t.Helper()
	req, err := http.NewRequest(method, d.Endpoint+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = contentLength
	req.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	if err := scSigner(req, d.AccessKey, d.SecretKey, "UNSIGNED-PAYLOAD"); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", method, req.URL.RequestURI(), req.URL.Host)
	req.Header.Write(&b)
	if contentLength >= 0 {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", contentLength)
	}
	b.WriteString("\r\n")
	return b.Bytes()
}

func (r *rawReq) write(b []byte) {
	r.t.Helper()
	if _, err := r.conn.Write(b); err != nil {
		r.t.Fatalf("write: %v", err)
	}
}

// response reads the response, waiting at most wait; it returns the
// status, the S3 error code and how long it waited.
func (r *rawReq) response(wait time.Duration) (int, string, time.Duration) {
	r.t.Helper()
	start := time.Now()
	r.conn.SetReadDeadline(start.Add(wait))
	resp, err := http.ReadResponse(r.br, nil)
	if err != nil {
		r.t.Fatalf("read response after %v: %v", time.Since(start), err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, scErrorCode(body), time.Since(start)
}

// wantRaw fails unless the response is status with code.
func (r *rawReq) wantRaw(what string, wait time.Duration, status int, code string) time.Duration {
	r.t.Helper()
	got, gotCode, took := r.response(wait)
	if got != status || gotCode != code {
		r.t.Fatalf("%s: %d %s, want %d %s", what, got, gotCode, status, code)
	}
	return took
}

// limitsDevnet is a devnet with timeouts short enough for tests.
func limitsDevnet(t *testing.T, flags ...string) (*devnet, *s3.Client) {
	t.Helper()
	d := startDevnet(t, "", append([]string{"--body-timeout", "1s", "--header-timeout", "2s", "--idle-timeout", "2s"}, flags...)...)
	c := s3Client(t, d.Endpoint, d.AccessKey, d.SecretKey)
	mustCreateBucket(t, c, "lim")
	return d, c
}

func TestLimits(t *testing.T) {
	d, c := limitsDevnet(t)
	t.Run("ShortBody", func(t *testing.T) { testShortBody(t, d, c) })
	t.Run("StalledBody", func(t *testing.T) { testStalledBody(t, d, c) })
	t.Run("TricklingBody", func(t *testing.T) { testTricklingBody(t, d, c) })
	t.Run("HeaderTooLarge", func(t *testing.T) { testHeaderTooLarge(t, d) })
	t.Run("InvalidUTF8", func(t *testing.T) { testInvalidUTF8(t, d) })
	t.Run("NULPrefix", func(t *testing.T) { testNULPrefix(t, c) })
	t.Run("StalledReader", func(t *testing.T) { testStalledReader(t, d, c) })
	t.Run("Slowloris", func(t *testing.T) { testSlowloris(t, d, c) })
}

// testStalledReader: a GET whose client stops reading is cut off after the
// body timeout (its buffers and memory reservation freed), not held.
func testStalledReader(t *testing.T, d *devnet, c *s3.Client) {
	const size = 32 << 20 // well past what the socket buffers hold (about 10 MiB)
	putBytes(t, c, "lim", "big", randBytes(size))
	conn, err := net.Dial("tcp", strings.TrimPrefix(d.Endpoint, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write(signedHead(t, d, http.MethodGet, "/lim/big", 0)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(4 * time.Second) // the body timeout is 1 s
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	n, err := io.Copy(io.Discard, conn)
	if err != nil && !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("reading the stalled GET: %v after %d bytes, want the server to have closed it", err, n)
	}
	if n >= size {
		t.Fatalf("a GET stalled for 4 s still delivered all %d bytes: no write timeout", n)
	}
	t.Logf("stalled GET cut off after %d of %d bytes", n, size)
}

// testShortBody: a body shorter than its Content-Length, ended by a half
// close, is 400 IncompleteBody, for a one-stripe and a many-stripe object,
// and nothing is stored.
func testShortBody(t *testing.T, d *devnet, c *s3.Client) {
	for _, size := range []int64{1000, 9 << 20} {
		key := fmt.Sprintf("short-%d", size)
		r := dialRaw(t, d)
		r.write(signedHead(t, d, http.MethodPut, "/lim/"+key, size))
		r.write(randBytes(int(size / 2)))
		r.conn.(*net.TCPConn).CloseWrite()
		r.wantRaw(key, 10*time.Second, 400, "IncompleteBody")
		if scExists(t, c, "lim", key) {
			t.Fatalf("%s: a truncated body was stored", key)
		}
	}
}

// testStalledBody: a body that stops arriving is 400 RequestTimeout after
// the body timeout (1 s here), and nothing is stored.
func testStalledBody(t *testing.T, d *devnet, c *s3.Client) {
	r := dialRaw(t, d)
	r.write(signedHead(t, d, http.MethodPut, "/lim/stalled", 1<<20))
	r.write(randBytes(1 << 10))
	took := r.wantRaw("stalled body", 10*time.Second, 400, "RequestTimeout")
	if took < 500*time.Millisecond || took > 5*time.Second {
		t.Fatalf("stalled body answered after %v, want about the 1 s body timeout", took)
	}
	if scExists(t, c, "lim", "stalled") {
		t.Fatal("a stalled body was stored")
	}
}

// testTricklingBody: a body that never stalls for the timeout but arrives
// far below the minimum rate (1 KiB/s) is cut off too.
func testTricklingBody(t *testing.T, d *devnet, c *s3.Client) {
	r := dialRaw(t, d)
	r.write(signedHead(t, d, http.MethodPut, "/lim/trickle", 1<<20))
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(200 * time.Millisecond):
				if _, err := r.conn.Write([]byte("0123456789")); err != nil {
					return
				}
			}
		}
	}()
	took := r.wantRaw("trickling body", 15*time.Second, 400, "RequestTimeout")
	t.Logf("trickling body (50 bytes/s) cut off after %v", took)
	if scExists(t, c, "lim", "trickle") {
		t.Fatal("a trickled body was stored")
	}
}

// testHeaderTooLarge: a header section over 8 KiB is AWS's 400
// RequestHeaderSectionTooLarge; one under it is not.
func testHeaderTooLarge(t *testing.T, d *devnet) {
	send := func(pad int) (int, string) {
		r := dialRaw(t, d)
		r.write([]byte("GET /lim HTTP/1.1\r\nHost: x\r\nX-Pad: " + strings.Repeat("a", pad) + "\r\n\r\n"))
		status, code, _ := r.response(10 * time.Second)
		return status, code
	}
	if status, code := send(9 << 10); status != 400 || code != "RequestHeaderSectionTooLarge" {
		t.Fatalf("9 KiB header: %d %s, want 400 RequestHeaderSectionTooLarge", status, code)
	}
	if _, code := send(7 << 10); code == "RequestHeaderSectionTooLarge" {
		t.Fatal("7 KiB header refused as too large")
	}
}

// testInvalidUTF8: a key, prefix or copy source that is not UTF-8 is 400
// InvalidURI, authenticated or not.
func testInvalidUTF8(t *testing.T, d *devnet) {
	for _, c := range []struct{ method, path string }{
		{http.MethodGet, "/lim/%FF%FE"},
		{http.MethodPut, "/lim/ok-prefix/%C3%28"},
		{http.MethodGet, "/lim?list-type=2&prefix=%FF"},
		{http.MethodGet, "/lim?uploads&prefix=a%80"},
		{http.MethodDelete, "/lim/%ED%A0%80"}, // a UTF-16 surrogate, not UTF-8
	} {
		r := dialRaw(t, d)
		r.write(signedHead(t, d, c.method, c.path, 0))
		r.wantRaw(c.method+" "+c.path, 10*time.Second, 400, "InvalidURI")
	}
	r := dialRaw(t, d)
	head := signedHead(t, d, http.MethodPut, "/lim/copy", 0)
	head = bytes.Replace(head, []byte("\r\n\r\n"), []byte("\r\nX-Amz-Copy-Source: /lim/%FF\r\n\r\n"), 1)
	r.write(head)
	r.wantRaw("copy from a non-UTF-8 key", 10*time.Second, 400, "InvalidURI")
}

// testNULPrefix: listings whose prefix holds NUL answer (no panic, no
// dropped connection), and list only keys with that prefix.
func testNULPrefix(t *testing.T, c *s3.Client) {
	ctx := context.Background()
	for _, key := range []string{"a", "a/b"} {
		if _, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("lim"), Key: aws.String(key)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, prefix := range []string{"a\x00", "\x00", "a\x00/"} {
		for _, delim := range []*string{nil, aws.String("/")} {
			out, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("lim"), Prefix: aws.String(prefix), Delimiter: delim})
			if err != nil {
				t.Fatalf("ListMultipartUploads prefix %q: %v", prefix, err)
			}
			if len(out.Uploads) != 0 || len(out.CommonPrefixes) != 0 {
				t.Fatalf("ListMultipartUploads prefix %q listed %d uploads, %d prefixes; want none", prefix, len(out.Uploads), len(out.CommonPrefixes))
			}
			objs, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("lim"), Prefix: aws.String(prefix), Delimiter: delim})
			if err != nil || len(objs.Contents) != 0 {
				t.Fatalf("ListObjectsV2 prefix %q: %v, %d keys", prefix, err, len(objs.Contents))
			}
		}
	}
}

// testSlowloris: hundreds of idle connections, headers trickled a byte at a
// time and bodies trickled do not stop a normal client, and the server
// closes or answers every one of them within its timeouts.
func testSlowloris(t *testing.T, d *devnet, c *s3.Client) {
	const each = 100
	var conns []*rawReq
	for range each {
		conns = append(conns, dialRaw(t, d)) // idle: never sends a byte
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	trickle := func(r *rawReq, first []byte, b byte) {
		r.write(first)
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				case <-time.After(300 * time.Millisecond):
					if _, err := r.conn.Write([]byte{b}); err != nil {
						return
					}
				}
			}
		})
	}
	var headers, bodies []*rawReq
	for i := range each {
		h := dialRaw(t, d)
		trickle(h, []byte("GET /lim HTTP/1.1\r\nHost: x\r\nX-Slow: "), 'a')
		headers = append(headers, h)
		b := dialRaw(t, d)
		trickle(b, signedHead(t, d, http.MethodPut, fmt.Sprintf("/lim/loris-%d", i), 1<<20), 'b')
		bodies = append(bodies, b)
	}
	defer func() { close(stop); wg.Wait() }()
	start := time.Now()
	data := randBytes(1 << 20)
	putBytes(t, c, "lim", "normal", data)
	got, err := tryGet(context.Background(), c, "lim", "normal")
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("normal client under slowloris: %d bytes, %v", len(got), err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Fatalf("normal PUT+GET of 1 MiB took %v under slowloris", took)
	}
	t.Logf("normal 1 MiB PUT+GET beside %d hostile connections: %v", 3*each, time.Since(start))
	// Trickled bodies are answered 400 RequestTimeout (minimum rate), idle
	// connections and trickled headers closed (header timeout, 2 s here).
	for _, b := range bodies {
		b.wantRaw("trickled body", 15*time.Second, 400, "RequestTimeout")
	}
	for _, r := range append(conns, headers...) {
		r.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		if n, err := io.Copy(io.Discard, r.conn); err != nil && !errors.Is(err, syscall.ECONNRESET) {
			t.Fatalf("hostile connection not closed by the server: read %d bytes, %v", n, err)
		}
	}
}

// TestLimitsBudgetAndRate: with an 8 MiB memory budget, a PUT whose buffers
// do not fit waits, then gets 503 SlowDown, while one that fits runs; with
// --rate-limit 5, a key past 5 requests/s gets 503 SlowDown and another key
// does not.
func TestLimitsBudgetAndRate(t *testing.T) {
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys.json")
	if err := os.WriteFile(keys, []byte(`[{"access_key":"otherkey","secret_key":"othersecret0123456789"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	admin := freeAddr(t)
	d := startDevnet(t, "", "--memory-budget", "8MiB", "--body-timeout", "5s", "--rate-limit", "5", "--keys", keys, "--admin", admin)
	noRetry := func(o *s3.Options) { o.Retryer = aws.NopRetryer{} }
	c := scClient(t, d.Endpoint, d.AccessKey, d.SecretKey, nil, noRetry)
	mustCreateBucket(t, c, "budget")
	ctx := context.Background()
	put := func(key string, size int) error {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("budget"), Key: aws.String(key), Body: bytes.NewReader(randBytes(size))})
		return err
	}

	// A 3 MiB PUT reads its body into its 4.5 MiB of chunks (4+2): 4.5 of
	// the 8 MiB, so a second one does not fit. It stalls, holding them until
	// the body timeout.
	stalled := dialRaw(t, d)
	stalled.write(signedHead(t, d, http.MethodPut, "/budget/stalled", 3<<20))
	stalled.write(randBytes(1 << 10))
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	scWantErr(t, "second 3 MiB PUT past the budget", put("second", 3<<20), "SlowDown", 503)
	if waited := time.Since(start); waited < time.Second {
		t.Fatalf("PUT past the budget refused after %v, want a brief wait first", waited)
	}
	if err := put("small", 1<<10); err != nil {
		t.Fatalf("1 KiB PUT within the budget: %v", err)
	}
	stalled.wantRaw("stalled PUT", 10*time.Second, 400, "RequestTimeout")
	if err := put("second", 3<<20); err != nil {
		t.Fatalf("3 MiB PUT once the budget is free: %v", err)
	}
	_, _, metrics := scHTTPDo(t, nil, mustRequest(t, http.MethodGet, "http://"+admin+"/metrics"))
	for _, want := range []string{"mefs_s3_memory_budget_bytes 8.388608e+06", "mefs_s3_memory_reserved_bytes 0", "mefs_s3_memory_refused_total 1"} {
		if !strings.Contains(string(metrics), want+"\n") {
			t.Fatalf("/metrics lacks %q", want)
		}
	}

	time.Sleep(1500 * time.Millisecond) // the key's bucket fills again
	ok, slow := 0, 0
	start = time.Now()
	for range 20 {
		_, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("budget")})
		switch {
		case err == nil:
			ok++
		case scStatus(err) == 503:
			slow++
		default:
			t.Fatalf("HeadBucket: %v", err)
		}
	}
	if max := 5 + int(5*time.Since(start).Seconds()) + 1; ok < 5 || ok > max || slow == 0 {
		t.Fatalf("20 requests at once with --rate-limit 5: %d admitted (want 5..%d), %d SlowDown", ok, max, slow)
	}
	other := scClient(t, d.Endpoint, "otherkey", "othersecret0123456789", nil, noRetry)
	if _, err := other.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("budget")}); scStatus(err) == 503 {
		t.Fatalf("another key was rate limited with the first: %v", err)
	}
	t.Logf("rate limit 5/s: %d of 20 admitted, %d SlowDown", ok, slow)
}

func mustRequest(t testing.TB, method, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}
