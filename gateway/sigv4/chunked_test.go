package sigv4

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// trailerKV is one trailer to encode.
type trailerKV struct{ name, value string }

// chunkEncoder produces aws-chunked bodies the way S3 clients do. Chunk
// signatures come from the SDK's StreamSigner (its event-stream string to
// sign with empty headers is exactly the S3 chunk string to sign); the
// trailer signature is computed here from the documented format.
type chunkEncoder struct {
	mode     string
	seed     string
	at       time.Time
	trailers []trailerKV
}

// encode returns the wire body and the signatures in order (last one is
// the final chunk's).
func (e chunkEncoder) encode(t testing.TB, data []byte, chunkSize int) []byte {
	t.Helper()
	signed := e.mode != streamingUnsignedTrailer
	var sgn *v4.StreamSigner
	if signed {
		seed, err := hex.DecodeString(e.seed)
		if err != nil {
			t.Fatalf("seed: %v", err)
		}
		sgn = v4.NewStreamSigner(testCreds(), "s3", testRegion, seed)
	}
	var buf bytes.Buffer
	prev := e.seed
	writeChunk := func(chunk []byte) {
		if !signed {
			fmt.Fprintf(&buf, "%x\r\n", len(chunk))
		} else {
			sig, err := sgn.GetSignature(context.Background(), nil, chunk, e.at)
			if err != nil {
				t.Fatalf("chunk signature: %v", err)
			}
			prev = hex.EncodeToString(sig)
			fmt.Fprintf(&buf, "%x;chunk-signature=%s\r\n", len(chunk), prev)
		}
		if len(chunk) > 0 {
			buf.Write(chunk)
			buf.WriteString("\r\n")
		}
	}
	for off := 0; off < len(data); off += chunkSize {
		writeChunk(data[off:min(off+chunkSize, len(data))])
	}
	writeChunk(nil)
	var canon strings.Builder
	for _, kv := range e.trailers {
		fmt.Fprintf(&buf, "%s:%s\r\n", kv.name, kv.value)
		fmt.Fprintf(&canon, "%s:%s\n", kv.name, kv.value)
	}
	if e.mode == streamingSignedTrailer {
		scope := e.at.Format("20060102") + "/" + testRegion + "/s3/aws4_request"
		sts := "AWS4-HMAC-SHA256-TRAILER\n" + e.at.Format("20060102T150405Z") + "\n" + scope + "\n" +
			prev + "\n" + testSHA256Hex([]byte(canon.String()))
		fmt.Fprintf(&buf, "x-amz-trailer-signature:%s\r\n", testHMACHex(testKey(testSK, e.at, testRegion), sts))
	}
	buf.WriteString("\r\n")
	return buf.Bytes()
}

func crc32Trailer(data []byte) string {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], crc32.ChecksumIEEE(data))
	return base64.StdEncoding.EncodeToString(b[:])
}

// chunkedCase prepares a signed aws-chunked request. mutate edits the wire
// body; hdr edits headers before signing.
type chunkedCase struct {
	mode      string
	data      []byte
	chunkSize int
	trailers  []trailerKV
	declare   []string // X-Amz-Trailer; defaults to the trailer names
	hdr       func(http.Header)
	mutate    func([]byte) []byte
}

func (c chunkedCase) request(t testing.TB) *http.Request {
	t.Helper()
	declare := c.declare
	if declare == nil {
		for _, kv := range c.trailers {
			declare = append(declare, kv.name)
		}
	}
	req := newClientRequest(t, http.MethodPut, "http://h.example.com/bucket/chunked%20obj", nil)
	req.Header.Set("Content-Encoding", "aws-chunked")
	req.Header.Set("X-Amz-Decoded-Content-Length", strconv.Itoa(len(c.data)))
	if len(declare) > 0 {
		req.Header.Set("X-Amz-Trailer", strings.Join(declare, ","))
	}
	if c.hdr != nil {
		c.hdr(req.Header)
	}
	// The (mutated) wire length is signed as Content-Length; encode once
	// with a dummy seed to learn it (signatures have fixed width).
	enc := chunkEncoder{mode: c.mode, seed: strings.Repeat("0", 64), at: testNow, trailers: c.trailers}
	dummy := enc.encode(t, c.data, c.chunkSize)
	if c.mutate != nil {
		dummy = c.mutate(dummy)
	}
	req.ContentLength = int64(len(dummy))
	signHeader(t, req, c.mode, testNow)
	enc.seed = seedOf(t, req)
	wire := enc.encode(t, c.data, c.chunkSize)
	if c.mutate != nil {
		wire = c.mutate(bytes.Clone(wire))
	}
	req.Body = io.NopCloser(bytes.NewReader(wire))
	req.ContentLength = int64(len(wire))
	return req
}

