package gateway

// Invariants:
//   - A request's versionId is checked before anything is read: absent → the
//     latest; "" or malformed → InvalidArgument; "null" and well-formed ids
//     go to the layer, which answers NoSuchVersion for one that names no
//     version (a DELETE of such a version is a 204 no-op, as in S3).
//   - x-amz-version-id is sent whenever the version read, changed or
//     removed has an id: every version of a bucket that was ever
//     versioned, and "null" when a request named version null. A write
//     sends it for generated ids only (S3 omits "null" there).
//   - A delete marker is reported with x-amz-delete-marker: true and its
//     Last-Modified: 404 NoSuchKey when it is the latest, 405
//     MethodNotAllowed when named.
//   - Versioning goes Enabled ⇄ Suspended, never back to unset; a bucket with
//     Object Lock stays Enabled (InvalidBucketState).

import (
	"encoding/xml"
	"errors"
	"net/http"
	"strings"
)

// Versioning errors.
var (
	ErrNoSuchVersion      = apiErr("NoSuchVersion", 404, "The specified version does not exist.")
	ErrInvalidBucketState = apiErr("InvalidBucketState", 409, "The request is not valid with the current state of the bucket.")
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

// checkVersionIDValue checks a version id that was given.
func checkVersionIDValue(v string) error {
	switch {
	case v == "":
		return ErrInvalidArgument.Errorf("Version id cannot be the empty string")
	case v == "null" || wellFormedVersionID(v):
		return nil
	}
	return ErrInvalidArgument.Errorf("Invalid version id specified")
}

// requestVersion is the version r names with ?versionId ("" the latest).
func requestVersion(r *request) (string, error) {
	v, present := r.q["versionId"]
	if !present {
		return "", nil
	}
	return v[0], checkVersionIDValue(v[0])
}

// setVersionHeader reports the version a request read, changed, wrote or
// removed.
func setVersionHeader(r *request, info ObjectInfo) {
	v := info.VersionID
	if v == "" && r.q.Get("versionId") == "null" {
		v = "null"
	}
	if v != "" {
		r.w.Header().Set("x-amz-version-id", v)
	}
}

// setWriteVersionHeader reports the version a PUT, copy or Complete
// wrote: S3 sends no id for the null version a suspended bucket writes.
func setWriteVersionHeader(r *request, info ObjectInfo) {
	if info.VersionID != "" && info.VersionID != "null" {
		r.w.Header().Set("x-amz-version-id", info.VersionID)
	}
}

// setDeleteMarkerHeaders reports a delete marker met by a read.
func setDeleteMarkerHeaders(r *request, info ObjectInfo) {
	if info.DeleteMarker {
		r.w.Header().Set("x-amz-delete-marker", "true")
		setVersionHeader(r, info)
		if !info.ModTime.IsZero() {
			r.w.Header().Set("Last-Modified", info.ModTime.UTC().Format(http.TimeFormat))
		}
		return
	}
	r.w.Header().Set("x-amz-delete-marker", "false")
}

type versioningXML struct {
	XMLName   xml.Name `xml:"VersioningConfiguration"`
	NS        string   `xml:"xmlns,attr,omitempty"`
	Status    string   `xml:",omitempty"`
	MfaDelete string   `xml:",omitempty"`
}

// versioningStatus is a bucket's versioning state. Buckets from before
// versioning existed may hold a stored "Suspended" document instead, which
// behaves as unversioned (every write is version null).
func versioningStatus(b BucketInfo) string {
	if b.Versioning != "" {
		return b.Versioning
	}
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
	b, err := s.bucketOf(r)
	if err != nil {
		return err
	}
	var v versioningXML
	if err := s.readXML(r, 1<<16, &v); err != nil {
		return err
	}
	if v.Status != "Enabled" && v.Status != "Suspended" {
		return ErrMalformedXML
	}
	if v.MfaDelete != "" && v.MfaDelete != "Disabled" {
		return ErrNotImplemented.Errorf("MFA Delete is not implemented")
	}
	if v.Status == "Suspended" && objectLockEnabled(b) {
		return ErrInvalidBucketState.Errorf("An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.")
	}
	if err := s.Layer.SetBucketVersioning(r.Context(), r.bucket, v.Status); err != nil {
		return err
	}
	return writeEmpty(r, http.StatusOK)
}

type versionXML struct {
	XMLName           xml.Name // Version or DeleteMarker
	Key               string
	VersionID         string `xml:"VersionId"`
	IsLatest          bool
	LastModified      string
	ETag              string `xml:",omitempty"`
	ChecksumAlgorithm []string
	ChecksumType      string `xml:",omitempty"`
	Size              *int64 `xml:",omitempty"`
	Owner             owner
	StorageClass      string `xml:",omitempty"`
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
	Entries             []versionXML // Version and DeleteMarker elements, in listing order
	CommonPrefixes      []prefixXML
}

func (s *Server) listObjectVersions(r *request) error {
	c, err := s.bucketConfOf(r)
	if err != nil {
		return err
	}
	lo, enc, err := listParams(r.q)
	if err != nil {
		return err
	}
	opts := ListVersionsOptions{Prefix: lo.Prefix, Delimiter: lo.Delimiter, MaxKeys: lo.MaxKeys,
		KeyMarker: r.q.Get("key-marker"), VersionIDMarker: r.q.Get("version-id-marker")}
	if opts.VersionIDMarker != "" { // an empty marker is no marker
		if opts.KeyMarker == "" {
			return ErrInvalidArgument.Errorf("A version-id marker cannot be specified without a key marker.")
		}
		if err := checkVersionIDValue(opts.VersionIDMarker); err != nil {
			return err
		}
	}
	page, err := s.Layer.ListObjectVersions(r.Context(), r.bucket, opts)
	if err != nil {
		return err
	}
	esc := func(v string) string {
		if enc == "url" {
			return s3Escape(v)
		}
		return v
	}
	res := listVersionsResult{NS: s3NS, Name: r.bucket, Prefix: esc(opts.Prefix), KeyMarker: esc(opts.KeyMarker),
		VersionIDMarker: opts.VersionIDMarker, MaxKeys: opts.MaxKeys, Delimiter: esc(opts.Delimiter), EncodingType: enc,
		IsTruncated: page.IsTruncated}
	for _, o := range page.Versions {
		e := versionXML{XMLName: xml.Name{Local: "Version"}, Key: esc(o.Key), VersionID: o.VersionID, IsLatest: o.IsLatest,
			LastModified: o.ModTime.UTC().Format(iso8601), Owner: s.objectOwner(c, o)}
		if o.DeleteMarker {
			e.XMLName.Local = "DeleteMarker"
		} else {
			size := o.Size
			e.ETag, e.Size, e.StorageClass = `"`+o.ETag+`"`, &size, "STANDARD"
			e.ChecksumAlgorithm, e.ChecksumType = listedChecksum(o.Checksums)
		}
		res.Entries = append(res.Entries, e)
	}
	for _, p := range page.CommonPrefixes {
		res.CommonPrefixes = append(res.CommonPrefixes, prefixXML{Prefix: esc(p)})
	}
	if page.IsTruncated {
		res.NextKeyMarker = esc(page.NextKeyMarker)
		res.NextVersionIDMarker = page.NextVersionIDMarker
	}
	return writeXML(r, res)
}

// objectOwner is the owner element of an object in a listing.
func (s *Server) objectOwner(c bucketConf, o ObjectInfo) owner {
	d := s.objectACLOf(c, o)
	return owner{ID: d.OwnerID, DisplayName: s.displayName(d.OwnerID, d.OwnerName)}
}

// deleteObject removes a version, or the object: in a versioned bucket,
// without a versionId, it adds a delete marker.
func (s *Server) deleteObject(r *request) error {
	c, err := s.bucketConfOf(r)
	if err != nil {
		return err
	}
	vid, err := requestVersion(r)
	if err != nil {
		return err
	}
	opts := s.deleteOptions(r, c, vid)
	opts.IfMatch = r.Header.Get("If-Match")
	info, err := s.Layer.DeleteObject(r.Context(), r.bucket, r.key, opts)
	if errors.Is(err, ErrNoSuchVersion) {
		// S3 answers a delete of a version that does not exist with success.
		r.w.Header().Set("x-amz-version-id", vid)
		return writeEmpty(r, http.StatusNoContent)
	}
	if err != nil {
		return err
	}
	setVersionHeader(r, info)
	if info.DeleteMarker {
		r.w.Header().Set("x-amz-delete-marker", "true")
	}
	return writeEmpty(r, http.StatusNoContent)
}

// deleteOptions are the options of a removal r asks for of version vid.
func (s *Server) deleteOptions(r *request, c bucketConf, vid string) DeleteOptions {
	opts := DeleteOptions{VersionID: vid, BypassGovernance: strings.EqualFold(r.Header.Get("x-amz-bypass-governance-retention"), "true")}
	if id := r.callerID(); id != "" && id != c.ownerID && c.aclsEnabled() {
		opts.ACL = defaultACL(id, r.caller()).encode() // a marker is owned by who adds it
	}
	return opts
}
