package keeper

// Assembling certificates from Keepers' signed attestations.
//
// Invariants:
//   - A signature counts only if its signer is in the attestation's epoch set
//     and Verify accepts it (the signer's registered BLS key), and each Keeper
//     counts once per attestation.
//   - Signatures are grouped by the exact attestation (provider, epoch,
//     pass, digest): a byzantine minority signing something else adds
//     nothing to the honest group and cannot reach quorum alone.
//   - Add returns a certificate once, when a group reaches quorum; Build
//     returns the group's certificate as it stands (every signature gathered
//     so far), so a certificate submitted later lists fewer absentees.
//   - A certificate's absentees are exactly the epoch set minus its signers,
//     and its signature is the sum of theirs: what Settlement.certify checks.
//   - The submitter of a (provider, epoch) is chosen deterministically from
//     the sorted Keeper list; attempt k falls back to the next Keeper.

import (
	"encoding/binary"
	"fmt"
	"slices"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/mefs-project/mefs/chain"
)

// Certificate is a quorum of Keepers' aggregated signature over one attestation.
type Certificate struct {
	Attestation
	Signers   int
	Absentees []common.Address
	Signature []byte // the sum of the signers' BLS signatures
}

// Quorum is ceil(2n/3).
func Quorum(n int) int { return (2*n + 2) / 3 }

// Collector groups signed attestations into certificates.
type Collector struct {
	// Verify checks that sig is signer's signature over a.
	Verify func(signer common.Address, a Attestation, sig []byte) error
	// Keepers returns epoch's Keeper set: every member, also those gone since.
	Keepers func(epoch uint64) ([]common.Address, error)

	mu     sync.Mutex
	groups map[Attestation]map[common.Address][]byte
	done   map[Attestation]bool
}

// Add records m; it returns a certificate when m's group reaches quorum for
// the first time.
func (c *Collector) Add(m SignedAttestation) (*Certificate, error) {
	a := m.Attestation
	keepers, err := c.Keepers(a.Epoch)
	if err != nil {
		return nil, fmt.Errorf("keepers at %d: %w", a.Epoch, err)
	}
	if !slices.Contains(keepers, m.Signer) {
		return nil, fmt.Errorf("attestation of %s at %d signed by %s, not a keeper", a.Provider, a.Epoch, m.Signer)
	}
	if err := c.Verify(m.Signer, a, m.Signature); err != nil {
		return nil, fmt.Errorf("attestation of %s at %d by %s: %w", a.Provider, a.Epoch, m.Signer, err)
	}
	c.mu.Lock()
	if c.groups == nil {
		c.groups, c.done = map[Attestation]map[common.Address][]byte{}, map[Attestation]bool{}
	}
	g := c.groups[a]
	if g == nil {
		g = map[common.Address][]byte{}
		c.groups[a] = g
	}
	g[m.Signer] = m.Signature
	first := !c.done[a] && len(g) >= Quorum(len(keepers))
	if first {
		c.done[a] = true
	}
	c.mu.Unlock()
	if !first {
		return nil, nil
	}
	return c.Build(a)
}

// Build returns a's certificate from every signature gathered so far, nil
// below quorum.
func (c *Collector) Build(a Attestation) (*Certificate, error) {
	keepers, err := c.Keepers(a.Epoch)
	if err != nil {
		return nil, fmt.Errorf("keepers at %d: %w", a.Epoch, err)
	}
	c.mu.Lock()
	g := c.groups[a]
	cert := &Certificate{Attestation: a}
	var sigs []chain.BLSSignature
	for _, k := range keepers {
		sig, ok := g[k]
		if !ok {
			cert.Absentees = append(cert.Absentees, k)
			continue
		}
		s, err := chain.DecodeBLSSignature(sig)
		if err != nil {
			c.mu.Unlock()
			return nil, fmt.Errorf("signature of %s: %w", k, err)
		}
		sigs = append(sigs, s)
	}
	c.mu.Unlock()
	if len(sigs) < Quorum(len(keepers)) {
		return nil, nil
	}
	agg, err := chain.AggregateSignatures(sigs...)
	if err != nil {
		return nil, fmt.Errorf("aggregate %d signatures: %w", len(sigs), err)
	}
	cert.Signers, cert.Signature = len(sigs), agg[:]
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
	return chain.SortAddresses(keepers)[i]
}
