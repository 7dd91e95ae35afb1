package gateway

// Invariants:
//   - Every response carries x-amz-request-id; every error response is an
//     AWS XML error body (HEAD responses carry no body).
//   - No handler runs before the request is authenticated, and none before
//     its header size, URI and rate were checked (limits.go).

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mefs-project/mefs/gateway/sigv4"
)

// Server serves the S3 API over an ObjectLayer.
type Server struct {
	Layer    ObjectLayer
	Verifier *sigv4.Verifier
	Log      *slog.Logger
	// Region is reported by GetBucketLocation ("" = us-east-1).
	Region string
	// Domains enable virtual-hosted-style requests: a request to
	// <bucket>.<domain> names the bucket in its host.
	Domains []string
	// Observe, if set, is told of every finished request.
	Observe Observer
	// AccessLog logs every request at Info level (else at Debug).
	AccessLog bool
	// BodyTimeout is how long a request body may stall, or a response
	// write block, before the request fails (0 = DefaultBodyTimeout).
	BodyTimeout time.Duration
	// MinBodyRate is the slowest a request body may arrive, in bytes/s,
	// averaged from BodyTimeout after it began (0 = DefaultMinBodyRate;
	// negative: no minimum).
	MinBodyRate int64
	// MaxHeaderBytes bounds a request's header section (0 =
	// DefaultMaxHeaderBytes).
	MaxHeaderBytes int
	// Rate, if set, limits requests per access key.
	Rate *RateLimiter
	// KMSKeys, if set, are the only SSE-KMS key ids writes and bucket
	// defaults may name besides DefaultKMSKey (ssekms.go); nil: any name
	// is a key.
	KMSKeys []string
	// LifecycleDay is the length of a lifecycle rule's day in the
	// expiry dates it announces (0: 24 h, rounded to midnight UTC as S3
	// does); shorter only in tests, as Lifecycle.Day.
	LifecycleDay time.Duration

	hostID string
	seq    atomic.Uint64
	names  sync.Map // canonical id -> access key, of keys seen

}

// NewServer returns a Server over layer, authenticating with v.
func NewServer(layer ObjectLayer, v *sigv4.Verifier, log *slog.Logger) *Server {
	if log == nil {
		log = slog.Default()
	}
	b := make([]byte, 8)
	rand.Read(b)
	return &Server{Layer: layer, Verifier: v, Log: log, hostID: hex.EncodeToString(b)}
}

// request is one S3 request in flight.
type request struct {
	*http.Request
	w      http.ResponseWriter
	id     string
	auth   *sigv4.Auth
	bucket string
	key    string
	q      url.Values
	rt     *route
	status int
	// customerKey and copySourceKey are the SSE-C keys the request
	// presents for its object and its copy source (checkSSE); nil: none.
	customerKey, copySourceKey []byte
	// hostBucket is the bucket the Host names (virtual-hosted style), ""
	// for a path-style request (route).
	hostBucket string
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	body := r.Body // before the idle-timeout wrapper, whose reads move the deadline
	w, r, done := s.withIdleTimeouts(w, r)
	defer done()
	req := &request{Request: r, w: w, id: s.requestID()}
	w.Header().Set("x-amz-request-id", req.id)
	w.Header().Set("x-amz-id-2", s.hostID)
	w.Header().Set("Server", "MEFS")
	s.route(req)
	req.q = r.URL.Query()
	req.rt = matchRoute(r.Method, levelOf(req.bucket, req.key), req.q, r.Header)
	if r.ContentLength == 0 && strings.EqualFold(r.Header.Get("Expect"), "100-continue") {
		// No body, so no 100 Continue is sent; some clients (botocore) then
		// misread the connection's next response. Start afresh after this one.
		w.Header().Set("Connection", "close")
	}
	defer func() {
		op := req.rt.op
		if req.status == 0 {
			req.status = http.StatusOK // a handler that aborted mid-body
		}
		d := time.Since(start)
		if s.Observe != nil {
			s.Observe(op, req.status, d)
		}
		level := slog.LevelDebug
		if s.AccessLog {
			level = slog.LevelInfo
		}
		s.Log.Log(r.Context(), level, "s3 access", "op", op, "method", r.Method, "bucket", req.bucket, "key", req.key,
			"status", req.status, "request_id", req.id, "remote", r.RemoteAddr, "duration", d)
	}()
	if err := s.serve(req); err != nil {
		if r.ContentLength != 0 {
			// The body may be unread: answer at once, rather than after
			// net/http has waited to discard it, and start afresh.
			w.Header().Set("Connection", "close")
		}
		s.writeError(req, err)
		drainRefused(w, r, body)
	}
}

const (
	// maxDrain and drainTimeout bound what drainRefused reads of a refused
	// request's body: S3 SDKs' part sizes (5–16 MiB), for a few seconds.
	maxDrain     = 16 << 20
	drainTimeout = 5 * time.Second
)

// drainRefused reads what is left of a refused request's body, once the
// answer is sent. Some clients send their body without waiting for
// 100 Continue (aws-sdk-go-v2 did, for a third of refused 5 MiB parts
// here); a server that closes on unread bytes resets the connection, and
// the client sees a transport error instead of the answer. A client that
// waited sends nothing and closes on the answer's Connection: close, which
// ends the read at once. HTTP/1 only: HTTP/2 ends the stream alone (and
// does not finish the answer while the handler still reads).
func drainRefused(w http.ResponseWriter, r *http.Request, body io.Reader) {
	if r.ProtoMajor != 1 || body == nil || body == http.NoBody || r.ContentLength == 0 {
		return
	}
	rc := http.NewResponseController(w)
	if rc.Flush() != nil {
		return
	}
	rc.SetReadDeadline(time.Now().Add(drainTimeout))
	io.Copy(io.Discard, io.LimitReader(body, maxDrain))
}

