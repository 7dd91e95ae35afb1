package gateway

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"hash/crc32"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/minio/minio-go/v7/pkg/s3utils"
)

const s3NS = "http://s3.amazonaws.com/doc/2006-03-01/"

// iso8601 is the timestamp format of S3 XML bodies.
const iso8601 = "2006-01-02T15:04:05.000Z"

type owner struct {
	ID          string
	DisplayName string
}

type listAllMyBuckets struct {
	XMLName           xml.Name `xml:"ListAllMyBucketsResult"`
	NS                string   `xml:"xmlns,attr"`
	Owner             owner
	Buckets           []bucketXML `xml:"Buckets>Bucket"`
	ContinuationToken string      `xml:",omitempty"`
	Prefix            string      `xml:",omitempty"`
}

type bucketXML struct {
	Name         string
	CreationDate string
	BucketRegion string `xml:",omitempty"`
}

// listBuckets lists the caller's buckets, paginated when max-buckets is set.
func (s *Server) listBuckets(r *request) error {
	q := r.URL.Query()
	max := 10000
	if v := q.Get("max-buckets"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			return ErrInvalidArgument.Errorf("max-buckets must be an integer between 1 and 10000")
		}
		max = n
	}
	after := ""
	if v := q.Get("continuation-token"); v != "" {
		var err error
		if after, err = openToken(v); err != nil {
			return err
		}
	}
	prefix := q.Get("prefix")
	all, err := s.Layer.ListBuckets(r.Context())
	if err != nil {
		return err
	}
	res := listAllMyBuckets{NS: s3NS, Owner: ownerOf(r.caller()), Prefix: prefix}
	res.Buckets = []bucketXML{}
	for _, b := range all {
		if b.Owner != r.caller() || b.Name <= after || !strings.HasPrefix(b.Name, prefix) {
			continue
		}
		if len(res.Buckets) == max {
			res.ContinuationToken = sealToken(res.Buckets[max-1].Name)
			break
		}
		res.Buckets = append(res.Buckets, bucketXML{Name: b.Name, CreationDate: b.Created.UTC().Format(iso8601), BucketRegion: s.region()})
	}
	return writeXML(r, res)
}

// Bucket name prefixes and suffixes S3 reserves (access points, aliases,
// directory buckets, punycode).
var (
	reservedBucketPrefixes = []string{"xn--", "sthree-", "amzn-s3-demo-"}
	reservedBucketSuffixes = []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}
)

// checkReservedBucketName refuses the bucket names S3 reserves.
func checkReservedBucketName(name string) error {
	for _, p := range reservedBucketPrefixes {
		if strings.HasPrefix(name, p) {
			return ErrInvalidBucketName.Errorf("The specified bucket is not valid: bucket names must not start with %q", p)
		}
	}
	for _, x := range reservedBucketSuffixes {
		if strings.HasSuffix(name, x) {
			return ErrInvalidBucketName.Errorf("The specified bucket is not valid: bucket names must not end with %q", x)
		}
	}
	return nil
}

func (s *Server) createBucket(r *request) error {
	if err := s3utils.CheckValidBucketNameStrict(r.bucket); err != nil {
		return ErrInvalidBucketName.Errorf("The specified bucket is not valid: %v", err)
	}
	if err := checkReservedBucketName(r.bucket); err != nil {
		return err
	}
	if r.auth == nil {
		return ErrAccessDenied
	}
	conf, err := s.bucketCreateConfig(r)
	if err != nil {
		return err
	}
	if err := s.Layer.MakeBucket(r.Context(), r.bucket, r.caller()); err != nil {
		b, e := s.Layer.BucketInfo(r.Context(), r.bucket)
		if e != nil {
			return err
		}
		if b.Owner != r.caller() {
			return ErrBucketAlreadyExists
		}
		// The owner creating its bucket again: a no-op success (as S3 in
		// us-east-1) when it asks for the ACL the bucket has, else
		// BucketAlreadyExists rather than a silent change of ACL. A
		// bucket in another region is BucketAlreadyOwnedByYou, as there.
		if s.bucketRegion(b) != "us-east-1" {
			return ErrBucketAlreadyOwnedByYou
		}
		c := s.confOf(b)
		want := parseACLDoc(conf[cfgACL], defaultACL(c.ownerID, b.Owner))
		if !want.sameGrants(c.acl) {
			return ErrBucketAlreadyExists
		}
		conf = nil
	}
	for name, doc := range conf {
		if err := s.Layer.SetBucketConfig(r.Context(), r.bucket, name, doc); err != nil {
			if e := s.Layer.DeleteBucket(r.Context(), r.bucket); e != nil {
				s.Log.Error("remove bucket after failed create", "bucket", r.bucket, "err", e)
			}
			return fmt.Errorf("store %s of new bucket %s: %w", name, r.bucket, err)
		}
	}
	if _, ok := conf[cfgObjectLock]; ok {
		// Object Lock needs versioning, for good.
		if err := s.Layer.SetBucketVersioning(r.Context(), r.bucket, "Enabled"); err != nil {
			if e := s.Layer.DeleteBucket(r.Context(), r.bucket); e != nil {
				s.Log.Error("remove bucket after failed create", "bucket", r.bucket, "err", e)
			}
			return fmt.Errorf("enable versioning of new bucket %s: %w", r.bucket, err)
		}
	}
	r.w.Header().Set("Location", "/"+r.bucket)
	r.status = http.StatusOK
	r.w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Server) headBucket(r *request) error {
	if _, err := s.bucketOf(r); err != nil {
		return err
	}
	r.w.Header().Set("x-amz-bucket-region", s.region())
	r.status = http.StatusOK
	r.w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Server) region() string {
	if s.Region == "" {
		return "us-east-1"
	}
	return s.Region
}

