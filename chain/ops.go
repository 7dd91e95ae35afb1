package chain

// Invariants:
//   - Each method maps to exactly one contract function (plus, for Register, AddPledge
//     and Deposit, an approve transaction only when the allowance is short).
//   - Contract structs from the bindings never leave this file: callers see the chain
//     package's own types.

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/mefs-project/mefs/chain/bindings/memotoken"
	"github.com/mefs-project/mefs/chain/bindings/registry"
	"github.com/mefs-project/mefs/chain/bindings/settlement"
)

// nodesPage is how many nodes one Registry.nodes call returns.
const nodesPage = 200

func (c *client) Deploy(ctx context.Context, p DeployParams) (Contracts, error) {
	if err := p.check(); err != nil {
		return Contracts{}, err
	}
	var ct Contracts
	supply := p.InitialSupply
	if supply == nil {
		supply = new(big.Int)
	}
	args := tokenABI.PackConstructor(p.Faucet, supply)
	r, err := c.transact(ctx, "deploy MemoToken", nil, append(common.FromHex(memotoken.MemoTokenMetaData.Bin), args...), nil)
	if err != nil {
		return Contracts{}, err
	}
	ct.Token = r.ContractAddress

	args = registryABI.PackConstructor(ct.Token, p.ProviderMinPledge, p.KeeperMinPledge, uint64(p.UnlockDelay/time.Second), uint64(p.EpochLength/time.Second))
	r, err = c.transact(ctx, "deploy Registry", nil, append(common.FromHex(registry.RegistryMetaData.Bin), args...), nil)
	if err != nil {
		return Contracts{}, err
	}
	ct.Registry = r.ContractAddress

	args = settlementABI.PackConstructor(ct.Token, ct.Registry, settlement.SettlementConfig{
		KeeperShareBps: p.KeeperShareBps, SlashBps: p.SlashBps, RandomnessDelay: uint64(p.RandomnessDelay / time.Second),
		CertifyWindow: p.CertifyWindow, FailingEpochs: p.FailingEpochs,
	})
	r, err = c.transact(ctx, "deploy Settlement", nil, append(common.FromHex(settlement.SettlementMetaData.Bin), args...), nil)
	if err != nil {
		return Contracts{}, err
	}
	ct.Settlement = r.ContractAddress
	if _, err := c.transact(ctx, "bindSettlement", addr(ct.Registry), registryABI.PackBindSettlement(ct.Settlement), nil); err != nil {
		return Contracts{}, err
	}

	c.mu.Lock()
	c.contracts = ct
	c.mu.Unlock()
	c.log.Info("contracts deployed", "token", ct.Token, "registry", ct.Registry, "settlement", ct.Settlement, "faucet", p.Faucet)
	return ct, nil
}

// check validates p before anything is deployed.
func (p DeployParams) check() error {
	if p.ProviderMinPledge == nil || p.KeeperMinPledge == nil || p.ProviderMinPledge.Sign() < 0 || p.KeeperMinPledge.Sign() < 0 {
		return errors.New("chain: deploy: minimum pledges must be set and non-negative")
	}
	if p.EpochLength < time.Second || p.UnlockDelay < 0 {
		return fmt.Errorf("chain: deploy: epoch length %v (want ≥ 1s), unlock delay %v (want ≥ 0)", p.EpochLength, p.UnlockDelay)
	}
	if p.RandomnessDelay < 0 || p.RandomnessDelay >= p.EpochLength {
		return fmt.Errorf("chain: deploy: randomness delay %v must be ≥ 0 and below the epoch length %v", p.RandomnessDelay, p.EpochLength)
	}
	if p.KeeperShareBps > 10000 || p.SlashBps > 10000 || p.CertifyWindow == 0 {
		return fmt.Errorf("chain: deploy: keeper share %d bps, slash %d bps (want ≤ 10000), certify window %d epochs (want ≥ 1)", p.KeeperShareBps, p.SlashBps, p.CertifyWindow)
	}
	return nil
}