// readChunked verifies and decodes the request, reading with awkward sizes.
func readChunked(t testing.TB, req *http.Request) ([]byte, Payload, error) {
	t.Helper()
	sr := serverSide(t, req)
	a, err := testVerifier(testNow).Verify(sr)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	p, err := a.Body(sr)
	if err != nil {
		return nil, nil, err
	}
	got, err := io.ReadAll(iotest.HalfReader(p))
	return got, p, err
}

func testData(n int) []byte {
	r := rand.New(rand.NewPCG(uint64(n), 7))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func TestChunkedRoundTrip(t *testing.T) {
	for _, mode := range []string{streamingSigned, streamingUnsignedTrailer, streamingSignedTrailer} {
		for _, size := range []int{0, 1, 8191, 64 << 10, 200<<10 + 17} {
			for _, cs := range []int{8 << 10, 64 << 10} {
				name := fmt.Sprintf("%s/%d/%d", mode, size, cs)
				t.Run(name, func(t *testing.T) {
					data := testData(size)
					c := chunkedCase{mode: mode, data: data, chunkSize: cs}
					if mode != streamingSigned {
						c.trailers = []trailerKV{{"x-amz-checksum-crc32", crc32Trailer(data)}}
					}
					got, p, err := readChunked(t, c.request(t))
					if err != nil {
						t.Fatalf("read: %v", err)
					}
					if !bytes.Equal(got, data) {
						t.Fatalf("decoded %d bytes, want %d (equal=%v)", len(got), len(data), bytes.Equal(got, data))
					}
					tr := p.Trailer()
					if mode == streamingSigned {
						if tr != nil {
							t.Fatalf("unexpected trailer %v", tr)
						}
						//lint:ignore SA1008 trailers are keyed by their lower-case wire name (see Payload.Trailer)
					} else if v := tr["x-amz-checksum-crc32"]; len(v) != 1 || v[0] != crc32Trailer(data) {
						t.Fatalf("trailer %v", tr)
					}
				})
			}
		}
	}
}

func TestChunkedMultipleTrailersAndNoTrailers(t *testing.T) {
	data := testData(5000)
	for _, mode := range []string{streamingUnsignedTrailer, streamingSignedTrailer} {
		c := chunkedCase{mode: mode, data: data, chunkSize: 1000, trailers: []trailerKV{
			{"x-amz-checksum-crc32", crc32Trailer(data)},
			{"x-amz-checksum-sha256", base64.StdEncoding.EncodeToString([]byte(testSHA256Hex(data))[:32])},
		}}
		got, p, err := readChunked(t, c.request(t))
		if err != nil || !bytes.Equal(got, data) || len(p.Trailer()) != 2 {
			t.Fatalf("%s: err %v, equal %v, trailer %v", mode, err, bytes.Equal(got, data), p.Trailer())
		}
		c = chunkedCase{mode: mode, data: data, chunkSize: 4096}
		got, p, err = readChunked(t, c.request(t))
		if err != nil || !bytes.Equal(got, data) || p.Trailer() != nil {
			t.Fatalf("%s without trailers: err %v, equal %v, trailer %v", mode, err, bytes.Equal(got, data), p.Trailer())
		}
	}
}

// TestChunkedSignedNoFinalCRLF accepts a signed final chunk without the
// closing CRLF (some clients omit it; the final chunk is signed).
func TestChunkedSignedNoFinalCRLF(t *testing.T) {
	data := testData(3000)
	c := chunkedCase{mode: streamingSigned, data: data, chunkSize: 1024, mutate: func(b []byte) []byte { return b[:len(b)-2] }}
	got, _, err := readChunked(t, c.request(t))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("err %v equal %v", err, bytes.Equal(got, data))
	}
}

