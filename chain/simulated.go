package chain

// Invariants:
//   - Commits and time adjustments are serialised by Simulated.mu, and AdjustTime first
//     commits any pending transactions (the simulated beacon refuses a dirty block).
//   - A transaction sent by a Client of this chain is committed into a block before the
//     Client returns; transactions arriving over the HTTP endpoint are committed by the
//     auto-miner within one AutoMine interval.
//   - The HTTP JSON-RPC endpoint listens on 127.0.0.1 only.

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/rpc"
)

// SimulatedChainID is the chain id of every simulated chain.
const SimulatedChainID = 1337

// SimulatedOptions configure NewSimulated.
type SimulatedOptions struct {
	// Accounts is how many deterministic dev accounts (DevKey(0..n-1)) are funded
	// (default 10).
	Accounts int
	// Fund is each funded account's native balance (default 1,000,000 ETH).
	Fund *big.Int
	// Extra are further addresses funded at genesis (e.g. wallet accounts).
	Extra []common.Address
	// NoHTTP disables the loopback HTTP JSON-RPC endpoint.
	NoHTTP bool
	// HTTPPort fixes the endpoint's port (default: a free port).
	HTTPPort int
	// AutoMine is how often transactions that arrived over HTTP are committed
	// (default 100 ms; negative disables).
	AutoMine time.Duration
	// Heartbeat, if positive, seals an empty block whenever none was sealed
	// for that long, so block time (and the settlement epoch) follows the
	// wall clock on an idle chain, as on a real one.
	Heartbeat time.Duration
	// FutureForks keeps every fork of go-ethereum's dev config, including ones not on
	// mainnet yet (e.g. Bogota's state-gas repricing, which multiplies storage costs).
	// By default the chain runs mainnet's current rules (Osaka), so gas figures are
	// realistic.
	FutureForks bool
	// Logger; nil means slog.Default().
	Logger *slog.Logger
}

// Simulated is an in-process EVM chain (go-ethereum's simulated backend).
type Simulated struct {
	backend *simulated.Backend
	rpc     *rpc.Client
	keys    []*ecdsa.PrivateKey
	url     string
	log     *slog.Logger

	mu        sync.Mutex // serialises Commit / AdjustTime
	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

// DevKey returns the i-th deterministic development key (the same on every run, so a
// devnet's accounts are predictable). Never use these keys on a real chain.
func DevKey(i int) *ecdsa.PrivateKey {
	for n := 0; ; n++ {
		seed := crypto.Keccak256([]byte("mefs devnet account " + strconv.Itoa(i) + "/" + strconv.Itoa(n)))
		if k, err := crypto.ToECDSA(seed); err == nil {
			return k
		}
	}
}

// NewSimulated starts a simulated chain with funded accounts and, unless disabled, its
// JSON-RPC on a loopback HTTP port (URL).
func NewSimulated(opts SimulatedOptions) (*Simulated, error) {
	if opts.Accounts <= 0 {
		opts.Accounts = 10
	}
	if opts.Fund == nil {
		opts.Fund = new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(1e18))
	}
	if opts.AutoMine == 0 {
		opts.AutoMine = 100 * time.Millisecond
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	s := &Simulated{log: log.With("component", "chain-sim"), stop: make(chan struct{}), done: make(chan struct{})}
	alloc := types.GenesisAlloc{}
	for i := range opts.Accounts {
		k := DevKey(i)
		s.keys = append(s.keys, k)
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: opts.Fund}
	}
	for _, a := range opts.Extra {
		alloc[a] = types.Account{Balance: opts.Fund}
	}

	var err error
	for attempt := 1; attempt <= 5; attempt++ {
		port := opts.HTTPPort
		if !opts.NoHTTP && port == 0 {
			if port, err = freePort(); err != nil {
				return nil, fmt.Errorf("chain: simulated: pick HTTP port: %w", err)
			}
		}
		s.backend, err = startBackend(alloc, !opts.NoHTTP, port, opts.FutureForks)
		if err == nil {
			if !opts.NoHTTP {
				s.url = "http://127.0.0.1:" + strconv.Itoa(port)
			}
			break
		}
		if opts.HTTPPort != 0 {
			break // a fixed port will not get free by retrying
		}
	}
	if err != nil {
		return nil, err
	}
	if opts.AutoMine > 0 && !opts.NoHTTP {
		// The auto-miner watches the pool through the HTTP endpoint (txpool_status).
		if s.rpc, err = rpc.DialHTTP(s.url); err != nil {
			s.backend.Close()
			return nil, fmt.Errorf("chain: simulated: dial own endpoint: %w", err)
		}
		go s.autoMine(opts.AutoMine, opts.Heartbeat)
	} else {
		close(s.done)
	}
	s.log.Debug("simulated chain started", "url", s.url, "accounts", len(s.keys))
	return s, nil
}

