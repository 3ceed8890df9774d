package test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/infrastructure/config"
	"github.com/uptrace/bun"
	"go.uber.org/fx"
)

func TestNotFoundAndMethodNotAllowedPages(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()

	nf := b.get("/no/such/page")
	if nf.StatusCode != http.StatusNotFound || !strings.Contains(nf.Body, "Page not found") || !hashedStylesheet.MatchString(nf.Body) {
		t.Errorf("GET /no/such/page = %d, want 404 in the site layout; body:\n%s", nf.StatusCode, nf.Body)
	}
	if strings.Contains(nf.Body, "Cannot GET") {
		t.Errorf("404 page shows Fiber's internal text")
	}

	req, _ := http.NewRequest(http.MethodPut, srv.base+"/login", nil)
	na := b.do(req)
	if na.StatusCode != http.StatusMethodNotAllowed || !strings.Contains(na.Body, "Method not allowed") {
		t.Errorf("PUT /login = %d, want 405 page; body:\n%s", na.StatusCode, na.Body)
	}
	if allow := na.Header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
		t.Errorf("405 Allow = %q, want GET and POST", allow)
	}
}

// TestServerErrorPage breaks the database under a running server: the
// visitor gets a 500 page with a request id and no internals, and the
// failure is logged once with the same id.
func TestServerErrorPage(t *testing.T) {
	t.Parallel()
	var db *bun.DB
	srv := startServer(t, withFx(fx.Populate(&db)))
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, false)

	if _, err := db.ExecContext(context.Background(), "DROP TABLE sessions"); err != nil {
		t.Fatalf("drop sessions: %v", err)
	}
	res := b.get("/")
	if res.StatusCode != http.StatusInternalServerError {
		t.Fatalf("GET / with a broken database = %d, want 500", res.StatusCode)
	}
	id := res.Header.Get("X-Request-ID")
	if id == "" || !strings.Contains(res.Body, id) {
		t.Errorf("500 page does not show the request id %q; body:\n%s", id, res.Body)
	}
	for _, leak := range []string{"sessions", "SQL", "sqlite", "no such table"} {
		if strings.Contains(res.Body, leak) {
			t.Errorf("500 page leaks %q", leak)
		}
	}
	if n := errorLines(srv.logs.String(), id); n != 1 {
		t.Errorf("request id %s is in %d error lines of the log, want exactly 1 (plus its request line); log:\n%s", id, n, srv.logs.String())
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		secure   bool
		wantHSTS bool
	}{{false, false}, {true, true}}
	for _, tt := range tests {
		srv := startServer(t, withConfig(func(c *config.Config) { c.CookieSecure = tt.secure }))
		b := srv.newBrowser()
		b.signup("alice", alicePassword)
		b.login("alice", alicePassword, false)
		for _, path := range []string{"/", "/login", "/signup", "/logout", "/nowhere", "/static/style.css"} {
			res := b.get(path)
			want := map[string]string{
				"Content-Security-Policy":    "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
				"X-Content-Type-Options":     "nosniff",
				"Referrer-Policy":            "same-origin",
				"Cross-Origin-Opener-Policy": "same-origin",
				"X-Frame-Options":            "DENY",
			}
			for name, value := range want {
				if got := res.Header.Get(name); got != value {
					t.Errorf("secure=%v GET %s %s = %q, want %q", tt.secure, path, name, got, value)
				}
			}
			if pp := res.Header.Get("Permissions-Policy"); !strings.Contains(pp, "camera=()") || !strings.Contains(pp, "geolocation=()") {
				t.Errorf("GET %s Permissions-Policy = %q, want a restrictive policy", path, pp)
			}
			hsts := res.Header.Get("Strict-Transport-Security")
			if (hsts != "") != tt.wantHSTS {
				t.Errorf("secure=%v GET %s Strict-Transport-Security = %q, want present = %v", tt.secure, path, hsts, tt.wantHSTS)
			}
			cc := res.Header.Get("Cache-Control")
			if path == "/static/style.css" {
				if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") || cc == "no-store" {
					t.Errorf("GET %s = %d %q, Cache-Control %q; want cacheable CSS served by the binary", path, res.StatusCode, res.Header.Get("Content-Type"), cc)
				}
			} else if cc != "no-store" {
				t.Errorf("GET %s Cache-Control = %q, want no-store (account data or a CSRF token)", path, cc)
			}
		}
	}
}

func TestVisitorCookieAttributes(t *testing.T) {
	t.Parallel()
	for _, secure := range []bool{false, true} {
		srv := startServer(t, withConfig(func(c *config.Config) { c.CookieSecure = secure }))
		name := "gatehouse_visitor"
		if secure {
			name = "__Host-" + name
		}
		c := srv.newBrowser().get("/login").setCookie(t, name)
		if c == nil {
			t.Fatalf("secure=%v: GET /login set no %s cookie", secure, name)
		}
		checkCookieAttributes(t, c, secure)
		if c.MaxAge != 0 || !c.Expires.IsZero() {
			t.Errorf("visitor cookie is persistent (Max-Age %d), want a browser-session cookie", c.MaxAge)
		}
	}
}
