package gateway

// Invariants:
//   - Lifecycle acts only through the ObjectLayer, as a client would: it
//     expires a current version with a plain DeleteObject (a delete marker
//     in a versioned bucket), conditional on the ETag it listed, so an
//     object replaced since the listing is left alone; it removes
//     noncurrent versions and expired delete markers by version id, and
//     aborts uploads by upload id.
//   - A noncurrent version's age counts from when it stopped being current:
//     the ModTime of the version listed just before it (its successor).
//     The NewerNoncurrentVersions newest noncurrent versions are kept.
//   - A delete marker is removed only when it is the key's only version:
//     by ExpiredObjectDeleteMarker at once, by an Expiration once it is as
//     old as the rule's days (or past its date), as S3 does.
//   - What Object Lock protects stays (the layer refuses; the pass goes
//     on). A failing bucket does not stop the pass over the others.

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// Lifecycle carries out buckets' lifecycle rules: it expires objects and
// noncurrent versions, removes expired delete markers and aborts
// incomplete multipart uploads, in passes over every bucket with rules.
type Lifecycle struct {
	Layer ObjectLayer
	Log   *slog.Logger
	// Day is the length of a rule's day (0: 24 h, expiry dates rounded up
	// to midnight UTC as in S3). Shorter days are for tests.
	Day time.Duration
	// Interval is the pause between passes (0: an hour, or a quarter of a
	// shortened Day).
	Interval time.Duration
	// Now is the clock (nil: time.Now).
	Now func() time.Time

	mu     sync.Mutex
	totals LifecycleStats // of every pass Run made
}

// LifecycleStats counts what a pass did.
type LifecycleStats struct {
	Expired           int // current versions expired
	NoncurrentRemoved int // noncurrent versions removed
	MarkersRemoved    int // expired delete markers removed
	UploadsAborted    int // incomplete multipart uploads aborted
	Errors            int // actions that failed (logged)
}

// Totals sums what the passes Run made did.
func (lc *Lifecycle) Totals() LifecycleStats {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return lc.totals
}

func (st *LifecycleStats) add(o LifecycleStats) {
	st.Expired += o.Expired
	st.NoncurrentRemoved += o.NoncurrentRemoved
	st.MarkersRemoved += o.MarkersRemoved
	st.UploadsAborted += o.UploadsAborted
	st.Errors += o.Errors
}

func (st LifecycleStats) total() int {
	return st.Expired + st.NoncurrentRemoved + st.MarkersRemoved + st.UploadsAborted
}

// Run makes passes until ctx ends: the first a minute after it starts (a
// gateway restarted more often than Interval still applies its rules),
// then one every Interval.
func (lc *Lifecycle) Run(ctx context.Context) {
	t := time.NewTimer(min(lc.interval(), time.Minute))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		t.Reset(lc.interval())
		st, err := lc.Pass(ctx)
		lc.mu.Lock()
		lc.totals.add(st)
		lc.mu.Unlock()
		switch {
		case err != nil && ctx.Err() == nil:
			lc.log().Warn("lifecycle pass failed", "err", err)
		case st.total() > 0 || st.Errors > 0:
			lc.log().Info("lifecycle pass", "expired", st.Expired, "noncurrent_removed", st.NoncurrentRemoved,
				"markers_removed", st.MarkersRemoved, "uploads_aborted", st.UploadsAborted, "errors", st.Errors)
		}
	}
}

func (lc *Lifecycle) interval() time.Duration {
	switch {
	case lc.Interval > 0:
		return lc.Interval
	case lc.Day > 0 && lc.Day != 24*time.Hour:
		return max(lc.Day/4, 10*time.Millisecond)
	}
	return time.Hour
}

func (lc *Lifecycle) now() time.Time {
	if lc.Now != nil {
		return lc.Now()
	}
	return time.Now()
}

func (lc *Lifecycle) log() *slog.Logger {
	if lc.Log != nil {
		return lc.Log
	}
	return slog.Default()
}

// Pass applies every bucket's rules once. It fails only if the buckets
// cannot be listed; a bucket that fails is logged and counted.
func (lc *Lifecycle) Pass(ctx context.Context) (LifecycleStats, error) {
	var st LifecycleStats
	buckets, err := lc.Layer.ListBuckets(ctx)
	if err != nil {
		return st, err
	}
	for _, b := range buckets {
		info, err := lc.Layer.BucketInfo(ctx, b.Name)
		if err == nil {
			c := parseLifecycle(info.Config[cfgLifecycle])
			if c == nil {
				continue
			}
			err = lc.bucket(ctx, info.Name, c, &st)
		}
		if errors.Is(err, ErrNoSuchBucket) {
			continue // deleted during the pass
		}
		if err != nil {
			if ctx.Err() != nil {
				return st, ctx.Err()
			}
			st.Errors++
			lc.log().Warn("lifecycle: bucket pass failed", "bucket", b.Name, "err", err)
		}
	}
	return st, nil
}

