package web

import (
	"errors"
	"net/http"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// missingCredentials is the 422 message for a login without both fields.
const missingCredentials = "Please enter your username and your password."

func (h *Handler) loginForm(c *fiber.Ctx) error {
	next := safeNext(c.Query("next"))
	if _, ok := httpx.PrincipalOf(c); ok {
		return c.Redirect(next, fiber.StatusSeeOther)
	}
	return h.render(c, http.StatusOK, "login", &loginView{
		layoutView: layoutView{Title: "Log in", Notice: notices[c.Query("notice")]},
		Providers:  h.providers(),
		Next:       formNext(next),
		Recovery:   h.recovery != nil,
		Passkeys:   h.passkeysOn(),
	})
}

// login checks the credentials, replaces any session the browser held with
// a new one, and sends the user on to a local `next` path, or to the
// account page when they must choose a new password. Every failure of the
// credentials is the same 401 with one generic message; too many failures
// are a 429 with Retry-After, whatever the password. The right password
// of a disabled account is a 403 that says so. The device cookie the
// browser holds goes to the use case as its device proof, and a
// successful login replaces it with the new one.
func (h *Handler) login(c *fiber.Ctx) error {
	username := formValue(c, "username")
	password := formValue(c, "password")
	remember := formValue(c, "remember") != ""
	next := safeNext(formValue(c, "next"))
	view := &loginView{
		layoutView: layoutView{Title: "Log in"},
		Providers:  h.providers(),
		Username:   username,
		Next:       formNext(next),
		Remember:   remember,
		Recovery:   h.recovery != nil,
		Passkeys:   h.passkeysOn(),
	}
	if username == "" || password == "" {
		view.Alert = missingCredentials
		view.Invalid = true
		return h.render(c, http.StatusUnprocessableEntity, "login", view)
	}
	previous, _ := h.sessionToken(c)
	res, err := h.auth.Login(c.UserContext(), usecase.LoginInput{
		Username: username,
		Password: password,
		Remember: remember,
		Previous: previous,
		Client:   h.client(c),
		Device:   h.cookies.get(c, deviceCookieName),
	})
	var required *usecase.SecondFactorRequiredError
	if errors.As(err, &required) {
		// No session yet: the browser holds the challenge, and the code
		// page finishes the login.
		h.cookies.set(c, challengeCookieName, required.Challenge.Reveal(), usecase.ChallengeLifetime)
		return c.Redirect(secondStepURL(next), fiber.StatusSeeOther)
	}
	if err != nil {
		p := describe(err)
		if p.Status >= 500 {
			return err
		}
		httpx.SetRetryAfter(c, p)
		view.Alert = p.Message
		view.Invalid = p.Status == http.StatusUnauthorized
		return h.render(c, p.Status, "login", view)
	}
	return h.loggedIn(c, res, next)
}

// loggedIn gives the browser the session of a successful login, and its
// device proof, and sends it on.
func (h *Handler) loggedIn(c *fiber.Ctx, res usecase.LoginResult, next string) error {
	h.cookies.setSession(c, res.Token, res.Session)
	// The browser is a device that logged in to this account now: its
	// next login is judged by its own failures.
	h.cookies.set(c, deviceCookieName, res.Device, deviceCookieMaxAge)
	// The forms are bound to the session now; the visitor id is retired.
	h.cookies.clear(c, visitorCookieName)
	if res.User.MustChangePassword {
		return c.Redirect(mustChangePasswordURL, fiber.StatusSeeOther)
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// formNext is the value of the login form's hidden next field: empty for
// the default destination, so the form stays tidy.
func formNext(next string) string {
	if next == "/" {
		return ""
	}
	return next
}
