package test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/uptrace/bun"
	"go.uber.org/fx"
)

func TestNotFoundAndMethodNotAllowedPages(t *testing.T) {
	srv := startServer(t)
	b := srv.newBrowser()

	nf := b.get("/no/such/page")
	if nf.StatusCode != http.StatusNotFound || !strings.Contains(nf.Body, "Page not found") || !strings.Contains(nf.Body, `href="/static/style.css"`) {
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
	if n := strings.Count(srv.logs.String(), id); n != 1 {
		t.Errorf("request id %s appears %d times in the log, want exactly 1; log:\n%s", id, n, srv.logs.String())
	}
}

func TestSecurityHeaders(t *testing.T) {
	srv := startServer(t)
	res := srv.newBrowser().get("/login")
	want := map[string]string{
		"Content-Security-Policy": "default-src 'self'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "same-origin",
		"X-Frame-Options":         "DENY",
		"Cache-Control":           "no-store",
	}
	for name, sub := range want {
		if got := res.Header.Get(name); !strings.Contains(got, sub) {
			t.Errorf("GET /login %s = %q, want it to contain %q", name, got, sub)
		}
	}
	css := srv.newBrowser().get("/static/style.css")
	if css.StatusCode != http.StatusOK || !strings.HasPrefix(css.Header.Get("Content-Type"), "text/css") {
		t.Errorf("GET /static/style.css = %d %q, want 200 text/css served by the binary", css.StatusCode, css.Header.Get("Content-Type"))
	}
}
