package web

import (
	"bufio"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/httpx/httpxtest"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp/fasthttputil"
)

// The site's tests here drive it through a Fiber app configured as
// infrastructure/httpserver configures the server's (the site's error
// handler, the body limit, Immutable), over the fakes of httpxtest: each
// test says what the use cases answer and checks what they were asked.

// rigBodyLimit is the server's default body limit (16 KiB).
const rigBodyLimit = 16 << 10

// rigSecret is the SECRET_KEY the site's HMACs are keyed with.
var rigSecret = []byte("0123456789abcdef0123456789abcdef")

// rigVisitor is the visitor id of an anonymous browser's forms;
// rigToken is the session token of a signed-in one, which resolves to
// rigUser.
var (
	rigVisitor = domain.NewToken([domain.TokenBytes]byte{4, 5, 6})
	rigToken   = domain.NewToken([domain.TokenBytes]byte{1, 2, 3})
)

// rigPrincipal is the signed-in user alice, of role, in the session of
// rigToken.
func rigPrincipal(role domain.Role) usecase.Principal {
	name, err := domain.NewUsername("alice")
	if err != nil {
		panic(err)
	}
	return usecase.Principal{
		User:    domain.User{ID: 7, Username: name, Role: role, PasswordHash: "$argon2id$stand-in"},
		Session: domain.Session{ID: 41, UserID: 7, TokenHash: rigToken.Hash()},
	}
}

// siteRig is the site over fakes.
type siteRig struct {
	h         *Handler
	app       *fiber.App
	registrar *httpxtest.Registrar
	auth      *httpxtest.Authenticator
	sessions  *httpxtest.Sessions
	account   *httpxtest.Account
	admin     *httpxtest.Admin
	recovery  *httpxtest.Recovery
	logs      *httpxtest.LogBuffer
}

// newSiteRig builds the site over fresh fakes; a request with the cookie
// of rigToken is signed in as signedIn.
func newSiteRig(t *testing.T, signedIn usecase.Principal) *siteRig {
	t.Helper()
	r := &siteRig{
		registrar: &httpxtest.Registrar{},
		auth:      &httpxtest.Authenticator{},
		sessions:  &httpxtest.Sessions{Principals: map[domain.Token]usecase.Principal{rigToken: signedIn}},
		account:   &httpxtest.Account{},
		admin:     &httpxtest.Admin{},
		recovery:  &httpxtest.Recovery{},
		logs:      &httpxtest.LogBuffer{},
	}
	r.h = NewHandler(r.registrar, r.auth, r.sessions, r.account, nil, r.recovery, r.admin, &httpxtest.TwoFactor{}, nil, rigClock{}, &rigTokens{},
		Config{SecretKey: rigSecret, RememberFor: time.Hour, LastVisitMaxAge: time.Hour},
		slog.New(slog.NewTextHandler(r.logs, nil)))
	r.app = fiber.New(fiber.Config{
		ErrorHandler:                 r.h.ErrorHandler,
		BodyLimit:                    rigBodyLimit,
		DisablePreParseMultipartForm: true,
		Immutable:                    true,
		DisableStartupMessage:        true,
	})
	if err := r.h.Register(r.app); err != nil {
		t.Fatalf("Register: %v", err)
	}
	return r
}

// siteCall is one request to the site.
type siteCall struct {
	method, target string // target: path and query
	// form is sent as an urlencoded body; a POST's gets the CSRF token
	// of its browser unless it has one or noToken is set.
	form    url.Values
	noToken bool
	// signedIn sends the session cookie of rigToken; otherwise the
	// browser is an anonymous visitor with rigVisitor's cookie.
	signedIn bool
	header   map[string]string
}

// csrfToken is the token of the forms a browser of call's kind was given.
func (r *siteRig) csrfToken(signedIn bool) string {
	if signedIn {
		h := rigToken.Hash()
		return r.h.csrf.token("session:" + base64.RawURLEncoding.EncodeToString(h[:]))
	}
	return r.h.csrf.token("visitor:" + rigVisitor.Reveal())
}

func (r *siteRig) request(t *testing.T, sc siteCall) *http.Request {
	t.Helper()
	form := url.Values{}
	for k, v := range sc.form {
		form[k] = v
	}
	if sc.method == http.MethodPost && !sc.noToken && !form.Has(csrfField) {
		form.Set(csrfField, r.csrfToken(sc.signedIn))
	}
	var body io.Reader
	if len(form) > 0 {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(sc.method, "http://gatehouse.test"+sc.target, body)
	if err != nil {
		t.Fatalf("%s %s: %v", sc.method, sc.target, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if sc.signedIn {
		req.AddCookie(&http.Cookie{Name: sessionCookieName, Value: rigToken.Reveal()})
	} else {
		req.AddCookie(&http.Cookie{Name: visitorCookieName, Value: rigVisitor.Reveal()})
	}
	for k, v := range sc.header {
		req.Header.Set(k, v)
	}
	return req
}

// siteResponse is what the site answered.
type siteResponse struct {
	status int
	header http.Header
	body   string
}

// do sends sc through app.Test.
func (r *siteRig) do(t *testing.T, sc siteCall) siteResponse {
	t.Helper()
	res, err := r.app.Test(r.request(t, sc), -1)
	if err != nil {
		t.Fatalf("%s %s: app.Test: %v", sc.method, sc.target, err)
	}
	return readSite(t, res)
}

// doOverListener writes raw, a whole HTTP/1.1 request, to the app
// serving on an in-memory listener, as a server serves: unlike app.Test,
// this answers what fasthttp refuses while it reads a request, before any
// route or middleware runs.
func (r *siteRig) doOverListener(t *testing.T, raw string) siteResponse {
	t.Helper()
	ln := fasthttputil.NewInmemoryListener()
	served := make(chan error, 1)
	go func() { served <- r.app.Listener(ln) }()
	defer func() {
		_ = ln.Close()
		<-served
	}()
	conn, err := ln.Dial()
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer conn.Close()
	// The server may answer before it has read the whole request.
	go func() { _, _ = io.WriteString(conn, raw) }()
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read the answer to %.60q: %v", raw, err)
	}
	return readSite(t, res)
}

func readSite(t *testing.T, res *http.Response) siteResponse {
	t.Helper()
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return siteResponse{status: res.StatusCode, header: res.Header, body: string(raw)}
}

// rigClock is a fixed clock.
type rigClock struct{}

func (rigClock) Now() time.Time { return time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC) }

// rigTokens hands out distinct tokens.
type rigTokens struct {
	mu sync.Mutex
	n  byte
}

func (s *rigTokens) NewToken() (domain.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	return domain.NewToken([domain.TokenBytes]byte{0xee, s.n}), nil
}
