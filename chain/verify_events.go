package chain

import "github.com/ethereum/go-ethereum/core/types"

// decodeSettlementEvent decodes the verification events (order events are not listed).
func decodeSettlementEvent(l *types.Log) (SettlementEvent, bool) {
	ev := SettlementEvent{Block: l.BlockNumber, TxHash: l.TxHash}
	if e, err := settlementABI.UnpackRandomnessRecordedEvent(l); err == nil {
		ev.Kind, ev.Epoch, ev.Digest = "randomness", e.Epoch, e.Value
	} else if e, err := settlementABI.UnpackCertifiedEvent(l); err == nil {
		ev.Kind, ev.Provider, ev.Epoch, ev.Pass, ev.Digest, ev.Amount = "certified", e.Provider, e.Epoch, e.Pass, e.ProofDigest, e.Income
		ev.Signers = e.Signers.Uint64()
	} else if e, err := settlementABI.UnpackProviderFailedEvent(l); err == nil {
		ev.Kind, ev.Provider, ev.Epoch, ev.Amount, ev.Refunded = "failed", e.Provider, e.Epoch, e.Slashed, e.Refunded
	} else if e, err := settlementABI.UnpackRefundedEvent(l); err == nil {
		ev.Kind, ev.Account, ev.Provider, ev.Epoch, ev.Amount = "refunded", e.User, e.Provider, e.Epoch, e.Amount
	} else if e, err := settlementABI.UnpackClaimedEvent(l); err == nil {
		ev.Kind, ev.Provider, ev.Amount = "claimed", e.Provider, e.Amount
	} else if e, err := settlementABI.UnpackKeeperPaidEvent(l); err == nil {
		ev.Kind, ev.Account, ev.Amount = "keeper-paid", e.Keeper, e.Amount
	} else {
		return SettlementEvent{}, false
	}
	return ev, true
}
