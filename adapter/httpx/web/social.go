package web

import (
	"errors"
	"net/http"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// EnableSocialLogin turns on the sign-in with identity providers: the
// login and signup pages link to the ready providers, /auth/NAME starts a
// login there, and the account page lists the sign-in methods. Call it
// before Register.
func (h *Handler) EnableSocialLogin(s httpx.SocialLogin) { h.social = s }

// registerSocial adds the routes of the provider logins.
func (h *Handler) registerSocial(app *fiber.App) {
	if h.social == nil {
		return
	}
	user := h.requireUser
	app.Get("/auth/continue", h.socialContinue)
	app.Post("/auth/continue/link", h.socialLink)
	app.Post("/auth/continue/signup", h.socialSignup)
	app.Get("/auth/:provider", h.socialBegin)
	app.Get("/auth/:provider/callback", h.socialCallback)
	app.Get("/account/identities/:provider/connect", user, h.connectForm)
	app.Post("/account/identities/:provider/connect", user, h.connect)
	app.Post("/account/identities/:provider/disconnect", user, h.disconnect)
}

// providers lists the ready providers, none when social login is off.
func (h *Handler) providers() []usecase.ProviderInfo {
	if h.social == nil {
		return nil
	}
	return h.social.Providers()
}

// socialBegin sends the browser to the provider's login page, the state
// in a cookie to prove on its return that it is this browser. It is a
// GET reached by a link, since the CSP lets forms go only to this site.
func (h *Handler) socialBegin(c *fiber.Ctx) error {
	next := safeNext(c.Query("next"))
	if _, ok := httpx.PrincipalOf(c); ok {
		return c.Redirect(next, fiber.StatusSeeOther)
	}
	start, err := h.social.Begin(c.UserContext(), c.Params("provider"), next, h.client(c))
	if err != nil {
		return err
	}
	h.cookies.set(c, socialStateCookieName, start.State.Reveal(), usecase.SocialStateLifetime)
	return c.Redirect(start.URL, fiber.StatusSeeOther)
}

// socialCallback finishes a provider login. A known identity logs in (or
// meets the second-factor page); a connect returns to the account page;
// an unknown identity goes to /auth/continue. Every failure is a 4xx page
// that changed nothing.
func (h *Handler) socialCallback(c *fiber.Ctx) error {
	cookie := h.cookies.get(c, socialStateCookieName)
	h.cookies.clear(c, socialStateCookieName)
	in := usecase.CallbackInput{
		Provider: c.Params("provider"),
		State:    c.Query("state"),
		Cookie:   cookie,
		Code:     c.Query("code"),
		Error:    c.Query("error"),
		Device:   h.cookies.get(c, deviceCookieName),
		Client:   h.client(c),
	}
	if p, ok := httpx.PrincipalOf(c); ok {
		in.Principal = &p
	}
	in.Previous, _ = h.sessionToken(c)
	res, err := h.social.Callback(c.UserContext(), in)
	var required *usecase.SecondFactorRequiredError
	if errors.As(err, &required) {
		h.cookies.set(c, challengeCookieName, required.Challenge.Reveal(), usecase.ChallengeLifetime)
		return c.Redirect(secondStepURL(safeNext(res.Next)), fiber.StatusSeeOther)
	}
	if err != nil {
		return err
	}
	switch res.Outcome {
	case usecase.SocialLoggedIn:
		return h.loggedIn(c, res.Login, safeNext(res.Next))
	case usecase.SocialConnected:
		return c.Redirect("/account?notice="+noticeIdentityConnected, fiber.StatusSeeOther)
	}
	h.cookies.set(c, socialPendingCookieName, res.Pending.Reveal(), usecase.PendingIdentityLifetime)
	return c.Redirect("/auth/continue", fiber.StatusSeeOther)
}

// socialContinueView is the page of an identity linked to no account:
// log in with the password of the account that has its address, or choose
// a username for a new account.
type socialContinueView struct {
	layoutView
	Provider string
	Email    string
	Existing bool
	Username string
	Errors   map[string]string
	// Invalid marks the password login's fields invalid.
	Invalid bool
}

func (h *Handler) socialContinue(c *fiber.Ctx) error {
	return h.renderContinue(c, http.StatusOK, "", nil, "", false)
}

// renderContinue writes the page of the browser's pending identity, or
// the error page when it has none.
func (h *Handler) renderContinue(c *fiber.Ctx, status int, alert string, fieldErrors map[string]string, username string, invalid bool) error {
	pv, err := h.social.Pending(c.UserContext(), h.cookies.get(c, socialPendingCookieName))
	if err != nil {
		return err
	}
	view := &socialContinueView{
		layoutView: layoutView{Title: "Continue with " + pv.Provider.Label, Alert: alert},
		Provider:   pv.Provider.Label, Email: pv.Email, Existing: pv.Existing,
		Username: username, Errors: fieldErrors, Invalid: invalid,
	}
	if view.Existing {
		view.Title = "Link your " + pv.Provider.Label + " sign-in"
	} else if username == "" {
		view.Username = pv.Suggested
	}
	return h.render(c, status, "social_continue", view)
}

// socialLink logs in with a password and, on success, links the pending
// identity to the account.
func (h *Handler) socialLink(c *fiber.Ctx) error {
	username, password := formValue(c, fieldUsername), formValue(c, fieldPassword)
	if username == "" || password == "" {
		return h.renderContinue(c, http.StatusUnprocessableEntity, missingCredentials, nil, username, true)
	}
	previous, _ := h.sessionToken(c)
	pending := h.cookies.get(c, socialPendingCookieName)
	pv, err := h.social.Pending(c.UserContext(), pending)
	if err != nil {
		return err
	}
	res, linked, err := h.social.LinkWithPassword(c.UserContext(), pending, usecase.LoginInput{
		Username: username, Password: password, Previous: previous,
		Client: h.client(c), Device: h.cookies.get(c, deviceCookieName),
	})
	var required *usecase.SecondFactorRequiredError
	if errors.As(err, &required) {
		h.cookies.set(c, challengeCookieName, required.Challenge.Reveal(), usecase.ChallengeLifetime)
		h.cookies.clear(c, socialPendingCookieName)
		return c.Redirect(secondStepURL(safeNext(pv.Next)), fiber.StatusSeeOther)
	}
	if err != nil {
		p := describe(err)
		if p.Status >= 500 || errors.Is(err, usecase.ErrPendingGone) {
			return err
		}
		httpx.SetRetryAfter(c, p)
		return h.renderContinue(c, p.Status, p.Message, nil, username, p.Status == http.StatusUnauthorized)
	}
	h.cookies.clear(c, socialPendingCookieName)
	if linked.Name != "" && !res.User.MustChangePassword {
		h.cookies.setSession(c, res.Token, res.Session)
		h.cookies.set(c, deviceCookieName, res.Device, deviceCookieMaxAge)
		h.cookies.clear(c, visitorCookieName)
		return c.Redirect("/account?notice="+noticeIdentityConnected, fiber.StatusSeeOther)
	}
	return h.loggedIn(c, res, safeNext(pv.Next))
}

// socialSignup creates an account for the pending identity with the
// username chosen.
func (h *Handler) socialSignup(c *fiber.Ctx) error {
	username := formValue(c, fieldUsername)
	previous, _ := h.sessionToken(c)
	pending := h.cookies.get(c, socialPendingCookieName)
	pv, err := h.social.Pending(c.UserContext(), pending)
	if err != nil {
		return err
	}
	res, err := h.social.Signup(c.UserContext(), usecase.SignupInput{
		Pending: pending, Username: username, Previous: previous, Client: h.client(c),
	})
	if err != nil {
		p := describe(err)
		if p.Status >= 500 || errors.Is(err, usecase.ErrPendingGone) || errors.Is(err, domain.ErrIdentityTaken) {
			return err
		}
		httpx.SetRetryAfter(c, p)
		fields := p.Fields
		if fields == nil {
			fields = map[string]string{fieldUsername: p.Message}
		}
		return h.renderContinue(c, p.Status, p.Message, fields, username, false)
	}
	h.cookies.clear(c, socialPendingCookieName)
	return h.loggedIn(c, res, safeNext(pv.Next))
}

// connectView asks for the password before a connect, or sends the
// browser on to the provider once it was given.
type connectView struct {
	layoutView
	Provider     string
	ProviderName string
	HasPassword  bool
	// URL is the provider's login page, once the password was right.
	URL    string
	Errors map[string]string
}

// connectForm starts linking a provider to the account: at once after a
// recent login, else after the password (connectView).
func (h *Handler) connectForm(c *fiber.Ctx) error {
	p, _ := httpx.PrincipalOf(c)
	name := c.Params("provider")
	start, err := h.social.BeginConnect(c.UserContext(), p, name, "", h.client(c))
	var invalid *usecase.InvalidInputError
	if errors.As(err, &invalid) {
		view := h.newConnectView(p, name)
		if !p.User.HasPassword() {
			view.Alert = describe(err).Message
		}
		return h.render(c, http.StatusOK, "social_connect", view)
	}
	if err != nil {
		return err
	}
	h.cookies.set(c, socialStateCookieName, start.State.Reveal(), usecase.SocialStateLifetime)
	return c.Redirect(start.URL, fiber.StatusSeeOther)
}

func (h *Handler) newConnectView(p usecase.Principal, name string) *connectView {
	label := h.social.Label(name)
	return &connectView{
		layoutView: layoutView{Title: "Connect " + label}, Provider: label, ProviderName: name,
		HasPassword: p.User.HasPassword(),
	}
}

// connect checks the password and shows the link to the provider (a
// form may not redirect to another site under the CSP).
func (h *Handler) connect(c *fiber.Ctx) error {
	p, _ := httpx.PrincipalOf(c)
	name := c.Params("provider")
	start, err := h.social.BeginConnect(c.UserContext(), p, name, formValue(c, fieldCurrentPassword), h.client(c))
	view := h.newConnectView(p, name)
	if err != nil {
		pr := describe(err)
		if pr.Status >= 500 || pr.Fields == nil {
			return err
		}
		httpx.SetRetryAfter(c, pr)
		view.Alert, view.Errors = pr.Message, pr.Fields
		return h.render(c, pr.Status, "social_connect", view)
	}
	h.cookies.set(c, socialStateCookieName, start.State.Reveal(), usecase.SocialStateLifetime)
	view.URL = start.URL
	return h.render(c, http.StatusOK, "social_connect", view)
}

// disconnect unlinks a provider from the account, refused (409 on the
// account page) for its last way to sign in.
func (h *Handler) disconnect(c *fiber.Ctx) error {
	p, _ := httpx.PrincipalOf(c)
	err := h.social.Disconnect(c.UserContext(), p.User.ID, c.Params("provider"), 0, h.client(c))
	if errors.Is(err, domain.ErrLastSignInMethod) {
		pr := describe(err)
		return h.renderAccount(c, pr.Status, "", pr.Message, nil)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/account?notice="+noticeIdentityDisconnected, fiber.StatusSeeOther)
}

// identityView is one sign-in method on the account page.
type identityView struct {
	Provider string
	Name     string
	Label    string
	Linked   timeView
}

// signInMethods fills the account page's Sign-in methods section.
func (h *Handler) signInMethods(c *fiber.Ctx, p usecase.Principal, view *accountView) error {
	view.HasPassword = p.User.HasPassword()
	if h.social == nil {
		return nil
	}
	view.Social = true
	list, err := h.social.Identities(c.UserContext(), p.User.ID)
	if err != nil {
		return err
	}
	linked := map[string]bool{}
	for _, id := range list {
		linked[id.Provider] = true
		view.Identities = append(view.Identities, identityView{
			Provider: id.Provider, Name: id.Name, Label: h.social.Label(id.Provider), Linked: newTimeView(id.LinkedAt, timeLayout),
		})
	}
	for _, pi := range h.social.Providers() {
		if !linked[pi.Name] {
			view.Connectable = append(view.Connectable, pi)
		}
	}
	return nil
}
