package web

import "github.com/gofiber/fiber/v2"

// layoutName is the template every page is rendered inside.
const layoutName = "layouts/base"

// layoutView is what the base layout reads; every page view embeds it.
type layoutView struct {
	Title  string
	User   string // the signed-in user's name, or ""
	Notice string // a confirmation, shown with role=status
	Alert  string // a failure, shown with role=alert
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

// render writes the named page with status inside the layout.
func render(c *fiber.Ctx, status int, page string, view any) error {
	return c.Status(status).Render(page, view, layoutName)
}
