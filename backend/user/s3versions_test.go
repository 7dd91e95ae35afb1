package user

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// listed is one ListObjectVersions entry, for comparisons.
type listed struct {
	key, vid       string
	latest, marker bool
}

func (l listed) String() string {
	kind := "V"
	if l.marker {
		kind = "M"
	}
	if l.latest {
		kind += "*"
	}
	return fmt.Sprintf("%s%s@%s", kind, l.key, l.vid)
}

// versionsPage is a ListObjectVersions answer parsed in document order
// (the SDK splits versions from delete markers, losing their interleaving).
type versionsPage struct {
	Entries []struct {
		XMLName   xml.Name
		Key       string
		VersionID string `xml:"VersionId"`
		IsLatest  bool
	} `xml:",any"`
	IsTruncated         bool
	NextKeyMarker       string
	NextVersionIDMarker string `xml:"NextVersionIdMarker"`
}

// listAll lists every version of bucket under prefix, maxKeys per page,
// following NextKeyMarker / NextVersionIdMarker.
func (e *s3env) listAll(bucket, prefix string, maxKeys int) []listed {
	e.t.Helper()
	var out []listed
	q := url.Values{"versions": {""}, "prefix": {prefix}, "max-keys": {fmt.Sprint(maxKeys)}}
	for pages := 0; ; pages++ {
		if pages > 1000 {
			e.t.Fatal("ListObjectVersions does not end")
		}
		req, _ := http.NewRequest(http.MethodGet, e.url+"/"+bucket+"?"+q.Encode(), nil)
		status, body := e.signedBody(req)
		var page versionsPage
		if err := xml.Unmarshal(body, &page); status != 200 || err != nil {
			e.t.Fatalf("list versions of %s: %d %s (%v)", bucket, status, body, err)
		}
		n := 0
		for _, en := range page.Entries {
			switch en.XMLName.Local {
			case "Version", "DeleteMarker":
				out = append(out, listed{en.Key, en.VersionID, en.IsLatest, en.XMLName.Local == "DeleteMarker"})
				n++
			case "CommonPrefixes":
				n++
			}
		}
		if n > maxKeys {
			e.t.Fatalf("page of %d entries, max-keys %d", n, maxKeys)
		}
		if !page.IsTruncated {
			return out
		}
		q.Set("key-marker", page.NextKeyMarker)
		q.Del("version-id-marker")
		if page.NextVersionIDMarker != "" {
			q.Set("version-id-marker", page.NextVersionIDMarker)
		}
	}
}

