package web

import (
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/templates"
	"github.com/gofiber/fiber/v2"
)

// TestSecurityHeaders protects the headers every response carries, pages
// and redirects and errors and static files alike; only the static files
// may be cached, and only behind TLS is Strict-Transport-Security sent.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	hashed, err := s.h.assets.url("style.css")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		req       *http.Request
		wantCache string
	}{
		{"page", s.stranger().request(http.MethodGet, "/login", nil), "no-store"},
		{"redirect", s.stranger().request(http.MethodGet, "/account", nil), "no-store"},
		{"not found", s.stranger().request(http.MethodGet, "/nope", nil), "no-store"},
		{"method not allowed", s.stranger().request(http.MethodPut, "/login", nil), "no-store"},
		{"csrf refusal", s.stranger().request(http.MethodPost, "/login", url.Values{}), "no-store"},
		{"hashed static file", s.stranger().request(http.MethodGet, hashed, nil), immutableCache},
		{"plain static file", s.stranger().request(http.MethodGet, "/static/style.css", nil), "public, max-age=3600"},
	}
	want := map[string]string{
		fiber.HeaderContentSecurityPolicy:   contentSecurityPolicy,
		fiber.HeaderXContentTypeOptions:     "nosniff",
		fiber.HeaderReferrerPolicy:          "same-origin",
		"Cross-Origin-Opener-Policy":        "same-origin",
		fiber.HeaderPermissionsPolicy:       "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
		fiber.HeaderXFrameOptions:           "DENY",
		fiber.HeaderStrictTransportSecurity: "",
	}
	for _, tt := range tests {
		r := s.do(t, tt.req)
		what := tt.req.Method + " " + tt.req.URL.Path + " (" + tt.name + ")"
		for header, value := range want {
			if got := r.header.Get(header); got != value {
				t.Errorf("%s %s = %q, want %q", what, header, got, value)
			}
		}
		if got := r.header.Get(fiber.HeaderCacheControl); got != tt.wantCache {
			t.Errorf("%s Cache-Control = %q, want %q", what, got, tt.wantCache)
		}
		if r.header.Get(fiber.HeaderXRequestID) == "" {
			t.Errorf("%s has no X-Request-ID", what)
		}
	}

	secure := newTestSite(t, func(c *Config) { c.CookieSecure = true })
	r := secure.stranger().get(t, "/login")
	if got, want := r.header.Get(fiber.HeaderStrictTransportSecurity), "max-age=63072000; includeSubDomains"; got != want {
		t.Errorf("GET /login (COOKIE_SECURE) Strict-Transport-Security = %q, want %q", got, want)
	}
}

// TestCookieSecure protects the cookies behind TLS: Secure, with the
// __Host- prefix, and a form accepted only from the site's https origin.
func TestCookieSecure(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, func(c *Config) { c.CookieSecure = true })
	r := s.stranger().get(t, "/login")
	id := r.cookie("__Host-" + visitorCookieName)
	if id == nil || !id.Secure || !id.HttpOnly || id.Path != "/" || id.Domain != "" {
		t.Fatalf("GET /login (COOKIE_SECURE) visitor cookie = %v, want __Host-%s, Secure, HttpOnly, Path=/, no Domain", id, visitorCookieName)
	}

	token := s.tokens.next()
	s.auth.LoginFunc = loginAs(alice(), token)
	browser := &visitor{site: s, cookies: []*http.Cookie{{Name: id.Name, Value: id.Value}}, csrf: r.csrfField()}
	form := url.Values{"username": {"alice"}, "password": {"pw"}}
	for _, origin := range []string{"http://example.com", "http://example.com:443"} {
		req := browser.formRequest("/login", form)
		req.Header.Set(fiber.HeaderOrigin, origin)
		if got := s.do(t, req); got.status != http.StatusForbidden {
			t.Errorf("POST /login (COOKIE_SECURE, Origin %s) status = %d, want %d", origin, got.status, http.StatusForbidden)
		}
	}
	wantNoCall(t, &s.auth.Calls, "Login")
	req := browser.formRequest("/login", form)
	req.Header.Set(fiber.HeaderOrigin, "https://example.com")
	r = s.do(t, req)
	r.wantRedirect(t, "POST /login (COOKIE_SECURE, https origin)", "/")
	session := r.cookie("__Host-" + sessionCookieName)
	if session == nil || session.Value != token.Reveal() || !session.Secure || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode {
		t.Errorf("POST /login (COOKIE_SECURE) session cookie = %v, want __Host-%s=%s, Secure, HttpOnly, Lax", session, sessionCookieName, token.Reveal())
	}
}

