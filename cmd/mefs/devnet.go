package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// devnetInfo is written to DIR/devnet.json for tools and tests.
type devnetInfo struct {
	S3        string         `json:"s3"`
	Admin     string         `json:"admin,omitempty"`
	AccessKey string         `json:"access_key"`
	SecretKey string         `json:"secret_key"`
	EC        string         `json:"ec"`
	Gateway   string         `json:"gateway_peer_id"`
	Providers []providerInfo `json:"providers"`
}

func runDevnet(args []string) error {
	fs := flag.NewFlagSet("devnet", flag.ExitOnError)
	dir := fs.String("dir", "mefs-devnet", "folder for all of the devnet's state; reused on restart")
	var s3 s3Flags
	s3.register(fs)
	n := fs.Int("providers", 6, "number of Providers")
	ec := fs.String("ec", "4+2", "erasure code k+m")
	chunk := fs.String("chunk-size", "1MiB", "chunk size of a full stripe")
	level := fs.String("log-level", "info", "log level: debug, info, warn, error")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	log := newLogger(*level)
	k, m, err := parseEC(*ec)
	if err != nil {
		return err
	}
	if *n < k+m {
		return fmt.Errorf("%d providers cannot hold %s stripes: need at least %d", *n, *ec, k+m)
	}
	cs, err := parseSize(*chunk)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*dir, 0o700); err != nil {
		return fmt.Errorf("create devnet folder: %w", err)
	}
	info := devnetInfo{EC: *ec}
	var addrs []string
	for i := range *n {
		pdir := filepath.Join(*dir, "providers", strconv.Itoa(i))
		if err := os.MkdirAll(pdir, 0o700); err != nil {
			return fmt.Errorf("create provider folder: %w", err)
		}
		p, err := startProvider(pdir, []string{"/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"}, log)
		if err != nil {
			return fmt.Errorf("start provider %d: %w", i, err)
		}
		defer p.Close()
		pi := providerInfo{PeerID: p.Host.ID().String()}
		for _, a := range p.Host.Addrs() {
			pi.Addrs = append(pi.Addrs, a.String()+"/p2p/"+pi.PeerID)
		}
		info.Providers = append(info.Providers, pi)
		addrs = append(addrs, pi.Addrs...)
	}
	creds, created, err := loadCredentials(filepath.Join(*dir, "credentials.json"))
	if err != nil {
		return err
	}
	g, err := startGateway(gatewayConfig{Dir: filepath.Join(*dir, "gateway"), S3: s3, Providers: addrs,
		K: k, M: m, ChunkSize: cs, Creds: creds, Log: log})
	if err != nil {
		return err
	}
	defer g.Close()
	info.S3 = s3.scheme() + "://" + g.Addr
	info.AccessKey, info.SecretKey = creds.AccessKey, creds.SecretKey
	info.Gateway = g.Host.ID().String()
	info.Admin = g.adminAddr()
	b, _ := json.MarshalIndent(info, "", "  ")
	if err := os.WriteFile(filepath.Join(*dir, "devnet.json"), b, 0o600); err != nil {
		return fmt.Errorf("write devnet.json: %w", err)
	}
	log.Info("devnet ready", "s3", info.S3, "providers", *n, "ec", *ec, "dir", *dir)
	fmt.Printf("MEFS devnet is up.\n  S3 endpoint: %s\n  access key:  %s\n  secret key:  %s\n", info.S3, creds.AccessKey, creds.SecretKey)
	if created {
		fmt.Printf("  (credentials generated and saved in %s)\n", filepath.Join(*dir, "credentials.json"))
	}
	if info.Admin != "" {
		fmt.Printf("  metrics:     %s/metrics (health: /health/live, /health/ready)\n", info.Admin)
	}
	fmt.Printf("  details:     %s\nPress Ctrl-C to stop.\n", filepath.Join(*dir, "devnet.json"))
	waitForSignal()
	return nil
}
