package gateway

// Invariants:
//   - A GET or HEAD with x-amz-checksum-mode ENABLED shows the object's
//     checksums only when it sends the whole object; a ?partNumber=N read of
//     a multipart object shows part N's checksum and the object's checksum
//     type, if the layer kept it (partChecksum); any other range shows none.
//   - Range and ?partNumber together are refused (InvalidRequest).

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrPreconditionFailed and ErrInvalidPartNumber are GET/HEAD/PUT errors.
var (
	ErrPreconditionFailed = apiErr("PreconditionFailed", 412, "At least one of the pre-conditions you specified did not hold")
	ErrInvalidPartNumber  = apiErr("InvalidPart", 400, "The requested partnumber is not satisfiable")
)

// ifRangeHolds reports whether a Range request's If-Range (RFC 9110
// 13.1.5), if any, names info: its ETag, compared strongly, or its
// Last-Modified date exactly. When it does not, the whole object is sent.
func ifRangeHolds(h http.Header, info ObjectInfo) bool {
	v := strings.TrimSpace(h.Get("If-Range"))
	if v == "" || h.Get("Range") == "" {
		return true
	}
	if strings.HasPrefix(v, `"`) || strings.HasPrefix(v, "W/") {
		return v == `"`+info.ETag+`"`
	}
	t, err := http.ParseTime(v)
	return err == nil && t.Equal(info.ModTime.Truncate(time.Second))
}

// errNotModified is not an S3 error but a 304 answer to a conditional GET.
var errNotModified = apiErr("NotModified", http.StatusNotModified, "Not Modified")

// etagMatches reports whether an If-Match / If-None-Match list names etag.
func etagMatches(list, etag string) bool {
	for _, e := range strings.Split(list, ",") {
		e = strings.TrimSpace(e)
		e = strings.TrimPrefix(e, "W/")
		if e == "*" || strings.Trim(e, `"`) == etag {
			return true
		}
	}
	return false
}

// checkConditions applies RFC 7232 preconditions to a GET or HEAD, as S3
// does: If-Match over If-Unmodified-Since, If-None-Match over
// If-Modified-Since.
func checkConditions(h http.Header, info ObjectInfo) error {
	mod := info.ModTime.Truncate(time.Second)
	if v := h.Get("If-Match"); v != "" {
		if !etagMatches(v, info.ETag) {
			return ErrPreconditionFailed
		}
	} else if v := h.Get("If-Unmodified-Since"); v != "" {
		if t, err := http.ParseTime(v); err == nil && mod.After(t) {
			return ErrPreconditionFailed
		}
	}
	if v := h.Get("If-None-Match"); v != "" {
		if etagMatches(v, info.ETag) {
			return errNotModified
		}
	} else if v := h.Get("If-Modified-Since"); v != "" {
		if t, err := http.ParseTime(v); err == nil && !mod.After(t) {
			return errNotModified
		}
	}
	return nil
}

// responseOverrides are the GET query parameters that override response
// headers.
var responseOverrides = map[string]string{
	"response-content-type":        "Content-Type",
	"response-content-language":    "Content-Language",
	"response-expires":             "Expires",
	"response-cache-control":       "Cache-Control",
	"response-content-disposition": "Content-Disposition",
	"response-content-encoding":    "Content-Encoding",
}

// partRange returns the part number v names and the range covering that
// part of info: part 0 and the whole object (nil) for ?partNumber=1 of an
// object that is not multipart.
func partRange(info ObjectInfo, v string) (int, *Range, error) {
	n, err := partNumber(v)
	if err != nil {
		return 0, nil, err
	}
	if len(info.PartSizes) == 0 {
		if n != 1 {
			return 0, nil, ErrInvalidPartNumber
		}
		return 0, nil, nil
	}
	if n > len(info.PartSizes) || info.PartSizes[n-1] == 0 {
		return 0, nil, ErrInvalidPartNumber
	}
	var off int64
	for _, sz := range info.PartSizes[:n-1] {
		off += sz
	}
	return n, &Range{First: off, Last: off + info.PartSizes[n-1] - 1}, nil
}

func (s *Server) getObjectBody(r *request) error { return s.getObject(r, true) }

func (s *Server) headObject(r *request) error { return s.getObject(r, false) }

