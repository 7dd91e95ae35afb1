package chain

import (
	"crypto/sha256"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// merkleRoot is a stand-in order root over n chunk commitments (the contract only
// stores the 32-byte root, whatever n is).
func merkleRoot(n int) common.Hash {
	level := make([][32]byte, n)
	for i := range level {
		level[i] = sha256.Sum256([]byte(fmt.Sprintf("chunk-%d", i)))
	}
	for len(level) > 1 {
		var next [][32]byte
		for i := 0; i < len(level); i += 2 {
			if i+1 == len(level) {
				next = append(next, level[i])
				continue
			}
			next = append(next, sha256.Sum256(append(level[i][:], level[i+1][:]...)))
		}
		level = next
	}
	return level[0]
}

// TestGas records the gas of each operation and checks that an order update costs the
// same for 1 object as for 10,000: order state is O(1) per (User, Provider) pair.
func TestGas(t *testing.T) {
	e := newEnv(t)
	e.must(e.user.Register(e.ctx, RoleUser, testNodeKey("peer-user"), []string{"/ip4/127.0.0.1/tcp/4001"}, nil))
	gasUser := e.lastGas("register user")
	e.must(e.user2.Register(e.ctx, RoleUser, testNodeKey("peer-user2"), []string{"/ip4/127.0.0.1/tcp/4005"}, nil))
	e.must(e.prov.Register(e.ctx, RoleProvider, testNodeKey("peer-prov"), []string{"/ip4/127.0.0.1/tcp/4002"}, MEMO(2)))
	gasProv := e.lastGas("register provider")
	e.must(e.prov2.Register(e.ctx, RoleProvider, testNodeKey("peer-prov2"), []string{"/ip4/127.0.0.1/tcp/4003"}, MEMO(2)))
	e.must(e.keeper.Register(e.ctx, RoleKeeper, testNodeKey("peer-keeper"), []string{"/ip4/127.0.0.1/tcp/4004"}, MEMO(3)))
	gasKeeper := e.lastGas("register keeper")
	e.must(e.user.Deposit(e.ctx, MEMO(5)))
	gasDeposit := e.lastGas("deposit")
	e.must(e.user2.Deposit(e.ctx, MEMO(5)))

	const objSize = 4 << 20 // 4 MiB per object
	ep := e.epoch()
	update := func(user, prov *client, objects int, nonce uint64) uint64 {
		u := OrderUpdate{User: user.Address(), Provider: prov.Address(), Size: uint64(objects) * objSize,
			Price: big.NewInt(1), End: ep + 100, Root: merkleRoot(objects), Nonce: nonce}
		e.must(user.UpdateOrder(e.ctx, e.signed(u, user, prov)))
		return e.lastGas("updateOrder")
	}
	// First updates of fresh pairs: 1 object vs 10,000 objects.
	first1 := update(e.user, e.prov, 1, 1)
	first10k := update(e.user2, e.prov2, 10_000, 1)
	e.advance(1)
	// Subsequent updates (settle one epoch each): again 1 vs 10,000 objects.
	next1 := update(e.user, e.prov, 2, 2)
	next10k := update(e.user2, e.prov2, 10_001, 2)
	e.advance(101)
	e.must(e.user.Expire(e.ctx, e.user.Address(), e.prov.Address()))
	gasExpire := e.lastGas("expire")
	e.must(e.user.Withdraw(e.ctx, MEMO(1)))
	gasWithdraw := e.lastGas("withdraw")
	e.must(e.prov.Deregister(e.ctx))
	gasDereg := e.lastGas("deregister")

	for _, pair := range [][2]uint64{{first1, first10k}, {next1, next10k}} {
		a, b := int64(pair[0]), int64(pair[1])
		if d := a - b; d > 500 || d < -500 {
			t.Errorf("updateOrder gas differs by %d between 1 and 10,000 objects (%d vs %d): not O(1)", d, a, b)
		}
	}

	var sb strings.Builder
	fmt.Fprintf(&sb, "\n%-40s %10s\n", "operation", "gas")
	for _, r := range []struct {
		op  string
		gas uint64
	}{
		{"register (user)", gasUser},
		{"register (provider, pledge)", gasProv},
		{"register (keeper, pledge)", gasKeeper},
		{"deposit", gasDeposit},
		{"updateOrder first, 1 object", first1},
		{"updateOrder first, 10,000 objects", first10k},
		{"updateOrder subsequent, 1 object", next1},
		{"updateOrder subsequent, 10,000 objects", next10k},
		{"expire", gasExpire},
		{"withdraw", gasWithdraw},
		{"deregister", gasDereg},
	} {
		fmt.Fprintf(&sb, "%-40s %10d\n", r.op, r.gas)
	}
	t.Log(sb.String())
}
