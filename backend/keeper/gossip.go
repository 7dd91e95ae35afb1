package keeper

// Keepers exchange signed attestations over a GossipSub topic named for the
// deployment, so attestations of one chain or contract never mix with
// another's.
//
// Invariants:
//   - A message is exactly one SignedAttestation in its fixed 209-byte
//     encoding; anything else is rejected by the topic validator and never
//     reaches the Collector or is forwarded.
//   - The topic validates form only; whether the signer is a Keeper of the
//     epoch is the Collector's decision.

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/chain"
)

// SignedAttestation is one Keeper's signature over an attestation.
type SignedAttestation struct {
	Attestation
	Signer    common.Address
	Signature []byte // 128 bytes: BLS over the EIP-712 digest of the Settlement domain
}

const signedSize = 20 + 8 + 1 + 32 + 20 + chain.BLSG1Size

// Marshal encodes m as provider | epoch | pass | digest | signer | signature.
func (m SignedAttestation) Marshal() []byte {
	b := make([]byte, 0, signedSize)
	b = append(b, m.Provider[:]...)
	b = binary.BigEndian.AppendUint64(b, m.Epoch)
	if m.Pass {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	b = append(b, m.ProofDigest[:]...)
	b = append(b, m.Signer[:]...)
	return append(b, m.Signature...)
}

// ErrBadMessage rejects a malformed gossip message.
var ErrBadMessage = errors.New("keeper: malformed attestation message")

// UnmarshalSignedAttestation decodes Marshal's encoding, strictly.
func UnmarshalSignedAttestation(b []byte) (SignedAttestation, error) {
	var m SignedAttestation
	if len(b) != signedSize {
		return m, fmt.Errorf("%w: %d bytes, want %d", ErrBadMessage, len(b), signedSize)
	}
	copy(m.Provider[:], b[:20])
	m.Epoch = binary.BigEndian.Uint64(b[20:28])
	switch b[28] {
	case 0:
	case 1:
		m.Pass = true
	default:
		return m, fmt.Errorf("%w: pass byte %d", ErrBadMessage, b[28])
	}
	copy(m.ProofDigest[:], b[29:61])
	if !m.Pass && m.ProofDigest != (common.Hash{}) {
		return m, fmt.Errorf("%w: a failing attestation carries a digest", ErrBadMessage)
	}
	copy(m.Signer[:], b[61:81])
	m.Signature = append([]byte(nil), b[81:]...)
	return m, nil
}

// TopicName is the gossip topic of a deployment.
func TopicName(chainID *big.Int, settlement common.Address) string {
	return fmt.Sprintf("/mefs/attestations/1/%s/%s", chainID, settlement.Hex())
}

// Gossip is a joined attestation topic.
type Gossip struct {
	topic *pubsub.Topic
	sub   *pubsub.Subscription
}

// JoinGossip starts GossipSub on h and joins the deployment's topic.
func JoinGossip(ctx context.Context, h host.Host, topic string) (*Gossip, error) {
	ps, err := pubsub.NewGossipSub(ctx, h)
	if err != nil {
		return nil, fmt.Errorf("keeper: start gossipsub: %w", err)
	}
	valid := func(_ context.Context, _ peer.ID, msg *pubsub.Message) bool {
		_, err := UnmarshalSignedAttestation(msg.Data)
		return err == nil
	}
	if err := ps.RegisterTopicValidator(topic, valid); err != nil {
		return nil, fmt.Errorf("keeper: validator for %s: %w", topic, err)
	}
	t, err := ps.Join(topic)
	if err != nil {
		return nil, fmt.Errorf("keeper: join %s: %w", topic, err)
	}
	sub, err := t.Subscribe()
	if err != nil {
		return nil, fmt.Errorf("keeper: subscribe %s: %w", topic, err)
	}
	return &Gossip{topic: t, sub: sub}, nil
}

// Publish sends m to the other Keepers (and to this Keeper's own Next).
func (g *Gossip) Publish(ctx context.Context, m SignedAttestation) error {
	if err := g.topic.Publish(ctx, m.Marshal()); err != nil {
		return fmt.Errorf("keeper: publish attestation of %s at %d: %w", m.Provider, m.Epoch, err)
	}
	return nil
}

// Next returns the next valid message on the topic.
func (g *Gossip) Next(ctx context.Context) (SignedAttestation, error) {
	msg, err := g.sub.Next(ctx)
	if err != nil {
		return SignedAttestation{}, err
	}
	return UnmarshalSignedAttestation(msg.Data)
}

// Close leaves the topic.
func (g *Gossip) Close() {
	g.sub.Cancel()
	_ = g.topic.Close()
}
