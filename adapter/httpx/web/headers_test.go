package web

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
)

// siteSecurityHeaders are the headers every response of the site
// carries (without COOKIE_SECURE, so without Strict-Transport-Security).
var siteSecurityHeaders = map[string]string{
	"Content-Security-Policy":    contentSecurityPolicy,
	"X-Content-Type-Options":     "nosniff",
	"Referrer-Policy":            "same-origin",
	"Cross-Origin-Opener-Policy": "same-origin",
	"Permissions-Policy":         "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
	"X-Frame-Options":            "DENY",
	"Cache-Control":              "no-store",
}

func wantSiteSecurityHeaders(t *testing.T, what string, res siteResponse) {
	t.Helper()
	for name, want := range siteSecurityHeaders {
		if got := res.header.Get(name); got != want {
			t.Errorf("%s (%d) %s = %q, want %q", what, res.status, name, got, want)
		}
	}
}

// TestErrorBeforeRoutingCarriesSecurityHeaders protects the 413 page of a
// body over the limit, which fasthttp refuses before any middleware
// runs: it carries the site's security headers, as a page and a routed
// error do.
func TestErrorBeforeRoutingCarriesSecurityHeaders(t *testing.T) {
	r := newSiteRig(t, rigPrincipal(domain.RoleUser))
	body := "username=alice&password=" + strings.Repeat("x", rigBodyLimit)
	tests := []struct {
		name, raw string
		want      int
	}{
		{"a page", "GET /login HTTP/1.1\r\nHost: gatehouse.test\r\n\r\n", http.StatusOK},
		{"an unknown page", "GET /nowhere HTTP/1.1\r\nHost: gatehouse.test\r\n\r\n", http.StatusNotFound},
		{"a body over the limit", "POST /login HTTP/1.1\r\nHost: gatehouse.test\r\n" +
			"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body,
			http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		res := r.doOverListener(t, tt.raw)
		if res.status != tt.want {
			t.Errorf("%s: status = %d, want %d", tt.name, res.status, tt.want)
		}
		wantSiteSecurityHeaders(t, tt.name, res)
	}
}