func (s *Server) requestID() string {
	return fmt.Sprintf("%s%08X", strings.ToUpper(s.hostID[:8]), s.seq.Add(1))
}

// route finds the bucket and key a request names: in the host for
// virtual-hosted-style requests to one of Domains (r.hostBucket), else in
// the path.
func (s *Server) route(r *request) {
	if b, ok := s.hostBucket(r.Host); ok {
		r.hostBucket, r.bucket, r.key = b, b, strings.TrimPrefix(r.URL.Path, "/")
		return
	}
	r.bucket, r.key, _ = strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
}

// hostBucket is the bucket a virtual-hosted-style host (<bucket>.<domain>,
// one of Domains) names; ok is false for a path-style request.
func (s *Server) hostBucket(host string) (bucket string, ok bool) {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(host)
	for _, d := range s.Domains {
		if b, ok := strings.CutSuffix(host, "."+strings.ToLower(d)); ok && b != "" {
			return b, true
		}
	}
	return "", false
}

// objectURL is the absolute URL of the object a request names, as S3 puts it
// in the Location of a POST upload or a completed multipart upload: in the
// style (path or virtual-hosted) and over the scheme the request came in.
func (s *Server) objectURL(r *request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	p := "/" + r.bucket + "/" + r.key
	if r.hostBucket != "" {
		p = "/" + r.key // the bucket is in the host
	}
	return scheme + "://" + r.Host + (&url.URL{Path: p}).EscapedPath()
}

func (s *Server) serve(r *request) error {
	if headerBytes(r.Request) > s.maxHeaderBytes() {
		return ErrRequestHeaderSectionTooLarge
	}
	if err := checkURI(r); err != nil {
		return err
	}
	if r.rt.method == http.MethodOptions {
		return r.rt.h(s, r) // CORS preflight: never authenticated
	}
	s.applyCORS(r)
	if !anonymous(r.Request) {
		auth, err := s.Verifier.VerifyHost(r.Request, r.hostBucket)
		if err != nil {
			return err
		}
		r.auth = auth
		s.rememberKey(auth.AccessKey)
	} else if r.rt.op != "PostObject" && r.rt.op != opMethodNotAllowed && r.rt.op != opNotImplemented && r.bucket == "" {
		return ErrAccessDenied
	}
	if !s.Rate.Allow(rateKey(r)) {
		return ErrSlowDown
	}
	if r.rt.level == levelObject && len(r.key) > 1024 {
		return ErrKeyTooLong
	}
	return r.rt.h(s, r)
}

// anonymous reports whether a request carries no credentials at all: no
// Authorization header and no presigned query parameters.
func anonymous(r *http.Request) bool {
	if r.Header.Get("Authorization") != "" {
		return false
	}
	q := r.URL.Query()
	for _, k := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "AWSAccessKeyId", "Signature"} {
		if _, ok := q[k]; ok {
			return false
		}
	}
	return true
}

// errorBody is the AWS XML error document.
type errorBody struct {
	XMLName    xml.Name `xml:"Error"`
	Code       string
	Message    string
	Resource   string `xml:",omitempty"`
	BucketName string `xml:",omitempty"`
	Key        string `xml:",omitempty"`
	RequestID  string `xml:"RequestId"`
	HostID     string `xml:"HostId"`
}

func (s *Server) writeError(r *request, err error) {
	if r.status != 0 {
		// The response is under way (e.g. the client went away while it
		// was written): nothing more can be sent.
		s.Log.Debug("s3 response cut short", "request_id", r.id, "err", err)
		return
	}
	ae := toAPIError(err)
	if ae.Status >= 500 && ae.Status != http.StatusNotImplemented {
		s.Log.Error("s3 request failed", "method", r.Method, "path", r.URL.Path, "request_id", r.id, "err", err)
	}
	r.status = ae.Status
	h := r.w.Header()
	h.Del("Content-Length")
	h.Del("ETag")
	if h.Get("x-amz-delete-marker") != "true" { // a delete marker's is reported with it
		h.Del("Last-Modified")
	}
	h.Del(hdrSSE)
	h.Del(hdrSSECustomerAlg)
	h.Del(hdrSSECustomerMD5)
	h.Set("Content-Type", "application/xml")
	if r.Method == http.MethodHead {
		r.w.WriteHeader(ae.Status)
		return
	}
	body := errorBody{Code: ae.Code, Message: ae.Message, Resource: r.URL.Path,
		BucketName: r.bucket, Key: r.key, RequestID: r.id, HostID: s.hostID}
	out, err := body.encode()
	if err != nil {
		s.Log.Error("encode error body", "request_id", r.id, "err", err)
	}
	payload := append([]byte(xml.Header), out...)
	// Sized, so that the answer is whole once flushed (drainRefused).
	h.Set("Content-Length", strconv.Itoa(len(payload)))
	r.w.WriteHeader(ae.Status)
	if _, err := r.w.Write(payload); err != nil {
		s.Log.Debug("write error response", "request_id", r.id, "err", err)
	}
}

// writeXML writes a 200 response with v as its XML body.
func writeXML(r *request, v any) error {
	out, err := xml.Marshal(v)
	if err != nil {
		return err
	}
	r.status = http.StatusOK
	r.w.Header().Set("Content-Type", "application/xml")
	r.w.WriteHeader(http.StatusOK)
	if _, err := r.w.Write(append([]byte(xml.Header), out...)); err != nil {
		return fmt.Errorf("write response: %w", err)
	}
	return nil
}
