package chain

// Invariants:
//   - Role values equal the Registry contract's role constants (User 1, Provider 2,
//     Keeper 3); RoleNone (0) means "not registered".
//   - OrderUpdate mirrors Settlement.OrderUpdate field for field and in the same order,
//     because its EIP-712 hash (eip712.go) must match the contract's.
//   - Token amounts are *big.Int in token wei (1 MEMO = 1e18 wei); callers must not
//     mutate amounts returned by a Client.

import (
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// Role is an account's role in the Registry.
type Role uint8

// Roles, as numbered by the Registry contract.
const (
	RoleNone     Role = 0
	RoleUser     Role = 1
	RoleProvider Role = 2
	RoleKeeper   Role = 3
)

func (r Role) String() string {
	switch r {
	case RoleNone:
		return "none"
	case RoleUser:
		return "user"
	case RoleProvider:
		return "provider"
	case RoleKeeper:
		return "keeper"
	}
	return fmt.Sprintf("role(%d)", uint8(r))
}

// ParseRole parses "user", "provider" or "keeper" (case-insensitive).
func ParseRole(s string) (Role, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "user":
		return RoleUser, nil
	case "provider":
		return RoleProvider, nil
	case "keeper":
		return RoleKeeper, nil
	}
	return RoleNone, fmt.Errorf("chain: unknown role %q (want user, provider or keeper)", s)
}

// Contracts are the addresses of one MEFS deployment.
type Contracts struct {
	Token      common.Address `json:"token"`
	Registry   common.Address `json:"registry"`
	Settlement common.Address `json:"settlement"`
}

// IsZero reports whether no contract address is set.
func (c Contracts) IsZero() bool {
	return c == Contracts{}
}

// DeployParams are the constructor parameters of a deployment.
type DeployParams struct {
	ProviderMinPledge *big.Int      // minimum pledge of a Provider, token wei
	KeeperMinPledge   *big.Int      // minimum pledge of a Keeper, token wei
	UnlockDelay       time.Duration // pledge lock after deregister (whole seconds)
	EpochLength       time.Duration // length of a settlement epoch (whole seconds, ≥ 1 s)

	// Faucet enables MemoToken.faucet() (devnets and test chains only).
	Faucet bool
	// InitialSupply is minted to the deployer (nil: none).
	InitialSupply *big.Int
	// KeeperShareBps is the signing Keepers' share of a certified epoch's income, in
	// basis points (1/10,000).
	KeeperShareBps uint16
	// SlashBps is the share of a Provider's pledge slashed per failed epoch (basis points).
	SlashBps uint16
	// RandomnessDelay is how long into an epoch its randomness can first be recorded
	// (whole seconds, below EpochLength).
	RandomnessDelay time.Duration
	// CertifyWindow is how many epochs after its end an epoch can still be certified.
	CertifyWindow uint64
	// FailingEpochs is how long a failed Provider counts as failing (providerStatus).
	FailingEpochs uint64
}

// DefaultDeployParams suits a devnet: 1 MEMO pledges, 1 h unlock delay, 1 h epochs,
// faucet on, Keepers take 10 %, a failed epoch slashes 10 % of the pledge.
func DefaultDeployParams() DeployParams {
	return DeployParams{
		ProviderMinPledge: MEMO(1),
		KeeperMinPledge:   MEMO(1),
		UnlockDelay:       time.Hour,
		EpochLength:       time.Hour,
		Faucet:            true,
		KeeperShareBps:    1000,
		SlashBps:          1000,
		RandomnessDelay:   time.Minute,
		CertifyWindow:     24,
		FailingEpochs:     24,
	}
}

// Params are a deployment's parameters as read back from the chain.
type Params struct {
	DeployParams
	Genesis uint64 // unix time of epoch 0
}

// Node is an active registered node as listed by the Registry.
type Node struct {
	Address common.Address
	PeerID  string
	Addrs   []string
}

// Registration is everything the Registry knows about an account.
type Registration struct {
	Role     Role
	Active   bool      // registered and not deregistered
	Pledge   *big.Int  // locked pledge, token wei
	UnlockAt time.Time // when a deregistered account may withdraw its pledge (zero if active)
	PeerID   string
	Addrs    []string
}

// Deposit is a User's deposit in the Settlement contract.
type Deposit struct {
	Free   *big.Int // withdrawable
	Locked *big.Int // escrow of the User's orders
}

// OrderUpdate is the new state of the (User, Provider) order that both parties sign.
type OrderUpdate struct {
	User     common.Address
	Provider common.Address
	Size     uint64      // bytes stored
	Price    *big.Int    // token wei per byte per epoch
	End      uint64      // last epoch (exclusive) the order pays for
	Root     common.Hash // Merkle root over the chunk commitments stored for the User
	Nonce    uint64      // stored nonce + 1
}

// SignedOrderUpdate is an OrderUpdate with both parties' EIP-712 signatures (65 bytes
// each, r || s || v).
type SignedOrderUpdate struct {
	OrderUpdate
	UserSig     []byte
	ProviderSig []byte
}

// Order is the on-chain state of a (User, Provider) order. A zero Nonce means no order
// ever existed; Size 0 with a non-zero Nonce means closed.
type Order struct {
	Size        uint64
	Price       *big.Int
	Start       uint64 // epoch the current term began
	End         uint64
	Root        common.Hash
	Nonce       uint64
	LastSettled uint64   // income settled up to this epoch
	Escrow      *big.Int // locked for epochs LastSettled..End
}

// RegistryEvent is one change of the Registry, as reported by RegistryEvents.
type RegistryEvent struct {
	Kind    string // "registered", "addrs", "pledge", "deregistered", "withdrawn"
	Account common.Address
	Role    Role
	PeerID  string
	Addrs   []string
	Amount  *big.Int // pledge registered, added or withdrawn
	Block   uint64
	TxHash  common.Hash
}

var weiPerMEMO = new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)

// MEMO returns n whole MEMO in token wei.
func MEMO(n int64) *big.Int {
	return new(big.Int).Mul(big.NewInt(n), weiPerMEMO)
}

// FormatMEMO formats a token wei amount as a decimal MEMO string ("1.5").
func FormatMEMO(wei *big.Int) string {
	if wei == nil {
		return "0"
	}
	r := new(big.Rat).SetFrac(wei, weiPerMEMO)
	s := r.FloatString(18)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
