package web

import "github.com/gofiber/fiber/v2"

// layoutName is the template every page is rendered inside.
const layoutName = "layouts/base"

// layoutView is what the base layout reads; every page view embeds it.
type layoutView struct {
	Title  string
	User   string // the signed-in user's name, or ""; set by render
	CSRF   string // the token every form on the page carries; set by render
	Notice string // a confirmation, shown with role=status
	Alert  string // a failure, shown with role=alert
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

// notices are the confirmations a redirect can ask the login page to show,
// by key, so no text from the URL is ever displayed.
var notices = map[string]string{
	"created":    "Account created, please log in.",
	"logged-out": "You have been logged out.",
}

// render fills in the layout's user and CSRF token and writes the named
// page with status inside the layout.
func (h *Handler) render(c *fiber.Ctx, status int, name string, view page) error {
	l := view.layout()
	l.User = userName(c)
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
