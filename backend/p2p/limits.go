package p2p

// Invariants:
//   - Every host runs libp2p's resource manager (never the null one): a
//     remote peer can hold at most the connections, streams and memory the
//     limits below allow, whatever it sends.
//   - Every host runs a connection manager: past connHigh connections the
//     least useful are trimmed back to connLow (connections younger than
//     connGrace are spared).

import (
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/libp2p/go-libp2p/p2p/host/resource-manager"
	"github.com/libp2p/go-libp2p/p2p/net/connmgr"
)

// The host limits (see docs/decisions.md, "Limits").
const (
	// chunkStreamsPerPeer bounds one peer's inbound chunk streams at once:
	// a gateway keeps at most a few dozen chunk requests in flight to one
	// Provider; four times that leaves room for bursts.
	chunkStreamsPerPeer = 256
	// orderStreamsPerPeer bounds one peer's order streams: one update at a
	// time per User, a few for retries.
	orderStreamsPerPeer = 4
	// connLow, connHigh and connGrace drive the connection manager.
	connLow, connHigh = 256, 512
	connGrace         = time.Minute
)

// limitOptions returns the resource and connection manager options every
// host starts with: libp2p's defaults scaled to the machine, plus the
// per-peer, per-protocol limits of the MEFS protocols.
func limitOptions() ([]libp2p.Option, error) {
	cfg := rcmgr.DefaultLimits
	libp2p.SetDefaultServiceLimits(&cfg)
	perPeer := func(id protocol.ID, streams int) {
		cfg.AddProtocolPeerLimit(id, rcmgr.BaseLimit{
			StreamsInbound: streams, StreamsOutbound: streams, Streams: 2 * streams,
			Memory: 256 << 20,
		}, rcmgr.BaseLimitIncrease{})
	}
	perPeer(ProtocolID, chunkStreamsPerPeer)
	perPeer(OrderProtocolID, orderStreamsPerPeer)
	// libp2p's own Prometheus metrics go to the default registry, which the
	// node's /metrics does not serve; tracing every stream's open and close
	// into them cost ~3 % of a 1 MiB GET's CPU.
	rm, err := rcmgr.NewResourceManager(rcmgr.NewFixedLimiter(cfg.AutoScale()), rcmgr.WithMetricsDisabled())
	if err != nil {
		return nil, fmt.Errorf("libp2p resource manager: %w", err)
	}
	cm, err := connmgr.NewConnManager(connLow, connHigh, connmgr.WithGracePeriod(connGrace))
	if err != nil {
		return nil, fmt.Errorf("libp2p connection manager: %w", err)
	}
	return []libp2p.Option{libp2p.ResourceManager(rm), libp2p.ConnectionManager(cm), libp2p.DisableMetrics()}, nil
}