func TestChunkedNegative(t *testing.T) {
	data := testData(20000)
	crc := []trailerKV{{"x-amz-checksum-crc32", crc32Trailer(data)}}
	flipAt := func(i int) func([]byte) []byte {
		return func(b []byte) []byte {
			if i < 0 {
				i += len(b)
			}
			b[i] ^= 0x01
			return b
		}
	}
	replace := func(old, new string) func([]byte) []byte {
		return func(b []byte) []byte {
			if !bytes.Contains(b, []byte(old)) {
				panic("test bug: " + old + " not in body")
			}
			return bytes.Replace(b, []byte(old), []byte(new), 1)
		}
	}
	// finalIndex finds the start of the final 0-size chunk.
	finalIndex := func(b []byte, signed bool) int {
		marker := "\r\n0\r\n"
		if signed {
			marker = "\r\n0;chunk-signature="
		}
		return bytes.LastIndex(b, []byte(marker)) + 2
	}
	cases := []struct {
		name string
		c    chunkedCase
		want *Error
	}{
		{"signed data flipped", chunkedCase{mode: streamingSigned, data: data, chunkSize: 8192, mutate: flipAt(200)}, ErrSignatureDoesNotMatch},
		{"signed last data flipped", chunkedCase{mode: streamingSigned, data: data, chunkSize: 8192, mutate: func(b []byte) []byte {
			return flipAt(finalIndex(b, true) - 3)(b)
		}}, ErrSignatureDoesNotMatch},
		{"signed chunk signature flipped", chunkedCase{mode: streamingSigned, data: data, chunkSize: 8192, mutate: func(b []byte) []byte {
			return flipAt(bytes.Index(b, []byte("chunk-signature=")) + 20)(b)
		}}, ErrSignatureDoesNotMatch},
		{"signed final signature flipped", chunkedCase{mode: streamingSigned, data: data, chunkSize: 8192, mutate: func(b []byte) []byte {
			return flipAt(finalIndex(b, true) + 30)(b)
		}}, ErrSignatureDoesNotMatch},
		{"signed chunks reordered", chunkedCase{mode: streamingSigned, data: bytes.Repeat([]byte("ab"), 8192), chunkSize: 8192, mutate: func(b []byte) []byte {
			// Two equal-sized chunks swapped (with their signatures).
			first := bytes.Index(b, []byte("\r\n2000;")) + 2
			second := bytes.LastIndex(b, []byte("\r\n0;")) + 2
			out := append([]byte{}, b[first:second]...)
			out = append(out, b[:first]...)
			return append(out, b[second:]...)
		}}, ErrSignatureDoesNotMatch},
		{"signed missing final chunk", chunkedCase{mode: streamingSigned, data: data, chunkSize: 8192, mutate: func(b []byte) []byte {
			return b[:finalIndex(b, true)]
		}}, ErrIncompleteBody},
		{"signed truncated in data", chunkedCase{mode: streamingSigned, data: data, chunkSize: 8192, mutate: func(b []byte) []byte { return b[:5000] }}, ErrIncompleteBody},
		{"signed truncated in header", chunkedCase{mode: streamingSigned, data: data, chunkSize: 8192, mutate: func(b []byte) []byte { return b[:30] }}, ErrIncompleteBody},
		{"signed missing chunk signature", chunkedCase{mode: streamingSigned, data: data, chunkSize: 8192, mutate: func(b []byte) []byte {
			i := bytes.Index(b, []byte(";"))
			return append(b[:i:i], b[i+81:]...)
		}}, ErrMalformedChunk},
		{"signed bad size", chunkedCase{mode: streamingSigned, data: data, chunkSize: 8192, mutate: replace("2000;", "2g00;")}, ErrMalformedChunk},
		{"signed oversized chunk", chunkedCase{mode: streamingSigned, data: data, chunkSize: 8192, mutate: replace("2000;", "1000001;")}, ErrMalformedChunk},
		{"signed missing CRLF after data", chunkedCase{mode: streamingSigned, data: data, chunkSize: 8192, mutate: func(b []byte) []byte {
			i := bytes.Index(b, []byte("\r\n")) + 2 + 8192
			return append(b[:i:i], b[i+2:]...)
		}}, ErrMalformedChunk},
		{"signed trailing garbage", chunkedCase{mode: streamingSigned, data: data, chunkSize: 8192, mutate: func(b []byte) []byte { return append(b, 'x') }}, ErrMalformedChunk},
		{"signed unexpected trailer", chunkedCase{mode: streamingSigned, data: data, chunkSize: 8192, mutate: func(b []byte) []byte {
			return append(b[:len(b)-2], "x-amz-checksum-crc32:AAAAAA==\r\n\r\n"...)
		}}, ErrMalformedChunk},
		{"decoded length too small", chunkedCase{mode: streamingSigned, data: data, chunkSize: 8192, hdr: func(h http.Header) {
			h.Set("X-Amz-Decoded-Content-Length", strconv.Itoa(len(data)-1))
		}}, ErrIncompleteBody},
		{"decoded length too large", chunkedCase{mode: streamingSignedTrailer, data: data, chunkSize: 8192, trailers: crc, hdr: func(h http.Header) {
			h.Set("X-Amz-Decoded-Content-Length", strconv.Itoa(len(data)+1))
		}}, ErrIncompleteBody},

		{"signed trailer value tampered", chunkedCase{mode: streamingSignedTrailer, data: data, chunkSize: 8192, trailers: crc,
			mutate: replace("x-amz-checksum-crc32:"+crc[0].value, "x-amz-checksum-crc32:AAAAAA==")}, ErrSignatureDoesNotMatch},
		{"signed trailer signature tampered", chunkedCase{mode: streamingSignedTrailer, data: data, chunkSize: 8192, trailers: crc, mutate: func(b []byte) []byte {
			return flipAt(bytes.Index(b, []byte("x-amz-trailer-signature:")) + 30)(b)
		}}, ErrSignatureDoesNotMatch},
		{"signed trailer signature missing", chunkedCase{mode: streamingSignedTrailer, data: data, chunkSize: 8192, trailers: crc, mutate: func(b []byte) []byte {
			i := bytes.Index(b, []byte("x-amz-trailer-signature:"))
			return append(b[:i:i], "\r\n"...)
		}}, ErrMalformedTrailer},
		{"signed trailer data flipped", chunkedCase{mode: streamingSignedTrailer, data: data, chunkSize: 8192, trailers: crc, mutate: flipAt(9000)}, ErrSignatureDoesNotMatch},
		{"signed trailer truncated", chunkedCase{mode: streamingSignedTrailer, data: data, chunkSize: 8192, trailers: crc, mutate: func(b []byte) []byte { return b[:len(b)-3] }}, ErrIncompleteBody},
		{"signed trailer missing final CRLF", chunkedCase{mode: streamingSignedTrailer, data: data, chunkSize: 8192, trailers: crc, mutate: func(b []byte) []byte { return b[:len(b)-2] }}, ErrIncompleteBody},
		{"declared trailer missing", chunkedCase{mode: streamingSignedTrailer, data: data, chunkSize: 8192, declare: []string{"x-amz-checksum-crc32"}}, ErrMalformedTrailer},
		{"undeclared trailer", chunkedCase{mode: streamingUnsignedTrailer, data: data, chunkSize: 8192, trailers: crc, declare: []string{}}, ErrMalformedTrailer},

		{"unsigned missing final chunk", chunkedCase{mode: streamingUnsignedTrailer, data: data, chunkSize: 8192, trailers: crc, mutate: func(b []byte) []byte {
			return b[:finalIndex(b, false)]
		}}, ErrIncompleteBody},
		{"unsigned truncated in data", chunkedCase{mode: streamingUnsignedTrailer, data: data, chunkSize: 8192, trailers: crc, mutate: func(b []byte) []byte { return b[:9000] }}, ErrIncompleteBody},
		{"unsigned truncated before CRLF", chunkedCase{mode: streamingUnsignedTrailer, data: data, chunkSize: 8192, trailers: crc, mutate: func(b []byte) []byte {
			return b[:bytes.Index(b, []byte("\r\n"))+2+8192+1]
		}}, ErrIncompleteBody},
		{"unsigned missing trailer terminator", chunkedCase{mode: streamingUnsignedTrailer, data: data, chunkSize: 8192, trailers: crc, mutate: func(b []byte) []byte { return b[:len(b)-2] }}, ErrIncompleteBody},
		{"unsigned bad trailer line", chunkedCase{mode: streamingUnsignedTrailer, data: data, chunkSize: 8192, trailers: crc, mutate: replace("x-amz-checksum-crc32:", "x-amz-checksum-crc32=")}, ErrMalformedTrailer},
		{"unsigned with trailer signature", chunkedCase{mode: streamingUnsignedTrailer, data: data, chunkSize: 8192, trailers: crc, mutate: func(b []byte) []byte {
			return append(b[:len(b)-2], "x-amz-trailer-signature:"+strings.Repeat("a", 64)+"\r\n\r\n"...)
		}}, ErrMalformedTrailer},
		{"unsigned bare LF", chunkedCase{mode: streamingUnsignedTrailer, data: data, chunkSize: 8192, trailers: crc, mutate: replace("2000\r\n", "2000\n")}, ErrMalformedChunk},
		{"unsigned line too long", chunkedCase{mode: streamingUnsignedTrailer, data: data, chunkSize: 8192, trailers: crc, mutate: replace("2000\r\n", "2000;"+strings.Repeat("x", 5000)+"\r\n")}, ErrMalformedChunk},
		{"unsigned huge line", chunkedCase{mode: streamingUnsignedTrailer, data: data, chunkSize: 8192, trailers: crc, mutate: replace("2000\r\n", "2000;"+strings.Repeat("x", 100000)+"\r\n")}, ErrMalformedChunk},
		{"unsigned size overflow", chunkedCase{mode: streamingUnsignedTrailer, data: data, chunkSize: 8192, trailers: crc, mutate: replace("2000\r\n", "10000000000000000\r\n")}, ErrMalformedChunk},
		{"unsigned longer than declared", chunkedCase{mode: streamingUnsignedTrailer, data: data, chunkSize: 8192, trailers: crc, mutate: replace("2000\r\n", "fffffff\r\n")}, ErrIncompleteBody},
		{"unsigned trailing garbage", chunkedCase{mode: streamingUnsignedTrailer, data: data, chunkSize: 8192, trailers: crc, mutate: func(b []byte) []byte { return append(b, "0\r\n"...) }}, ErrMalformedTrailer}, // after the blank line minio-go may send, still a trailer section
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, p, err := readChunked(t, c.c.request(t))
			wantErr(t, err, c.want)
			if p != nil && p.Trailer() != nil {
				t.Fatal("Trailer() non-nil after a failed read")
			}
			if len(got) > len(c.c.data) {
				t.Fatalf("decoded %d bytes from %d", len(got), len(c.c.data))
			}
		})
	}
}

