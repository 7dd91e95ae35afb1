package gateway

// Invariants:
//   - Multipart checksums (algorithm, type, the object's value, Complete's
//     check) follow multipartsum.go's invariants.
//   - With encoding-type=url, ListMultipartUploads URL-encodes every key,
//     prefix, delimiter and key marker it answers, as ListObjects does.

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

type initiateResult struct {
	XMLName  xml.Name `xml:"InitiateMultipartUploadResult"`
	NS       string   `xml:"xmlns,attr"`
	Bucket   string
	Key      string
	UploadID string `xml:"UploadId"`
}

func (s *Server) createMultipartUpload(r *request) error {
	c, err := s.bucketConfOf(r)
	if err != nil {
		return err
	}
	opts, err := putOptions(r.Header)
	if err != nil {
		return err
	}
	opts.Initiator = r.caller()
	if opts.ChecksumAlgorithm, opts.ChecksumType, err = uploadChecksum(r.Header); err != nil {
		return err
	}
	if opts.ACL, err = s.newObjectACL(r, c); err != nil {
		return err
	}
	if opts.Lock, err = newObjectLock(r.Header, c.b); err != nil {
		return err
	}
	if opts.KMSKeyID, err = s.kmsKeyOf(r.Header, c.b); err != nil {
		return err
	}
	id, err := s.Layer.NewMultipartUpload(r.Context(), r.bucket, r.key, opts)
	if err != nil {
		return err
	}
	announceSSE(r.w.Header(), CustomerKeyMD5(opts.CustomerKey), opts.KMSKeyID)
	if opts.ChecksumAlgorithm != "" {
		r.w.Header().Set("x-amz-checksum-algorithm", opts.ChecksumAlgorithm)
		r.w.Header().Set("x-amz-checksum-type", opts.ChecksumType)
	}
	return writeXML(r, initiateResult{NS: s3NS, Bucket: r.bucket, Key: r.key, UploadID: id})
}

// partNumber parses a partNumber query value (1..10000).
func partNumber(v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 10000 {
		return 0, ErrInvalidArgument.Errorf("Part number must be an integer between 1 and 10000, inclusive")
	}
	return n, nil
}

func (s *Server) uploadPart(r *request) error {
	q := r.q
	if _, err := s.bucketOf(r); err != nil {
		return err
	}
	n, err := partNumber(q.Get("partNumber"))
	if err != nil {
		return err
	}
	up, err := s.Layer.MultipartUpload(r.Context(), r.bucket, r.key, q.Get("uploadId"))
	if err != nil {
		return err
	}
	// Before the body is read: a client waiting for 100 Continue gets the
	// answer at once (the layer checks again).
	if err := CheckUploadKey(up.SSECustomerKeyMD5, r.customerKey); err != nil {
		return err
	}
	data, err := s.putBody(r, up.ChecksumAlgorithm)
	if err != nil {
		return err
	}
	if up.ChecksumAlgorithm == "" {
		data.sums = withDefaultChecksum(data.sums)
	}
	info, err := s.Layer.PutObjectPart(r.Context(), r.bucket, r.key, q.Get("uploadId"), n, data, r.customerKey)
	if err != nil {
		return err
	}
	announceSSE(r.w.Header(), up.SSECustomerKeyMD5, up.SSEKMSKeyID)
	return writeStored(r, info.ETag, info.Checksums)
}

type completeRequest struct {
	XMLName xml.Name `xml:"CompleteMultipartUpload"`
	Parts   []struct {
		PartNumber int
		ETag       string
		checksumXML
	} `xml:"Part"`
}

type completeResult struct {
	XMLName  xml.Name `xml:"CompleteMultipartUploadResult"`
	NS       string   `xml:"xmlns,attr"`
	Location string
	Bucket   string
	Key      string
	ETag     string
	checksumXML
}

// maxCompleteBody bounds a CompleteMultipartUpload body: 10,000 parts.
const maxCompleteBody = 4 << 20

