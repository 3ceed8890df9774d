package test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/argon2id"
	"github.com/uptrace/bun"
	"go.uber.org/fx"
)

// TestAPINotFound asks for paths under /api that name no endpoint, with
// several methods: each is the API's JSON 404, never the site's page (the
// client's checks refuse HTML, a cookie, or the site's headers).
func TestAPINotFound(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	c := srv.newAPIClient()
	for _, path := range []string{"/api", "/api/", "/api/v1", "/api/v2/me", "/api/v1/nothing", "/api/v1/sessions/1/extra", "/API/V1/NOPE", "/api/v1/me/password/x"} {
		for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodDelete} {
			res := c.do(apiRequest{method: method, path: path, offSpec: true})
			res.wantError(t, method+" "+path, http.StatusNotFound, "not_found")
		}
	}
	// A path that only starts like the prefix is the site's.
	if res := srv.newBrowser().get("/apix"); res.StatusCode != http.StatusNotFound || !strings.Contains(res.Body, "Page not found") {
		t.Errorf("GET /apix = %d, want the site's 404 page; body:\n%.300s", res.StatusCode, res.Body)
	}
}

// TestAPIMethodNotAllowed calls endpoints with methods they do not take:
// a JSON 405 whose Allow lists the ones they do.
func TestAPIMethodNotAllowed(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	c := srv.newAPIClient()
	tests := []struct {
		method, path, wantAllow string
	}{
		{http.MethodPut, v1 + "/me", "GET, PATCH"},
		{http.MethodDelete, v1 + "/me", "GET, PATCH"},
		{http.MethodGet, v1 + "/users", "POST"},
		{http.MethodPut, v1 + "/sessions", "POST, GET"},
		{http.MethodGet, v1 + "/sessions/current", "DELETE"},
		{http.MethodPost, v1 + "/sessions/5", "DELETE"},
		{http.MethodPost, v1 + "/me/password", "PUT"},
		{http.MethodPost, v1 + "/openapi.json", "GET"},
		{http.MethodOptions, v1 + "/users", "POST"},
	}
	for _, tt := range tests {
		res := c.do(apiRequest{method: tt.method, path: tt.path, offSpec: true})
		res.wantError(t, tt.method+" "+tt.path, http.StatusMethodNotAllowed, "method_not_allowed")
		if got := res.Header.Get("Allow"); got != tt.wantAllow {
			t.Errorf("%s %s Allow = %q, want %q", tt.method, tt.path, got, tt.wantAllow)
		}
	}
}

