package test

// The harness builds the mefs binary once per test run and starts it as real
// processes: a devnet, or separate Providers and a gateway.

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// mefsBin is the binary under test, built by TestMain.
var mefsBin string

func TestMain(m *testing.M) {
	os.Unsetenv("AWS_CA_BUNDLE") // breaks LoadDefaultConfig with a custom client
	dir, err := os.MkdirTemp("", "mefs-test-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	mefsBin = filepath.Join(dir, "mefs")
	build := exec.Command("go", "build", "-o", mefsBin, "../cmd/mefs")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build mefs:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// proc is a running mefs process.
type proc struct {
	cmd     *exec.Cmd
	log     string
	exited  chan struct{} // closed once the process has exited and been reaped
	waitErr error         // its exit status, once exited is closed
}

// wait waits for the process to exit and returns its exit status.
func (p *proc) wait() error {
	<-p.exited
	return p.waitErr
}

// hasExited reports whether the process has exited.
func (p *proc) hasExited() bool {
	select {
	case <-p.exited:
		return true
	default:
		return false
	}
}

// start runs mefs with args, logging to DIR/<name>.log, and stops it (SIGTERM,
// then SIGKILL) when the test ends.
func start(t testing.TB, logDir, name string, env []string, args ...string) *proc {
	t.Helper()
	logPath := filepath.Join(logDir, name+".log")
	f, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(mefsBin, args...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.Env = append(os.Environ(), env...)
	if err := cmd.Start(); err != nil {
		t.Fatalf("start mefs %v: %v", args, err)
	}
	p := &proc{cmd: cmd, log: logPath, exited: make(chan struct{})}
	go func() {
		p.waitErr = cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		p.stop()
		f.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			if len(b) > 8000 {
				b = b[len(b)-8000:]
			}
			t.Logf("--- %s log (tail) ---\n%s", name, b)
		}
	})
	return p
}

func (p *proc) stop() {
	if p.hasExited() {
		return
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(15 * time.Second):
		p.cmd.Process.Kill()
		<-p.exited
	}
}

// kill SIGKILLs the process.
func (p *proc) kill() {
	p.cmd.Process.Kill()
	<-p.exited
}

// peakRSS returns the process's peak resident set size in bytes.
func (p *proc) peakRSS() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return -1
}

// waitFile waits for path to exist and decodes it as JSON into v.
func waitFile(t testing.TB, p *proc, path string, v any) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(path); err == nil {
			if err := json.Unmarshal(b, v); err != nil {
				t.Fatalf("decode %s: %v", path, err)
			}
			return
		}
		if p.hasExited() {
			t.Fatalf("mefs exited before writing %s: %v", path, p.waitErr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", path)
}

// freeAddr returns a loopback TCP address that was free a moment ago.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// devnet is a running `mefs devnet`.
type devnet struct {
	Dir       string
	Endpoint  string
	AccessKey string
	SecretKey string
	Proc      *proc
}

// devnetJSON mirrors DIR/devnet.json.
type devnetJSON struct {
	S3        string `json:"s3"`
	AccessKey string `json:"access_key"`
	SecretKey string `json:"secret_key"`
	Providers []struct {
		PeerID string   `json:"peer_id"`
		Addrs  []string `json:"addrs"`
	} `json:"providers"`
}

// startDevnet starts `mefs devnet` in dir (a new temporary one if "") with
// extra flags.
func startDevnet(t testing.TB, dir string, flags ...string) *devnet {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
		if keep := os.Getenv("MEFS_TEST_KEEP_DIR"); keep != "" {
			// Debugging: keep the devnet's folder (and log) after the test.
			dir = filepath.Join(keep, strings.ReplaceAll(t.Name(), "/", "_"))
			if err := os.MkdirAll(dir, 0o700); err != nil {
				t.Fatal(err)
			}
		}
	}
	os.Remove(filepath.Join(dir, "devnet.json"))
	var p *proc
	for try := 0; ; try++ {
		args := append([]string{"devnet", "--dir", dir, "--s3", freeAddr(t)}, flags...)
		p = start(t, dir, "devnet", nil, args...)
		// The free address may be taken by one of the devnet's own libp2p
		// hosts before its S3 listener binds it: try another.
		if try < 3 && lostAddressRace(p, filepath.Join(dir, "devnet.json")) {
			t.Logf("devnet's S3 address was taken meanwhile; starting again")
			continue
		}
		break
	}
	var info devnetJSON
	waitFile(t, p, filepath.Join(dir, "devnet.json"), &info)
	return &devnet{Dir: dir, Endpoint: info.S3, AccessKey: info.AccessKey, SecretKey: info.SecretKey, Proc: p}
}