// bucket applies rules c to one bucket.
func (lc *Lifecycle) bucket(ctx context.Context, bucket string, c *lifecycleConfig, st *LifecycleStats) error {
	now := lc.now()
	if c.has(func(r *lifecycleRule) bool { return r.Expiration != nil || r.NoncurrentVersionExpiration != nil }) {
		if err := lc.versions(ctx, bucket, c, now, st); err != nil {
			return err
		}
	}
	if c.has(func(r *lifecycleRule) bool { return r.AbortIncompleteMultipartUpload != nil }) {
		return lc.uploads(ctx, bucket, c, now, st)
	}
	return nil
}

// has reports whether an enabled rule satisfies f.
func (c *lifecycleConfig) has(f func(*lifecycleRule) bool) bool {
	for i := range c.Rules {
		if c.Rules[i].Status == "Enabled" && f(&c.Rules[i]) {
			return true
		}
	}
	return false
}

// listPrefix is the longest prefix every enabled rule's prefix starts
// with: nothing outside it can match.
func (c *lifecycleConfig) listPrefix() string {
	p, first := "", true
	for i := range c.Rules {
		rule := &c.Rules[i]
		if rule.Status != "Enabled" {
			continue
		}
		rp := rule.prefix()
		if first {
			p, first = rp, false
			continue
		}
		n := 0
		for n < len(p) && n < len(rp) && p[n] == rp[n] {
			n++
		}
		p = p[:n]
	}
	return p
}

// versions walks the bucket's versions key by key.
func (lc *Lifecycle) versions(ctx context.Context, bucket string, c *lifecycleConfig, now time.Time, st *LifecycleStats) error {
	opts := ListVersionsOptions{Prefix: c.listPrefix(), MaxKeys: 1000}
	var group []ObjectInfo // one key's versions, newest first
	for {
		page, err := lc.Layer.ListObjectVersions(ctx, bucket, opts)
		if err != nil {
			return err
		}
		for _, v := range page.Versions {
			if len(group) > 0 && group[0].Key != v.Key {
				lc.key(ctx, bucket, c, group, now, st)
				group = group[:0]
			}
			group = append(group, v)
		}
		if !page.IsTruncated {
			break
		}
		opts.KeyMarker, opts.VersionIDMarker = page.NextKeyMarker, page.NextVersionIDMarker
	}
	if len(group) > 0 {
		lc.key(ctx, bucket, c, group, now, st)
	}
	return ctx.Err()
}

// key applies the rules to one key's versions (newest first).
func (lc *Lifecycle) key(ctx context.Context, bucket string, c *lifecycleConfig, versions []ObjectInfo, now time.Time, st *LifecycleStats) {
	cur := versions[0]
	switch {
	case cur.DeleteMarker:
		if len(versions) == 1 && c.expiresMarker(cur, now, lc.Day) {
			lc.remove(ctx, bucket, cur, DeleteOptions{VersionID: cur.VersionID}, &st.MarkersRemoved, st)
		}
	default:
		cur = lc.withTags(ctx, bucket, c, cur)
		if at, _, ok := c.expiry(cur, lc.Day); ok && !now.Before(at) {
			lc.remove(ctx, bucket, cur, DeleteOptions{IfMatch: `"` + cur.ETag + `"`}, &st.Expired, st)
		}
	}
	for i := 1; i < len(versions); i++ {
		v := lc.withTags(ctx, bucket, c, versions[i])
		if c.noncurrentExpired(v, i-1, versions[i-1].ModTime, now, lc.Day) {
			lc.remove(ctx, bucket, v, DeleteOptions{VersionID: v.VersionID}, &st.NoncurrentRemoved, st)
		}
	}
}

