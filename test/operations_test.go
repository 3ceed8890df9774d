package test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/infrastructure/config"
	"github.com/gatehouse/gatehouse/infrastructure/httpserver"
	"github.com/gatehouse/gatehouse/infrastructure/metrics"
	"go.uber.org/fx"
)

// notReady is a readiness check that always fails.
type notReady struct{}

func (notReady) Check(context.Context) error { return errors.New("database: ping: gone") }

func TestHealthProbes(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	for _, path := range []string{"/healthz", "/readyz"} {
		res := b.get(path)
		if res.StatusCode != http.StatusOK || strings.TrimSpace(res.Body) != `{"status":"ok"}` {
			t.Errorf("GET %s = %d %q, want 200 {\"status\":\"ok\"}", path, res.StatusCode, res.Body)
		}
		if got := res.Header.Values("Set-Cookie"); len(got) != 0 {
			t.Errorf("GET %s set cookies %v, want none: probes have no session or CSRF binding", path, got)
		}
	}
	b.get("/login")
	if strings.Contains(srv.logs.String(), "healthz") || strings.Contains(srv.logs.String(), "readyz") {
		t.Errorf("log mentions a probe, want probes kept out of the request log:\n%s", srv.logs.String())
	}
	if !strings.Contains(srv.logs.String(), "route=/login") {
		t.Errorf("log has no request line for GET /login, so the probe check above proves nothing:\n%s", srv.logs.String())
	}
}

func TestReadyzFailsWhileTheDatabaseDoesNot(t *testing.T) {
	t.Parallel()
	srv := startServer(t, withFx(fx.Decorate(func(httpserver.ReadinessChecker) httpserver.ReadinessChecker { return notReady{} })))
	res := srv.newBrowser().get("/readyz")
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Errorf("GET /readyz while not ready = %d, Retry-After %q; want 503 with a Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if strings.Contains(res.Body, "gone") {
		t.Errorf("GET /readyz body %q shows the cause, want it only in the log", res.Body)
	}
	if res := srv.newBrowser().get("/healthz"); res.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz while not ready = %d, want 200: the process is alive", res.StatusCode)
	}
}

func TestRequestLogLine(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	b.signup("loggeduser", "correct horse battery staple")
	b.login("loggeduser", "correct horse battery staple", false)
	b.get("/?private-query=xyzzy")
	b.get("/no/such/page/plugh")
	api := srv.newAPIClient()
	api.signup("loggedapi", "correct horse battery staple")
	authed, _ := api.login("loggedapi", "correct horse battery staple", false)
	authed.call(http.MethodDelete, v1+"/sessions/12345", nil)

	logs := srv.logs.String()
	for _, secret := range []string{"xyzzy", "plugh", "12345"} {
		if strings.Contains(logs, secret) {
			t.Errorf("log holds %q from a URL, want only route patterns:\n%s", secret, logs)
		}
	}
	wants := []string{
		`msg=request request_id=\S+ method=GET route=/ status=200 latency=\S+ user_id=\d+`,
		`msg=request request_id=\S+ method=POST route=/login status=303 `,
		`msg=request request_id=\S+ method=GET route=unmatched status=404 `,
		`msg=request request_id=\S+ method=DELETE route=/api/v1/sessions/:id status=404 latency=\S+ user_id=\d+`,
	}
	for _, w := range wants {
		if !regexp.MustCompile(w).MatchString(logs) {
			t.Errorf("log has no line matching %s:\n%s", w, logs)
		}
	}
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	var ms *metrics.Server
	srv := startServer(t,
		withConfig(func(c *config.Config) { c.MetricsAddr = "127.0.0.1:0"; c.LoginMaxFailures = 1 }),
		withFx(fx.Populate(&ms)))
	b := srv.newBrowser()
	b.signup("metricsuser", "correct horse battery staple")
	b.login("metricsuser", "correct horse battery staple", false)
	failLogin(t, srv, "metricsuser", "wrong wrong wrong wrong", http.StatusUnauthorized)
	failLogin(t, srv, "metricsuser", "wrong wrong wrong wrong", http.StatusTooManyRequests) // locked after one failure

	if res := srv.newBrowser().get("/metrics"); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /metrics on the public port = %d, want 404: metrics have their own listener", res.StatusCode)
	}
	res, err := http.Get("http://" + ms.Addr() + "/metrics")
	if err != nil {
		t.Fatalf("GET metrics: %v", err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	text := string(body)
	wants := []string{
		`gatehouse_logins_total{outcome="success"} 1`,
		`gatehouse_logins_total{outcome="invalid_credentials"} 1`,
		`gatehouse_logins_total{outcome="throttled"} 1`,
		`gatehouse_throttle_events_total{kind="login"} 1`,
		`gatehouse_http_requests_total{method="POST",route="/login",status="303"} 1`,
		`gatehouse_http_request_duration_seconds_count{method="POST",route="/signup"} 1`,
		`gatehouse_password_hash_duration_seconds_count{op="hash"}`,
		`gatehouse_password_hash_queue 0`,
		`gatehouse_sessions_active 1`,
		`go_goroutines `,
	}
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("metrics lack %q", w)
		}
	}
	if t.Failed() {
		t.Logf("metrics:\n%s", text)
	}
}

