package chain

import (
	"bytes"
	"context"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bls12381 "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/consensys/gnark-crypto/ecc/bls12-381/fp"
	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
)

// blsChain is a simulated chain with the test-only BLSCheck contract deployed.
type blsChain struct {
	t    *testing.T
	ctx  context.Context
	cl   simulated.Client
	from common.Address
	addr common.Address
	abi  abi.ABI
}

func newBLSChain(t *testing.T) *blsChain {
	t.Helper()
	dir := filepath.Join("testdata", "blscheck")
	abiJSON, err := os.ReadFile(filepath.Join(dir, "BLSCheck.abi"))
	if err != nil {
		t.Fatal(err)
	}
	bin, err := os.ReadFile(filepath.Join(dir, "BLSCheck.bin"))
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := abi.JSON(bytes.NewReader(abiJSON))
	if err != nil {
		t.Fatal(err)
	}
	sim, err := NewSimulated(SimulatedOptions{Accounts: 1, NoHTTP: true, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	c := &blsChain{t: t, ctx: context.Background(), cl: sim.backend.Client(), from: sim.Accounts()[0], abi: parsed}
	opts := bind.NewKeyedTransactor(sim.Keys()[0], big.NewInt(SimulatedChainID))
	addr, tx, err := bind.DeployContract(opts, common.FromHex(strings.TrimSpace(string(bin))), c.cl, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := sim.waitMined(c.ctx, tx.Hash())
	if err != nil || r.Status != 1 {
		t.Fatalf("deploy BLSCheck: %v (receipt %+v)", err, r)
	}
	c.addr = addr
	return c
}

func (c *blsChain) msg(method string, args ...any) ethereum.CallMsg {
	c.t.Helper()
	data, err := c.abi.Pack(method, args...)
	if err != nil {
		c.t.Fatalf("pack %s: %v", method, err)
	}
	return ethereum.CallMsg{From: c.from, To: &c.addr, Data: data}
}

// call is an eth_call of method; a revert comes back as *RevertError.
func (c *blsChain) call(method string, args ...any) ([]any, error) {
	c.t.Helper()
	out, err := c.cl.CallContract(c.ctx, c.msg(method, args...), nil)
	if err != nil {
		return nil, asRevert(err)
	}
	return c.abi.Unpack(method, out)
}

// one is the single result of a call that must not fail.
func one[T any](c *blsChain, method string, args ...any) T {
	c.t.Helper()
	res, err := c.call(method, args...)
	if err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
	return res[0].(T)
}

func (c *blsChain) bytes(method string, args ...any) []byte { return one[[]byte](c, method, args...) }
func (c *blsChain) bool(method string, args ...any) bool    { return one[bool](c, method, args...) }

func (c *blsChain) wantRevert(want, method string, args ...any) {
	c.t.Helper()
	_, err := c.call(method, args...)
	if reason, ok := RevertReason(err); !ok || !strings.Contains(reason, want) {
		c.t.Fatalf("%s: error %v, want revert %q", method, err, want)
	}
}

func (c *blsChain) estimate(method string, args ...any) uint64 {
	c.t.Helper()
	g, err := c.cl.EstimateGas(c.ctx, c.msg(method, args...))
	if err != nil {
		c.t.Fatalf("estimate %s: %v", method, err)
	}
	return g
}

func pkBytes(pks []BLSPublicKey) [][]byte {
	out := make([][]byte, len(pks))
	for i := range pks {
		out[i] = pks[i][:]
	}
	return out
}

func TestBLSOnChain(t *testing.T) {
	c := newBLSChain(t)
	sks, pks := blsKeys(t, 16)
	sigDST, popDST := []byte(BLSSigDST), []byte(BLSPoPDST)

	t.Run("constants", func(t *testing.T) {
		if got := string(c.bytes("sigDST")); got != BLSSigDST {
			t.Errorf("SIG_DST %q", got)
		}
		if got := string(c.bytes("popDST")); got != BLSPoPDST {
			t.Errorf("POP_DST %q", got)
		}
		if got, want := c.bytes("negG2Generator"), EncodeG2(&negG2Gen); !bytes.Equal(got, want[:]) {
			t.Errorf("NEG_G2_GEN %x, want %x", got, want)
		}
	})

	t.Run("hashToG1", func(t *testing.T) {
		digests := [][32]byte{{}, digestOf("a"), digestOf("b"), digestOf("keeper")}
		for i := range digests[0] {
			digests[0][i] = 0xff
		}
		dsts := []string{BLSSigDST, BLSPoPDST, "x", strings.Repeat("D", 255)}
		for _, d := range digests {
			for _, dst := range dsts {
				want, err := BLSHashToG1(d, dst)
				if err != nil {
					t.Fatal(err)
				}
				enc := EncodeG1(&want)
				if got := c.bytes("hashToG1", d, []byte(dst)); !bytes.Equal(got, enc[:]) {
					t.Fatalf("hashToG1(%x, %q) = %x, want %x", d, dst, got, enc)
				}
			}
		}
		c.wantRevert("BLS: DST must be 1..255 bytes", "hashToG1", digestOf("a"), []byte{})
		c.wantRevert("BLS: DST must be 1..255 bytes", "hashToG1", digestOf("a"), bytes.Repeat([]byte{1}, 256))
	})

	t.Run("verify", func(t *testing.T) {
		d := digestOf("certificate")
		sig := blsSign(t, sks[0], d, BLSSigDST)
		if !c.bool("verify", pks[0][:], d, sig[:], sigDST) {
			t.Fatal("contract rejected a Go signature")
		}
		pop := blsSign(t, sks[0], d, BLSPoPDST)
		if !c.bool("verify", pks[0][:], d, pop[:], popDST) {
			t.Fatal("contract rejected a Go proof of possession")
		}
		badSig := sig
		badSig[100] ^= 1
		inf := make([]byte, BLSG2Size)
		off := offSubgroupG1(t)
		offSig := EncodeG1(&off)
		otherSig := blsSign(t, sks[1], d, BLSSigDST)
		for name, args := range map[string][]any{
			"message":        {pks[0][:], digestOf("other"), sig[:], sigDST},
			"dst":            {pks[0][:], d, sig[:], popDST},
			"pk":             {pks[1][:], d, sig[:], sigDST},
			"other signer":   {pks[0][:], d, otherSig[:], sigDST},
			"sig off curve":  {pks[0][:], d, badSig[:], sigDST},
			"sig off group":  {pks[0][:], d, offSig[:], sigDST},
			"pk at infinity": {inf, d, make([]byte, BLSG1Size), sigDST},
			"short pk":       {pks[0][:255], d, sig[:], sigDST},
			"short sig":      {pks[0][:], d, sig[:127], sigDST},
		} {
			if c.bool("verify", args...) {
				t.Errorf("verify accepted a tampered %s", name)
			}
		}
	})

	t.Run("aggregate", func(t *testing.T) {
		d := digestOf("epoch 42")
		for _, n := range []int{4, 16} {
			agg := blsQuorum(t, sks[:n], d)
			apk, err := AggregatePublicKeys(pks[:n]...)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.bytes("aggregateG2", pkBytes(pks[:n])); !bytes.Equal(got, apk[:]) {
				t.Fatalf("aggregateG2 of %d differs from Go", n)
			}
			if !c.bool("verifyAggregate", pkBytes(pks[:n]), d, agg[:], sigDST) {
				t.Fatalf("aggregate of %d rejected", n)
			}
			if c.bool("verifyAggregate", pkBytes(pks[:n-1]), d, agg[:], sigDST) {
				t.Fatalf("aggregate of %d accepted for %d keys", n, n-1)
			}
			short := blsQuorum(t, sks[:n-1], d)
			if c.bool("verifyAggregate", pkBytes(pks[:n]), d, short[:], sigDST) {
				t.Fatalf("%d signatures accepted for %d keys", n-1, n)
			}
		}
		c.wantRevert("BLS: no keys to aggregate", "aggregateG2", [][]byte{})
		c.wantRevert("BLS: G2 point must be 256 bytes", "aggregateG2", [][]byte{pks[0][:], pks[1][:255]})
	})

	t.Run("G2 arithmetic", func(t *testing.T) { testBLSChainG2(t, c) })

	t.Run("gas", func(t *testing.T) {
		d := digestOf("gas")
		sig := blsSign(t, sks[0], d, BLSSigDST)
		t.Logf("verify (1 key): estimateGas %d", c.estimate("verify", pks[0][:], d, sig[:], sigDST))
		for _, n := range []int{1, 4, 16} {
			agg := blsQuorum(t, sks[:n], d)
			est := c.estimate("verifyAggregate", pkBytes(pks[:n]), d, agg[:], sigDST)
			res, err := c.call("measureVerifyAggregate", pkBytes(pks[:n]), d, agg[:], sigDST)
			if err != nil || !res[0].(bool) {
				t.Fatalf("measureVerifyAggregate(%d): %v %v", n, res, err)
			}
			t.Logf("verifyAggregate (%2d keys): estimateGas %d, inside the contract %d", n, est, res[1].(*big.Int))
		}
	})
}

// testBLSChainG2 checks the contract's G2 add / negate / subtract against gnark.
func testBLSChainG2(t *testing.T, c *blsChain) {
	for range 4 {
		a, b := randG2(t), randG2(t)
		ea, eb := EncodeG2(&a), EncodeG2(&b)
		var sum, neg, diff bls12381.G2Affine
		sum.Add(&a, &b)
		neg.Neg(&a)
		diff.Sub(&a, &b)
		for name, want := range map[string]struct {
			got  []byte
			want [BLSG2Size]byte
		}{
			"add": {c.bytes("addG2", ea[:], eb[:]), EncodeG2(&sum)},
			"neg": {c.bytes("negG2", ea[:]), EncodeG2(&neg)},
			"sub": {c.bytes("subG2", ea[:], eb[:]), EncodeG2(&diff)},
			"a-a": {c.bytes("subG2", ea[:], ea[:]), [BLSG2Size]byte{}},
		} {
			if !bytes.Equal(want.got, want.want[:]) {
				t.Fatalf("%s: contract %x, gnark %x", name, want.got, want.want)
			}
		}
	}
	inf := make([]byte, BLSG2Size)
	if got := c.bytes("negG2", inf); !bytes.Equal(got, inf) {
		t.Fatalf("negG2(infinity) = %x", got)
	}
	// negG2 is plain field negation of y: check it on raw coordinates, zeros included.
	for _, ys := range [][2]uint64{{0, 5}, {5, 0}, {1, 1}} {
		var y0, y1 fp.Element
		y0.SetUint64(ys[0])
		y1.SetUint64(ys[1])
		raw := EncodeG2(&bls12381.G2Affine{X: randG2(t).X, Y: bls12381.E2{A0: y0, A1: y1}})
		want := raw
		y0.Neg(&y0)
		y1.Neg(&y1)
		putFp(want[128:], &y0)
		putFp(want[192:], &y1)
		if got := c.bytes("negG2", raw[:]); !bytes.Equal(got, want[:]) {
			t.Fatalf("negG2 of y=%v: %x, want %x", ys, got, want)
		}
	}
	g2 := randG2(t)
	e := EncodeG2(&g2)
	c.wantRevert("BLS: non-canonical field element", "negG2", nonCanonical(e[:], 128))
	c.wantRevert("BLS: G2 point must be 256 bytes", "negG2", e[:200])
	offCurve := e
	offCurve[255] ^= 1
	c.wantRevert("BLS: G2ADD failed", "addG2", e[:], offCurve[:])
}
