package web

import (
	"errors"
	"net/url"
	"strings"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// contentSecurityPolicy allows only the site's own files: no inline script
// or style, no framing, forms post only to the site.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"

// securityHeaders gives every response of the site's routes the
// security headers (setSecurityHeaders).
func (h *Handler) securityHeaders(c *fiber.Ctx) error {
	h.setSecurityHeaders(c)
	return c.Next()
}

// setSecurityHeaders sets the headers every response of the site carries,
// its error pages included: ErrorHandler sets them too, since a request
// the server refuses before routing (a body over the limit) reaches no
// middleware. Pages are never cached (they show account data); /static
// overrides that.
func (h *Handler) setSecurityHeaders(c *fiber.Ctx) {
	c.Set(fiber.HeaderContentSecurityPolicy, contentSecurityPolicy)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderReferrerPolicy, "same-origin")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	c.Set(fiber.HeaderPermissionsPolicy, "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()")
	c.Set(fiber.HeaderXFrameOptions, "DENY")
	if h.cfg.CookieSecure {
		c.Set(fiber.HeaderStrictTransportSecurity, "max-age=63072000; includeSubDomains")
	}
	if !strings.HasPrefix(c.Path(), "/static/") {
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
}

// loadPrincipal resolves the session cookie, if any, and stores the
// principal for later handlers. A malformed, unknown or expired token is
// treated as no cookie, and the browser is told to drop it.
func (h *Handler) loadPrincipal(c *fiber.Ctx) error {
	raw := h.cookies.get(c, sessionCookieName)
	if raw == "" {
		return c.Next()
	}
	token, ok := domain.ParseToken(raw)
	if !ok {
		h.cookies.clear(c, sessionCookieName)
		return c.Next()
	}
	p, err := h.sessions.Resolve(c.UserContext(), token)
	switch {
	case errors.Is(err, domain.ErrUnauthenticated):
		h.cookies.clear(c, sessionCookieName)
	case err != nil:
		return err
	default:
		httpx.SetPrincipal(c, p)
	}
	return c.Next()
}

// requireUser sends anonymous visitors to the login page, with a way back
// to the page they asked for. A user who must change their password is
// sent to the account page from every other page until they have.
func (h *Handler) requireUser(c *fiber.Ctx) error {
	p, ok := httpx.PrincipalOf(c)
	if !ok {
		if c.Method() != fiber.MethodGet {
			return c.Redirect("/login", fiber.StatusSeeOther)
		}
		return c.Redirect("/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
	}
	if p.User.MustChangePassword && !isAccountPath(c.Path()) {
		return c.Redirect(mustChangePasswordURL, fiber.StatusSeeOther)
	}
	return c.Next()
}

// mustChangePasswordURL is where a user who must choose a new password is
// sent.
const mustChangePasswordURL = "/account?notice=" + noticeMustChangePassword

// isAccountPath reports whether path is the account page or one of its
// actions.
func isAccountPath(path string) bool {
	return path == "/account" || strings.HasPrefix(path, "/account/")
}

// requireAdmin refuses, with a 403 page, a signed-in user who is not an
// enabled admin. It runs after requireUser.
func (h *Handler) requireAdmin(c *fiber.Ctx) error {
	p, ok := httpx.PrincipalOf(c)
	if !ok || !p.User.IsAdmin() {
		return domain.ErrForbidden
	}
	if h.cfg.Require2FAForAdmins {
		on, err := h.twoFactor.Enabled(c.UserContext(), p.User.ID)
		if err != nil {
			return err
		}
		if !on {
			return c.Redirect("/account/2fa?notice="+noticeAdmin2FARequired, fiber.StatusSeeOther)
		}
	}
	return c.Next()
}

// sessionToken returns the well-formed session token the browser sent.
func (h *Handler) sessionToken(c *fiber.Ctx) (domain.Token, bool) {
	return domain.ParseToken(h.cookies.get(c, sessionCookieName))
}

// client is where the request came from (httpx.ClientOf).
func (h *Handler) client(c *fiber.Ctx) usecase.Client {
	return httpx.ClientOf(c, h.cfg.TrustedProxies)
}
