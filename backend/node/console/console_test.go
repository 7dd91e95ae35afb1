package console

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

func testServer(t *testing.T, requireLogin bool) (*httptest.Server, *prometheus.CounterVec) {
	reg := prometheus.NewRegistry()
	reqs := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mefs_s3_requests_total", Help: "h"}, []string{"op", "status"})
	reg.MustRegister(reqs)
	h := Handler(Config{
		Status:       func(context.Context) any { return map[string]string{"hello": "world"} },
		Metrics:      reg,
		RequireLogin: requireLogin,
		Login:        func(name, secret string) bool { return name == "root" && secret == "s3cret" },
		Interval:     10 * time.Millisecond,
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, reqs
}

func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestLoopbackNeedsNoLogin(t *testing.T) {
	srv, _ := testServer(t, false)
	if code, body := get(t, srv.Client(), srv.URL+"/console/api/status"); code != 200 || !strings.Contains(body, "world") {
		t.Fatalf("status = %d %q", code, body)
	}
	if code, body := get(t, srv.Client(), srv.URL+"/console/"); code != 200 || !strings.Contains(body, "MEFS console") {
		t.Fatalf("index = %d %q", code, body)
	}
}

func TestLoginRequired(t *testing.T) {
	srv, _ := testServer(t, true)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	if code, _ := get(t, c, srv.URL+"/console/api/status"); code != http.StatusUnauthorized {
		t.Fatalf("status without login = %d, want 401", code)
	}
	if code, body := get(t, c, srv.URL+"/console/"); code != 200 || !strings.Contains(body, "Log in") {
		t.Fatalf("index without login should land on the login page: %d %q", code, body)
	}
	for _, bad := range []url.Values{{"name": {"root"}, "secret": {"wrong"}}, {"name": {"x"}, "secret": {"s3cret"}}, {}} {
		resp, err := c.PostForm(srv.URL+"/console/login", bad)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("login %v = %d, want 401", bad, resp.StatusCode)
		}
	}
	if code, _ := get(t, c, srv.URL+"/console/api/status"); code != http.StatusUnauthorized {
		t.Fatalf("status after failed logins = %d, want 401", code)
	}
	resp, err := c.PostForm(srv.URL+"/console/login", url.Values{"name": {"root"}, "secret": {"s3cret"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if code, body := get(t, c, srv.URL+"/console/api/status"); code != 200 || !strings.Contains(body, "world") {
		t.Fatalf("status after login = %d %q", code, body)
	}
	forged := &http.Client{}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/console/api/status", nil)
	req.AddCookie(&http.Cookie{Name: cookieName, Value: strings.Repeat("ab", 32)})
	r2, err := forged.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r2.Body.Close()
	if r2.StatusCode != http.StatusUnauthorized {
		t.Fatalf("forged cookie = %d, want 401", r2.StatusCode)
	}
}

func TestLiveStreamFollowsCounters(t *testing.T) {
	srv, reqs := testServer(t, false)
	reqs.WithLabelValues("PutObject", "200").Add(3)
	reqs.WithLabelValues("GetObject", "404").Add(2)
	resp, err := srv.Client().Get(srv.URL + "/console/api/live")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	buf := make([]byte, 4096)
	n, err := resp.Body.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	ev := string(buf[:n])
	if !strings.HasPrefix(ev, "data: ") || !strings.Contains(ev, `"requests":5`) || !strings.Contains(ev, `"errors":2`) {
		t.Fatalf("event %q", ev)
	}
}
