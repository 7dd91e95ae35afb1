package gateway

// SSE-KMS, with the gateway's wallet as the key-management service.
//
// Invariants:
//   - A KMS key is a name: the key id a request gives, as given (an id, an
//     alias or an ARN). The gateway holds every such key: the layer derives
//     a key's secret from the wallet's master key and the name, so any name
//     is a key from its first use, objects under different names have
//     unrelated data keys, and nothing about a key is stored but its name,
//     with each object. No object is encrypted under a key the gateway does
//     not hold.
//   - A write asks for SSE-KMS with x-amz-server-side-encryption: aws:kms,
//     naming its key in x-amz-server-side-encryption-aws-kms-key-id, or
//     DefaultKMSKey if it names none (S3 uses its AWS-managed key then). A
//     write that asks for no encryption (neither SSE nor SSE-C headers) gets
//     its bucket's default encryption, which may be aws:kms with a key.
//   - Server.KMSKeys, if set, lists the names writes and bucket defaults
//     may use besides DefaultKMSKey: another is 400 KMS.NotFoundException,
//     as S3 answers for a key that does not exist. Objects already under a
//     name read whatever the list says now.
//   - Reads need nothing: GET and HEAD of an SSE-KMS object answer aws:kms
//     and the key's name; so do the writes that make one.
//   - The parts of a multipart upload are encrypted as the upload says;
//     encryption headers on UploadPart other than SSE-C are ignored.
//   - An encryption context must be base64 of a JSON object of strings, and
//     the bucket-key flag true or false; both are checked, neither is kept.
//   - Dual-layer SSE-KMS (aws:kms:dsse) is refused (501), never ignored.

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"unicode"
)

const (
	sseKMS          = "aws:kms"
	sseKMSDSSE      = "aws:kms:dsse"
	hdrSSEBucketKey = "x-amz-server-side-encryption-bucket-key-enabled"
	// DefaultKMSKey names the key of an aws:kms write that names none.
	DefaultKMSKey = "mefs/s3"
	maxKMSKeyID   = 2048
)

var errSSEDSSE = apiErr("NotImplemented", 501, "Dual-layer server-side encryption with AWS KMS keys (aws:kms:dsse) is not implemented")

var errKMSNotFound = apiErr("KMS.NotFoundException", 400, "")

// checkKMSKey refuses a KMS key id that is not one of s.KMSKeys, if set.
func (s *Server) checkKMSKey(id string) error {
	if id == "" || id == DefaultKMSKey || s.KMSKeys == nil || slices.Contains(s.KMSKeys, id) {
		return nil
	}
	return errKMSNotFound.Errorf("Invalid keyId '%s'", id)
}

// checkKMS checks the SSE-KMS parameters of a write asking for aws:kms.
func checkKMS(h http.Header) error {
	if err := checkKMSKeyID(h.Get(hdrSSEKMSKeyID)); err != nil {
		return err
	}
	if c := h.Get(hdrSSEContext); c != "" && !validContext(c) {
		return ErrInvalidArgument.Errorf("The header x-amz-server-side-encryption-context must be the base64 encoding of a JSON object of string values")
	}
	if v := h.Get(hdrSSEBucketKey); v != "" && !strings.EqualFold(v, "true") && !strings.EqualFold(v, "false") {
		return ErrInvalidArgument.Errorf("The header x-amz-server-side-encryption-bucket-key-enabled must be true or false")
	}
	return nil
}

// checkKMSKeyID checks the form of a KMS key id ("": none named).
func checkKMSKeyID(id string) error {
	if len(id) > maxKMSKeyID || strings.IndexFunc(id, unicode.IsSpace) >= 0 {
		return ErrInvalidArgument.Errorf("Invalid KMS key id: at most %d characters without spaces are expected", maxKMSKeyID)
	}
	return nil
}

// validContext reports whether c is an encryption context: base64 of a
// JSON object whose values are strings.
func validContext(c string) bool {
	b, err := base64.StdEncoding.DecodeString(c)
	if err != nil {
		return false
	}
	var m map[string]string
	return json.Unmarshal(b, &m) == nil && m != nil
}

// kmsKeyOf names the SSE-KMS key a write with headers h (checked by
// sseError) is to be encrypted under in bucket b, "" for none: the key it
// asks for, else (asking for no encryption) its bucket's default if that
// is aws:kms. A key not in s.KMSKeys is an error.
func (s *Server) kmsKeyOf(h http.Header, b BucketInfo) (string, error) {
	id := ""
	switch h.Get(hdrSSE) {
	case sseKMS:
		id = orDefaultKMSKey(h.Get(hdrSSEKMSKeyID))
	case "":
		if h.Get(hdrSSECustomerAlg) != "" {
			return "", nil
		}
		if d, ok := bucketSSEOf(b); ok && d.Algorithm == sseKMS {
			id = orDefaultKMSKey(d.KMSKeyID)
		}
	}
	return id, s.checkKMSKey(id)
}

func orDefaultKMSKey(id string) string {
	if id == "" {
		return DefaultKMSKey
	}
	return id
}

// bucketSSE is a bucket's default encryption, as recorded in its config.
type bucketSSE struct {
	Algorithm        string
	KMSKeyID         string `json:",omitempty"`
	BucketKeyEnabled bool   `json:",omitempty"`
}

// bucketSSEOf returns bucket b's default encryption, false if it has none.
func bucketSSEOf(b BucketInfo) (bucketSSE, bool) {
	v := b.Config[cfgSSE]
	if len(v) == 0 {
		return bucketSSE{}, false
	}
	if v[0] != '{' { // recorded before SSE-KMS: the algorithm alone
		return bucketSSE{Algorithm: string(v)}, true
	}
	var d bucketSSE
	if err := json.Unmarshal(v, &d); err != nil {
		return bucketSSE{Algorithm: sseAES256}, true
	}
	return d, true
}
