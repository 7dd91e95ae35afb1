package user

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mefs-project/mefs/gateway"
)

func md5Base64(b []byte) string {
	sum := md5.Sum(b)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// signedDoBody sends req, whose body is body, signed with the test
// credentials, and returns its status and S3 error code ("" if none).
func (e *s3env) signedDoBody(req *http.Request, body []byte) (int, string) {
	e.t.Helper()
	status, out := e.signedSend(req, body)
	var x struct{ Code string }
	xml.Unmarshal(out, &x)
	return status, x.Code
}

func (e *s3env) putLifecycle(bucket string, rules ...s3types.LifecycleRule) {
	e.t.Helper()
	_, err := e.c.PutBucketLifecycleConfiguration(bg, &s3.PutBucketLifecycleConfigurationInput{Bucket: aws.String(bucket),
		LifecycleConfiguration: &s3types.BucketLifecycleConfiguration{Rules: rules}})
	if err != nil {
		e.t.Fatalf("put lifecycle of %s: %v", bucket, err)
	}
}

// pass runs one lifecycle pass as if it were days later.
func (e *s3env) pass(days float64) gateway.LifecycleStats {
	e.t.Helper()
	lc := &gateway.Lifecycle{Layer: e.layer, Log: discard,
		Now: func() time.Time { return time.Now().Add(time.Duration(days * float64(24*time.Hour))) }}
	st, err := lc.Pass(bg)
	if err != nil || st.Errors > 0 {
		e.t.Fatalf("lifecycle pass: %+v, %v", st, err)
	}
	return st
}

func (e *s3env) keys(bucket string) []string {
	e.t.Helper()
	out, err := e.c.ListObjectsV2(bg, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	if err != nil {
		e.t.Fatalf("list %s: %v", bucket, err)
	}
	var keys []string
	for _, o := range out.Contents {
		keys = append(keys, aws.ToString(o.Key))
	}
	return keys
}

// Lifecycle configurations round-trip, answer S3's errors, and announce
// expiry dates on writes and reads.
func TestS3LifecycleConfiguration(t *testing.T) {
	e := newS3Env(t)
	e.bucket("lcfg", "")
	_, err := e.c.GetBucketLifecycleConfiguration(bg, &s3.GetBucketLifecycleConfigurationInput{Bucket: aws.String("lcfg")})
	wantErr(t, "get lifecycle of a bucket without", err, "NoSuchLifecycleConfiguration", 404)

	e.putLifecycle("lcfg",
		s3types.LifecycleRule{ID: aws.String("tmp"), Status: s3types.ExpirationStatusEnabled,
			Filter:     &s3types.LifecycleRuleFilter{Prefix: aws.String("tmp/")},
			Expiration: &s3types.LifecycleExpiration{Days: aws.Int32(1)}},
		s3types.LifecycleRule{Status: s3types.ExpirationStatusEnabled, Filter: &s3types.LifecycleRuleFilter{},
			AbortIncompleteMultipartUpload: &s3types.AbortIncompleteMultipartUpload{DaysAfterInitiation: aws.Int32(7)}})
	got, err := e.c.GetBucketLifecycleConfiguration(bg, &s3.GetBucketLifecycleConfigurationInput{Bucket: aws.String("lcfg")})
	if err != nil || len(got.Rules) != 2 || aws.ToString(got.Rules[0].ID) != "tmp" || aws.ToString(got.Rules[1].ID) == "" ||
		aws.ToInt32(got.Rules[0].Expiration.Days) != 1 || aws.ToString(got.Rules[0].Filter.Prefix) != "tmp/" ||
		aws.ToInt32(got.Rules[1].AbortIncompleteMultipartUpload.DaysAfterInitiation) != 7 {
		t.Fatalf("get lifecycle: %+v, %v", got, err)
	}

	put, err := e.c.PutObject(bg, &s3.PutObjectInput{Bucket: aws.String("lcfg"), Key: aws.String("tmp/a"), Body: strings.NewReader("x")})
	if err != nil {
		t.Fatal(err)
	}
	want := regexp.MustCompile(`^expiry-date="(.+ 00:00:00 GMT)", rule-id="tmp"$`)
	if m := want.FindStringSubmatch(aws.ToString(put.Expiration)); m == nil {
		t.Fatalf("PUT x-amz-expiration %q", aws.ToString(put.Expiration))
	} else if at, err := http.ParseTime(m[1]); err != nil || time.Until(at) < 24*time.Hour || time.Until(at) > 48*time.Hour {
		t.Fatalf("PUT expiry %s: not the midnight after a day", m[1])
	}
	head, err := e.c.HeadObject(bg, &s3.HeadObjectInput{Bucket: aws.String("lcfg"), Key: aws.String("tmp/a")})
	if err != nil || aws.ToString(head.Expiration) != aws.ToString(put.Expiration) {
		t.Fatalf("HEAD x-amz-expiration %q, %v; PUT said %q", aws.ToString(head.Expiration), err, aws.ToString(put.Expiration))
	}
	other, err := e.c.PutObject(bg, &s3.PutObjectInput{Bucket: aws.String("lcfg"), Key: aws.String("keep/a"), Body: strings.NewReader("x")})
	if err != nil || other.Expiration != nil {
		t.Fatalf("PUT outside every rule: expiration %q, %v", aws.ToString(other.Expiration), err)
	}

	for name, body := range map[string]string{
		"InvalidArgument": `<LifecycleConfiguration><Rule><ID>r</ID><Prefix></Prefix><Status>Enabled</Status><Expiration><Days>0</Days></Expiration></Rule></LifecycleConfiguration>`,
		"MalformedXML":    `<LifecycleConfiguration><Rule><ID>r</ID><Prefix></Prefix><Status>on</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>`,
	} {
		req, _ := http.NewRequest(http.MethodPut, e.url+"/lcfg?lifecycle", bytes.NewReader([]byte(body)))
		req.Header.Set("Content-MD5", md5Base64([]byte(body)))
		if status, code := e.signedDoBody(req, []byte(body)); status != 400 || code != name {
			t.Fatalf("bad lifecycle: %d %s, want 400 %s", status, code, name)
		}
	}
	body := `<LifecycleConfiguration><Rule><ID>r</ID><Prefix></Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>`
	req, _ := http.NewRequest(http.MethodPut, e.url+"/lcfg?lifecycle", bytes.NewReader([]byte(body)))
	if status, code := e.signedDoBody(req, []byte(body)); status != 400 || code != "InvalidRequest" {
		t.Fatalf("lifecycle without Content-MD5: %d %s, want 400 InvalidRequest", status, code)
	}

	if _, err := e.c.DeleteBucketLifecycle(bg, &s3.DeleteBucketLifecycleInput{Bucket: aws.String("lcfg")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.c.GetBucketLifecycleConfiguration(bg, &s3.GetBucketLifecycleConfigurationInput{Bucket: aws.String("lcfg")})
	wantErr(t, "get lifecycle after delete", err, "NoSuchLifecycleConfiguration", 404)
	if head, err := e.c.HeadObject(bg, &s3.HeadObjectInput{Bucket: aws.String("lcfg"), Key: aws.String("tmp/a")}); err != nil || head.Expiration != nil {
		t.Fatalf("HEAD after the rules went: expiration %q, %v", aws.ToString(head.Expiration), err)
	}
}

// Lifecycle passes expire current versions by prefix and tag, remove old
// noncurrent versions (keeping the newest ones asked for) and lone delete
// markers, and abort old uploads; nothing before its time.
func TestS3LifecyclePasses(t *testing.T) {
	e := newS3Env(t)
	e.bucket("plain", "")
	e.put("plain", "tmp/a", "a")
	e.put("plain", "tmp/b", "b")
	e.put("plain", "keep/c", "c")
	if _, err := e.c.PutObject(bg, &s3.PutObjectInput{Bucket: aws.String("plain"), Key: aws.String("tagged"),
		Body: strings.NewReader("t"), Tagging: aws.String("expire=yes")}); err != nil {
		t.Fatal(err)
	}
	e.put("plain", "untagged", "u")
	e.putLifecycle("plain",
		s3types.LifecycleRule{ID: aws.String("tmp"), Status: s3types.ExpirationStatusEnabled,
			Filter: &s3types.LifecycleRuleFilter{Prefix: aws.String("tmp/")}, Expiration: &s3types.LifecycleExpiration{Days: aws.Int32(1)}},
		s3types.LifecycleRule{ID: aws.String("tag"), Status: s3types.ExpirationStatusEnabled,
			Filter:     &s3types.LifecycleRuleFilter{Tag: &s3types.Tag{Key: aws.String("expire"), Value: aws.String("yes")}},
			Expiration: &s3types.LifecycleExpiration{Days: aws.Int32(3)}},
		s3types.LifecycleRule{ID: aws.String("off"), Status: s3types.ExpirationStatusDisabled,
			Filter: &s3types.LifecycleRuleFilter{Prefix: aws.String("keep/")}, Expiration: &s3types.LifecycleExpiration{Days: aws.Int32(1)}},
		s3types.LifecycleRule{ID: aws.String("uploads"), Status: s3types.ExpirationStatusEnabled,
			Filter:                         &s3types.LifecycleRuleFilter{Prefix: aws.String("mp/")},
			AbortIncompleteMultipartUpload: &s3types.AbortIncompleteMultipartUpload{DaysAfterInitiation: aws.Int32(2)}})
	old, err := e.c.CreateMultipartUpload(bg, &s3.CreateMultipartUploadInput{Bucket: aws.String("plain"), Key: aws.String("mp/x")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.CreateMultipartUpload(bg, &s3.CreateMultipartUploadInput{Bucket: aws.String("plain"), Key: aws.String("other/y")}); err != nil {
		t.Fatal(err)
	}

	if st := e.pass(0); st != (gateway.LifecycleStats{}) {
		t.Fatalf("pass today did %+v", st)
	}
	if st := e.pass(2.1); st.Expired != 2 || st.UploadsAborted != 0 {
		t.Fatalf("pass in two days: %+v, want tmp/a and tmp/b expired", st)
	}
	if got := strings.Join(e.keys("plain"), " "); got != "keep/c tagged untagged" {
		t.Fatalf("after two days: %s", got)
	}
	if st := e.pass(4); st.Expired != 1 || st.UploadsAborted != 1 {
		t.Fatalf("pass in four days: %+v, want the tagged object expired and mp/x aborted", st)
	}
	if got := strings.Join(e.keys("plain"), " "); got != "keep/c untagged" {
		t.Fatalf("after four days: %s", got)
	}
	ups, err := e.c.ListMultipartUploads(bg, &s3.ListMultipartUploadsInput{Bucket: aws.String("plain")})
	if err != nil || len(ups.Uploads) != 1 || aws.ToString(ups.Uploads[0].Key) != "other/y" {
		t.Fatalf("uploads left: %+v, %v (aborted %s)", ups, err, aws.ToString(old.UploadId))
	}

	e.bucket("versioned", "Enabled")
	for _, body := range []string{"v1", "v2", "v3", "v4"} {
		e.put("versioned", "doc", body)
	}
	if _, err := e.c.DeleteObject(bg, &s3.DeleteObjectInput{Bucket: aws.String("versioned"), Key: aws.String("gone")}); err != nil {
		t.Fatal(err)
	}
	e.putLifecycle("versioned", s3types.LifecycleRule{ID: aws.String("nc"), Status: s3types.ExpirationStatusEnabled,
		Filter: &s3types.LifecycleRuleFilter{},
		NoncurrentVersionExpiration: &s3types.NoncurrentVersionExpiration{NoncurrentDays: aws.Int32(1),
			NewerNoncurrentVersions: aws.Int32(1)},
		Expiration: &s3types.LifecycleExpiration{ExpiredObjectDeleteMarker: aws.Bool(true)}},
		s3types.LifecycleRule{ID: aws.String("cur"), Status: s3types.ExpirationStatusEnabled,
			Filter: &s3types.LifecycleRuleFilter{Prefix: aws.String("cur/")}, Expiration: &s3types.LifecycleExpiration{Days: aws.Int32(1)}})
	e.put("versioned", "cur/x", "x")
	// gone's marker is its only version: expired at once.
	if st := e.pass(0); st != (gateway.LifecycleStats{MarkersRemoved: 1}) {
		t.Fatalf("versioned pass today did %+v, want gone's lone marker removed", st)
	}
	// doc keeps v4 (current) and v3 (the newest noncurrent); cur/x gets a
	// delete marker, its data kept as a noncurrent version.
	if st := e.pass(2.1); st != (gateway.LifecycleStats{NoncurrentRemoved: 2, Expired: 1}) {
		t.Fatalf("versioned pass in two days: %+v, want v1 and v2 removed and cur/x expired", st)
	}
	if _, _, err := e.get("versioned", "cur/x", ""); errCode(err) != "NoSuchKey" {
		t.Fatalf("get expired cur/x: %v", err)
	}
	vs, err := e.c.ListObjectVersions(bg, &s3.ListObjectVersionsInput{Bucket: aws.String("versioned"), Prefix: aws.String("doc")})
	if err != nil || len(vs.Versions) != 2 || len(vs.DeleteMarkers) != 0 {
		t.Fatalf("versions left: %d versions, %d markers, %v", len(vs.Versions), len(vs.DeleteMarkers), err)
	}
	e.wantBody("versioned", "doc", "", "v4")
	e.wantBody("versioned", "doc", aws.ToString(vs.Versions[1].VersionId), "v3")

	// An Expiration by days also removes a lone delete marker, once it is
	// that old (S3's "expired object delete marker").
	e.bucket("markers", "Enabled")
	if _, err := e.c.DeleteObject(bg, &s3.DeleteObjectInput{Bucket: aws.String("markers"), Key: aws.String("m")}); err != nil {
		t.Fatal(err)
	}
	e.putLifecycle("markers", s3types.LifecycleRule{ID: aws.String("days"), Status: s3types.ExpirationStatusEnabled,
		Filter: &s3types.LifecycleRuleFilter{}, Expiration: &s3types.LifecycleExpiration{Days: aws.Int32(1)}})
	if st := e.pass(0); st != (gateway.LifecycleStats{}) {
		t.Fatalf("markers pass today did %+v", st)
	}
	if st := e.pass(2.1); st != (gateway.LifecycleStats{MarkersRemoved: 1}) {
		t.Fatalf("markers pass in two days: %+v, want the lone marker removed", st)
	}
}
