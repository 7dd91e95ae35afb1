package user

import (
	"errors"
	"fmt"
	"testing"

	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/gateway"
)

func TestS3ErrorTranslatesStoreErrors(t *testing.T) {
	cases := []struct {
		in   error
		want *gateway.APIError
	}{
		{meta.ErrNoSuchBucket, gateway.ErrNoSuchBucket},
		{meta.ErrBucketExists, gateway.ErrBucketAlreadyOwnedByYou},
		{meta.ErrBucketNotEmpty, gateway.ErrBucketNotEmpty},
		{meta.ErrNoSuchKey, gateway.ErrNoSuchKey},
		{fmt.Errorf("layout of object x: %w", meta.ErrNoSuchKey), gateway.ErrNoSuchKey},
		{meta.ErrNoSuchUpload, gateway.ErrNoSuchUpload},
		{fmt.Errorf("part 3 was uploaded again: %w", meta.ErrPartChanged), gateway.ErrInvalidPart},
	}
	for _, c := range cases {
		got := s3Error(c.in)
		var ae *gateway.APIError
		if !errors.As(got, &ae) || ae.Code != c.want.Code || ae.Status != c.want.Status {
			t.Errorf("s3Error(%v) = %v, want %s", c.in, got, c.want.Code)
		}
		if !errors.Is(got, c.want) {
			t.Errorf("s3Error(%v) does not match %s with errors.Is", c.in, c.want.Code)
		}
	}
	if got := s3Error(fmt.Errorf("part 3 was uploaded again: %w", meta.ErrPartChanged)); !errors.As(got, new(*gateway.APIError)) ||
		got.(*gateway.APIError).Message != "part 3 was uploaded again: "+meta.ErrPartChanged.Error() {
		t.Errorf("a changed part's message is lost: %v", got)
	}
	internal := errors.New("disk on fire")
	if got := s3Error(internal); got != internal {
		t.Errorf("s3Error changed an internal error: %v", got)
	}
	if s3Error(nil) != nil {
		t.Error("s3Error(nil) is not nil")
	}
}