// bucketRegion is the region a bucket was created in: its LocationConstraint,
// else the gateway's region.
func (s *Server) bucketRegion(b BucketInfo) string {
	if l := b.Config[cfgLocation]; len(l) > 0 {
		return string(l)
	}
	return s.region()
}

func (s *Server) deleteBucket(r *request) error {
	if _, err := s.bucketOf(r); err != nil {
		return err
	}
	if err := s.Layer.DeleteBucket(r.Context(), r.bucket); err != nil {
		return err
	}
	r.status = http.StatusNoContent
	r.w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) getBucketLocation(r *request) error {
	b, err := s.bucketOf(r)
	if err != nil {
		return err
	}
	type loc struct {
		XMLName xml.Name `xml:"LocationConstraint"`
		NS      string   `xml:"xmlns,attr"`
		Region  string   `xml:",chardata"`
	}
	region := s.Region
	if region == "us-east-1" {
		region = ""
	}
	if l := b.Config[cfgLocation]; len(l) > 0 {
		region = string(l) // as the bucket was created
	}
	return writeXML(r, loc{NS: s3NS, Region: region})
}

type objectXML struct {
	Key               string
	LastModified      string
	ETag              string
	ChecksumAlgorithm []string
	ChecksumType      string `xml:",omitempty"`
	Size              int64
	StorageClass      string
	Owner             *owner `xml:",omitempty"`
}

type prefixXML struct {
	Prefix string
}

type listBucketResult struct {
	XMLName               xml.Name `xml:"ListBucketResult"`
	NS                    string   `xml:"xmlns,attr"`
	Name                  string
	Prefix                string
	Marker                *string `xml:",omitempty"`
	NextMarker            string  `xml:",omitempty"`
	ContinuationToken     *string `xml:",omitempty"`
	NextContinuationToken string  `xml:",omitempty"`
	StartAfter            string  `xml:",omitempty"`
	KeyCount              *int    `xml:",omitempty"`
	MaxKeys               int
	Delimiter             string `xml:",omitempty"`
	EncodingType          string `xml:",omitempty"`
	IsTruncated           bool
	Contents              []objectXML
	CommonPrefixes        []prefixXML
}

// listParams reads the parameters common to ListObjects v1 and v2.
func listParams(q url.Values) (ListOptions, string, error) {
	opts := ListOptions{Prefix: q.Get("prefix"), Delimiter: q.Get("delimiter"), MaxKeys: 1000}
	if v := q.Get("max-keys"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return opts, "", ErrInvalidArgument.Errorf("Provided max-keys not an integer or within integer range")
		}
		opts.MaxKeys = min(n, 1000)
	}
	enc := q.Get("encoding-type")
	if enc != "" && enc != "url" {
		return opts, "", ErrInvalidArgument.Errorf("Invalid Encoding Method specified in Request")
	}
	return opts, enc, nil
}