// TestLogsHoldNoSecrets runs every flow that carries a secret, at Debug
// level, and looks for each secret in the log.
func TestLogsHoldNoSecrets(t *testing.T) {
	t.Parallel()
	const (
		pass1 = "canary-pass-7f3a91c2-first"
		pass2 = "canary-pass-7f3a91c2-second"
		pass3 = "canary-pass-7f3a91c2-api"
	)
	var log *slog.Logger
	srv := startServer(t, withConfig(func(c *config.Config) { c.LogLevel = slog.LevelDebug }), withFx(fx.Populate(&log)))
	if !log.Enabled(context.Background(), slog.LevelDebug) {
		t.Fatal("the service's logger is not at debug level, so the search below would miss debug lines")
	}
	b := srv.newBrowser()
	b.signup("canaryuser", pass1)
	b.login("canaryuser", pass1, true)
	failLogin(t, srv, "canaryuser", "canary-pass-7f3a91c2-wrong", http.StatusUnauthorized)
	csrf := b.csrfToken()
	if res := b.post("/account/password", url.Values{"current_password": {pass1}, "new_password": {pass2}, "csrf_token": {csrf}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /account/password = %d, want 303", res.StatusCode)
	}
	api := srv.newAPIClient()
	api.signup("canaryapi", pass3)
	authed, session := api.login("canaryapi", pass3, false)
	authed.call(http.MethodGet, v1+"/me", nil)
	authed.call(http.MethodDelete, v1+"/sessions/current", nil)

	logs := srv.logs.String()
	secrets := map[string]string{"password": "canary-pass-7f3a", "API token": session.Token, "CSRF token": csrf}
	for _, c := range b.client.Jar.Cookies(mustParseURL(t, srv.base)) {
		secrets["cookie "+c.Name] = c.Value
	}
	for what, s := range secrets {
		if s != "" && strings.Contains(logs, s) {
			t.Errorf("log holds the %s %q", what, s)
		}
	}
	if !strings.Contains(logs, "route=/account/password") {
		t.Errorf("log has no request lines, so the search above proves little:\n%s", logs)
	}
}

func mustParseURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// failLogin posts a login that must fail with status.
func failLogin(t *testing.T, srv *testServer, username, password string, status int) {
	t.Helper()
	res := srv.newBrowser().post("/login", url.Values{"username": {username}, "password": {password}})
	if res.StatusCode != status {
		t.Fatalf("POST /login %q with a wrong password = %d, want %d", username, res.StatusCode, status)
	}
}
