package web

import (
	"errors"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// passkeyLoginOptions starts a passkey login that names no account.
func (h *Handler) passkeyLoginOptions(c *fiber.Ctx) error {
	if err := h.requirePasskeys(); err != nil {
		return err
	}
	options, err := h.passkeys.BeginLogin(c.UserContext())
	if err != nil {
		return err
	}
	return passkeyOptions(c, options)
}

// passkeyLogin finishes a passkey login: the answer signed by a passkey
// with user verification is a whole login, with no second step. Failures
// are the login page's, with one message for every refused answer.
func (h *Handler) passkeyLogin(c *fiber.Ctx) error {
	if err := h.requirePasskeys(); err != nil {
		return err
	}
	remember := formValue(c, "remember") != ""
	next := safeNext(formValue(c, "next"))
	previous, _ := h.sessionToken(c)
	res, err := h.passkeys.Login(c.UserContext(), usecase.PasskeyLoginInput{
		Response: []byte(formValue(c, fieldCredential)),
		Remember: remember,
		Previous: previous,
		Client:   h.client(c),
		Device:   h.cookies.get(c, deviceCookieName),
	})
	if err != nil {
		p := describe(err)
		if p.Status >= 500 {
			return err
		}
		httpx.SetRetryAfter(c, p)
		view := &loginView{layoutView: layoutView{Title: "Log in", Alert: passkeyAlert(err, p.Message)}, Next: formNext(next), Remember: remember, Passkeys: true}
		return h.render(c, p.Status, "login", view)
	}
	return h.loggedIn(c, res, next)
}

// passkeyAlert is the message of a refused passkey answer: it says what
// to do, not which check failed.
func passkeyAlert(err error, fallback string) string {
	if errors.Is(err, usecase.ErrPasskeyLoginFailed) {
		return "The passkey was not accepted. Try again, or log in with your password."
	}
	return fallback
}

// passkeySecondStepOptions starts a passkey answer to the browser's login
// challenge.
func (h *Handler) passkeySecondStepOptions(c *fiber.Ctx) error {
	if err := h.requirePasskeys(); err != nil {
		return err
	}
	options, err := h.passkeys.BeginSecondStep(c.UserContext(), h.cookies.get(c, challengeCookieName))
	if errors.Is(err, usecase.ErrChallengeGone) {
		h.cookies.clear(c, challengeCookieName)
	}
	if err != nil {
		return err
	}
	return passkeyOptions(c, options)
}

// passkeySecondStep finishes a login whose password was right with a
// passkey instead of a code.
func (h *Handler) passkeySecondStep(c *fiber.Ctx) error {
	if err := h.requirePasskeys(); err != nil {
		return err
	}
	next := safeNext(formValue(c, "next"))
	previous, _ := h.sessionToken(c)
	res, err := h.passkeys.CompleteLogin(c.UserContext(), usecase.PasskeySecondStepInput{
		Challenge: h.cookies.get(c, challengeCookieName),
		Response:  []byte(formValue(c, fieldCredential)),
		Previous:  previous,
		Client:    h.client(c),
	})
	return h.secondStepAnswered(c, next, res, err, func(p httpx.Problem) *secondStepView {
		return &secondStepView{
			layoutView: layoutView{Title: "Two-factor authentication", Alert: passkeyAlert(err, p.Message)},
			Passkey:    true,
		}
	})
}
