package gateway

// Invariants:
//   - Object tag sets hold at most 10 tags, bucket tag sets 50; keys are
//     unique, 1..128 characters, values 0..256.
//   - GetObjectAttributes' ObjectParts lists a multipart object's parts in
//     order after part-number-marker, at most max-parts (capped at 1000),
//     each with its checksum when the layer kept it (partChecksum).

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrInvalidTag reports a tag set S3 would refuse.
var ErrInvalidTag = apiErr("InvalidTag", 400, "The TagKey you have provided is invalid")

// ErrTooManyObjectTags is S3's answer to more than 10 tags on an object
// (PutObjectTagging, x-amz-tagging, a POST's tagging): BadRequest, not
// InvalidTag.
var ErrTooManyObjectTags = apiErr("BadRequest", 400, "Object tags cannot be greater than 10")

// maxObjectTags is the most tags an object may carry.
const maxObjectTags = 10

type tagXML struct {
	Key   string
	Value string
}

type tagging struct {
	XMLName xml.Name `xml:"Tagging"`
	NS      string   `xml:"xmlns,attr,omitempty"`
	TagSet  []tagXML `xml:"TagSet>Tag"`
}

// validTags checks a tag set against S3's limits: at most max tags, keys of
// 1..128 and values of 0..256 characters, keys unique and not in the aws:
// namespace S3 reserves.
func validTags(tags []tagXML, max int) (map[string]string, error) {
	if len(tags) > max {
		if max == maxObjectTags {
			return nil, ErrTooManyObjectTags
		}
		return nil, ErrInvalidTag.Errorf("Bucket tag count cannot be greater than %d", max)
	}
	out := make(map[string]string, len(tags))
	for _, t := range tags {
		if n := utf8.RuneCountInString(t.Key); n == 0 || n > 128 {
			return nil, ErrInvalidTag.Errorf("The TagKey you have provided is invalid")
		}
		if strings.HasPrefix(t.Key, "aws:") {
			return nil, ErrInvalidTag.Errorf("Your TagKey cannot be prefixed with aws:")
		}
		if utf8.RuneCountInString(t.Value) > 256 {
			return nil, ErrInvalidTag.Errorf("The TagValue you have provided is invalid")
		}
		if _, dup := out[t.Key]; dup {
			return nil, ErrInvalidTag.Errorf("Cannot provide multiple Tags with the same key")
		}
		out[t.Key] = t.Value
	}
	return out, nil
}

// headerTags parses the x-amz-tagging header (URL query encoding).
func headerTags(v string) (map[string]string, error) {
	if v == "" {
		return nil, nil
	}
	q, err := url.ParseQuery(v)
	if err != nil {
		return nil, ErrInvalidArgument.Errorf("The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.")
	}
	var tags []tagXML
	for k, vs := range q {
		if len(vs) != 1 {
			return nil, ErrInvalidTag.Errorf("Cannot provide multiple Tags with the same key")
		}
		tags = append(tags, tagXML{Key: k, Value: vs[0]})
	}
	return validTags(tags, maxObjectTags)
}

// taggingIn is a Tagging request body: S3's schema requires the TagSet,
// and a Key and a Value in every Tag.
type taggingIn struct {
	XMLName xml.Name `xml:"Tagging"`
	TagSet  *struct {
		Tags []struct{ Key, Value *string } `xml:"Tag"`
	}
}

// readTagging reads and validates a Tagging XML body.
func (s *Server) readTagging(r *request, max int) (map[string]string, error) {
	var t taggingIn
	if err := s.readXML(r, 1<<20, &t); err != nil {
		return nil, err
	}
	if t.TagSet == nil {
		return nil, ErrMalformedXML
	}
	tags := make([]tagXML, 0, len(t.TagSet.Tags))
	for _, tag := range t.TagSet.Tags {
		if tag.Key == nil || tag.Value == nil {
			return nil, ErrMalformedXML
		}
		tags = append(tags, tagXML{Key: *tag.Key, Value: *tag.Value})
	}
	return validTags(tags, max)
}

