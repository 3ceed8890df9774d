package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// maxSearch bounds the admin's search text; no username is near as long.
const maxSearch = 64

type adminUsersView struct {
	layoutView
	Search string
	Page   int // from 1
	Pages  int
	Total  int
	Users  []userRow
	// PreviousURL and NextURL link the neighbouring pages, "" at the ends.
	PreviousURL string
	NextURL     string
}

// userRow is one account in the admin's list.
type userRow struct {
	ID                 domain.UserID
	Username           string
	DisplayName        string // "" when none
	Admin              bool
	Created            timeView
	LastLogin          *timeView // nil when never
	Disabled           bool
	MustChangePassword bool
	ActiveSessions     int
	TwoFactor          bool
	Passkeys           int
	Self               bool // the admin's own account
	// Email is the address, verified (EmailVerified) or waiting for its
	// code; "" for none.
	Email         string
	EmailVerified bool
	// SignIn lists the ways the account signs in: "password" when it has
	// one, and each linked identity provider.
	SignIn string
}

// listQuery is the search and page of the admin's list, which every
// action on the list returns to.
type listQuery struct {
	search string
	page   int // from 1
}

// newListQuery reads a listQuery from a query string's or form's values.
func newListQuery(search, page string) listQuery {
	search = strings.TrimSpace(search)
	if len(search) > maxSearch {
		search = strings.ToValidUTF8(search[:maxSearch], "")
	}
	return listQuery{search: strings.Clone(search), page: parsePage(page)}
}

// url is the list's address for q, with the confirmation named by notice.
func (q listQuery) url(notice string) string {
	v := url.Values{}
	if q.search != "" {
		v.Set("q", q.search)
	}
	if q.page > 1 {
		v.Set("page", strconv.Itoa(q.page))
	}
	if notice != "" {
		v.Set("notice", notice)
	}
	if len(v) == 0 {
		return "/admin/users"
	}
	return "/admin/users?" + v.Encode()
}

// adminUsers lists the accounts, a page at a time, optionally only those
// whose name contains the search text.
func (h *Handler) adminUsers(c *fiber.Ctx) error {
	q := newListQuery(c.Query("q"), c.Query("page"))
	return h.renderUsers(c, http.StatusOK, q, notices[c.Query("notice")], "")
}

// renderUsers writes the page of the admin's list that q selects.
func (h *Handler) renderUsers(c *fiber.Ctx, status int, q listQuery, notice, alert string) error {
	p, _ := httpx.PrincipalOf(c)
	res, err := h.admin.List(c.UserContext(), usecase.Actor{User: p.User}, q.search, q.page-1)
	if err != nil {
		return err
	}
	view := &adminUsersView{
		layoutView: layoutView{Title: "Users", Notice: notice, Alert: alert, Wide: true},
		Search:     q.search,
		Page:       q.page,
		Pages:      max(1, (res.Total+usecase.AdminPageSize-1)/usecase.AdminPageSize),
		Total:      res.Total,
		Users:      make([]userRow, len(res.Users)),
	}
	if q.page > 1 {
		view.PreviousURL = listQuery{search: q.search, page: min(q.page-1, view.Pages)}.url("")
	}
	if q.page < view.Pages {
		view.NextURL = listQuery{search: q.search, page: q.page + 1}.url("")
	}
	for i, s := range res.Users {
		row := userRow{
			ID:                 s.User.ID,
			Username:           s.User.Username.String(),
			DisplayName:        s.User.DisplayName.String(),
			Admin:              s.User.Role == domain.RoleAdmin,
			Created:            newTimeView(s.User.CreatedAt, timeLayout),
			Disabled:           s.User.Disabled,
			MustChangePassword: s.User.MustChangePassword,
			ActiveSessions:     s.ActiveSessions,
			TwoFactor:          s.TwoFactor,
			Passkeys:           s.Passkeys,
			Self:               s.User.ID == p.User.ID,
			Email:              s.PendingEmail.String(),
			SignIn:             signInMethods(s),
		}
		if !s.User.Email.IsZero() {
			row.Email, row.EmailVerified = s.User.Email.String(), true
		}
		if !s.LastLoginAt.IsZero() {
			at := newTimeView(s.LastLoginAt, timeLayout)
			row.LastLogin = &at
		}
		view.Users[i] = row
	}
	return h.render(c, status, "admin_users", view)
}

// signInMethods lists how the account signs in, for the admin's list.
func signInMethods(s usecase.UserSummary) string {
	ways := s.SignInMethods()
	if len(ways) == 0 {
		return "none"
	}
	return strings.Join(ways, ", ")
}
