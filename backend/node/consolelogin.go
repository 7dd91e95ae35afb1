package node

// Console logins and the buckets part of Status. Credentials are compared
// in constant time and never logged.

import (
	"context"
	"crypto/subtle"
	"time"
)

// consoleLogin accepts the admin token (any name) or the root S3
// credentials.
func (u *User) consoleLogin(name, secret string) bool {
	eq := func(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
	if tok := u.cfg.S3.AdminToken; tok != "" && eq(secret, tok) {
		return true
	}
	root := u.cfg.Creds
	okName := eq(name, root.AccessKey)
	okSecret := eq(secret, root.SecretKey)
	return root.AccessKey != "" && okName && okSecret
}

// BucketStatus is one bucket as the console and `mefs status` show it.
type BucketStatus struct {
	Name    string    `json:"name"`
	Owner   string    `json:"owner,omitempty"`
	Created time.Time `json:"created"`
}

func (u *User) bucketStatus(ctx context.Context) ([]BucketStatus, error) {
	bs, err := u.Layer.ListBuckets(ctx)
	out := make([]BucketStatus, 0, len(bs))
	for _, b := range bs {
		out = append(out, BucketStatus{Name: b.Name, Owner: b.Owner, Created: b.Created})
	}
	return out, err
}
