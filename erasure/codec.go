// Stripe codec: encrypt-then-erasure-code.
//
// Invariants:
//   - A stripe of plainLen plaintext bytes is sealed into plainLen+Overhead
//     bytes of AES-256-GCM ciphertext, zero-padded to k*ChunkSize(plainLen)
//     and split into k data chunks; m parity chunks follow. All k+m chunks
//     have length ChunkSize(plainLen) >= 1.
//   - The GCM nonce is 4 zero bytes || BE uint64 stripe index. It is unique
//     because keys are unique per object (DataKey) and stripe indexes are
//     unique within an object; callers must never re-encode different
//     plaintext under the same (key, stripe).
//   - The AAD binds object ID, stripe index and plaintext length, so chunks
//     moved between objects/positions or a wrong length fail with ErrAuth.
//   - Decode never writes into caller-supplied chunks; it only allocates.
//   - A Codec holds immutable state and is safe for concurrent use.
package erasure

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/klauspost/reedsolomon"
	"golang.org/x/crypto/hkdf"
)

// Overhead is the number of AEAD tag bytes added to every stripe.
const Overhead = 16

// KeySize is the length of the per-object AES-256 key returned by DataKey.
const KeySize = 32

// MinMasterSize is the minimum length of the master secret given to DataKey.
const MinMasterSize = 32

const (
	objectKeyInfo = "mefs/object-key/v1"
	stripeAADTag  = "mefs/stripe/v1"
	nonceSize     = 12
	aadSize       = len(stripeAADTag) + 16 + 8 + 8
)

var (
	// ErrTooFewChunks is returned (wrapped) by Decode when fewer than k
	// usable chunks were supplied.
	ErrTooFewChunks = errors.New("erasure: too few chunks")
	// ErrAuth is returned (wrapped) by Decode when the reassembled stripe
	// fails authentication (tampered/corrupt chunk, wrong key, object ID,
	// stripe index or plaintext length).
	ErrAuth = errors.New("erasure: stripe authentication failed")
)

// DataID identifies one run of encrypted data (an object's single part, or
// one part of a multipart object): it names the data's chunks and derives its
// key. It is random per upload, so data ids never repeat.
type DataID [16]byte

// String returns the ID in hex.
func (id DataID) String() string { return fmt.Sprintf("%x", id[:]) }

// DataKey derives the AES-256 key of data id (KeySize bytes) from a master
// secret with HKDF-SHA256, info = "mefs/object-key/v1" || id, no salt.
//
// It panics if master is shorter than MinMasterSize: a short master secret is
// a configuration bug that must be rejected when the secret is loaded.
func DataKey(master []byte, id DataID) []byte {
	if len(master) < MinMasterSize {
		panic(fmt.Sprintf("erasure: DataKey: master secret is %d bytes, need at least %d", len(master), MinMasterSize))
	}
	info := make([]byte, 0, len(objectKeyInfo)+len(id))
	info = append(info, objectKeyInfo...)
	info = append(info, id[:]...)
	key := make([]byte, KeySize)
	if _, err := io.ReadFull(hkdf.New(sha256.New, master, nil, info), key); err != nil {
		// Cannot happen: HKDF-SHA256 can produce 255*32 bytes.
		panic(fmt.Sprintf("erasure: DataKey: hkdf: %v", err))
	}
	return key
}

// Codec encodes stripes into k data + m parity chunks and back.
type Codec struct {
	k, m int
	enc  reedsolomon.Encoder
}

// NewCodec returns a codec with k data and m parity chunks per stripe.
// It requires 1 <= k, 0 <= m and k+m <= 256.
func NewCodec(k, m int) (*Codec, error) {
	if k < 1 || m < 0 || k > 256 || m > 256-k {
		return nil, fmt.Errorf("erasure: new codec k=%d m=%d: need 1<=k, 0<=m, k+m<=256", k, m)
	}
	enc, err := reedsolomon.New(k, m)
	if err != nil {
		return nil, fmt.Errorf("erasure: new codec k=%d m=%d: %w", k, m, err)
	}
	return &Codec{k: k, m: m, enc: enc}, nil
}

// K returns the number of data chunks per stripe.
func (c *Codec) K() int { return c.k }

// M returns the number of parity chunks per stripe.
func (c *Codec) M() int { return c.m }

// ChunkSize returns the chunk size for a stripe holding plainLen plaintext
// bytes: ceil((plainLen+Overhead)/k). plainLen must be >= 0.
func (c *Codec) ChunkSize(plainLen int) int {
	return (plainLen + Overhead + c.k - 1) / c.k
}

// maxPlainLen is the largest plainLen for which ChunkSize and the total
// k+m chunk bytes do not overflow int.
func (c *Codec) maxPlainLen() int {
	// (k+m)*cs must fit: cs <= MaxInt/(k+m), plainLen+Overhead <= k*cs.
	maxCS := math.MaxInt / (c.k + c.m)
	return maxCS*c.k - Overhead - c.k
}

