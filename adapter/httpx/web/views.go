package web

import (
	"time"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// layoutName is the template every page is rendered inside.
const layoutName = "layouts/base"

// layoutView is what the base layout reads; every page view embeds it.
// The layout is executed with the *layoutView itself, not the page's view
// that embeds it: text/template looks a field up by name on every use,
// and a name found only in an embedded struct costs a breadth-first
// search with allocations each time.
type layoutView struct {
	Title string
	User  string // the signed-in user's username, or ""; set by render
	// ShownName is the signed-in user's display name, or the username
	// without one (domain.User.ShownName); set by render.
	ShownName string
	Admin     bool   // whether the signed-in user is an admin; set by render
	CSRF      string // the token every form on the page carries; set by render
	Notice    string // a confirmation, shown with role=status
	Alert     string // a failure, shown with role=alert
	Wide      bool   // the page holds tables and gets a wider column
	Path      string // the request's path, for aria-current; set by render

	// The link of the site's navigation that leads to Path, which gets
	// aria-current; set from Path when the page is executed.
	CurrentAccount, CurrentUsers, CurrentLogin, CurrentSignup bool
	// Content is the page's own view, which the layout renders as
	// {{template "page" .Content}}; set when the page is executed.
	Content page
}

func (l *layoutView) layout() *layoutView { return l }

// setCurrent marks the navigation link that leads to l.Path.
func (l *layoutView) setCurrent() {
	l.CurrentAccount = l.Path == "/account"
	l.CurrentUsers = l.Path == "/admin/users"
	l.CurrentLogin = l.Path == "/login"
	l.CurrentSignup = l.Path == "/signup"
}

// page is a view: a struct that embeds layoutView, passed by pointer.
type page interface {
	layout() *layoutView
}

type loginView struct {
	layoutView
	// Providers are the identity providers to log in with instead.
	Providers []usecase.ProviderInfo
	Username  string
	Next      string
	Remember  bool
	// Invalid marks both fields invalid, described by the page's alert:
	// the credentials were wrong or missing (which of them, the message
	// does not say).
	Invalid bool
	// Recovery links to the recovery of a forgotten password.
	Recovery bool
	// Passkeys offers "Sign in with a passkey" and passkey autofill.
	Passkeys bool
}

type signupView struct {
	layoutView
	Providers []usecase.ProviderInfo
	Next      string // always empty: a signup goes to the login
	Username  string
	Email     string
	Errors    map[string]string
}

// PasswordRules describes the signup form's password rules.
func (v *signupView) PasswordRules() passwordRulesView {
	return passwordRulesView{
		Field:         "password",
		Hint:          "At least 12 characters. Long passphrases are welcome.",
		UsernameField: "username",
	}
}

// recoverView is the form that asks for a recovery code.
type recoverView struct {
	layoutView
	Email  string
	Errors map[string]string
}

// resetView is the form that sets a new password with a recovery code.
type resetView struct {
	layoutView
	Email  string
	Code   string
	Errors map[string]string
}

// PasswordRules describes the reset form's password rules; the username
// is not on the page (the form must not tell whose address it is), so
// the server alone checks that rule.
func (v *resetView) PasswordRules() passwordRulesView {
	return passwordRulesView{Field: fieldNewPassword, Hint: "At least 12 characters. Long passphrases are welcome."}
}

// passwordRulesView is what the "password-rules" template lists under a
// new-password field; password-hint.js marks the rules met as the user
// types.
type passwordRulesView struct {
	Field         string // the id of the password field
	Hint          string
	UsernameField string // the id of the field with the username, or ""
	Username      string // the username, when no field holds it
}

type dashboardView struct {
	layoutView
	// Name greets the user: the display name, or the username without
	// one.
	Name         string
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
	if p, ok := httpx.PrincipalOf(c); ok {
		l.User = p.User.Username.String()
		l.ShownName = p.User.ShownName()
		l.Admin = p.User.IsAdmin()
	}
	token, err := h.csrfToken(c)
	if err != nil {
		return err
	}
	l.CSRF = token
	l.Path = c.Path()
	return h.renderPage(c, status, name, view)
}

// renderPage writes the named page with status inside the layout, as is.
// The page is executed straight into the response body; if it fails, the
// body is emptied again for the error page.
func (h *Handler) renderPage(c *fiber.Ctx, status int, name string, view page) error {
	resp := c.Response()
	resp.ResetBody()
	if err := h.pages.execute(resp.BodyWriter(), name, view); err != nil {
		resp.ResetBody()
		return err
	}
	resp.SetStatusCode(status)
	resp.Header.SetContentType(fiber.MIMETextHTMLCharsetUTF8)
	return nil
}
