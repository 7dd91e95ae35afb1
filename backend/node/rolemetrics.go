package node

// Metrics of every role in the process: Providers' chunks and bytes stored,
// requests, refusals and proofs; Keepers' verdicts and certificates; every chain client's
// transactions and gas. Read from the roles' own counters at scrape time.

import (
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/mefs-project/mefs/chain"
)

var (
	providerChunksDesc   = prometheus.NewDesc("mefs_provider_chunks", "Chunks a Provider stores (all Users).", []string{"peer"}, nil)
	providerBytesDesc    = prometheus.NewDesc("mefs_provider_bytes", "Chunk bytes a Provider stores (all Users).", []string{"peer"}, nil)
	providerRequestsDesc = prometheus.NewDesc("mefs_provider_requests_total", "Chunk requests a Provider received, by operation.", []string{"peer", "op"}, nil)
	providerRefusedDesc  = prometheus.NewDesc("mefs_provider_refused_total", "Requests a Provider refused before storing anything (no funded order, over quota, busy).", []string{"peer"}, nil)
	providerProofsDesc   = prometheus.NewDesc("mefs_provider_proofs_total", "Keeper challenges a Provider answered with a proof, or could not.", []string{"peer", "result"}, nil)
	keeperVerdictsDesc   = prometheus.NewDesc("mefs_keeper_verdicts_total", "Providers' epochs a Keeper judged and attested, by verdict.", []string{"peer", "verdict"}, nil)
	keeperCertsDesc      = prometheus.NewDesc("mefs_keeper_certificates_total", "Quorum certificates a Keeper submitted on chain.", []string{"peer"}, nil)
	keeperEpochDesc      = prometheus.NewDesc("mefs_keeper_epoch", "The last epoch a Keeper worked on.", []string{"peer"}, nil)
	chainTxDesc          = prometheus.NewDesc("mefs_chain_transactions_total", "Transactions of a chain client, by outcome (sent, mined, failed, refused).", []string{"account", "outcome"}, nil)
	chainGasDesc         = prometheus.NewDesc("mefs_chain_gas_total", "Gas used by a chain client's mined transactions.", []string{"account"}, nil)
)

// txStatser is a chain client that counts its transactions.
type txStatser interface {
	Address() common.Address
	TxStats() chain.TxStats
}

// roleCollector is registered once per registry; a devnet adds its roles
// to the User's (add).
type roleCollector struct {
	mu        sync.Mutex
	providers []*Provider
	keepers   []*Keeper
	chains    []chain.Client
}

// add adds roles and chain clients to what c exports.
func (c *roleCollector) add(providers []*Provider, keepers []*Keeper, chains ...chain.Client) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.providers = append(c.providers, providers...)
	c.keepers = append(c.keepers, keepers...)
	c.chains = append(c.chains, chains...)
}

func (c *roleCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{providerChunksDesc, providerBytesDesc, providerRequestsDesc, providerRefusedDesc, providerProofsDesc, keeperVerdictsDesc, keeperCertsDesc, keeperEpochDesc, chainTxDesc, chainGasDesc} {
		ch <- d
	}
}

func (c *roleCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	counter := func(d *prometheus.Desc, v int64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	for _, p := range c.providers {
		peer := p.Host.ID().String()
		n, b := p.Provider.Store.Usage()
		ch <- prometheus.MustNewConstMetric(providerChunksDesc, prometheus.GaugeValue, float64(n), peer)
		ch <- prometheus.MustNewConstMetric(providerBytesDesc, prometheus.GaugeValue, float64(b), peer)
		st := p.Provider.Stats()
		for op, n := range st.Requests {
			counter(providerRequestsDesc, n, peer, op)
		}
		counter(providerRefusedDesc, st.Refused, peer)
		if p.Prover != nil {
			ok, bad := p.Prover.Answered()
			counter(providerProofsDesc, ok, peer, "answered")
			counter(providerProofsDesc, bad, peer, "failed")
		}
	}
	for _, k := range c.keepers {
		if k.Loop == nil {
			continue
		}
		peer, ls := k.Host.ID().String(), k.Loop.Stats()
		counter(keeperVerdictsDesc, ls.Passed, peer, "pass")
		counter(keeperVerdictsDesc, ls.Failed, peer, "fail")
		counter(keeperCertsDesc, ls.Certificates, peer)
		ch <- prometheus.MustNewConstMetric(keeperEpochDesc, prometheus.GaugeValue, float64(ls.Epoch), peer)
	}
	for _, cl := range c.chains {
		s, ok := cl.(txStatser)
		if !ok {
			continue
		}
		acct, st := s.Address().Hex(), s.TxStats()
		for outcome, n := range map[string]uint64{"sent": st.Sent, "mined": st.Mined, "failed": st.Failed, "refused": st.Refused} {
			counter(chainTxDesc, int64(n), acct, outcome)
		}
		counter(chainGasDesc, int64(st.Gas), acct)
	}
}