// lostAddressRace waits until p writes path or exits, and reports whether it
// exited because an address it was to listen on was in use.
func lostAddressRace(p *proc, path string) bool {
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			return false
		}
		if p.hasExited() {
			b, _ := os.ReadFile(p.log)
			return strings.Contains(string(b), "address already in use")
		}
	}
	return false
}

// s3Client returns an aws-sdk-go-v2 client with the SDK's default settings
// (checksums included) pointed at endpoint.
func s3Client(t testing.TB, endpoint, ak, sk string) *s3.Client {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithRegion("us-east-1"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(ak, sk, "")),
	)
	if err != nil {
		t.Fatal(err)
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.UsePathStyle = true
	})
}

func (d *devnet) client(t testing.TB) *s3.Client {
	return s3Client(t, d.Endpoint, d.AccessKey, d.SecretKey)
}

// cluster is Providers and a gateway run as separate processes.
type cluster struct {
	Dir       string
	Endpoint  string
	AccessKey string
	SecretKey string
	Providers []*proc
	Gateway   *proc
	// gatewayArgs start the gateway; gateways counts its starts.
	gatewayArgs []string
	gateways    int
}

// startCluster starts n `mefs provider` processes and a `mefs gateway` that
// reaches them through their multiaddrs.
func startCluster(t testing.TB, n int, ec string, gatewayFlags ...string) *cluster {
	t.Helper()
	c := &cluster{Dir: t.TempDir(), AccessKey: "clusterkey", SecretKey: "clustersecret0123456789"}
	var addrs []string
	for i := range n {
		pdir := filepath.Join(c.Dir, "provider"+strconv.Itoa(i))
		os.MkdirAll(pdir, 0o700)
		p := start(t, c.Dir, "provider"+strconv.Itoa(i), nil, "provider", "--dir", pdir)
		var info struct {
			Addrs []string `json:"addrs"`
		}
		waitFile(t, p, filepath.Join(pdir, "provider.json"), &info)
		addrs = append(addrs, info.Addrs...)
		c.Providers = append(c.Providers, p)
	}
	addr := freeAddr(t)
	c.gatewayArgs = append([]string{"gateway", "--dir", filepath.Join(c.Dir, "gateway"), "--s3", addr, "--ec", ec, "--providers", strings.Join(addrs, ",")}, gatewayFlags...)
	c.Endpoint = "http://" + addr
	c.startGateway(t)
	return c
}

// startGateway starts c's gateway (again, once the last one has exited) on
// the same folder, address, Providers and flags.
func (c *cluster) startGateway(t testing.TB) {
	t.Helper()
	name := "gateway"
	if c.gateways++; c.gateways > 1 {
		name += "-" + strconv.Itoa(c.gateways)
	}
	c.Gateway = start(t, c.Dir, name, []string{"MEFS_ACCESS_KEY=" + c.AccessKey, "MEFS_SECRET_KEY=" + c.SecretKey}, c.gatewayArgs...)
	waitListening(t, c.Gateway, strings.TrimPrefix(c.Endpoint, "http://"))
}

// waitListening waits until addr accepts TCP connections.
func waitListening(t testing.TB, p *proc, addr string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		if p.hasExited() {
			t.Fatalf("mefs exited before listening on %s: %v", addr, p.waitErr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", addr)
}

func (c *cluster) client(t testing.TB) *s3.Client {
	return s3Client(t, c.Endpoint, c.AccessKey, c.SecretKey)
}
