package web

import (
	"net/http"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gofiber/fiber/v2"
)

// logoutForm answers the seed's GET /logout links without changing
// anything: it offers a button that posts the logout, so no other site can
// log a user out with an image tag.
func (h *Handler) logoutForm(c *fiber.Ctx) error {
	if _, ok := httpx.PrincipalOf(c); !ok {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	return h.render(c, http.StatusOK, "logout", &logoutView{layoutView: layoutView{Title: "Log out"}})
}

// logout ends the session on the server (recording it in the account's
// history) and clears the browser's cookies. A cookie that no longer
// resolves to a user is revoked all the same, in case it still names a
// session.
func (h *Handler) logout(c *fiber.Ctx) error {
	if p, ok := httpx.PrincipalOf(c); ok {
		if err := h.account.Logout(c.UserContext(), p, h.client(c)); err != nil {
			return err
		}
	} else if token, ok := h.sessionToken(c); ok {
		if err := h.sessions.Revoke(c.UserContext(), token); err != nil {
			return err
		}
	}
	h.clearCookies(c)
	return c.Redirect("/login?notice="+noticeLoggedOut, fiber.StatusSeeOther)
}

// clearCookies clears the session, last_visit and visitor cookies, so the
// next form gets a new CSRF binding.
func (h *Handler) clearCookies(c *fiber.Ctx) {
	h.cookies.clear(c, sessionCookieName)
	h.cookies.clear(c, lastVisitCookieName)
	h.cookies.clear(c, visitorCookieName)
}