// startBackend starts the backend, turning its panics (e.g. port taken) into errors.
func startBackend(alloc types.GenesisAlloc, http bool, port int, futureForks bool) (b *simulated.Backend, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("chain: start simulated backend: %v", r)
		}
	}()
	b = simulated.NewBackend(alloc, func(nc *node.Config, ec *ethconfig.Config) {
		if !futureForks {
			cfg := *ec.Genesis.Config
			cfg.AmsterdamTime, cfg.BogotaTime = nil, nil
			ec.Genesis.Config = &cfg
		}
		if http {
			nc.HTTPHost = "127.0.0.1"
			nc.HTTPPort = port
			nc.HTTPModules = []string{"eth", "net", "web3", "txpool"}
			nc.HTTPVirtualHosts = []string{"localhost", "127.0.0.1"}
		}
	})
	return b, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// autoMine commits transactions that reached the pool other than through a Client of
// this chain (e.g. over HTTP).
func (s *Simulated) autoMine(every, heartbeat time.Duration) {
	defer close(s.done)
	t := time.NewTicker(every)
	defer t.Stop()
	last := time.Now()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
		var status map[string]hexutil.Uint
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := s.rpc.CallContext(ctx, &status, "txpool_status")
		cancel()
		if err != nil {
			continue
		}
		if status["pending"] > 0 || heartbeat > 0 && time.Since(last) >= heartbeat && s.idleFor(heartbeat) {
			s.Commit()
			last = time.Now()
		}
	}
}

// idleFor reports whether the latest block is older than d.
func (s *Simulated) idleFor(d time.Duration) bool {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	h, err := s.backend.Client().HeaderByNumber(ctx, nil)
	return err == nil && time.Since(time.Unix(int64(h.Time), 0)) >= d
}

// URL is the loopback HTTP JSON-RPC endpoint ("" when disabled).
func (s *Simulated) URL() string { return s.url }

// Keys are the funded dev accounts' keys.
func (s *Simulated) Keys() []*ecdsa.PrivateKey { return s.keys }

// Accounts are the funded dev accounts.
func (s *Simulated) Accounts() []common.Address {
	out := make([]common.Address, len(s.keys))
	for i, k := range s.keys {
		out[i] = crypto.PubkeyToAddress(k.PublicKey)
	}
	return out
}

// Commit seals the pending transactions into a new block.
func (s *Simulated) Commit() common.Hash {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.backend.Commit()
}

// AdjustTime moves block time forward by d (whole seconds) and seals a block.
func (s *Simulated) AdjustTime(d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.backend.Commit() // AdjustTime needs an empty pending block
	if err := s.backend.AdjustTime(d); err != nil {
		return fmt.Errorf("chain: simulated: adjust time by %v: %w", d, err)
	}
	return nil
}

// NewClient returns a Client of this chain signing with key.
func (s *Simulated) NewClient(key *ecdsa.PrivateKey, opts Options) (Client, error) {
	wait := func(ctx context.Context, tx *types.Transaction) (*types.Receipt, error) {
		return s.waitMined(ctx, tx.Hash())
	}
	c, err := newClient(context.Background(), s.backend.Client(), key, wait, nil, opts)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// waitMined commits and returns the receipt of hash, committing again if the
// transaction is still not mined after a while (e.g. it raced with another commit).
func (s *Simulated) waitMined(ctx context.Context, hash common.Hash) (*types.Receipt, error) {
	cl := s.backend.Client()
	s.Commit()
	delay := time.Millisecond
	for i := 1; ; i++ {
		r, err := cl.TransactionReceipt(ctx, hash)
		if err == nil {
			return r, nil
		}
		if i%20 == 0 {
			s.Commit()
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("receipt of %s: %w (last error: %v)", hash, ctx.Err(), err)
		case <-time.After(delay):
		}
		delay = min(2*delay, 20*time.Millisecond)
	}
}

// Fund sends amount of the native coin from the first dev account to `to` (for
// accounts created after genesis, e.g. a new wallet).
func (s *Simulated) Fund(ctx context.Context, to common.Address, amount *big.Int) error {
	cl := s.backend.Client()
	from := s.keys[0]
	nonce, err := cl.PendingNonceAt(ctx, crypto.PubkeyToAddress(from.PublicKey))
	if err != nil {
		return fmt.Errorf("chain: fund %s: nonce: %w", to, err)
	}
	head, err := cl.HeaderByNumber(ctx, nil)
	if err != nil {
		return fmt.Errorf("chain: fund %s: header: %w", to, err)
	}
	tip := big.NewInt(1e9)
	tx, err := types.SignNewTx(from, types.LatestSignerForChainID(big.NewInt(SimulatedChainID)), &types.DynamicFeeTx{
		ChainID: big.NewInt(SimulatedChainID), Nonce: nonce, GasTipCap: tip,
		GasFeeCap: new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2))),
		Gas:       21_000, To: &to, Value: amount,
	})
	if err != nil {
		return fmt.Errorf("chain: fund %s: sign: %w", to, err)
	}
	if err := cl.SendTransaction(ctx, tx); err != nil {
		return fmt.Errorf("chain: fund %s: send: %w", to, err)
	}
	r, err := s.waitMined(ctx, tx.Hash())
	if err != nil {
		return fmt.Errorf("chain: fund %s: %w", to, err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return fmt.Errorf("chain: fund %s: transfer failed", to)
	}
	return nil
}

// Close stops the chain; its Clients stop working.
func (s *Simulated) Close() error {
	var err error
	s.closeOnce.Do(func() {
		close(s.stop)
		<-s.done
		if s.rpc != nil {
			s.rpc.Close()
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		err = s.backend.Close()
	})
	return err
}
