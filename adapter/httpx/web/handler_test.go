package web

import (
	"encoding/base64"
	"errors"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/httpx/httpxtest"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// The handler tests drive the site as a browser does, through Register's
// routes and middleware, against the fakes of httpxtest: each test gets a
// site of its own (testSite), makes browsers (visitor) and reads what
// they get back (result).

// testNow is the fixed time of every test site's clock.
var testNow = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

// testSecret is the SECRET_KEY of the test sites: 32 bytes.
var testSecret = []byte("0123456789abcdef0123456789abcdef")

// testSite is the site with fakes behind it, as one test drives it.
type testSite struct {
	app       *fiber.App
	h         *Handler
	cfg       Config
	registrar *httpxtest.Registrar
	auth      *httpxtest.Authenticator
	sessions  *httpxtest.Sessions
	account   *httpxtest.Account
	admin     *httpxtest.Admin
	recovery  *httpxtest.Recovery
	twoFactor *httpxtest.TwoFactor
	tokens    *testTokens
	log       *httpxtest.LogBuffer
}

// newTestSite builds the site the way the server does: the handler's
// error handler, immutable strings, Register. opts change the default
// Config before the handler is made.
func newTestSite(t *testing.T, opts ...func(*Config)) *testSite {
	t.Helper()
	cfg := Config{
		RememberFor:     7 * 24 * time.Hour, // unlike the fakes' sessions, to tell which one a cookie follows
		LastVisitMaxAge: 720 * time.Hour,
		SecretKey:       testSecret,
	}
	for _, opt := range opts {
		opt(&cfg)
	}
	s := &testSite{
		cfg:       cfg,
		registrar: &httpxtest.Registrar{},
		auth:      &httpxtest.Authenticator{},
		sessions:  &httpxtest.Sessions{Principals: map[domain.Token]usecase.Principal{}},
		account:   &httpxtest.Account{},
		admin:     &httpxtest.Admin{},
		recovery:  &httpxtest.Recovery{},
		twoFactor: &httpxtest.TwoFactor{},
		tokens:    &testTokens{},
		log:       &httpxtest.LogBuffer{},
	}
	logger := slog.New(slog.NewTextHandler(s.log, nil))
	s.h = NewHandler(s.registrar, s.auth, s.sessions, s.account, nil, s.recovery, s.admin, s.twoFactor, nil, fixedClock{testNow}, s.tokens, cfg, logger)
	s.app = fiber.New(fiber.Config{ErrorHandler: s.h.ErrorHandler, Immutable: true})
	if err := s.h.Register(s.app); err != nil {
		t.Fatalf("Register() error = %v", err)
	}
	return s
}

// do sends req to the site and reads the whole answer.
func (s *testSite) do(t *testing.T, req *http.Request) *result {
	t.Helper()
	resp, err := s.app.Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: app.Test error = %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", req.Method, req.URL, err)
	}
	return &result{status: resp.StatusCode, header: resp.Header, body: string(body), cookies: resp.Cookies()}
}

// cookieName is the name the site gives the cookie base.
func (s *testSite) cookieName(base string) string { return s.h.cookies.name(base) }

// anonymous is a browser that has visited a form page before: it holds a
// visitor cookie and the CSRF token the page's forms carry.
func (s *testSite) anonymous(t *testing.T) *visitor {
	t.Helper()
	id := s.tokens.next()
	return &visitor{
		site:    s,
		cookies: []*http.Cookie{{Name: s.cookieName(visitorCookieName), Value: id.Reveal()}},
		csrf:    s.h.csrf.token("visitor:" + id.Reveal()),
	}
}

// stranger is a browser that has never visited the site.
func (s *testSite) stranger() *visitor { return &visitor{site: s} }

// signIn makes p's session known to the fake (with a token of its own,
// whose hash p's session gets) and returns a browser holding its cookie
// and the CSRF token of the session's pages.
func (s *testSite) signIn(t *testing.T, p usecase.Principal) (*visitor, usecase.Principal) {
	t.Helper()
	token := s.tokens.next()
	p.Session.TokenHash = token.Hash()
	s.sessions.Principals[token] = p
	return &visitor{
		site:    s,
		cookies: []*http.Cookie{{Name: s.cookieName(sessionCookieName), Value: token.Reveal()}},
		csrf:    s.h.csrf.token("session:" + base64.RawURLEncoding.EncodeToString(p.Session.TokenHash[:])),
		token:   token,
	}, p
}

// visitor is a browser: the cookies it sends and the token its forms
// carry.
type visitor struct {
	site    *testSite
	cookies []*http.Cookie
	csrf    string
	token   domain.Token // the session's, when signed in
}