func tagSet(tags map[string]string) tagging {
	t := tagging{NS: s3NS, TagSet: []tagXML{}}
	for k, v := range tags {
		t.TagSet = append(t.TagSet, tagXML{Key: k, Value: v})
	}
	// The layer keeps tags as a map: list them in a stable order.
	slices.SortFunc(t.TagSet, func(a, b tagXML) int { return strings.Compare(a.Key, b.Key) })
	return t
}

func (s *Server) objectTagging(r *request) error {
	vid, err := requestVersion(r)
	if err != nil {
		return err
	}
	if r.Method == http.MethodGet {
		_, info, err := s.objectOf(r, r.rt.action)
		if err != nil {
			return err
		}
		setVersionHeader(r, info)
		return writeXML(r, tagSet(info.Tags))
	}
	if _, err := s.bucketOf(r); err != nil {
		return err
	}
	var tags map[string]string
	status := http.StatusNoContent
	switch r.Method {
	case http.MethodPut:
		if tags, err = s.readTagging(r, maxObjectTags); err != nil {
			return err
		}
		status = http.StatusOK
	case http.MethodDelete:
	default:
		return ErrMethodNotAllowed
	}
	info, err := s.Layer.SetObjectTags(r.Context(), r.bucket, r.key, vid, tags)
	if err != nil {
		return err
	}
	setVersionHeader(r, info)
	return writeEmpty(r, status)
}

// ErrNoSuchTagSet is GetBucketTagging's answer for an untagged bucket.
var ErrNoSuchTagSet = apiErr("NoSuchTagSet", 404, "The TagSet does not exist")

func (s *Server) bucketTagging(r *request) error {
	b, err := s.bucketOf(r)
	if err != nil {
		return err
	}
	switch r.Method {
	case http.MethodGet:
		if len(b.Tags) == 0 {
			return ErrNoSuchTagSet
		}
		return writeXML(r, tagSet(b.Tags))
	case http.MethodPut:
		tags, err := s.readTagging(r, 50)
		if err != nil {
			return err
		}
		if err := s.Layer.SetBucketTags(r.Context(), r.bucket, tags); err != nil {
			return err
		}
		return writeEmpty(r, http.StatusNoContent)
	case http.MethodDelete:
		if err := s.Layer.SetBucketTags(r.Context(), r.bucket, nil); err != nil {
			return err
		}
		return writeEmpty(r, http.StatusNoContent)
	}
	return ErrMethodNotAllowed
}

// writeEmpty answers with status and no body.
func writeEmpty(r *request, status int) error {
	r.status = status
	r.w.WriteHeader(status)
	return nil
}

type checksumXML struct {
	ChecksumCRC32     string `xml:",omitempty"`
	ChecksumCRC32C    string `xml:",omitempty"`
	ChecksumCRC64NVME string `xml:",omitempty"`
	ChecksumSHA1      string `xml:",omitempty"`
	ChecksumSHA256    string `xml:",omitempty"`
	ChecksumMD5       string `xml:",omitempty"`
	ChecksumSHA512    string `xml:",omitempty"`
	ChecksumXXHASH64  string `xml:",omitempty"`
	ChecksumXXHASH3   string `xml:",omitempty"`
	ChecksumXXHASH128 string `xml:",omitempty"`
	ChecksumType      string `xml:",omitempty"`
}

type attributesXML struct {
	XMLName      xml.Name `xml:"GetObjectAttributesResponse"`
	NS           string   `xml:"xmlns,attr"`
	ETag         string   `xml:",omitempty"`
	Checksum     *checksumXML
	ObjectParts  *objectPartsXML
	StorageClass string `xml:",omitempty"`
	ObjectSize   *int64 `xml:",omitempty"`
}

