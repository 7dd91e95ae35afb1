package gateway

import (
	"net/http"
	"net/url"
	"time"
)

// Observer receives one call per finished S3 request: its operation name
// (as in the S3 API reference), HTTP status and duration. It must be safe
// for concurrent use.
type Observer func(op string, status int, d time.Duration)

// operation names the S3 operation a request is.
func operation(method, bucket, key string, q url.Values, h http.Header) string {
	has := func(k string) bool { _, ok := q[k]; return ok }
	switch {
	case bucket == "":
		return "ListBuckets"
	case key == "":
		switch {
		case has("location"):
			return "GetBucketLocation"
		case has("delete"):
			return "DeleteObjects"
		case has("uploads"):
			return "ListMultipartUploads"
		case has("tagging"):
			return method + "BucketTagging"
		}
		switch method {
		case http.MethodPut:
			return "CreateBucket"
		case http.MethodHead:
			return "HeadBucket"
		case http.MethodDelete:
			return "DeleteBucket"
		case http.MethodGet:
			if q.Get("list-type") == "2" {
				return "ListObjectsV2"
			}
			return "ListObjects"
		}
	default:
		switch {
		case has("uploads"):
			return "CreateMultipartUpload"
		case has("tagging"):
			return method + "ObjectTagging"
		case has("attributes"):
			return "GetObjectAttributes"
		case has("uploadId"):
			switch method {
			case http.MethodPut:
				if h.Get("x-amz-copy-source") != "" {
					return "UploadPartCopy"
				}
				return "UploadPart"
			case http.MethodPost:
				return "CompleteMultipartUpload"
			case http.MethodDelete:
				return "AbortMultipartUpload"
			case http.MethodGet:
				return "ListParts"
			}
		}
		switch method {
		case http.MethodPut:
			if h.Get("x-amz-copy-source") != "" {
				return "CopyObject"
			}
			return "PutObject"
		case http.MethodGet:
			return "GetObject"
		case http.MethodHead:
			return "HeadObject"
		case http.MethodDelete:
			return "DeleteObject"
		}
	}
	return "Unknown"
}
