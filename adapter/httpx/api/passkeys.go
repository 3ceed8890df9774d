package api

import (
	"net/http"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// fieldCredential is the passkey answer of POST /passkeys/login.
const fieldCredential = "credential"

// passkeysOn refuses with 404 when passkeys are off.
func (h *Handler) passkeysOn() error {
	if h.passkeys == nil || !h.passkeys.Enabled() {
		return usecase.ErrPasskeysOff
	}
	return nil
}

// passkeyLoginOptions starts a passkey login for a native app: 200 with
// the WebAuthn options ({"publicKey": PublicKeyCredentialRequestOptions
// as JSON}) to hand to the platform's passkey API. The request has no
// body (or an empty JSON object); the options name no account, so the
// platform offers the passkeys it has for this relying party.
func (h *Handler) passkeyLoginOptions(c *fiber.Ctx) error {
	if err := h.passkeysOn(); err != nil {
		return err
	}
	if len(c.Body()) > 0 {
		var empty emptyRequest
		if err := decodeJSON(c, &empty); err != nil {
			return err
		}
	}
	options, err := h.passkeys.BeginLogin(c.UserContext())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Status(http.StatusOK).Send(options)
}

// passkeyLogin finishes a passkey login: 201 with the session, as POST
// /sessions answers. Every refused answer is the one 401
// invalid_credentials; too many failures for the account a 429; a
// disabled account a 403. A passkey with user verification is a whole
// login: no second factor is asked for.
func (h *Handler) passkeyLogin(c *fiber.Ctx) error {
	if err := h.passkeysOn(); err != nil {
		return err
	}
	var in passkeyLoginRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if len(in.Credential) == 0 || in.Credential[0] != '{' {
		return &httpx.InputError{Message: "Please send the passkey's answer.",
			Fields: map[string]string{fieldCredential: "Must be the WebAuthn JSON of the passkey's answer (an object)."}}
	}
	res, err := h.passkeys.Login(c.UserContext(), usecase.PasskeyLoginInput{
		Response: in.Credential,
		Remember: in.Remember,
		Client:   h.client(c),
		Device:   in.DeviceToken,
	})
	if err != nil {
		return err
	}
	return created(c, res)
}
