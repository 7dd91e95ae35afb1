package gateway

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

// A lifecycle document is refused with S3's error for each way it can be
// wrong, and accepted in each shape S3 accepts.
func TestLifecycleValidate(t *testing.T) {
	const exp = `<Expiration><Days>1</Days></Expiration>`
	rule := func(body string) string {
		return `<LifecycleConfiguration><Rule>` + body + `</Rule></LifecycleConfiguration>`
	}
	cases := []struct {
		name, doc, code string // code "" = accepted
	}{
		{"legacy prefix", rule(`<ID>r</ID><Prefix>logs/</Prefix><Status>Enabled</Status>` + exp), ""},
		{"no id", rule(`<Prefix>a/</Prefix><Status>Enabled</Status>` + exp), ""},
		{"empty filter", rule(`<ID>r</ID><Filter></Filter><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>`), ""},
		{"no filter", rule(`<ID>r</ID><Status>Disabled</Status>` + exp), ""},
		{"and", rule(`<ID>r</ID><Filter><And><Prefix>a/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan></And></Filter><Status>Enabled</Status>` + exp), ""},
		{"date", rule(`<ID>r</ID><Prefix></Prefix><Status>Enabled</Status><Expiration><Date>2030-01-01T00:00:00Z</Date></Expiration>`), ""},
		{"noncurrent", rule(`<ID>r</ID><Prefix></Prefix><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>3</NoncurrentDays><NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration>`), ""},
		{"abort", rule(`<ID>r</ID><Prefix></Prefix><Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>`), ""},
		{"transition", rule(`<ID>r</ID><Prefix></Prefix><Status>Enabled</Status><Transition><Days>0</Days><StorageClass>GLACIER</StorageClass></Transition>`), ""},

		{"no rules", `<LifecycleConfiguration></LifecycleConfiguration>`, "MalformedXML"},
		{"status lower case", rule(`<ID>r</ID><Prefix></Prefix><Status>enabled</Status>` + exp), "MalformedXML"},
		{"prefix and filter", rule(`<ID>r</ID><Prefix>a</Prefix><Filter><Prefix>b</Prefix></Filter><Status>Enabled</Status>` + exp), "MalformedXML"},
		{"filter of two", rule(`<ID>r</ID><Filter><Prefix>a</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></Filter><Status>Enabled</Status>` + exp), "MalformedXML"},
		{"days and date", rule(`<ID>r</ID><Prefix></Prefix><Status>Enabled</Status><Expiration><Days>1</Days><Date>2030-01-01T00:00:00Z</Date></Expiration>`), "MalformedXML"},
		{"empty expiration", rule(`<ID>r</ID><Prefix></Prefix><Status>Enabled</Status><Expiration></Expiration>`), "MalformedXML"},
		{"id too long", rule(`<ID>` + strings.Repeat("a", 256) + `</ID><Prefix></Prefix><Status>Enabled</Status>` + exp), "InvalidArgument"},
		{"days 0", rule(`<ID>r</ID><Prefix></Prefix><Status>Enabled</Status><Expiration><Days>0</Days></Expiration>`), "InvalidArgument"},
		{"days negative", rule(`<ID>r</ID><Prefix></Prefix><Status>Enabled</Status><Expiration><Days>-1</Days></Expiration>`), "InvalidArgument"},
		{"date not midnight", rule(`<ID>r</ID><Prefix></Prefix><Status>Enabled</Status><Expiration><Date>2030-01-01T10:00:00Z</Date></Expiration>`), "InvalidArgument"},
		{"date garbage", rule(`<ID>r</ID><Prefix></Prefix><Status>Enabled</Status><Expiration><Date>20200101</Date></Expiration>`), "InvalidArgument"},
		{"noncurrent days 0", rule(`<ID>r</ID><Prefix></Prefix><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>0</NoncurrentDays></NoncurrentVersionExpiration>`), "InvalidArgument"},
		{"newer versions 101", rule(`<ID>r</ID><Prefix></Prefix><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>101</NewerNoncurrentVersions></NoncurrentVersionExpiration>`), "InvalidArgument"},
		{"no action", rule(`<ID>r</ID><Prefix></Prefix><Status>Enabled</Status>`), "InvalidRequest"},
		{"abort with tags", rule(`<ID>r</ID><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter><Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>`), "InvalidRequest"},
		{"marker with tags", rule(`<ID>r</ID><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>`), "InvalidRequest"},
		{"transition to STANDARD", rule(`<ID>r</ID><Prefix></Prefix><Status>Enabled</Status><Transition><Days>1</Days><StorageClass>STANDARD</StorageClass></Transition>`), "InvalidStorageClass"},
		{"transition bad date", rule(`<ID>r</ID><Prefix></Prefix><Status>Enabled</Status><Transition><Date>20220927</Date><StorageClass>GLACIER</StorageClass></Transition>`), "InvalidArgument"},
		{"sizes crossed", rule(`<ID>r</ID><Filter><And><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan><ObjectSizeLessThan>5</ObjectSizeLessThan></And></Filter><Status>Enabled</Status>` + exp), "InvalidArgument"},
		{"same id", `<LifecycleConfiguration><Rule><ID>r</ID><Prefix>a</Prefix><Status>Enabled</Status>` + exp + `</Rule><Rule><ID>r</ID><Prefix>b</Prefix><Status>Enabled</Status>` + exp + `</Rule></LifecycleConfiguration>`, "InvalidArgument"},
	}
	for _, tc := range cases {
		var c lifecycleConfig
		if err := xml.Unmarshal([]byte(tc.doc), &c); err != nil {
			t.Fatalf("%s: test document does not parse: %v", tc.name, err)
		}
		err := c.validate()
		switch {
		case tc.code == "" && err != nil:
			t.Errorf("%s: refused: %v", tc.name, err)
		case tc.code != "" && (err == nil || toAPIError(err).Code != tc.code):
			t.Errorf("%s: got %v, want %s", tc.name, err, tc.code)
		}
		if tc.code == "" && c.Rules[0].ID == "" {
			t.Errorf("%s: rule left without an ID", tc.name)
		}
	}
}

