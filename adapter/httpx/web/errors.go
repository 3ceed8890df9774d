package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// The names of the form fields that carry the use cases' inputs.
const (
	fieldUsername        = "username"
	fieldPassword        = "password"
	fieldCurrentPassword = "current_password"
	fieldEmail           = "email"
	fieldCode            = "code"
	fieldNewPassword     = "new_password"
	fieldDisplayName     = "display_name"
)

// formFields names, for the messages next to a form's fields, the field
// that carried each input of a use case.
var formFields = map[usecase.Input]string{
	usecase.InputUsername:        fieldUsername,
	usecase.InputPassword:        fieldPassword,
	usecase.InputCurrentPassword: fieldCurrentPassword,
	usecase.InputNewPassword:     fieldNewPassword,
	usecase.InputDisplayName:     fieldDisplayName,
	usecase.InputEmail:           fieldEmail,
	usecase.InputCode:            fieldCode,
	usecase.InputPasskey:         fieldCredential,
	usecase.InputPasskeyName:     fieldPasskeyName,
}

// describe is how err is shown on the site (httpx.Describe, in the site's
// form field names).
func describe(err error) httpx.Problem { return httpx.Describe(err, formFields) }

// ErrorHandler renders every error of the site's paths as a page in the
// site's layout: the kernel's description (httpx.Describe) of it, the
// page's rendering, with the site's security headers, also for what the
// server refuses before any middleware runs (a 413). Server errors are
// logged once, with the request id the page shows; their text never
// reaches the client.
func (h *Handler) ErrorHandler(c *fiber.Ctx, err error) error {
	p := describe(err)
	h.setSecurityHeaders(c)
	httpx.Prepare(c, h.log, p, err)
	if p.Status == http.StatusMethodNotAllowed {
		c.Set(fiber.HeaderAllow, allowedMethods(c))
	}
	view := &errorView{
		layoutView: layoutView{Title: p.Title},
		Status:     p.Status,
		Heading:    p.Title,
		Message:    p.Message,
	}
	if p.Status >= 500 {
		view.RequestID = httpx.RequestID(c)
	}
	if rerr := h.render(c, p.Status, "error", view); rerr != nil {
		h.log.ErrorContext(c.UserContext(), "web: render error page", "request_id", httpx.RequestID(c), "err", rerr)
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(p.Status).SendString(p.Title + ". " + p.Message)
	}
	return nil
}

// allowedMethods lists the methods the app serves for the request's path,
// parameters, case and a trailing slash matched as Fiber routes them.
func allowedMethods(c *fiber.Ctx) string {
	var allowed []string
	for _, r := range c.App().GetRoutes(true) {
		if r.Method == fiber.MethodHead || !httpx.MatchesRoute(r.Path, c.Path()) || slices.Contains(allowed, r.Method) {
			continue
		}
		allowed = append(allowed, r.Method)
	}
	return strings.Join(allowed, ", ")
}
