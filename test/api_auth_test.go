package test

import (
	"net/http"
	"strings"
	"testing"
)

// TestAPIUnauthorized calls every protected endpoint without a usable
// bearer token: each is a 401 unauthorized with a WWW-Authenticate
// challenge, whose error="invalid_token" tells a rejected token from a
// missing one. A session cookie, even a live one, is no credential here.
func TestAPIUnauthorized(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	c := srv.newAPIClient()
	c.signup("alice", alicePassword)
	revoked, _ := c.login("alice", alicePassword, false)
	revoked.call(http.MethodDelete, v1+"/sessions/current", nil)
	b := srv.newBrowser()
	b.login("alice", alicePassword, false)
	cookie := b.cookie("gatehouse_session")
	if cookie == nil {
		t.Fatal("the site's login set no session cookie")
	}

	const (
		missing = `Bearer realm="gatehouse"`
		invalid = `Bearer realm="gatehouse", error="invalid_token"`
	)
	tests := []struct {
		name      string
		header    map[string]string
		offSpec   bool // no Authorization: Bearer header at all
		wantChall string
	}{
		{"no header", nil, true, missing},
		{"the site's session cookie", map[string]string{"Cookie": "gatehouse_session=" + cookie.Value}, true, missing},
		{"the cookie's token as Basic", map[string]string{"Authorization": "Basic " + cookie.Value}, true, missing},
		{"malformed token", map[string]string{"Authorization": "Bearer not-a-token"}, false, invalid},
		{"empty token", map[string]string{"Authorization": "Bearer "}, false, invalid},
		{"unknown token", map[string]string{"Authorization": "Bearer " + strings.Repeat("A", 43)}, false, invalid},
		{"revoked token", map[string]string{"Authorization": "Bearer " + revoked.token}, false, invalid},
	}
	endpoints := []struct {
		method, path string
		body         string
	}{
		{http.MethodGet, v1 + "/me", ""},
		{http.MethodGet, v1 + "/sessions", ""},
		{http.MethodDelete, v1 + "/sessions/current", ""},
		{http.MethodDelete, v1 + "/sessions/1", ""},
		{http.MethodPut, v1 + "/me/password", `{"current_password":"correct horse battery staple","new_password":"a brand new passphrase of hers"}`},
	}
	for _, tt := range tests {
		for _, ep := range endpoints {
			r := apiRequest{method: ep.method, path: ep.path, header: tt.header, offSpec: tt.offSpec}
			if ep.body != "" {
				r.body = []byte(ep.body)
			}
			what := tt.name + ": " + ep.method + " " + ep.path
			res := c.do(r)
			res.wantError(t, what, http.StatusUnauthorized, "unauthorized")
			if got := res.Header.Get("WWW-Authenticate"); got != tt.wantChall {
				t.Errorf("%s WWW-Authenticate = %q, want %q", what, got, tt.wantChall)
			}
		}
	}
	// None of that changed anything: the password is still alice's.
	c.login("alice", alicePassword, false)
}

// TestSiteIgnoresBearerTokens sends the site a live API token in an
// Authorization header: the site reads only its cookie, so it is an
// anonymous visit, and no request can act for a user without the
// cookie (and its CSRF token) the site expects.
func TestSiteIgnoresBearerTokens(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	c := srv.newAPIClient()
	c.signup("alice", alicePassword)
	alice, _ := c.login("alice", alicePassword, false)

	b := srv.newBrowser()
	b.header.Set("Authorization", "Bearer "+alice.token)
	for _, path := range []string{"/", "/account"} {
		res := b.get(path)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("GET %s with a bearer token = %d to %q, want 303 to the login page", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	if res := b.post("/logout", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("POST /logout with a bearer token = %d, want the anonymous 303", res.StatusCode)
	}
	if res := alice.call(http.MethodGet, v1+"/me", nil); res.StatusCode != http.StatusOK {
		t.Errorf("the token after the site saw it in a logout = %d, want 200 (the site must not act on it)", res.StatusCode)
	}
}
