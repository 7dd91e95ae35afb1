package chain

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
)

// TestVerifyGas measures the verification layer's gas (the README's table): recording
// randomness, certificates of 4, 16 and 64 Keepers (one aggregated BLS signature: the
// cost grows only with absentees, listed), a failing certificate (slash + refund of one
// User), and claims of 1 and 10 epochs.
func TestVerifyGas(t *testing.T) {
	type row struct {
		op  string
		gas uint64
	}
	var rows []row
	for _, n := range []int{4, 16, 64} {
		v := newVerifyEnv(t, n)
		v.must(v.user.Deposit(v.ctx, MEMO(5)))
		v.order(v.user, v.prov, 1000, v.epoch()+40, 1)
		q := int(Quorum(uint64(n)))
		a := Attestation{Provider: v.prov.Address(), Pass: true, ProofDigest: crypto.Keccak256Hash([]byte("p"))}
		var passed []uint64
		prev := v.nextEpochRandom()
		for i := 0; i < 9; i++ {
			cur := v.nextEpochRandom()
			a.Epoch = prev
			v.must(v.stranger.Certify(v.ctx, v.cert(a, v.keepers[:q]...)))
			passed = append(passed, prev)
			prev = cur
		}
		rows = append(rows, row{fmt.Sprintf("certify pass, %d Keepers (%d signed, %d absent)", n, q, n-q), v.lastGas("certify")})
		a.Epoch = prev
		v.advance(1)
		v.must(v.stranger.Certify(v.ctx, v.cert(a, v.keepers...)))
		rows = append(rows, row{fmt.Sprintf("certify pass, %d Keepers (all signed)", n), v.lastGas("certify")})
		prev = v.nextEpochRandom()
		if n == 4 {
			rows = append(rows, row{"recordRandomness", v.lastGas("recordRandomness")})
		}
		v.advance(1)
		v.must(v.stranger.Certify(v.ctx, v.cert(Attestation{Provider: v.prov.Address(), Epoch: prev}, v.keepers[:q]...)))
		rows = append(rows, row{fmt.Sprintf("certify fail (slash, refund 1 User), %d Keepers", n), v.lastGas("certify")})
		if n == 4 {
			_, err := v.prov.Claim(v.ctx, passed[:1])
			v.must(err)
			rows = append(rows, row{"claim 1 epoch", v.lastGas("claim")})
			_, err = v.prov.Claim(v.ctx, passed[1:])
			v.must(err)
			rows = append(rows, row{fmt.Sprintf("claim %d epochs", len(passed)-1), v.lastGas("claim")})
			v.advance(int(testParams.CertifyWindow))
			_, err = v.keepers[0].ClaimKeeperIncome(v.ctx, 0, passed[len(passed)-1]+1)
			v.must(err)
			rows = append(rows, row{fmt.Sprintf("claimKeeperIncome (%d epochs)", passed[len(passed)-1]+1), v.lastGas("claimKeeperIncome")})
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "\n%-52s %10s\n", "operation", "gas")
	for _, r := range rows {
		fmt.Fprintf(&sb, "%-52s %10d\n", r.op, r.gas)
	}
	t.Log(sb.String())
}
