package p2p

// The challenge protocol: a Keeper asks a Provider for its proof of storage
// for one epoch. One stream per challenge:
//   request:  epoch, 8 bytes big-endian
//   response: wire status header (see WriteResponse) whose size is the
//             proof's length, then the proof (backend/proof encoding).
//
// Invariants:
//   - Both sides bound the exchange in time (ChallengeTimeout) and size
//     (proof.MaxSize); a Provider that does not answer within the timeout
//     has failed the challenge.
//   - The Provider decides whom it answers (Answerer), before any work.

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/proof"
)

// ChallengeProtocolID names version 1 of the challenge protocol.
const ChallengeProtocolID = "/mefs/challenge/1.0.0"

// ChallengeTimeout bounds one challenge, proving included.
const ChallengeTimeout = 30 * time.Second

// ErrRefusedChallenge is a Provider's refusal to answer a challenge.
var ErrRefusedChallenge = errors.New("provider refused the challenge")

// Answerer produces a Provider's encoded proof for epoch, asked by peer from.
type Answerer interface {
	Answer(ctx context.Context, from peer.ID, epoch uint64) ([]byte, error)
}

// Challenge asks Provider p for its proof of epoch and returns the encoded
// proof, undecoded.
func Challenge(ctx context.Context, h host.Host, p peer.ID, epoch uint64, timeout time.Duration) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	s, err := h.NewStream(ctx, p, ChallengeProtocolID)
	if err != nil {
		return nil, fmt.Errorf("open challenge stream to %s: %w", p, err)
	}
	defer s.Close()
	if dl, ok := ctx.Deadline(); ok {
		if err := s.SetDeadline(dl); err != nil {
			s.Reset()
			return nil, fmt.Errorf("challenge stream to %s: set deadline: %w", p, err)
		}
	}
	if _, err := s.Write(binary.BigEndian.AppendUint64(nil, epoch)); err != nil {
		s.Reset()
		return nil, fmt.Errorf("send challenge of epoch %d to %s: %w", epoch, p, err)
	}
	if err := s.CloseWrite(); err != nil {
		s.Reset()
		return nil, fmt.Errorf("send challenge of epoch %d to %s: %w", epoch, p, err)
	}
	n, err := ReadResponse(s)
	if err != nil {
		s.Reset()
		return nil, fmt.Errorf("challenge of epoch %d to %s: %w", epoch, p, err)
	}
	if n > proof.MaxSize {
		s.Reset()
		return nil, fmt.Errorf("challenge of epoch %d to %s: proof of %d bytes exceeds %d", epoch, p, n, proof.MaxSize)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(s, b); err != nil {
		s.Reset()
		return nil, fmt.Errorf("read proof of epoch %d from %s: %w", epoch, p, err)
	}
	return b, nil
}

// ServeChallenges answers challenges on h with a.
func ServeChallenges(h host.Host, a Answerer, log *slog.Logger) {
	h.SetStreamHandler(ChallengeProtocolID, func(s network.Stream) {
		defer s.Close()
		ctx, cancel := context.WithTimeout(context.Background(), ChallengeTimeout)
		defer cancel()
		if err := s.SetDeadline(time.Now().Add(ChallengeTimeout)); err != nil {
			s.Reset()
			return
		}
		var b [8]byte
		if _, err := io.ReadFull(s, b[:]); err != nil {
			s.Reset()
			return
		}
		epoch := binary.BigEndian.Uint64(b[:])
		from := s.Conn().RemotePeer()
		pr, err := a.Answer(ctx, from, epoch)
		if err == nil && len(pr) > proof.MaxSize {
			err = fmt.Errorf("proof of %d bytes exceeds %d", len(pr), proof.MaxSize)
		}
		if err != nil {
			log.Info("challenge refused", "from", from, "epoch", epoch, "err", err)
			_ = WriteResponse(s, StatusRefused, 0, err.Error())
			return
		}
		if err := WriteResponse(s, StatusOK, int64(len(pr)), ""); err != nil {
			s.Reset()
			return
		}
		if _, err := s.Write(pr); err != nil {
			s.Reset()
		}
	})
}
