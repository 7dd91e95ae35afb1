package test

// S3 compatibility of listings: ListObjectsV2 and ListObjects (v1) compared
// with a brute-force expectation over awkward keys, for every combination of
// prefix, delimiter, page size, start-after / marker and URL encoding; and
// ListBuckets paging.

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// scListKeys returns ~150 keys chosen to trip up listing code.
func scListKeys() []string {
	keys := []string{
		"a", "a b", "a+b", "a%20b", "a%2Fb", "a=b&c", "a&b", "a/b", "a/b/c", "a/b/c/d/e/f/g", "a//b", "a/", "a-b", "a-b-c",
		"a-", "-a", "a.b", "a~b", "a'b", `a"b`, "a<b>", "a?b", "a#b", "a;b", "a:b", "a,b", "a@b", "a$b", "a!b", "a*b",
		"a(b)", "a[b]", "a{b}", "a|b", `a\b`, "a^b", "a`b", "ab", "abc/", "abc/d", "abc-d", "abc-d/e",
		"日本/語", "日本語", "日本-語/x", "\u00e9", "e\u0301", "😀/x", "😀-y", "ü-ö", "Ω/Ω/Ω", "\u00a0nbsp",
		"photos/2024/jan/1.jpg", "photos/2024/jan/2.jpg", "photos/2024/feb/1.jpg", "photos/2025/x", "photos-old/1",
		"photos.bak", "photo", "photos/", "photos//double", "photos/2024/", "photos/2024-summary",
		"deep/" + strings.Repeat("d/", 20) + "leaf", "deep/d/d/other", "deep/d/x-y-z", "deep/d-",
		" leading space", "trailing space ", "+plus", "%percent", "=eq", "&amp", "~tilde", "z", "zz/top", "zz-top",
		"x/%", "x/%%", "x/%2", "x/+", "x/ ", "x/-", "x/--", "x/-/-",
	}
	for i := range 40 {
		keys = append(keys, fmt.Sprintf("n/%03d", i))
	}
	for i := range 20 {
		keys = append(keys, fmt.Sprintf("n-%02d", i))
	}
	sort.Strings(keys)
	return keys
}

// scListEntry is one listing entry: an object key or a common prefix ("P:").
func scExpectList(keys []string, prefix, delim, marker string) []string {
	var out []string
	last := ""
	for _, k := range keys { // sorted
		if !strings.HasPrefix(k, prefix) || k <= marker {
			continue
		}
		if delim != "" {
			if i := strings.Index(k[len(prefix):], delim); i >= 0 {
				cp := k[:len(prefix)+i+len(delim)]
				if cp == marker || "P:"+cp == last {
					continue
				}
				last = "P:" + cp
				out = append(out, last)
				continue
			}
		}
		last = k
		out = append(out, k)
	}
	return out
}

type scListCase struct {
	v1         bool
	prefix     string
	delim      string
	start      string // start-after (v2) or marker (v1)
	maxKeys    int32
	encodeURL  bool
	fetchOwner bool
}

func (lc scListCase) String() string {
	v := "v2"
	if lc.v1 {
		v = "v1"
	}
	return fmt.Sprintf("%s prefix=%q delim=%q start=%q max=%d url=%v owner=%v", v, lc.prefix, lc.delim, lc.start, lc.maxKeys, lc.encodeURL, lc.fetchOwner)
}

