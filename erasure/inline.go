package erasure

// Inline sealing: data small enough to live in the User's metadata is
// sealed whole, with no Reed-Solomon coding, under its data key.
//
// Invariants:
//   - The nonce and AAD use stripe number InlineStripe, which no coded
//     stripe ever has, so an inline seal and a stripe of the same data id
//     never share a nonce under one key.

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
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

// OpenRange decrypts in place b, the bytes at byte off of stripe number
// stripe's ciphertext under key (Encode's AES-GCM), WITHOUT authenticating
// them: GCM's ciphertext is its plaintext XOR a counter-mode keystream, so a
// range can be decrypted alone, but only the whole stripe carries a tag.
// A caller reads a range only where the plaintext authenticates itself (a
// packed object, sealed with SealInline inside its pack's stripe).
func OpenRange(key []byte, stripe uint64, off int64, b []byte) error {
	if len(key) != KeySize {
		return fmt.Errorf("erasure: open range: key is %d bytes, want %d", len(key), KeySize)
	}
	if off < 0 || off+int64(len(b)) > maxCTRBytes {
		return fmt.Errorf("erasure: open range %d+%d: outside a stripe", off, len(b))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return fmt.Errorf("erasure: open range: aes: %w", err)
	}
	// GCM with a 96-bit nonce: J0 = nonce || 1, and plaintext block j is
	// masked with the encryption of nonce || 2+j (32-bit counter).
	nonce := stripeNonce(stripe)
	var iv [aes.BlockSize]byte
	copy(iv[:], nonce[:])
	binary.BigEndian.PutUint32(iv[nonceSize:], uint32(2+off/aes.BlockSize))
	ctr := cipher.NewCTR(block, iv[:])
	var skip [aes.BlockSize]byte
	ctr.XORKeyStream(skip[:off%aes.BlockSize], skip[:off%aes.BlockSize])
	ctr.XORKeyStream(b, b)
	return nil
}

// maxCTRBytes bounds OpenRange's reach: GCM's 32-bit block counter, which
// a stripe never nears.
const maxCTRBytes = (1<<32 - 2) * aes.BlockSize
