// Package test holds gatehouse's integration tests: each boots the same fx
// module list as cmd/gatehouse against its own in-memory SQLite database
// and talks HTTP to it over loopback.
package test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/infrastructure/config"
	"github.com/gatehouse/gatehouse/test/testserver"
	"go.uber.org/fx"
)

// testServer is a running gatehouse.
type testServer struct {
	t    testing.TB
	base string
	logs *testserver.Buffer
	cfg  config.Config

	mu      sync.Mutex
	clients []*http.Client // closed before the server stops
}

// option changes the configuration or adds fx options for one test.
type option struct {
	config func(*config.Config)
	fx     []fx.Option
	// lazy is an fx option that a config function sets (withFxLazy).
	lazy *fx.Option
}

// withFxLazy adds *o, which an earlier option's config function sets.
func withFxLazy(o *fx.Option) option { return option{lazy: o} }

func withConfig(f func(*config.Config)) option { return option{config: f} }
func withFx(opts ...fx.Option) option          { return option{fx: opts} }

// testConfig is the default configuration with an in-memory database, a
// random loopback port and the cheapest Argon2id parameters argon2id
// accepts (8 KiB, one pass, one thread). Hashing at the OWASP parameters
// costs tens of milliseconds of CPU and 19 MiB a time, and took most of the
// suite's run; what these tests check of a password (that it is hashed,
// verified and rehashed through the pool) does not depend on the cost. A
// test about the cost itself, or one that needs hashing to be slow (a
// flood), asks for the production parameters with withOWASPArgon2.
func testConfig(t testing.TB) config.Config {
	t.Helper()
	cfg := testserver.Config(t)
	cfg.Argon2MemoryKiB, cfg.Argon2Time, cfg.Argon2Threads = 8, 1, 1
	return cfg
}

// withOWASPArgon2 restores the default Argon2id parameters, the OWASP
// recommendation gatehouse ships with.
func withOWASPArgon2() option {
	return withConfig(func(c *config.Config) {
		d := config.Default()
		c.Argon2MemoryKiB, c.Argon2Time, c.Argon2Threads = d.Argon2MemoryKiB, d.Argon2Time, d.Argon2Threads
	})
}

// startServer boots the whole service and stops it when the test ends.
func startServer(t testing.TB, opts ...option) *testServer {
	t.Helper()
	cfg := testConfig(t)
	var extra []fx.Option
	for _, o := range opts {
		if o.config != nil {
			o.config(&cfg)
		}
		extra = append(extra, o.fx...)
	}
	for _, o := range opts {
		if o.lazy != nil && *o.lazy != nil {
			extra = append(extra, *o.lazy)
		}
	}
	logs := &testserver.Buffer{}
	addr := testserver.Start(t, cfg, logs, extra...)
	ts := &testServer{t: t, base: "http://" + addr, logs: logs, cfg: cfg}
	// Registered after Start's, so it runs before the server stops:
	// connections a client opened but never used would hold a graceful
	// shutdown until the read timeout, so close them first, as browsers
	// do when they go away.
	t.Cleanup(func() {
		ts.mu.Lock()
		defer ts.mu.Unlock()
		for _, c := range ts.clients {
			c.CloseIdleConnections()
		}
		ts.clients = nil // testing keeps this closure until the parent test ends
	})
	return ts
}

// browser is an HTTP client with its own cookie jar that does not follow
// redirects, so tests see every 303.
type browser struct {
	t      testing.TB
	srv    *testServer
	client *http.Client
	// header is sent with every request (X-Forwarded-For, say).
	header http.Header
}

func (s *testServer) newBrowser() *browser {
	var jar http.CookieJar = &plainJar{}
	if !s.cfg.CookieSecure {
		// The standard jar behaves as a browser does; it also (rightly)
		// never sends Secure cookies over the plain HTTP of the tests,
		// which is what plainJar is for: a server behind a TLS proxy.
		std, err := cookiejar.New(nil)
		if err != nil {
			s.t.Fatal(err)
		}
		jar = std
	}
	client := &http.Client{
		Jar:           jar,
		Timeout:       30 * time.Second,
		Transport:     &http.Transport{},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	s.mu.Lock()
	s.clients = append(s.clients, client)
	s.mu.Unlock()
	return &browser{t: s.t, srv: s, header: http.Header{}, client: client}
}

// response is a finished HTTP exchange.
type response struct {
	*http.Response
	Body string
}

func (b *browser) do(req *http.Request) response {
	b.t.Helper()
	for k, vs := range b.header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatalf("%s %s: read body: %v", req.Method, req.URL.Path, err)
	}
	return response{Response: res, Body: string(body)}
}

