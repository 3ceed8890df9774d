package web

import (
	"net/http"
	"time"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gofiber/fiber/v2"
)

// lastVisitLayout is how the previous visit is shown.
const lastVisitLayout = "Monday, 2 January 2006 at 15:04 MST"

// dashboard greets the user with the time of their previous visit, read
// from a last_visit cookie that only their account can have signed, and
// records this visit in its place. It also shows when and from where the
// account last logged in before this login, so a user notices a login
// that was not theirs.
func (h *Handler) dashboard(c *fiber.Ctx) error {
	p, _ := httpx.PrincipalOf(c)
	view := &dashboardView{
		layoutView: layoutView{Title: "Dashboard"},
		Name:       p.User.ShownName(),
	}
	if at, ok := h.lastVisit.decode(h.cookies.get(c, lastVisitCookieName), p.User.ID); ok {
		view.LastVisit = at.Format(lastVisitLayout)
		view.LastVisitISO = at.Format(time.RFC3339)
	}
	previous, ok, err := h.account.PreviousLogin(c.UserContext(), p)
	if err != nil {
		return err
	}
	if ok {
		view.LastLogin = &lastLoginView{At: newTimeView(previous.At, lastVisitLayout), IP: previous.IP}
	}
	if p.Session.Persistent {
		view.SessionNote = "You stay logged in on this device until " + p.Session.ExpiresAt.Format(lastVisitLayout) + " or until you log out."
	} else {
		view.SessionNote = "You will be logged out when you close your browser or after a while without activity."
	}
	now := h.clock.Now().UTC()
	h.cookies.set(c, lastVisitCookieName, h.lastVisit.encode(p.User.ID, now), h.cfg.LastVisitMaxAge)
	return h.render(c, http.StatusOK, "dashboard", view)
}
