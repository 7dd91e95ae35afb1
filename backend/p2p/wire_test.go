package p2p

import (
	"bytes"
	"encoding/binary"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/erasure"
)

func TestRequestRoundTrip(t *testing.T) {
	var obj erasure.DataID
	copy(obj[:], "0123456789abcdef")
	var root erasure.Root
	copy(root[:], strings.Repeat("r", 32))
	for _, r := range []Request{
		{Op: OpPut, Chunk: memo.ChunkID{Data: obj, Stripe: 1<<63 + 5, Index: 65535}, Root: root, Size: MaxChunkSize},
		{Op: OpPut, Chunk: memo.ChunkID{Data: obj, Index: 5}, Root: root, Size: 1 << 20, Cold: true},
		{Op: OpGet, Chunk: memo.ChunkID{Data: obj}, Root: root},
		{Op: OpDeleteObject, Chunk: memo.ChunkID{Data: obj}},
		{Op: OpDeleteChunk, Chunk: memo.ChunkID{Data: obj, Stripe: 3, Index: 2}},
		{Op: OpGetRange, Chunk: memo.ChunkID{Data: obj, Stripe: 3, Index: 2}, Root: root, Size: 4096, Offset: MaxChunkSize - 4096},
	} {
		var buf bytes.Buffer
		if err := WriteRequest(&buf, r); err != nil {
			t.Fatal(err)
		}
		if buf.Len() != headerSize {
			t.Fatalf("header of %d bytes, want %d", buf.Len(), headerSize)
		}
		got, err := ReadRequest(&buf)
		if err != nil || got != r {
			t.Fatalf("ReadRequest = %+v, %v; want %+v", got, err, r)
		}
	}
}

func TestReadRequestRejects(t *testing.T) {
	good := func() []byte {
		var buf bytes.Buffer
		WriteRequest(&buf, Request{Op: OpPut, Size: 10})
		return buf.Bytes()
	}
	cases := map[string][]byte{
		"short":           good()[:headerSize-1],
		"empty":           nil,
		"op 0":            func() []byte { b := good(); b[0] = 0; return b }(),
		"op 7":            func() []byte { b := good(); b[0] = byte(LastOp) + 1; return b }(),
		"negative":        func() []byte { b := good(); binary.BigEndian.PutUint64(b[59:], 1<<63); return b }(),
		"too large":       func() []byte { b := good(); binary.BigEndian.PutUint64(b[59:], MaxChunkSize+1); return b }(),
		"negative offset": func() []byte { b := good(); binary.BigEndian.PutUint64(b[67:], 1<<63); return b }(),
		"unknown flag":    func() []byte { b := good(); b[75] = 2; return b }(),
		"range past a chunk": func() []byte {
			b := good()
			binary.BigEndian.PutUint64(b[67:], MaxChunkSize-9)
			return b
		}(),
	}
	for name, b := range cases {
		if r, err := ReadRequest(bytes.NewReader(b)); err == nil {
			t.Errorf("%s: ReadRequest accepted %+v", name, r)
		}
	}
}

func TestResponseRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteResponse(&buf, StatusOK, 1234, ""); err != nil {
		t.Fatal(err)
	}
	buf.WriteString("payload")
	n, err := ReadResponse(&buf)
	if err != nil || n != 1234 || buf.String() != "payload" {
		t.Fatalf("ReadResponse = %d, %v; rest %q", n, err, buf.String())
	}
	for st, want := range map[Status]error{
		StatusNotFound:      ErrNotFound,
		StatusBadCommitment: ErrBadCommitment,
		StatusRefused:       ErrRefused,
		StatusError:         ErrProvider,
		Status(99):          ErrProvider,
	} {
		for _, msg := range []string{"", "detail", strings.Repeat("m", 5000)} {
			buf.Reset()
			if err := WriteResponse(&buf, st, 0, msg); err != nil {
				t.Fatal(err)
			}
			buf.WriteString("next")
			_, err := ReadResponse(&buf)
			if !errors.Is(err, want) {
				t.Fatalf("status %d: %v, want %v", st, err, want)
			}
			if msg != "" && !strings.Contains(err.Error(), msg[:min(len(msg), maxMessage)]) {
				t.Fatalf("status %d: error %q lacks the message", st, err)
			}
			if buf.String() != "next" {
				t.Fatalf("status %d, message of %d bytes: framing left %q", st, len(msg), buf.String())
			}
		}
	}
	buf.Reset()
	WriteResponse(&buf, StatusOK, MaxChunkSize+1, "")
	if _, err := ReadResponse(&buf); err == nil {
		t.Fatal("ReadResponse accepted an oversized payload")
	}
}

func TestLoadIdentityIsStable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "node.key")
	k1, err := LoadIdentity(path)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := LoadIdentity(path)
	if err != nil {
		t.Fatal(err)
	}
	if !k1.Equals(k2) {
		t.Fatal("LoadIdentity returned a different key the second time")
	}
	if k1.Type() != crypto.Secp256k1 {
		t.Fatalf("new node key is %s, want secp256k1 (the Registry checks only those)", k1.Type())
	}
	seed := bytes.Repeat([]byte{7}, 32)
	d1, err1 := IdentityFromSeed(seed)
	d2, err2 := IdentityFromSeed(seed)
	if err1 != nil || err2 != nil || !d1.Equals(d2) || d1.Type() != crypto.Secp256k1 {
		t.Fatalf("IdentityFromSeed: %v %v, equal %v", err1, err2, d1.Equals(d2))
	}
	if _, err := IdentityFromSeed(seed[:31]); err == nil {
		t.Fatal("IdentityFromSeed took a 31-byte seed")
	}
	infos, err := ParsePeerAddrs([]string{"/ip4/127.0.0.1/tcp/1/p2p/12D3KooWGRUVh7VTEkGkGKCAx2AYsaeBTQv7nptiqhE5oaHEW3HB"})
	if err != nil || len(infos) != 1 || len(infos[0].Addrs) != 1 {
		t.Fatalf("ParsePeerAddrs = %v, %v", infos, err)
	}
	if _, err := ParsePeerAddrs([]string{"/ip4/127.0.0.1/tcp/1"}); err == nil {
		t.Fatal("ParsePeerAddrs accepted an address without /p2p/")
	}
}
