package erasure

// Inline sealing: data small enough to live in the User's metadata is
// sealed whole, with no Reed-Solomon coding, under its data key.
//
// Invariants:
//   - The nonce and AAD use stripe number InlineStripe, which no coded
//     stripe ever has, so an inline seal and a stripe of the same data id
//     never share a nonce under one key.

import (
	"fmt"
	"math"
)

// InlineStripe is the stripe number reserved for inline seals.
const InlineStripe = math.MaxUint64

// SealInline encrypts and authenticates plain as data id under key; the
// result is len(plain)+Overhead bytes.
func SealInline(key []byte, id DataID, plain []byte) ([]byte, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return nil, fmt.Errorf("erasure: seal %s inline: %w", id, err)
	}
	nonce := stripeNonce(InlineStripe)
	aad := stripeAAD(id, InlineStripe, len(plain))
	return aead.Seal(nil, nonce[:], plain, aad[:]), nil
}

// OpenInline checks and decrypts what SealInline returned for data id.
func OpenInline(key []byte, id DataID, sealed []byte) ([]byte, error) {
	if len(sealed) < Overhead {
		return nil, fmt.Errorf("erasure: open %s inline: %d bytes, shorter than the tag", id, len(sealed))
	}
	aead, err := newAEAD(key)
	if err != nil {
		return nil, fmt.Errorf("erasure: open %s inline: %w", id, err)
	}
	nonce := stripeNonce(InlineStripe)
	aad := stripeAAD(id, InlineStripe, len(sealed)-Overhead)
	plain, err := aead.Open(nil, nonce[:], sealed, aad[:])
	if err != nil {
		return nil, fmt.Errorf("erasure: open %s inline: %w", id, err)
	}
	return plain, nil
}
