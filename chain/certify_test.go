package chain

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

func TestAttestationHashMatchesContract(t *testing.T) {
	v := newVerifyEnv(t, 1)
	for _, a := range []Attestation{
		{Provider: v.prov.Address(), Epoch: 7, Pass: true, ProofDigest: crypto.Keccak256Hash([]byte("proof"))},
		{Provider: v.prov2.Address(), Epoch: 1 << 40, Pass: false},
	} {
		data := settlementABI.PackHashAttestation(a.Provider, a.Epoch, a.Pass, a.ProofDigest)
		onChain, err := call(v.ctx, v.user, "hashAttestation", v.ct.Settlement, data, nil, settlementABI.UnpackHashAttestation)
		v.must(err)
		local, err := v.user.HashAttestation(a)
		v.must(err)
		if common.Hash(onChain) != local {
			t.Fatalf("hashAttestation %x, Go %s", onChain, local)
		}
		sig, err := v.keeper.SignAttestation(a)
		v.must(err)
		who, err := RecoverAttestationSigner(v.user.ChainID(), v.ct.Settlement, a, sig)
		if err != nil || who != v.keeper.Address() {
			t.Fatalf("recovered %s, %v", who, err)
		}
	}
}

func TestCertifyRules(t *testing.T) {
	v := newVerifyEnv(t, 4)
	k := v.keepers
	v.must(v.user.Deposit(v.ctx, MEMO(5)))
	v.order(v.user, v.prov, 1000, v.epoch()+20, 1)
	ep := v.nextEpochRandom()
	pass := Attestation{Provider: v.prov.Address(), Epoch: ep, Pass: true, ProofDigest: crypto.Keccak256Hash([]byte("proof"))}

	wantRevert(t, v.stranger.Certify(v.ctx, v.cert(pass, k[0], k[1], k[2])), "epoch not ended")
	v.advance(1)
	chainID := v.user.ChainID()
	other := func(id *big.Int, contract common.Address, who *client) []byte {
		sig, err := SignAttestation(v.keys[who], id, contract, pass)
		v.must(err)
		return sig
	}
	good := v.cert(pass, k[0], k[1])
	withSig := func(sig []byte) Certificate {
		c := good
		c.Signatures = append(append([][]byte{}, good.Signatures...), sig)
		return c
	}
	// Each signature must be by a distinct Keeper of the epoch over this chain + contract.
	wantRevert(t, v.stranger.Certify(v.ctx, withSig(other(big.NewInt(1), v.ct.Settlement, k[2]))), "signer not a keeper of the epoch")
	wantRevert(t, v.stranger.Certify(v.ctx, withSig(other(chainID, v.ct.Registry, k[2]))), "signer not a keeper of the epoch")
	wantRevert(t, v.stranger.Certify(v.ctx, withSig(v.sign(pass, k[0])[0])), "signers not distinct")
	wantRevert(t, v.stranger.Certify(v.ctx, withSig(v.sign(pass, v.stranger)[0])), "signer not a keeper of the epoch")
	wantRevert(t, v.stranger.Certify(v.ctx, withSig(v.sign(pass, v.prov)[0])), "signer not a keeper of the epoch")
	wantRevert(t, v.stranger.Certify(v.ctx, withSig(make([]byte, 65))), "bad signature")
	wantRevert(t, v.stranger.Certify(v.ctx, withSig(highS(v.sign(pass, k[2])[0]))), "bad signature")
	wantRevert(t, v.stranger.Certify(v.ctx, good), "below quorum")
	// Unsorted signatures straight to the contract are refused (the client sorts).
	sorted := SortSignatures(chainID, v.ct.Settlement, pass, v.sign(pass, k[0], k[1], k[2]))
	rev := [][]byte{sorted[2], sorted[1], sorted[0]}
	_, err := v.stranger.transact(v.ctx, "certify", addr(v.ct.Settlement), settlementABI.PackCertify(pass.Provider, ep, true, pass.ProofDigest, rev), nil)
	wantRevert(t, err, "signers not distinct or not ascending")
	// Signed attestation differs from the submitted one.
	forged := v.cert(pass, k[0], k[1], k[2])
	forged.ProofDigest = crypto.Keccak256Hash([]byte("other proof"))
	wantRevert(t, v.stranger.Certify(v.ctx, forged), "signer not a keeper")
	fail := Attestation{Provider: v.prov.Address(), Epoch: ep, Pass: false, ProofDigest: pass.ProofDigest}
	wantRevert(t, v.stranger.Certify(v.ctx, v.cert(fail, k[0], k[1], k[2])), "failing attestation carries a proof digest")
	notProv := pass
	notProv.Provider = v.keeper.Address()
	wantRevert(t, v.stranger.Certify(v.ctx, v.cert(notProv, k[0], k[1], k[2])), "not a provider")
	// An epoch without recorded randomness cannot be certified.
	noSeed := pass
	noSeed.Epoch = ep + 1
	v.advance(1)
	wantRevert(t, v.stranger.Certify(v.ctx, v.cert(noSeed, k[0], k[1], k[2])), "randomness not recorded")

	// 3 of 4 is a quorum; anyone may submit; once only (pass or fail).
	v.must(v.stranger.Certify(v.ctx, v.cert(pass, k[3], k[1], k[0])))
	wantRevert(t, v.stranger.Certify(v.ctx, v.cert(pass, k[0], k[1], k[2], k[3])), "already certified")
	fail.ProofDigest = common.Hash{}
	wantRevert(t, v.stranger.Certify(v.ctx, v.cert(fail, k[0], k[1], k[2])), "already certified")
	st, err := v.user.CertificateOf(v.ctx, v.prov.Address(), ep)
	v.must(err)
	if st.Status != CertPassed {
		t.Fatalf("certificate state %+v", st)
	}

	// A Keeper registered later is not in the epoch's set.
	late := v.newClient(v.sim.Keys()[0], v.ct)
	v.must(late.Faucet(v.ctx))
	v.must(late.Register(v.ctx, RoleKeeper, testNodeKey("peer-late"), nil, MEMO(3)))
	fail2 := Attestation{Provider: v.prov2.Address(), Epoch: ep}
	wantRevert(t, v.stranger.Certify(v.ctx, v.cert(fail2, k[0], k[1], late)), "signer not a keeper of the epoch")

	// Too old: past the certify window.
	v.advance(int(testParams.CertifyWindow))
	wantRevert(t, v.stranger.Certify(v.ctx, v.cert(fail2, k[0], k[1], k[2])), "epoch too old to certify")
}
