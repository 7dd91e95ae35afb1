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
		pk, err := v.user.BLSKeyOf(v.ctx, v.keeper.Address())
		v.must(err)
		if !VerifyAttestation(pk, v.user.ChainID(), v.ct.Settlement, a, sig) {
			t.Fatal("the keeper's attestation does not verify under its registered BLS key")
		}
		if VerifyAttestation(pk, big.NewInt(1), v.ct.Settlement, a, sig) {
			t.Fatal("an attestation verified for another chain")
		}
	}
	sk, err := KeeperBLSKey(v.keys[v.keeper])
	v.must(err)
	pk := sk.PublicKey()
	data := registryABI.PackHashBLSPossession(v.keeper.Address(), pk[:])
	onChain, err := call(v.ctx, v.user, "hashBLSPossession", v.ct.Registry, data, nil, registryABI.UnpackHashBLSPossession)
	v.must(err)
	if common.Hash(onChain) != BLSPossessionHash(v.user.ChainID(), v.ct.Registry, v.keeper.Address(), pk) {
		t.Fatal("hashBLSPossession differs between Go and the contract")
	}
	if _, err := v.user.BLSKeyOf(v.ctx, v.user.Address()); err == nil {
		t.Fatal("a User has a BLS key")
	}
}

// TestKeeperRegistrationNeedsBLSProof: a Keeper registers only with a BLS key proven for
// its own account, and a key is owned once.
func TestKeeperRegistrationNeedsBLSProof(t *testing.T) {
	e := newEnv(t)
	e.must(e.keeper.Approve(e.ctx, e.ct.Registry, MEMO(3)))
	proof, err := ProvePeer(testNodeKey("k"), e.keeper.chainID, e.ct.Registry, e.keeper.Address())
	e.must(err)
	sk, err := KeeperBLSKey(e.keys[e.keeper])
	e.must(err)
	send := func(c *client, bls []byte) error {
		data := registryABI.PackRegisterKeeper(proof.Key, proof.Sig, []string{}, MEMO(3), bls)
		_, err := c.transact(e.ctx, "registerKeeper", &e.ct.Registry, data, nil)
		return err
	}
	forUser, err := ProveBLSKey(sk, e.keeper.chainID, e.ct.Registry, e.user.Address())
	e.must(err)
	wantRevert(t, send(e.keeper, forUser), "BLS key not proven")
	otherChain, err := ProveBLSKey(sk, big.NewInt(1), e.ct.Registry, e.keeper.Address())
	e.must(err)
	wantRevert(t, send(e.keeper, otherChain), "BLS key not proven")
	good, err := ProveBLSKey(sk, e.keeper.chainID, e.ct.Registry, e.keeper.Address())
	e.must(err)
	// A proof signed under the signature DST instead of the possession DST.
	pk := sk.PublicKey()
	wrongDST, err := sk.Sign(BLSPossessionHash(e.keeper.chainID, e.ct.Registry, e.keeper.Address(), pk), BLSSigDST)
	e.must(err)
	wantRevert(t, send(e.keeper, append(pk[:], wrongDST[:]...)), "BLS key not proven")
	wantRevert(t, send(e.keeper, good[:300]), "bad BLS key")
	raw := registryABI.PackRegister(uint8(RoleKeeper), proof.Key, proof.Sig, []string{}, MEMO(3))
	_, err = e.keeper.transact(e.ctx, "register", &e.ct.Registry, raw, nil)
	wantRevert(t, err, "keepers register with registerKeeper")
	e.must(send(e.keeper, good))

	// Another account cannot take the same BLS key, even with a valid proof for itself.
	e.must(e.user.Approve(e.ctx, e.ct.Registry, MEMO(3)))
	userPeer, err := ProvePeer(testNodeKey("u"), e.user.chainID, e.ct.Registry, e.user.Address())
	e.must(err)
	data := registryABI.PackRegisterKeeper(userPeer.Key, userPeer.Sig, []string{}, MEMO(3), forUser)
	_, err = e.user.transact(e.ctx, "registerKeeper", &e.ct.Registry, data, nil)
	wantRevert(t, err, "BLS key registered by another account")
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
	good := v.cert(pass, k[0], k[1], k[2])
	withSig := func(sigs ...BLSSignature) Certificate {
		agg, err := AggregateSignatures(sigs...)
		v.must(err)
		c := good
		c.Signature = agg[:]
		return c
	}
	signAs := func(who *client, id *big.Int, contract common.Address) BLSSignature {
		sk, err := KeeperBLSKey(v.keys[who])
		v.must(err)
		b, err := SignAttestation(sk, id, contract, pass)
		v.must(err)
		sig, err := DecodeBLSSignature(b)
		v.must(err)
		return sig
	}
	s := v.sign(pass, k[0], k[1], k[2])
	chainID := v.user.ChainID()
	for name, c := range map[string]Certificate{
		"a signer signed for another chain":    withSig(s[0], s[1], signAs(k[2], big.NewInt(1), v.ct.Settlement)),
		"a signer signed for another contract": withSig(s[0], s[1], signAs(k[2], chainID, v.ct.Registry)),
		"a listed signer did not sign":         withSig(s[0], s[1]),
		"a signer signed twice":                withSig(s[0], s[1], s[1]),
		"the absentee signed instead":          withSig(s[0], s[1], v.sign(pass, k[3])[0]),
		"a stranger signed too":                withSig(s[0], s[1], s[2], signAs(v.stranger, chainID, v.ct.Settlement)),
		"a signature at infinity":              {Provider: good.Provider, Epoch: ep, Pass: true, ProofDigest: pass.ProofDigest, Absentees: good.Absentees, Signature: make([]byte, 128)},
		"a signature of the wrong length":      {Provider: good.Provider, Epoch: ep, Pass: true, ProofDigest: pass.ProofDigest, Absentees: good.Absentees, Signature: good.Signature[:65]},
	} {
		err := v.stranger.Certify(v.ctx, c)
		if err == nil {
			t.Fatalf("%s: certified", name)
		}
		wantRevert(t, err, "bad aggregate signature")
	}
	twoOfFour := v.cert(pass, k[0], k[1])
	wantRevert(t, v.stranger.Certify(v.ctx, twoOfFour), "below quorum")
	dup := good
	dup.Absentees = []common.Address{k[3].Address(), k[3].Address()}
	wantRevert(t, v.stranger.Certify(v.ctx, dup), "absentees not distinct")
	notKeeper := good
	notKeeper.Absentees = []common.Address{v.stranger.Address()}
	wantRevert(t, v.stranger.Certify(v.ctx, notKeeper), "absentee not a keeper of the epoch")
	// Unsorted absentees straight to the contract are refused (the client sorts).
	two := SortAddresses([]common.Address{k[2].Address(), k[3].Address()})
	_, err := v.stranger.transact(v.ctx, "certify", addr(v.ct.Settlement),
		settlementABI.PackCertify(pass.Provider, ep, true, pass.ProofDigest, []common.Address{two[1], two[0]}, good.Signature), nil)
	wantRevert(t, err, "absentees not distinct or not ascending")
	// Signed attestation differs from the submitted one.
	forged := good
	forged.ProofDigest = crypto.Keccak256Hash([]byte("other proof"))
	wantRevert(t, v.stranger.Certify(v.ctx, forged), "bad aggregate signature")
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

	// A Keeper registered later is not in the epoch's set: its signature breaks the
	// aggregate, and without it there is no quorum.
	late := v.newClient(v.sim.Keys()[0], v.ct)
	v.must(late.Faucet(v.ctx))
	v.must(late.Register(v.ctx, RoleKeeper, testNodeKey("peer-late"), nil, MEMO(3)))
	fail2 := Attestation{Provider: v.prov2.Address(), Epoch: ep}
	withLate := v.cert(fail2, k[0], k[1], k[2])
	lateSig := v.sign(fail2, late)[0]
	own, err := DecodeBLSSignature(withLate.Signature)
	v.must(err)
	agg, err := AggregateSignatures(own, lateSig)
	v.must(err)
	withLate.Signature = agg[:]
	wantRevert(t, v.stranger.Certify(v.ctx, withLate), "bad aggregate signature")
	wantRevert(t, v.stranger.Certify(v.ctx, v.cert(fail2, k[0], k[1], late)), "below quorum")

	// Too old: past the certify window.
	v.advance(int(testParams.CertifyWindow))
	wantRevert(t, v.stranger.Certify(v.ctx, v.cert(fail2, k[0], k[1], k[2])), "epoch too old to certify")
}

