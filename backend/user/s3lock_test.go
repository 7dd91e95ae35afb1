package user

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mefs-project/mefs/backend/memo"
)

// lockBucket creates a bucket with Object Lock.
func (e *s3env) lockBucket(name string) {
	e.t.Helper()
	if _, err := e.c.CreateBucket(bg, &s3.CreateBucketInput{Bucket: aws.String(name), ObjectLockEnabledForBucket: aws.Bool(true)}); err != nil {
		e.t.Fatalf("create bucket %s with Object Lock: %v", name, err)
	}
}

func (e *s3env) deleteVersion(bucket, key, vid string, bypass bool) error {
	in := &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), VersionId: aws.String(vid)}
	if bypass {
		in.BypassGovernanceRetention = aws.Bool(true)
	}
	_, err := e.c.DeleteObject(bg, in)
	return err
}

func TestS3ObjectLockBucket(t *testing.T) {
	e := newS3Env(t)
	e.lockBucket("lockbkt")
	v, err := e.c.GetBucketVersioning(bg, &s3.GetBucketVersioningInput{Bucket: aws.String("lockbkt")})
	if err != nil || v.Status != s3types.BucketVersioningStatusEnabled {
		t.Fatalf("versioning of a lock bucket: %+v, %v", v, err)
	}
	_, err = e.c.PutBucketVersioning(bg, &s3.PutBucketVersioningInput{Bucket: aws.String("lockbkt"),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusSuspended}})
	wantErr(t, "suspend versioning under Object Lock", err, "InvalidBucketState", 409)

	put := func(r *s3types.DefaultRetention) error {
		_, err := e.c.PutObjectLockConfiguration(bg, &s3.PutObjectLockConfigurationInput{Bucket: aws.String("lockbkt"),
			ObjectLockConfiguration: &s3types.ObjectLockConfiguration{ObjectLockEnabled: s3types.ObjectLockEnabledEnabled,
				Rule: &s3types.ObjectLockRule{DefaultRetention: r}}})
		return err
	}
	bad := []struct {
		name string
		r    *s3types.DefaultRetention
		code string
	}{
		{"days and years", &s3types.DefaultRetention{Mode: s3types.ObjectLockRetentionModeGovernance, Days: aws.Int32(1), Years: aws.Int32(1)}, "MalformedXML"},
		{"no period", &s3types.DefaultRetention{Mode: s3types.ObjectLockRetentionModeGovernance}, "MalformedXML"},
		{"negative years", &s3types.DefaultRetention{Mode: s3types.ObjectLockRetentionModeGovernance, Years: aws.Int32(-1)}, "InvalidRetentionPeriod"},
		{"lower-case mode", &s3types.DefaultRetention{Mode: "governance", Days: aws.Int32(1)}, "MalformedXML"},
	}
	for _, c := range bad {
		wantErr(t, "lock configuration with "+c.name, put(c.r), c.code, 400)
	}
	if err := put(&s3types.DefaultRetention{Mode: s3types.ObjectLockRetentionModeGovernance, Days: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	conf, err := e.c.GetObjectLockConfiguration(bg, &s3.GetObjectLockConfigurationInput{Bucket: aws.String("lockbkt")})
	if err != nil || conf.ObjectLockConfiguration.Rule == nil || aws.ToInt32(conf.ObjectLockConfiguration.Rule.DefaultRetention.Days) != 1 {
		t.Fatalf("GetObjectLockConfiguration: %+v, %v", conf, err)
	}
	// The default retention applies to a PUT without lock headers.
	vid := e.put("lockbkt", "k", "data")
	head, err := e.c.HeadObject(bg, &s3.HeadObjectInput{Bucket: aws.String("lockbkt"), Key: aws.String("k")})
	if err != nil || head.ObjectLockMode != s3types.ObjectLockModeGovernance ||
		time.Until(aws.ToTime(head.ObjectLockRetainUntilDate)) < 23*time.Hour {
		t.Fatalf("head of a version under default retention: %+v, %v", head, err)
	}
	wantErr(t, "delete a version under GOVERNANCE", e.deleteVersion("lockbkt", "k", vid, false), "AccessDenied", 403)
	// A delete without version id only adds a marker.
	if _, err := e.c.DeleteObject(bg, &s3.DeleteObjectInput{Bucket: aws.String("lockbkt"), Key: aws.String("k")}); err != nil {
		t.Fatalf("delete marker in a lock bucket: %v", err)
	}
	e.wantBody("lockbkt", "k", vid, "data")
	if err := e.deleteVersion("lockbkt", "k", vid, true); err != nil {
		t.Fatalf("delete with bypass-governance: %v", err)
	}

	// A bucket without Object Lock refuses its requests.
	e.bucket("plainbkt", "")
	e.put("plainbkt", "k", "x")
	_, err = e.c.GetObjectLockConfiguration(bg, &s3.GetObjectLockConfigurationInput{Bucket: aws.String("plainbkt")})
	wantErr(t, "lock configuration of a plain bucket", err, "ObjectLockConfigurationNotFoundError", 404)
	_, err = e.c.PutObjectLockConfiguration(bg, &s3.PutObjectLockConfigurationInput{Bucket: aws.String("plainbkt"),
		ObjectLockConfiguration: &s3types.ObjectLockConfiguration{ObjectLockEnabled: s3types.ObjectLockEnabledEnabled}})
	wantErr(t, "enable Object Lock on an unversioned bucket", err, "InvalidBucketState", 409)
	_, err = e.c.PutObjectRetention(bg, &s3.PutObjectRetentionInput{Bucket: aws.String("plainbkt"), Key: aws.String("k"),
		Retention: &s3types.ObjectLockRetention{Mode: s3types.ObjectLockRetentionModeGovernance, RetainUntilDate: aws.Time(time.Now().Add(time.Hour))}})
	wantErr(t, "retention in a plain bucket", err, "InvalidRequest", 400)
	_, err = e.c.GetObjectLegalHold(bg, &s3.GetObjectLegalHoldInput{Bucket: aws.String("plainbkt"), Key: aws.String("k")})
	wantErr(t, "legal hold in a plain bucket", err, "InvalidRequest", 400)
	_, err = e.c.PutObject(bg, &s3.PutObjectInput{Bucket: aws.String("plainbkt"), Key: aws.String("k"), Body: strings.NewReader("x"),
		ObjectLockLegalHoldStatus: s3types.ObjectLockLegalHoldStatusOn})
	wantErr(t, "lock headers in a plain bucket", err, "InvalidRequest", 400)
	// A versioned bucket may take Object Lock later.
	e.versioning("plainbkt", "Enabled")
	_, err = e.c.PutObjectLockConfiguration(bg, &s3.PutObjectLockConfigurationInput{Bucket: aws.String("plainbkt"),
		ObjectLockConfiguration: &s3types.ObjectLockConfiguration{ObjectLockEnabled: s3types.ObjectLockEnabledEnabled}})
	if err != nil {
		t.Fatalf("enable Object Lock on a versioned bucket: %v", err)
	}
}

func TestS3ObjectRetentionRules(t *testing.T) {
	e := newS3Env(t)
	e.lockBucket("retbkt")
	soon := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	later := soon.Add(time.Hour)
	out, err := e.c.PutObject(bg, &s3.PutObjectInput{Bucket: aws.String("retbkt"), Key: aws.String("c"), Body: strings.NewReader("c"),
		ObjectLockMode: s3types.ObjectLockModeCompliance, ObjectLockRetainUntilDate: aws.Time(soon)})
	if err != nil {
		t.Fatal(err)
	}
	cv := aws.ToString(out.VersionId)
	retention := func(key, vid string, mode s3types.ObjectLockRetentionMode, until time.Time, bypass bool) error {
		in := &s3.PutObjectRetentionInput{Bucket: aws.String("retbkt"), Key: aws.String(key), VersionId: aws.String(vid),
			Retention: &s3types.ObjectLockRetention{Mode: mode, RetainUntilDate: aws.Time(until)}}
		if bypass {
			in.BypassGovernanceRetention = aws.Bool(true)
		}
		_, err := e.c.PutObjectRetention(bg, in)
		return err
	}
	gv := e.put("retbkt", "g", "g")
	if err := retention("g", gv, s3types.ObjectLockRetentionModeGovernance, later, false); err != nil {
		t.Fatalf("set GOVERNANCE retention: %v", err)
	}
	cases := []struct {
		name, key, vid string
		mode           s3types.ObjectLockRetentionMode
		until          time.Time
		bypass         bool
		code           string // "" succeeds
	}{
		{"shorten COMPLIANCE", "c", cv, s3types.ObjectLockRetentionModeCompliance, soon.Add(-time.Minute), true, "AccessDenied"},
		{"COMPLIANCE to GOVERNANCE", "c", cv, s3types.ObjectLockRetentionModeGovernance, later, true, "AccessDenied"},
		{"extend COMPLIANCE", "c", cv, s3types.ObjectLockRetentionModeCompliance, later, false, ""},
		{"shorten GOVERNANCE", "g", gv, s3types.ObjectLockRetentionModeGovernance, soon, false, "AccessDenied"},
		{"GOVERNANCE to COMPLIANCE without bypass", "g", gv, s3types.ObjectLockRetentionModeCompliance, later, false, "AccessDenied"},
		{"shorten GOVERNANCE with bypass", "g", gv, s3types.ObjectLockRetentionModeGovernance, soon, true, ""},
		{"lower-case mode", "g", gv, "governance", later, false, "MalformedXML"},
	}
	for _, c := range cases {
		err := retention(c.key, c.vid, c.mode, c.until, c.bypass)
		if c.code == "" && err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		if c.code != "" && errCode(err) != c.code {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
	got, err := e.c.GetObjectRetention(bg, &s3.GetObjectRetentionInput{Bucket: aws.String("retbkt"), Key: aws.String("c"), VersionId: aws.String(cv)})
	if err != nil || got.Retention.Mode != s3types.ObjectLockRetentionModeCompliance || !aws.ToTime(got.Retention.RetainUntilDate).Equal(later) {
		t.Fatalf("retention of the COMPLIANCE version: %+v, %v", got, err)
	}
	wantErr(t, "delete under COMPLIANCE with bypass", e.deleteVersion("retbkt", "c", cv, true), "AccessDenied", 403)

	// Legal hold forbids removal even with bypass, until it is lifted.
	hold := func(status s3types.ObjectLockLegalHoldStatus) {
		t.Helper()
		if _, err := e.c.PutObjectLegalHold(bg, &s3.PutObjectLegalHoldInput{Bucket: aws.String("retbkt"), Key: aws.String("h"),
			LegalHold: &s3types.ObjectLockLegalHold{Status: status}}); err != nil {
			t.Fatalf("legal hold %s: %v", status, err)
		}
	}
	hv := e.put("retbkt", "h", "h")
	hold(s3types.ObjectLockLegalHoldStatusOn)
	lh, err := e.c.GetObjectLegalHold(bg, &s3.GetObjectLegalHoldInput{Bucket: aws.String("retbkt"), Key: aws.String("h")})
	if err != nil || lh.LegalHold.Status != s3types.ObjectLockLegalHoldStatusOn {
		t.Fatalf("GetObjectLegalHold: %+v, %v", lh, err)
	}
	wantErr(t, "delete under legal hold", e.deleteVersion("retbkt", "h", hv, true), "AccessDenied", 403)
	res, err := e.c.DeleteObjects(bg, &s3.DeleteObjectsInput{Bucket: aws.String("retbkt"), BypassGovernanceRetention: aws.Bool(true),
		Delete: &s3types.Delete{Objects: []s3types.ObjectIdentifier{{Key: aws.String("h"), VersionId: aws.String(hv)}, {Key: aws.String("g"), VersionId: aws.String(gv)}}}})
	if err != nil || len(res.Errors) != 1 || aws.ToString(res.Errors[0].Key) != "h" || aws.ToString(res.Errors[0].Code) != "AccessDenied" ||
		aws.ToString(res.Errors[0].VersionId) != hv || len(res.Deleted) != 1 {
		t.Fatalf("DeleteObjects of a held and a bypassed version: %+v, %v", res, err)
	}
	hold(s3types.ObjectLockLegalHoldStatusOff)
	if err := e.deleteVersion("retbkt", "h", hv, false); err != nil {
		t.Fatalf("delete after the hold is lifted: %v", err)
	}
	_, err = e.c.PutObjectLegalHold(bg, &s3.PutObjectLegalHoldInput{Bucket: aws.String("retbkt"), Key: aws.String("c"),
		LegalHold: &s3types.ObjectLockLegalHold{Status: "maybe"}})
	wantErr(t, "legal hold status maybe", err, "MalformedXML", 400)
}

func TestS3LockedChunksSurviveGarbage(t *testing.T) {
	e := newS3Env(t)
	e.lockBucket("gcbkt")
	until := time.Now().Add(time.Hour)
	mk := func(key string, in *s3.CreateMultipartUploadInput) string {
		in.Bucket, in.Key = aws.String("gcbkt"), aws.String(key)
		up, err := e.c.CreateMultipartUpload(bg, in)
		if err != nil {
			t.Fatal(err)
		}
		part, err := e.c.UploadPart(bg, &s3.UploadPartInput{Bucket: aws.String("gcbkt"), Key: aws.String(key), UploadId: up.UploadId,
			PartNumber: aws.Int32(1), Body: bytes.NewReader([]byte("part"))})
		if err != nil {
			t.Fatal(err)
		}
		done, err := e.c.CompleteMultipartUpload(bg, &s3.CompleteMultipartUploadInput{Bucket: aws.String("gcbkt"), Key: aws.String(key),
			UploadId: up.UploadId, MultipartUpload: &s3types.CompletedMultipartUpload{Parts: []s3types.CompletedPart{{ETag: part.ETag, PartNumber: aws.Int32(1)}}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(aws.ToString(done.VersionId)) != 32 {
			t.Fatalf("CompleteMultipartUpload answered version %q", aws.ToString(done.VersionId))
		}
		return aws.ToString(done.VersionId)
	}
	cv := mk("compliance", &s3.CreateMultipartUploadInput{ObjectLockMode: s3types.ObjectLockModeCompliance, ObjectLockRetainUntilDate: aws.Time(until)})
	hv := mk("held", &s3.CreateMultipartUploadInput{ObjectLockLegalHoldStatus: s3types.ObjectLockLegalHoldStatusOn})
	wantErr(t, "delete a multipart COMPLIANCE version", e.deleteVersion("gcbkt", "compliance", cv, true), "AccessDenied", 403)
	wantErr(t, "delete a multipart held version", e.deleteVersion("gcbkt", "held", hv, false), "AccessDenied", 403)

	// Even if the locked data were queued as garbage by mistake, the
	// collector keeps it.
	e.collect()
	before := e.chunks()
	for _, key := range []string{"compliance", "held"} {
		o, err := e.meta.Object("gcbkt", key)
		if err != nil {
			t.Fatal(err)
		}
		l, err := e.meta.Layout(o.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range l.DataIDs(o.ID) {
			if err := e.meta.AddGarbage(id, l.Providers); err != nil {
				t.Fatal(err)
			}
		}
	}
	e.collect()
	if got := e.chunks(); got != before {
		t.Fatalf("collector deleted locked chunks: %d left of %d", got, before)
	}
	e.wantBody("gcbkt", "compliance", cv, "part")
	e.wantBody("gcbkt", "held", hv, "part")
	// Once the hold is lifted the version can go, and its chunks with it.
	if _, err := e.c.PutObjectLegalHold(bg, &s3.PutObjectLegalHoldInput{Bucket: aws.String("gcbkt"), Key: aws.String("held"),
		LegalHold: &s3types.ObjectLockLegalHold{Status: s3types.ObjectLockLegalHoldStatusOff}}); err != nil {
		t.Fatal(err)
	}
	if err := e.deleteVersion("gcbkt", "held", hv, false); err != nil {
		t.Fatal(err)
	}
	e.collect()
	if got := e.chunks(); got != before-(testK+testM) {
		t.Fatalf("after deleting the unheld version: %d chunks, want %d", got, before-(testK+testM))
	}
	var none memo.DataID
	if held, err := e.meta.Held(none, time.Now()); err != nil || held {
		t.Fatalf("Held of unknown data: %v, %v", held, err)
	}
}
