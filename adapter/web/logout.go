package web

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// logoutForm answers the seed's GET /logout links without changing
// anything: it offers a button that posts the logout, so no other site can
// log a user out with an image tag.
func (h *Handler) logoutForm(c *fiber.Ctx) error {
	if _, ok := principal(c); !ok {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	return h.render(c, http.StatusOK, "logout", &logoutView{layoutView: layoutView{Title: "Log out"}})
}

// logout revokes the session on the server and clears the session,
// last_visit and visitor cookies, so the next form gets a new CSRF binding.
func (h *Handler) logout(c *fiber.Ctx) error {
	if token, ok := h.sessionToken(c); ok {
		if err := h.sessions.Revoke(c.UserContext(), token); err != nil {
			return err
		}
	}
	h.cookies.clear(c, sessionCookieName)
	h.cookies.clear(c, lastVisitCookieName)
	h.cookies.clear(c, visitorCookieName)
	return c.Redirect("/login?notice=logged-out", fiber.StatusSeeOther)
}