func (c *client) Params(ctx context.Context) (Params, error) {
	ct := c.Contracts()
	var p Params
	var err error
	if p.ProviderMinPledge, err = call(ctx, c, "minProviderPledge", ct.Registry, registryABI.PackMinProviderPledge(), nil, registryABI.UnpackMinProviderPledge); err != nil {
		return Params{}, err
	}
	if p.KeeperMinPledge, err = call(ctx, c, "minKeeperPledge", ct.Registry, registryABI.PackMinKeeperPledge(), nil, registryABI.UnpackMinKeeperPledge); err != nil {
		return Params{}, err
	}
	delay, err := call(ctx, c, "unlockDelay", ct.Registry, registryABI.PackUnlockDelay(), nil, registryABI.UnpackUnlockDelay)
	if err != nil {
		return Params{}, err
	}
	secs, err := call(ctx, c, "epochSeconds", ct.Settlement, settlementABI.PackEpochSeconds(), nil, settlementABI.UnpackEpochSeconds)
	if err != nil {
		return Params{}, err
	}
	if p.Genesis, err = call(ctx, c, "genesis", ct.Settlement, settlementABI.PackGenesis(), nil, settlementABI.UnpackGenesis); err != nil {
		return Params{}, err
	}
	p.UnlockDelay = time.Duration(delay) * time.Second
	p.EpochLength = time.Duration(secs) * time.Second
	if err := c.verifyParams(ctx, &p); err != nil {
		return Params{}, err
	}
	return p, nil
}

// verifyParams reads the Settlement's verification parameters into p.
func (c *client) verifyParams(ctx context.Context, p *Params) error {
	set := c.Contracts().Settlement
	rd, err := call(ctx, c, "randomnessDelay", set, settlementABI.PackRandomnessDelay(), nil, settlementABI.UnpackRandomnessDelay)
	if err != nil {
		return err
	}
	p.RandomnessDelay = time.Duration(rd) * time.Second
	if p.CertifyWindow, err = call(ctx, c, "certifyWindow", set, settlementABI.PackCertifyWindow(), nil, settlementABI.UnpackCertifyWindow); err != nil {
		return err
	}
	if p.FailingEpochs, err = call(ctx, c, "failingEpochs", set, settlementABI.PackFailingEpochs(), nil, settlementABI.UnpackFailingEpochs); err != nil {
		return err
	}
	if p.KeeperShareBps, err = call(ctx, c, "keeperShareBps", set, settlementABI.PackKeeperShareBps(), nil, settlementABI.UnpackKeeperShareBps); err != nil {
		return err
	}
	p.SlashBps, err = call(ctx, c, "slashBps", set, settlementABI.PackSlashBps(), nil, settlementABI.UnpackSlashBps)
	return err
}

func (c *client) CurrentEpoch(ctx context.Context) (uint64, error) {
	return call(ctx, c, "currentEpoch", c.Contracts().Settlement, settlementABI.PackCurrentEpoch(), nil, settlementABI.UnpackCurrentEpoch)
}

// ---- token ----

func (c *client) Faucet(ctx context.Context) error {
	_, err := c.transact(ctx, "faucet", addr(c.Contracts().Token), tokenABI.PackFaucet(), nil)
	return err
}

func (c *client) Balance(ctx context.Context, account common.Address) (*big.Int, error) {
	data, err := tokenABI.TryPackBalanceOf(account)
	return call(ctx, c, "balanceOf", c.Contracts().Token, data, err, tokenABI.UnpackBalanceOf)
}

func (c *client) Approve(ctx context.Context, spender common.Address, amount *big.Int) error {
	data, err := tokenABI.TryPackApprove(spender, amount)
	_, err = c.transact(ctx, "approve", addr(c.Contracts().Token), data, err)
	return err
}

func (c *client) Transfer(ctx context.Context, to common.Address, amount *big.Int) error {
	data, err := tokenABI.TryPackTransfer(to, amount)
	_, err = c.transact(ctx, "transfer", addr(c.Contracts().Token), data, err)
	return err
}

// ensureAllowance approves spender for amount when the current allowance is short.
func (c *client) ensureAllowance(ctx context.Context, spender common.Address, amount *big.Int) error {
	data, err := tokenABI.TryPackAllowance(c.from, spender)
	have, err := call(ctx, c, "allowance", c.Contracts().Token, data, err, tokenABI.UnpackAllowance)
	if err != nil {
		return notSent(err)
	}
	if have.Cmp(amount) >= 0 {
		return nil
	}
	return c.Approve(ctx, spender, amount)
}

