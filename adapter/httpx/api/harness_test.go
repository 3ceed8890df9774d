package api

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/adapter/httpx/httpxtest"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp/fasthttputil"
)

// The handler tests drive the API through a root Fiber app built as
// infrastructure/httpserver builds the server's: the API mounted at
// httpx.APIPrefix, the kernel's error handler choosing between the API's
// rendering and a stand-in for the site's. Every driving port is a fake
// from httpxtest, so each test says what the use cases answer and checks
// what they were asked.

// testUserAgent is the User-Agent every test request sends, so that the
// client a use case receives can be compared whole.
const testUserAgent = "gatehouse-apitest/1.0"

// testBodyLimit is the server's default body limit (16 KiB, as
// openapi.json says).
const testBodyLimit = 16 << 10

// siteStatus is what the stand-in for the site's error handler answers:
// a status no API response has, so an error that reaches the site shows.
const siteStatus = http.StatusTeapot

// testPeer is the socket peer of every request app.Test serves (Fiber's
// test connection reports 0.0.0.0).
var testPeer = netip.MustParseAddr("0.0.0.0")

// testClient is the client a use case receives for a request from
// testPeer without a trusted proxy.
var testClient = usecase.Client{IP: testPeer, UserAgent: testUserAgent}

var cet = time.FixedZone("CET", 3600)

// alice is the signed-in caller of the tests: her token resolves to her
// principal. Her times are in CET, so the views' conversion to UTC shows.
var (
	aliceToken = domain.NewToken([domain.TokenBytes]byte{1, 2, 3})
	alice      = usecase.Principal{
		User: domain.User{
			ID:        7,
			Username:  mustUsername("Alice"),
			Role:      domain.RoleUser,
			CreatedAt: time.Date(2026, 11, 26, 10, 0, 0, 0, cet),
		},
		Session: domain.Session{
			ID:         41,
			UserID:     7,
			CreatedAt:  time.Date(2026, 12, 3, 10, 0, 0, 0, cet),
			LastSeenAt: time.Date(2026, 12, 3, 10, 5, 0, 0, cet),
			ExpiresAt:  time.Date(2026, 12, 3, 12, 5, 0, 0, cet),
			IP:         "198.51.100.7",
			UserAgent:  "gatehouse-ios/2.1",
		},
	}
)

// otherToken has the shape of a token but names no session.
var otherToken = domain.NewToken([domain.TokenBytes]byte{9, 9, 9})

func mustUsername(raw string) domain.Username {
	u, err := domain.NewUsername(raw)
	if err != nil {
		panic(err)
	}
	return u
}

// apiTest is the API over fakes, mounted as the server mounts it.
type apiTest struct {
	app       *fiber.App
	registrar *httpxtest.Registrar
	auth      *httpxtest.Authenticator
	sessions  *httpxtest.Sessions
	account   *httpxtest.Account
	twoFactor *httpxtest.TwoFactor
	recovery  *httpxtest.Recovery
	logs      *httpxtest.LogBuffer
}

// newAPITest builds the API with cfg over fresh fakes, in which alice's
// token resolves to alice.
func newAPITest(t *testing.T, cfg Config) *apiTest {
	t.Helper()
	a := &apiTest{
		registrar: &httpxtest.Registrar{},
		auth:      &httpxtest.Authenticator{},
		sessions:  &httpxtest.Sessions{Principals: map[domain.Token]usecase.Principal{aliceToken: alice}},
		account:   &httpxtest.Account{},
		twoFactor: &httpxtest.TwoFactor{},
		recovery:  &httpxtest.Recovery{},
		logs:      &httpxtest.LogBuffer{},
	}
	h := NewHandler(a.registrar, a.auth, a.sessions, a.account, nil, a.recovery, a.twoFactor, nil, cfg, slog.New(slog.NewTextHandler(a.logs, nil)))
	site := func(c *fiber.Ctx, err error) error {
		return c.Status(siteStatus).SendString("the site's error page")
	}
	a.app = fiber.New(fiber.Config{
		ErrorHandler:                 httpx.ErrorHandler(site, h.ErrorHandler),
		BodyLimit:                    testBodyLimit,
		DisablePreParseMultipartForm: true,
		Immutable:                    true,
		DisableStartupMessage:        true,
	})
	a.app.Mount(httpx.APIPrefix, h.App())
	return a
}

// call is one request to the API.
type call struct {
	method, path string
	// body is sent as application/json unless header sets another
	// Content-Type.
	body string
	// token, when set, is sent as "Authorization: Bearer <token>".
	token domain.Token
	// header holds further headers; they win over the defaults.
	header map[string]string
}

