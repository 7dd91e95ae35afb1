package gateway

// Invariants:
//   - A stored CORS document is a CORSConfiguration that validated: 1..100
//     rules, each with at least one AllowedOrigin (at most one '*' each) and
//     AllowedMethods among GET, PUT, HEAD, POST, DELETE.
//   - A preflight (OPTIONS) is never authenticated: it is answered from the
//     bucket's rules alone, 403 when no rule matches.
//   - Any other request with an Origin header gets Access-Control-* headers
//     from the first matching rule, whatever its outcome (errors included);
//     without a match it gets none.

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
)

// CORS errors.
var (
	ErrNoSuchCORSConfiguration = apiErr("NoSuchCORSConfiguration", 404, "The CORS configuration does not exist")
	ErrCORSForbidden           = apiErr("AccessForbidden", 403, "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.")
)

type corsRule struct {
	ID             string   `xml:",omitempty"`
	AllowedHeaders []string `xml:"AllowedHeader"`
	AllowedMethods []string `xml:"AllowedMethod"`
	AllowedOrigins []string `xml:"AllowedOrigin"`
	ExposeHeaders  []string `xml:"ExposeHeader"`
	MaxAgeSeconds  *int     `xml:",omitempty"`
}

type corsConfig struct {
	XMLName xml.Name   `xml:"CORSConfiguration"`
	NS      string     `xml:"xmlns,attr,omitempty"`
	Rules   []corsRule `xml:"CORSRule"`
}

var corsMethods = map[string]bool{"GET": true, "PUT": true, "HEAD": true, "POST": true, "DELETE": true}

func (c *corsConfig) validate() error {
	if len(c.Rules) == 0 || len(c.Rules) > 100 {
		return ErrMalformedXML
	}
	for _, rule := range c.Rules {
		if len(rule.AllowedOrigins) == 0 || len(rule.AllowedMethods) == 0 {
			return ErrMalformedXML
		}
		for _, m := range rule.AllowedMethods {
			if !corsMethods[m] {
				return ErrInvalidRequest.Errorf("Found unsupported HTTP method in CORS config. Unsupported method is %s", truncateArg(m))
			}
		}
		for _, o := range rule.AllowedOrigins {
			if strings.Count(o, "*") > 1 {
				return ErrInvalidRequest.Errorf("AllowedOrigin %s can not have more than one wildcard.", truncateArg(o))
			}
		}
		for _, h := range rule.AllowedHeaders {
			if strings.Count(h, "*") > 1 {
				return ErrInvalidRequest.Errorf("AllowedHeader %s can not have more than one wildcard.", truncateArg(h))
			}
		}
	}
	return nil
}

func parseCORS(doc []byte) *corsConfig {
	if len(doc) == 0 {
		return nil
	}
	var c corsConfig
	if xml.Unmarshal(doc, &c) != nil {
		return nil
	}
	return &c
}

// match finds the first rule allowing origin, method and every header in
// headers (lower-cased).
func (c *corsConfig) match(origin, method string, headers []string) *corsRule {
	for i := range c.Rules {
		rule := &c.Rules[i]
		if !anyMatch(rule.AllowedOrigins, origin, false) {
			continue
		}
		okMethod := false
		for _, m := range rule.AllowedMethods {
			okMethod = okMethod || m == method
		}
		if !okMethod {
			continue
		}
		okHeaders := true
		for _, h := range headers {
			if !anyMatch(rule.AllowedHeaders, h, true) {
				okHeaders = false
				break
			}
		}
		if okHeaders {
			return rule
		}
	}
	return nil
}

// setCORSHeaders sets the Access-Control-* headers of a matched rule.
func setCORSHeaders(h http.Header, rule *corsRule, origin string, reqHeaders []string, preflight bool) {
	allowOrigin := origin
	for _, o := range rule.AllowedOrigins {
		if o == "*" {
			allowOrigin = "*"
		}
	}
	h.Set("Access-Control-Allow-Origin", allowOrigin)
	if allowOrigin != "*" {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	h.Set("Access-Control-Allow-Methods", strings.Join(rule.AllowedMethods, ", "))
	if len(rule.ExposeHeaders) > 0 {
		h.Set("Access-Control-Expose-Headers", strings.Join(rule.ExposeHeaders, ", "))
	}
	if rule.MaxAgeSeconds != nil {
		h.Set("Access-Control-Max-Age", strconv.Itoa(*rule.MaxAgeSeconds))
	}
	if preflight && len(reqHeaders) > 0 {
		h.Set("Access-Control-Allow-Headers", strings.Join(reqHeaders, ", "))
	}
	h.Add("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method")
}

func requestedHeaders(h http.Header) []string {
	var out []string
	for _, v := range h.Values("Access-Control-Request-Headers") {
		for _, x := range splitComma(v) {
			out = append(out, strings.ToLower(x))
		}
	}
	return out
}

// applyCORS adds CORS headers to a non-preflight request from a browser.
func (s *Server) applyCORS(r *request) {
	origin := r.Header.Get("Origin")
	if origin == "" || r.bucket == "" || r.Method == http.MethodOptions {
		return
	}
	b, err := s.Layer.BucketInfo(r.Context(), r.bucket)
	if err != nil {
		return
	}
	c := parseCORS(b.Config[cfgCORS])
	if c == nil {
		return
	}
	method := r.Header.Get("Access-Control-Request-Method")
	if method == "" {
		method = r.Method
	}
	if rule := c.match(origin, method, nil); rule != nil {
		setCORSHeaders(r.w.Header(), rule, origin, nil, false)
	}
}

// preflight answers a CORS preflight OPTIONS request.
func (s *Server) preflight(r *request) error {
	origin := r.Header.Get("Origin")
	method := r.Header.Get("Access-Control-Request-Method")
	if origin == "" {
		return ErrInvalidRequest.Errorf("Insufficient information. Origin request header needed.")
	}
	if method == "" {
		return ErrInvalidRequest.Errorf("Invalid Access-Control-Request-Method: %s", method)
	}
	b, err := s.Layer.BucketInfo(r.Context(), r.bucket)
	if err != nil {
		return err
	}
	c := parseCORS(b.Config[cfgCORS])
	if c == nil {
		return ErrCORSForbidden
	}
	hdrs := requestedHeaders(r.Header)
	rule := c.match(origin, method, hdrs)
	if rule == nil {
		return ErrCORSForbidden
	}
	setCORSHeaders(r.w.Header(), rule, origin, hdrs, true)
	return writeEmpty(r, http.StatusOK)
}

func (s *Server) getBucketCORS(r *request) error {
	b, err := s.bucketOf(r)
	if err != nil {
		return err
	}
	c := parseCORS(b.Config[cfgCORS])
	if c == nil {
		return ErrNoSuchCORSConfiguration
	}
	c.NS = s3NS
	return writeXML(r, c)
}

func (s *Server) putBucketCORS(r *request) error {
	if _, err := s.bucketOf(r); err != nil {
		return err
	}
	var c corsConfig
	if err := s.readXML(r, 64<<10, &c); err != nil {
		return err
	}
	if err := c.validate(); err != nil {
		return err
	}
	c.NS = ""
	return s.storeConfig(r, cfgCORS, c)
}