func (s *Server) completeMultipartUpload(r *request) error {
	q := r.q
	b, err := s.bucketOf(r)
	if err != nil {
		return err
	}
	var req completeRequest
	// On this call x-amz-checksum-* headers describe the object being
	// assembled, not the request body: they must not be checked against it.
	if err := s.readXMLBody(r, maxCompleteBody, &req, false); err != nil {
		return err
	}
	var opts PutOptions
	if err := s.putConditions(r, &opts); err != nil {
		return err
	}
	if r.customerKey != nil {
		// Not required here (as in S3), but a key presented must be the
		// upload's.
		up, err := s.Layer.MultipartUpload(r.Context(), r.bucket, r.key, q.Get("uploadId"))
		if err != nil {
			return err
		}
		if err := CheckUploadKey(up.SSECustomerKeyMD5, r.customerKey); err != nil {
			return err
		}
	}
	parts := make([]CompletePart, len(req.Parts))
	for i, p := range req.Parts {
		parts[i] = CompletePart{Number: p.PartNumber, ETag: strings.Trim(strings.TrimSpace(p.ETag), `"`)}
		parts[i].Checksums = p.values()
	}
	if err := s.checkCompleteChecksum(r, parts); err != nil {
		return err
	}
	info, err := s.Layer.CompleteMultipartUpload(r.Context(), r.bucket, r.key, q.Get("uploadId"), parts, opts)
	if errors.Is(err, ErrNoSuchUpload) {
		// A retry of a Complete whose answer was lost: the upload is gone,
		// but if the object at the key is the one this upload made from
		// these parts, the retry succeeds with the same result. An upload
		// aborted, or never begun, stays NoSuchUpload.
		if done, e := s.Layer.ObjectInfo(r.Context(), r.bucket, r.key, ""); e == nil && done.UploadID == q.Get("uploadId") &&
			done.ETag == multipartETag(parts) {
			info, err = done, nil
		}
	}
	if err != nil {
		return err
	}
	announceSSE(r.w.Header(), info.SSECustomerKeyMD5, info.SSEKMSKeyID) // the parts' key, which this request need not present
	setWriteVersionHeader(r, info)
	s.setExpirationHeader(r, b, info)
	res := completeResult{NS: s3NS, Location: s.objectURL(r),
		Bucket: r.bucket, Key: r.key, ETag: `"` + info.ETag + `"`}
	res.checksumXML = checksumElements(info.Checksums)
	for _, v := range info.Checksums {
		res.ChecksumType = checksumType(v)
	}
	return writeXML(r, res)
}

// multipartETag is the ETag of an object assembled from parts:
// md5(concatenated part MD5s)-N ("" if a part ETag is not an MD5).
func multipartETag(parts []CompletePart) string {
	h := md5.New()
	for _, p := range parts {
		b, err := hex.DecodeString(p.ETag)
		if err != nil || len(b) != md5.Size {
			return ""
		}
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)) + "-" + strconv.Itoa(len(parts))
}

func (s *Server) abortMultipartUpload(r *request) error {
	q := r.q
	if _, err := s.bucketOf(r); err != nil {
		return err
	}
	if err := s.Layer.AbortMultipartUpload(r.Context(), r.bucket, r.key, q.Get("uploadId")); err != nil {
		return err
	}
	r.status = http.StatusNoContent
	r.w.WriteHeader(http.StatusNoContent)
	return nil
}

type partXML struct {
	PartNumber   int
	LastModified string
	ETag         string
	Size         int64
	checksumXML
}

type listPartsResult struct {
	XMLName              xml.Name `xml:"ListPartsResult"`
	NS                   string   `xml:"xmlns,attr"`
	Bucket               string
	Key                  string
	UploadID             string `xml:"UploadId"`
	Initiator            owner
	Owner                owner
	StorageClass         string
	PartNumberMarker     int
	NextPartNumberMarker int
	MaxParts             int
	IsTruncated          bool
	ChecksumAlgorithm    string    `xml:",omitempty"`
	ChecksumType         string    `xml:",omitempty"`
	Parts                []partXML `xml:"Part"`
}

// intParam parses an optional non-negative integer query parameter.
func intParam(q url.Values, name string, def int) (int, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, ErrInvalidArgument.Errorf("%s must be a non-negative integer", name)
	}
	return n, nil
}

func (s *Server) listParts(r *request) error {
	q := r.q
	c, err := s.bucketConfOf(r)
	if err != nil {
		return err
	}
	marker, err := intParam(q, "part-number-marker", 0)
	if err != nil {
		return err
	}
	max, err := intParam(q, "max-parts", 1000)
	if err != nil {
		return err
	}
	max = min(max, 1000)
	up, err := s.Layer.MultipartUpload(r.Context(), r.bucket, r.key, q.Get("uploadId"))
	if err != nil {
		return err
	}
	page, err := s.Layer.ListObjectParts(r.Context(), r.bucket, r.key, q.Get("uploadId"), marker, max)
	if err != nil {
		return err
	}
	initiator, owner := s.uploadOwners(r, c, up)
	res := listPartsResult{NS: s3NS, Bucket: r.bucket, Key: r.key, UploadID: q.Get("uploadId"), Initiator: initiator, Owner: owner,
		StorageClass: "STANDARD", PartNumberMarker: marker, NextPartNumberMarker: page.NextMarker, MaxParts: max,
		IsTruncated: page.IsTruncated}
	res.ChecksumAlgorithm, res.ChecksumType = up.ChecksumAlgorithm, up.ChecksumType
	if res.ChecksumAlgorithm == "" {
		res.ChecksumAlgorithm, res.ChecksumType = partsAlgorithm(page.Parts)
	}
	for _, p := range page.Parts {
		res.Parts = append(res.Parts, partXML{PartNumber: p.Number, LastModified: p.ModTime.UTC().Format(iso8601),
			ETag: `"` + p.ETag + `"`, Size: p.Size, checksumXML: checksumElements(p.Checksums)})
	}
	return writeXML(r, res)
}

