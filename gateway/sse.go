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
//     ignored: an SSE-KMS or SSE-C write gets 501 NotImplemented, a read
//     naming a customer key (of the object or of a copy source) 400
//     InvalidRequest, since no object here is encrypted under one, and an
//     unknown algorithm 400 InvalidArgument (as is the header on a read).
//   - A bucket's default encryption (PutBucketEncryption) can only be
//     AES256; it is recorded so that GetBucketEncryption answers what was
//     set, and changes nothing: every object is encrypted either way.

import (
	"encoding/xml"
	"net/http"
)

const (
	hdrSSE             = "x-amz-server-side-encryption"
	hdrSSECustomerAlg  = "x-amz-server-side-encryption-customer-algorithm"
	hdrSSECustomerKey  = "x-amz-server-side-encryption-customer-key"
	hdrSSECustomerMD5  = "x-amz-server-side-encryption-customer-key-md5"
	hdrCopySSECustomer = "x-amz-copy-source-server-side-encryption-customer-"
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
)

// checkSSE refuses encryption a request asks for that this gateway does
// not give, and otherwise announces the encryption every object has.
func checkSSE(r *request) error {
	if !sseOps[r.rt.op] {
		return nil
	}
	h := r.Header
	read := r.Method == http.MethodGet || r.Method == http.MethodHead
	if copySourceCustomerKey(h) {
		return errSSECNotApplicable
	}
	if h.Get(hdrSSECustomerAlg) != "" || h.Get(hdrSSECustomerKey) != "" || h.Get(hdrSSECustomerMD5) != "" {
		if read {
			return errSSECNotApplicable
		}
		return errSSECUnsupported
	}
	switch v := h.Get(hdrSSE); {
	case v != "" && read:
		return errSSEOnRead
	case v == "" || v == sseAES256:
	case v == "aws:kms" || v == "aws:kms:dsse":
		return errSSEKMSUnsupported
	default:
		return errSSEUnknown
	}
	r.w.Header().Set(hdrSSE, sseAES256)
	return nil
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