// scRunList lists with lc page by page and returns the entries, checking
// each page's shape.
func scRunList(t *testing.T, c *s3.Client, bucket string, lc scListCase, sizes map[string]int64) []string {
	t.Helper()
	ctx := context.Background()
	dec := func(s *string) string {
		v := aws.ToString(s)
		if !lc.encodeURL {
			return v
		}
		d, err := url.QueryUnescape(v)
		if err != nil {
			t.Fatalf("%v: %q is not URL-encoded: %v", lc, v, err)
		}
		return d
	}
	var all []string
	var token, marker *string
	if lc.start != "" {
		marker = aws.String(lc.start)
	}
	var enc types.EncodingType
	if lc.encodeURL {
		enc = types.EncodingTypeUrl
	}
	for page := 0; ; page++ {
		if page > 400 {
			t.Fatalf("%v: listing does not end", lc)
		}
		var (
			contents  []types.Object
			prefixes  []types.CommonPrefix
			truncated bool
			next      *string
		)
		if lc.v1 {
			out, err := c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String(bucket), Prefix: aws.String(lc.prefix),
				Delimiter: aws.String(lc.delim), Marker: marker, MaxKeys: aws.Int32(lc.maxKeys), EncodingType: enc})
			if err != nil {
				t.Fatalf("%v: %v", lc, err)
			}
			contents, prefixes, truncated = out.Contents, out.CommonPrefixes, aws.ToBool(out.IsTruncated)
			if dec(out.Prefix) != lc.prefix || aws.ToInt32(out.MaxKeys) != lc.maxKeys || dec(out.Marker) != aws.ToString(marker) {
				t.Fatalf("%v: echoed prefix %q max-keys %d marker %q", lc, aws.ToString(out.Prefix), aws.ToInt32(out.MaxKeys), aws.ToString(out.Marker))
			}
			if lc.delim != "" && dec(out.Delimiter) != lc.delim {
				t.Fatalf("%v: echoed delimiter %q", lc, aws.ToString(out.Delimiter))
			}
			if lc.encodeURL != (out.EncodingType == types.EncodingTypeUrl) {
				t.Fatalf("%v: echoed encoding type %q", lc, out.EncodingType)
			}
			if truncated {
				switch {
				case out.NextMarker != nil:
					next = aws.String(dec(out.NextMarker))
				case lc.delim != "":
					t.Fatalf("%v: truncated page with a delimiter lacks NextMarker", lc)
				default:
					next = aws.String(dec(contents[len(contents)-1].Key))
				}
				marker = next
			}
			for _, o := range contents {
				if o.Owner == nil || aws.ToString(o.Owner.ID) == "" {
					t.Fatalf("%v: v1 entry %q without an owner", lc, aws.ToString(o.Key))
				}
			}
		} else {
			out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(lc.prefix),
				Delimiter: aws.String(lc.delim), StartAfter: marker, ContinuationToken: token, MaxKeys: aws.Int32(lc.maxKeys),
				EncodingType: enc, FetchOwner: aws.Bool(lc.fetchOwner)})
			if err != nil {
				t.Fatalf("%v: %v", lc, err)
			}
			contents, prefixes, truncated = out.Contents, out.CommonPrefixes, aws.ToBool(out.IsTruncated)
			if int(aws.ToInt32(out.KeyCount)) != len(contents)+len(prefixes) {
				t.Fatalf("%v: KeyCount %d for %d entries", lc, aws.ToInt32(out.KeyCount), len(contents)+len(prefixes))
			}
			if dec(out.Prefix) != lc.prefix || aws.ToInt32(out.MaxKeys) != lc.maxKeys || aws.ToString(out.ContinuationToken) != aws.ToString(token) ||
				dec(out.StartAfter) != lc.start {
				t.Fatalf("%v: echoed prefix %q max-keys %d token %q start-after %q", lc, aws.ToString(out.Prefix), aws.ToInt32(out.MaxKeys),
					aws.ToString(out.ContinuationToken), aws.ToString(out.StartAfter))
			}
			if truncated {
				if aws.ToString(out.NextContinuationToken) == "" {
					t.Fatalf("%v: truncated page without NextContinuationToken", lc)
				}
				token = out.NextContinuationToken
			} else if out.NextContinuationToken != nil {
				t.Fatalf("%v: last page carries NextContinuationToken", lc)
			}
			for _, o := range contents {
				if (o.Owner != nil) != lc.fetchOwner {
					t.Fatalf("%v: owner %+v with fetch-owner %v", lc, o.Owner, lc.fetchOwner)
				}
			}
		}
		if n := len(contents) + len(prefixes); n > int(lc.maxKeys) || (truncated && n != int(lc.maxKeys)) {
			t.Fatalf("%v: page %d holds %d entries (truncated %v)", lc, page, n, truncated)
		}
		var entries []string
		for _, o := range contents {
			k := dec(o.Key)
			size, ok := sizes[k]
			if !ok {
				t.Fatalf("%v: listed unknown key %q (raw %q)", lc, k, aws.ToString(o.Key))
			}
			if aws.ToInt64(o.Size) != size || aws.ToString(o.ETag) != `"`+scMD5Hex([]byte(k))+`"` || o.LastModified == nil ||
				o.StorageClass != types.ObjectStorageClassStandard {
				t.Fatalf("%v: entry %q: size %d etag %s modified %v class %q", lc, k, aws.ToInt64(o.Size), aws.ToString(o.ETag), o.LastModified, o.StorageClass)
			}
			entries = append(entries, k)
		}
		for _, p := range prefixes {
			entries = append(entries, "P:"+dec(p.Prefix))
		}
		sort.Slice(entries, func(i, j int) bool {
			return strings.TrimPrefix(entries[i], "P:") < strings.TrimPrefix(entries[j], "P:")
		})
		all = append(all, entries...)
		if !truncated {
			return all
		}
	}
}