// request builds a request from the browser: its cookies and, when form
// is not nil, the form as an urlencoded body, sent as is.
func (v *visitor) request(method, target string, form url.Values) *http.Request {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set(fiber.HeaderContentType, fiber.MIMEApplicationForm)
	}
	for _, c := range v.cookies {
		req.AddCookie(c)
	}
	return req
}

func (v *visitor) get(t *testing.T, target string) *result {
	t.Helper()
	return v.site.do(t, v.request(http.MethodGet, target, nil))
}

// post sends form with the browser's CSRF token, as a page's form would.
func (v *visitor) post(t *testing.T, target string, form url.Values) *result {
	t.Helper()
	return v.site.do(t, v.formRequest(target, form))
}

// formRequest is the POST of form with the browser's CSRF token.
func (v *visitor) formRequest(target string, form url.Values) *http.Request {
	withToken := url.Values{csrfField: {v.csrf}}
	for k, vs := range form {
		withToken[k] = vs
	}
	return v.request(http.MethodPost, target, withToken)
}

// result is what the site answered.
type result struct {
	status  int
	header  http.Header
	body    string
	cookies []*http.Cookie
}

// cookie returns the cookie the answer set under name, or nil.
func (r *result) cookie(name string) *http.Cookie {
	for _, c := range r.cookies {
		if c.Name == name {
			return c
		}
	}
	return nil
}

var (
	inlineTagPattern     = regexp.MustCompile(`</?(a|b|code|em|span|strong|time)\b[^>]*>`)
	tagPattern           = regexp.MustCompile(`<[^>]*>`)
	spacePattern         = regexp.MustCompile(`\s+`)
	alertPattern         = regexp.MustCompile(`role="alert"[^>]*>([^<]*)<`)
	noticePattern        = regexp.MustCompile(`role="status">([^<]*)<`)
	headingPattern       = regexp.MustCompile(`<h1[^>]*>([^<]*)</h1>`)
	csrfPattern          = regexp.MustCompile(`name="csrf_token" value="([^"]*)"`)
	requestIDPattern     = regexp.MustCompile(`class="request-id">([^<]*)<`)
	nextFieldPattern     = regexp.MustCompile(`name="next" value="([^"]*)"`)
	usernameValuePattern = regexp.MustCompile(`id="username" value="([^"]*)"`)
)

// text is the page as a person reads it: no tags (a block's end is a
// space, an inline element's none), entities decoded, runs of white space
// as one space.
func (r *result) text() string {
	text := tagPattern.ReplaceAllString(inlineTagPattern.ReplaceAllString(r.body, ""), " ")
	return strings.TrimSpace(spacePattern.ReplaceAllString(html.UnescapeString(text), " "))
}

// says reports whether the page shows sentence, whatever tags it spans.
func (r *result) says(sentence string) bool { return strings.Contains(r.text(), sentence) }

// first returns the text of the first match of p's group, decoded, or "".
func (r *result) first(p *regexp.Regexp) string {
	m := p.FindStringSubmatch(r.body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// alert is the page's failure message, notice its confirmation, heading
// its <h1>; "" when it has none.
func (r *result) alert() string   { return r.first(alertPattern) }
func (r *result) notice() string  { return r.first(noticePattern) }
func (r *result) heading() string { return r.first(headingPattern) }

// csrfField is the token of the page's first form.
func (r *result) csrfField() string { return r.first(csrfPattern) }

// requestID is the id the error page asks to quote.
func (r *result) requestID() string { return r.first(requestIDPattern) }

// fieldError is the message shown under the form field with id, or "".
func (r *result) fieldError(id string) string {
	return r.first(regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `-error">([^<]*)<`))
}

// rows returns the text of each table row of class.
func (r *result) rows(class string) []string {
	var rows []string
	for _, m := range regexp.MustCompile(`(?s)<tr class="`+regexp.QuoteMeta(class)+`">(.*?)</tr>`).FindAllStringSubmatch(r.body, -1) {
		rows = append(rows, (&result{body: m[1]}).text())
	}
	return rows
}

// wantRedirect fails the test unless r is a 303 to location.
func (r *result) wantRedirect(t *testing.T, what, location string) {
	t.Helper()
	if r.status != http.StatusSeeOther || r.header.Get(fiber.HeaderLocation) != location {
		t.Errorf("%s = %d to %q, want %d to %q", what, r.status, r.header.Get(fiber.HeaderLocation), http.StatusSeeOther, location)
	}
}

// wantPage fails the test unless r has status and shows sentence.
func (r *result) wantPage(t *testing.T, what string, status int, sentence string) {
	t.Helper()
	if r.status != status {
		t.Errorf("%s status = %d, want %d", what, r.status, status)
	}
	if !r.says(sentence) {
		t.Errorf("%s page does not say %q; it says:\n%s", what, sentence, r.text())
	}
}

// wantSessionCookie fails the test unless r gives the browser token as
// its session cookie, with maxAge (0: a browser-session cookie).
func (r *result) wantSessionCookie(t *testing.T, s *testSite, what string, token domain.Token, maxAge int) {
	t.Helper()
	c := r.cookie(s.cookieName(sessionCookieName))
	if c == nil {
		t.Fatalf("%s set no session cookie; cookies = %v", what, r.cookies)
	}
	if c.Value != token.Reveal() {
		t.Errorf("%s session cookie = %q, want the session's token %q", what, c.Value, token.Reveal())
	}
	wantCookieAttributes(t, what, c)
	if c.MaxAge != maxAge {
		t.Errorf("%s session cookie Max-Age = %d, want %d", what, c.MaxAge, maxAge)
	}
	if !c.Expires.IsZero() {
		t.Errorf("%s session cookie Expires = %v, want none", what, c.Expires)
	}
}

// wantCleared fails the test unless r tells the browser to drop each
// cookie of bases.
func (r *result) wantCleared(t *testing.T, s *testSite, what string, bases ...string) {
	t.Helper()
	for _, base := range bases {
		c := r.cookie(s.cookieName(base))
		if c == nil {
			t.Errorf("%s does not clear cookie %s; cookies = %v", what, s.cookieName(base), r.cookies)
			continue
		}
		if c.Value != "" || c.Expires.IsZero() || !c.Expires.Before(testNow) {
			t.Errorf("%s cookie %s = %q expiring %v, want it empty and expired", what, c.Name, c.Value, c.Expires)
		}
		wantCookieAttributes(t, what, c)
	}
}

// wantCookieAttributes fails the test unless c has the attributes every
// cookie of the site has (without COOKIE_SECURE).
func wantCookieAttributes(t *testing.T, what string, c *http.Cookie) {
	t.Helper()
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" || c.Secure {
		t.Errorf("%s cookie %s: HttpOnly=%v SameSite=%v Path=%q Domain=%q Secure=%v, want HttpOnly, Lax, /, no domain, not Secure",
			what, c.Name, c.HttpOnly, c.SameSite, c.Path, c.Domain, c.Secure)
	}
}