// TestChunkedUnverifiedDataNotReleased checks that a signed chunk is not
// returned before its signature verified.
func TestChunkedUnverifiedDataNotReleased(t *testing.T) {
	data := testData(3 * 4096)
	c := chunkedCase{mode: streamingSigned, data: data, chunkSize: 4096, mutate: func(b []byte) []byte {
		b[bytes.Index(b, []byte("\r\n"))+2] ^= 0xff // first byte of chunk 1
		return b
	}}
	got, _, err := readChunked(t, c.request(t))
	wantErr(t, err, ErrSignatureDoesNotMatch)
	if len(got) != 0 {
		t.Fatalf("released %d unverified bytes", len(got))
	}
	c.mutate = func(b []byte) []byte {
		i := bytes.Index(b, []byte("\r\n1000;")) + 2 // second chunk header
		b[bytes.Index(b[i:], []byte("\r\n"))+i+2] ^= 0xff
		return b
	}
	got, _, err = readChunked(t, c.request(t))
	wantErr(t, err, ErrSignatureDoesNotMatch)
	if !bytes.Equal(got, data[:4096]) {
		t.Fatalf("released %d bytes, want exactly the first verified chunk", len(got))
	}
}

func TestChunkedStickyError(t *testing.T) {
	c := chunkedCase{mode: streamingSigned, data: testData(100), chunkSize: 64, mutate: func(b []byte) []byte { return b[:40] }}
	sr := serverSide(t, c.request(t))
	a, err := testVerifier(testNow).Verify(sr)
	if err != nil {
		t.Fatal(err)
	}
	p, err := a.Body(sr)
	if err != nil {
		t.Fatal(err)
	}
	_, err1 := io.ReadAll(p)
	n, err2 := p.Read(make([]byte, 10))
	if err1 == nil || err2 != err1 || n != 0 {
		t.Fatalf("errors not sticky: %v / %d %v", err1, n, err2)
	}
}

