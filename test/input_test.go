package test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestOversizedBodyIs413(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	form := url.Values{"username": {"alice"}, "password": {strings.Repeat("x", 17<<10)}}
	res := b.post("/signup", form)
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(res.Body, "too large") {
		t.Errorf("POST /signup with a 17 KiB body = %d, want the 413 page; body:\n%s", res.StatusCode, res.Body)
	}
}

func TestDirtyFieldsAre422(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	tests := []struct{ name, raw string }{
		{"NUL in username", "username=ali%00ce&password=correct+horse+battery"},
		{"invalid UTF-8", "username=ali%FFce&password=correct+horse+battery"},
		{"newline", "username=alice%0A&password=correct+horse+battery"},
		{"control character in password", "username=alice&password=correct%07horse+battery"},
		{"C1 control", "username=alice%C2%85&password=correct+horse+battery"},
		{"dirty field name", "user%00name=alice&password=correct+horse+battery"},
	}
	for _, tt := range tests {
		b := srv.newBrowser()
		for _, path := range []string{"/signup", "/login"} {
			req, _ := http.NewRequest(http.MethodPost, srv.base+path, strings.NewReader(tt.raw+"&csrf_token="+b.csrfToken()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res := b.do(req)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "not allowed") {
				t.Errorf("%s: POST %s = %d, want 422 with a message", tt.name, path, res.StatusCode)
			}
		}
	}
	// Nothing was stored: the clean name is still free.
	srv.newBrowser().signup("alice", alicePassword)
}

func TestFormMustBeURLEncoded(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	req, _ := http.NewRequest(http.MethodPost, srv.base+"/login", strings.NewReader(`{"username":"alice"}`))
	req.Header.Set("Content-Type", "application/json")
	if res := b.do(req); res.StatusCode != http.StatusUnsupportedMediaType && res.StatusCode != http.StatusForbidden {
		t.Errorf("POST /login with JSON = %d, want 415 (or 403: it has no CSRF token either)", res.StatusCode)
	}
}

func TestPasswordPolicyOverHTTP(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	tests := []struct {
		name, username, password, want string
	}{
		{"common", "alice", "qwertyuiop123", "commonly used passwords"},
		{"common, other case", "alice", "QwErTy123456", "commonly used passwords"},
		{"contains username", "alice", "i-am-ALICE-and-proud", "must not contain your username"},
		{"one character repeated", "alice", strings.Repeat("z", 16), "one character repeated"},
		{"too short", "alice", "eleven char", "at least 12"},
		{"too long", "alice", strings.Repeat("ab", 64) + "c", "at most 128"},
	}
	for _, tt := range tests {
		res := srv.newBrowser().post("/signup", url.Values{"username": {tt.username}, "password": {tt.password}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, tt.want) {
			t.Errorf("%s: POST /signup = %d, want 422 saying %q", tt.name, res.StatusCode, tt.want)
		}
	}
	// 128 code points after NFKC is the limit, not 128 bytes.
	srv.newBrowser().signup("zoe", strings.Repeat("é", 64)+strings.Repeat("ü", 64))
}

func TestUsernameRulesOverHTTP(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	srv.newBrowser().signup("Ｊｏｈｎ", alicePassword) // fullwidth: NFKC makes it John
	res := srv.newBrowser().post("/signup", url.Values{"username": {"JOHN"}, "password": {bobPassword}})
	if res.StatusCode != http.StatusConflict {
		t.Errorf("JOHN after Ｊｏｈｎ = %d, want 409 (same name after NFKC and case folding)", res.StatusCode)
	}
	b := srv.newBrowser()
	b.login("john", alicePassword, false)
	if page := b.get("/"); !strings.Contains(page.Body, "Welcome, John") {
		t.Errorf("dashboard does not show the name as typed (normalized): %s", page.Body)
	}
}

func TestMalformedCookiesAreIgnored(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	for i, value := range []string{"garbage", strings.Repeat("A", 43), strings.Repeat("%", 43), "x.y.z", strings.Repeat("a", 1500)} {
		b := srv.newBrowser()
		b.setCookie("gatehouse_session", value)
		b.setCookie("gatehouse_visitor", value)
		b.setCookie("last_visit", value)
		if res := b.get("/"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("GET / with cookie %.20q = %d, want 303 to login", value, res.StatusCode)
		}
		if res := b.get("/login"); res.StatusCode != http.StatusOK {
			t.Errorf("GET /login with cookie %.20q = %d, want 200", value, res.StatusCode)
		}
		b.signup(fmt.Sprintf("user%d", i), alicePassword) // forms still work
	}
}
