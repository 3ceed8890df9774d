package web

import (
	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gofiber/fiber/v2"
)

// changePassword replaces the password after checking the current one.
// Every other session ends; this browser gets the cookie of a new session
// (with a new token), kept as long as the old one would have been.
// Neither password is ever written back into the page.
func (h *Handler) changePassword(c *fiber.Ctx) error {
	p, client := h.actingUser(c)
	token, s, err := h.account.ChangePassword(c.UserContext(), p,
		formValue(c, fieldCurrentPassword), formValue(c, fieldNewPassword), client)
	if err != nil {
		return h.accountFailed(c, err)
	}
	h.cookies.setSession(c, token, s)
	return accountDone(c, noticePasswordChanged)
}

// revokeSession ends one of the user's other sessions. An id that is not
// one of them (another user's, or this very session) is a 404.
func (h *Handler) revokeSession(c *fiber.Ctx) error {
	id, err := httpx.ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	p, client := h.actingUser(c)
	if err := h.account.RevokeSession(c.UserContext(), p, domain.SessionID(id), client); err != nil {
		return err
	}
	return accountDone(c, noticeSessionRevoked)
}

// revokeOtherSessions ends every session of the user's but this one.
func (h *Handler) revokeOtherSessions(c *fiber.Ctx) error {
	p, client := h.actingUser(c)
	if _, err := h.account.RevokeOtherSessions(c.UserContext(), p, client); err != nil {
		return err
	}
	return accountDone(c, noticeOtherSessionsRevoked)
}

// deleteAccount removes the account after checking the password, clears
// the browser's cookies and says so on the login page.
func (h *Handler) deleteAccount(c *fiber.Ctx) error {
	p, client := h.actingUser(c)
	if err := h.account.Delete(c.UserContext(), p, formValue(c, fieldPassword), client); err != nil {
		return h.accountFailed(c, err)
	}
	h.clearCookies(c)
	return c.Redirect("/login?notice="+noticeAccountDeleted, fiber.StatusSeeOther)
}
