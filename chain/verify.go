package chain

// Invariants:
//   - Each method maps to one Settlement or Registry function (views are calls at the
//     latest block; state changes return once mined, like every Client method).
//   - Certify sends the absentees sorted (SortAddresses) and never drops or dedupes
//     any: the contract alone decides validity.
//   - A zero EpochSeed means "epoch not challengeable yet" (randomness not recorded).

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/mefs-project/mefs/chain/bindings/settlement"
)

// Certificate states, as Settlement.certificate reports them.
const (
	CertNone    uint8 = 0
	CertPassed  uint8 = 1
	CertFailed  uint8 = 2
	CertClaimed uint8 = 3
)

// ProviderStatus codes, as Settlement.providerStatus reports them.
const (
	StatusOK           uint8 = 0
	StatusUnregistered uint8 = 1
	StatusLowPledge    uint8 = 2
	StatusFailing      uint8 = 3
)

// CertificateState is the on-chain state of (Provider, epoch).
type CertificateState struct {
	Status    uint8    // CertNone, CertPassed, CertFailed, CertClaimed
	Claimable *big.Int // the Provider's part of a passed, unclaimed epoch
}

// ProviderState is what placement needs to know about a Provider.
type ProviderState struct {
	Status          uint8 // StatusOK or why the Provider should take no new chunks
	LastFailedEpoch uint64
	Failed          bool // LastFailedEpoch is meaningful
	Pledge          *big.Int
}

// OK reports whether the Provider may take new chunks.
func (s ProviderState) OK() bool { return s.Status == StatusOK }

// SettlementEvent is one verification event of the Settlement contract.
type SettlementEvent struct {
	Kind     string // "randomness", "certified", "failed", "refunded", "claimed", "keeper-paid"
	Provider common.Address
	Account  common.Address // User refunded, Keeper paid
	Epoch    uint64
	Pass     bool
	Digest   common.Hash // proof digest (certified) or randomness (randomness)
	Amount   *big.Int    // income (certified), slashed (failed), refund, claim, keeper pay
	Refunded *big.Int    // failed: refunds to Users
	Signers  uint64
	Block    uint64
	TxHash   common.Hash
}

func (c *client) RecordRandomness(ctx context.Context) (common.Hash, error) {
	if _, err := c.transact(ctx, "recordRandomness", addr(c.Contracts().Settlement), settlementABI.PackRecordRandomness(), nil); err != nil {
		return common.Hash{}, err
	}
	ep, err := c.CurrentEpoch(ctx)
	if err != nil {
		return common.Hash{}, err
	}
	return c.Randomness(ctx, ep)
}

func (c *client) Randomness(ctx context.Context, epoch uint64) (common.Hash, error) {
	data, err := settlementABI.TryPackRandomness(epoch)
	r, err := call(ctx, c, "randomness", c.Contracts().Settlement, data, err, settlementABI.UnpackRandomness)
	return common.Hash(r), err
}

func (c *client) EpochSeed(ctx context.Context, provider common.Address, epoch uint64) (common.Hash, error) {
	data, err := settlementABI.TryPackEpochSeed(provider, epoch)
	r, err := call(ctx, c, "epochSeed", c.Contracts().Settlement, data, err, settlementABI.UnpackEpochSeed)
	return common.Hash(r), err
}

func (c *client) KeeperCountAt(ctx context.Context, epoch uint64) (uint64, error) {
	data, err := registryABI.TryPackKeeperCountAt(epoch)
	n, err := call(ctx, c, "keeperCountAt", c.Contracts().Registry, data, err, registryABI.UnpackKeeperCountAt)
	if err != nil {
		return 0, err
	}
	return n.Uint64(), nil
}

func (c *client) IsKeeperAt(ctx context.Context, account common.Address, epoch uint64) (bool, error) {
	data, err := registryABI.TryPackIsKeeperAt(account, epoch)
	return call(ctx, c, "isKeeperAt", c.Contracts().Registry, data, err, registryABI.UnpackIsKeeperAt)
}

func (c *client) KeepersAt(ctx context.Context, epoch uint64) ([]Node, error) {
	data, err := registryABI.TryPackKeepersAt(epoch)
	page, err := call(ctx, c, "keepersAt", c.Contracts().Registry, data, err, registryABI.UnpackKeepersAt)
	if err != nil {
		return nil, err
	}
	out := make([]Node, len(page))
	for i, n := range page {
		out[i] = Node{Address: n.Account, PeerID: PeerIDString(n.PeerId), Addrs: n.Addrs}
	}
	return out, nil
}

func (c *client) HashAttestation(a Attestation) (common.Hash, error) {
	set := c.Contracts().Settlement
	if set == (common.Address{}) {
		return common.Hash{}, fmt.Errorf("chain: hash attestation: %w", ErrNotDeployed)
	}
	return AttestationHash(c.chainID, set, a), nil
}

func (c *client) SignAttestation(a Attestation) ([]byte, error) {
	set := c.Contracts().Settlement
	if set == (common.Address{}) {
		return nil, fmt.Errorf("chain: sign attestation: %w", ErrNotDeployed)
	}
	sk, err := c.keeperKey()
	if err != nil {
		return nil, err
	}
	return SignAttestation(sk, c.chainID, set, a)
}

// keeperKey is the client's Keeper BLS key, derived once.
func (c *client) keeperKey() (BLSSecretKey, error) {
	c.blsOnce.Do(func() { c.blsKey, c.blsErr = KeeperBLSKey(c.key) })
	return c.blsKey, c.blsErr
}

