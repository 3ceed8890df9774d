package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// Form fields of the passkey forms. The browser script (passkeys.js)
// puts the WebAuthn JSON of the authenticator's answer in credential and
// submits the form; everything else is a plain form.
const (
	fieldCredential  = "credential"
	fieldPasskeyName = "passkey_name"
)

// passkeyRow is one passkey in the page's list.
type passkeyRow struct {
	ID       int64
	Name     string
	Created  timeView
	LastUsed timeView // Text empty: never
}

// passkeysView is the page of the account's passkeys.
type passkeysView struct {
	layoutView
	Passkeys []passkeyRow
	// Name is what the add form's name field holds after a refusal.
	Name string
	// Errors holds the messages of the fields, by name: passkey_name,
	// credential, current_password; ErrorFor is the passkey the rename or
	// remove form refused.
	Errors   map[string]string
	ErrorFor int64
}

// passkeysOn reports whether the site offers passkeys.
func (h *Handler) passkeysOn() bool { return h.passkeys != nil && h.passkeys.Enabled() }

// requirePasskeys answers 404 when passkeys are off.
func (h *Handler) requirePasskeys() error {
	if !h.passkeysOn() {
		return usecase.ErrPasskeysOff
	}
	return nil
}

func (h *Handler) passkeysPage(c *fiber.Ctx) error {
	if err := h.requirePasskeys(); err != nil {
		return err
	}
	return h.renderPasskeys(c, http.StatusOK, "", nil, 0, "")
}

func (h *Handler) renderPasskeys(c *fiber.Ctx, status int, alert string, fieldErrors map[string]string, errorFor int64, name string) error {
	p, _ := httpx.PrincipalOf(c)
	list, err := h.passkeys.List(c.UserContext(), p)
	if err != nil {
		return err
	}
	view := &passkeysView{
		layoutView: layoutView{Title: "Passkeys", Alert: alert, Notice: notices[c.Query("notice")], Wide: true},
		Passkeys:   make([]passkeyRow, len(list)),
		Name:       name,
		Errors:     fieldErrors,
		ErrorFor:   errorFor,
	}
	for i, k := range list {
		row := passkeyRow{ID: int64(k.ID), Name: k.Name.String(), Created: newTimeView(k.CreatedAt, timeLayout)}
		if !k.LastUsedAt.IsZero() {
			row.LastUsed = newTimeView(k.LastUsedAt, timeLayout)
		}
		view.Passkeys[i] = row
	}
	return h.render(c, status, "passkeys", view)
}

// passkeyOptions answers a ceremony's options as JSON, never cached.
func passkeyOptions(c *fiber.Ctx, options []byte) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Status(http.StatusOK).Send(options)
}

// passkeyRegistrationOptions starts adding a passkey.
func (h *Handler) passkeyRegistrationOptions(c *fiber.Ctx) error {
	if err := h.requirePasskeys(); err != nil {
		return err
	}
	p, _ := httpx.PrincipalOf(c)
	options, err := h.passkeys.BeginRegistration(c.UserContext(), p)
	if err != nil {
		return err
	}
	return passkeyOptions(c, options)
}

// addPasskey stores the passkey the browser made; the browser gets a new
// session, every other one ends.
func (h *Handler) addPasskey(c *fiber.Ctx) error {
	if err := h.requirePasskeys(); err != nil {
		return err
	}
	p, client := h.actingUser(c)
	name := formValue(c, fieldPasskeyName)
	token, s, err := h.passkeys.FinishRegistration(c.UserContext(), p, name, []byte(formValue(c, fieldCredential)), client)
	if err != nil {
		return h.passkeyFailed(c, err, 0, name)
	}
	h.cookies.setSession(c, token, s)
	return passkeysDone(c, noticePasskeyAdded)
}

// passkeyID reads the :id of a passkey route; a malformed one is a 404.
func passkeyID(c *fiber.Ctx) (domain.PasskeyID, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.ErrNotFound
	}
	return domain.PasskeyID(id), nil
}

func (h *Handler) renamePasskey(c *fiber.Ctx) error {
	if err := h.requirePasskeys(); err != nil {
		return err
	}
	id, err := passkeyID(c)
	if err != nil {
		return err
	}
	p, client := h.actingUser(c)
	if err := h.passkeys.Rename(c.UserContext(), p, id, formValue(c, fieldPasskeyName), client); err != nil {
		return h.passkeyFailed(c, err, int64(id), "")
	}
	return passkeysDone(c, noticePasskeyRenamed)
}

// removePasskey removes a passkey after the current password; the
// browser gets a new session, every other one ends.
func (h *Handler) removePasskey(c *fiber.Ctx) error {
	if err := h.requirePasskeys(); err != nil {
		return err
	}
	id, err := passkeyID(c)
	if err != nil {
		return err
	}
	p, client := h.actingUser(c)
	token, s, err := h.passkeys.Remove(c.UserContext(), p, id, formValue(c, fieldCurrentPassword), client)
	if err != nil {
		return h.passkeyFailed(c, err, int64(id), "")
	}
	h.cookies.setSession(c, token, s)
	return passkeysDone(c, noticePasskeyRemoved)
}

// passkeyFailed re-renders the page with the messages of invalid input
// (422) or a throttle's 429; anything else goes to the error page.
func (h *Handler) passkeyFailed(c *fiber.Ctx, err error, id int64, name string) error {
	var invalid *usecase.InvalidInputError
	var throttled *domain.ThrottledError
	if !errors.As(err, &invalid) && !errors.As(err, &throttled) {
		return err
	}
	p := describe(err)
	httpx.SetRetryAfter(c, p)
	return h.renderPasskeys(c, p.Status, p.Message, p.Fields, id, name)
}

func passkeysDone(c *fiber.Ctx, notice string) error {
	return c.Redirect("/account/passkeys?notice="+notice, fiber.StatusSeeOther)
}