func TestS3VersionLifecycle(t *testing.T) {
	e := newS3Env(t)
	e.bucket("vbkt", "")
	if v := e.put("vbkt", "k", "zero"); v != "" {
		t.Fatalf("unversioned put answered version %q", v)
	}
	e.versioning("vbkt", "Enabled")
	v1 := e.put("vbkt", "k", "one")
	v2 := e.put("vbkt", "k", "two")
	if len(v1) != 32 || len(v2) != 32 || v1 == v2 {
		t.Fatalf("version ids %q, %q: want two distinct 32-character ids", v1, v2)
	}
	e.wantBody("vbkt", "k", "", "two")
	e.wantBody("vbkt", "k", v1, "one")
	e.wantBody("vbkt", "k", "null", "zero")
	head, err := e.c.HeadObject(bg, &s3.HeadObjectInput{Bucket: aws.String("vbkt"), Key: aws.String("k"), VersionId: aws.String(v1)})
	if err != nil || aws.ToString(head.VersionId) != v1 || aws.ToInt64(head.ContentLength) != 3 {
		t.Fatalf("head version 1: %+v, %v", head, err)
	}

	del, err := e.c.DeleteObject(bg, &s3.DeleteObjectInput{Bucket: aws.String("vbkt"), Key: aws.String("k")})
	if err != nil || !aws.ToBool(del.DeleteMarker) || len(aws.ToString(del.VersionId)) != 32 {
		t.Fatalf("delete without version: %+v, %v; want a delete marker with an id", del, err)
	}
	marker := aws.ToString(del.VersionId)
	_, _, err = e.get("vbkt", "k", "")
	resp := wantErr(t, "get behind a delete marker", err, "NoSuchKey", 404)
	if resp.Header.Get("x-amz-delete-marker") != "true" || resp.Header.Get("x-amz-version-id") != marker {
		t.Fatalf("get behind a marker: headers %v", resp.Header)
	}
	_, _, err = e.get("vbkt", "k", marker)
	resp = wantErr(t, "get of a delete marker by id", err, "MethodNotAllowed", 405)
	if resp.Header.Get("x-amz-delete-marker") != "true" {
		t.Fatalf("get of a marker: headers %v", resp.Header)
	}
	_, err = e.c.HeadObject(bg, &s3.HeadObjectInput{Bucket: aws.String("vbkt"), Key: aws.String("k")})
	if resp := wantErr(t, "HEAD behind a delete marker", err, "", 404); resp.Header.Get("x-amz-delete-marker") != "true" {
		t.Fatalf("HEAD behind a marker: headers %v", resp.Header)
	}
	_, err = e.c.HeadObject(bg, &s3.HeadObjectInput{Bucket: aws.String("vbkt"), Key: aws.String("k"), VersionId: aws.String(marker)})
	wantErr(t, "HEAD of a delete marker by id", err, "", 405)
	_, err = e.c.GetObjectTagging(bg, &s3.GetObjectTaggingInput{Bucket: aws.String("vbkt"), Key: aws.String("k"), VersionId: aws.String(marker)})
	wantErr(t, "tagging of a delete marker", err, "MethodNotAllowed", 405)
	attrs, err := e.c.GetObjectAttributes(bg, &s3.GetObjectAttributesInput{Bucket: aws.String("vbkt"), Key: aws.String("k"), VersionId: aws.String(v1),
		ObjectAttributes: []s3types.ObjectAttributes{s3types.ObjectAttributesObjectSize}})
	if err != nil || aws.ToInt64(attrs.ObjectSize) != 3 || aws.ToString(attrs.VersionId) != v1 {
		t.Fatalf("GetObjectAttributes of version 1 behind a marker: %+v, %v", attrs, err)
	}
	objs, err := e.c.ListObjectsV2(bg, &s3.ListObjectsV2Input{Bucket: aws.String("vbkt")})
	if err != nil || len(objs.Contents) != 0 {
		t.Fatalf("ListObjectsV2 with the latest a marker: %v, %v", objs, err)
	}
	want := []listed{{"k", marker, true, true}, {"k", v2, false, false}, {"k", v1, false, false}, {"k", "null", false, false}}
	if got := e.listAll("vbkt", "", 1000); !slices.Equal(got, want) {
		t.Fatalf("versions: %v, want %v", got, want)
	}

	// Removing the marker brings version 2 back; removing version 2 frees
	// its chunks only, and version 1 becomes the latest.
	del, err = e.c.DeleteObject(bg, &s3.DeleteObjectInput{Bucket: aws.String("vbkt"), Key: aws.String("k"), VersionId: aws.String(marker)})
	if err != nil || !aws.ToBool(del.DeleteMarker) || aws.ToString(del.VersionId) != marker {
		t.Fatalf("delete of the marker: %+v, %v", del, err)
	}
	e.wantBody("vbkt", "k", "", "two")
	e.collect()
	before := e.chunks()
	if _, err := e.c.DeleteObject(bg, &s3.DeleteObjectInput{Bucket: aws.String("vbkt"), Key: aws.String("k"), VersionId: aws.String(v2)}); err != nil {
		t.Fatal(err)
	}
	e.collect()
	if got := e.chunks(); got != before-(testK+testM) {
		t.Fatalf("deleting one one-stripe version left %d chunks of %d, want %d", got, before, before-(testK+testM))
	}
	e.wantBody("vbkt", "k", "", "one")
	e.wantBody("vbkt", "k", "null", "zero")
	for _, vid := range []string{v1, "null"} {
		if _, err := e.c.DeleteObject(bg, &s3.DeleteObjectInput{Bucket: aws.String("vbkt"), Key: aws.String("k"), VersionId: aws.String(vid)}); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err = e.get("vbkt", "k", "")
	wantErr(t, "get after every version is gone", err, "NoSuchKey", 404)
	if got := e.listAll("vbkt", "", 1000); len(got) != 0 {
		t.Fatalf("versions after removing all: %v", got)
	}
	e.collect()
	if n := e.chunks(); n != 0 {
		t.Fatalf("%d chunks left after every version was removed", n)
	}
	if _, err := e.c.DeleteBucket(bg, &s3.DeleteBucketInput{Bucket: aws.String("vbkt")}); err != nil {
		t.Fatalf("delete emptied versioned bucket: %v", err)
	}
}

func TestS3VersionIDErrors(t *testing.T) {
	e := newS3Env(t)
	e.bucket("ebkt", "Enabled")
	vid := e.put("ebkt", "k", "data")
	unknown := vid[:31] + "A" // our id with another random part
	if vid[31] == 'A' {
		unknown = vid[:31] + "B"
	}
	cases := []struct {
		name, vid, code string
		status          int
	}{
		{"malformed", "not-a-version", "InvalidArgument", 400},
		{"empty", "", "InvalidArgument", 400},
		{"well-formed unknown", strings.Repeat("x", 32), "NoSuchVersion", 404},
		{"our id, other random part", unknown, "NoSuchVersion", 404},
		{"null with no null version", "null", "NoSuchVersion", 404},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := "?versionId=" + c.vid
			for _, sub := range []string{"", "&tagging", "&acl", "&attributes"} {
				req, _ := http.NewRequest(http.MethodGet, e.url+"/ebkt/k"+q+sub, nil)
				status, code := e.signedDo(req)
				if status != c.status || code != c.code {
					t.Errorf("GET %s: %d %s, want %d %s", q+sub, status, code, c.status, c.code)
				}
			}
			req, _ := http.NewRequest(http.MethodDelete, e.url+"/ebkt/k"+q, nil)
			status, code := e.signedDo(req)
			wantStatus, wantCode := http.StatusNoContent, "" // S3: a missing version is deleted already
			if c.status == 400 {
				wantStatus, wantCode = c.status, c.code
			}
			if status != wantStatus || code != wantCode {
				t.Errorf("DELETE %s: %d %s, want %d %s", q, status, code, wantStatus, wantCode)
			}
		})
	}
	e.wantBody("ebkt", "k", vid, "data")
}

