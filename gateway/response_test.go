package gateway

import (
	"bytes"
	"crypto/tls"
	"encoding/xml"
	"errors"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestObjectURL checks the Location S3 gives a POST upload or a completed
// multipart upload: absolute, in the request's style and scheme, the key
// escaped.
func TestObjectURL(t *testing.T) {
	s := &Server{Domains: []string{"s3.example"}}
	for _, c := range []struct {
		host, path string
		tls        bool
		want       string
	}{
		{"127.0.0.1:9000", "/bkt/dir/a%20b", false, "http://127.0.0.1:9000/bkt/dir/a%20b"},
		{"s3.example", "/bkt/k", true, "https://s3.example/bkt/k"},
		{"bkt.s3.example:9000", "/bkt/k", false, "http://bkt.s3.example:9000/bkt/k"}, // key "bkt/k"
		{"bkt.s3.example", "/k%3Fx", false, "http://bkt.s3.example/k%3Fx"},
	} {
		hr := httptest.NewRequest("POST", "http://"+c.host+c.path, nil)
		if c.tls {
			hr.TLS = &tls.ConnectionState{}
		}
		r := &request{Request: hr}
		s.route(r)
		if got := s.objectURL(r); got != c.want {
			t.Errorf("%s%s: %q, want %q", c.host, c.path, got, c.want)
		}
	}
}

// TestErrorBodyQuotes checks that an error message's quotes are sent as
// they are (S3's bytes), and that the body still parses to the message.
func TestErrorBodyQuotes(t *testing.T) {
	msg := `Policy Condition failed: ["eq", "$key", "it's"] &#34;`
	out, err := errorBody{Code: "AccessDenied", Message: msg}.encode()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte(`["eq", "$key", "it's"] &amp;#34;`)) {
		t.Fatalf("body %s: quotes escaped", out)
	}
	var back errorBody
	if err := xml.Unmarshal(out, &back); err != nil || back.Message != msg {
		t.Fatalf("parsed back: %q, %v; want %q", back.Message, err, msg)
	}
}

// TestPostFormUnnamedPart checks that a form part without a field name is
// a malformed POST, not a form without a file.
func TestPostFormUnnamedPart(t *testing.T) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("key", "k")
	w, _ := mw.CreateFormFile("", "data.bin")
	w.Write([]byte("data"))
	mw.Close()
	hr := httptest.NewRequest("POST", "http://127.0.0.1/bkt/", strings.NewReader(body.String()))
	hr.Header.Set("Content-Type", mw.FormDataContentType())
	if _, err := readPostForm(&request{Request: hr}); !errors.Is(err, ErrMalformedPOSTRequest) {
		t.Fatalf("a file part without a name: %v, want MalformedPOSTRequest", err)
	}
}