// TestCertifyAfterAKeeperLeft: a member of the epoch's set that has left since is still
// in keeperSetAt, so a certificate lists it absent (or counts its signature).
func TestCertifyAfterAKeeperLeft(t *testing.T) {
	v := newVerifyEnv(t, 4)
	k := v.keepers
	v.must(v.user.Deposit(v.ctx, MEMO(5)))
	v.order(v.user, v.prov, 1000, v.epoch()+20, 1)
	ep := v.nextEpochRandom()
	v.advance(1)
	v.must(k[1].Deregister(v.ctx))
	v.advance(2)
	v.must(k[1].WithdrawPledge(v.ctx))
	set, err := v.user.KeeperSetAt(v.ctx, ep)
	v.must(err)
	if len(set) != 4 {
		t.Fatalf("keeperSetAt(%d) lists %d, want all 4 members", ep, len(set))
	}
	ks, err := v.user.KeepersAt(v.ctx, ep)
	v.must(err)
	if len(ks) != 3 {
		t.Fatalf("keepersAt lists %d still registered, want 3", len(ks))
	}
	pass := Attestation{Provider: v.prov.Address(), Epoch: ep, Pass: true, ProofDigest: crypto.Keccak256Hash([]byte("p"))}
	v.must(v.stranger.Certify(v.ctx, v.cert(pass, k[0], k[2], k[3])))
}