func TestS3SuspendedNullVersion(t *testing.T) {
	e := newS3Env(t)
	e.bucket("sbkt", "Enabled")
	a := e.put("sbkt", "k", "a")
	e.versioning("sbkt", "Suspended")
	if v := e.put("sbkt", "k", "b"); v != "" {
		t.Fatalf("put in a suspended bucket answered version %q, want none (S3 omits null there)", v)
	}
	e.collect()
	before := e.chunks()
	if v := e.put("sbkt", "k", "c"); v != "" {
		t.Fatalf("second put answered %q", v)
	}
	e.collect()
	if got := e.chunks(); got != before {
		t.Fatalf("replacing the null version: %d chunks, want %d (old null version freed)", got, before)
	}
	want := []listed{{"k", "null", true, false}, {"k", a, false, false}}
	if got := e.listAll("sbkt", "", 1000); !slices.Equal(got, want) {
		t.Fatalf("versions: %v, want %v", got, want)
	}
	e.wantBody("sbkt", "k", "null", "c")
	del, err := e.c.DeleteObject(bg, &s3.DeleteObjectInput{Bucket: aws.String("sbkt"), Key: aws.String("k")})
	if err != nil || !aws.ToBool(del.DeleteMarker) || aws.ToString(del.VersionId) != "null" {
		t.Fatalf("delete in a suspended bucket: %+v, %v; want a null delete marker", del, err)
	}
	want = []listed{{"k", "null", true, true}, {"k", a, false, false}}
	if got := e.listAll("sbkt", "", 1000); !slices.Equal(got, want) {
		t.Fatalf("versions after delete: %v, want %v", got, want)
	}
	e.collect()
	if got := e.chunks(); got != before-(testK+testM) {
		t.Fatalf("the null marker replaced a null version: %d chunks, want %d", got, before-(testK+testM))
	}
	e.versioning("sbkt", "Enabled")
	e.wantBody("sbkt", "k", a, "a")
	out, err := e.c.GetBucketVersioning(bg, &s3.GetBucketVersioningInput{Bucket: aws.String("sbkt")})
	if err != nil || out.Status != s3types.BucketVersioningStatusEnabled {
		t.Fatalf("GetBucketVersioning: %+v, %v", out, err)
	}
}

