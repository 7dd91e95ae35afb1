package gateway

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/mefs-project/mefs/gateway/sigv4"
)

// maxObjectSize is the largest single PUT S3 accepts.
const maxObjectSize = 5 << 30

func (s *Server) putObject(r *request) error {
	c, err := s.bucketConfOf(r)
	if err != nil {
		return err
	}
	opts, err := putOptions(r.Header)
	if err != nil {
		return err
	}
	if opts.ACL, err = s.newObjectACL(r, c); err != nil {
		return err
	}
	if err := s.putConditions(r, &opts); err != nil {
		return err
	}
	if opts.Lock, err = newObjectLock(r.Header, c.b); err != nil {
		return err
	}
	if opts.KMSKeyID, err = s.kmsKeyOf(r.Header, c.b); err != nil {
		return err
	}
	data, err := s.putBody(r, "")
	if err != nil {
		return err
	}
	data.sums = withDefaultChecksum(data.sums)
	info, err := s.Layer.PutObject(r.Context(), r.bucket, r.key, data, opts)
	if err != nil {
		return err
	}
	setWriteVersionHeader(r, info)
	s.setExpirationHeader(r, c.b, info)
	announceSSE(r.w.Header(), info.SSECustomerKeyMD5, info.SSEKMSKeyID)
	if len(info.Checksums) > 0 {
		r.w.Header().Set("x-amz-checksum-type", "FULL_OBJECT") // a single PUT's always is
	}
	return writeStored(r, info.ETag, info.Checksums)
}

// putConditions reads a write's If-Match / If-None-Match into opts. The
// layer evaluates "*" and If-Match atomically at commit; an If-None-Match
// naming ETags is checked here against the object there now.
func (s *Server) putConditions(r *request, opts *PutOptions) error {
	opts.IfMatch = r.Header.Get("If-Match")
	opts.IfNoneMatch = r.Header.Get("If-None-Match")
	if opts.IfNoneMatch == "" || strings.TrimSpace(opts.IfNoneMatch) == "*" {
		opts.IfNoneMatch = strings.TrimSpace(opts.IfNoneMatch)
		return nil
	}
	list := opts.IfNoneMatch
	opts.IfNoneMatch = ""
	if slices.Contains(splitComma(list), "*") {
		opts.IfNoneMatch = "*"
		return nil
	}
	info, err := s.Layer.ObjectInfo(r.Context(), r.bucket, r.key, "")
	switch {
	case errors.Is(err, ErrNoSuchKey):
		return nil
	case err != nil:
		return err
	case etagMatches(list, info.ETag):
		return ErrPreconditionFailed
	}
	return nil
}

// putBody returns the verified, decoded body of an object or part upload.
func (s *Server) putBody(r *request, uploadAlg string) (*PutReader, error) {
	return s.checkedBody(r, r.Header, uploadAlg)
}

// checkedBody is putBody with the x-amz-checksum-* headers the body is checked
// against taken from sumHeaders.
func (s *Server) checkedBody(r *request, sumHeaders http.Header, uploadAlg string) (*PutReader, error) {
	size := sigv4.DecodedLength(r.Request)
	if size < 0 || r.ProtoMajor == 1 && len(r.TransferEncoding) == 0 && r.Header.Get("Content-Length") == "" {
		// Without either header an HTTP/1 body has no length: net/http
		// reads it as empty, and what was sent as the next request.
		return nil, ErrMissingContentLength
	}
	if size > maxObjectSize {
		return nil, ErrEntityTooLarge
	}
	var wantMD5 []byte
	if vs, ok := r.Header["Content-Md5"]; ok { // present, even if empty
		v := strings.Join(vs, ",")
		b, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(b) != md5.Size {
			return nil, ErrInvalidDigest
		}
		wantMD5 = b
	}
	auth := r.auth
	if auth == nil {
		// Anonymous writes (public-write buckets, browser POST) carry no
		// signature: the body is taken as sent, or checked against the
		// SHA-256 it declares.
		ph := r.Header.Get("X-Amz-Content-Sha256")
		if ph != "STREAMING-UNSIGNED-PAYLOAD-TRAILER" && len(ph) != 64 {
			ph = "UNSIGNED-PAYLOAD"
		}
		auth = &sigv4.Auth{PayloadHash: ph}
	}
	payload, err := auth.Body(r.Request)
	if err != nil {
		return nil, err
	}
	sums, err := requestChecksums(sumHeaders, payload.Trailer, uploadAlg)
	if err != nil {
		return nil, err
	}
	pr := NewPutReader(payload, size, wantMD5)
	pr.sums = sums
	return pr, nil
}

