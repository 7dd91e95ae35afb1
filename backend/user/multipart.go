package user

import (
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/erasure"
	"github.com/mefs-project/mefs/gateway"
)

// minPartSize is S3's minimum size of every part but the last.
const minPartSize = 5 << 20

func (l *Layer) NewMultipartUpload(ctx context.Context, bucket, key string, opts gateway.PutOptions) (_ string, err error) {
	defer translate(&err)
	now := time.Now().UTC()
	u := meta.Upload{Bucket: bucket, Key: key, ID: newUploadID(now), Initiated: now,
		ContentType: opts.ContentType, UserMeta: opts.UserMeta, Headers: opts.Headers, ChecksumAlg: opts.ChecksumAlgorithm,
		ChecksumType: opts.ChecksumType, Tags: opts.Tags, ACL: opts.ACL,
		Lock: metaLock(opts.Lock), Initiator: opts.Initiator, SSECKeyMD5: gateway.CustomerKeyMD5(opts.CustomerKey),
		SSEKMSKeyID: opts.KMSKeyID}
	if err := l.meta.CreateUpload(u); err != nil {
		return "", err
	}
	return u.ID, nil
}

// newUploadID returns a fresh upload id: the hex time it was initiated
// (fixed width), then 18 random bytes. Uploads of one key are listed in
// id order, which is then the order they were initiated in, as S3 lists
// them (and its upload-id-marker is still compared as a string).
func newUploadID(initiated time.Time) string {
	b := make([]byte, 18)
	rand.Read(b)
	return fmt.Sprintf("%016x", initiated.UnixNano()) + base64.RawURLEncoding.EncodeToString(b)
}

func (l *Layer) upload(bucket, key, uploadID string) (meta.Upload, error) {
	if _, err := l.meta.Bucket(bucket); err != nil {
		return meta.Upload{}, err
	}
	return l.meta.Upload(bucket, key, uploadID)
}

func (l *Layer) PutObjectPart(ctx context.Context, bucket, key, uploadID string, n int, data *gateway.PutReader, customerKey []byte) (_ gateway.PartInfo, err error) {
	defer translate(&err)
	u, err := l.upload(bucket, key, uploadID)
	if err != nil {
		return gateway.PartInfo{}, err
	}
	if err := gateway.CheckUploadKey(u.SSECKeyMD5, customerKey); err != nil {
		return gateway.PartInfo{}, err
	}
	id := newDataID()
	lay, err := l.storeData(ctx, l.dataKey(customerKey, u.SSEKMSKeyID, id), id, data)
	if err != nil {
		return gateway.PartInfo{}, fmt.Errorf("put part %d of %s/%s: %w", n, bucket, key, err)
	}
	p := meta.Part{Number: n, ID: id, Size: data.Size(), ETag: data.ETag(), ModTime: time.Now().UTC(),
		Checksums: data.Checksums(), Layout: lay}
	if err := l.meta.CommitPart(u, p); err != nil {
		l.abortData(id, lay.AllProviders())
		return gateway.PartInfo{}, err
	}
	l.kickGC() // the part may have replaced another
	return gateway.PartInfo{Number: n, Size: p.Size, ETag: p.ETag, ModTime: p.ModTime, Checksums: p.Checksums}, nil
}

func (l *Layer) CompleteMultipartUpload(ctx context.Context, bucket, key, uploadID string, parts []gateway.CompletePart, opts gateway.PutOptions) (info gateway.ObjectInfo, err error) {
	defer translate(&err)
	// A listed part uploaded again while the object was assembled: assemble
	// it again from what is stored now (the client's ETags still decide).
	for range 3 {
		if info, err = l.completeUpload(ctx, bucket, key, uploadID, parts, opts); !errors.Is(err, meta.ErrPartChanged) {
			break
		}
	}
	return info, err
}

