// Package memo holds the MEMO protocol's small domain types, shared by the
// User, Provider and Keeper packages: ids that must not be confused with one
// another are distinct types here, so swapping them is a compile error.
package memo

import (
	"encoding/hex"
	"errors"
	"strconv"

	"github.com/mefs-project/mefs/erasure"
)

// DataID names one run of encrypted data (a PutObject's data, or one part of
// a multipart upload): its chunks are named by it and its key derives from
// it. It is the erasure codec's id, so the codec can bind it into every
// stripe.
type DataID = erasure.DataID

// ObjectID names one stored object version in the metadata store: the key
// of its stripe map. A single-part object's data id has the same bytes, but
// the two are different things (a multipart object has one data id per part),
// so they are different types; DataOf converts where the bytes coincide.
type ObjectID [16]byte

// String returns the id in hex.
func (id ObjectID) String() string { return hex.EncodeToString(id[:]) }

// DataOf is the data id a single-part object's data carries: the object
// id's bytes.
func DataOf(id ObjectID) DataID { return DataID(id) }

// ChunkID names one chunk: chunk Index of stripe Stripe of data Data.
type ChunkID struct {
	Data   DataID
	Stripe uint64
	Index  uint16
}

func (c ChunkID) String() string {
	return hex.EncodeToString(c.Data[:]) + "/" + strconv.FormatUint(c.Stripe, 10) + "." + strconv.Itoa(int(c.Index))
}

// Epoch is a settlement epoch number, counted on chain.
type Epoch uint64

// MaxChunkSize bounds one chunk: on the wire, on a Provider's disk, and so
// the chunk size a User may choose.
const MaxChunkSize = 64 << 20

// ErrChunkLost is what a chunk read's error wraps when the Provider answered
// that it does not hold the chunk, or what it sent does not match the
// chunk's commitment: the chunk is lost there and must be repaired.
var ErrChunkLost = errors.New("chunk lost on its provider")