// storedHeaders are the standard headers stored with an object and returned
// with it.
var storedHeaders = []string{"Content-Encoding", "Content-Disposition", "Cache-Control", "Content-Language", "Expires"}

// putOptions reads an upload's metadata headers.
func putOptions(h http.Header) (PutOptions, error) {
	tags, err := headerTags(h.Get("x-amz-tagging"))
	if err != nil {
		return PutOptions{}, err
	}
	if sc := h.Get("x-amz-storage-class"); sc != "" && !storageClasses[sc] {
		return PutOptions{}, ErrInvalidStorageClass
	}
	opts := PutOptions{ContentType: h.Get("Content-Type"), UserMeta: userMeta(h), Tags: tags,
		ChecksumAlgorithm: strings.ToUpper(h.Get("x-amz-checksum-algorithm"))}
	if metaSize(opts.UserMeta) > maxUserMeta {
		return PutOptions{}, ErrMetadataTooLarge
	}
	if opts.CustomerKey, err = customerKey(h, hdrSSECustomer); err != nil {
		return PutOptions{}, err
	}
	for _, name := range storedHeaders {
		v := h.Get(name)
		if name == "Content-Encoding" {
			v = stripAWSChunked(v)
		}
		if v != "" {
			if opts.Headers == nil {
				opts.Headers = map[string]string{}
			}
			opts.Headers[name] = v
		}
	}
	return opts, nil
}

// stripAWSChunked removes the aws-chunked transfer coding, which describes
// the request body's framing, not the object.
func stripAWSChunked(v string) string {
	var keep []string
	for _, c := range strings.Split(v, ",") {
		if c = strings.TrimSpace(c); c != "" && !strings.EqualFold(c, "aws-chunked") {
			keep = append(keep, c)
		}
	}
	return strings.Join(keep, ", ")
}

// maxUserMeta bounds an object's user metadata: the bytes of its names
// and values (S3's 2 KB).
const maxUserMeta = 2 << 10

var (
	ErrMetadataTooLarge    = apiErr("MetadataTooLarge", 400, "Your metadata headers exceed the maximum allowed metadata size.")
	ErrInvalidStorageClass = apiErr("InvalidStorageClass", 400, "The storage class you specified is not valid")
)

// storageClasses are the storage classes S3 knows. Every object here is
// stored the same way (erasure coded over Providers), whichever it names.
var storageClasses = map[string]bool{"STANDARD": true, "REDUCED_REDUNDANCY": true, "STANDARD_IA": true,
	"ONEZONE_IA": true, "INTELLIGENT_TIERING": true, "GLACIER": true, "DEEP_ARCHIVE": true, "OUTPOSTS": true,
	"GLACIER_IR": true, "SNOW": true, "EXPRESS_ONEZONE": true, "FSX_OPENZFS": true, "FSX_ONTAP": true}

// metaSize is the size S3 counts of user metadata: its names and values.
func metaSize(m map[string]string) int {
	n := 0
	for k, v := range m {
		n += len(k) + len(v)
	}
	return n
}

// userMeta collects x-amz-meta-* headers.
func userMeta(h http.Header) map[string]string {
	var m map[string]string
	for k, v := range h {
		lk := strings.ToLower(k)
		if name, ok := strings.CutPrefix(lk, "x-amz-meta-"); ok {
			if m == nil {
				m = map[string]string{}
			}
			m[name] = strings.Join(v, ",")
		}
	}
	return m
}

type deleteRequest struct {
	XMLName xml.Name `xml:"Delete"`
	Quiet   bool
	Objects []struct {
		Key       string
		VersionID *string `xml:"VersionId"`
	} `xml:"Object"`
}

type deleteResult struct {
	XMLName xml.Name      `xml:"DeleteResult"`
	NS      string        `xml:"xmlns,attr"`
	Deleted []deletedXML  `xml:"Deleted"`
	Errors  []deleteError `xml:"Error"`
}

type deletedXML struct {
	Key                   string
	VersionID             string `xml:"VersionId,omitempty"`
	DeleteMarker          bool   `xml:",omitempty"`
	DeleteMarkerVersionID string `xml:"DeleteMarkerVersionId,omitempty"`
}

type deleteError struct {
	Key       string
	VersionID string `xml:"VersionId,omitempty"`
	Code      string
	Message   string
}

// maxDeleteBody bounds the DeleteObjects request: 1000 keys of 1024 bytes
// plus XML overhead.
const maxDeleteBody = 2 << 20

