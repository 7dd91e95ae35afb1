package provider

// Co-signed order lists: the chunk list of every order update the Provider
// signed, kept so that it can prove entries of whichever root the chain
// records.
//
// Invariants:
//   - A list is written durably (temp, fsync, rename) to
//     DIR/orders/<user hex>/<root hex> before the Provider returns its
//     signature, so a root on chain always has its list here.
//   - The list file is the entries' order.Entry encodings, sorted by chunk
//     id; OrderList re-checks the root before returning it.
//   - At most keepLists lists are kept per User (newest by write time).

import (
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mefs-project/mefs/backend/internal/durable"
	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/order"
	"github.com/mefs-project/mefs/erasure"
)

// keepLists bounds the lists kept per User: the current root and updates
// that may still be submitted.
const keepLists = 8

func (s *Store) listDir(user common.Address) string {
	return filepath.Join(s.dir, "orders", hex.EncodeToString(user[:]))
}

// SaveOrderList records the sorted entry list whose root the Provider
// co-signs for user.
func (s *Store) SaveOrderList(user common.Address, entries []order.Entry) error {
	sum := order.Summarize(slices.Clone(entries))
	dir := s.listDir(user)
	if err := durable.MkdirAll(dir); err != nil {
		return fmt.Errorf("order lists of %s: %w", user, err)
	}
	b := make([]byte, 0, len(entries)*order.EntrySize)
	for _, e := range entries {
		b = append(b, e.Marshal()...)
	}
	if err := durable.WriteFile(filepath.Join(dir, sum.Root.String()), b); err != nil {
		return fmt.Errorf("save order list of %s: %w", user, err)
	}
	s.pruneLists(dir)
	return nil
}

// pruneLists removes all but the keepLists newest lists in dir.
func (s *Store) pruneLists(dir string) {
	des, err := os.ReadDir(dir)
	if err != nil || len(des) <= keepLists {
		return
	}
	type aged struct {
		name string
		mod  int64
	}
	var all []aged
	for _, d := range des {
		if fi, err := d.Info(); err == nil {
			all = append(all, aged{d.Name(), fi.ModTime().UnixNano()})
		}
	}
	slices.SortFunc(all, func(a, b aged) int { return int(b.mod - a.mod) })
	for _, a := range all[min(keepLists, len(all)):] {
		os.Remove(filepath.Join(dir, a.name))
	}
}

// OrderList returns the co-signed list of user's order with root.
func (s *Store) OrderList(user common.Address, root erasure.Root) ([]order.Entry, error) {
	b, err := os.ReadFile(filepath.Join(s.listDir(user), root.String()))
	if err != nil {
		return nil, fmt.Errorf("order list %s of %s: %w", root, user, err)
	}
	if len(b)%order.EntrySize != 0 {
		return nil, fmt.Errorf("order list %s of %s: %d bytes", root, user, len(b))
	}
	entries := make([]order.Entry, 0, len(b)/order.EntrySize)
	for off := 0; off < len(b); off += order.EntrySize {
		e, ok := order.UnmarshalEntry(b[off : off+order.EntrySize])
		if !ok {
			return nil, fmt.Errorf("order list %s of %s: bad entry at %d", root, user, off)
		}
		entries = append(entries, e)
	}
	if got := order.Summarize(slices.Clone(entries)).Root; got != root {
		return nil, fmt.Errorf("order list %s of %s: content has root %s", root, user, got)
	}
	return entries, nil
}

// deleteChunk removes one chunk file (ProverFaults.DropFraction: a Provider
// silently losing data).
func (s *Store) deleteChunk(id memo.ChunkID) error {
	if err := os.Remove(s.path(id)); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("drop chunk %s: %w", id, err)
	}
	return nil
}
