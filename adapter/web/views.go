package web

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

// layoutName is the template every page is rendered inside.
const layoutName = "layouts/base"

// layoutView is what the base layout reads; every page view embeds it.
type layoutView struct {
	Title  string
	User   string // the signed-in user's name, or ""; set by render
	Admin  bool   // whether the signed-in user is an admin; set by render
	CSRF   string // the token every form on the page carries; set by render
	Notice string // a confirmation, shown with role=status
	Alert  string // a failure, shown with role=alert
	Wide   bool   // the page holds tables and gets a wider column
}

func (l *layoutView) layout() *layoutView { return l }

// page is a view: a struct that embeds layoutView, passed by pointer.
type page interface {
	layout() *layoutView
}

type loginView struct {
	layoutView
	Username string
	Next     string
	Remember bool
}

type signupView struct {
	layoutView
	Username string
	Errors   map[string]string
}

type dashboardView struct {
	layoutView
	Username     string
	LastVisit    string
	LastVisitISO string
	SessionNote  string
	// LastLogin is the login before this one; nil when there was none.
	LastLogin *lastLoginView
}

type lastLoginView struct {
	At timeView
	IP string
}

type logoutView struct {
	layoutView
}

type errorView struct {
	layoutView
	Status    int
	Heading   string
	Message   string
	RequestID string
}

// timeLayout is how tables show a time.
const timeLayout = "2 Jan 2006, 15:04 MST"

// timeView is a time as a page shows it: Text for people, ISO for the
// datetime attribute of <time>.
type timeView struct {
	Text string
	ISO  string
}

func newTimeView(t time.Time, layout string) timeView {
	t = t.UTC()
	return timeView{Text: t.Format(layout), ISO: t.Format(time.RFC3339)}
}

// render fills in the layout's user and CSRF token and writes the named
// page with status inside the layout.
func (h *Handler) render(c *fiber.Ctx, status int, name string, view page) error {
	l := view.layout()
	if p, ok := principal(c); ok {
		l.User = p.User.Username.String()
		l.Admin = p.User.IsAdmin()
	}
	token, err := h.csrfToken(c)
	if err != nil {
		return err
	}
	l.CSRF = token
	return renderPage(c, status, name, view)
}

// renderPage writes the named page with status inside the layout, as is.
func renderPage(c *fiber.Ctx, status int, name string, view page) error {
	return c.Status(status).Render(name, view, layoutName)
}