func (b *browser) get(path string) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.srv.base+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// post submits form the way the site's own pages do: with the CSRF token
// of a freshly loaded page (unless form already has one) and a same-origin
// Origin header.
func (b *browser) post(path string, form url.Values) response {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if !form.Has("csrf_token") {
		form.Set("csrf_token", b.csrfToken())
	}
	return b.postRaw(path, form, map[string]string{"Origin": b.srv.origin()})
}

// origin is the site's origin as a browser names it: https when the
// server is configured to sit behind TLS.
func (s *testServer) origin() string {
	if s.cfg.CookieSecure {
		return "https://" + strings.TrimPrefix(s.base, "http://")
	}
	return s.base
}

// postRaw submits form as is, with the given extra headers.
func (b *browser) postRaw(path string, form url.Values, headers map[string]string) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.srv.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return b.do(req)
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrfToken loads a page with a form, as a person would before submitting
// one, and returns its token: the logout page when logged in, else the
// login page.
func (b *browser) csrfToken() string {
	b.t.Helper()
	for _, page := range []string{"/logout", "/login"} {
		res := b.get(page)
		if m := csrfInput.FindStringSubmatch(res.Body); res.StatusCode == http.StatusOK && m != nil {
			return m[1]
		}
	}
	b.t.Fatalf("no page offered a CSRF token")
	return ""
}

// cookie returns the jar's cookie named name, or nil.
func (b *browser) cookie(name string) *http.Cookie {
	u, _ := url.Parse(b.srv.base)
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// setCookie puts a cookie into the jar as if the server had set it.
func (b *browser) setCookie(name, value string) {
	u, _ := url.Parse(b.srv.base)
	b.client.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// signup registers an account and fails the test unless it succeeds.
func (b *browser) signup(username, password string) {
	b.t.Helper()
	res := b.post("/signup", url.Values{"username": {username}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("POST /signup %q: status %d, want 303; body:\n%s", username, res.StatusCode, res.Body)
	}
}

// login logs in and fails the test unless it succeeds.
func (b *browser) login(username, password string, remember bool) response {
	b.t.Helper()
	form := url.Values{"username": {username}, "password": {password}}
	if remember {
		form.Set("remember", "on")
	}
	res := b.post("/login", form)
	if res.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("POST /login %q: status %d, want 303; body:\n%s", username, res.StatusCode, res.Body)
	}
	return res
}

// setCookieHeader returns the Set-Cookie header line for name.
func (r response) setCookieHeader(name string) string {
	for _, line := range r.Header.Values("Set-Cookie") {
		if strings.HasPrefix(line, name+"=") {
			return line
		}
	}
	return ""
}

// setCookie parses the Set-Cookie header for name; nil when absent.
func (r response) setCookie(t *testing.T, name string) *http.Cookie {
	t.Helper()
	line := r.setCookieHeader(name)
	if line == "" {
		return nil
	}
	c, err := http.ParseSetCookie(line)
	if err != nil {
		t.Fatalf("parse Set-Cookie %q: %v", line, err)
	}
	return c
}

// checkCookieAttributes fails unless c carries the attributes every
// gatehouse cookie must: HttpOnly, SameSite=Lax, Path=/, and Secure
// exactly when secure.
func checkCookieAttributes(t *testing.T, c *http.Cookie, secure bool) {
	t.Helper()
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure != secure {
		t.Errorf("cookie %s: HttpOnly=%v SameSite=%v Path=%q Secure=%v; want true, Lax, \"/\", %v",
			c.Name, c.HttpOnly, c.SameSite, c.Path, c.Secure, secure)
	}
}

const (
	alicePassword = "correct horse battery staple"
	bobPassword   = "purple monkey dishwasher"
)

// plainJar keeps cookies by name for one host, ignoring Secure: it stands
// in for a browser talking to a TLS proxy in front of the test server.
type plainJar struct {
	mu      sync.Mutex
	cookies map[string]*http.Cookie
}

func (j *plainJar) SetCookies(_ *url.URL, cookies []*http.Cookie) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.cookies == nil {
		j.cookies = map[string]*http.Cookie{}
	}
	for _, c := range cookies {
		if c.MaxAge < 0 || (!c.Expires.IsZero() && c.Expires.Before(time.Now())) {
			delete(j.cookies, c.Name)
			continue
		}
		j.cookies[c.Name] = c
	}
}

func (j *plainJar) Cookies(*url.URL) []*http.Cookie {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make([]*http.Cookie, 0, len(j.cookies))
	for _, c := range j.cookies {
		out = append(out, &http.Cookie{Name: c.Name, Value: c.Value})
	}
	return out
}

// errorLines counts the ERROR lines of logs that hold id: a server error is
// logged once with its cause, besides the request's own Info line.
func errorLines(logs, id string) int {
	n := 0
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, "level=ERROR") && strings.Contains(line, id) {
			n++
		}
	}
	return n
}
