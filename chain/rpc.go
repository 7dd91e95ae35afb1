package chain

// Invariants:
//   - A Dial client signs locally; the node never holds its key.
//   - Receipt polling backs off from Options.PollInterval to 2 s and stops at
//     Options.ReceiptTimeout; errors while polling are retried, since the transaction is
//     already out and may still be mined. Polls go through the retrying connection
//     (c.b), so a transient error is first retried under Options.Retry.

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
)

// Dial connects to an EVM JSON-RPC endpoint (http://, https://, ws://, wss:// or an IPC
// path) and returns a Client signing with key. Set opts.Contracts to use an existing
// deployment, or call Deploy.
func Dial(ctx context.Context, url string, key *ecdsa.PrivateKey, opts Options) (Client, error) {
	rc, err := rpc.DialContext(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("chain: dial %s: %w", url, err)
	}
	ec := ethclient.NewClient(rc)
	var c *client
	wait := func(ctx context.Context, tx *types.Transaction) (*types.Receipt, error) {
		delay := c.opts.PollInterval
		warned := false
		for {
			r, err := c.b.TransactionReceipt(ctx, tx.Hash())
			if err == nil {
				return r, nil
			}
			if !errors.Is(err, ethereum.NotFound) && !strings.Contains(err.Error(), "indexing is in progress") && !warned {
				c.log.Warn("receipt poll failed; still waiting", "tx", tx.Hash(), "err", err)
				warned = true
			}
			select {
			case <-ctx.Done():
				return nil, fmt.Errorf("%w (last error: %v)", ctx.Err(), err)
			case <-time.After(delay):
			}
			delay = min(2*delay, 2*time.Second)
		}
	}
	c, err = newClient(ctx, ec, key, wait, func() error { ec.Close(); return nil }, opts)
	if err != nil {
		ec.Close()
		return nil, fmt.Errorf("chain: dial %s: %w", url, err)
	}
	return c, nil
}