func (s *Server) deleteObjects(r *request) error {
	c, err := s.bucketConfOf(r)
	if err != nil {
		return err
	}
	if !hasBodyDigest(r.Header) {
		return ErrInvalidRequest.Errorf("Missing required header for this request: Content-MD5")
	}
	var req deleteRequest
	if err := s.readXML(r, maxDeleteBody, &req); err != nil {
		return err
	}
	if len(req.Objects) == 0 {
		return ErrMalformedXML
	}
	if len(req.Objects) > 1000 {
		return ErrMalformedXML.Errorf("The request contains more than 1000 keys")
	}
	for _, o := range req.Objects {
		if o.Key == "" {
			return ErrMalformedXML // S3's schema: every Object names a Key
		}
	}
	res := deleteResult{NS: s3NS}
	for _, o := range req.Objects {
		d, err := deletedXML{Key: o.Key}, error(ErrKeyTooLong)
		if len(o.Key) <= 1024 {
			d, err = s.deleteOne(r, c, o.Key, o.VersionID)
		}
		if err != nil {
			ae := toAPIError(err)
			res.Errors = append(res.Errors, deleteError{Key: o.Key, VersionID: d.VersionID, Code: ae.Code, Message: ae.Message})
			continue
		}
		if !req.Quiet {
			res.Deleted = append(res.Deleted, d)
		}
	}
	return writeXML(r, res)
}

// deleteOne is one entry of DeleteObjects: the version vid names (nil: the
// object, or a new delete marker).
func (s *Server) deleteOne(r *request, c bucketConf, key string, vid *string) (deletedXML, error) {
	d := deletedXML{Key: key}
	opts := s.deleteOptions(r, c, "")
	if vid != nil {
		d.VersionID, opts.VersionID = *vid, *vid
		if err := checkVersionIDValue(*vid); err != nil {
			return d, err
		}
	}
	info, err := s.Layer.DeleteObject(r.Context(), r.bucket, key, opts)
	switch {
	case errors.Is(err, ErrNoSuchVersion):
		return d, nil // a version that does not exist is deleted already, as in S3
	case err != nil:
		return d, err
	case info.DeleteMarker:
		d.DeleteMarker, d.DeleteMarkerVersionID = true, info.VersionID
	}
	return d, nil
}

// ErrMaxMessageLengthExceeded rejects an XML request body that is too large.
var ErrMaxMessageLengthExceeded = apiErr("MaxMessageLengthExceeded", 400, "Your request was too big.")

// readXML reads an XML request body of at most limit bytes into v, checking
// any Content-MD5 or x-amz-checksum-* the client sent with it.
func (s *Server) readXML(r *request, limit int64, v any) error {
	return s.readXMLBody(r, limit, v, true)
}

// readXMLBody is readXML; checksumHeaders says whether x-amz-checksum-*
// headers describe the body (they do not on CompleteMultipartUpload).
func (s *Server) readXMLBody(r *request, limit int64, v any, checksumHeaders bool) error {
	if sizeOf(r) > limit {
		return ErrMaxMessageLengthExceeded
	}
	h := r.Header
	if !checksumHeaders {
		// They are the object's (a composite one ends "-N"), checked by the
		// upload's completion, not against this body.
		h = h.Clone()
		for _, alg := range checksumAlgorithms {
			h.Del(checksumHeader(alg))
		}
	}
	data, err := s.checkedBody(r, h, "")
	if err != nil {
		return err
	}
	body, err := io.ReadAll(data)
	if err != nil {
		return err
	}
	if err := xml.Unmarshal(body, v); err != nil {
		return ErrMalformedXML
	}
	return nil
}

// sizeOf is the decoded length of r's body (-1 if unknown).
func sizeOf(r *request) int64 { return sigv4.DecodedLength(r.Request) }

// hasBodyDigest reports whether a request carries a digest of its body:
// Content-MD5, or an x-amz-checksum-* header or trailer.
func hasBodyDigest(h http.Header) bool {
	if h.Get("Content-MD5") != "" || strings.Contains(strings.ToLower(h.Get("X-Amz-Trailer")), "x-amz-checksum-") {
		return true
	}
	for _, alg := range checksumAlgorithms {
		if h.Get(checksumHeader(alg)) != "" {
			return true
		}
	}
	return false
}

// writeStored answers an upload of an object or part: its ETag and checksums.
func writeStored(r *request, etag string, checksums map[string]string) error {
	r.w.Header().Set("ETag", `"`+etag+`"`)
	setChecksumHeaders(r.w.Header(), checksums)
	return writeEmpty(r, http.StatusOK)
}