// ---- registry ----

func (c *client) Register(ctx context.Context, role Role, nodeKey *ecdsa.PrivateKey, addrs []string, pledge *big.Int) error {
	proof, err := ProvePeer(nodeKey, c.chainID, c.Contracts().Registry, c.Address())
	if err != nil {
		return fmt.Errorf("chain: register: %w", err)
	}
	return c.register(ctx, role, proof, addrs, pledge)
}

// register sends a registration with an explicit peer proof.
func (c *client) register(ctx context.Context, role Role, proof PeerProof, addrs []string, pledge *big.Int) error {
	if pledge == nil {
		pledge = new(big.Int)
	}
	if addrs == nil {
		addrs = []string{}
	}
	ct := c.Contracts()
	if pledge.Sign() > 0 {
		if err := c.ensureAllowance(ctx, ct.Registry, pledge); err != nil {
			return fmt.Errorf("chain: register: approve pledge: %w", err)
		}
	}
	if role == RoleKeeper {
		data, err := c.packRegisterKeeper(proof, addrs, pledge)
		_, err = c.transactHeadroom(ctx, "register "+role.String(), addr(ct.Registry), data, err, keeperSetHeadroom)
		return err
	}
	data, err := registryABI.TryPackRegister(uint8(role), proof.Key, proof.Sig, addrs, pledge)
	_, err = c.transact(ctx, "register "+role.String(), addr(ct.Registry), data, err)
	return err
}

// packRegisterKeeper is a Keeper's registration, with its BLS key and the key's proof
// of possession.
func (c *client) packRegisterKeeper(proof PeerProof, addrs []string, pledge *big.Int) ([]byte, error) {
	sk, err := c.keeperKey()
	if err != nil {
		return nil, err
	}
	bls, err := ProveBLSKey(sk, c.chainID, c.Contracts().Registry, c.Address())
	if err != nil {
		return nil, err
	}
	return registryABI.TryPackRegisterKeeper(proof.Key, proof.Sig, addrs, pledge, bls)
}

func (c *client) UpdateAddrs(ctx context.Context, nodeKey *ecdsa.PrivateKey, addrs []string) error {
	proof, err := ProvePeer(nodeKey, c.chainID, c.Contracts().Registry, c.Address())
	if err != nil {
		return fmt.Errorf("chain: updateAddrs: %w", err)
	}
	return c.updateAddrs(ctx, proof, addrs)
}

// updateAddrs sends an address update with an explicit peer proof.
func (c *client) updateAddrs(ctx context.Context, proof PeerProof, addrs []string) error {
	if addrs == nil {
		addrs = []string{}
	}
	data, err := registryABI.TryPackUpdateAddrs(proof.Key, proof.Sig, addrs)
	_, err = c.transact(ctx, "updateAddrs", addr(c.Contracts().Registry), data, err)
	return err
}

// MaxMetaRoot is the longest metadata root the Registry records.
const MaxMetaRoot = 4096

func (c *client) SetMetaRoot(ctx context.Context, root []byte) error {
	if len(root) > MaxMetaRoot {
		return fmt.Errorf("chain: setMetaRoot: %d bytes, at most %d", len(root), MaxMetaRoot)
	}
	data, err := registryABI.TryPackSetMetaRoot(root)
	_, err = c.transact(ctx, "setMetaRoot", addr(c.Contracts().Registry), data, err)
	return err
}

func (c *client) MetaRootOf(ctx context.Context, account common.Address) ([]byte, error) {
	data, err := registryABI.TryPackMetaRootOf(account)
	return call(ctx, c, "metaRootOf", c.Contracts().Registry, data, err, registryABI.UnpackMetaRootOf)
}

func (c *client) AddPledge(ctx context.Context, amount *big.Int) error {
	ct := c.Contracts()
	if amount != nil && amount.Sign() > 0 {
		if err := c.ensureAllowance(ctx, ct.Registry, amount); err != nil {
			return fmt.Errorf("chain: addPledge: approve: %w", err)
		}
	}
	data, err := registryABI.TryPackAddPledge(amount)
	_, err = c.transact(ctx, "addPledge", addr(ct.Registry), data, err)
	return err
}