// principal returns a signed-in user of role with a browser-session
// session, id 1, started an hour ago.
func principal(id domain.UserID, name string, role domain.Role) usecase.Principal {
	username, err := domain.NewUsername(name)
	if err != nil {
		panic(err)
	}
	return usecase.Principal{
		User: domain.User{ID: id, Username: username, Role: role, PasswordHash: "$argon2id$stand-in", CreatedAt: testNow.AddDate(-1, 0, 0)},
		Session: domain.Session{
			ID: 1, UserID: id,
			CreatedAt: testNow.Add(-time.Hour), LastSeenAt: testNow.Add(-time.Minute),
			ExpiresAt: testNow.Add(time.Hour), AbsoluteExpiresAt: testNow.Add(23 * time.Hour),
		},
	}
}

func alice() usecase.Principal { return principal(1, "alice", domain.RoleUser) }
func root() usecase.Principal  { return principal(2, "root", domain.RoleAdmin) }

// loginAs is a LoginFunc that logs in as p with token.
func loginAs(p usecase.Principal, token domain.Token) func(usecase.LoginInput) (usecase.LoginResult, error) {
	return func(usecase.LoginInput) (usecase.LoginResult, error) {
		return usecase.LoginResult{User: p.User, Session: p.Session, Token: token}, nil
	}
}

// callArgs returns the arguments of the only call of method calls got,
// failing the test when there was not exactly one.
func callArgs(t *testing.T, calls *httpxtest.Calls, method string) []any {
	t.Helper()
	got := calls.Of(method)
	if len(got) != 1 {
		t.Fatalf("%s called %d times, want 1", method, len(got))
	}
	return got[0].Args
}

// wantNoCall fails the test if calls got any call of method.
func wantNoCall(t *testing.T, calls *httpxtest.Calls, method string) {
	t.Helper()
	if n := calls.Count(method); n != 0 {
		t.Errorf("%s called %d times, want 0", method, n)
	}
}

// fixedClock is a usecase.Clock that always tells the same time.
type fixedClock struct{ at time.Time }

func (c fixedClock) Now() time.Time { return c.at }

// testTokens is a usecase.TokenSource of distinct, well-formed tokens;
// with fail set, it fails instead.
type testTokens struct {
	mu   sync.Mutex
	n    byte
	fail bool
}

var errNoRandom = errors.New("test: no random bytes")

func (s *testTokens) NewToken() (domain.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail {
		return "", errNoRandom
	}
	s.n++
	var b [domain.TokenBytes]byte
	b[0] = s.n
	return domain.NewToken(b), nil
}

// next is a new token for the test itself.
func (s *testTokens) next() domain.Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	var b [domain.TokenBytes]byte
	b[0], b[1] = s.n, 0xee // never one NewToken gives
	return domain.NewToken(b)
}