func (l *Layer) completeUpload(ctx context.Context, bucket, key, uploadID string, parts []gateway.CompletePart, opts gateway.PutOptions) (gateway.ObjectInfo, error) {
	u, err := l.upload(bucket, key, uploadID)
	if err != nil {
		return gateway.ObjectInfo{}, err
	}
	check := l.putCheck(bucket, key, opts)
	if len(parts) == 0 {
		return gateway.ObjectInfo{}, gateway.ErrMalformedXML.Errorf("You must specify at least one part")
	}
	stored, _, err := l.meta.Parts(uploadID, 0, -1)
	if err != nil {
		return gateway.ObjectInfo{}, err
	}
	// An Abort between the two reads leaves no parts: say so, not that
	// the client listed parts it never uploaded.
	if _, err := l.upload(bucket, key, uploadID); err != nil {
		return gateway.ObjectInfo{}, err
	}
	byNumber := make(map[int]meta.Part, len(stored))
	for _, p := range stored {
		byNumber[p.Number] = p
	}
	var (
		ids     []erasure.DataID
		layouts []meta.Layout
		size    int64
		md5s    []byte
		sums    []map[string]string
		sizes   []int64
		used    = map[int]erasure.DataID{}
	)
	// The order first, as S3 checks it: before any part's ETag or size.
	for i := 1; i < len(parts); i++ {
		if parts[i].Number <= parts[i-1].Number {
			return gateway.ObjectInfo{}, gateway.ErrInvalidPartOrder
		}
	}
	for i, cp := range parts {
		p, ok := byNumber[cp.Number]
		if !ok || p.ETag != cp.ETag {
			return gateway.ObjectInfo{}, gateway.ErrInvalidPart.Errorf("part %d was not uploaded or its ETag %q does not match", cp.Number, cp.ETag)
		}
		if i < len(parts)-1 && p.Size < minPartSize {
			return gateway.ObjectInfo{}, gateway.ErrEntityTooSmall.Errorf("part %d is %d bytes; every part but the last must be at least 5 MiB", cp.Number, p.Size)
		}
		raw, err := hex.DecodeString(p.ETag)
		if err != nil {
			return gateway.ObjectInfo{}, fmt.Errorf("part %d has a malformed stored ETag: %w", cp.Number, err)
		}
		for alg, v := range cp.Checksums {
			if p.Checksums[alg] != v {
				return gateway.ObjectInfo{}, gateway.ErrInvalidPart.Errorf("part %d's %s checksum %q does not match the uploaded part's", cp.Number, alg, v)
			}
		}
		md5s = append(md5s, raw...)
		sums = append(sums, p.Checksums)
		sizes = append(sizes, p.Size)
		ids = append(ids, p.ID)
		layouts = append(layouts, p.Layout)
		size += p.Size
		used[p.Number] = p.ID
	}
	sum := md5.Sum(md5s)
	obj := meta.Object{ID: newObjectID(), Size: size, ETag: fmt.Sprintf("%x-%d", sum, len(parts)),
		ModTime: time.Now().UTC(), ContentType: u.ContentType, UserMeta: u.UserMeta, Headers: u.Headers, PartSizes: sizes, Tags: u.Tags, ACL: u.ACL,
		SSECKeyMD5: u.SSECKeyMD5, SSEKMSKeyID: u.SSEKMSKeyID, UploadID: u.ID}
	obj.Checksums, obj.PartChecksums = uploadChecksums(u, sums, sizes)
	lay := meta.Concat(ids, layouts)
	obj, err = l.meta.CompleteUploadVersion(u, obj, lay, used, meta.CommitOptions{Check: check, Lock: u.Lock})
	if err != nil {
		return gateway.ObjectInfo{}, err
	}
	l.kickGC()
	if lay.Missing() {
		l.kickRepair()
	}
	info := objectInfo(bucket, key, obj)
	info.Lock = gatewayLock(u.Lock)
	return info, nil
}