func TestBodyModes(t *testing.T) {
	data := []byte("some object data")
	t.Run("sha256 ok", func(t *testing.T) {
		req := newClientRequest(t, http.MethodPut, "http://h.example.com/b/k", data)
		signHeader(t, req, testSHA256Hex(data), testNow)
		got, _, err := readChunked(t, req)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("%q %v", got, err)
		}
	})
	t.Run("sha256 mismatch", func(t *testing.T) {
		req := newClientRequest(t, http.MethodPut, "http://h.example.com/b/k", data)
		signHeader(t, req, strings.ToUpper(testSHA256Hex([]byte("other data!!!!!!"))), testNow)
		_, _, err := readChunked(t, req)
		wantErr(t, err, ErrXAmzContentSHA256Mismatch)
	})
	t.Run("sha256 uppercase ok", func(t *testing.T) {
		req := newClientRequest(t, http.MethodPut, "http://h.example.com/b/k", data)
		signHeader(t, req, strings.ToUpper(testSHA256Hex(data)), testNow)
		if _, _, err := readChunked(t, req); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("unsigned", func(t *testing.T) {
		req := newClientRequest(t, http.MethodPut, "http://h.example.com/b/k", data)
		signHeader(t, req, unsignedPayload, testNow)
		got, p, err := readChunked(t, req)
		if err != nil || !bytes.Equal(got, data) || p.Trailer() != nil {
			t.Fatalf("%q %v", got, err)
		}
	})
	t.Run("unknown mode", func(t *testing.T) {
		a := &Auth{PayloadHash: "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"}
		_, err := a.Body(&http.Request{})
		wantErr(t, err, ErrInvalidArgument)
	})
	t.Run("bad decoded length", func(t *testing.T) {
		a := &Auth{PayloadHash: streamingSigned}
		_, err := a.Body(&http.Request{Header: http.Header{"X-Amz-Decoded-Content-Length": {"-5"}}})
		wantErr(t, err, ErrInvalidArgument)
	})
	t.Run("trailer without trailer mode", func(t *testing.T) {
		a := &Auth{PayloadHash: streamingSigned}
		_, err := a.Body(&http.Request{Header: http.Header{"X-Amz-Trailer": {"x-amz-checksum-crc32"}}})
		wantErr(t, err, ErrMalformedTrailer)
	})
	t.Run("nil body", func(t *testing.T) {
		a := &Auth{PayloadHash: emptySHA256}
		p, err := a.Body(&http.Request{})
		if err != nil {
			t.Fatal(err)
		}
		if b, err := io.ReadAll(p); err != nil || len(b) != 0 {
			t.Fatalf("%q %v", b, err)
		}
	})
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestBodyReadErrorsWrapped(t *testing.T) {
	cause := fmt.Errorf("connection reset")
	for _, ph := range []string{unsignedPayload, emptySHA256, streamingSigned, streamingUnsignedTrailer} {
		a := &Auth{PayloadHash: ph, seed: strings.Repeat("0", 64)}
		p, err := a.Body(&http.Request{Body: io.NopCloser(errReader{cause})})
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.ReadAll(p)
		if err == nil || !strings.Contains(err.Error(), "connection reset") {
			t.Fatalf("%s: %v", ph, err)
		}
		if ph != unsignedPayload && ph != emptySHA256 {
			continue
		}
		p, _ = a.Body(&http.Request{Body: io.NopCloser(errReader{io.ErrUnexpectedEOF})})
		_, err = io.ReadAll(p)
		wantErr(t, err, ErrIncompleteBody)
	}
}

func TestDecodedLength(t *testing.T) {
	cases := []struct {
		hdr  http.Header
		cl   int64
		want int64
	}{
		{http.Header{}, 42, 42},
		{http.Header{}, -1, -1},
		{http.Header{"X-Amz-Decoded-Content-Length": {"7"}}, 42, 42},
		{http.Header{"X-Amz-Content-Sha256": {streamingSigned}, "X-Amz-Decoded-Content-Length": {"7"}}, 42, 7},
		{http.Header{"Content-Encoding": {"gzip, aws-chunked"}, "X-Amz-Decoded-Content-Length": {"9"}}, 42, 9},
		{http.Header{"Content-Encoding": {"gzip, aws-chunked"}}, 0, 0}, // the token alone frames nothing
		{http.Header{"Content-Encoding": {"aws-chunked"}}, 42, 42},
		{http.Header{"X-Amz-Content-Sha256": {streamingUnsignedTrailer}}, 42, -1},
		{http.Header{"X-Amz-Content-Sha256": {streamingUnsignedTrailer}, "X-Amz-Decoded-Content-Length": {"x"}}, 42, -1},
	}
	for i, c := range cases {
		if got := DecodedLength(&http.Request{Header: c.hdr, ContentLength: c.cl}); got != c.want {
			t.Errorf("case %d: got %d want %d", i, got, c.want)
		}
	}
	if DecodedLength(nil) != -1 {
		t.Error("nil request")
	}
}
