package console

// Sessions for a console on a non-loopback listener: a login with the admin
// token or the root S3 credentials sets a random session cookie; sessions
// live in memory and end with the process or after their lifetime.

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"
)

const cookieName = "mefs_console"

type sessions struct {
	mu   sync.Mutex
	life time.Duration
	m    map[string]time.Time // token → expiry
}

func newSessions(life time.Duration) *sessions {
	return &sessions{life: life, m: map[string]time.Time{}}
}

func (s *sessions) valid(r *http.Request) bool {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.m[c.Value]
	if ok && time.Now().After(exp) {
		delete(s.m, c.Value)
		return false
	}
	return ok
}

// guard lets through the login page, its assets and the login itself;
// everything else needs a session (API calls get 401, pages a redirect).
func (s *sessions) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		open := p == "/console/login" || p == "/console/login.html" || p == "/console/style.css" || p == "/console/login.js"
		if open || s.valid(r) {
			next.ServeHTTP(w, r)
			return
		}
		if strings.HasPrefix(p, "/console/api/") || r.Method != http.MethodGet {
			http.Error(w, "login required", http.StatusUnauthorized)
			return
		}
		http.Redirect(w, r, "/console/login.html", http.StatusSeeOther)
	})
}

func (s *sessions) login(check func(name, secret string) bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 4096)
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad login form", http.StatusBadRequest)
			return
		}
		if check == nil || !check(r.PostForm.Get("name"), r.PostForm.Get("secret")) {
			time.Sleep(200 * time.Millisecond) // slows guessing
			http.Error(w, "wrong credentials", http.StatusUnauthorized)
			return
		}
		var b [32]byte
		_, _ = rand.Read(b[:]) // crypto/rand never fails on supported systems
		tok := hex.EncodeToString(b[:])
		s.mu.Lock()
		s.m[tok] = time.Now().Add(s.life)
		s.mu.Unlock()
		http.SetCookie(w, &http.Cookie{Name: cookieName, Value: tok, Path: "/", HttpOnly: true,
			SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil, MaxAge: int(s.life.Seconds())})
		http.Redirect(w, r, "/console/", http.StatusSeeOther)
	}
}

func (s *sessions) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(cookieName); err == nil {
		s.mu.Lock()
		delete(s.m, c.Value)
		s.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", MaxAge: -1})
	http.Redirect(w, r, "/console/login.html", http.StatusSeeOther)
}