func (c *client) Certify(ctx context.Context, cert Certificate) error {
	data, err := settlementABI.TryPackCertify(cert.Provider, cert.Epoch, cert.Pass, cert.ProofDigest,
		SortAddresses(cert.Absentees), cert.Signature)
	_, err = c.transact(ctx, "certify", addr(c.Contracts().Settlement), data, err)
	return err
}

func (c *client) KeeperSetAt(ctx context.Context, epoch uint64) ([]common.Address, error) {
	data, err := registryABI.TryPackKeeperSetAt(epoch)
	return call(ctx, c, "keeperSetAt", c.Contracts().Registry, data, err, registryABI.UnpackKeeperSetAt)
}

func (c *client) BLSKeyOf(ctx context.Context, account common.Address) (BLSPublicKey, error) {
	data, err := registryABI.TryPackBlsKeyOf(account)
	b, err := call(ctx, c, "blsKeyOf", c.Contracts().Registry, data, err, registryABI.UnpackBlsKeyOf)
	if err != nil {
		return BLSPublicKey{}, err
	}
	pk, err := DecodeBLSPublicKey(b)
	if err != nil {
		return BLSPublicKey{}, fmt.Errorf("chain: BLS key of %s: %w", account, err)
	}
	return pk, nil
}

func (c *client) CertificateOf(ctx context.Context, provider common.Address, epoch uint64) (CertificateState, error) {
	data, err := settlementABI.TryPackCertificate(provider, epoch)
	o, err := call(ctx, c, "certificate", c.Contracts().Settlement, data, err, settlementABI.UnpackCertificate)
	if err != nil {
		return CertificateState{}, err
	}
	return CertificateState{Status: o.Status, Claimable: o.Amount}, nil
}

func (c *client) IncomeOf(ctx context.Context, provider common.Address, epoch uint64) (*big.Int, error) {
	data, err := settlementABI.TryPackIncomeOf(provider, epoch)
	return call(ctx, c, "incomeOf", c.Contracts().Settlement, data, err, settlementABI.UnpackIncomeOf)
}

func (c *client) Claim(ctx context.Context, epochs []uint64) (*big.Int, error) {
	data, err := settlementABI.TryPackClaim(epochs)
	return transactPaid(ctx, c, "claim", data, err, "Claimed", settlementABI.UnpackClaimedEvent,
		func(e *settlement.SettlementClaimed) *big.Int { return e.Amount })
}

// transactPaid sends op to Settlement and returns the amount its event (the
// first log unpack accepts) reports paid.
func transactPaid[E any](ctx context.Context, c *client, op string, data []byte, packErr error, event string,
	unpack func(*types.Log) (E, error), amount func(E) *big.Int) (*big.Int, error) {
	r, err := c.transact(ctx, op, addr(c.Contracts().Settlement), data, packErr)
	if err != nil {
		return nil, err
	}
	for _, l := range r.Logs {
		if e, err := unpack(l); err == nil {
			return amount(e), nil
		}
	}
	return nil, fmt.Errorf("chain: %s: no %s event in tx %s", op, event, r.TxHash)
}

func (c *client) KeeperIncome(ctx context.Context, keeper common.Address, from, to uint64) (*big.Int, error) {
	data, err := settlementABI.TryPackKeeperIncomeOf(keeper, from, to)
	return call(ctx, c, "keeperIncomeOf", c.Contracts().Settlement, data, err, settlementABI.UnpackKeeperIncomeOf)
}

func (c *client) KeeperClaimedTo(ctx context.Context, keeper common.Address) (uint64, error) {
	data, err := settlementABI.TryPackKeeperClaimedTo(keeper)
	return call(ctx, c, "keeperClaimedTo", c.Contracts().Settlement, data, err, settlementABI.UnpackKeeperClaimedTo)
}

func (c *client) ClaimKeeperIncome(ctx context.Context, from, to uint64) (*big.Int, error) {
	data, err := settlementABI.TryPackClaimKeeperIncome(from, to)
	return transactPaid(ctx, c, "claimKeeperIncome", data, err, "KeeperPaid", settlementABI.UnpackKeeperPaidEvent,
		func(e *settlement.SettlementKeeperPaid) *big.Int { return e.Amount })
}

func (c *client) ProviderStatus(ctx context.Context, provider common.Address) (ProviderState, error) {
	data, err := settlementABI.TryPackProviderStatus(provider)
	o, err := call(ctx, c, "providerStatus", c.Contracts().Settlement, data, err, settlementABI.UnpackProviderStatus)
	if err != nil {
		return ProviderState{}, err
	}
	st := ProviderState{Status: o.Status, Pledge: o.Pledge}
	if o.LastFailedEpoch != ^uint64(0) {
		st.LastFailedEpoch, st.Failed = o.LastFailedEpoch, true
	}
	return st, nil
}

func (c *client) SettlementEvents(ctx context.Context, from, to uint64) ([]SettlementEvent, error) {
	set := c.Contracts().Settlement
	if set == (common.Address{}) {
		return nil, fmt.Errorf("chain: settlement events: %w", ErrNotDeployed)
	}
	logs, err := c.b.FilterLogs(ctx, ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(from), ToBlock: new(big.Int).SetUint64(to), Addresses: []common.Address{set},
	})
	if err != nil {
		return nil, fmt.Errorf("chain: settlement events %d..%d: %w", from, to, err)
	}
	var out []SettlementEvent
	for i := range logs {
		if ev, ok := decodeSettlementEvent(&logs[i]); ok {
			out = append(out, ev)
		}
	}
	return out, nil
}
