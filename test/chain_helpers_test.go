package test

// Helpers of the settlement tests: the order a Provider's chunk files imply,
// and polling the chain until every order matches it.

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/order"
	"github.com/mefs-project/mefs/backend/provider"
	"github.com/mefs-project/mefs/chain"
	"github.com/mefs-project/mefs/erasure"
)

// diskEntries lists the chunks that the Provider in providerDir stores for
// user, read from its chunk files: DIR/chunks/<hex[0:2]>/<hex>/<stripe>.<index>
// (provider.ReadChunkFile), with the owners in
// DIR/owners.log ("<object hex> <owner>" lines, the last one winning).
func diskEntries(t testing.TB, providerDir string, user common.Address) []order.Entry {
	t.Helper()
	root := filepath.Join(providerDir, "chunks")
	owners := map[string]string{}
	if log, err := os.ReadFile(filepath.Join(providerDir, "owners.log")); err == nil {
		for _, line := range strings.Split(string(log), "\n") {
			if obj, owner, ok := strings.Cut(line, " "); ok {
				owners[obj] = owner
			}
		}
	}
	var out []order.Entry
	prefixes, err := os.ReadDir(root)
	if err != nil {
		t.Fatalf("read %s: %v", root, err)
	}
	for _, pd := range prefixes {
		objs, err := os.ReadDir(filepath.Join(root, pd.Name()))
		if err != nil {
			continue // removed meanwhile, or not a folder
		}
		for _, od := range objs {
			raw, err := hex.DecodeString(od.Name())
			if err != nil || len(raw) != 16 {
				continue
			}
			dir := filepath.Join(root, pd.Name(), od.Name())
			owner := owners[od.Name()]
			if !common.IsHexAddress(owner) || common.HexToAddress(owner) != user {
				continue
			}
			files, err := os.ReadDir(dir)
			if err != nil {
				continue
			}
			for _, f := range files {
				a, b, ok := strings.Cut(f.Name(), ".")
				stripe, err1 := strconv.ParseUint(a, 10, 64)
				index, err2 := strconv.ParseUint(b, 10, 16)
				if !ok || err1 != nil || err2 != nil {
					continue
				}
				root, data, err := provider.ReadChunkFile(filepath.Join(dir, f.Name()))
				if errors.Is(err, fs.ErrNotExist) {
					continue
				}
				if err != nil {
					t.Fatalf("chunk file %s: %v", filepath.Join(dir, f.Name()), err)
				}
				e := order.Entry{Chunk: memo.ChunkID{Stripe: stripe, Index: uint16(index)}, Root: root, Size: int64(len(data))}
				copy(e.Chunk.Data[:], raw)
				if !erasure.Verifies(e.Root, data) {
					t.Fatalf("chunk file %s does not match its commitment", filepath.Join(dir, f.Name()))
				}
				out = append(out, e)
			}
		}
	}
	return out
}

// orderCheck is one Provider whose on-chain order is compared with its disk.
type orderCheck struct {
	Name    string
	Account common.Address
	Dir     string
}

// orderState is what the chain holds and what the disk implies for one
// Provider.
type orderState struct {
	Chain order.Summary // Size and Root from the chain (Count unused)
	Disk  order.Summary
	Order chain.Order
}

func (s orderState) match() bool {
	return s.Chain.Size == s.Disk.Size && s.Chain.Root == s.Disk.Root
}

// readOrders reads every Provider's order of user and its disk summary.
func readOrders(t testing.TB, c chain.Client, user common.Address, ps []orderCheck) ([]orderState, error) {
	t.Helper()
	out := make([]orderState, len(ps))
	for i, p := range ps {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		o, err := c.Order(ctx, user, p.Account)
		cancel()
		if err != nil {
			return nil, fmt.Errorf("order of %s at %s: %w", user, p.Name, err)
		}
		out[i] = orderState{Chain: order.Summary{Size: o.Size, Root: erasure.Root(o.Root)},
			Disk: order.Summarize(diskEntries(t, p.Dir, user)), Order: o}
	}
	return out, nil
}

// waitOrdersMatchDisk polls until every Provider's order of user has the
// size and root of the chunks on its disk and want (if set) holds for every
// Provider's state, and returns the final states.
func waitOrdersMatchDisk(t testing.TB, c chain.Client, user common.Address, ps []orderCheck, timeout time.Duration, want func(i int, s orderState) bool) []orderState {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last []orderState
	var lastErr error
	for {
		states, err := readOrders(t, c, user, ps)
		if err == nil {
			ok := true
			for i, s := range states {
				if !s.match() || (want != nil && !want(i, s)) {
					ok = false
				}
			}
			if ok {
				return states
			}
			last = states
		}
		lastErr = err
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	var b strings.Builder
	for i, s := range last {
		fmt.Fprintf(&b, "\n  %s: chain size %d root %x nonce %d; disk size %d root %x (%d chunks)",
			ps[i].Name, s.Chain.Size, s.Chain.Root[:6], s.Order.Nonce, s.Disk.Size, s.Disk.Root[:6], s.Disk.Count)
	}
	t.Fatalf("orders of %s did not match the Providers' disks (or the expected change) within %v (last error: %v):%s", user, timeout, lastErr, b.String())
	return nil
}

// nonEmpty wants an order that holds data.
func nonEmpty(_ int, s orderState) bool { return s.Disk.Size > 0 }
