package sigv4

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

func FuzzParseAuthorization(f *testing.F) {
	sig := strings.Repeat("0a", 32)
	for _, s := range []string{
		"",
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240524/us-east-1/s3/aws4_request,SignedHeaders=host,Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=;, Signature=x",
		"AWS AKIDEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=",
		"AWS4-HMAC-SHA256 ,,,,===",
		"AWS4-HMAC-SHA256 Credential=AK/20240524/r/s3/aws4_request/, SignedHeaders=host, Signature=" + sig,
	} {
		f.Add(s)
	}
	v := testVerifier(testNow)
	f.Fuzz(func(t *testing.T, h string) {
		p, err := parseAuthorization(h)
		if err == nil {
			if len(p.signature) != 64 || len(p.signedHeaders) == 0 || p.cred.accessKey == "" || len(p.cred.date) != 8 {
				t.Fatalf("accepted inconsistent header %q: %+v", h, p)
			}
		} else {
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrAuthorizationHeaderMalformed) {
				t.Fatalf("unexpected error type %v", err)
			}
		}
		req, _ := http.NewRequest(http.MethodGet, "http://h.example.com/bucket/key?x=1", nil)
		req.Header.Set("Authorization", h)
		req.Header.Set("X-Amz-Date", testNow.Format(amzDateLayout))
		req.Header.Set("X-Amz-Content-Sha256", emptySHA256)
		a, err := v.Verify(req)
		if a != nil || err == nil {
			t.Fatalf("forged header %q accepted", h)
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("error %v is not an *Error", err)
		}
	})
}

// fuzzAuth is a fixed Auth for decoding fuzzed bodies.
func fuzzAuth() *Auth {
	return &Auth{
		AccessKey: testAK,
		Region:    testRegion,
		key:       testKey(testSK, testNow, testRegion),
		scope:     testNow.Format("20060102") + "/" + testRegion + "/s3/aws4_request",
		amzDate:   testNow.Format(amzDateLayout),
		seed:      strings.Repeat("5e", 32),
	}
}

func FuzzChunkedReader(f *testing.F) {
	a := fuzzAuth()
	modes := []string{streamingSigned, streamingUnsignedTrailer, streamingSignedTrailer}
	for i, mode := range modes {
		data := testData(300 + i)
		e := chunkEncoder{mode: mode, seed: a.seed, at: testNow}
		if mode != streamingSigned {
			e.trailers = []trailerKV{{"x-amz-checksum-crc32", crc32Trailer(data)}}
		}
		wire := e.encode(f, data, 128)
		f.Add(wire, uint8(i), uint8(7))
		f.Add(wire[:len(wire)/2], uint8(i), uint8(1))
	}
	f.Add([]byte("0\r\n\r\n"), uint8(1), uint8(0))
	f.Add([]byte("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n"), uint8(1), uint8(3))
	f.Add([]byte("fffffffffffffff\r\n"), uint8(1), uint8(64))
	f.Add([]byte("10;chunk-signature="+strings.Repeat("a", 64)+"\r\n"), uint8(0), uint8(2))

	f.Fuzz(func(t *testing.T, wire []byte, mode, readSize uint8) {
		ph := modes[int(mode)%len(modes)]
		hdr := http.Header{}
		if ph != streamingSigned {
			hdr.Set("X-Amz-Trailer", "x-amz-checksum-crc32")
		}
		if mode&0x80 != 0 {
			hdr.Set("X-Amz-Decoded-Content-Length", "300")
		}
		auth := *a
		auth.PayloadHash = ph
		p, err := auth.Body(&http.Request{Header: hdr, Body: io.NopCloser(bytes.NewReader(wire))})
		if err != nil {
			t.Fatalf("Body: %v", err)
		}
		buf := make([]byte, int(readSize)+1)
		total := 0
		for i := 0; ; i++ {
			if i > 2*len(wire)+16 {
				t.Fatal("reader makes no progress")
			}
			n, err := p.Read(buf)
			total += n
			if n < 0 || n > len(buf) || total > len(wire) {
				t.Fatalf("bad read count %d (total %d of %d)", n, total, len(wire))
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("error %v is not an *Error", err)
				}
				if p.Trailer() != nil {
					t.Fatal("trailer exposed after error")
				}
				return
			}
		}
	})
}

// TestFuzzSeedsDecode makes sure the fuzz seeds reach the end of a valid
// body, so fuzzing starts from deep states.
func TestFuzzSeedsDecode(t *testing.T) {
	a := fuzzAuth()
	for _, mode := range []string{streamingSigned, streamingUnsignedTrailer, streamingSignedTrailer} {
		data := testData(1000)
		e := chunkEncoder{mode: mode, seed: a.seed, at: testNow}
		hdr := http.Header{}
		if mode != streamingSigned {
			e.trailers = []trailerKV{{"x-amz-checksum-crc32", crc32Trailer(data)}}
			hdr.Set("X-Amz-Trailer", "x-amz-checksum-crc32")
		}
		auth := *a
		auth.PayloadHash = mode
		p, err := auth.Body(&http.Request{Header: hdr, Body: io.NopCloser(bytes.NewReader(e.encode(t, data, 100)))})
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(p)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("%s: %v", mode, err)
		}
	}
}
