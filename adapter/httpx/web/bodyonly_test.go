package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// Credentials and CSRF tokens are never taken from a URL: a POST's
// fields come from its urlencoded body only. A query string would put
// them into logs, history and Referer headers, would override the form,
// and would skip checkForm, which checks only the body.

// TestLoginIgnoresCredentialsInTheQuery protects the login from
// credentials in its URL: in the query alone they are missing fields (a
// 422, and no login is tried); next to the form's, the form's are used,
// and the query's remember and next are ignored as well.
func TestLoginIgnoresCredentialsInTheQuery(t *testing.T) {
	query := url.Values{
		"username": {"mal\x00lory"}, // a control character checkForm never saw
		"password": {"query-secret"},
		"remember": {"on"},
		"next":     {"/admin/users"},
	}
	target := "/login?" + query.Encode()

	t.Run("credentials only in the query", func(t *testing.T) {
		r := newSiteRig(t, rigPrincipal(domain.RoleUser))
		res := r.do(t, siteCall{method: http.MethodPost, target: target, form: url.Values{}})
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, missingCredentials) {
			t.Errorf("POST %s = %d, want 422 with %q", target, res.status, missingCredentials)
		}
		if n := r.auth.Count("Login"); n != 0 {
			t.Errorf("POST %s: Login called %d times, want never", target, n)
		}
	})

	t.Run("credentials in the body and the query", func(t *testing.T) {
		r := newSiteRig(t, rigPrincipal(domain.RoleUser))
		r.auth.LoginFunc = func(usecase.LoginInput) (usecase.LoginResult, error) {
			return usecase.LoginResult{Token: rigToken, Session: domain.Session{ID: 41}}, nil
		}
		form := url.Values{"username": {"alice"}, "password": {"body-secret"}, "next": {"/account"}}
		res := r.do(t, siteCall{method: http.MethodPost, target: target, form: form})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/account" {
			t.Errorf("POST %s = %d to %q, want 303 to the body's next, /account", target, res.status, res.header.Get("Location"))
		}
		calls := r.auth.Of("Login")
		if len(calls) != 1 {
			t.Fatalf("POST %s: Login called %d times, want once", target, len(calls))
		}
		in := calls[0].Args[0].(usecase.LoginInput)
		if in.Username != "alice" || in.Password != "body-secret" || in.Remember {
			t.Errorf("POST %s: Login(username %q, password %q, remember %v), want the body's alice, body-secret, no remember",
				target, in.Username, in.Password, in.Remember)
		}
	})
}

// TestCSRFTokenOnlyFromTheBody protects the CSRF check from tokens in
// URLs: a valid token in the query string alone is no token, a 403, and
// the action does not run.
func TestCSRFTokenOnlyFromTheBody(t *testing.T) {
	tests := []struct {
		name     string
		target   string
		form     url.Values
		signedIn bool
		method   string // the use case that must not run
		calls    func(*siteRig) int
	}{
		{"login", "/login", url.Values{"username": {"alice"}, "password": {"body-secret"}}, false, "Login",
			func(r *siteRig) int { return r.auth.Count("Login") }},
		{"logout", "/logout", nil, true, "Logout",
			func(r *siteRig) int { return r.account.Count("Logout") }},
		{"revoke other sessions", "/account/sessions/revoke-others", nil, true, "RevokeOtherSessions",
			func(r *siteRig) int { return r.account.Count("RevokeOtherSessions") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newSiteRig(t, rigPrincipal(domain.RoleUser))
			target := tt.target + "?" + url.Values{csrfField: {r.csrfToken(tt.signedIn)}}.Encode()
			res := r.do(t, siteCall{method: http.MethodPost, target: target, form: tt.form, noToken: true, signedIn: tt.signedIn})
			if res.status != http.StatusForbidden {
				t.Errorf("POST %s with the token only in the query = %d, want 403", tt.target, res.status)
			}
			if n := tt.calls(r); n != 0 {
				t.Errorf("POST %s with the token only in the query: %s called %d times, want never", tt.target, tt.method, n)
			}
		})
	}
}

