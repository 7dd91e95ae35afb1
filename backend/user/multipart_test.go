package user

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/mefs-project/mefs/gateway"
)

// Uploads of one key are listed in the order they were initiated, as S3
// lists them: their ids begin with the time.
func TestUploadsListedInInitiationOrder(t *testing.T) {
	l, _, _, _ := newMemLayer(t, testK+testM)
	ctx := context.Background()
	var want []string
	for range 6 {
		id, err := l.NewMultipartUpload(ctx, "bkt", "same", gateway.PutOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, id)
		time.Sleep(time.Microsecond)
	}
	res, err := l.ListMultipartUploads(ctx, "bkt", gateway.ListUploadsOptions{MaxUploads: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range res.Uploads {
		got = append(got, u.UploadID)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("uploads listed as\n%v\nwant the order they were initiated in\n%v", got, want)
	}
}
