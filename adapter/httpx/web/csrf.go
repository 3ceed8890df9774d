package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gofiber/fiber/v2"
)

// CSRF protection is the synchronizer-token pattern without server state:
// a form's token is an HMAC, under a key derived from SECRET_KEY, of what
// the visitor's requests are bound to: the session (its token hash) once
// logged in, or a random visitor id in a browser-session cookie before.
// A login or logout changes that binding, so every token rotates with it.
// On top, a POST whose Origin (or, without one, Referer) names another
// site is refused, token or not.

const (
	csrfField         = "csrf_token"
	visitorCookieName = "gatehouse_visitor"
)

type csrfCodec struct {
	key []byte
}

func newCSRFCodec(secret []byte) csrfCodec {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("gatehouse/csrf/v1"))
	return csrfCodec{key: m.Sum(nil)}
}

func (k csrfCodec) token(binding string) string {
	m := hmac.New(sha256.New, k.key)
	m.Write([]byte(binding))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// valid compares in constant time.
func (k csrfCodec) valid(binding, got string) bool {
	return binding != "" && hmac.Equal([]byte(got), []byte(k.token(binding)))
}

// visitorKey is the Locals key of a visitor id made during this request.
type visitorKey struct{}

// csrfBinding is what the request's forms are bound to, or "" when the
// browser has nothing to bind to yet.
func (h *Handler) csrfBinding(c *fiber.Ctx) string {
	if p, ok := httpx.PrincipalOf(c); ok {
		return "session:" + base64.RawURLEncoding.EncodeToString(p.Session.TokenHash[:])
	}
	if v, ok := c.Locals(visitorKey{}).(string); ok {
		return "visitor:" + v
	}
	if v, ok := domain.ParseToken(h.cookies.get(c, visitorCookieName)); ok {
		return "visitor:" + v.Reveal()
	}
	return ""
}

// csrfToken returns the token for the forms of this response, giving an
// anonymous browser a visitor id first if it has none.
func (h *Handler) csrfToken(c *fiber.Ctx) (string, error) {
	binding := h.csrfBinding(c)
	if binding == "" {
		v, err := h.tokens.NewToken()
		if err != nil {
			return "", err
		}
		h.cookies.set(c, visitorCookieName, v.Reveal(), 0)
		c.Locals(visitorKey{}, v.Reveal())
		binding = "visitor:" + v.Reveal()
	}
	return h.csrf.token(binding), nil
}

// csrfProtect refuses POSTs from other sites and those without a valid
// token for the visitor's binding. POST is the only state-changing method
// the site routes: HTML forms can send no other, another site's script
// cannot send PUT or DELETE without a CORS preflight the site never
// grants, and leaving them to the router gives them their 405.
func (h *Handler) csrfProtect(c *fiber.Ctx) error {
	if c.Method() != fiber.MethodPost {
		return c.Next()
	}
	if !h.sameOrigin(c) {
		return httpx.ErrFormExpired
	}
	if !h.csrf.valid(h.csrfBinding(c), formValue(c, csrfField)) {
		return httpx.ErrFormExpired
	}
	return c.Next()
}

// sameOrigin reports whether the request's Origin, or its Referer when it
// has no Origin, names this site. A request with neither is left to the
// token. With COOKIE_SECURE the scheme must be https.
func (h *Handler) sameOrigin(c *fiber.Ctx) bool {
	source := c.Get(fiber.HeaderOrigin)
	if source == "" {
		source = c.Get(fiber.HeaderReferer)
		if source == "" {
			return true
		}
	}
	u, err := url.Parse(source)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return false // including Origin: null
	}
	if h.cfg.CookieSecure && u.Scheme != "https" {
		return false
	}
	// The Host header itself: Fiber's Hostname would believe an
	// X-Forwarded-Host that any client can send.
	return strings.EqualFold(u.Host, string(c.Request().Host()))
}
