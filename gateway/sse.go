package gateway

// Server-side encryption headers.
//
// Invariants:
//   - MEFS encrypts every object (AES-GCM, under keys derived from the
//     User's wallet key) before any of its bytes leave the gateway: that is
//     this gateway's SSE-S3. A write asking for AES256 is served as any
//     other, and every response that stores or returns an object says
//     x-amz-server-side-encryption: AES256, as S3 does now that it encrypts
//     every object.
//   - Encryption under keys the gateway does not hold is refused, never
//     ignored: an SSE-KMS or SSE-C write (PUT, copy, multipart, browser
//     POST) gets 501 NotImplemented, a read naming a customer key (of the
//     object or of a copy source) 400 InvalidRequest, since no object here
//     is encrypted under one. Headers that contradict each other (SSE with
//     SSE-C, KMS parameters without aws:kms) or are malformed (an SSE-C
//     key, its MD5, its algorithm; an unknown algorithm; the SSE header on
//     a read) are 400s first, and a bucket policy's verdict comes before all
//     of these.
//   - A bucket's default encryption (PutBucketEncryption) can only be
//     AES256; it is recorded so that GetBucketEncryption answers what was
//     set, and changes nothing: every object is encrypted either way.

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/xml"
	"net/http"
)

const (
	hdrSSE             = "x-amz-server-side-encryption"
	hdrSSECustomerAlg  = "x-amz-server-side-encryption-customer-algorithm"
	hdrSSECustomerKey  = "x-amz-server-side-encryption-customer-key"
	hdrSSECustomerMD5  = "x-amz-server-side-encryption-customer-key-md5"
	hdrCopySSECustomer = "x-amz-copy-source-server-side-encryption-customer-"
	hdrSSEKMSKeyID     = "x-amz-server-side-encryption-aws-kms-key-id"
	hdrSSEContext      = "x-amz-server-side-encryption-context"
	sseAES256          = "AES256"
)

// sseOps are the operations that take encryption headers and answer with
// the object's encryption.
var sseOps = map[string]bool{"PutObject": true, "CopyObject": true, "CreateMultipartUpload": true,
	"UploadPart": true, "UploadPartCopy": true, "CompleteMultipartUpload": true, "GetObject": true, "HeadObject": true}

var (
	errSSECNotApplicable = apiErr("InvalidRequest", 400, "The encryption parameters are not applicable to this object.")
	errSSECUnsupported   = apiErr("NotImplemented", 501, "Server-side encryption with customer-provided keys (SSE-C) is not implemented: every object is encrypted under keys of the gateway's wallet (SSE-S3, AES256)")
	errSSEKMSUnsupported = apiErr("NotImplemented", 501, "Server-side encryption with AWS KMS keys is not implemented: every object is encrypted under keys of the gateway's wallet (SSE-S3, AES256)")
	errSSEUnknown        = apiErr("InvalidArgument", 400, "The encryption method specified is not supported")
	errSSEOnRead         = apiErr("InvalidArgument", 400, "x-amz-server-side-encryption header is not supported for this operation.")
	errSSECConflict      = apiErr("InvalidArgument", 400, "Server Side Encryption with Customer provided key is incompatible with the encryption method specified")
	errSSEKMSParams      = apiErr("InvalidArgument", 400, "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms")
	errSSECAlgorithm     = apiErr("InvalidEncryptionAlgorithmError", 400, "The encryption request you specified is not valid. The valid value is AES256.")
)

// checkSSE refuses encryption a request asks for that this gateway does
// not give, and otherwise announces the encryption every object has. It
// runs once the caller is authorised, so a bucket policy on the encryption
// headers answers first (403).
func checkSSE(r *request) error {
	if !sseOps[r.rt.op] {
		return nil
	}
	if err := sseError(r.Header, r.Method == http.MethodGet || r.Method == http.MethodHead); err != nil {
		return err
	}
	r.w.Header().Set(hdrSSE, sseAES256)
	return nil
}

