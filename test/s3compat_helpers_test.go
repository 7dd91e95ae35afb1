package test

// Helpers shared by the S3-compatibility tests (s3compat_*_test.go). Names
// carry an "sc" prefix to stay clear of other test files in the package.

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"encoding/xml"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// scDevnet starts a devnet with small chunks, so that multi-stripe objects
// stay cheap.
func scDevnet(t *testing.T, flags ...string) *devnet {
	t.Helper()
	return startDevnet(t, "", append([]string{"--chunk-size", "256KiB"}, flags...)...)
}

// scClient returns an aws-sdk-go-v2 client with the SDK's default settings
// (checksums included), using hc as its HTTP client when not nil.
func scClient(t testing.TB, endpoint, ak, sk string, hc aws.HTTPClient, optFns ...func(*s3.Options)) *s3.Client {
	t.Helper()
	opts := []func(*config.LoadOptions) error{
		config.WithRegion("us-east-1"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(ak, sk, "")),
	}
	if hc != nil {
		opts = append(opts, config.WithHTTPClient(hc))
	}
	cfg, err := config.LoadDefaultConfig(context.Background(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s3.NewFromConfig(cfg, append([]func(*s3.Options){func(o *s3.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.UsePathStyle = true
	}}, optFns...)...)
}

// scStatus returns the HTTP status of a failed SDK call, or 0.
func scStatus(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// scWantErr fails unless err is an S3 error with the code and HTTP status.
// code "" checks the status only (HEAD errors have no body).
func scWantErr(t testing.TB, what string, err error, code string, status int) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: succeeded, want %s (%d)", what, code, status)
	}
	if got := apiCode(err); code != "" && got != code {
		t.Fatalf("%s: error code %q (%v), want %q", what, got, err, code)
	}
	if got := scStatus(err); got != status {
		t.Fatalf("%s: HTTP status %d (%v), want %d", what, got, err, status)
	}
}

// scPut stores data and returns the output.
func scPut(t testing.TB, c *s3.Client, bucket, key string, data []byte) *s3.PutObjectOutput {
	t.Helper()
	out, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
		Body: bytes.NewReader(data)})
	if err != nil {
		t.Fatalf("put %s/%s (%d bytes): %v", bucket, key, len(data), err)
	}
	return out
}

// scGet reads an object whole with GetObject input in (and client
// options), returning the body and the output.
func scGet(t testing.TB, c *s3.Client, in *s3.GetObjectInput, optFns ...func(*s3.Options)) ([]byte, *s3.GetObjectOutput) {
	t.Helper()
	out, err := c.GetObject(context.Background(), in, optFns...)
	if err != nil {
		t.Fatalf("get %s/%s: %v", aws.ToString(in.Bucket), aws.ToString(in.Key), err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatalf("read %s/%s: %v", aws.ToString(in.Bucket), aws.ToString(in.Key), err)
	}
	return b, out
}

// scSameBytes fails unless got and want are equal, comparing hashes.
func scSameBytes(t testing.TB, what string, got, want []byte) {
	t.Helper()
	if len(got) != len(want) || sha256.Sum256(got) != sha256.Sum256(want) {
		t.Fatalf("%s: got %d bytes (sha256 %x), want %d bytes (sha256 %x)", what, len(got), sha256.Sum256(got),
			len(want), sha256.Sum256(want))
	}
}

// scExists reports whether HeadObject finds the key (failing on errors other
// than 404).
func scExists(t testing.TB, c *s3.Client, bucket, key string) bool {
	t.Helper()
	_, err := c.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err == nil {
		return true
	}
	if scStatus(err) == http.StatusNotFound {
		return false
	}
	t.Fatalf("head %s/%s: %v", bucket, key, err)
	return false
}

// scXMLError is an S3 XML error body.
type scXMLError struct {
	Code    string
	Message string
}

// scHTTPDo sends a plain net/http request and returns the status, headers
// and body.
func scHTTPDo(t testing.TB, hc *http.Client, req *http.Request) (int, http.Header, []byte) {
	t.Helper()
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", req.Method, req.URL, err)
	}
	return resp.StatusCode, resp.Header, b
}

// scErrorCode decodes an S3 XML error body's code ("" if none).
func scErrorCode(body []byte) string {
	var e scXMLError
	if xml.Unmarshal(body, &e) != nil {
		return ""
	}
	return e.Code
}

// scTLS writes a self-signed certificate for 127.0.0.1 and localhost into
// dir and returns the paths of the certificate and key and a client TLS
// configuration that trusts it.
func scTLS(t testing.TB, dir string) (certPath, keyPath string, conf *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "mefs test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPath, keyPath = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return certPath, keyPath, &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
}