// Expiry dates follow S3: creation plus the days, rounded up to the next
// midnight UTC; a shortened day is exact.
func TestLifecycleExpiry(t *testing.T) {
	days := func(n int) *int { return &n }
	prefix := "logs/"
	c := &lifecycleConfig{Rules: []lifecycleRule{
		{ID: "short", Prefix: &prefix, Status: "Enabled", Expiration: &lifecycleExpiration{Days: days(1)}},
		{ID: "long", Status: "Enabled", Expiration: &lifecycleExpiration{Days: days(30)}},
		{ID: "off", Status: "Disabled", Expiration: &lifecycleExpiration{Days: days(1)}},
	}}
	mod := time.Date(2026, 12, 8, 10, 30, 0, 0, time.UTC)
	cases := []struct {
		key  string
		day  time.Duration
		want time.Time
		id   string
	}{
		{"logs/a", 0, time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC), "short"},
		{"data/a", 0, time.Date(2027, 1, 8, 0, 0, 0, 0, time.UTC), "long"},
		{"logs/a", time.Second, mod.Add(time.Second), "short"},
	}
	for _, tc := range cases {
		at, id, ok := c.expiry(ObjectInfo{Key: tc.key, ModTime: mod}, tc.day)
		if !ok || !at.Equal(tc.want) || id != tc.id {
			t.Errorf("%s (day %v): expires %v by %q (%v), want %v by %q", tc.key, tc.day, at, id, ok, tc.want, tc.id)
		}
	}
	if got := after(time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC), 1, 0); !got.Equal(time.Date(2026, 12, 9, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("one day after midnight: %v", got)
	}
	if got := c.listPrefix(); got != "" {
		t.Errorf("list prefix of logs/ and everything: %q", got)
	}
	c.Rules[1].Status = "Disabled"
	if got := c.listPrefix(); got != "logs/" {
		t.Errorf("list prefix of logs/ alone: %q", got)
	}
}