func (l *Layer) AbortMultipartUpload(ctx context.Context, bucket, key, uploadID string) (err error) {
	defer translate(&err)
	u, err := l.upload(bucket, key, uploadID)
	if err != nil {
		return err
	}
	if err := l.meta.AbortUpload(u); err != nil {
		return err
	}
	l.kickGC()
	return nil
}

func (l *Layer) ListObjectParts(ctx context.Context, bucket, key, uploadID string, marker, maxParts int) (_ gateway.ListPartsResult, err error) {
	defer translate(&err)
	var res gateway.ListPartsResult
	if _, err := l.upload(bucket, key, uploadID); err != nil {
		return res, err
	}
	parts, truncated, err := l.meta.Parts(uploadID, marker, maxParts)
	if err != nil {
		return res, err
	}
	res.IsTruncated = truncated
	for _, p := range parts {
		res.Parts = append(res.Parts, gateway.PartInfo{Number: p.Number, Size: p.Size, ETag: p.ETag, ModTime: p.ModTime, Checksums: p.Checksums})
		res.NextMarker = p.Number
	}
	return res, nil
}

func (l *Layer) ListMultipartUploads(ctx context.Context, bucket string, opts gateway.ListUploadsOptions) (_ gateway.ListUploadsResult, err error) {
	defer translate(&err)
	page, err := l.meta.ListUploads(bucket, opts.Prefix, opts.Delimiter, opts.KeyMarker, opts.UploadIDMarker, opts.MaxUploads)
	res := gateway.ListUploadsResult{CommonPrefixes: page.CommonPrefixes, IsTruncated: page.IsTruncated,
		NextKeyMarker: page.NextKeyMarker, NextUploadIDMarker: page.NextUploadIDMarker}
	for _, u := range page.Uploads {
		res.Uploads = append(res.Uploads, uploadInfo(u))
	}
	return res, err
}

func (l *Layer) MultipartUpload(ctx context.Context, bucket, key, uploadID string) (_ gateway.UploadInfo, err error) {
	defer translate(&err)
	u, err := l.upload(bucket, key, uploadID)
	if err != nil {
		return gateway.UploadInfo{}, err
	}
	return uploadInfo(u), nil
}

// uploadInfo describes u to the gateway. An upload recorded before checksum
// types were kept has a composite checksum.
func uploadInfo(u meta.Upload) gateway.UploadInfo {
	info := gateway.UploadInfo{Key: u.Key, UploadID: u.ID, Initiated: u.Initiated,
		ChecksumAlgorithm: u.ChecksumAlg, ChecksumType: u.ChecksumType, Initiator: u.Initiator, ACL: u.ACL,
		SSECustomerKeyMD5: u.SSECKeyMD5, SSEKMSKeyID: u.SSEKMSKeyID}
	if info.ChecksumAlgorithm != "" && info.ChecksumType == "" {
		info.ChecksumType = "COMPOSITE"
	}
	return info
}

// uploadChecksums is the checksum of an object assembled from parts with
// checksums sums and sizes, and each part's value under its algorithm: the
// upload's algorithm and type; for an upload created without one, the
// default checksum whole if every part carries it, as S3 gives. Nil if the
// parts do not all carry one.
func uploadChecksums(u meta.Upload, sums []map[string]string, sizes []int64) (map[string]string, []string) {
	alg := u.ChecksumAlg
	var c string
	var ok bool
	switch {
	case alg == "":
		alg = gateway.DefaultChecksum
		c, ok = gateway.FullObjectChecksum(alg, sums, sizes)
	case uploadInfo(u).ChecksumType == "FULL_OBJECT":
		c, ok = gateway.FullObjectChecksum(alg, sums, sizes)
	default:
		c, ok = gateway.CompositeChecksum(alg, sums)
	}
	if !ok {
		return nil, nil
	}
	parts := make([]string, 0, len(sums))
	for _, s := range sums {
		parts = append(parts, s[alg]) // every part has one, or c is not ok
	}
	return map[string]string{alg: c}, parts
}