func (s *Server) getObjectAttributes(r *request) error {
	_, info, err := s.objectOf(r, r.rt.action)
	if err != nil {
		return err
	}
	// What an object says of its data needs its SSE-C key, as the data does.
	if err := CheckCustomerKey(info.SSECustomerKeyMD5, r.customerKey); err != nil {
		return err
	}
	setVersionHeader(r, info)
	res := attributesXML{NS: s3NS}
	want := map[string]bool{}
	for _, v := range r.Header.Values("X-Amz-Object-Attributes") {
		for _, a := range splitComma(v) {
			want[a] = true
		}
	}
	if len(want) == 0 {
		return ErrInvalidArgument.Errorf("Invalid attribute name specified.")
	}
	for a := range want {
		switch a {
		case "ETag":
			res.ETag = info.ETag
		case "StorageClass":
			res.StorageClass = "STANDARD"
		case "ObjectSize":
			res.ObjectSize = &info.Size
		case "Checksum":
			if len(info.Checksums) > 0 {
				// S3 gives a composite checksum here without its "-<parts>"
				// (the part count is in ObjectParts).
				sums := make(map[string]string, len(info.Checksums))
				typ := ""
				for alg, v := range info.Checksums {
					typ = checksumType(v)
					sums[alg], _, _ = strings.Cut(v, "-")
				}
				c := checksumElements(sums)
				c.ChecksumType = typ
				res.Checksum = &c
			}
		case "ObjectParts":
			if info.Parts > 0 {
				parts, err := objectParts(r, info)
				if err != nil {
					return err
				}
				res.ObjectParts = parts
			}
		default:
			return ErrInvalidArgument.Errorf("Invalid attribute name specified.")
		}
	}
	r.w.Header().Set("Last-Modified", info.ModTime.UTC().Format(http.TimeFormat))
	return writeXML(r, res)
}

func splitComma(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// fields maps each algorithm to its Checksum* element in c.
func (c *checksumXML) fields() map[string]*string {
	return map[string]*string{"CRC32": &c.ChecksumCRC32, "CRC32C": &c.ChecksumCRC32C,
		"CRC64NVME": &c.ChecksumCRC64NVME, "SHA1": &c.ChecksumSHA1, "SHA256": &c.ChecksumSHA256,
		"MD5": &c.ChecksumMD5, "SHA512": &c.ChecksumSHA512, "XXHASH64": &c.ChecksumXXHASH64,
		"XXHASH3": &c.ChecksumXXHASH3, "XXHASH128": &c.ChecksumXXHASH128}
}

// checksumElements lays checksums out as S3's Checksum* XML elements.
func checksumElements(sums map[string]string) checksumXML {
	var c checksumXML
	fields := c.fields()
	for alg, v := range sums {
		if f := fields[alg]; f != nil {
			*f = v
		}
	}
	return c
}

// values is the inverse of checksumElements: the checksums set, by
// algorithm, or nil if none is.
func (c checksumXML) values() map[string]string {
	var out map[string]string
	for alg, f := range c.fields() {
		if *f != "" {
			if out == nil {
				out = map[string]string{}
			}
			out[alg] = *f
		}
	}
	return out
}

type objectPartXML struct {
	PartNumber int
	Size       int64
	checksumXML
}

type objectPartsXML struct {
	TotalPartsCount      int `xml:"PartsCount"`
	PartNumberMarker     int
	NextPartNumberMarker int
	MaxParts             int
	IsTruncated          bool
	Parts                []objectPartXML `xml:"Part"`
}

// objectParts pages a multipart object's parts for GetObjectAttributes
// (x-amz-max-parts, x-amz-part-number-marker): number, size and, if the layer
// kept them, checksum (partChecksum; without its type, which S3 gives the
// object only).
func objectParts(r *request, info ObjectInfo) (*objectPartsXML, error) {
	maxParts, marker := 1000, 0
	for name, p := range map[string]*int{"x-amz-max-parts": &maxParts, "x-amz-part-number-marker": &marker} {
		if v := r.Header.Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return nil, ErrInvalidArgument.Errorf("%s must be a non-negative integer", name)
			}
			*p = n
		}
	}
	maxParts = min(maxParts, 1000)
	out := &objectPartsXML{TotalPartsCount: info.Parts, PartNumberMarker: marker, MaxParts: maxParts}
	for i, sz := range info.PartSizes {
		n := i + 1
		if n <= marker {
			continue
		}
		if len(out.Parts) == maxParts {
			out.IsTruncated = true
			break
		}
		p := objectPartXML{PartNumber: n, Size: sz}
		if sums, _, ok := partChecksum(info, n); ok {
			p.checksumXML = checksumElements(sums)
		}
		out.Parts = append(out.Parts, p)
		out.NextPartNumberMarker = n
	}
	return out, nil
}