// response is what the API answered.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends r and returns the answer, after checking the security headers
// every API response carries (see setSecurityHeaders). app.Test serves it
// from the peer testPeer.
func (a *apiTest) do(t *testing.T, r call) response {
	t.Helper()
	res, err := a.app.Test(r.httpRequest(t), -1)
	if err != nil {
		t.Fatalf("%s %s: app.Test error = %v", r.method, r.path, err)
	}
	return r.read(t, res)
}

// doFrom sends r as do does, but over an in-memory connection whose far
// end, the socket peer the server sees, is peer; the app serves it as a
// server does. It also answers what fasthttp refuses while it reads a
// request, which app.Test reports as its own error instead.
func (a *apiTest) doFrom(t *testing.T, peer netip.Addr, r call) response {
	t.Helper()
	ln := fasthttputil.NewInmemoryListener()
	served := make(chan error, 1)
	go func() { served <- a.app.Listener(ln) }()
	defer func() {
		// Closing the listener ends the serving; the connection
		// closed after its one response (no keep-alive).
		_ = ln.Close()
		<-served
	}()
	conn, err := ln.DialWithLocalAddr(net.TCPAddrFromAddrPort(netip.AddrPortFrom(peer, 50000)))
	if err != nil {
		t.Fatalf("%s %s: dial: %v", r.method, r.path, err)
	}
	defer conn.Close()
	req := r.httpRequest(t)
	req.Close = true
	var raw bytes.Buffer
	if err := req.Write(&raw); err != nil {
		t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	// The server may answer, and close, before it has read the whole
	// request (a body over the limit): write on one side, read the
	// answer on the other, and never treat a refused write as the
	// result. (http.Client can report such a write as the error instead
	// of the response it already has.)
	go func() { _, _ = raw.WriteTo(conn) }()
	res, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		t.Fatalf("%s %s: read the answer: %v", r.method, r.path, err)
	}
	return r.read(t, res)
}

// httpRequest is r as an *http.Request to the test server.
func (r call) httpRequest(t *testing.T) *http.Request {
	t.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	req, err := http.NewRequest(r.method, "http://gatehouse.test"+r.path, body)
	if err != nil {
		t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	req.Header.Set("User-Agent", testUserAgent)
	if r.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token.Reveal())
	}
	for name, value := range r.header {
		req.Header.Set(name, value)
	}
	return req
}

// read reads the answer to r and checks its security headers.
func (r call) read(t *testing.T, res *http.Response) response {
	t.Helper()
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", r.method, r.path, err)
	}
	got := response{status: res.StatusCode, header: res.Header, body: raw}
	got.wantSecurityHeaders(t, r.method+" "+r.path)
	return got
}

// securityHeaders are the headers every API response carries, errors
// included.
var securityHeaders = map[string]string{
	"X-Content-Type-Options":  "nosniff",
	"Cache-Control":           "no-store",
	"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}

func (r response) wantSecurityHeaders(t *testing.T, what string) {
	t.Helper()
	for name, want := range securityHeaders {
		if got := r.header.Get(name); got != want {
			t.Errorf("%s (%d) %s = %q, want %q", what, r.status, name, got, want)
		}
	}
}

// wantStatus fails the test now unless r has status want: what follows
// would only repeat the failure.
func (r response) wantStatus(t *testing.T, what string, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("%s status = %d, want %d; body: %s", what, r.status, want, r.body)
	}
}

// wantJSON checks that r is a JSON body equal to want, a JSON text:
// every key present, none added, each value the same.
func (r response) wantJSON(t *testing.T, what, want string) map[string]any {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s Content-Type = %q, want application/json", what, ct)
	}
	var got, wantValue map[string]any
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatalf("%s body %s is not a JSON object: %v", what, r.body, err)
	}
	if err := json.Unmarshal([]byte(want), &wantValue); err != nil {
		t.Fatalf("%s: the test's want %s is not JSON: %v", what, want, err)
	}
	if !reflect.DeepEqual(got, wantValue) {
		t.Errorf("%s body = %s\nwant %s", what, r.body, want)
	}
	return got
}

// wantNoBody checks that r has no body, as a 204 or a HEAD has.
func (r response) wantNoBody(t *testing.T, what string) {
	t.Helper()
	if len(r.body) != 0 {
		t.Errorf("%s body = %q, want none", what, r.body)
	}
}

// apiError is the one shape of every error body.
type apiError struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields"`
}