func (c *client) Deregister(ctx context.Context) error {
	// A Keeper leaving changes the Keeper set like one joining.
	_, err := c.transactHeadroom(ctx, "deregister", addr(c.Contracts().Registry), registryABI.PackDeregister(), nil, keeperSetHeadroom)
	return err
}

func (c *client) WithdrawPledge(ctx context.Context) error {
	_, err := c.transact(ctx, "withdrawPledge", addr(c.Contracts().Registry), registryABI.PackWithdrawPledge(), nil)
	return err
}

func (c *client) Info(ctx context.Context, account common.Address) (Registration, error) {
	data, err := registryABI.TryPackInfo(account)
	in, err := call(ctx, c, "info", c.Contracts().Registry, data, err, registryABI.UnpackInfo)
	if err != nil {
		return Registration{}, err
	}
	reg := Registration{Role: Role(in.Role), Active: in.Active, Pledge: in.Pledge, PeerID: PeerIDString(in.PeerId), Addrs: in.Addrs}
	if in.UnlockAt != 0 {
		reg.UnlockAt = time.Unix(int64(in.UnlockAt), 0)
	}
	return reg, nil
}

func (c *client) Providers(ctx context.Context) ([]Node, error) { return c.nodes(ctx, RoleProvider) }
func (c *client) Keepers(ctx context.Context) ([]Node, error)   { return c.nodes(ctx, RoleKeeper) }

// nodes pages through the active accounts of role.
func (c *client) nodes(ctx context.Context, role Role) ([]Node, error) {
	var out []Node
	for offset := 0; ; offset += nodesPage {
		data, err := registryABI.TryPackNodes(uint8(role), big.NewInt(int64(offset)), big.NewInt(nodesPage))
		page, err := call(ctx, c, role.String()+"s", c.Contracts().Registry, data, err, registryABI.UnpackNodes)
		if err != nil {
			return nil, err
		}
		for _, n := range page {
			out = append(out, Node{Address: n.Account, PeerID: PeerIDString(n.PeerId), Addrs: n.Addrs})
		}
		if len(page) < nodesPage {
			return out, nil
		}
	}
}

func (c *client) Count(ctx context.Context, role Role) (uint64, error) {
	data, err := registryABI.TryPackCount(uint8(role))
	n, err := call(ctx, c, "count", c.Contracts().Registry, data, err, registryABI.UnpackCount)
	if err != nil {
		return 0, err
	}
	return n.Uint64(), nil
}

func (c *client) RegistryEvents(ctx context.Context, from, to uint64) ([]RegistryEvent, error) {
	reg := c.Contracts().Registry
	if reg == (common.Address{}) {
		return nil, fmt.Errorf("chain: registry events: %w", ErrNotDeployed)
	}
	logs, err := c.b.FilterLogs(ctx, ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(from),
		ToBlock:   new(big.Int).SetUint64(to),
		Addresses: []common.Address{reg},
	})
	if err != nil {
		return nil, fmt.Errorf("chain: registry events %d..%d: %w", from, to, err)
	}
	out := make([]RegistryEvent, 0, len(logs))
	for i := range logs {
		ev, ok := decodeRegistryEvent(&logs[i])
		if ok {
			out = append(out, ev)
		}
	}
	return out, nil
}

func decodeRegistryEvent(l *types.Log) (RegistryEvent, bool) {
	ev := RegistryEvent{Block: l.BlockNumber, TxHash: l.TxHash}
	if e, err := registryABI.UnpackRegisteredEvent(l); err == nil {
		ev.Kind, ev.Account, ev.Role, ev.PeerID, ev.Addrs, ev.Amount = "registered", e.Account, Role(e.Role), PeerIDString(e.PeerId), e.Addrs, e.Pledge
	} else if e, err := registryABI.UnpackAddrsUpdatedEvent(l); err == nil {
		ev.Kind, ev.Account, ev.Role, ev.PeerID, ev.Addrs = "addrs", e.Account, Role(e.Role), PeerIDString(e.PeerId), e.Addrs
	} else if e, err := registryABI.UnpackPledgeAddedEvent(l); err == nil {
		ev.Kind, ev.Account, ev.Amount = "pledge", e.Account, e.Amount
	} else if e, err := registryABI.UnpackDeregisteredEvent(l); err == nil {
		ev.Kind, ev.Account, ev.Role = "deregistered", e.Account, Role(e.Role)
	} else if e, err := registryABI.UnpackPledgeWithdrawnEvent(l); err == nil {
		ev.Kind, ev.Account, ev.Role, ev.Amount = "withdrawn", e.Account, Role(e.Role), e.Amount
	} else {
		return RegistryEvent{}, false
	}
	return ev, true
}

