package user

// Versions, delete markers and Object Lock: the Layer's side of
// docs/versioning.md. Every rule about which version a request names and
// whether it may be removed lives in meta, applied under its lock; the Layer
// translates types and errors.

import (
	"context"
	"errors"
	"time"

	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/gateway"
)

// version reads the version versionID ("" latest) of bucket/key, turning a
// delete marker into the error the gateway answers it with (the marker is
// returned with it).
func (l *Layer) version(bucket, key, versionID string) (meta.Object, error) {
	o, err := l.meta.Version(bucket, key, versionID)
	if err != nil {
		return o, err
	}
	if o.DeleteMarker {
		if versionID == "" {
			return o, meta.ErrNoSuchKey
		}
		return o, meta.ErrDeleteMarker
	}
	return o, nil
}

// withLock is o's ObjectInfo with its Object Lock state.
func (l *Layer) withLock(bucket, key string, o meta.Object) (gateway.ObjectInfo, error) {
	info := objectInfo(bucket, key, o)
	lk, err := l.meta.LockOf(o.ID)
	info.Lock = gatewayLock(lk)
	return info, err
}

func gatewayLock(l meta.Lock) gateway.ObjectLock {
	return gateway.ObjectLock{Mode: l.Mode, RetainUntil: l.RetainUntil, LegalHold: l.LegalHold}
}

func metaLock(l gateway.ObjectLock) meta.Lock {
	return meta.Lock{Mode: l.Mode, RetainUntil: l.RetainUntil, LegalHold: l.LegalHold}
}

func (l *Layer) ObjectInfo(ctx context.Context, bucket, key, versionID string) (_ gateway.ObjectInfo, err error) {
	defer translate(&err)
	if _, err := l.meta.Bucket(bucket); err != nil {
		return gateway.ObjectInfo{}, err
	}
	o, err := l.version(bucket, key, versionID)
	if err != nil {
		return objectInfo(bucket, key, o), err
	}
	info, err := l.withLock(bucket, key, o)
	if err == nil && l.cfg.Proven != nil {
		if ref, lerr := l.locate(o.ID); lerr == nil {
			l.addProvenEpoch(&info, ref.lay)
		}
	}
	return info, err
}

func (l *Layer) DeleteObject(ctx context.Context, bucket, key string, opts gateway.DeleteOptions) (_ gateway.ObjectInfo, err error) {
	defer translate(&err)
	mopts := meta.DeleteOptions{VersionID: opts.VersionID, BypassGovernance: opts.BypassGovernance,
		Marker: meta.Object{ModTime: time.Now().UTC(), ACL: opts.ACL}}
	if opts.IfMatch != "" {
		mopts.Check = func(o *meta.Object) error {
			if o == nil {
				return opts.CheckDelete(gateway.ObjectInfo{}, false)
			}
			return opts.CheckDelete(objectInfo(bucket, key, *o), true)
		}
	}
	o, err := l.meta.Delete(bucket, key, mopts)
	if err != nil {
		if opts.VersionID == "" && errors.Is(err, meta.ErrNoSuchKey) {
			return gateway.ObjectInfo{}, nil
		}
		return gateway.ObjectInfo{}, err
	}
	l.kickGC() // a removed version, or a null version a marker replaced
	return objectInfo(bucket, key, o), nil
}

func (l *Layer) ListObjectVersions(ctx context.Context, bucket string, opts gateway.ListVersionsOptions) (_ gateway.ListVersionsResult, err error) {
	defer translate(&err)
	page, err := l.meta.ListVersions(bucket, meta.VersionListOptions{Prefix: opts.Prefix, Delimiter: opts.Delimiter,
		KeyMarker: opts.KeyMarker, VersionIDMarker: opts.VersionIDMarker, MaxKeys: opts.MaxKeys})
	res := gateway.ListVersionsResult{CommonPrefixes: page.CommonPrefixes, IsTruncated: page.IsTruncated,
		NextKeyMarker: page.NextKeyMarker, NextVersionIDMarker: page.NextVersionIDMarker}
	for _, v := range page.Versions {
		info := objectInfo(bucket, v.Key, v.Object)
		info.VersionID, info.IsLatest = v.Version(), v.IsLatest
		res.Versions = append(res.Versions, info)
	}
	return res, err
}

func (l *Layer) SetBucketVersioning(ctx context.Context, bucket, status string) (err error) {
	defer translate(&err)
	return l.meta.SetVersioning(bucket, status)
}

func (l *Layer) SetObjectTags(ctx context.Context, bucket, key, versionID string, tags map[string]string) (_ gateway.ObjectInfo, err error) {
	defer translate(&err)
	return l.updateVersion(bucket, key, versionID, func(o *meta.Object) { o.Tags = tags })
}

func (l *Layer) SetObjectACL(ctx context.Context, bucket, key, versionID string, acl []byte) (err error) {
	defer translate(&err)
	_, err = l.updateVersion(bucket, key, versionID, func(o *meta.Object) { o.ACL = acl })
	return err
}

func (l *Layer) updateVersion(bucket, key, versionID string, fn func(*meta.Object)) (gateway.ObjectInfo, error) {
	if _, err := l.meta.Bucket(bucket); err != nil {
		return gateway.ObjectInfo{}, err
	}
	o, err := l.meta.UpdateVersion(bucket, key, versionID, func(o *meta.Object) error { fn(o); return nil })
	if errors.Is(err, meta.ErrDeleteMarker) && versionID == "" {
		err = meta.ErrNoSuchKey
	}
	return objectInfo(bucket, key, o), err
}

func (l *Layer) SetObjectLock(ctx context.Context, bucket, key, versionID string, fn func(gateway.ObjectLock) (gateway.ObjectLock, error)) (_ gateway.ObjectInfo, err error) {
	defer translate(&err)
	if _, err := l.meta.Bucket(bucket); err != nil {
		return gateway.ObjectInfo{}, err
	}
	o, lk, err := l.meta.SetLock(bucket, key, versionID, func(cur meta.Lock) (meta.Lock, error) {
		next, err := fn(gatewayLock(cur))
		return metaLock(next), err
	})
	if errors.Is(err, meta.ErrDeleteMarker) && versionID == "" {
		err = meta.ErrNoSuchKey
	}
	info := objectInfo(bucket, key, o)
	info.Lock = gatewayLock(lk)
	return info, err
}
