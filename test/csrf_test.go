package test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const csrfExplanation = "Reload the page and try again."

func TestCSRFTokenRequired(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	good := url.Values{"username": {"alice"}, "password": {alicePassword}}

	tests := []struct {
		name  string
		token func(b *browser) string
	}{
		{"no token", func(*browser) string { return "" }},
		{"garbage token", func(*browser) string { return "not-a-token" }},
		{"another visitor's token", func(*browser) string { return srv.newBrowser().csrfToken() }},
		{"token with a flipped character", func(b *browser) string {
			tok := []byte(b.csrfToken())
			tok[0] ^= 1
			return string(tok)
		}},
	}
	// The cases run one after another: they share srv, whose browsers
	// report failures to the parent test, and the check after the loop
	// needs them all done.
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := srv.newBrowser()
			b.get("/signup") // a visitor with a binding of its own
			form := url.Values{}
			for k, v := range good {
				form[k] = v
			}
			form.Set("csrf_token", tt.token(b))
			res := b.postRaw("/signup", form, nil)
			if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, csrfExplanation) {
				t.Errorf("POST /signup with %s = %d, want 403 explaining what to do; body:\n%s", tt.name, res.StatusCode, res.Body)
			}
		})
	}
	// Nothing was created by the refused requests.
	if res := srv.newBrowser().post("/login", good); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("login after refused signups = %d, want 401 (no account)", res.StatusCode)
	}
}

func TestCSRFOriginCheck(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	srv.newBrowser().signup("alice", alicePassword)

	tests := []struct {
		name    string
		headers map[string]string
		want    int
	}{
		{"same origin", map[string]string{"Origin": srv.base}, http.StatusSeeOther},
		{"no origin, same-site referer", map[string]string{"Referer": srv.base + "/login"}, http.StatusSeeOther},
		{"neither header: the token decides", nil, http.StatusSeeOther},
		{"other origin", map[string]string{"Origin": "http://evil.example"}, http.StatusForbidden},
		{"other origin, same-site referer", map[string]string{"Origin": "http://evil.example", "Referer": srv.base + "/login"}, http.StatusForbidden},
		{"null origin", map[string]string{"Origin": "null"}, http.StatusForbidden},
		{"other referer", map[string]string{"Referer": "http://evil.example/page"}, http.StatusForbidden},
		{"same host, other port", map[string]string{"Origin": "http://127.0.0.1:1"}, http.StatusForbidden},
		{"spoofed forwarded host", map[string]string{"Origin": "http://evil.example", "X-Forwarded-Host": "evil.example"}, http.StatusForbidden},
	}
	// The cases run one after another: they share srv, whose browsers
	// report failures to the parent test.
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := srv.newBrowser()
			form := url.Values{"username": {"alice"}, "password": {alicePassword}, "csrf_token": {b.csrfToken()}}
			res := b.postRaw("/login", form, tt.headers)
			if res.StatusCode != tt.want {
				t.Errorf("POST /login with %v = %d, want %d", tt.headers, res.StatusCode, tt.want)
			}
		})
	}
}

// TestCSRFTokensRotate checks that the token of the anonymous visitor is
// worthless once logged in, and the logged-in token once logged out.
func TestCSRFTokensRotate(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	b.signup("alice", alicePassword)

	before := b.csrfToken()
	b.login("alice", alicePassword, false)
	if c := b.cookie("gatehouse_visitor"); c != nil {
		t.Errorf("visitor cookie %q survived the login, want it cleared", c.Value)
	}
	if res := b.postRaw("/logout", url.Values{"csrf_token": {before}}, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("POST /logout with the pre-login token = %d, want 403", res.StatusCode)
	}
	during := b.csrfToken()
	if during == before {
		t.Fatalf("token did not change at login")
	}
	if res := b.postRaw("/logout", url.Values{"csrf_token": {during}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /logout with the session's token = %d, want 303", res.StatusCode)
	}
	after := b.csrfToken()
	if after == during || after == before {
		t.Errorf("token did not change at logout")
	}
	form := url.Values{"username": {"alice"}, "password": {alicePassword}, "csrf_token": {during}}
	if res := b.postRaw("/login", form, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("POST /login with the logged-out session's token = %d, want 403", res.StatusCode)
	}
}

func TestEveryFormCarriesAToken(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	for _, page := range []string{"/login", "/signup"} {
		checkFormsHaveTokens(t, page, b.get(page).Body)
	}
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, false)
	for _, page := range []string{"/", "/logout", "/no-such-page"} {
		checkFormsHaveTokens(t, page, b.get(page).Body)
	}
	visitor := srv.newBrowser()
	visitor.get("/login")
	c := visitor.cookie("gatehouse_visitor")
	if c == nil || len(c.Value) != 43 {
		t.Fatalf("visitor cookie after GET /login = %v, want a 256-bit id", c)
	}
}

func checkFormsHaveTokens(t *testing.T, page, body string) {
	t.Helper()
	forms := strings.Count(body, `method="post"`)
	tokens := len(csrfInput.FindAllString(body, -1))
	if forms == 0 || forms != tokens {
		t.Errorf("GET %s: %d POST forms, %d CSRF fields; want one per form", page, forms, tokens)
	}
}