// wantError checks that r is the JSON error body with status, code and,
// unless message is "", exactly message (for a server error, followed by
// the request id of the X-Request-ID header for the client to quote);
// fields must be exactly fields (nil: an empty object, which the body
// must still hold).
func (r response) wantError(t *testing.T, what string, status int, code, message string, fields map[string]string) apiError {
	t.Helper()
	r.wantStatus(t, what, status)
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s Content-Type = %q, want application/json", what, ct)
	}
	var body struct {
		Error *apiError `json:"error"`
	}
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil || body.Error == nil {
		t.Fatalf("%s body = %s, want {\"error\": {code, message, fields}} (%v)", what, r.body, err)
	}
	e := *body.Error
	if e.Code != code {
		t.Errorf("%s code = %q, want %q", what, e.Code, code)
	}
	if id := r.header.Get("X-Request-ID"); status >= 500 && message != "" {
		message += " Request id: " + id + "."
	}
	if message != "" && e.Message != message {
		t.Errorf("%s message = %q, want %q", what, e.Message, message)
	}
	if e.Message == "" {
		t.Errorf("%s message is empty", what)
	}
	if e.Fields == nil {
		t.Errorf("%s body = %s, want fields as an object, empty if nothing", what, r.body)
	}
	if fields == nil {
		fields = map[string]string{}
	}
	if e.Fields != nil && !reflect.DeepEqual(e.Fields, fields) {
		t.Errorf("%s fields = %v, want %v", what, e.Fields, fields)
	}
	return e
}

// wantHeader checks one header of r.
func (r response) wantHeader(t *testing.T, what, name, want string) {
	t.Helper()
	if got := r.header.Get(name); got != want {
		t.Errorf("%s %s = %q, want %q", what, name, got, want)
	}
}

// The messages of the kernel's table the tests expect word for word.
const (
	msgInvalidFields      = "Some fields are not valid. Please correct them and try again."
	msgBadFields          = "Some fields are not valid; see fields."
	msgNotJSON            = "The request body must be JSON, sent as Content-Type: application/json."
	msgNoBearer           = "This endpoint needs an Authorization: Bearer token."
	msgBadBearer          = "The bearer token is invalid, expired or revoked. Log in again."
	msgUnavailable        = "The service is busy. Please try again in a moment."
	msgNotFound           = "There is nothing at this address."
	msgMethodNotAllowed   = "This address does not take that kind of request; see the Allow header."
	msgInternalNoID       = "The server could not complete the request. Please try again."
	challengeMissing      = `Bearer realm="gatehouse"`
	challengeInvalidToken = `Bearer realm="gatehouse", error="invalid_token"`
)

// onlyCall returns the one call of method the fake recorded, failing the
// test if there was not exactly one.
func onlyCall(t *testing.T, what string, calls *httpxtest.Calls, method string) httpxtest.Call {
	t.Helper()
	got := calls.Of(method)
	if len(got) != 1 {
		t.Fatalf("%s: %s called %d times, want once", what, method, len(got))
	}
	return got[0]
}

// wantArgs checks the arguments (after ctx) of a recorded call.
func wantArgs(t *testing.T, what string, got httpxtest.Call, want ...any) {
	t.Helper()
	if !reflect.DeepEqual(got.Args, want) {
		t.Errorf("%s: %s(%+v), want %s(%+v)", what, got.Method, got.Args, got.Method, want)
	}
}

// wantNoCall checks that none of methods was called on the fake.
func wantNoCall(t *testing.T, what string, calls *httpxtest.Calls, methods ...string) {
	t.Helper()
	for _, m := range methods {
		if n := calls.Count(m); n != 0 {
			t.Errorf("%s: %s called %d times, want never", what, m, n)
		}
	}
}

// documentedSchemas are openapi.json's component schemas, as far as the
// tests compare response bodies with them.
var documentedSchemas = sync.OnceValues(func() (map[string]struct {
	Required   []string                   `json:"required"`
	Properties map[string]json.RawMessage `json:"properties"`
}, error) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Required   []string                   `json:"required"`
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	err := json.Unmarshal(openAPIDocument, &doc)
	return doc.Components.Schemas, err
})

// wantDocumented checks that obj, an object of a response body, has
// exactly the keys openapi.json's schema lists, each required: what the
// document promises clients, as the view types produce it.
func wantDocumented(t *testing.T, what string, obj any, schema string) {
	t.Helper()
	schemas, err := documentedSchemas()
	if err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	s, ok := schemas[schema]
	if !ok {
		t.Fatalf("openapi.json has no schema %s", schema)
	}
	m, ok := obj.(map[string]any)
	if !ok {
		t.Fatalf("%s: %v is not an object, want a %s", what, obj, schema)
	}
	var keys, documented []string
	for k := range m {
		keys = append(keys, k)
	}
	for k := range s.Properties {
		documented = append(documented, k)
	}
	required := slices.Clone(s.Required)
	slices.Sort(keys)
	slices.Sort(documented)
	slices.Sort(required)
	if !slices.Equal(keys, documented) || !slices.Equal(keys, required) {
		t.Errorf("%s: a %s with keys %v, want the documented %v, all required (%v)", what, schema, keys, documented, required)
	}
}
