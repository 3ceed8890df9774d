package web

import (
	"errors"
	"net/http"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

type accountView struct {
	layoutView
	// MustChangePassword asks for a new password before anything else
	// (the profile waits until then).
	MustChangePassword bool
	// DisplayName is the profile form's display_name field: the
	// account's display name, or what was typed when it was refused.
	DisplayName string
	// Errors holds the messages of the forms' fields, by field name:
	// display_name (profile), current_password and new_password
	// (password change), password (account deletion).
	Errors        map[string]string
	Sessions      []sessionView
	OtherSessions bool
	Activity      []activityRow
	// Emails says whether the Email section is shown; Email is the
	// verified address, PendingEmail the one waiting for its code (until
	// PendingUntil), and Code a code to prefill (from the link in the
	// message).
	Emails bool
	// Passkeys says whether the Passkeys section is shown.
	Passkeys     bool
	Email        string
	PendingEmail string
	PendingUntil timeView
	Code         string
	// HasPassword is false for an account made through a provider that
	// has no password yet: its forms ask for no current password (a
	// recent login stands in for it).
	HasPassword bool
	// Social says whether the Sign-in methods section is shown: the
	// identities linked, and the providers that can still be connected.
	Social      bool
	Identities  []identityView
	Connectable []usecase.ProviderInfo
}

// PasswordRules describes the password change form's rules.
func (v *accountView) PasswordRules() passwordRulesView {
	return passwordRulesView{
		Field:    "new_password",
		Hint:     "At least 12 characters. Long passphrases are welcome. Your other sessions will be logged out.",
		Username: v.User,
	}
}

// sessionView is one of the user's active sessions as the account page
// lists it.
type sessionView struct {
	ID       domain.SessionID
	Created  timeView
	LastSeen timeView
	IP       string
	Device   string
	Current  bool
	// TwoFactor reports whether the session's login passed a second
	// factor.
	TwoFactor bool
}

// activityRow is one entry of the user's recent activity.
type activityRow struct {
	At     timeView
	Event  string
	IP     string
	Device string
}

// accountPage shows the password form, the active sessions, the recent
// activity and the form that deletes the account.
func (h *Handler) accountPage(c *fiber.Ctx) error {
	return h.renderAccount(c, http.StatusOK, notices[c.Query("notice")], "", nil)
}

// accountForms holds what the account page's forms show typed back: the
// profile form's display name and the code to prefill in the Email
// section (from the link in the message, or the one that was refused).
type accountForms struct {
	DisplayName string
	Code        string
}

// renderAccount writes the account page with status, a confirmation or an
// alert, and the messages of the form fields; the profile form holds the
// account's display name.
func (h *Handler) renderAccount(c *fiber.Ctx, status int, notice, alert string, fieldErrors map[string]string) error {
	return h.renderAccountWith(c, status, notice, alert, fieldErrors, savedForms(c, ""))
}

// savedForms is the forms holding what the account has, with code to
// prefill.
func savedForms(c *fiber.Ctx, code string) accountForms {
	p, _ := httpx.PrincipalOf(c)
	return accountForms{DisplayName: p.User.DisplayName.String(), Code: code}
}

// renderAccountWith is renderAccount with the forms holding forms.
func (h *Handler) renderAccountWith(c *fiber.Ctx, status int, notice, alert string, fieldErrors map[string]string, forms accountForms) error {
	p, _ := httpx.PrincipalOf(c)
	sessions, err := h.account.Sessions(c.UserContext(), p)
	if err != nil {
		return err
	}
	events, err := h.account.RecentActivity(c.UserContext(), p)
	if err != nil {
		return err
	}
	view := &accountView{
		layoutView:         layoutView{Title: "Your account", Notice: notice, Alert: alert, Wide: true},
		MustChangePassword: p.User.MustChangePassword,
		DisplayName:        forms.DisplayName,
		Errors:             fieldErrors,
		Sessions:           make([]sessionView, len(sessions)),
		Activity:           make([]activityRow, len(events)),
	}
	view.Passkeys = h.passkeysOn()
	if h.emails != nil {
		st, err := h.emails.Status(c.UserContext(), p)
		if err != nil {
			return err
		}
		view.Emails, view.Email, view.PendingEmail, view.Code = true, st.Verified.String(), st.Pending.String(), forms.Code
		if !st.Pending.IsZero() {
			view.PendingUntil = newTimeView(st.PendingUntil, timeLayout)
		}
	}
	if err := h.signInMethods(c, p, view); err != nil {
		return err
	}
	if view.MustChangePassword && view.Notice == "" {
		view.Notice = notices[noticeMustChangePassword]
	}
	for i, s := range sessions {
		view.Sessions[i] = sessionView{
			ID:        s.ID,
			Created:   newTimeView(s.CreatedAt, timeLayout),
			LastSeen:  newTimeView(s.LastSeenAt, timeLayout),
			IP:        s.IP,
			Device:    describeAgent(h.agents(), s.UserAgent),
			Current:   s.ID == p.Session.ID,
			TwoFactor: s.TwoFactor(),
		}
		view.OtherSessions = view.OtherSessions || !view.Sessions[i].Current
	}
	for i, e := range events {
		row := activityRow{At: newTimeView(e.At, timeLayout), Event: describeEvent(e)}
		// An admin's address and browser are theirs to keep; the command
		// line has neither.
		if e.ActorID == 0 && e.UserAgent != "" {
			row.Device = describeAgent(h.agents(), e.UserAgent)
		}
		if e.ActorID == 0 {
			row.IP = e.IP
		}
		view.Activity[i] = row
	}
	return h.render(c, status, "account", view)
}

// accountFailed answers a failed account action: invalid input (422) and
// the last admin's refusal (409) re-render the page with the messages;
// anything else goes to the error page.
func (h *Handler) accountFailed(c *fiber.Ctx, err error) error {
	var invalid *usecase.InvalidInputError
	if !errors.As(err, &invalid) && !errors.Is(err, domain.ErrLastAdmin) {
		return err
	}
	p := describe(err)
	return h.renderAccount(c, p.Status, "", p.Message, p.Fields)
}

// accountDone sends the browser back to the account page with the
// confirmation named by notice.
func accountDone(c *fiber.Ctx, notice string) error {
	return c.Redirect("/account?notice="+notice, fiber.StatusSeeOther)
}

// actingUser returns the request's principal and where the request came
// from, for the account and admin actions (which run after requireUser).
func (h *Handler) actingUser(c *fiber.Ctx) (usecase.Principal, usecase.Client) {
	p, _ := httpx.PrincipalOf(c)
	return p, h.client(c)
}
