package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// adminRequest is what an action on the admin's list acts on.
type adminRequest struct {
	ctx    context.Context
	actor  usecase.Actor
	id     domain.UserID
	client usecase.Client
	// form reads a field of the submitted form.
	form func(key string) string
}

// userAction runs one of the list's buttons and names the confirmation.
type userAction func(a httpx.Admin, r adminRequest) (notice string, err error)

// adminAction runs action on the account named by the path's id and sends
// the admin back to the list, at the search and page the form came from,
// with a confirmation. The last admin's refusal re-renders that page of
// the list with a 409 and the reason; an unknown id is a 404.
func (h *Handler) adminAction(action userAction) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := httpx.ParseID(c.Params("id"))
		if err != nil {
			return err
		}
		p, client := h.actingUser(c)
		back := newListQuery(formValue(c, "q"), formValue(c, "page"))
		notice, err := action(h.admin, adminRequest{
			ctx:    c.UserContext(),
			actor:  usecase.Actor{User: p.User},
			id:     domain.UserID(id),
			client: client,
			form:   func(key string) string { return formValue(c, key) },
		})
		if errors.Is(err, domain.ErrLastAdmin) {
			return h.renderUsers(c, http.StatusConflict, back, "", describe(err).Message)
		}
		if err != nil {
			return err
		}
		return c.Redirect(back.url(notice), fiber.StatusSeeOther)
	}
}

func disableUser(a httpx.Admin, r adminRequest) (string, error) {
	return noticeUserDisabled, a.Disable(r.ctx, r.actor, r.id, r.client)
}

func enableUser(a httpx.Admin, r adminRequest) (string, error) {
	return noticeUserEnabled, a.Enable(r.ctx, r.actor, r.id, r.client)
}

func clearThrottle(a httpx.Admin, r adminRequest) (string, error) {
	return noticeThrottleCleared, a.ClearThrottle(r.ctx, r.actor, r.id, r.client)
}

func revokeUserSessions(a httpx.Admin, r adminRequest) (string, error) {
	_, err := a.RevokeSessions(r.ctx, r.actor, r.id, r.client)
	return noticeUserSessionsRevoked, err
}

// setRole reads the new role from the form's role field: admin or user.
func setRole(a httpx.Admin, r adminRequest) (string, error) {
	role, err := domain.ParseRole(r.form("role"))
	if err != nil {
		return "", httpx.ErrBadForm
	}
	notice := noticeRoleUser
	if role == domain.RoleAdmin {
		notice = noticeRoleAdmin
	}
	return notice, a.SetRole(r.ctx, r.actor, r.id, role, r.client)
}
