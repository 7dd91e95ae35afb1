package chain

import (
	"errors"
	"math/big"
	"strconv"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
)

func TestOrderUpdateHashMatchesContractAndEIP712(t *testing.T) {
	e := newEnv(t)
	u := OrderUpdate{
		User: e.user.Address(), Provider: e.prov.Address(), Size: 1 << 40,
		Price: new(big.Int).Lsh(big.NewInt(1), 200), End: 123456, Root: hashOf("root"), Nonce: 42,
	}
	id := e.user.ChainID()
	if id.Int64() != SimulatedChainID {
		t.Fatalf("chain id %v, want %d", id, SimulatedChainID)
	}

	// Against the contract.
	onChain, err := call(e.ctx, e.user, "hashOrderUpdate", e.ct.Settlement, settlementABI.PackHashOrderUpdate(toBinding(u)), nil, settlementABI.UnpackHashOrderUpdate)
	e.must(err)
	if got := OrderUpdateHash(id, e.ct.Settlement, u); got != common.Hash(onChain) {
		t.Fatalf("Go hash %x != contract hash %x", got, onChain)
	}
	sep, err := call(e.ctx, e.user, "domainSeparator", e.ct.Settlement, settlementABI.PackDomainSeparator(), nil, settlementABI.UnpackDomainSeparator)
	e.must(err)
	if got := DomainSeparator(id, e.ct.Settlement); got != common.Hash(sep) {
		t.Fatalf("Go domain separator %x != contract %x", got, sep)
	}

	// Against go-ethereum's generic EIP-712 encoder (what wallets sign).
	td := apitypes.TypedData{
		Types: apitypes.Types{
			"EIP712Domain": {{Name: "name", Type: "string"}, {Name: "version", Type: "string"}, {Name: "chainId", Type: "uint256"}, {Name: "verifyingContract", Type: "address"}},
			"OrderUpdate": {{Name: "user", Type: "address"}, {Name: "provider", Type: "address"}, {Name: "size", Type: "uint64"},
				{Name: "price", Type: "uint256"}, {Name: "end", Type: "uint64"}, {Name: "root", Type: "bytes32"}, {Name: "nonce", Type: "uint64"}},
		},
		PrimaryType: "OrderUpdate",
		Domain: apitypes.TypedDataDomain{Name: DomainName, Version: DomainVersion,
			ChainId: (*math.HexOrDecimal256)(id), VerifyingContract: e.ct.Settlement.Hex()},
		Message: apitypes.TypedDataMessage{
			"user": u.User.Hex(), "provider": u.Provider.Hex(), "size": strconv.FormatUint(u.Size, 10),
			"price": u.Price.String(), "end": strconv.FormatUint(u.End, 10), "root": u.Root.Hex(),
			"nonce": strconv.FormatUint(u.Nonce, 10),
		},
	}
	want, _, err := apitypes.TypedDataAndHash(td)
	e.must(err)
	if got := OrderUpdateHash(id, e.ct.Settlement, u); got != common.BytesToHash(want) {
		t.Fatalf("Go hash %x != apitypes hash %x", got, want)
	}

	// Sign / recover / verify.
	sig, err := e.user.SignOrderUpdate(u)
	e.must(err)
	if len(sig) != 65 || (sig[64] != 27 && sig[64] != 28) {
		t.Fatalf("signature %x: want 65 bytes with v 27/28", sig)
	}
	signer, err := RecoverOrderSigner(id, e.ct.Settlement, u, sig)
	e.must(err)
	if signer != e.user.Address() {
		t.Fatalf("recovered %s, want %s", signer, e.user.Address())
	}
	e.must(VerifyOrderUpdate(id, e.ct.Settlement, u, sig, e.user.Address()))
	for name, err := range map[string]error{
		"wrong signer": VerifyOrderUpdate(id, e.ct.Settlement, u, sig, e.prov.Address()),
		"other chain":  VerifyOrderUpdate(big.NewInt(1), e.ct.Settlement, u, sig, e.user.Address()),
		"short":        VerifyOrderUpdate(id, e.ct.Settlement, u, sig[:64], e.user.Address()),
		"high s":       VerifyOrderUpdate(id, e.ct.Settlement, u, highS(sig), e.user.Address()),
	} {
		if !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: err = %v, want ErrBadSignature", name, err)
		}
	}
}

func TestUnitsAndRoles(t *testing.T) {
	if s := FormatMEMO(new(big.Int).Add(MEMO(1), new(big.Int).Div(MEMO(1), big.NewInt(2)))); s != "1.5" {
		t.Fatalf("FormatMEMO(1.5 MEMO) = %q", s)
	}
	if s := FormatMEMO(MEMO(10)); s != "10" {
		t.Fatalf("FormatMEMO(10 MEMO) = %q", s)
	}
	for _, r := range []Role{RoleUser, RoleProvider, RoleKeeper} {
		got, err := ParseRole(r.String())
		if err != nil || got != r {
			t.Fatalf("ParseRole(%q) = %v, %v", r.String(), got, err)
		}
	}
	if _, err := ParseRole("admin"); err == nil {
		t.Fatal("ParseRole(admin) succeeded")
	}
}