type uploadXML struct {
	Key               string
	UploadID          string `xml:"UploadId"`
	Initiator         owner
	Owner             owner
	StorageClass      string
	Initiated         string
	ChecksumAlgorithm string `xml:",omitempty"`
	ChecksumType      string `xml:",omitempty"`
}

type listUploadsResult struct {
	XMLName            xml.Name `xml:"ListMultipartUploadsResult"`
	NS                 string   `xml:"xmlns,attr"`
	Bucket             string
	KeyMarker          string
	UploadIDMarker     string `xml:"UploadIdMarker"`
	NextKeyMarker      string
	NextUploadIDMarker string `xml:"NextUploadIdMarker"`
	Prefix             string
	Delimiter          string `xml:",omitempty"`
	EncodingType       string `xml:",omitempty"`
	MaxUploads         int
	IsTruncated        bool
	Uploads            []uploadXML `xml:"Upload"`
	CommonPrefixes     []prefixXML
}

func (s *Server) listMultipartUploads(r *request) error {
	q := r.q
	c, err := s.bucketConfOf(r)
	if err != nil {
		return err
	}
	max, err := intParam(q, "max-uploads", 1000)
	if err != nil {
		return err
	}
	max = min(max, 1000)
	enc := q.Get("encoding-type")
	if enc != "" && enc != "url" {
		return ErrInvalidArgument.Errorf("Invalid Encoding Method specified in Request: %s", truncateArg(enc))
	}
	esc := func(v string) string {
		if enc == "url" {
			return s3Escape(v)
		}
		return v
	}
	opts := ListUploadsOptions{Prefix: q.Get("prefix"), Delimiter: q.Get("delimiter"), KeyMarker: q.Get("key-marker"),
		UploadIDMarker: q.Get("upload-id-marker"), MaxUploads: max}
	page, err := s.Layer.ListMultipartUploads(r.Context(), r.bucket, opts)
	if err != nil {
		return err
	}
	res := listUploadsResult{NS: s3NS, Bucket: r.bucket, KeyMarker: esc(opts.KeyMarker), UploadIDMarker: opts.UploadIDMarker,
		Prefix: esc(opts.Prefix), Delimiter: esc(opts.Delimiter), EncodingType: enc, MaxUploads: max, IsTruncated: page.IsTruncated}
	if page.IsTruncated {
		res.NextKeyMarker, res.NextUploadIDMarker = esc(page.NextKeyMarker), page.NextUploadIDMarker
	}
	for _, u := range page.Uploads {
		initiator, owner := s.uploadOwners(r, c, u)
		x := uploadXML{Key: esc(u.Key), UploadID: u.UploadID, Initiator: initiator, Owner: owner,
			StorageClass: "STANDARD", Initiated: u.Initiated.UTC().Format(iso8601),
			ChecksumAlgorithm: u.ChecksumAlgorithm, ChecksumType: u.ChecksumType}
		if x.ChecksumAlgorithm == "" {
			// Created without an algorithm: report the one its parts carry.
			if first, err := s.Layer.ListObjectParts(r.Context(), r.bucket, u.Key, u.UploadID, 0, 1); err == nil {
				x.ChecksumAlgorithm, x.ChecksumType = partsAlgorithm(first.Parts)
			}
		}
		res.Uploads = append(res.Uploads, x)
	}
	for _, p := range page.CommonPrefixes {
		res.CommonPrefixes = append(res.CommonPrefixes, prefixXML{Prefix: esc(p)})
	}
	return writeXML(r, res)
}

// uploadOwners are the Initiator (the caller that started up; r's caller
// for an upload recorded before that was kept) and the Owner (of the object
// it will make: its ACL's owner, the bucket owner's under
// BucketOwnerEnforced) of upload up in bucket c.
func (s *Server) uploadOwners(r *request, c bucketConf, up UploadInfo) (initiator, objOwner owner) {
	who := up.Initiator
	if who == "" {
		who = r.caller()
	}
	acl := s.objectACLOf(c, ObjectInfo{ACL: up.ACL})
	return ownerOf(who), owner{ID: acl.OwnerID, DisplayName: acl.OwnerName}
}
