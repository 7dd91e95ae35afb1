package gateway

// Invariants:
//   - The object layer keeps one version per key, so every object is listed
//     and addressed as version "null"; no request with any other version id
//     ever reads, changes or deletes the live object.
//   - versionId: "" → InvalidArgument; "null" → the object; well-formed
//     others → NoSuchVersion (404) on reads, a 204 no-op on DELETE (as S3
//     does for an unknown version); malformed → InvalidArgument.
//   - PutBucketVersioning stores Suspended (what an unversioned bucket
//     already does: writes get version null) and answers Enabled with
//     NotImplemented.

import (
	"encoding/xml"
	"errors"
	"net/http"
	"slices"
	"strings"
)

// Versioning errors.
var (
	ErrNoSuchVersion = apiErr("NoSuchVersion", 404, "The specified version does not exist.")
	// errUnknownVersion is a well-formed version id that names no version.
	errUnknownVersion = errors.New("unknown version id")
)

// wellFormedVersionID reports whether v could be an S3 version id.
func wellFormedVersionID(v string) bool {
	if len(v) < 32 || len(v) > 1024 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(isAlnum(c) || strings.IndexByte("._-+/=", c) >= 0) {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// versionIDError checks a version id (present says whether one was given).
// It returns errUnknownVersion for a well-formed id other than "null".
func versionIDError(v string, present bool) error {
	switch {
	case !present || v == "null":
		return nil
	case v == "":
		return ErrInvalidArgument.Errorf("Version id cannot be the empty string")
	case wellFormedVersionID(v):
		return errUnknownVersion
	}
	return ErrInvalidArgument.Errorf("Invalid version id specified")
}

// checkVersionID applies r's versionId to a request on the only version:
// nil when it names it (or none); isDelete turns an unknown version into
// errUnknownVersion, reads get NoSuchVersion.
func checkVersionID(r *request, isDelete bool) error {
	v, present := r.q["versionId"]
	id := ""
	if present {
		id = v[0]
	}
	err := versionIDError(id, present)
	if errors.Is(err, errUnknownVersion) && !isDelete {
		return ErrNoSuchVersion
	}
	return err
}

// setVersionHeader answers a request that named version null with its id.
func setVersionHeader(r *request) {
	if r.q.Get("versionId") == "null" {
		r.w.Header().Set("x-amz-version-id", "null")
	}
}

// setWriteVersionHeader reports the version a write created: "null" in a
// bucket whose versioning is suspended (an unversioned bucket reports none).
func setWriteVersionHeader(r *request, b BucketInfo) {
	if versioningStatus(b) != "" {
		r.w.Header().Set("x-amz-version-id", "null")
	}
}

type versioningXML struct {
	XMLName   xml.Name `xml:"VersioningConfiguration"`
	NS        string   `xml:"xmlns,attr,omitempty"`
	Status    string   `xml:",omitempty"`
	MfaDelete string   `xml:",omitempty"`
}

func versioningStatus(b BucketInfo) string {
	var v versioningXML
	if doc := b.Config[cfgVersioning]; len(doc) > 0 && xml.Unmarshal(doc, &v) == nil {
		return v.Status
	}
	return ""
}

func (s *Server) getBucketVersioning(r *request) error {
	b, err := s.bucketOf(r)
	if err != nil {
		return err
	}
	return writeXML(r, versioningXML{NS: s3NS, Status: versioningStatus(b)})
}

func (s *Server) putBucketVersioning(r *request) error {
	if _, err := s.bucketOf(r); err != nil {
		return err
	}
	var v versioningXML
	if err := s.readXML(r, 1<<16, &v); err != nil {
		return err
	}
	switch v.Status {
	case "Suspended":
	case "Enabled":
		return ErrNotImplemented.Errorf("Bucket versioning is not implemented; only Suspended can be set")
	default:
		return ErrMalformedXML
	}
	if v.MfaDelete != "" && v.MfaDelete != "Disabled" {
		return ErrNotImplemented.Errorf("MFA Delete is not implemented")
	}
	doc, err := xml.Marshal(versioningXML{Status: v.Status})
	if err != nil {
		return err
	}
	if err := s.Layer.SetBucketConfig(r.Context(), r.bucket, cfgVersioning, doc); err != nil {
		return err
	}
	return writeEmpty(r, http.StatusOK)
}

type versionXML struct {
	Key          string
	VersionID    string `xml:"VersionId"`
	IsLatest     bool
	LastModified string
	ETag         string
	Size         int64
	Owner        owner
	StorageClass string
}

type listVersionsResult struct {
	XMLName             xml.Name `xml:"ListVersionsResult"`
	NS                  string   `xml:"xmlns,attr"`
	Name                string
	Prefix              string
	KeyMarker           string
	VersionIDMarker     string `xml:"VersionIdMarker"`
	NextKeyMarker       string `xml:",omitempty"`
	NextVersionIDMarker string `xml:"NextVersionIdMarker,omitempty"`
	MaxKeys             int
	Delimiter           string `xml:",omitempty"`
	EncodingType        string `xml:",omitempty"`
	IsTruncated         bool
	Versions            []versionXML `xml:"Version"`
	CommonPrefixes      []prefixXML
}

func (s *Server) listObjectVersions(r *request) error {
	c, err := s.bucketConfOf(r)
	if err != nil {
		return err
	}
	opts, enc, err := listParams(r.q)
	if err != nil {
		return err
	}
	keyMarker, vidMarker := r.q.Get("key-marker"), r.q.Get("version-id-marker")
	if _, ok := r.q["version-id-marker"]; ok {
		if keyMarker == "" {
			return ErrInvalidArgument.Errorf("A version-id marker cannot be specified without a key marker.")
		}
		if err := versionIDError(vidMarker, true); err != nil && !errors.Is(err, errUnknownVersion) {
			return err
		}
	}
	// Every key has exactly one version, so "after (key, any version)" is
	// "after key".
	opts.Marker = keyMarker
	page, err := s.Layer.ListObjects(r.Context(), r.bucket, opts)
	if err != nil {
		return err
	}
	esc := func(v string) string {
		if enc == "url" {
			return s3Escape(v)
		}
		return v
	}
	res := listVersionsResult{NS: s3NS, Name: r.bucket, Prefix: esc(opts.Prefix), KeyMarker: esc(keyMarker),
		VersionIDMarker: vidMarker, MaxKeys: opts.MaxKeys, Delimiter: esc(opts.Delimiter), EncodingType: enc,
		IsTruncated: page.IsTruncated}
	for _, o := range page.Objects {
		res.Versions = append(res.Versions, versionXML{Key: esc(o.Key), VersionID: "null", IsLatest: true,
			LastModified: o.ModTime.UTC().Format(iso8601), ETag: `"` + o.ETag + `"`, Size: o.Size,
			Owner: s.objectOwner(c, o), StorageClass: "STANDARD"})
	}
	lastIsKey := !slices.Contains(page.CommonPrefixes, page.NextMarker)
	for _, p := range page.CommonPrefixes {
		res.CommonPrefixes = append(res.CommonPrefixes, prefixXML{Prefix: esc(p)})
	}
	if page.IsTruncated {
		res.NextKeyMarker = esc(page.NextMarker)
		if lastIsKey {
			res.NextVersionIDMarker = "null"
		}
	}
	return writeXML(r, res)
}

// objectOwner is the owner element of an object in a listing.
func (s *Server) objectOwner(c bucketConf, o ObjectInfo) owner {
	d := s.objectACLOf(c, o)
	return owner{ID: d.OwnerID, DisplayName: s.displayName(d.OwnerID, d.OwnerName)}
}