// ---- settlement ----

func (c *client) Deposit(ctx context.Context, amount *big.Int) error {
	ct := c.Contracts()
	if amount != nil && amount.Sign() > 0 {
		if err := c.ensureAllowance(ctx, ct.Settlement, amount); err != nil {
			return fmt.Errorf("chain: deposit: approve: %w", err)
		}
	}
	data, err := settlementABI.TryPackDeposit(amount)
	_, err = c.transact(ctx, "deposit", addr(ct.Settlement), data, err)
	return err
}

func (c *client) Withdraw(ctx context.Context, amount *big.Int) error {
	data, err := settlementABI.TryPackWithdraw(amount)
	_, err = c.transact(ctx, "withdraw", addr(c.Contracts().Settlement), data, err)
	return err
}

func (c *client) DepositOf(ctx context.Context, user common.Address) (Deposit, error) {
	set := c.Contracts().Settlement
	data, err := settlementABI.TryPackBalanceOf(user)
	free, err := call(ctx, c, "balanceOf", set, data, err, settlementABI.UnpackBalanceOf)
	if err != nil {
		return Deposit{}, err
	}
	data, err = settlementABI.TryPackLockedOf(user)
	locked, err := call(ctx, c, "lockedOf", set, data, err, settlementABI.UnpackLockedOf)
	if err != nil {
		return Deposit{}, err
	}
	return Deposit{Free: free, Locked: locked}, nil
}

func (c *client) SignOrderUpdate(u OrderUpdate) ([]byte, error) {
	set := c.Contracts().Settlement
	if set == (common.Address{}) {
		return nil, fmt.Errorf("chain: sign order update: %w", ErrNotDeployed)
	}
	return SignOrderUpdate(c.key, c.chainID, set, u)
}

func (c *client) UpdateOrder(ctx context.Context, s SignedOrderUpdate) error {
	data, err := settlementABI.TryPackUpdateOrder(toBinding(s.OrderUpdate), s.UserSig, s.ProviderSig)
	_, err = c.transactHeadroom(ctx, "updateOrder", addr(c.Contracts().Settlement), data, err, epochHeadroom)
	return err
}

func (c *client) Order(ctx context.Context, user, provider common.Address) (Order, error) {
	data, err := settlementABI.TryPackOrder(user, provider)
	o, err := call(ctx, c, "order", c.Contracts().Settlement, data, err, settlementABI.UnpackOrder)
	if err != nil {
		return Order{}, err
	}
	return Order{
		Size: o.Size, Price: o.Price, Start: o.Start, End: o.End, Root: o.Root,
		Nonce: o.Nonce, LastSettled: o.LastSettled, Escrow: o.Escrow,
	}, nil
}

func (c *client) OrdersOf(ctx context.Context, provider common.Address) ([]common.Address, error) {
	data, err := settlementABI.TryPackOrdersOf(provider)
	return call(ctx, c, "ordersOf", c.Contracts().Settlement, data, err, settlementABI.UnpackOrdersOf)
}

func (c *client) Expire(ctx context.Context, user, provider common.Address) error {
	data, err := settlementABI.TryPackExpire(user, provider)
	_, err = c.transact(ctx, "expire", addr(c.Contracts().Settlement), data, err)
	return err
}

func (c *client) AccruedIncome(ctx context.Context, provider common.Address) (*big.Int, error) {
	data, err := settlementABI.TryPackAccruedIncome(provider)
	return call(ctx, c, "accruedIncome", c.Contracts().Settlement, data, err, settlementABI.UnpackAccruedIncome)
}

func toBinding(u OrderUpdate) settlement.SettlementOrderUpdate {
	price := u.Price
	if price == nil {
		price = new(big.Int)
	}
	return settlement.SettlementOrderUpdate{
		User: u.User, Provider: u.Provider, Size: u.Size, Price: price,
		End: u.End, Root: u.Root, Nonce: u.Nonce,
	}
}

func addr(a common.Address) *common.Address { return &a }