// Encode seals plain (stripe number stripe of object id, under key) and
// returns k+m chunks of length ChunkSize(len(plain)): k data chunks holding
// the zero-padded ciphertext+tag, then m Reed-Solomon parity chunks. The
// chunks share one backing allocation but have capacity-limited slices.
func (c *Codec) Encode(key []byte, id DataID, stripe uint64, plain []byte) ([][]byte, error) {
	return c.EncodeInto(nil, key, id, stripe, plain)
}

// EncodeInto is Encode with the chunks backed by dst when it has room
// (cap(dst) >= (k+m)*ChunkSize(len(plain))), so a caller can reuse one
// buffer for many stripes; otherwise it allocates.
func (c *Codec) EncodeInto(dst []byte, key []byte, id DataID, stripe uint64, plain []byte) ([][]byte, error) {
	if len(plain) > c.maxPlainLen() {
		return nil, fmt.Errorf("erasure: encode object %s stripe %d: plaintext of %d bytes too large", id, stripe, len(plain))
	}
	n := (c.k + c.m) * c.ChunkSize(len(plain))
	if cap(dst) < n {
		dst = make([]byte, n)
	}
	copy(dst[:n], plain)
	return c.SealInPlace(dst, key, id, stripe, len(plain))
}

// SealInPlace is Encode of the plaintext in buf[:plainLen], with the chunks
// backed by buf itself (cap(buf) >= (k+m)*ChunkSize(plainLen)): the stripe's
// ciphertext starts where its plaintext was, so a caller can read a body
// straight into the buffer its chunks are sent from. The plaintext is gone
// once it returns.
func (c *Codec) SealInPlace(buf []byte, key []byte, id DataID, stripe uint64, plainLen int) ([][]byte, error) {
	if plainLen > c.maxPlainLen() {
		return nil, fmt.Errorf("erasure: encode object %s stripe %d: plaintext of %d bytes too large", id, stripe, plainLen)
	}
	cs := c.ChunkSize(plainLen)
	n := c.k + c.m
	if cap(buf) < n*cs {
		return nil, fmt.Errorf("erasure: encode object %s stripe %d: buffer of %d bytes, %d chunks of %d need %d", id, stripe, cap(buf), n, cs, n*cs)
	}
	buf = buf[:n*cs]
	aead, err := newAEAD(key)
	if err != nil {
		return nil, fmt.Errorf("erasure: encode object %s stripe %d: %w", id, stripe, err)
	}
	nonce := stripeNonce(stripe)
	aad := stripeAAD(id, stripe, plainLen)
	aead.Seal(buf[:0], nonce[:], buf[:plainLen], aad[:]) // in place: the ciphertext overwrites the plaintext
	clear(buf[plainLen+Overhead : c.k*cs])               // padding after the tag is zero; parity is overwritten

	chunks := make([][]byte, n)
	for i := range chunks {
		chunks[i] = buf[i*cs : (i+1)*cs : (i+1)*cs]
	}
	if c.m > 0 {
		if err := c.enc.Encode(chunks); err != nil {
			return nil, fmt.Errorf("erasure: encode object %s stripe %d: parity (k=%d m=%d chunk=%d): %w", id, stripe, c.k, c.m, cs, err)
		}
	}
	return chunks, nil
}

// Decode reassembles and opens stripe number stripe of object id from k+m
// chunk slots. A slot that is nil or whose length differs from
// ChunkSize(plainLen) counts as missing. Missing data chunks are rebuilt from
// parity only when needed. It returns the plainLen plaintext bytes, an error
// wrapping ErrTooFewChunks if fewer than k usable chunks were given, or an
// error wrapping ErrAuth if the stripe does not authenticate. Caller chunks
// are never modified.
func (c *Codec) Decode(key []byte, id DataID, stripe uint64, chunks [][]byte, plainLen int) ([]byte, error) {
	return c.DecodeInto(nil, key, id, stripe, chunks, plainLen)
}