// TestPostFieldsOnlyFromTheBody protects every other POST of the site:
// a field only in the query string is not read, and a field in both is
// the body's.
func TestPostFieldsOnlyFromTheBody(t *testing.T) {
	tests := []struct {
		name   string
		target string
		body   url.Values // the form's fields
		query  url.Values // the same fields, as a link would set them
		// used says which values the handler went on with.
		used                func(*siteRig, siteResponse) string
		wantBody, wantQuery string // used with body and query; with the query only
	}{
		{"signup", "/signup",
			url.Values{"username": {"alice"}, "password": {"body-secret"}},
			url.Values{"username": {"mallory"}, "password": {"query-secret"}},
			func(r *siteRig, _ siteResponse) string {
				if c := r.registrar.Of("Register"); len(c) == 1 {
					in := c[0].Args[0].(usecase.RegisterInput)
					return in.Username + "/" + in.Password
				}
				return "no call"
			}, "alice/body-secret", "/"},
		{"password change", "/account/password",
			url.Values{"current_password": {"body-old"}, "new_password": {"body-new"}},
			url.Values{"current_password": {"query-old"}, "new_password": {"query-new"}},
			func(r *siteRig, _ siteResponse) string {
				if c := r.account.Of("ChangePassword"); len(c) == 1 {
					return fmt.Sprintf("%s/%s", c[0].Args[1], c[0].Args[2])
				}
				return "no call"
			}, "body-old/body-new", "/"},
		{"profile", "/account/profile",
			url.Values{"display_name": {"Body Name"}},
			url.Values{"display_name": {"Query Name"}},
			func(r *siteRig, res siteResponse) string {
				if c := r.account.Of("SetDisplayName"); len(c) == 1 {
					return fmt.Sprint(c[0].Args[1])
				}
				return fmt.Sprintf("no call, %d", res.status)
			}, "Body Name", "no call, 422"},
		{"account deletion", "/account/delete",
			url.Values{"password": {"body-secret"}},
			url.Values{"password": {"query-secret"}},
			func(r *siteRig, _ siteResponse) string {
				if c := r.account.Of("Delete"); len(c) == 1 {
					return fmt.Sprint(c[0].Args[1])
				}
				return "no call"
			}, "body-secret", ""},
		{"admin role", "/admin/users/9/role",
			url.Values{"role": {"user"}},
			url.Values{"role": {"admin"}},
			func(r *siteRig, res siteResponse) string {
				if c := r.admin.Of("SetRole"); len(c) == 1 {
					return fmt.Sprint(c[0].Args[2])
				}
				return fmt.Sprintf("no call, %d", res.status)
			}, "user", "no call, 422"},
		{"admin action's way back", "/admin/users/9/disable",
			url.Values{"q": {"bob"}, "page": {"2"}},
			url.Values{"q": {"mallory"}, "page": {"5"}},
			func(_ *siteRig, res siteResponse) string { return res.header.Get("Location") },
			"/admin/users?notice=" + noticeUserDisabled + "&page=2&q=bob", "/admin/users?notice=" + noticeUserDisabled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := tt.target + "?" + tt.query.Encode()
			for _, form := range []url.Values{tt.body, {}} {
				r := newSiteRig(t, rigPrincipal(domain.RoleAdmin))
				res := r.do(t, siteCall{method: http.MethodPost, target: target, form: form, signedIn: tt.name != "signup"})
				want := tt.wantBody
				if len(form) == 0 {
					want = tt.wantQuery
				}
				if got := tt.used(r, res); got != want {
					t.Errorf("POST %s with body %q (%d): handler used %q, want %q", target, form.Encode(), res.status, got, want)
				}
			}
		})
	}
}
