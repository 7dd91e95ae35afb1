package keeper

// Assembling certificates from Keepers' signed attestations.
//
// Invariants:
//   - A signature counts only if it recovers to a Keeper registered for the
//     attestation's epoch, and each Keeper counts once per attestation.
//   - Signatures are grouped by the exact attestation (provider, epoch,
//     pass, digest): a byzantine minority signing something else adds
//     nothing to the honest group and cannot reach quorum alone.
//   - Add returns a certificate once, when a group reaches quorum.
//   - The submitter of a (provider, epoch) is chosen deterministically from
//     the sorted Keeper list; attempt k falls back to the next Keeper.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Certificate is a quorum of signatures over one attestation.
type Certificate struct {
	Attestation
	Signatures [][]byte
}

// Quorum is ceil(2n/3).
func Quorum(n int) int { return (2*n + 2) / 3 }

// Collector groups signed attestations into certificates.
type Collector struct {
	// Recover returns the signer of sig over a.
	Recover func(a Attestation, sig []byte) (common.Address, error)
	// Keepers returns the Keepers registered for epoch.
	Keepers func(epoch uint64) ([]common.Address, error)

	mu     sync.Mutex
	groups map[Attestation]map[common.Address][]byte
	done   map[Attestation]bool
}

// Add records sig over a; it returns a certificate when a's group reaches
// quorum for the first time.
func (c *Collector) Add(a Attestation, sig []byte) (*Certificate, error) {
	signer, err := c.Recover(a, sig)
	if err != nil {
		return nil, fmt.Errorf("attestation of %s at %d: %w", a.Provider, a.Epoch, err)
	}
	keepers, err := c.Keepers(a.Epoch)
	if err != nil {
		return nil, fmt.Errorf("keepers at %d: %w", a.Epoch, err)
	}
	if !slices.Contains(keepers, signer) {
		return nil, fmt.Errorf("attestation of %s at %d signed by %s, not a keeper", a.Provider, a.Epoch, signer)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.groups == nil {
		c.groups, c.done = map[Attestation]map[common.Address][]byte{}, map[Attestation]bool{}
	}
	g := c.groups[a]
	if g == nil {
		g = map[common.Address][]byte{}
		c.groups[a] = g
	}
	g[signer] = sig
	if c.done[a] || len(g) < Quorum(len(keepers)) {
		return nil, nil
	}
	c.done[a] = true
	cert := &Certificate{Attestation: a}
	for _, s := range g {
		cert.Signatures = append(cert.Signatures, s)
	}
	return cert, nil
}

// Forget drops everything about epochs before epoch (bounded memory).
func (c *Collector) Forget(epoch uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for a := range c.groups {
		if a.Epoch < epoch {
			delete(c.groups, a)
			delete(c.done, a)
		}
	}
}

// Submitter returns the Keeper that submits (provider, epoch)'s certificate
// at attempt (0 first; each later attempt is the next Keeper's fallback).
func Submitter(keepers []common.Address, provider common.Address, epoch uint64, attempt int) common.Address {
	h := crypto.Keccak256(provider[:], binary.BigEndian.AppendUint64(nil, epoch))
	i := (binary.BigEndian.Uint64(h[:8]) + uint64(attempt)) % uint64(len(keepers))
	return sorted(keepers)[i]
}

func sorted(list []common.Address) []common.Address {
	out := slices.Clone(list)
	slices.SortFunc(out, func(a, b common.Address) int { return bytes.Compare(a[:], b[:]) })
	return out
}