// DecodeInto is Decode with the plaintext in dst when it has room
// (cap(dst) >= plainLen+Overhead), so a caller can reuse one buffer for many
// stripes; otherwise it allocates.
func (c *Codec) DecodeInto(dst []byte, key []byte, id DataID, stripe uint64, chunks [][]byte, plainLen int) ([]byte, error) {
	n := c.k + c.m
	if len(chunks) != n {
		return nil, fmt.Errorf("erasure: decode object %s stripe %d: got %d chunk slots, codec has k+m=%d", id, stripe, len(chunks), n)
	}
	if plainLen < 0 || plainLen > c.maxPlainLen() {
		return nil, fmt.Errorf("erasure: decode object %s stripe %d: invalid plaintext length %d", id, stripe, plainLen)
	}
	aead, err := newAEAD(key)
	if err != nil {
		return nil, fmt.Errorf("erasure: decode object %s stripe %d: %w", id, stripe, err)
	}
	cs := c.ChunkSize(plainLen)

	// Work on a private slot slice so the caller's slots stay untouched.
	shards := make([][]byte, n)
	have, haveData := 0, 0
	for i, ch := range chunks {
		if len(ch) != cs {
			continue
		}
		shards[i] = ch[:cs:cs]
		have++
		if i < c.k {
			haveData++
		}
	}
	if have < c.k {
		return nil, fmt.Errorf("erasure: decode object %s stripe %d: %d usable chunks of size %d, need %d: %w", id, stripe, have, cs, c.k, ErrTooFewChunks)
	}
	if haveData < c.k {
		// nil slots have no capacity, so the library allocates fresh
		// buffers for them and never writes into caller memory.
		if err := c.enc.ReconstructData(shards); err != nil {
			return nil, fmt.Errorf("erasure: decode object %s stripe %d: reconstruct %d missing data chunks: %w", id, stripe, c.k-haveData, err)
		}
	}

	ctLen := plainLen + Overhead
	ct := dst[:0]
	if cap(ct) < ctLen {
		ct = make([]byte, ctLen)
	}
	ct = ct[:ctLen]
	off := 0
	for i := 0; i < c.k; i++ {
		s := shards[i]
		w := copy(ct[off:], s)
		off += w
		// Padding must be zero: it is not covered by the GCM tag, so check
		// it here to keep the chunk encoding canonical.
		if !isZero(s[w:]) {
			return nil, fmt.Errorf("erasure: decode object %s stripe %d: non-zero padding in data chunk %d: %w", id, stripe, i, ErrAuth)
		}
	}
	nonce := stripeNonce(stripe)
	aad := stripeAAD(id, stripe, plainLen)
	plain, err := aead.Open(ct[:0], nonce[:], ct, aad[:])
	if err != nil {
		return nil, fmt.Errorf("erasure: decode object %s stripe %d (len %d, %d of %d data chunks rebuilt): %w", id, stripe, plainLen, c.k-haveData, c.k, ErrAuth)
	}
	return plain, nil
}

// OpenInPlace decrypts a stripe of plainLen bytes whose k data chunks lie
// end to end in data (k chunks of ChunkSize(plainLen) bytes, no parity
// needed) and returns its plaintext, written over data's first bytes. The
// stripe's GCM tag authenticates the chunks; ErrAuth if it fails.
func (c *Codec) OpenInPlace(key []byte, id DataID, stripe uint64, data []byte, plainLen int) ([]byte, error) {
	if plainLen < 0 || plainLen > c.maxPlainLen() {
		return nil, fmt.Errorf("erasure: open object %s stripe %d: invalid plaintext length %d", id, stripe, plainLen)
	}
	cs := c.ChunkSize(plainLen)
	if len(data) != c.k*cs {
		return nil, fmt.Errorf("erasure: open object %s stripe %d: %d bytes of data chunks, want %d", id, stripe, len(data), c.k*cs)
	}
	aead, err := newAEAD(key)
	if err != nil {
		return nil, fmt.Errorf("erasure: open object %s stripe %d: %w", id, stripe, err)
	}
	ctLen := plainLen + Overhead
	// Padding must be zero: it is not covered by the GCM tag (as DecodeInto).
	if !isZero(data[ctLen:]) {
		return nil, fmt.Errorf("erasure: open object %s stripe %d: non-zero padding: %w", id, stripe, ErrAuth)
	}
	nonce := stripeNonce(stripe)
	aad := stripeAAD(id, stripe, plainLen)
	plain, err := aead.Open(data[:0], nonce[:], data[:ctLen], aad[:])
	if err != nil {
		return nil, fmt.Errorf("erasure: open object %s stripe %d (len %d): %w", id, stripe, plainLen, ErrAuth)
	}
	return plain, nil
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("key is %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("aes: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("gcm: %w", err)
	}
	return aead, nil
}

func stripeNonce(stripe uint64) (n [nonceSize]byte) {
	binary.BigEndian.PutUint64(n[4:], stripe)
	return n
}

func stripeAAD(id DataID, stripe uint64, plainLen int) (a [aadSize]byte) {
	p := copy(a[:], stripeAADTag)
	p += copy(a[p:], id[:])
	binary.BigEndian.PutUint64(a[p:], stripe)
	binary.BigEndian.PutUint64(a[p+8:], uint64(plainLen))
	return a
}

var zeroBlock [256]byte

func isZero(b []byte) bool {
	for len(b) > 0 {
		n := min(len(b), len(zeroBlock))
		if !bytes.Equal(b[:n], zeroBlock[:n]) {
			return false
		}
		b = b[n:]
	}
	return true
}
