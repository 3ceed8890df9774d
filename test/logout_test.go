package test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestLogout(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, true)
	b.get("/")
	token := b.cookie("gatehouse_session").Value

	// GET /logout changes nothing: it offers a POST form.
	page := b.get("/logout")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `method="post" action="/logout"`) {
		t.Fatalf("GET /logout = %d, want 200 with a POST form; body:\n%s", page.StatusCode, page.Body)
	}
	if res := b.get("/"); res.StatusCode != http.StatusOK {
		t.Fatalf("GET / after GET /logout = %d, want 200 (still logged in)", res.StatusCode)
	}

	res := b.post("/logout", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?notice=logged-out" {
		t.Fatalf("POST /logout = %d to %q, want 303 to /login?notice=logged-out", res.StatusCode, res.Header.Get("Location"))
	}
	for _, name := range []string{"gatehouse_session", "last_visit"} {
		c := res.setCookie(t, name)
		if c == nil || c.Value != "" || (c.MaxAge >= 0 && !c.Expires.Before(time.Now())) {
			t.Errorf("POST /logout cookie %s = %v, want it cleared (empty and expired)", name, c)
			continue
		}
		checkCookieAttributes(t, c, false)
	}
	if page := b.get(res.Header.Get("Location")); !strings.Contains(page.Body, "You have been logged out.") {
		t.Errorf("login page after logout lacks the confirmation")
	}

	// The token is revoked on the server, not just forgotten by the browser.
	replay := srv.newBrowser()
	replay.setCookie("gatehouse_session", token)
	if res := replay.get("/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("GET / with the logged-out token = %d, want 303 to login", res.StatusCode)
	}
}

func TestLogoutWhenAnonymous(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	if res := b.get("/logout"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous GET /logout = %d, want 303 to login", res.StatusCode)
	}
	if res := b.post("/logout", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous POST /logout = %d, want 303", res.StatusCode)
	}
}