// sseError is the error for what encryption headers h ask for that this
// gateway does not give, nil if nothing; read is a GET or HEAD. Headers that
// contradict each other or are malformed are 400s before any 501.
func sseError(h http.Header, read bool) error {
	sse := h.Get(hdrSSE)
	customer := h.Get(hdrSSECustomerAlg) != "" || h.Get(hdrSSECustomerKey) != "" || h.Get(hdrSSECustomerMD5) != ""
	kmsParams := h.Get(hdrSSEKMSKeyID) != "" || h.Get(hdrSSEContext) != ""
	switch {
	case copySourceCustomerKey(h):
		return errSSECNotApplicable // no copy source is encrypted under one
	case read && sse != "":
		return errSSEOnRead
	case customer && sse != "":
		return errSSECConflict
	case kmsParams && sse != "aws:kms" && sse != "aws:kms:dsse":
		return errSSEKMSParams
	case customer:
		if err := checkCustomerKey(h); err != nil {
			return err
		}
		if read {
			return errSSECNotApplicable
		}
		return errSSECUnsupported
	}
	switch sse {
	case "", sseAES256:
		return nil
	case "aws:kms", "aws:kms:dsse":
		return errSSEKMSUnsupported
	}
	return errSSEUnknown
}

// checkCustomerKey checks SSE-C headers as S3 does before using them: the
// algorithm AES256, a 256-bit key, and the MD5 of that key.
func checkCustomerKey(h http.Header) error {
	alg := h.Get(hdrSSECustomerAlg)
	if alg == "" {
		return ErrInvalidArgument.Errorf("Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.")
	}
	if alg != sseAES256 {
		return errSSECAlgorithm
	}
	key, err := base64.StdEncoding.DecodeString(h.Get(hdrSSECustomerKey))
	if err != nil || len(key) != 32 {
		return ErrInvalidArgument.Errorf("The secret key was invalid for the specified algorithm.")
	}
	sum := md5.Sum(key)
	switch h.Get(hdrSSECustomerMD5) {
	case "":
		return ErrInvalidArgument.Errorf("Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.")
	case base64.StdEncoding.EncodeToString(sum[:]):
		return nil
	}
	return ErrInvalidArgument.Errorf("The calculated MD5 hash of the key did not match the hash that was provided.")
}

// copySourceCustomerKey reports whether h names a customer key for a copy
// source.
func copySourceCustomerKey(h http.Header) bool {
	for _, s := range []string{"algorithm", "key", "key-md5"} {
		if h.Get(hdrCopySSECustomer+s) != "" {
			return true
		}
	}
	return false
}

// sseConfig is a bucket's default encryption (GetBucketEncryption).
type sseConfig struct {
	XMLName xml.Name  `xml:"ServerSideEncryptionConfiguration"`
	NS      string    `xml:"xmlns,attr,omitempty"`
	Rules   []sseRule `xml:"Rule"`
}

type sseRule struct {
	Default struct {
		Algorithm string `xml:"SSEAlgorithm"`
		KMSKeyID  string `xml:"KMSMasterKeyID,omitempty"`
	} `xml:"ApplyServerSideEncryptionByDefault"`
	BucketKeyEnabled bool
}

var errNoSSEConfig = apiErr("ServerSideEncryptionConfigurationNotFoundError", 404, "The server side encryption configuration was not found")

// getBucketEncryption answers the default encryption a bucket was given.
// (Whatever it says, every object is encrypted with AES256.)
func (s *Server) getBucketEncryption(r *request) error {
	b, err := s.bucketOf(r)
	if err != nil {
		return err
	}
	if len(b.Config[cfgSSE]) == 0 {
		return errNoSSEConfig
	}
	c := sseConfig{NS: s3NS, Rules: make([]sseRule, 1)}
	c.Rules[0].Default.Algorithm = sseAES256
	return writeXML(r, c)
}

// putBucketEncryption takes a default encryption of AES256, which every
// object has anyway, and refuses any other.
func (s *Server) putBucketEncryption(r *request) error {
	if _, err := s.bucketOf(r); err != nil {
		return err
	}
	var c sseConfig
	if err := s.readXML(r, 16<<10, &c); err != nil {
		return err
	}
	if len(c.Rules) == 0 {
		return ErrMalformedXML
	}
	for _, rule := range c.Rules {
		switch rule.Default.Algorithm {
		case sseAES256:
		case "aws:kms", "aws:kms:dsse":
			return errSSEKMSUnsupported
		default:
			return ErrMalformedXML
		}
	}
	if err := s.Layer.SetBucketConfig(r.Context(), r.bucket, cfgSSE, []byte(sseAES256)); err != nil {
		return err
	}
	return writeEmpty(r, http.StatusOK)
}

// deleteBucketEncryption forgets a bucket's default encryption (objects
// are still encrypted with AES256).
func (s *Server) deleteBucketEncryption(r *request) error {
	if _, err := s.bucketOf(r); err != nil {
		return err
	}
	if err := s.Layer.SetBucketConfig(r.Context(), r.bucket, cfgSSE, nil); err != nil {
		return err
	}
	return writeEmpty(r, http.StatusNoContent)
}
