package gateway

import (
	"encoding/xml"
	"testing"
)

func FuzzRange(f *testing.F) {
	for _, s := range []string{"bytes=0-0", "bytes=-5", "bytes=3-", "bytes=9223372036854775807-", "bytes=-9223372036854775808", "bytes=1-0", "bytes= 1 - 2 ", "bytes=0-1,2-3"} {
		f.Add(s, int64(10))
	}
	f.Fuzz(func(t *testing.T, h string, size int64) {
		if size < 0 {
			size = -size
		}
		if size < 0 {
			return
		}
		r := ParseRange(h)
		off, n, err := r.Resolve(size)
		if err != nil {
			return
		}
		if off < 0 || n < 0 || off+n > size || (r != nil && n == 0) {
			t.Fatalf("%q on %d: offset %d length %d out of bounds", h, size, off, n)
		}
	})
}

func FuzzXMLBodies(f *testing.F) {
	f.Add(`<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"x"</ETag></Part></CompleteMultipartUpload>`)
	f.Add(`<Delete><Quiet>true</Quiet><Object><Key>a</Key></Object></Delete>`)
	f.Add(`<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>`)
	f.Add(`<Delete><Object><Key>&amp;&lt;</Key></Object>`)
	f.Fuzz(func(t *testing.T, body string) {
		var c completeRequest
		_ = xml.Unmarshal([]byte(body), &c)
		var d deleteRequest
		_ = xml.Unmarshal([]byte(body), &d)
		var tg tagging
		if xml.Unmarshal([]byte(body), &tg) == nil {
			tags, err := validTags(tg.TagSet, 10)
			if err == nil && len(tags) > 10 {
				t.Fatalf("validTags accepted %d tags", len(tags))
			}
		}
		_, _ = headerTags(body)
	})
}