func TestS3ListVersionsPaging(t *testing.T) {
	e := newS3Env(t)
	e.bucket("lbkt", "")
	e.put("lbkt", "a/legacy", "l") // written before versioning: version null
	e.versioning("lbkt", "Enabled")
	keys := []string{"a/1", "a/2", "b", "b/c/d", "c"}
	var want []listed
	for i, k := range keys {
		var ids []string
		for j := 0; j <= i%3; j++ {
			ids = append(ids, e.put("lbkt", k, fmt.Sprintf("%s-%d", k, j)))
		}
		if i%2 == 1 {
			del, err := e.c.DeleteObject(bg, &s3.DeleteObjectInput{Bucket: aws.String("lbkt"), Key: aws.String(k)})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, aws.ToString(del.VersionId)+"#marker")
		}
		var entries []listed
		for j := len(ids) - 1; j >= 0; j-- {
			id, isMarker := strings.CutSuffix(ids[j], "#marker")
			entries = append(entries, listed{k, id, j == len(ids)-1, isMarker})
		}
		want = append(want, entries...)
	}
	want = append([]listed{{"a/legacy", "null", true, false}}, want...)
	slices.SortStableFunc(want, func(a, b listed) int { return strings.Compare(a.key, b.key) })
	for _, max := range []int{1, 2, 3, 1000} {
		if got := e.listAll("lbkt", "", max); !slices.Equal(got, want) {
			t.Fatalf("max-keys %d: %v, want %v", max, got, want)
		}
	}
	var underA []listed
	for _, w := range want {
		if strings.HasPrefix(w.key, "a/") {
			underA = append(underA, w)
		}
	}
	if got := e.listAll("lbkt", "a/", 2); !slices.Equal(got, underA) {
		t.Fatalf("prefix a/: %v, want %v", got, underA)
	}
	out, err := e.c.ListObjectVersions(bg, &s3.ListObjectVersionsInput{Bucket: aws.String("lbkt"), Delimiter: aws.String("/")})
	if err != nil {
		t.Fatal(err)
	}
	var cps []string
	for _, p := range out.CommonPrefixes {
		cps = append(cps, aws.ToString(p.Prefix))
	}
	var top []string
	for _, v := range out.Versions {
		top = append(top, aws.ToString(v.Key))
	}
	for _, m := range out.DeleteMarkers {
		top = append(top, aws.ToString(m.Key))
	}
	slices.Sort(top)
	if !slices.Equal(cps, []string{"a/", "b/"}) || !slices.Equal(slices.Compact(top), []string{"b", "c"}) {
		t.Fatalf("delimiter /: prefixes %v, keys %v", cps, top)
	}
	// ListObjects skips keys whose latest is a delete marker ("b" is one).
	objs, err := e.c.ListObjectsV2(bg, &s3.ListObjectsV2Input{Bucket: aws.String("lbkt")})
	if err != nil {
		t.Fatal(err)
	}
	var live []string
	for _, o := range objs.Contents {
		live = append(live, aws.ToString(o.Key))
	}
	if !slices.Equal(live, []string{"a/1", "a/legacy", "b", "c"}) {
		t.Fatalf("ListObjectsV2: %v", live)
	}
}