func (s *Server) list(r *request, opts ListOptions, enc string, fetchOwner bool) (listBucketResult, ListResult, error) {
	var res listBucketResult
	c, err := s.bucketConfOf(r)
	if err != nil {
		return res, ListResult{}, err
	}
	page, err := s.Layer.ListObjects(r.Context(), r.bucket, opts)
	if err != nil {
		return res, page, err
	}
	esc := func(v string) string {
		if enc == "url" {
			return s3Escape(v)
		}
		return v
	}
	res = listBucketResult{NS: s3NS, Name: r.bucket, Prefix: esc(opts.Prefix), MaxKeys: opts.MaxKeys,
		Delimiter: esc(opts.Delimiter), EncodingType: enc, IsTruncated: page.IsTruncated}
	for _, o := range page.Objects {
		x := objectXML{Key: esc(o.Key), LastModified: o.ModTime.UTC().Format(iso8601),
			ETag: `"` + o.ETag + `"`, Size: o.Size, StorageClass: "STANDARD"}
		x.ChecksumAlgorithm, x.ChecksumType = listedChecksum(o.Checksums)
		if fetchOwner {
			o := s.objectOwner(c, o)
			x.Owner = &o
		}
		res.Contents = append(res.Contents, x)
	}
	for _, p := range page.CommonPrefixes {
		res.CommonPrefixes = append(res.CommonPrefixes, prefixXML{Prefix: esc(p)})
	}
	return res, page, nil
}

func (s *Server) listObjectsV1(r *request) error {
	q := r.q
	opts, enc, err := listParams(q)
	if err != nil {
		return err
	}
	opts.Marker = q.Get("marker")
	res, page, err := s.list(r, opts, enc, true)
	if err != nil {
		return err
	}
	marker := opts.Marker
	if enc == "url" {
		marker = s3Escape(marker)
	}
	res.Marker = &marker
	res.Prefix = opts.Prefix // S3 does not encode the prefix of a V1 listing
	if page.IsTruncated && opts.Delimiter != "" {
		res.NextMarker = page.NextMarker
		if enc == "url" {
			res.NextMarker = s3Escape(page.NextMarker)
		}
	}
	return writeXML(r, res)
}

func (s *Server) listObjectsV2(r *request) error {
	q := r.q
	opts, enc, err := listParams(q)
	if err != nil {
		return err
	}
	token := q.Get("continuation-token")
	startAfter := q.Get("start-after")
	opts.Marker = startAfter
	// An empty token lists from the start (and is echoed), as in S3.
	if token != "" {
		if opts.Marker, err = openToken(token); err != nil {
			return err
		}
	}
	res, page, err := s.list(r, opts, enc, q.Get("fetch-owner") == "true")
	if err != nil {
		return err
	}
	n := len(res.Contents) + len(res.CommonPrefixes)
	res.KeyCount = &n
	if _, ok := q["continuation-token"]; ok {
		res.ContinuationToken = &token
	}
	if startAfter != "" {
		res.StartAfter = startAfter
		if enc == "url" {
			res.StartAfter = s3Escape(startAfter)
		}
	}
	if page.IsTruncated {
		res.NextContinuationToken = sealToken(page.NextMarker)
	}
	return writeXML(r, res)
}

// s3Escape URL-encodes a key as S3 does for encoding-type=url: every
// byte but the unreserved characters (RFC 3986) and '/' is %XX-encoded.
func s3Escape(v string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if isAlnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

// tokenVersion begins every continuation token this gateway gives.
const tokenVersion = 1

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

var errBadToken = ErrInvalidArgument.Errorf("The continuation token provided is incorrect")

// sealToken is the continuation token that resumes a listing after
// marker: its version, the marker and the marker's CRC-32C, base64url, so
// that a token this gateway did not give is refused (openToken), as S3
// refuses one, instead of listing from wherever its bytes point.
func sealToken(marker string) string {
	b := make([]byte, 0, 1+len(marker)+4)
	b = append(b, tokenVersion)
	b = append(b, marker...)
	b = binary.BigEndian.AppendUint32(b, crc32.Checksum([]byte(marker), castagnoli))
	return base64.RawURLEncoding.EncodeToString(b)
}

// openToken returns the marker of a token sealToken gave; 400
// InvalidArgument for any other.
func openToken(token string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) < 5 || b[0] != tokenVersion {
		return "", errBadToken
	}
	marker, sum := b[1:len(b)-4], b[len(b)-4:]
	if binary.BigEndian.Uint32(sum) != crc32.Checksum(marker, castagnoli) {
		return "", errBadToken
	}
	return string(marker), nil
}
