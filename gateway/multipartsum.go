package gateway

// Invariants:
//   - An upload created with a checksum algorithm has a checksum type:
//     CRC64NVME only FULL_OBJECT; CRC32 and CRC32C FULL_OBJECT or COMPOSITE
//     (COMPOSITE unless asked); the hashes (SHA1, SHA256, MD5, SHA512 and
//     the XXHASHes) only COMPOSITE. A type without an algorithm, or one the
//     algorithm cannot have, is refused.
//   - The object of a FULL_OBJECT upload gets the CRC of its whole content
//     (FullObjectChecksum, no "-<parts>"); that of a COMPOSITE upload the
//     composite checksum (CompositeChecksum, "-<parts>").
//   - An x-amz-checksum-<alg> sent with CompleteMultipartUpload is checked,
//     before anything is assembled, against the value of the upload's type;
//     an x-amz-checksum-type that is not the upload's is refused.

import (
	"cmp"
	"errors"
	"net/http"
	"strconv"
	"strings"
)

// uploadChecksum reads the checksum algorithm and type a
// CreateMultipartUpload asks for; both are "" if it asks for none.
func uploadChecksum(h http.Header) (alg, typ string, err error) {
	alg = strings.ToUpper(h.Get("x-amz-checksum-algorithm"))
	typ = strings.ToUpper(h.Get("x-amz-checksum-type"))
	if err := checkChecksumType(typ); err != nil {
		return "", "", err
	}
	if alg == "" {
		if typ != "" {
			return "", "", ErrInvalidRequest.Errorf("The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.")
		}
		return "", "", nil
	}
	if newChecksum(alg) == nil {
		return "", "", ErrInvalidRequest.Errorf("Checksum algorithm %s is not supported", truncateArg(alg))
	}
	switch {
	case typ == "" && alg == "CRC64NVME":
		typ = "FULL_OBJECT"
	case typ == "":
		typ = "COMPOSITE"
	case typ == "FULL_OBJECT" && !canFullObject(alg), typ == "COMPOSITE" && alg == "CRC64NVME":
		return "", "", ErrInvalidRequest.Errorf("The %s checksum type cannot be used with the %s checksum algorithm.", typ, strings.ToLower(alg))
	}
	return alg, typ, nil
}

// checkChecksumType refuses an x-amz-checksum-type value S3 does not know.
func checkChecksumType(typ string) error {
	if typ != "" && typ != "FULL_OBJECT" && typ != "COMPOSITE" {
		return ErrInvalidRequest.Errorf("Value for x-amz-checksum-type header is invalid: %s", truncateArg(typ))
	}
	return nil
}

// checkCompleteChecksum compares an x-amz-checksum-* header sent with a
// CompleteMultipartUpload with the checksum the listed parts (their stored
// checksums and sizes) give the object: the CRC of the whole object for a
// FULL_OBJECT upload, their composite checksum for a COMPOSITE one (or an
// upload without an algorithm, unless the request says FULL_OBJECT or
// sends CRC64NVME alone).
// BadDigest on a mismatch, before anything is assembled.
func (s *Server) checkCompleteChecksum(r *request, parts []CompletePart) error {
	typ := strings.ToUpper(r.Header.Get("x-amz-checksum-type"))
	if err := checkChecksumType(typ); err != nil {
		return err
	}
	var algs []string
	for _, alg := range checksumAlgorithms {
		if r.Header.Get(checksumHeader(alg)) != "" {
			algs = append(algs, alg)
		}
	}
	if typ == "" && len(algs) == 0 {
		return nil
	}
	id := r.q.Get("uploadId")
	up, err := s.Layer.MultipartUpload(r.Context(), r.bucket, r.key, id)
	if errors.Is(err, ErrNoSuchUpload) {
		return nil // completed already, or never there: Complete decides
	}
	if err != nil {
		return err
	}
	mode := up.ChecksumType
	if up.ChecksumAlgorithm == "" {
		mode = cmp.Or(typ, "COMPOSITE")
		if typ == "" && len(algs) == 1 && algs[0] == DefaultChecksum {
			mode = "FULL_OBJECT" // CRC64NVME has no composite form
		}
	} else if typ != "" && typ != mode {
		return ErrInvalidRequest.Errorf("The upload was created using the %s checksum mode. The complete request must use the same checksum mode.", mode)
	}
	if len(algs) == 0 {
		return nil
	}
	stored := map[int]PartInfo{}
	for marker := 0; ; {
		page, err := s.Layer.ListObjectParts(r.Context(), r.bucket, r.key, id, marker, 1000)
		if errors.Is(err, ErrNoSuchUpload) {
			return nil
		}
		if err != nil {
			return err
		}
		for _, p := range page.Parts {
			stored[p.Number] = p
		}
		if !page.IsTruncated || page.NextMarker <= marker {
			break
		}
		marker = page.NextMarker
	}
	sums := make([]map[string]string, len(parts))
	sizes := make([]int64, len(parts))
	for i, p := range parts {
		sp, ok := stored[p.Number]
		if !ok {
			return nil // not uploaded: Complete answers InvalidPart
		}
		sums[i], sizes[i] = sp.Checksums, sp.Size
	}
	for _, alg := range algs {
		want := r.Header.Get(checksumHeader(alg))
		var got string
		var ok bool
		if mode == "FULL_OBJECT" {
			got, ok = FullObjectChecksum(alg, sums, sizes)
			ok = ok && want == got
		} else {
			got, ok = CompositeChecksum(alg, sums)
			ok = ok && (want == got || want+"-"+strconv.Itoa(len(parts)) == got)
		}
		if !ok {
			return ErrBadDigest.Errorf("The %s you specified did not match the calculated checksum.", checksumHeader(alg))
		}
	}
	return nil
}

// partsAlgorithm is the checksum algorithm an upload's parts carry ("" if
// none), and the type the object's will have: what ListParts and
// ListMultipartUploads report for an upload created without one.
// CRC64NVME parts (the default, or sent) make a FULL_OBJECT checksum, any
// other a COMPOSITE one.
func partsAlgorithm(parts []PartInfo) (alg, typ string) {
	for _, p := range parts {
		for alg := range p.Checksums {
			if alg == DefaultChecksum {
				return alg, "FULL_OBJECT"
			}
			return alg, "COMPOSITE"
		}
	}
	return "", ""
}
