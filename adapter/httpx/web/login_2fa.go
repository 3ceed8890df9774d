package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// secondStepView is the page that asks for the code after the password.
type secondStepView struct {
	layoutView
	Next string
	// Passkey offers the account's passkey instead of a code.
	Passkey bool
	// Errors holds the message of the code field, by name.
	Errors map[string]string
}

// secondStepURL is the code page, keeping the login's destination.
func secondStepURL(next string) string {
	if next == "/" {
		return "/login/2fa"
	}
	return "/login/2fa?next=" + url.QueryEscape(next)
}

// secondStepForm asks for the code; a browser without a challenge goes
// back to the login.
func (h *Handler) secondStepForm(c *fiber.Ctx) error {
	next := safeNext(c.Query("next"))
	if _, ok := httpx.PrincipalOf(c); ok {
		return c.Redirect(next, fiber.StatusSeeOther)
	}
	if h.cookies.get(c, challengeCookieName) == "" {
		return c.Redirect("/login?next="+url.QueryEscape(next), fiber.StatusSeeOther)
	}
	return h.render(c, http.StatusOK, "login_2fa", &secondStepView{
		layoutView: layoutView{Title: "Two-factor authentication"},
		Next:       formNext(next),
		Passkey:    h.passkeysOn() && h.passkeys.OffersPasskey(c.UserContext(), h.cookies.get(c, challengeCookieName)),
	})
}

// secondStep finishes the login with the code: a wrong one is a 422 on the
// same page (the challenge stays), too many a 429; a challenge gone or
// expired sends the browser back to the password.
func (h *Handler) secondStep(c *fiber.Ctx) error {
	next := safeNext(formValue(c, "next"))
	challenge := h.cookies.get(c, challengeCookieName)
	previous, _ := h.sessionToken(c)
	res, err := h.twoFactor.CompleteLogin(c.UserContext(), usecase.SecondStepInput{
		Challenge: challenge,
		Code:      formValue(c, fieldCode),
		Previous:  previous,
		Client:    h.client(c),
	})
	return h.secondStepAnswered(c, next, res, err, func(p httpx.Problem) *secondStepView {
		return &secondStepView{
			layoutView: layoutView{Title: "Two-factor authentication", Alert: p.Message},
			Passkey:    h.passkeysOn() && h.passkeys.OffersPasskey(c.UserContext(), challenge),
			Errors:     p.Fields,
		}
	})
}

// secondStepAnswered ends a second step, by code or by passkey: logged
// in to next; a challenge gone or expired sends the browser back to the
// password; any other refusal is the code page again, as failed makes it
// for the problem (the challenge stays), with Retry-After when throttled.
func (h *Handler) secondStepAnswered(c *fiber.Ctx, next string, res usecase.LoginResult, err error, failed func(httpx.Problem) *secondStepView) error {
	if errors.Is(err, usecase.ErrChallengeGone) {
		h.cookies.clear(c, challengeCookieName)
		return c.Redirect("/login?notice="+noticeChallengeGone, fiber.StatusSeeOther)
	}
	if err != nil {
		p := describe(err)
		if p.Status >= 500 {
			return err
		}
		httpx.SetRetryAfter(c, p)
		view := failed(p)
		view.Next = formNext(next)
		return h.render(c, p.Status, "login_2fa", view)
	}
	h.cookies.clear(c, challengeCookieName)
	return h.loggedIn(c, res, next)
}
