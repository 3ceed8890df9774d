package api

import (
	"errors"
	"strings"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// requireToken lets a request through only with "Authorization: Bearer
// <token>" naming a live session, and stores its principal for the
// handler. Cookies are never read, so a browser's ambient credentials
// cannot act here (no CSRF surface). No header, or another scheme, is
// httpx.ErrNoBearerToken; a malformed, unknown, expired or revoked
// token is httpx.ErrBadBearerToken; both are 401s.
func (h *Handler) requireToken(c *fiber.Ctx) error {
	raw, ok := bearer(c.Get(fiber.HeaderAuthorization))
	if !ok {
		return httpx.ErrNoBearerToken
	}
	token, ok := domain.ParseToken(raw)
	if !ok {
		return httpx.ErrBadBearerToken
	}
	p, err := h.sessions.Resolve(c.UserContext(), token)
	if errors.Is(err, domain.ErrUnauthenticated) {
		return httpx.ErrBadBearerToken
	}
	if err != nil {
		return err
	}
	httpx.SetPrincipal(c, p)
	return c.Next()
}

// requirePasswordChanged refuses, with a 403 password_change_required, a
// caller who must change their password (an imported one that today's
// rules refuse), as the site sends such a user to the account page from
// every other page. It runs after requireToken, on every endpoint but
// those a caller needs to change the password: GET /me, PUT /me/password
// and DELETE /sessions/current.
func (h *Handler) requirePasswordChanged(c *fiber.Ctx) error {
	if principal(c).User.MustChangePassword {
		return httpx.ErrPasswordChangeRequired
	}
	return c.Next()
}

// bearer returns the credentials of an Authorization header of the Bearer
// scheme (named without regard to case, RFC 9110 11.1); ok is false for
// an empty header or another scheme.
func bearer(header string) (string, bool) {
	scheme, credentials, _ := strings.Cut(strings.TrimSpace(header), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimSpace(credentials), true
}

// principal returns the caller that requireToken resolved.
func principal(c *fiber.Ctx) usecase.Principal {
	p, _ := httpx.PrincipalOf(c)
	return p
}
