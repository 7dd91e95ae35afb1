package sigv4

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// seen is what the echo handler observed for one request.
type seen struct {
	path        string
	query       string
	payloadHash string
	presigned   bool
	sum         string
	n           int64
	trailer     http.Header
}

// echoServer verifies every request with Verify + Body and echoes the
// SHA-256 and length of the decoded body and the trailer values.
type echoServer struct {
	v    *Verifier
	mu   sync.Mutex
	reqs []seen
}

func (s *echoServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a, err := s.v.Verify(r)
	if err != nil {
		writeS3Error(w, err)
		return
	}
	p, err := a.Body(r)
	if err != nil {
		writeS3Error(w, err)
		return
	}
	h := sha256.New()
	n, err := io.Copy(h, p)
	if err != nil {
		writeS3Error(w, err)
		return
	}
	sum := hex.EncodeToString(h.Sum(nil))
	s.mu.Lock()
	s.reqs = append(s.reqs, seen{
		path: r.URL.Path, query: r.URL.RawQuery, payloadHash: a.PayloadHash, presigned: a.Presigned,
		sum: sum, n: n, trailer: p.Trailer(),
	})
	s.mu.Unlock()
	w.Header().Set("ETag", `"`+sum+`"`)
	w.Header().Set("X-Echo-Sha256", sum)
	w.Header().Set("X-Echo-Length", strconv.FormatInt(n, 10))
	for name, vals := range p.Trailer() {
		w.Header().Set("X-Echo-Trailer-"+name, strings.Join(vals, ","))
	}
	if r.Method == http.MethodGet && r.URL.Query().Get("list-type") == "2" {
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>bucket</Name><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>`)
		return
	}
	if r.Method == http.MethodGet {
		fmt.Fprint(w, "object body")
	}
}

func (s *echoServer) last(t *testing.T) seen {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.reqs) == 0 {
		t.Fatal("server saw no verified request")
	}
	return s.reqs[len(s.reqs)-1]
}

func writeS3Error(w http.ResponseWriter, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Code: "InternalError", Status: 500, Message: err.Error()}
	}
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(e.Status)
	xml.NewEncoder(w).Encode(struct {
		XMLName xml.Name `xml:"Error"`
		Code    string
		Message string
	}{Code: e.Code, Message: e.Message})
}

// isolateAWSEnv keeps the host's AWS configuration out of the test.
func isolateAWSEnv(t *testing.T) {
	dir := t.TempDir()
	for _, k := range []string{"AWS_CA_BUNDLE", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3",
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REQUEST_CHECKSUM_CALCULATION",
		"AWS_S3_US_EAST_1_REGIONAL_ENDPOINT", "AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

func newS3Client(t *testing.T, srv *httptest.Server) *s3.Client {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithRegion(testRegion),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(testAK, testSK, "")),
	)
	if err != nil {
		t.Fatalf("LoadDefaultConfig: %v", err)
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(srv.URL)
		o.UsePathStyle = true
		o.HTTPClient = srv.Client()
		o.RetryMaxAttempts = 1
	})
}

func rawResponse(t *testing.T, md middleware.Metadata) *smithyhttp.Response {
	t.Helper()
	resp, ok := awsmiddleware.GetRawResponse(md).(*smithyhttp.Response)
	if !ok {
		t.Fatal("no raw response in metadata")
	}
	return resp
}

func TestEndToEndSDK(t *testing.T) {
	isolateAWSEnv(t)
	for _, tls := range []bool{false, true} {
		name := "http"
		if tls {
			name = "https"
		}
		t.Run(name, func(t *testing.T) {
			es := &echoServer{v: &Verifier{Secret: testVerifier(time.Now()).Secret}}
			var srv *httptest.Server
			if tls {
				srv = httptest.NewTLSServer(es)
			} else {
				srv = httptest.NewServer(es)
			}
			defer srv.Close()
			client := newS3Client(t, srv)
			ctx := context.Background()

			data := testData(300<<10 + 123)
			want := sha256.Sum256(data)
			keys := []string{"plain.bin", "dir/a key with spaces+plus=eq%pct é✓日本.bin", "odd/~*'()!$&,;:@[].bin"}
			for _, key := range keys {
				out, err := client.PutObject(ctx, &s3.PutObjectInput{
					Bucket: aws.String("bucket"),
					Key:    aws.String(key),
					Body:   bytes.NewReader(data),
				})
				if err != nil {
					t.Fatalf("PutObject %q: %v", key, err)
				}
				resp := rawResponse(t, out.ResultMetadata)
				if got := resp.Header.Get("X-Echo-Sha256"); got != hex.EncodeToString(want[:]) {
					t.Fatalf("server decoded sha256 %s, want %x", got, want)
				}
				s := es.last(t)
				if s.n != int64(len(data)) || s.path != "/bucket/"+key {
					t.Fatalf("server saw %d bytes at %q", s.n, s.path)
				}
				t.Logf("%s %q: payload hash %s, trailer %v", name, key, s.payloadHash, s.trailer)
				if tls {
					if s.payloadHash != streamingUnsignedTrailer {
						t.Fatalf("over TLS the SDK sent %s, want %s", s.payloadHash, streamingUnsignedTrailer)
					}
					//lint:ignore SA1008 trailers are keyed by their lower-case wire name (see Payload.Trailer)
					crc := s.trailer["x-amz-checksum-crc32"]
					if len(crc) != 1 || crc[0] != crc32Trailer(data) {
						t.Fatalf("trailer %v, want crc32 %s", s.trailer, crc32Trailer(data))
					}
					if got := resp.Header.Get("X-Echo-Trailer-x-amz-checksum-crc32"); got != crc32Trailer(data) {
						t.Fatalf("echoed trailer %q", got)
					}
				}
			}

			// Query canonicalization through the SDK.
			if _, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{
				Bucket:            aws.String("bucket"),
				Prefix:            aws.String("dir/a key+plus=é/"),
				Delimiter:         aws.String("/"),
				StartAfter:        aws.String("~*'()"),
				ContinuationToken: aws.String("abc+/def=="),
			}); err != nil {
				t.Fatalf("ListObjectsV2: %v", err)
			}
			if s := es.last(t); !strings.Contains(s.query, "list-type=2") {
				t.Fatalf("unexpected list request %+v", s)
			}

			// Presigned GET and PUT through the SDK's presign client.
			ps := s3.NewPresignClient(client)
			get, err := ps.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bucket"), Key: aws.String(keys[1])},
				s3.WithPresignExpires(10*time.Minute))
			if err != nil {
				t.Fatalf("PresignGetObject: %v", err)
			}
			resp := doPresigned(t, srv.Client(), get.Method, get.URL, get.SignedHeader, nil)
			if resp.StatusCode != 200 {
				t.Fatalf("presigned GET status %d", resp.StatusCode)
			}
			if s := es.last(t); !s.presigned || s.payloadHash != unsignedPayload {
				t.Fatalf("presigned GET seen as %+v", s)
			}
			put, err := ps.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bucket"), Key: aws.String(keys[1])})
			if err != nil {
				t.Fatalf("PresignPutObject: %v", err)
			}
			resp = doPresigned(t, srv.Client(), put.Method, put.URL, put.SignedHeader, data)
			if resp.StatusCode != 200 || resp.Header.Get("X-Echo-Sha256") != hex.EncodeToString(want[:]) {
				t.Fatalf("presigned PUT status %d, sha %s", resp.StatusCode, resp.Header.Get("X-Echo-Sha256"))
			}

			// A wrong secret is rejected with SignatureDoesNotMatch.
			bad := s3.NewFromConfig(aws.Config{
				Region:      testRegion,
				Credentials: credentials.NewStaticCredentialsProvider(testAK, "not-the-secret", ""),
			}, func(o *s3.Options) {
				o.BaseEndpoint = aws.String(srv.URL)
				o.UsePathStyle = true
				o.HTTPClient = srv.Client()
				o.RetryMaxAttempts = 1
			})
			_, err = bad.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bucket"), Key: aws.String("k"), Body: bytes.NewReader(data[:1000])})
			if err == nil || !strings.Contains(err.Error(), "SignatureDoesNotMatch") {
				t.Fatalf("wrong secret: %v", err)
			}
		})
	}
}

func doPresigned(t *testing.T, c *http.Client, method, url string, hdr http.Header, body []byte) *http.Response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		if !strings.EqualFold(k, "host") {
			req.Header[k] = v
		}
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s presigned: %v", method, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}
