package gateway

// Server-side encryption headers.
//
// Invariants:
//   - MEFS encrypts every object (AES-GCM, under keys derived from the
//     User's wallet key) before any of its bytes leave the gateway: that is
//     this gateway's SSE-S3. A write asking for AES256 is served as any
//     other, and every response that stores or returns an object without a
//     customer key says x-amz-server-side-encryption: AES256, as S3 does now
//     that it encrypts every object.
//   - SSE-C: a write presenting a customer key (PUT, copy destination,
//     multipart upload, browser POST) has the object's data encrypted under
//     a key derived from the wallet's and the customer's together; the key
//     itself is never stored, only its MD5 (which S3 returns anyway). Every
//     read of the data (GET, HEAD, GetObjectAttributes, copy source) and
//     every part of such an upload must present the same key: none is 400
//     InvalidRequest, another 403 AccessDenied, and a key for an object
//     without one 400 InvalidRequest (CheckCustomerKey). Responses echo the
//     algorithm and the key's MD5 instead of AES256.
//   - SSE-KMS: see ssekms.go. Headers that contradict each other (SSE
//     with SSE-C, KMS parameters without aws:kms) or are malformed (an SSE-C
//     key, its MD5, its algorithm; an unknown algorithm; KMS parameters;
//     the SSE header on a read) are 400s, and a bucket policy's verdict
//     comes before all of these.
//   - A bucket's default encryption (PutBucketEncryption) is AES256 or
//     aws:kms with a key: writes that ask for no encryption get it
//     (kmsKeyOf); AES256 changes nothing, every object being encrypted.

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"net/http"
)

const (
	hdrSSE             = "x-amz-server-side-encryption"
	hdrSSECustomer     = "x-amz-server-side-encryption-customer-"
	hdrSSECustomerAlg  = hdrSSECustomer + "algorithm"
	hdrSSECustomerKey  = hdrSSECustomer + "key"
	hdrSSECustomerMD5  = hdrSSECustomer + "key-md5"
	hdrCopySSECustomer = "x-amz-copy-source-server-side-encryption-customer-"
	hdrSSEKMSKeyID     = "x-amz-server-side-encryption-aws-kms-key-id"
	hdrSSEContext      = "x-amz-server-side-encryption-context"
	sseAES256          = "AES256"
)

// sseOps are the operations that take encryption headers and answer with
// the object's encryption.
var sseOps = map[string]bool{"PutObject": true, "CopyObject": true, "CreateMultipartUpload": true,
	"UploadPart": true, "UploadPartCopy": true, "CompleteMultipartUpload": true, "GetObject": true, "HeadObject": true,
	"GetObjectAttributes": true}

// copyOps are the operations that read a copy source.
var copyOps = map[string]bool{"CopyObject": true, "UploadPartCopy": true}

var (
	errSSECNotApplicable = apiErr("InvalidRequest", 400, "The encryption parameters are not applicable to this object.")
	errSSECRequired      = apiErr("InvalidRequest", 400, "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.")
	errSSECUploadKey     = apiErr("InvalidRequest", 400, "The multipart upload initiate requested encryption. Subsequent part requests must include the appropriate encryption parameters.")
	errSSECUploadOther   = apiErr("InvalidArgument", 400, "The provided encryption parameters did not match the ones used originally.")
	errSSEUnknown        = apiErr("InvalidArgument", 400, "The encryption method specified is not supported")
	errSSEOnRead         = apiErr("InvalidArgument", 400, "x-amz-server-side-encryption header is not supported for this operation.")
	errSSECConflict      = apiErr("InvalidArgument", 400, "Server Side Encryption with Customer provided key is incompatible with the encryption method specified")
	errSSEKMSParams      = apiErr("InvalidArgument", 400, "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms")
	errSSECAlgorithm     = apiErr("InvalidEncryptionAlgorithmError", 400, "The encryption request you specified is not valid. The valid value is AES256.")
)

// CheckCustomerKey checks the SSE-C key a read presents (nil: none) against
// the base64 MD5 of the key a stored object or upload is encrypted under
// ("" if none): nil if they agree, 400 InvalidRequest if either is missing,
// 403 AccessDenied if the keys differ.
func CheckCustomerKey(storedMD5 string, key []byte) error {
	switch {
	case storedMD5 == "" && key == nil:
		return nil
	case storedMD5 == "":
		return errSSECNotApplicable
	case key == nil:
		return errSSECRequired
	case CustomerKeyMD5(key) != storedMD5:
		return ErrAccessDenied
	}
	return nil
}

// CheckUploadKey is CheckCustomerKey for a part of a multipart upload.
func CheckUploadKey(storedMD5 string, key []byte) error {
	switch err := CheckCustomerKey(storedMD5, key); err {
	case errSSECRequired:
		return errSSECUploadKey
	case ErrAccessDenied:
		return errSSECUploadOther
	default:
		return err
	}
}

