package keeper

// Submitting certificates: after a certificate's epoch ends, the Keeper
// chosen by Submitter certifies it; attempt k (k·Fallback after the end)
// falls to the next Keeper in line, each checking the chain first so an
// already certified epoch costs no transaction.

import (
	"context"
	"errors"
	"time"

	"github.com/mefs-project/mefs/chain"
)

// submitDue submits or drops each held certificate whose epoch has ended
// (cur is the chain's current epoch).
func (l *Loop) submitDue(ctx context.Context, cur uint64, now time.Time) {
	l.mu.Lock()
	var due []*Certificate
	for _, c := range l.pending {
		if c.Epoch < cur {
			due = append(due, c)
			if _, ok := l.ended[c.Epoch]; !ok {
				l.ended[c.Epoch] = now
			}
		}
	}
	l.mu.Unlock()
	for _, c := range due {
		if l.trySubmit(ctx, c, cur, now) {
			l.mu.Lock()
			delete(l.pending, c.Attestation)
			l.mu.Unlock()
		}
	}
}

// trySubmit reports whether c is settled (certified by anyone, or too old).
func (l *Loop) trySubmit(ctx context.Context, c *Certificate, cur uint64, now time.Time) bool {
	if cur > c.Epoch+l.params.CertifyWindow {
		return true
	}
	keepers, err := l.keeperAddrs(c.Epoch)
	if err != nil || len(keepers) == 0 {
		return false
	}
	l.mu.Lock()
	attempt := int(now.Sub(l.ended[c.Epoch]) / l.Fallback)
	l.mu.Unlock()
	mine := false
	for k := 0; k <= attempt && !mine; k++ {
		mine = Submitter(keepers, c.Provider, c.Epoch, k) == l.Chain.Address()
	}
	if !mine {
		return false
	}
	st, err := l.Chain.CertificateOf(ctx, c.Provider, c.Epoch)
	if err != nil {
		return false
	}
	if st.Status != chain.CertNone {
		return true
	}
	// Every signature gathered by now, not only the first quorum's: each
	// absentee listed costs gas.
	if latest, err := l.coll.Build(c.Attestation); err == nil && latest != nil {
		c = latest
	}
	err = l.Chain.Certify(ctx, chain.Certificate{Provider: c.Provider, Epoch: c.Epoch, Pass: c.Pass, ProofDigest: c.ProofDigest,
		Absentees: c.Absentees, Signature: c.Signature})
	if err != nil {
		l.Log.Warn("certify", "provider", c.Provider, "epoch", c.Epoch, "pass", c.Pass, "err", err)
		return errors.Is(err, chain.ErrReverted) && l.certified(ctx, c)
	}
	l.Log.Info("certified", "provider", c.Provider, "epoch", c.Epoch, "pass", c.Pass, "signatures", c.Signers, "absent", len(c.Absentees))
	l.stats.certifications.Add(1)
	if l.OnCertified != nil {
		l.OnCertified(*c)
	}
	return true
}

// certified reports whether (c.Provider, c.Epoch) is certified on chain.
func (l *Loop) certified(ctx context.Context, c *Certificate) bool {
	st, err := l.Chain.CertificateOf(ctx, c.Provider, c.Epoch)
	return err == nil && st.Status != chain.CertNone
}

// forget drops state of epochs that can no longer be certified.
func (l *Loop) forget(e uint64) {
	if e <= l.params.CertifyWindow+1 {
		return
	}
	old := e - l.params.CertifyWindow - 1
	l.coll.Forget(old)
	l.mu.Lock()
	defer l.mu.Unlock()
	for x := range l.recorded {
		if x < old {
			delete(l.recorded, x)
			delete(l.judging, x)
		}
	}
	for x := range l.ended {
		if x < old {
			delete(l.ended, x)
		}
	}
}
