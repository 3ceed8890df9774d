package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// EnableSocialLogin turns on the endpoints of the identity providers
// (without it they answer as if no provider were configured). Call it
// before App.
func (h *Handler) EnableSocialLogin(s httpx.SocialLogin) { h.social = s }

// oidcSessionRequest is the body of POST /sessions/oidc.
type oidcSessionRequest struct {
	Provider    string `json:"provider"`
	IDToken     string `json:"id_token"`
	Nonce       string `json:"nonce"`
	DeviceToken string `json:"device_token"`
}

func (r *oidcSessionRequest) texts() map[string]string {
	return map[string]string{"provider": r.Provider, "id_token": r.IDToken, "nonce": r.Nonce, fieldDeviceToken: r.DeviceToken}
}

// identityView is one sign-in method of GET /me/identities.
type identityView struct {
	Provider string    `json:"provider"`
	Label    string    `json:"label"`
	Name     string    `json:"name"`
	LinkedAt time.Time `json:"linked_at"`
}

// createOIDCSession trades an ID token that a native app got from the
// provider's own SDK for a session: 201 as POST /sessions answers, 401
// second_factor_required for an account with 2FA, 400 provider_rejected
// for a token that fails a check (signature, issuer, audience, expiry,
// nonce), 404 identity_not_linked for an identity of no account (nothing
// is created: the app sends the user to sign up on the site).
func (h *Handler) createOIDCSession(c *fiber.Ctx) error {
	var in oidcSessionRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	fields := map[string]string{}
	for name, v := range map[string]string{"provider": in.Provider, "id_token": in.IDToken, "nonce": in.Nonce} {
		if v == "" {
			fields[name] = "Required."
		}
	}
	if len(fields) > 0 {
		return &httpx.InputError{Message: "Please send the provider, its ID token and the nonce it was requested with.", Fields: fields}
	}
	if h.social == nil {
		return usecase.ErrUnknownProvider
	}
	res, err := h.social.LoginWithIDToken(c.UserContext(), usecase.TokenLoginInput{
		Provider: in.Provider, IDToken: in.IDToken, Nonce: in.Nonce, Device: in.DeviceToken, Client: h.client(c),
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

// listIdentities lists the caller's linked identities, by provider.
func (h *Handler) listIdentities(c *fiber.Ctx) error {
	out := []identityView{}
	if h.social != nil {
		list, err := h.social.Identities(c.UserContext(), principal(c).User.ID)
		if err != nil {
			return err
		}
		for _, id := range list {
			out = append(out, identityView{Provider: id.Provider, Label: h.social.Label(id.Provider), Name: id.Name, LinkedAt: id.LinkedAt.UTC()})
		}
	}
	return c.JSON(out)
}

// deleteIdentity unlinks the caller's identity of a provider: 204, 404
// when there is none, 409 last_sign_in_method for the account's last way
// to sign in.
func (h *Handler) deleteIdentity(c *fiber.Ctx) error {
	if h.social == nil {
		return usecase.ErrUnknownProvider
	}
	if err := h.social.Disconnect(c.UserContext(), principal(c).User.ID, c.Params("provider"), 0, h.client(c)); err != nil {
		return err
	}
	return c.SendStatus(http.StatusNoContent)
}
