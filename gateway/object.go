package gateway

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/mefs-project/mefs/gateway/sigv4"
)

// maxObjectSize is the largest single PUT S3 accepts.
const maxObjectSize = 5 << 30

func (s *Server) putObject(r *request) error {
	if _, err := s.bucketOf(r); err != nil {
		return err
	}
	size := sigv4.DecodedLength(r.Request)
	if size < 0 {
		return ErrMissingContentLength
	}
	if size > maxObjectSize {
		return ErrEntityTooLarge
	}
	var wantMD5 []byte
	if v := r.Header.Get("Content-MD5"); v != "" {
		b, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(b) != md5.Size {
			return ErrInvalidDigest
		}
		wantMD5 = b
	}
	payload, err := r.auth.Body(r.Request)
	if err != nil {
		return err
	}
	opts := PutOptions{ContentType: r.Header.Get("Content-Type"), UserMeta: userMeta(r.Header)}
	info, err := s.Layer.PutObject(r.Context(), r.bucket, r.key, NewPutReader(payload, size, wantMD5), opts)
	if err != nil {
		return err
	}
	r.w.Header().Set("ETag", `"`+info.ETag+`"`)
	r.status = http.StatusOK
	r.w.WriteHeader(http.StatusOK)
	return nil
}

// userMeta collects x-amz-meta-* headers.
func userMeta(h http.Header) map[string]string {
	var m map[string]string
	for k, v := range h {
		lk := strings.ToLower(k)
		if name, ok := strings.CutPrefix(lk, "x-amz-meta-"); ok {
			if m == nil {
				m = map[string]string{}
			}
			m[name] = strings.Join(v, ",")
		}
	}
	return m
}

func (s *Server) getObject(r *request, q map[string][]string, body bool) error {
	if _, err := s.bucketOf(r); err != nil {
		return err
	}
	rng := ParseRange(r.Header.Get("Range"))
	if !body {
		info, err := s.Layer.ObjectInfo(r.Context(), r.bucket, r.key)
		if err != nil {
			return err
		}
		off, n, err := rng.Resolve(info.Size)
		if err != nil {
			return err
		}
		s.writeObjectHeaders(r, info, rng, off, n)
		return nil
	}
	info, rc, err := s.Layer.GetObject(r.Context(), r.bucket, r.key, rng)
	if err != nil {
		return err
	}
	defer rc.Close()
	off, n, _ := rng.Resolve(info.Size)
	s.writeObjectHeaders(r, info, rng, off, n)
	written, err := io.Copy(r.w, rc)
	if err != nil {
		// The status line is gone: all we can do is cut the response short so
		// the client sees a truncated body rather than wrong bytes.
		s.Log.Error("s3 get failed mid-stream", "bucket", r.bucket, "key", r.key,
			"request_id", r.id, "written", written, "want", n, "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

func (s *Server) writeObjectHeaders(r *request, info ObjectInfo, rng *Range, off, n int64) {
	h := r.w.Header()
	h.Set("ETag", `"`+info.ETag+`"`)
	h.Set("Last-Modified", info.ModTime.UTC().Format(http.TimeFormat))
	h.Set("Accept-Ranges", "bytes")
	ct := info.ContentType
	if ct == "" {
		ct = "binary/octet-stream"
	}
	h.Set("Content-Type", ct)
	for k, v := range info.UserMeta {
		h.Set("x-amz-meta-"+k, v)
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

func (s *Server) deleteObject(r *request) error {
	if _, err := s.bucketOf(r); err != nil {
		return err
	}
	if err := s.Layer.DeleteObject(r.Context(), r.bucket, r.key); err != nil && !errors.Is(err, ErrNoSuchKey) {
		return err
	}
	r.status = http.StatusNoContent
	r.w.WriteHeader(http.StatusNoContent)
	return nil
}

type deleteRequest struct {
	XMLName xml.Name `xml:"Delete"`
	Quiet   bool
	Objects []struct {
		Key string
	} `xml:"Object"`
}

type deleteResult struct {
	XMLName xml.Name `xml:"DeleteResult"`
	NS      string   `xml:"xmlns,attr"`
	Deleted []struct {
		Key string
	} `xml:"Deleted"`
	Errors []deleteError `xml:"Error"`
}

type deleteError struct {
	Key     string
	Code    string
	Message string
}

// maxDeleteBody bounds the DeleteObjects request: 1000 keys of 1024 bytes
// plus XML overhead.
const maxDeleteBody = 2 << 20

func (s *Server) deleteObjects(r *request) error {
	if _, err := s.bucketOf(r); err != nil {
		return err
	}
	payload, err := r.auth.Body(r.Request)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(io.LimitReader(payload, maxDeleteBody+1))
	if err != nil {
		return err
	}
	if len(body) > maxDeleteBody {
		return ErrMalformedXML
	}
	if v := r.Header.Get("Content-MD5"); v != "" {
		sum := md5.Sum(body)
		if base64.StdEncoding.EncodeToString(sum[:]) != v {
			return ErrBadDigest
		}
	}
	var req deleteRequest
	if err := xml.Unmarshal(body, &req); err != nil || len(req.Objects) == 0 {
		return ErrMalformedXML
	}
	if len(req.Objects) > 1000 {
		return ErrMalformedXML.Errorf("The request contains more than 1000 keys")
	}
	res := deleteResult{NS: s3NS}
	for _, o := range req.Objects {
		err := s.Layer.DeleteObject(r.Context(), r.bucket, o.Key)
		if err != nil && !errors.Is(err, ErrNoSuchKey) {
			ae := toAPIError(err)
			res.Errors = append(res.Errors, deleteError{Key: o.Key, Code: ae.Code, Message: ae.Message})
			continue
		}
		if !req.Quiet {
			res.Deleted = append(res.Deleted, struct{ Key string }{o.Key})
		}
	}
	return writeXML(r, res)
}