func (s *Server) getObject(r *request, body bool) error {
	q := r.q
	vid, err := requestVersion(r)
	if err != nil {
		return err
	}
	for k := range q {
		if strings.HasPrefix(k, "response-") && responseOverrides[k] == "" {
			return ErrInvalidArgument.Errorf("%s is not a valid response header override", k)
		}
	}
	_, byPart := q["partNumber"]
	if byPart && r.Header.Get("Range") != "" {
		return ErrInvalidRequest.Errorf("Cannot specify both Range header and partNumber query parameter")
	}
	rng := ParseRange(r.Header.Get("Range"))
	c, info, err := s.objectOf(r, "s3:GetObject")
	if err != nil {
		return err
	}
	setVersionHeader(r, info)
	s.setExpirationHeader(r, c.b, info)
	part := 0 // the part read, 0 if none (or the object has no parts)
	if byPart {
		if part, rng, err = partRange(info, q.Get("partNumber")); err != nil {
			return err
		}
	}
	// The key before the conditions: without it, they would tell a
	// caller whether its guess of the ETag is right.
	if err := CheckCustomerKey(info.SSECustomerKeyMD5, r.customerKey); err != nil {
		return err
	}
	announceSSE(r.w.Header(), info.SSECustomerKeyMD5, info.SSEKMSKeyID)
	if err := checkConditions(r.Header, info); err != nil {
		if err == errNotModified {
			h := r.w.Header()
			h.Set("ETag", `"`+info.ETag+`"`)
			h.Set("Last-Modified", info.ModTime.UTC().Format(http.TimeFormat))
			r.status = http.StatusNotModified
			r.w.WriteHeader(http.StatusNotModified)
			return nil
		}
		return err
	}
	if !byPart && !ifRangeHolds(r.Header, info) {
		rng = nil // the client's copy is stale: the whole object
	}
	off, n, err := rng.Resolve(info.Size)
	if err != nil { // ErrInvalidRange
		r.w.Header().Set("Content-Range", "bytes */"+strconv.FormatInt(info.Size, 10)) // RFC 9110 15.5.17
		return err
	}
	if !body {
		s.writeObjectHeaders(r, q, info, rng, part, off, n)
		return nil
	}
	info2, rc, err := s.Layer.GetObject(r.Context(), r.bucket, r.key, vid, rng, r.customerKey)
	if err != nil {
		return err
	}
	if info2.ETag != info.ETag {
		// Replaced between the two reads: answer for the object being sent.
		if err := checkConditions(r.Header, info2); err != nil {
			rc.Close()
			return ErrPreconditionFailed
		}
		if rng != nil && !byPart && !ifRangeHolds(r.Header, info2) {
			// A range of an object the client's If-Range does not name:
			// send the whole of it instead.
			rc.Close()
			rng = nil
			if info2, rc, err = s.Layer.GetObject(r.Context(), r.bucket, r.key, vid, nil, r.customerKey); err != nil {
				return err
			}
		}
	}
	defer rc.Close()
	off, n, _ = rng.Resolve(info2.Size)
	if info2.ETag != info.ETag {
		// rng is where the part lay in the object replaced: no part
		// checksum is known to describe what is sent.
		part = 0
	}
	s.writeObjectHeaders(r, q, info2, rng, part, off, n)
	written, err := io.Copy(r.w, rc)
	if err != nil {
		// The status line is gone: all we can do is cut the response short so
		// the client sees a truncated body rather than wrong bytes. A client
		// that stopped reading is no failure of ours.
		level := slog.LevelError
		if clientGone(r, err) {
			level = slog.LevelInfo
		}
		s.Log.Log(r.Context(), level, "s3 get failed mid-stream", "bucket", r.bucket, "key", r.key,
			"request_id", r.id, "written", written, "want", n, "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

// clientGone reports whether err, ending a response body, came from the
// client going away (its connection closed or reset, its request
// canceled) rather than from reading the object.
func clientGone(r *request, err error) bool {
	return r.Context().Err() != nil || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, net.ErrClosed) || errors.Is(err, context.Canceled)
}

// writeObjectHeaders sets a GET or HEAD answer's headers and status; part is
// the part of info sent (0: none) and off, n the bytes of rng sent.
func (s *Server) writeObjectHeaders(r *request, q url.Values, info ObjectInfo, rng *Range, part int, off, n int64) {
	_, byPart := q["partNumber"]
	h := r.w.Header()
	h.Set("ETag", `"`+info.ETag+`"`)
	h.Set("Last-Modified", info.ModTime.UTC().Format(http.TimeFormat))
	h.Set("Accept-Ranges", "bytes")
	ct := info.ContentType
	if ct == "" {
		ct = "binary/octet-stream"
	}
	h.Set("Content-Type", ct)
	for k, v := range info.Headers {
		h.Set(k, v)
	}
	for k, v := range info.UserMeta {
		// Lower case, as S3 sends them: SDKs report the name as received.
		h["x-amz-meta-"+k] = []string{v}
	}
	for param, header := range responseOverrides {
		if v := q.Get(param); v != "" {
			h.Set(header, v)
		}
	}
	if len(info.Tags) > 0 {
		h.Set("x-amz-tagging-count", strconv.Itoa(len(info.Tags)))
	}
	setLockHeaders(h, info.Lock)
	for k, v := range info.Extra {
		if strings.HasPrefix(strings.ToLower(k), "x-mefs-") {
			h.Set(k, v)
		}
	}
	if info.Parts > 0 && byPart {
		h.Set("x-amz-mp-parts-count", strconv.Itoa(info.Parts))
	}
	if strings.EqualFold(r.Header.Get("x-amz-checksum-mode"), "ENABLED") {
		if rng == nil {
			setChecksumHeaders(h, info.Checksums)
			for _, v := range info.Checksums {
				h.Set("x-amz-checksum-type", checksumType(v))
			}
		} else if sums, typ, ok := partChecksum(info, part); ok {
			setChecksumHeaders(h, sums)
			h.Set("x-amz-checksum-type", typ)
		}
	}
	h.Set("Content-Length", strconv.FormatInt(n, 10))
	r.status = http.StatusOK
	if rng != nil {
		h.Set("Content-Range", "bytes "+strconv.FormatInt(off, 10)+"-"+
			strconv.FormatInt(off+n-1, 10)+"/"+strconv.FormatInt(info.Size, 10))
		r.status = http.StatusPartialContent
	}
	r.w.WriteHeader(r.status)
}
