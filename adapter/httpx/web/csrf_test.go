package web

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/gofiber/fiber/v2"
)

const formExpired = "This form has expired or was not sent from this site. Reload the page and try again."

// wantFormExpired fails the test unless r is the CSRF refusal's page.
func (r *result) wantFormExpired(t *testing.T, what string) {
	t.Helper()
	r.wantPage(t, what, http.StatusForbidden, formExpired)
	if got := r.heading(); got != "Form expired" {
		t.Errorf("%s heading = %q, want %q", what, got, "Form expired")
	}
}

// TestCSRFRoundTrip protects that the form a page renders posts back: the
// token in its hidden field and the visitor cookie it set go together.
func TestCSRFRoundTrip(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	s.auth.LoginFunc = loginAs(alice(), s.tokens.next())
	page := s.stranger().get(t, "/login")
	id := page.cookie(s.cookieName(visitorCookieName))
	if id == nil || page.csrfField() == "" {
		t.Fatalf("GET /login gave no visitor cookie (%v) or no token (%q)", id, page.csrfField())
	}
	browser := &visitor{site: s, cookies: []*http.Cookie{id}, csrf: page.csrfField()}
	browser.post(t, "/login", url.Values{"username": {"alice"}, "password": {"pw"}}).wantRedirect(t, "POST /login (the page's token)", "/")

	// A second page for the same browser keeps the binding.
	if again := browser.get(t, "/signup"); again.csrfField() != page.csrfField() || again.cookie(s.cookieName(visitorCookieName)) != nil {
		t.Errorf("GET /signup with a visitor cookie: token %q, new cookie %v; want the same token and no new cookie", again.csrfField(), again.cookie(s.cookieName(visitorCookieName)))
	}
}

// TestCSRFRefused protects the refusal of a POST without a valid token
// for the browser's binding, or from another site whatever its token:
// the 403 "Form expired" page, and the handler never runs.
func TestCSRFRefused(t *testing.T) {
	t.Parallel()
	form := url.Values{"username": {"alice"}, "password": {"pw"}}
	tests := []struct {
		name    string
		prepare func(s *testSite, v *visitor) *http.Request
	}{
		{"no token", func(s *testSite, v *visitor) *http.Request {
			return v.request(http.MethodPost, "/login", form)
		}},
		{"wrong token", func(s *testSite, v *visitor) *http.Request {
			swap := "A"
			if v.csrf[0] == 'A' {
				swap = "B"
			}
			v.csrf = swap + v.csrf[1:]
			return v.formRequest("/login", form)
		}},
		{"another visitor's token", func(s *testSite, v *visitor) *http.Request {
			v.csrf = s.anonymous(t).csrf
			return v.formRequest("/login", form)
		}},
		{"token without its cookie", func(s *testSite, v *visitor) *http.Request {
			v.cookies = nil
			return v.formRequest("/login", form)
		}},
		{"token of another key", func(s *testSite, v *visitor) *http.Request {
			v.csrf = newCSRFCodec([]byte("another secret key of 32 bytes!!")).token("visitor:" + v.cookies[0].Value)
			return v.formRequest("/login", form)
		}},
		{"token of the last visit's key", func(s *testSite, v *visitor) *http.Request {
			v.csrf = newLastVisitCodec(testSecret).mac("visitor:" + v.cookies[0].Value)
			return v.formRequest("/login", form)
		}},
		{"foreign origin", func(s *testSite, v *visitor) *http.Request {
			req := v.formRequest("/login", form)
			req.Header.Set(fiber.HeaderOrigin, "https://evil.example")
			return req
		}},
		{"origin on another port", func(s *testSite, v *visitor) *http.Request {
			req := v.formRequest("/login", form)
			req.Header.Set(fiber.HeaderOrigin, "http://example.com:8080")
			return req
		}},
		{"null origin", func(s *testSite, v *visitor) *http.Request {
			req := v.formRequest("/login", form)
			req.Header.Set(fiber.HeaderOrigin, "null")
			return req
		}},
		{"origin of another scheme", func(s *testSite, v *visitor) *http.Request {
			req := v.formRequest("/login", form)
			req.Header.Set(fiber.HeaderOrigin, "ftp://example.com")
			return req
		}},
		{"foreign referer", func(s *testSite, v *visitor) *http.Request {
			req := v.formRequest("/login", form)
			req.Header.Set(fiber.HeaderReferer, "https://evil.example/login")
			return req
		}},
		{"foreign origin, own referer", func(s *testSite, v *visitor) *http.Request {
			req := v.formRequest("/login", form)
			req.Header.Set(fiber.HeaderOrigin, "https://evil.example")
			req.Header.Set(fiber.HeaderReferer, "http://example.com/login")
			return req
		}},
		{"origin believed from X-Forwarded-Host", func(s *testSite, v *visitor) *http.Request {
			req := v.formRequest("/login", form)
			req.Header.Set(fiber.HeaderOrigin, "https://evil.example")
			req.Header.Set(fiber.HeaderXForwardedHost, "evil.example")
			return req
		}},
	}
	// One site for all: none of them may reach the use case.
	s := newTestSite(t)
	for _, tt := range tests {
		before := s.auth.Count("Login")
		req := tt.prepare(s, s.anonymous(t))
		s.do(t, req).wantFormExpired(t, "POST /login ("+tt.name+")")
		if s.auth.Count("Login") != before {
			t.Errorf("POST /login (%s) reached Login", tt.name)
		}
	}
}

// TestCSRFSameOrigin protects what passes the origin check: the site's
// own Origin or Referer, in any case, or neither (left to the token).
func TestCSRFSameOrigin(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, header, value string }{
		{"neither", "", ""},
		{"own origin", fiber.HeaderOrigin, "http://example.com"},
		{"own origin in capitals", fiber.HeaderOrigin, "HTTP://EXAMPLE.COM"},
		{"own referer", fiber.HeaderReferer, "http://example.com/login?next=%2F"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t)
			s.auth.LoginFunc = loginAs(alice(), s.tokens.next())
			req := s.anonymous(t).formRequest("/login", url.Values{"username": {"alice"}, "password": {"pw"}})
			if tt.header != "" {
				req.Header.Set(tt.header, tt.value)
			}
			s.do(t, req).wantRedirect(t, "POST /login ("+tt.name+")", "/")
		})
	}
}

// TestCSRFBoundToSession protects that a login changes the binding: a
// signed-in browser's forms need its session's token, not the visitor's
// nor another session's.
func TestCSRFBoundToSession(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	anonymous := s.anonymous(t)
	browser, _ := s.signIn(t, alice())
	other, _ := s.signIn(t, alice())
	for _, tt := range []struct{ name, token string }{
		{"the visitor's token", anonymous.csrf},
		{"another session's token", other.csrf},
	} {
		v := &visitor{site: s, cookies: append(browser.cookies, anonymous.cookies...), csrf: tt.token}
		v.post(t, "/logout", nil).wantFormExpired(t, "POST /logout (signed in, "+tt.name+")")
	}
	wantNoCall(t, &s.account.Calls, "Logout")
	browser.post(t, "/logout", nil).wantRedirect(t, "POST /logout (the session's token)", "/login?notice=logged-out")
}
