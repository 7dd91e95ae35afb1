package gateway

import (
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// copySource parses x-amz-copy-source: "[/]bucket/key[?versionId=...]",
// URL-encoded; vid is the version named ("" the latest).
func copySource(v string) (bucket, key, vid string, err error) {
	src, query, hasQuery := strings.Cut(v, "?")
	if hasQuery {
		q, err := url.ParseQuery(query)
		if err != nil {
			return "", "", "", ErrInvalidArgument.Errorf("Invalid copy source query")
		}
		if id, present := q["versionId"]; present {
			if err := checkVersionIDValue(id[0]); err != nil {
				return "", "", "", err
			}
			vid = id[0]
		}
	}
	src, err = url.PathUnescape(src)
	if err != nil {
		return "", "", "", ErrInvalidArgument.Errorf("Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
	}
	src = strings.TrimPrefix(src, "/")
	bucket, key, ok := strings.Cut(src, "/")
	if !ok || bucket == "" || key == "" {
		return "", "", "", ErrInvalidArgument.Errorf("Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
	}
	return bucket, key, vid, nil
}

// copyConditions applies the x-amz-copy-source-if-* headers to the source.
func copyConditions(h http.Header, src ObjectInfo) error {
	cond := http.Header{}
	for _, n := range []string{"If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since"} {
		if v := h.Get("x-amz-copy-source-" + n); v != "" {
			cond.Set(n, v)
		}
	}
	if err := checkConditions(cond, src); err != nil {
		return ErrPreconditionFailed
	}
	return nil
}

// openCopySource checks access to and preconditions on the copy source and
// opens the byte range rng of it.
func (s *Server) openCopySource(r *request, rng *Range) (ObjectInfo, io.ReadCloser, error) {
	bucket, key, vid, err := copySource(r.Header.Get("x-amz-copy-source"))
	if err != nil {
		return ObjectInfo{}, nil, err
	}
	b, err := s.Layer.BucketInfo(r.Context(), bucket)
	if err != nil {
		return ObjectInfo{}, nil, err
	}
	c := s.confOf(b)
	if err := checkExpectedOwner(r.Header.Get("x-amz-source-expected-bucket-owner"), c); err != nil {
		return ObjectInfo{}, nil, err
	}
	srcReq := *r
	srcReq.bucket, srcReq.key = bucket, key
	if err := s.authorize(&srcReq, c, "s3:ListBucket", "", nil); err != nil {
		// Without list permission a missing source is not revealed.
		if _, e := s.Layer.ObjectInfo(r.Context(), bucket, key, vid); e != nil {
			return ObjectInfo{}, nil, ErrAccessDenied
		}
	}
	src, rc, err := s.Layer.GetObject(r.Context(), bucket, key, vid, rng, r.copySourceKey)
	if errors.Is(err, ErrMethodNotAllowed) {
		return ObjectInfo{}, nil, ErrInvalidRequest.Errorf("The source of a copy request may not specifically refer to a delete marker by version id.")
	}
	if err != nil {
		return ObjectInfo{}, nil, err
	}
	if src.VersionID == "" && vid == "null" {
		src.VersionID = "null"
	}
	acl := s.objectACLOf(c, src)
	if err := s.authorize(&srcReq, c, "s3:GetObject", key, &acl); err != nil {
		rc.Close()
		return ObjectInfo{}, nil, err
	}
	if err := copyConditions(r.Header, src); err != nil {
		rc.Close()
		return ObjectInfo{}, nil, err
	}
	return src, rc, nil
}

type copyResult struct {
	XMLName      xml.Name
	NS           string `xml:"xmlns,attr"`
	LastModified string
	ETag         string
	checksumXML
}

func (s *Server) copyObject(r *request) error {
	c, err := s.bucketConfOf(r)
	if err != nil {
		return err
	}
	directive := r.Header.Get("x-amz-metadata-directive")
	if directive != "" && directive != "COPY" && directive != "REPLACE" {
		return ErrInvalidArgument.Errorf("Unknown metadata directive.")
	}
	sb, sk, svid, err := copySource(r.Header.Get("x-amz-copy-source"))
	if err != nil {
		return err
	}
	// Copying an older version onto its key restores it; copying the
	// latest onto itself must ask for a change: new metadata, or (as S3
	// reads it) any storage class or encryption, even the object's own.
	if sb == r.bucket && sk == r.key && directive != "REPLACE" && svid == "" && !asksRewrite(r) {
		return ErrInvalidRequest.Errorf("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
	}
	src, rc, err := s.openCopySource(r, nil)
	if err != nil {
		return err
	}
	defer rc.Close()
	if src.Size > maxObjectSize {
		return ErrInvalidRequest.Errorf("The specified copy source is larger than the maximum allowable size for a copy source: 5368709120")
	}
	opts := PutOptions{ContentType: src.ContentType, UserMeta: src.UserMeta, Headers: src.Headers, Tags: src.Tags}
	if directive == "REPLACE" {
		if opts, err = putOptions(r.Header); err != nil {
			return err
		}
	}
	opts.CustomerKey = r.customerKey
	if opts.KMSKeyID, err = s.kmsKeyOf(r.Header, c.b); err != nil {
		return err
	}
	switch r.Header.Get("x-amz-tagging-directive") {
	case "", "COPY":
		opts.Tags = src.Tags
	case "REPLACE":
		if opts.Tags, err = headerTags(r.Header.Get("x-amz-tagging")); err != nil {
			return err
		}
	default:
		return ErrInvalidArgument.Errorf("Unknown tagging directive.")
	}
	if err := s.putConditions(r, &opts); err != nil {
		return err
	}
	if opts.ACL, err = s.newObjectACL(r, c); err != nil {
		return err
	}
	if opts.Lock, err = newObjectLock(r.Header, c.b); err != nil {
		return err
	}
	data := NewPutReader(rc, src.Size, nil)
	alg := strings.ToUpper(r.Header.Get("x-amz-checksum-algorithm"))
	if alg != "" && newChecksum(alg) == nil {
		return ErrInvalidRequest.Errorf("Checksum algorithm %s is not supported", alg)
	}
	// The copy is one object, not parts, with one whole-object checksum:
	// of the algorithm the request asks for; else of the source's (a
	// whole-object value carried over and re-verified on the way, a
	// composite one computed afresh); else CRC64NVME, as S3 gives every new
	// object.
	data.sums = copyChecksums(alg, src.Checksums)
	info, err := s.Layer.PutObject(r.Context(), r.bucket, r.key, data, opts)
	if err != nil {
		return err
	}
	setWriteVersionHeader(r, info)
	s.setExpirationHeader(r, c.b, info)
	announceSSE(r.w.Header(), info.SSECustomerKeyMD5, info.SSEKMSKeyID)
	if src.VersionID != "" {
		r.w.Header().Set("x-amz-copy-source-version-id", src.VersionID)
	}
	res := copyResult{XMLName: xml.Name{Local: "CopyObjectResult"}, NS: s3NS,
		LastModified: info.ModTime.UTC().Format(iso8601), ETag: `"` + info.ETag + `"`}
	res.checksumXML = checksumElements(info.Checksums)
	if len(info.Checksums) > 0 {
		res.ChecksumType = "FULL_OBJECT"
	}
	return writeXML(r, res)
}

func (s *Server) uploadPartCopy(r *request) error {
	q := r.q
	if _, err := s.bucketOf(r); err != nil {
		return err
	}
	n, err := partNumber(q.Get("partNumber"))
	if err != nil {
		return err
	}
	var rng *Range
	if v := r.Header.Get("x-amz-copy-source-range"); v != "" {
		if rng = ParseRange(v); rng == nil || rng.isSuffix || rng.Last < 0 {
			return ErrInvalidArgument.Errorf("The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy")
		}
	}
	src, rc, err := s.openCopySource(r, rng)
	if err != nil {
		return err
	}
	defer rc.Close()
	if src.VersionID != "" {
		r.w.Header().Set("x-amz-copy-source-version-id", src.VersionID)
	}
	if rng != nil && rng.Last >= src.Size {
		return ErrInvalidRange
	}
	_, size, err := rng.Resolve(src.Size)
	if err != nil {
		return err
	}
	up, err := s.Layer.MultipartUpload(r.Context(), r.bucket, r.key, q.Get("uploadId"))
	if err != nil {
		return err
	}
	// The copied part carries the upload's checksum like any other part:
	// completing the upload needs every part's.
	sums, err := requestChecksums(http.Header{}, nil, up.ChecksumAlgorithm)
	if err != nil {
		return err
	}
	if up.ChecksumAlgorithm == "" {
		sums = withDefaultChecksum(sums)
	}
	data := NewPutReader(rc, size, nil)
	data.sums = sums
	info, err := s.Layer.PutObjectPart(r.Context(), r.bucket, r.key, q.Get("uploadId"), n, data, r.customerKey)
	if err != nil {
		return err
	}
	announceSSE(r.w.Header(), up.SSECustomerKeyMD5, up.SSEKMSKeyID)
	res := copyResult{XMLName: xml.Name{Local: "CopyPartResult"}, NS: s3NS,
		LastModified: info.ModTime.UTC().Format(iso8601), ETag: `"` + info.ETag + `"`}
	res.checksumXML = checksumElements(info.Checksums)
	return writeXML(r, res)
}

// asksRewrite reports whether a copy names a storage class or a server-side
// encryption (SSE-S3, or a customer key for the copy or its source), which
// lets an object be copied onto itself unchanged otherwise
// (how S3 clients re-encrypt or re-class objects in place).
func asksRewrite(r *request) bool {
	return r.Header.Get("x-amz-storage-class") != "" || r.Header.Get(hdrSSE) != "" ||
		r.customerKey != nil || r.copySourceKey != nil
}

// copyChecksums are the checksums a copy computes of a source with
// checksums srcSums: of alg if asked for, else the source's, else the
// default.
func copyChecksums(alg string, srcSums map[string]string) []*checksum {
	if alg != "" {
		return []*checksum{{alg: alg, h: newChecksum(alg), want: computedOnly}}
	}
	var out []*checksum
	for a, v := range srcSums {
		h := newChecksum(a)
		if h == nil {
			continue
		}
		want := computedOnly
		if !strings.Contains(v, "-") {
			want = func() (string, bool) { return v, true }
		}
		out = append(out, &checksum{alg: a, h: h, want: want})
	}
	return withDefaultChecksum(out)
}
