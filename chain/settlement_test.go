package chain

import (
	"math/big"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// price of the tests' orders: 1 gwei per byte per epoch.
var testPrice = big.NewInt(1e9)

func TestDeposits(t *testing.T) {
	e := newEnv(t)
	e.registerAll()

	wantRevert(t, e.prov.Deposit(e.ctx, MEMO(1)), "caller is not a registered user")
	wantRevert(t, e.stranger.Deposit(e.ctx, MEMO(1)), "caller is not a registered user")
	wantRevert(t, e.user.Deposit(e.ctx, big.NewInt(0)), "zero amount")
	wantRevert(t, e.user.Deposit(e.ctx, MEMO(11)), "insufficient balance")

	e.must(e.user.Deposit(e.ctx, MEMO(5)))
	d, err := e.user.DepositOf(e.ctx, e.user.Address())
	e.must(err)
	wantBig(t, "free", d.Free, MEMO(5))
	wantBig(t, "locked", d.Locked, big.NewInt(0))

	wantRevert(t, e.user.Withdraw(e.ctx, MEMO(6)), "insufficient unlocked deposit")
	wantRevert(t, e.user2.Withdraw(e.ctx, big.NewInt(1)), "insufficient unlocked deposit")
	e.must(e.user.Withdraw(e.ctx, MEMO(1)))
	bal, err := e.user.Balance(e.ctx, e.user.Address())
	e.must(err)
	wantBig(t, "token balance after withdraw", bal, MEMO(6))

	// Escrow is locked: only the free part can be withdrawn.
	ep := e.epoch()
	u := OrderUpdate{User: e.user.Address(), Provider: e.prov.Address(), Size: 1000, Price: testPrice, End: ep + 10, Root: hashOf("r1"), Nonce: 1}
	e.must(e.user.UpdateOrder(e.ctx, e.signed(u, e.user, e.prov)))
	escrow := bigMul(1000, 1e9, 10)
	d, err = e.user.DepositOf(e.ctx, e.user.Address())
	e.must(err)
	wantBig(t, "locked", d.Locked, escrow)
	wantBig(t, "free", d.Free, bigSub(MEMO(4), escrow))
	wantRevert(t, e.user.Withdraw(e.ctx, MEMO(4)), "insufficient unlocked deposit")
	e.must(e.user.Withdraw(e.ctx, d.Free))
}

func TestOrderIncomeAndExpiry(t *testing.T) {
	e := newEnv(t)
	e.registerAll()
	e.must(e.user.Deposit(e.ctx, MEMO(5)))
	ep0 := e.epoch()
	perEpoch := func(size int64) *big.Int { return bigMul(size, 1e9) }
	accrued := func(want *big.Int) {
		t.Helper()
		got, err := e.user.AccruedIncome(e.ctx, e.prov.Address())
		e.must(err)
		wantBig(t, "accrued income", got, want)
	}
	deposit := func(free, locked *big.Int) {
		t.Helper()
		d, err := e.user.DepositOf(e.ctx, e.user.Address())
		e.must(err)
		wantBig(t, "free deposit", d.Free, free)
		wantBig(t, "locked deposit", d.Locked, locked)
	}

	// Epoch ep0: 1000 bytes until ep0+10.
	u := OrderUpdate{User: e.user.Address(), Provider: e.prov.Address(), Size: 1000, Price: testPrice, End: ep0 + 10, Root: hashOf("r1"), Nonce: 1}
	e.must(e.prov.UpdateOrder(e.ctx, e.signed(u, e.user, e.prov)))
	o, err := e.user.Order(e.ctx, e.user.Address(), e.prov.Address())
	e.must(err)
	if o.Size != 1000 || o.Start != ep0 || o.End != ep0+10 || o.Nonce != 1 || o.LastSettled != ep0 || o.Root != hashOf("r1") {
		t.Fatalf("order = %+v", o)
	}
	wantBig(t, "escrow", o.Escrow, bigMul(1000, 1e9, 10))
	deposit(bigSub(MEMO(5), bigMul(1000, 1e9, 10)), bigMul(1000, 1e9, 10))
	users, err := e.user.OrdersOf(e.ctx, e.prov.Address())
	e.must(err)
	if !slices.Equal(users, []common.Address{e.user.Address()}) {
		t.Fatalf("ordersOf = %v", users)
	}
	accrued(big.NewInt(0))

	// Income accrues per epoch without any transaction.
	e.advance(1)
	accrued(perEpoch(1000))
	e.advance(2)
	accrued(bigMul(3, 1000, 1e9))
	settled, err := call(e.ctx, e.user, "settledIncome", e.ct.Settlement, settlementABI.PackSettledIncome(e.prov.Address()), nil, settlementABI.UnpackSettledIncome)
	e.must(err)
	wantBig(t, "settled before any update", settled, big.NewInt(0))

	// Epoch ep0+3: grow to 2000 bytes; 3 epochs of 1000 bytes are settled.
	u.Size, u.Root, u.Nonce = 2000, hashOf("r2"), 2
	e.must(e.user.UpdateOrder(e.ctx, e.signed(u, e.user, e.prov)))
	paid := bigMul(3, 1000, 1e9)
	escrow := bigMul(2000, 1e9, 7)
	deposit(bigSub(MEMO(5), paid, escrow), escrow)
	accrued(paid)
	o, err = e.user.Order(e.ctx, e.user.Address(), e.prov.Address())
	e.must(err)
	if o.Start != ep0 || o.LastSettled != ep0+3 || o.Size != 2000 || o.Root != hashOf("r2") {
		t.Fatalf("order after grow = %+v", o)
	}

	// Epoch ep0+5: shrink to 500 bytes until ep0+8; the excess escrow returns at once.
	e.advance(2)
	accrued(new(big.Int).Add(paid, bigMul(2, 2000, 1e9)))
	u.Size, u.End, u.Nonce = 500, ep0+8, 3
	e.must(e.user.UpdateOrder(e.ctx, e.signed(u, e.user, e.prov)))
	paid.Add(paid, bigMul(2, 2000, 1e9))
	escrow = bigMul(500, 1e9, 3)
	deposit(bigSub(MEMO(5), paid, escrow), escrow)

	wantRevert(t, e.user.Expire(e.ctx, e.user.Address(), e.prov.Address()), "order not ended")
	wantRevert(t, e.stranger.Expire(e.ctx, e.user.Address(), e.prov.Address()), "not a party")
	wantRevert(t, e.user.Expire(e.ctx, e.user.Address(), e.prov2.Address()), "no order")

	// Past the end, nothing accrues any more.
	e.advance(5)
	paid.Add(paid, escrow)
	accrued(paid)
	e.advance(1)
	accrued(paid)

	// Expiry settles the rest and returns the unused escrow: locked goes to zero.
	e.must(e.prov.Expire(e.ctx, e.user.Address(), e.prov.Address()))
	deposit(bigSub(MEMO(5), paid), big.NewInt(0))
	accrued(paid)
	settled, err = call(e.ctx, e.user, "settledIncome", e.ct.Settlement, settlementABI.PackSettledIncome(e.prov.Address()), nil, settlementABI.UnpackSettledIncome)
	e.must(err)
	wantBig(t, "settled income", settled, paid)
	o, err = e.user.Order(e.ctx, e.user.Address(), e.prov.Address())
	e.must(err)
	if o.Size != 0 || o.Nonce != 3 || o.Escrow.Sign() != 0 {
		t.Fatalf("expired order = %+v", o)
	}
	users, err = e.user.OrdersOf(e.ctx, e.prov.Address())
	e.must(err)
	if len(users) != 0 {
		t.Fatalf("ordersOf after expiry = %v", users)
	}
	wantRevert(t, e.user.Expire(e.ctx, e.user.Address(), e.prov.Address()), "already closed")

	// The contract holds exactly deposits + settled income.
	held, err := e.user.Balance(e.ctx, e.ct.Settlement)
	e.must(err)
	wantBig(t, "contract balance", held, MEMO(5))

	// A later update starts a new term; the old nonce cannot come back.
	ep := e.epoch()
	u.Size, u.End, u.Nonce = 100, ep+2, 4
	e.must(e.user.UpdateOrder(e.ctx, e.signed(u, e.user, e.prov)))
	o, err = e.user.Order(e.ctx, e.user.Address(), e.prov.Address())
	e.must(err)
	if o.Start != ep || o.Nonce != 4 {
		t.Fatalf("renewed order = %+v", o)
	}
}

func TestExpiryRefundsUnusedEscrow(t *testing.T) {
	e := newEnv(t)
	e.registerAll()
	e.must(e.user.Deposit(e.ctx, MEMO(5)))
	ep0 := e.epoch()
	u := OrderUpdate{User: e.user.Address(), Provider: e.prov.Address(), Size: 1000, Price: testPrice, End: ep0 + 4, Root: hashOf("r"), Nonce: 1}
	e.must(e.user.UpdateOrder(e.ctx, e.signed(u, e.user, e.prov)))
	e.advance(6)
	before, err := e.user.DepositOf(e.ctx, e.user.Address())
	e.must(err)
	wantBig(t, "locked before expiry", before.Locked, bigMul(1000, 1e9, 4))
	e.must(e.user.Expire(e.ctx, e.user.Address(), e.prov.Address()))
	after, err := e.user.DepositOf(e.ctx, e.user.Address())
	e.must(err)
	wantBig(t, "locked after expiry", after.Locked, big.NewInt(0))
	// The escrow paid exactly the 4 epochs; the 2 epochs after the end cost nothing.
	wantBig(t, "free after expiry", after.Free, bigSub(MEMO(5), bigMul(1000, 1e9, 4)))
	inc, err := e.user.AccruedIncome(e.ctx, e.prov.Address())
	e.must(err)
	wantBig(t, "income", inc, bigMul(1000, 1e9, 4))

	// Closing early by a co-signed update (size 0, end now) refunds the rest at once.
	ep := e.epoch()
	u2 := OrderUpdate{User: e.user.Address(), Provider: e.prov2.Address(), Size: 1000, Price: testPrice, End: ep + 10, Root: hashOf("r"), Nonce: 1}
	e.must(e.user.UpdateOrder(e.ctx, e.signed(u2, e.user, e.prov2)))
	e.advance(2)
	u2.Size, u2.End, u2.Nonce = 0, e.epoch(), 2
	e.must(e.user.UpdateOrder(e.ctx, e.signed(u2, e.user, e.prov2)))
	d, err := e.user.DepositOf(e.ctx, e.user.Address())
	e.must(err)
	wantBig(t, "locked after early close", d.Locked, big.NewInt(0))
	wantBig(t, "free after early close", d.Free, bigSub(MEMO(5), bigMul(1000, 1e9, 4), bigMul(1000, 1e9, 2)))
}

func TestOrderAuthorisation(t *testing.T) {
	e := newEnv(t)
	e.registerAll()
	e.must(e.user.Deposit(e.ctx, MEMO(5)))
	chainID := e.user.ChainID()
	ep := e.epoch()
	base := OrderUpdate{User: e.user.Address(), Provider: e.prov.Address(), Size: 1000, Price: testPrice, End: ep + 10, Root: hashOf("r1"), Nonce: 1}
	sign := func(u OrderUpdate, id *big.Int, contract common.Address, userKey, provKey *client) SignedOrderUpdate {
		us, err := SignOrderUpdate(e.keys[userKey], id, contract, u)
		e.must(err)
		ps, err := SignOrderUpdate(e.keys[provKey], id, contract, u)
		e.must(err)
		return SignedOrderUpdate{OrderUpdate: u, UserSig: us, ProviderSig: ps}
	}

	// Wrong chain id or contract.
	wantRevert(t, e.user.UpdateOrder(e.ctx, sign(base, big.NewInt(1), e.ct.Settlement, e.user, e.prov)), "bad user signature")
	wantRevert(t, e.user.UpdateOrder(e.ctx, sign(base, chainID, e.ct.Registry, e.user, e.prov)), "bad user signature")
	other := e.newClient(e.sim.Keys()[0], Contracts{})
	ct2, err := other.Deploy(e.ctx, testParams)
	e.must(err)
	wantRevert(t, e.user.UpdateOrder(e.ctx, sign(base, chainID, ct2.Settlement, e.user, e.prov)), "bad user signature")

	// Wrong parties.
	wantRevert(t, e.user.UpdateOrder(e.ctx, e.signed(base, e.user2, e.prov)), "bad user signature")
	wantRevert(t, e.user.UpdateOrder(e.ctx, e.signed(base, e.prov, e.prov)), "bad user signature")
	wantRevert(t, e.user.UpdateOrder(e.ctx, e.signed(base, e.user, e.user)), "bad provider signature")
	wantRevert(t, e.user.UpdateOrder(e.ctx, e.signed(base, e.user, e.prov2)), "bad provider signature")
	good := e.signed(base, e.user, e.prov)
	swapped := good
	swapped.UserSig, swapped.ProviderSig = good.ProviderSig, good.UserSig
	wantRevert(t, e.user.UpdateOrder(e.ctx, swapped), "bad user signature")

	// Tampered content, malformed and malleated signatures.
	tampered := good
	tampered.Size = 1
	wantRevert(t, e.user.UpdateOrder(e.ctx, tampered), "bad user signature")
	short := good
	short.UserSig = good.UserSig[:64]
	wantRevert(t, e.user.UpdateOrder(e.ctx, short), "bad user signature")
	high := good
	high.UserSig = highS(good.UserSig)
	if a, err := crypto.Ecrecover(OrderUpdateHash(chainID, e.ct.Settlement, base).Bytes(), append(high.UserSig[:64:64], high.UserSig[64]-27)); err != nil || common.BytesToAddress(crypto.Keccak256(a[1:])[12:]) != e.user.Address() {
		t.Fatalf("high-s signature does not recover to the user (err %v): test is wrong", err)
	}
	wantRevert(t, e.user.UpdateOrder(e.ctx, high), "bad user signature")

	// Unregistered or wrongly registered parties.
	bad := base
	bad.User = e.stranger.Address()
	wantRevert(t, e.user.UpdateOrder(e.ctx, e.signed(bad, e.stranger, e.prov)), "user not registered")
	bad = base
	bad.Provider = e.keeper.Address()
	wantRevert(t, e.user.UpdateOrder(e.ctx, e.signed(bad, e.user, e.keeper)), "provider not registered")
	bad.Provider = e.user2.Address()
	wantRevert(t, e.user.UpdateOrder(e.ctx, e.signed(bad, e.user, e.user2)), "provider not registered")

	// Deposit too small (user2 deposited nothing; user cannot cover 10^16 bytes).
	bad = base
	bad.User = e.user2.Address()
	wantRevert(t, e.user.UpdateOrder(e.ctx, e.signed(bad, e.user2, e.prov)), "insufficient deposit")
	bad = base
	bad.Size = 1e16
	wantRevert(t, e.user.UpdateOrder(e.ctx, e.signed(bad, e.user, e.prov)), "insufficient deposit")

	// Nonces: skipping ahead fails; the right one works, relayed by anyone; replay fails.
	bad = base
	bad.Nonce = 2
	wantRevert(t, e.user.UpdateOrder(e.ctx, e.signed(bad, e.user, e.prov)), "bad nonce")
	e.must(e.stranger.UpdateOrder(e.ctx, good))
	wantRevert(t, e.user.UpdateOrder(e.ctx, good), "bad nonce")
	bad.Nonce = 1
	bad.Size = 10
	wantRevert(t, e.user.UpdateOrder(e.ctx, e.signed(bad, e.user, e.prov)), "bad nonce")

	// End before now.
	e.advance(3)
	bad = base
	bad.Nonce, bad.End = 2, ep+2
	wantRevert(t, e.user.UpdateOrder(e.ctx, e.signed(bad, e.user, e.prov)), "end in the past")

	// A deregistered Provider takes no new updates.
	e.must(e.prov.Deregister(e.ctx))
	next := base
	next.Nonce = 2
	wantRevert(t, e.user.UpdateOrder(e.ctx, e.signed(next, e.user, e.prov)), "provider not registered")
}

// highS returns the malleated twin (r, n-s, v^1) of a 65-byte signature.
func highS(sig []byte) []byte {
	n := crypto.S256().Params().N
	s := new(big.Int).Sub(n, new(big.Int).SetBytes(sig[32:64]))
	out := make([]byte, 65)
	copy(out, sig[:32])
	s.FillBytes(out[32:64])
	out[64] = 27 + (1 - (sig[64] - 27))
	return out
}
