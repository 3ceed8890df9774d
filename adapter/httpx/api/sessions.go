package api

import (
	"errors"
	"net/http"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// createSession logs in and answers with a new bearer token. Like the
// site's login, every credential failure is the one 401
// invalid_credentials, too many failures are a 429 with Retry-After
// whatever the password, and the right password of a disabled account is
// a 403. remember=true makes a session of REMEMBER_ME_DURATION; without
// it the session ends after the idle or absolute timeout. The answer
// carries a device_token, which the app sends back at its next login to
// be judged as a device that logged in before (usecase.DeviceProofs).
func (h *Handler) createSession(c *fiber.Ctx) error {
	var in credentialsRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := requireCredentials(in); err != nil {
		return err
	}
	res, err := h.auth.Login(c.UserContext(), usecase.LoginInput{
		Username: in.Username,
		Password: in.Password,
		Remember: in.Remember,
		Client:   h.client(c),
		Device:   in.DeviceToken,
	})
	var required *usecase.SecondFactorRequiredError
	if errors.As(err, &required) {
		return secondFactorRequired(c, required)
	}
	if err != nil {
		return err
	}
	return created(c, res)
}

// created answers a login with its new session.
func created(c *fiber.Ctx, res usecase.LoginResult) error {
	return c.Status(http.StatusCreated).JSON(newSessionView{
		Token:       res.Token.Reveal(),
		ExpiresAt:   res.Session.ExpiresAt.UTC(),
		User:        newUserView(res.User),
		DeviceToken: res.Device,
	})
}

// secondFactorRequired answers the right password of an account with a
// second factor: 401 second_factor_required, no session, and the challenge
// that POST /sessions/second-factor answers with a code.
func secondFactorRequired(c *fiber.Ctx, required *usecase.SecondFactorRequiredError) error {
	p := describe(required)
	setSecurityHeaders(c)
	c.Set(fiber.HeaderWWWAuthenticate, wwwAuthenticate(required))
	return c.Status(p.Status).JSON(secondFactorRequiredView{
		Error: errorView{Code: p.Code, Message: p.Message, Fields: map[string]string{}},
		SecondFactor: challengeView{
			Challenge: required.Challenge.Reveal(),
			Methods:   required.Methods,
			ExpiresAt: required.ExpiresAt.UTC(),
		},
	})
}

// completeSecondFactor finishes a login with the challenge of POST
// /sessions and a code from the authenticator app or a recovery code
// (consumed): 201 with the session, as POST /sessions answers
// without a second factor. A wrong or replayed code is 422 (the challenge
// stays), too many failures 429; a challenge unknown, expired or used is
// 401 unauthorized: log in again.
func (h *Handler) completeSecondFactor(c *fiber.Ctx) error {
	var in secondFactorRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Challenge == "" || in.Code == "" {
		fields := map[string]string{}
		if in.Challenge == "" {
			fields[fieldChallenge] = "Please send the challenge of POST /sessions."
		}
		if in.Code == "" {
			fields[fieldCode] = "Please enter the code from your authenticator app, or a recovery code."
		}
		return &httpx.InputError{Message: "Please send the challenge and a code.", Fields: fields}
	}
	res, err := h.twoFactor.CompleteLogin(c.UserContext(), usecase.SecondStepInput{
		Challenge: in.Challenge,
		Code:      in.Code,
		Client:    h.client(c),
	})
	if err != nil {
		return err
	}
	return created(c, res)
}

// requireCredentials refuses a login without a username or a password
// before any work, as the site does.
func requireCredentials(in credentialsRequest) error {
	fields := map[string]string{}
	if in.Username == "" {
		fields[fieldUsername] = "Please enter your username."
	}
	if in.Password == "" {
		fields[fieldPassword] = "Please enter your password."
	}
	if len(fields) > 0 {
		return &httpx.InputError{Message: "Please enter your username and your password.", Fields: fields}
	}
	return nil
}

// listSessions lists the caller's active sessions, newest first, marking
// the one whose token made the request.
func (h *Handler) listSessions(c *fiber.Ctx) error {
	p := principal(c)
	list, err := h.account.Sessions(c.UserContext(), p)
	if err != nil {
		return err
	}
	out := sessionListView{Sessions: make([]sessionView, 0, len(list))}
	for _, s := range list {
		out.Sessions = append(out.Sessions, sessionView{
			ID:         int64(s.ID),
			CreatedAt:  s.CreatedAt.UTC(),
			LastSeenAt: s.LastSeenAt.UTC(),
			IP:         s.IP,
			UserAgent:  s.UserAgent,
			Current:    s.ID == p.Session.ID,
			TwoFactor:  s.TwoFactor(),
		})
	}
	return c.JSON(out)
}

// deleteCurrentSession logs out: the caller's token stops working at once.
func (h *Handler) deleteCurrentSession(c *fiber.Ctx) error {
	if err := h.account.Logout(c.UserContext(), principal(c), h.client(c)); err != nil {
		return err
	}
	return c.SendStatus(http.StatusNoContent)
}

// deleteSession ends one of the caller's sessions by its id from GET
// /sessions. The caller's own id logs out, as DELETE /sessions/current
// does; an id that is not one of the caller's sessions is a 404.
func (h *Handler) deleteSession(c *fiber.Ctx) error {
	id, err := parseSessionID(c.Params("id"))
	if err != nil {
		return err
	}
	p := principal(c)
	if id == p.Session.ID {
		return h.deleteCurrentSession(c)
	}
	if err := h.account.RevokeSession(c.UserContext(), p, id, h.client(c)); err != nil {
		return err
	}
	return c.SendStatus(http.StatusNoContent)
}