// CustomerKeyMD5 is the base64 MD5 of an SSE-C key, as S3 names it; ""
// for none (nil).
func CustomerKeyMD5(key []byte) string {
	if key == nil {
		return ""
	}
	sum := md5.Sum(key)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// checkSSE refuses encryption a request asks for that this gateway does
// not give, takes the SSE-C keys it presents (r.customerKey, and for a copy
// r.copySourceKey), and announces the encryption the object has. It runs
// once the caller is authorised, so a bucket policy on the encryption
// headers answers first (403).
func checkSSE(r *request) error {
	if !sseOps[r.rt.op] {
		return nil
	}
	if err := sseError(r.Header, r.Method == http.MethodGet || r.Method == http.MethodHead); err != nil {
		return err
	}
	var err error
	if r.customerKey, err = customerKey(r.Header, hdrSSECustomer); err != nil {
		return err
	}
	if copyOps[r.rt.op] {
		if r.copySourceKey, err = customerKey(r.Header, hdrCopySSECustomer); err != nil {
			return err
		}
	}
	announceSSE(r.w.Header(), CustomerKeyMD5(r.customerKey), "")
	return nil
}

// announceSSE sets the response headers that say how an object is
// encrypted: under the SSE-C key whose MD5 is keyMD5, else under the
// SSE-KMS key named kmsKey, else (both "") the gateway's own (AES256).
func announceSSE(h http.Header, keyMD5, kmsKey string) {
	switch {
	case keyMD5 != "":
		h.Del(hdrSSE)
		h.Del(hdrSSEKMSKeyID)
		h.Set(hdrSSECustomerAlg, sseAES256)
		h.Set(hdrSSECustomerMD5, keyMD5)
	case kmsKey != "":
		h.Set(hdrSSE, sseKMS)
		h.Set(hdrSSEKMSKeyID, kmsKey)
	default:
		h.Set(hdrSSE, sseAES256)
		h.Del(hdrSSEKMSKeyID)
	}
}

// sseError is the error for what encryption headers h ask for that this
// gateway does not give or that are malformed, nil if none; read is a GET
// or HEAD. Headers that contradict each other or are malformed are 400s
// before any 501.
func sseError(h http.Header, read bool) error {
	sse := h.Get(hdrSSE)
	customer := h.Get(hdrSSECustomerAlg) != "" || h.Get(hdrSSECustomerKey) != "" || h.Get(hdrSSECustomerMD5) != ""
	kmsParams := h.Get(hdrSSEKMSKeyID) != "" || h.Get(hdrSSEContext) != ""
	switch {
	case read && sse != "":
		return errSSEOnRead
	case customer && sse != "":
		return errSSECConflict
	case kmsParams && sse != sseKMS && sse != sseKMSDSSE:
		return errSSEKMSParams
	case customer:
		_, err := customerKey(h, hdrSSECustomer)
		return err
	}
	switch sse {
	case "", sseAES256:
		return nil
	case sseKMS:
		return checkKMS(h)
	case sseKMSDSSE:
		return errSSEDSSE
	}
	return errSSEUnknown
}

// customerKey returns the SSE-C key the headers under prefix (hdrSSECustomer
// or hdrCopySSECustomer) present, nil if none, checked as S3 does before
// using it: the algorithm AES256, a 256-bit key, and the MD5 of that key.
func customerKey(h http.Header, prefix string) ([]byte, error) {
	alg, b64, sum := h.Get(prefix+"algorithm"), h.Get(prefix+"key"), h.Get(prefix+"key-md5")
	if alg == "" && b64 == "" && sum == "" {
		return nil, nil
	}
	if alg == "" {
		return nil, ErrInvalidArgument.Errorf("Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.")
	}
	if alg != sseAES256 {
		return nil, errSSECAlgorithm
	}
	key, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(key) != 32 {
		return nil, ErrInvalidArgument.Errorf("The secret key was invalid for the specified algorithm.")
	}
	switch sum {
	case "":
		return nil, ErrInvalidArgument.Errorf("Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.")
	case CustomerKeyMD5(key):
		return key, nil
	}
	return nil, ErrInvalidArgument.Errorf("The calculated MD5 hash of the key did not match the hash that was provided.")
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
func (s *Server) getBucketEncryption(r *request) error {
	b, err := s.bucketOf(r)
	if err != nil {
		return err
	}
	d, ok := bucketSSEOf(b)
	if !ok {
		return errNoSSEConfig
	}
	c := sseConfig{NS: s3NS, Rules: make([]sseRule, 1)}
	c.Rules[0].Default.Algorithm = d.Algorithm
	c.Rules[0].Default.KMSKeyID = d.KMSKeyID
	c.Rules[0].BucketKeyEnabled = d.BucketKeyEnabled
	return writeXML(r, c)
}

// putBucketEncryption sets a bucket's default encryption: AES256 (which
// every object has anyway) or aws:kms, with a key or without (then
// DefaultKMSKey).
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
		if err := s.checkSSERule(rule); err != nil {
			return err
		}
	}
	rule := c.Rules[0]
	v, err := json.Marshal(bucketSSE{Algorithm: rule.Default.Algorithm, KMSKeyID: rule.Default.KMSKeyID, BucketKeyEnabled: rule.BucketKeyEnabled})
	if err != nil {
		return err
	}
	if err := s.Layer.SetBucketConfig(r.Context(), r.bucket, cfgSSE, v); err != nil {
		return err
	}
	return writeEmpty(r, http.StatusOK)
}

// checkSSERule checks a rule of a bucket's default encryption.
func (s *Server) checkSSERule(rule sseRule) error {
	switch id := rule.Default.KMSKeyID; rule.Default.Algorithm {
	case sseAES256:
		if id != "" {
			return ErrInvalidArgument.Errorf("a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms")
		}
		return nil
	case sseKMS:
		if err := checkKMSKeyID(id); err != nil {
			return err
		}
		return s.checkKMSKey(id)
	case sseKMSDSSE:
		return errSSEDSSE
	}
	return ErrMalformedXML
}