func TestS3DeleteObjectsVersions(t *testing.T) {
	e := newS3Env(t)
	e.bucket("dbkt", "Enabled")
	v1 := e.put("dbkt", "x", "1")
	e.put("dbkt", "y", "1")
	out, err := e.c.DeleteObjects(bg, &s3.DeleteObjectsInput{Bucket: aws.String("dbkt"), Delete: &s3types.Delete{Objects: []s3types.ObjectIdentifier{
		{Key: aws.String("x"), VersionId: aws.String(v1)},
		{Key: aws.String("y")},
		{Key: aws.String("z"), VersionId: aws.String("bad")},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Deleted) != 2 || len(out.Errors) != 1 || aws.ToString(out.Errors[0].Code) != "InvalidArgument" {
		t.Fatalf("DeleteObjects: deleted %+v errors %+v", out.Deleted, out.Errors)
	}
	for _, d := range out.Deleted {
		switch aws.ToString(d.Key) {
		case "x":
			if aws.ToString(d.VersionId) != v1 || aws.ToBool(d.DeleteMarker) {
				t.Errorf("x: %+v", d)
			}
		case "y":
			if !aws.ToBool(d.DeleteMarker) || len(aws.ToString(d.DeleteMarkerVersionId)) != 32 {
				t.Errorf("y: %+v, want a new delete marker", d)
			}
		}
	}
	if got := e.listAll("dbkt", "", 1000); len(got) != 2 || !got[0].marker || got[0].key != "y" || !got[0].latest {
		t.Fatalf("versions: %v, want y's version and marker", got)
	}
}

func TestS3CopyVersion(t *testing.T) {
	e := newS3Env(t)
	e.bucket("cbkt", "Enabled")
	old := e.put("cbkt", "src", "old")
	e.put("cbkt", "src", "new")
	out, err := e.c.CopyObject(bg, &s3.CopyObjectInput{Bucket: aws.String("cbkt"), Key: aws.String("dst"),
		CopySource: aws.String("cbkt/src?versionId=" + old)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.CopySourceVersionId) != old || len(aws.ToString(out.VersionId)) != 32 {
		t.Fatalf("copy: source version %q, version %q", aws.ToString(out.CopySourceVersionId), aws.ToString(out.VersionId))
	}
	e.wantBody("cbkt", "dst", aws.ToString(out.VersionId), "old")
	// Copying an old version onto its own key restores it.
	if _, err := e.c.CopyObject(bg, &s3.CopyObjectInput{Bucket: aws.String("cbkt"), Key: aws.String("src"),
		CopySource: aws.String("cbkt/src?versionId=" + old)}); err != nil {
		t.Fatalf("restore by copy: %v", err)
	}
	e.wantBody("cbkt", "src", "", "old")
	del, err := e.c.DeleteObject(bg, &s3.DeleteObjectInput{Bucket: aws.String("cbkt"), Key: aws.String("src")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.c.CopyObject(bg, &s3.CopyObjectInput{Bucket: aws.String("cbkt"), Key: aws.String("d2"),
		CopySource: aws.String("cbkt/src?versionId=" + aws.ToString(del.VersionId))})
	wantErr(t, "copy from a delete marker", err, "InvalidRequest", 400)
	_, err = e.c.CopyObject(bg, &s3.CopyObjectInput{Bucket: aws.String("cbkt"), Key: aws.String("d2"), CopySource: aws.String("cbkt/src")})
	wantErr(t, "copy from a key whose latest is a marker", err, "NoSuchKey", 404)
	tag, err := e.c.PutObjectTagging(bg, &s3.PutObjectTaggingInput{Bucket: aws.String("cbkt"), Key: aws.String("src"), VersionId: aws.String(old),
		Tagging: &s3types.Tagging{TagSet: []s3types.Tag{{Key: aws.String("t"), Value: aws.String("v")}}}})
	if err != nil || aws.ToString(tag.VersionId) != old {
		t.Fatalf("tag an old version: %+v, %v", tag, err)
	}
	tags, err := e.c.GetObjectTagging(bg, &s3.GetObjectTaggingInput{Bucket: aws.String("cbkt"), Key: aws.String("src"), VersionId: aws.String(old)})
	if err != nil || len(tags.TagSet) != 1 {
		t.Fatalf("tags of the old version: %+v, %v", tags, err)
	}
}