// TestAPIUnreadableRequests sends requests the server cannot read:
// fasthttp resets them before the error handler runs, so their path is
// lost, and they still get the API's JSON (never the site's page).
func TestAPIUnreadableRequests(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	tests := []struct {
		name, raw, wantStatus, wantCode string
	}{
		{"chunked body over 16 KiB",
			"POST /api/v1/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n4400\r\n" + strings.Repeat("a", 0x4400) + "\r\n0\r\n\r\n",
			"413", "payload_too_large"},
		{"headers over 8 KiB", "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 10<<10) + "\r\n\r\n", "431", "bad_request"},
		{"negative Content-Length", "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", "400", "bad_request"},
	}
	for _, tt := range tests {
		status, header, body := rawExchange(t, srv, tt.raw)
		if !strings.HasPrefix(status, "HTTP/1.1 "+tt.wantStatus+" ") || !strings.Contains(header, "Content-Type: application/json") ||
			!strings.Contains(body, `"code":"`+tt.wantCode+`"`) {
			t.Errorf("%s: answer %q, %q, want %s JSON %s; headers:\n%s", tt.name, status, body, tt.wantStatus, tt.wantCode, header)
		}
	}
}

// rawExchange writes raw to the server and reads one response: its
// status line, header block and body.
func rawExchange(t *testing.T, srv *testServer, raw string) (status, header, body string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(srv.base, "http://"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatalf("write: %v", err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var h strings.Builder
	_ = res.Header.Write(&h)
	return fmt.Sprintf("HTTP/1.1 %s", res.Status), h.String(), string(b)
}

// TestAPIHashingFloodGets503 floods logins at a pool of one worker with
// one waiting place, as test/pool_test.go does for the site: the API
// shares the pool, so the extra logins get 503 unavailable with
// Retry-After, never a 500, and calls that do not hash keep answering.
func TestAPIHashingFloodGets503(t *testing.T) {
	t.Parallel()
	limits := argon2id.PoolLimits{Workers: 1, MaxWaiting: 1, MaxWait: 5 * time.Second}
	// Hashing at the production cost, so that the flood outlasts the
	// one worker and its one waiting place.
	srv := startServer(t, withOWASPArgon2(), withShortRefusalHold(), withFx(fx.Decorate(func(argon2id.PoolLimits) argon2id.PoolLimits { return limits })))
	c := srv.newAPIClient()
	c.signup("alice", alicePassword)

	const flood = 24
	clients := make([]*apiClient, flood)
	for i := range clients {
		clients[i] = srv.newAPIClient()
	}
	var wg sync.WaitGroup
	results := make([]apiResponse, flood)
	for i := range flood {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = clients[i].call(http.MethodPost, v1+"/sessions", map[string]string{"username": "alice", "password": "wrong password!"})
		}()
	}
	doc := srv.newAPIClient().call(http.MethodGet, v1+"/openapi.json", nil)
	wg.Wait()

	if doc.StatusCode != http.StatusOK {
		t.Errorf("GET /openapi.json during the flood = %d, want 200", doc.StatusCode)
	}
	counts := map[int]int{}
	for _, res := range results {
		counts[res.StatusCode]++
		switch res.StatusCode {
		case http.StatusServiceUnavailable:
			res.wantError(t, "flooded POST /sessions", http.StatusServiceUnavailable, "unavailable")
			if ra := res.Header.Get("Retry-After"); ra != "5" {
				t.Errorf("503 Retry-After = %q, want 5", ra)
			}
		case http.StatusUnauthorized, http.StatusTooManyRequests:
		default:
			t.Errorf("flood statuses %v: %d is not 401, 429 or 503", counts, res.StatusCode)
		}
	}
	if counts[http.StatusServiceUnavailable] == 0 {
		t.Errorf("flood statuses %v: want some 503 from a full hashing pool", counts)
	}
}

// TestAPIServerError breaks the database under a running server: the
// client gets a 500 internal whose message holds the request id and no
// internals, and the failure is logged once with the same id.
func TestAPIServerError(t *testing.T) {
	t.Parallel()
	var db *bun.DB
	srv := startServer(t, withFx(fx.Populate(&db)))
	c := srv.newAPIClient()
	c.signup("alice", alicePassword)
	alice, _ := c.login("alice", alicePassword, false)

	if _, err := db.ExecContext(context.Background(), "DROP TABLE sessions"); err != nil {
		t.Fatalf("drop sessions: %v", err)
	}
	res := alice.call(http.MethodGet, v1+"/me", nil)
	e := res.wantError(t, "GET /me with a broken database", http.StatusInternalServerError, "internal")
	id := res.Header.Get("X-Request-ID")
	if id == "" || !strings.Contains(e.Error.Message, id) {
		t.Errorf("500 message %q does not hold the request id %q", e.Error.Message, id)
	}
	for _, leak := range []string{"sessions", "SQL", "sqlite", "no such table"} {
		if strings.Contains(string(res.Body), leak) {
			t.Errorf("500 body leaks %q: %s", leak, res.Body)
		}
	}
	if n := errorLines(srv.logs.String(), id); n != 1 {
		t.Errorf("request id %s is in %d error lines of the log, want exactly 1 (plus its request line); log:\n%s", id, n, srv.logs.String())
	}
}
