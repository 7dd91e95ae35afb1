package user

// S3 behaviours found with mint's other client suites (aws-sdk-go-v2,
// awscli, s3cmd, minio-py, versioning), through the real gateway and Layer.

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// TestS3TooManyObjectTags: S3 refuses more than 10 tags on an object with
// BadRequest (mint's testObjectTaggingErrors); the other bad tag sets stay
// InvalidTag.
func TestS3TooManyObjectTags(t *testing.T) {
	e := newS3Env(t)
	e.bucket("tags", "")
	e.put("tags", "k", "tagged")
	var eleven []s3types.Tag
	for i := range 11 {
		eleven = append(eleven, s3types.Tag{Key: aws.String(fmt.Sprint("k", i)), Value: aws.String("v")})
	}
	put := func(tags []s3types.Tag) error {
		_, err := e.c.PutObjectTagging(bg, &s3.PutObjectTaggingInput{Bucket: aws.String("tags"), Key: aws.String("k"),
			Tagging: &s3types.Tagging{TagSet: tags}})
		return err
	}
	wantErr(t, "11 tags", put(eleven), "BadRequest", 400)
	if err := put(eleven[:10]); err != nil {
		t.Fatalf("10 tags: %v", err)
	}
	dup := []s3types.Tag{{Key: aws.String("d"), Value: aws.String("1")}, {Key: aws.String("d"), Value: aws.String("2")}}
	wantErr(t, "a repeated key", put(dup), "InvalidTag", 400)
	_, err := e.c.PutObject(bg, &s3.PutObjectInput{Bucket: aws.String("tags"), Key: aws.String("h"),
		Tagging: aws.String("a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11")})
	wantErr(t, "11 tags in x-amz-tagging", err, "BadRequest", 400)
}
