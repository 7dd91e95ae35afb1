package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mefs-project/mefs/chain"
)

// devnetInfo is written to DIR/devnet.json for tools and tests.
type devnetInfo struct {
	S3        string          `json:"s3"`
	Admin     string          `json:"admin,omitempty"`
	AccessKey string          `json:"access_key"`
	SecretKey string          `json:"secret_key"`
	EC        string          `json:"ec"`
	RPC       string          `json:"rpc"`
	ChainID   uint64          `json:"chain_id"`
	Contracts chain.Contracts `json:"contracts"`
	User      nodeInfo        `json:"user"`
	Providers []providerInfo  `json:"providers"`
	Keepers   []nodeInfo      `json:"keepers"`
	// Gateway is kept for tools that read the gateway's peer id here.
	Gateway string `json:"gateway_peer_id"`
}

type nodeInfo struct {
	PeerID  string `json:"peer_id"`
	Account string `json:"account"`
}

func runDevnet(args []string) error {
	fs := flag.NewFlagSet("devnet", flag.ExitOnError)
	dir := fs.String("dir", "mefs-devnet", "folder for all of the devnet's state; reused on restart")
	var s3 s3Flags
	s3.register(fs)
	n := fs.Int("providers", 6, "number of Providers")
	keepers := fs.Int("keepers", 3, "number of Keepers")
	ec := fs.String("ec", "4+2", "erasure code k+m")
	chunk := fs.String("chunk-size", "1MiB", "chunk size of a full stripe")
	epoch := fs.Duration("epoch", time.Minute, "settlement epoch length")
	rpcPort := fs.Int("rpc-port", 0, "port of the chain's JSON-RPC endpoint on 127.0.0.1 (0: any free port)")
	level := fs.String("log-level", "info", "log level: debug, info, warn, error")
	var settle settleFlags
	settle.register(fs)
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
	ctx := context.Background()

	// Wallets: one keystore account per role instance, kept across restarts.
	password, _, err := loadOrCreateText(filepath.Join(*dir, "wallet-password"))
	if err != nil {
		return err
	}
	names := []string{"user"}
	for i := range *n {
		names = append(names, "provider-"+strconv.Itoa(i))
	}
	for i := range *keepers {
		names = append(names, "keeper-"+strconv.Itoa(i))
	}
	keys := map[string]*ecdsa.PrivateKey{}
	var addrs []common.Address
	for _, name := range names {
		key, err := devnetKey(filepath.Join(*dir, "wallets", name), password)
		if err != nil {
			return fmt.Errorf("wallet %s: %w", name, err)
		}
		keys[name] = key
		addrs = append(addrs, chainAddress(key))
	}

	// The chain: in-memory, contracts deployed afresh at every start.
	sim, err := chain.NewSimulated(chain.SimulatedOptions{Extra: addrs, HTTPPort: *rpcPort, Logger: log})
	if err != nil {
		return fmt.Errorf("start chain: %w", err)
	}
	defer sim.Close()
	deployer, err := sim.NewClient(sim.Keys()[0], chain.Options{Logger: log})
	if err != nil {
		return err
	}
	params := chain.DefaultDeployParams()
	params.EpochLength = *epoch
	contracts, err := deployer.Deploy(ctx, params)
	if err != nil {
		return fmt.Errorf("deploy contracts: %w", err)
	}
	deployer.Close()
	client := func(name string) (chain.Client, error) {
		return sim.NewClient(keys[name], chain.Options{Contracts: contracts, Logger: log})
	}
	info := devnetInfo{EC: *ec, RPC: sim.URL(), ChainID: chain.SimulatedChainID, Contracts: contracts}

	listen := []string{"/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"}
	for i := range *n {
		name := "provider-" + strconv.Itoa(i)
		pdir := filepath.Join(*dir, "providers", strconv.Itoa(i))
		if err := os.MkdirAll(pdir, 0o700); err != nil {
			return fmt.Errorf("create provider folder: %w", err)
		}
		c, err := client(name)
		if err != nil {
			return err
		}
		p, err := startProvider(ctx, pdir, listen, c, chain.MEMO(1), log)
		if err != nil {
			return fmt.Errorf("start provider %d: %w", i, err)
		}
		defer p.Close()
		info.Providers = append(info.Providers, providerInfo{PeerID: p.Host.ID().String(), Addrs: fullAddrs(p), Account: c.Address().Hex()})
	}
	for i := range *keepers {
		name := "keeper-" + strconv.Itoa(i)
		c, err := client(name)
		if err != nil {
			return err
		}
		kp, err := startKeeper(ctx, filepath.Join(*dir, "keepers", strconv.Itoa(i)), listen, c, chain.MEMO(1), log)
		if err != nil {
			return fmt.Errorf("start keeper %d: %w", i, err)
		}
		defer kp.Close()
		info.Keepers = append(info.Keepers, nodeInfo{PeerID: kp.Host.ID().String(), Account: c.Address().Hex()})
	}

	creds, created, err := loadCredentials(filepath.Join(*dir, "credentials.json"))
	if err != nil {
		return err
	}
	uc, err := client("user")
	if err != nil {
		return err
	}
	g, err := startGateway(gatewayConfig{Dir: filepath.Join(*dir, "gateway"), S3: s3, K: k, M: m, ChunkSize: cs,
		Creds: creds, Log: log, Chain: uc, Settle: settle, MasterKey: masterFromKey(keys["user"])})
	if err != nil {
		return err
	}
	defer g.Close()
	info.S3 = s3.scheme() + "://" + g.Addr
	info.AccessKey, info.SecretKey = creds.AccessKey, creds.SecretKey
	info.Gateway = g.Host.ID().String()
	info.User = nodeInfo{PeerID: g.Host.ID().String(), Account: uc.Address().Hex()}
	info.Admin = g.adminAddr()
	b, _ := json.MarshalIndent(info, "", "  ")
	if err := os.WriteFile(filepath.Join(*dir, "devnet.json"), b, 0o600); err != nil {
		return fmt.Errorf("write devnet.json: %w", err)
	}
	log.Info("devnet ready", "s3", info.S3, "providers", *n, "keepers", *keepers, "ec", *ec, "rpc", info.RPC, "dir", *dir)
	fmt.Printf("MEFS devnet is up.\n  S3 endpoint: %s\n  access key:  %s\n  secret key:  %s\n", info.S3, creds.AccessKey, creds.SecretKey)
	if created {
		fmt.Printf("  (credentials generated and saved in %s)\n", filepath.Join(*dir, "credentials.json"))
	}
	fmt.Printf("  chain RPC:   %s (chain id %d)\n", info.RPC, info.ChainID)
	if info.Admin != "" {
		fmt.Printf("  metrics:     %s/metrics (health: /health/live, /health/ready)\n", info.Admin)
	}
	fmt.Printf("  details:     %s\nPress Ctrl-C to stop.\n", filepath.Join(*dir, "devnet.json"))
	waitForSignal()
	return nil
}

// devnetKey loads the only account of a keystore folder, creating it (with
// light scrypt parameters: a devnet key guards play money) on first use.
func devnetKey(dir, password string) (*ecdsa.PrivateKey, error) {
	w := chain.OpenWallet(dir)
	w.LightKDF = true
	accts, err := w.List()
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if len(accts) == 0 {
		a, err := w.New(password)
		if err != nil {
			return nil, err
		}
		accts = append(accts, a)
	}
	k, _, err := w.Load(accts[0].Address.Hex(), password)
	return k, err
}

// loadOrCreateText reads a random secret text from path, creating it (mode
// 0600) on first use.
func loadOrCreateText(path string) (string, bool, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		return string(b), false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", false, fmt.Errorf("read %s: %w", path, err)
	}
	r := make([]byte, 16)
	rand.Read(r)
	s := hex.EncodeToString(r)
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		return "", false, fmt.Errorf("write %s: %w", path, err)
	}
	return s, true, nil
}