func TestS3CompatList(t *testing.T) {
	d := scDevnet(t)
	c := d.client(t)
	ctx := context.Background()
	mustCreateBucket(t, c, "list")
	keys := scListKeys()
	sizes := map[string]int64{}
	for _, k := range keys {
		sizes[k] = int64(len(k))
	}
	if len(sizes) != len(keys) {
		t.Fatalf("duplicate keys in the test set")
	}
	var wg sync.WaitGroup
	work := make(chan string)
	errs := make(chan error, len(keys))
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range work {
				_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("list"), Key: aws.String(k), Body: strings.NewReader(k)})
				if err != nil {
					errs <- fmt.Errorf("put %q: %w", k, err)
				}
			}
		}()
	}
	for _, k := range keys {
		work <- k
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	check := func(lc scListCase) {
		t.Helper()
		want := scExpectList(keys, lc.prefix, lc.delim, lc.start)
		got := scRunList(t, c, "list", lc, sizes)
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
			t.Fatalf("%v:\n got  %q\n want %q", lc, got, want)
		}
	}
	t.Run("Keys", func(t *testing.T) {
		// Every key comes back exactly, through the plain XML.
		got := scRunList(t, c, "list", scListCase{maxKeys: 1000}, sizes)
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", keys) {
			t.Fatalf("full listing:\n got  %q\n want %q", got, keys)
		}
	})
	t.Run("Combinations", func(t *testing.T) {
		prefixes := []string{"", "a", "a/", "photos/", "photos/2024/", "n/", "日本", "x/", "deep/d/d/", "zzz-nothing"}
		for _, prefix := range prefixes {
			for _, delim := range []string{"", "/", "-", "b/"} {
				for _, v1 := range []bool{false, true} {
					check(scListCase{v1: v1, prefix: prefix, delim: delim, maxKeys: 1000, fetchOwner: true})
					check(scListCase{v1: v1, prefix: prefix, delim: delim, maxKeys: 7, encodeURL: true})
				}
			}
		}
	})
	t.Run("OneAPage", func(t *testing.T) {
		for _, pd := range [][2]string{{"", ""}, {"", "/"}, {"", "-"}, {"a", "/"}, {"photos/", ""}, {"x/", "-"}} {
			for _, v1 := range []bool{false, true} {
				check(scListCase{v1: v1, prefix: pd[0], delim: pd[1], maxKeys: 1})
			}
		}
		check(scListCase{delim: "/", maxKeys: 1, encodeURL: true})
		check(scListCase{v1: true, delim: "/", maxKeys: 1, encodeURL: true})
	})
	t.Run("StartAfter", func(t *testing.T) {
		cases := []struct{ prefix, delim, start string }{
			{"", "", "a"}, {"", "", "a b"}, {"", "", "m"}, {"", "", "photos/2024/jan/1.jpg"}, {"", "", "zzzz"}, {"", "", "n/019"},
			{"", "/", "a"}, {"", "/", "m"}, {"", "/", "photos"}, {"", "/", "photos/"}, {"", "/", "a/"},
			{"", "-", "abc-"}, {"photos/", "", "a"}, {"photos/", "/", "photos/2024/"}, {"photos/", "", "zz"},
			{"n/", "", "n/010"}, {"日本", "/", "日本-"},
		}
		for _, sc := range cases {
			for _, v1 := range []bool{false, true} {
				check(scListCase{v1: v1, prefix: sc.prefix, delim: sc.delim, start: sc.start, maxKeys: 1000})
				check(scListCase{v1: v1, prefix: sc.prefix, delim: sc.delim, start: sc.start, maxKeys: 3, encodeURL: true})
			}
		}
	})
	t.Run("URLEncoding", func(t *testing.T) {
		// The raw XML values are encoded as S3 does: every byte but the
		// unreserved characters and '/' as %XX (a space is %20, never '+').
		out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("list"), EncodingType: types.EncodingTypeUrl, Prefix: aws.String("a")})
		if err != nil {
			t.Fatal(err)
		}
		raw := map[string]bool{}
		for _, o := range out.Contents {
			raw[aws.ToString(o.Key)] = true
		}
		for k, enc := range map[string]string{"a b": "a%20b", "a+b": "a%2Bb", "a%20b": "a%2520b", "a&b": "a%26b",
			"a<b>": "a%3Cb%3E", "a/b": "a/b"} {
			if !raw[enc] {
				t.Fatalf("encoding-type=url: %q is not listed as %q", k, enc)
			}
		}
	})
	t.Run("Errors", func(t *testing.T) {
		_, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("no-such-list-bucket")})
		scWantErr(t, "list a missing bucket", err, "NoSuchBucket", 404)
		_, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("list"), EncodingType: "base64"})
		scWantErr(t, "an unknown encoding type", err, "InvalidArgument", 400)
		_, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("list"), ContinuationToken: aws.String("!!not a token!!")})
		scWantErr(t, "a malformed continuation token", err, "InvalidArgument", 400)
		_, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("list"), ContinuationToken: aws.String("garbage")})
		scWantErr(t, "a continuation token the gateway did not give", err, "InvalidArgument", 400)
		_, err = c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("list"), MaxKeys: aws.Int32(-1)})
		scWantErr(t, "negative max-keys", err, "InvalidArgument", 400)
		out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("list"), MaxKeys: aws.Int32(5000)})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToInt32(out.MaxKeys) != 1000 || len(out.Contents) != len(keys) || aws.ToBool(out.IsTruncated) {
			t.Fatalf("max-keys 5000: echoed %d, %d keys, truncated %v", aws.ToInt32(out.MaxKeys), len(out.Contents), aws.ToBool(out.IsTruncated))
		}
	})
	t.Run("ListBuckets", func(t *testing.T) {
		names := []string{"list"}
		for i := range 6 {
			n := fmt.Sprintf("lb-%d", i)
			mustCreateBucket(t, c, n)
			names = append(names, n)
		}
		sort.Strings(names)
		for _, tc := range []struct {
			max    int32
			prefix string
			want   []string
		}{{0, "", names}, {1, "", names}, {2, "", names}, {4, "lb-", names[:6]}, {10, "lb-", names[:6]}, {1, "none", nil}} {
			in := &s3.ListBucketsInput{}
			if tc.max > 0 {
				in.MaxBuckets = aws.Int32(tc.max)
			}
			if tc.prefix != "" {
				in.Prefix = aws.String(tc.prefix)
			}
			var got []string
			p := s3.NewListBucketsPaginator(c, in)
			pages := 0
			for p.HasMorePages() {
				out, err := p.NextPage(ctx)
				if err != nil {
					t.Fatal(err)
				}
				pages++
				if tc.max > 0 && len(out.Buckets) > int(tc.max) {
					t.Fatalf("max-buckets %d: page of %d", tc.max, len(out.Buckets))
				}
				if aws.ToString(out.Prefix) != tc.prefix {
					t.Fatalf("ListBuckets echoed prefix %q, want %q", aws.ToString(out.Prefix), tc.prefix)
				}
				for _, b := range out.Buckets {
					if b.CreationDate == nil || aws.ToString(b.BucketRegion) != "us-east-1" {
						t.Fatalf("bucket %s: created %v region %q", aws.ToString(b.Name), b.CreationDate, aws.ToString(b.BucketRegion))
					}
					got = append(got, aws.ToString(b.Name))
				}
				if pages > 20 {
					t.Fatal("ListBuckets paging does not end")
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("ListBuckets max %d prefix %q: %v, want %v", tc.max, tc.prefix, got, tc.want)
			}
			if tc.max > 0 && len(tc.want) > 0 && pages != (len(tc.want)+int(tc.max)-1)/int(tc.max) {
				t.Fatalf("ListBuckets max %d prefix %q: %d pages", tc.max, tc.prefix, pages)
			}
		}
		_, err := c.ListBuckets(ctx, &s3.ListBucketsInput{MaxBuckets: aws.Int32(10001)})
		scWantErr(t, "max-buckets 10001", err, "InvalidArgument", 400)
		loc, err := c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("lb-0")})
		if err != nil || loc.LocationConstraint != "" {
			t.Fatalf("GetBucketLocation: %q %v", loc.LocationConstraint, err)
		}
		for _, n := range names[:6] {
			if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(n)}); err != nil {
				t.Fatal(err)
			}
		}
		_, err = c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("Bad_Name")})
		scWantErr(t, "an invalid bucket name", err, "InvalidBucketName", 400)
		_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("lb-0")})
		scWantErr(t, "delete a deleted bucket", err, "NoSuchBucket", 404)
	})
}