// remove deletes what opts names of v, counting it in done.
func (lc *Lifecycle) remove(ctx context.Context, bucket string, v ObjectInfo, opts DeleteOptions, done *int, st *LifecycleStats) {
	_, err := lc.Layer.DeleteObject(ctx, bucket, v.Key, opts)
	switch {
	case err == nil:
		*done++
	case errors.Is(err, ErrAccessDenied), errors.Is(err, ErrPreconditionFailed),
		errors.Is(err, ErrNoSuchKey), errors.Is(err, ErrNoSuchVersion):
		// Locked, replaced or removed since the listing: nothing to do.
		lc.log().Debug("lifecycle: left alone", "bucket", bucket, "key", v.Key, "version", v.VersionID, "reason", err)
	case ctx.Err() == nil:
		st.Errors++
		lc.log().Warn("lifecycle: delete failed", "bucket", bucket, "key", v.Key, "version", v.VersionID, "err", err)
	}
}

// withTags fills in v's tags when a rule filters on tags and the listing
// left them out.
func (lc *Lifecycle) withTags(ctx context.Context, bucket string, c *lifecycleConfig, v ObjectInfo) ObjectInfo {
	if v.Tags != nil || v.DeleteMarker || !c.has((*lifecycleRule).hasTags) {
		return v
	}
	if full, err := lc.Layer.ObjectInfo(ctx, bucket, v.Key, v.VersionID); err == nil && full.Tags != nil {
		v.Tags = full.Tags
	} else {
		v.Tags = map[string]string{}
	}
	return v
}

// expiresMarker reports whether a rule removes a key's lone delete marker
// now: one with ExpiredObjectDeleteMarker at once, or, as S3 does, an
// Expiration of the marker's key once the marker is that old.
func (c *lifecycleConfig) expiresMarker(marker ObjectInfo, now time.Time, day time.Duration) bool {
	for i := range c.Rules {
		rule := &c.Rules[i]
		e := rule.Expiration
		if e != nil && e.ExpiredObjectDeleteMarker != nil && *e.ExpiredObjectDeleteMarker && rule.matches(marker.Key, 0, nil) {
			return true
		}
	}
	at, _, ok := c.expiry(marker, day)
	return ok && !now.Before(at)
}

// noncurrentExpired reports whether a rule removes noncurrent version v,
// which has newer noncurrent versions above it and stopped being current
// at since.
func (c *lifecycleConfig) noncurrentExpired(v ObjectInfo, newer int, since, now time.Time, day time.Duration) bool {
	for i := range c.Rules {
		rule := &c.Rules[i]
		n := rule.NoncurrentVersionExpiration
		if n == nil || n.NoncurrentDays == nil || !rule.matches(v.Key, v.Size, v.Tags) {
			continue
		}
		if n.NewerNoncurrentVersions != nil && newer < *n.NewerNoncurrentVersions {
			continue
		}
		if !now.Before(after(since, *n.NoncurrentDays, day)) {
			return true
		}
	}
	return false
}

// uploads aborts the bucket's uploads a rule has let run too long.
func (lc *Lifecycle) uploads(ctx context.Context, bucket string, c *lifecycleConfig, now time.Time, st *LifecycleStats) error {
	opts := ListUploadsOptions{Prefix: c.listPrefix(), MaxUploads: 1000}
	for {
		page, err := lc.Layer.ListMultipartUploads(ctx, bucket, opts)
		if err != nil {
			return err
		}
		for _, u := range page.Uploads {
			if !c.abortsUpload(u, now, lc.Day) {
				continue
			}
			err := lc.Layer.AbortMultipartUpload(ctx, bucket, u.Key, u.UploadID)
			switch {
			case err == nil:
				st.UploadsAborted++
			case errors.Is(err, ErrNoSuchUpload):
			case ctx.Err() != nil:
				return ctx.Err()
			default:
				st.Errors++
				lc.log().Warn("lifecycle: abort failed", "bucket", bucket, "key", u.Key, "upload", u.UploadID, "err", err)
			}
		}
		if !page.IsTruncated {
			return nil
		}
		opts.KeyMarker, opts.UploadIDMarker = page.NextKeyMarker, page.NextUploadIDMarker
	}
}

// abortsUpload reports whether a rule aborts upload u now.
func (c *lifecycleConfig) abortsUpload(u UploadInfo, now time.Time, day time.Duration) bool {
	for i := range c.Rules {
		rule := &c.Rules[i]
		a := rule.AbortIncompleteMultipartUpload
		if a == nil || a.DaysAfterInitiation == nil || rule.Status != "Enabled" || !strings.HasPrefix(u.Key, rule.prefix()) {
			continue
		}
		if !now.Before(after(u.Initiated, *a.DaysAfterInitiation, day)) {
			return true
		}
	}
	return false
}