// TestStatic protects the static files: a hashed name is kept for a year
// and revalidated by ETag, a plain name for an hour, a missing one is the
// 404 page; files are compressed, pages never (BREACH).
func TestStatic(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	style, err := fs.ReadFile(templates.FS, "static/style.css")
	if err != nil {
		t.Fatal(err)
	}
	hashed, _ := s.h.assets.url("style.css")

	r := s.stranger().get(t, hashed)
	if r.status != http.StatusOK || r.body != string(style) {
		t.Fatalf("GET %s = %d with %d bytes, want 200 with style.css (%d bytes)", hashed, r.status, len(r.body), len(style))
	}
	if got := r.header.Get(fiber.HeaderContentType); got != "text/css; charset=utf-8" {
		t.Errorf("GET %s Content-Type = %q, want text/css; charset=utf-8", hashed, got)
	}
	etag := r.header.Get(fiber.HeaderETag)
	if !strings.HasPrefix(etag, `"`+strings.Split(hashed, ".")[1]) {
		t.Errorf("GET %s ETag = %q, want the file's hash, which its name starts", hashed, etag)
	}
	if len(r.cookies) != 0 {
		t.Errorf("GET %s set cookies %v, want none", hashed, r.cookies)
	}

	req := s.stranger().request(http.MethodGet, hashed, nil)
	req.Header.Set(fiber.HeaderIfNoneMatch, etag)
	if r := s.do(t, req); r.status != http.StatusNotModified || r.body != "" {
		t.Errorf("GET %s (If-None-Match its ETag) = %d with %d bytes, want 304 with none", hashed, r.status, len(r.body))
	}

	if r := s.stranger().get(t, "/static/style.css"); r.status != http.StatusOK || r.body != string(style) {
		t.Errorf("GET /static/style.css = %d with %d bytes, want 200 with the file", r.status, len(r.body))
	}
	s.stranger().get(t, "/static/nope.css").wantPage(t, "GET /static/nope.css", http.StatusNotFound, "There is nothing at this address.")

	bootstrap, _ := s.h.assets.url("vendor/bootstrap/bootstrap.min.css")
	for _, tt := range []struct {
		target, want string
	}{
		{bootstrap, "gzip"},
		{"/login", ""},
	} {
		req := s.stranger().request(http.MethodGet, tt.target, nil)
		req.Header.Set(fiber.HeaderAcceptEncoding, "gzip")
		if got := s.do(t, req).header.Get(fiber.HeaderContentEncoding); got != tt.want {
			t.Errorf("GET %s (Accept-Encoding: gzip) Content-Encoding = %q, want %q", tt.target, got, tt.want)
		}
	}
}

// TestNotFound protects the 404 page of a path no route takes, in the
// site's layout, without a request id, and not logged.
func TestNotFound(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	r := s.stranger().get(t, "/nope?x=<script>")
	r.wantPage(t, "GET /nope", http.StatusNotFound, "Error 404 Page not found There is nothing at this address.")
	if r.requestID() != "" || strings.Contains(r.body, "<script>") || strings.Contains(r.body, "/nope") {
		t.Errorf("GET /nope shows a request id or the path: %s", r.text())
	}
	if got := r.header.Get(fiber.HeaderContentType); got != fiber.MIMETextHTMLCharsetUTF8 {
		t.Errorf("GET /nope Content-Type = %q, want %q", got, fiber.MIMETextHTMLCharsetUTF8)
	}
	browser, _ := s.signIn(t, alice())
	browser.get(t, "/admin/nope").wantPage(t, "GET /admin/nope (signed in)", http.StatusNotFound, "Signed in as alice")
	if lines := s.log.Lines("request failed"); len(lines) != 0 {
		t.Errorf("a 404 was logged: %q", lines)
	}
}

// TestMethodNotAllowed protects the 405 page and its Allow header, which
// lists the methods the path takes. A POST is checked for its CSRF token
// first, as every POST is.
func TestMethodNotAllowed(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	browser, _ := s.signIn(t, alice())
	tests := []struct {
		req       *http.Request
		wantAllow string
	}{
		{browser.request(http.MethodPut, "/login", nil), "GET, POST"},
		{browser.request(http.MethodOptions, "/signup", nil), "GET, POST"},
		{browser.request(http.MethodDelete, "/account", nil), "GET"},
		{browser.request(http.MethodGet, "/account/delete", nil), "POST"},
		{browser.formRequest("/account", nil), "GET"},
		{browser.formRequest("/admin/users", nil), "GET"},
		// Paths with a parameter, another case or a trailing slash are
		// matched as Fiber routes them, so their Allow is not empty.
		{browser.request(http.MethodGet, "/account/sessions/7/revoke", nil), "POST"},
		{browser.request(http.MethodGet, "/admin/users/5/disable", nil), "POST"},
		{browser.request(http.MethodPut, "/LOGIN", nil), "GET, POST"},
		{browser.request(http.MethodPut, "/login/", nil), "GET, POST"},
	}
	for _, tt := range tests {
		what := tt.req.Method + " " + tt.req.URL.Path
		r := s.do(t, tt.req)
		r.wantPage(t, what, http.StatusMethodNotAllowed, "This address does not take that kind of request; see the Allow header.")
		if got := r.header.Get(fiber.HeaderAllow); got != tt.wantAllow {
			t.Errorf("%s Allow = %q, want %q", what, got, tt.wantAllow)
		}
	}
	r := s.do(t, browser.request(http.MethodPost, "/account", url.Values{}))
	if r.status != http.StatusForbidden || r.heading() != "Form expired" {
		t.Errorf("POST /account without a token = %d %q, want 403 %q", r.status, r.heading(), "Form expired")
	}
}
