package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// adminActions are the five buttons of the admin's list, each with the
// form it posts, the use case method it runs and the notice it ends with.
var adminActions = []struct {
	name       string
	path       string // after /admin/users/5
	form       url.Values
	method     string
	wantNotice string
}{
	{"disable", "/disable", nil, "Disable", "user-disabled"},
	{"enable", "/enable", nil, "Enable", "user-enabled"},
	{"clear throttle", "/clear-throttle", nil, "ClearThrottle", "throttle-cleared"},
	{"revoke sessions", "/revoke-sessions", nil, "RevokeSessions", "user-sessions-revoked"},
	{"make admin", "/role", url.Values{"role": {"admin"}}, "SetRole", "role-admin"},
	{"make user", "/role", url.Values{"role": {"user"}}, "SetRole", "role-user"},
}

// adminMethods are the names of every action method of httpx.Admin.
var adminMethods = []string{"Disable", "Enable", "ClearThrottle", "RevokeSessions", "SetRole"}

// TestAdminUsersAccess protects who may see the list: a visitor is sent
// to log in, a user (or a disabled admin) gets the 403 page, and nothing
// is listed for either.
func TestAdminUsersAccess(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	s.stranger().get(t, "/admin/users?q=al").wantRedirect(t, "GET /admin/users (anonymous)", "/login?next=%2Fadmin%2Fusers%3Fq%3Dal")

	disabled := root()
	disabled.User.Disabled = true
	for _, p := range []usecase.Principal{alice(), disabled} {
		browser, _ := s.signIn(t, p)
		what := "GET /admin/users (" + p.User.Username.String() + ", disabled " + fmt.Sprint(p.User.Disabled) + ")"
		r := browser.get(t, "/admin/users")
		r.wantPage(t, what, http.StatusForbidden, "You do not have access to this page.")
		if got := r.heading(); got != "Access denied" {
			t.Errorf("%s heading = %q, want %q", what, got, "Access denied")
		}
		if strings.Contains(r.body, `href="/admin/users"`) {
			t.Errorf("%s links the admin's list in the navigation", what)
		}
	}
	wantNoCall(t, &s.admin.Calls, "List")
}

// TestAdminUsers protects GET /admin/users: the use case gets the search
// (trimmed, bounded) and the 0-based page; each account is a row with the
// buttons that fit it, carrying the list's search and page; the pager
// links the neighbouring pages.
func TestAdminUsers(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	browser, p := s.signIn(t, root())
	bob, _ := domain.NewUsername("albert")
	s.admin.ListFunc = func(usecase.Actor, string, int) (usecase.UserPage, error) {
		return usecase.UserPage{Total: 45, Users: []usecase.UserSummary{
			{User: p.User, LastLoginAt: time.Date(2026, 3, 14, 8, 0, 0, 0, time.UTC), ActiveSessions: 2, TwoFactor: true, Passkeys: 3},
			{User: domain.User{ID: 5, Username: bob, Role: domain.RoleUser, CreatedAt: time.Date(2025, 1, 2, 3, 4, 0, 0, time.UTC), Disabled: true, MustChangePassword: true},
				Providers: []string{"github", "google"}},
		}}, nil
	}
	r := browser.get(t, "/admin/users?q=++al++&page=2&notice=user-enabled")

	r.wantPage(t, "GET /admin/users", http.StatusOK, "45 accounts match “al”.")
	if got := r.notice(); got != "The account has been enabled." {
		t.Errorf("GET /admin/users notice = %q, want %q", got, "The account has been enabled.")
	}
	args := callArgs(t, &s.admin.Calls, "List")
	if args[0].(usecase.Actor) != (usecase.Actor{User: p.User}) || args[1] != "al" || args[2] != 1 {
		t.Errorf("GET /admin/users List(%+v, %q, %v), want the admin, %q, 1", args[0], args[1], args[2], "al")
	}
	for _, want := range []string{
		"Accounts, page 2 of 3",
		"root You — password Admin 14 Mar 2025, 09:26 UTC 14 Mar 2026, 08:00 UTC Active 2 On 3",
		"albert — github, google User 2 Jan 2025, 03:04 UTC Never Disabled Must change password 0 Off 0 Enable albert",
		"Page 2 of 3",
	} {
		if !r.says(want) {
			t.Errorf("GET /admin/users does not say %q; it says:\n%s", want, r.text())
		}
	}
	for _, want := range []string{
		`action="/admin/users/5/enable"`, `action="/admin/users/2/disable"`,
		`action="/admin/users/5/clear-throttle"`, `action="/admin/users/5/revoke-sessions"`,
		`<input type="hidden" name="role" value="admin">`, `<input type="hidden" name="role" value="user">`,
		`<input type="hidden" name="q" value="al">`, `<input type="hidden" name="page" value="2">`,
		`href="/admin/users?q=al" rel="prev"`, `href="/admin/users?page=3&amp;q=al" rel="next"`,
		`href="/admin/users" aria-current="page">Users</a>`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("GET /admin/users lacks %s", want)
		}
	}
	if strings.Contains(r.body, `action="/admin/users/5/disable"`) || strings.Contains(r.body, `action="/admin/users/2/enable"`) {
		t.Errorf("GET /admin/users offers to disable the disabled account or enable the active one")
	}
}

// TestAdminUsersQuery protects how the list reads its query: a search
// longer than any username is cut, a page that is not a positive number
// is the first.
func TestAdminUsersQuery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		query      string
		wantSearch string
		wantPage   int
	}{
		{"", "", 0},
		{"page=3", "", 2},
		{"page=0", "", 0},
		{"page=-2", "", 0},
		{"page=x", "", 0},
		{"page=1000001", "", 0},
		{"q=" + strings.Repeat("a", 70), strings.Repeat("a", 64), 0},
	}
	s := newTestSite(t)
	browser, _ := s.signIn(t, root())
	for i, tt := range tests {
		browser.get(t, "/admin/users?"+tt.query)
		calls := s.admin.Of("List")
		if len(calls) != i+1 {
			t.Fatalf("GET /admin/users?%s: List called %d times in all, want %d", tt.query, len(calls), i+1)
		}
		if args := calls[i].Args; args[1] != tt.wantSearch || args[2] != tt.wantPage {
			t.Errorf("GET /admin/users?%s List(_, %q, %v), want List(_, %q, %d)", tt.query, args[1], args[2], tt.wantSearch, tt.wantPage)
		}
	}
}

// TestAdminAction protects the five POST /admin/users/:id/... actions:
// the use case gets the admin, the id, the client (and the role), and the
// admin goes back to the list at the search and page the form came from,
// with the confirmation.
func TestAdminAction(t *testing.T) {
	t.Parallel()
	for _, tt := range adminActions {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t)
			browser, p := s.signIn(t, root())
			form := url.Values{"q": {"al"}, "page": {"2"}}
			for k, v := range tt.form {
				form[k] = v
			}
			target := "/admin/users/5" + tt.path
			what := "POST " + target + " (" + tt.name + ")"
			r := browser.post(t, target, form)
			r.wantRedirect(t, what, "/admin/users?notice="+tt.wantNotice+"&page=2&q=al")

			args := callArgs(t, &s.admin.Calls, tt.method)
			if args[0].(usecase.Actor) != (usecase.Actor{User: p.User}) || args[1].(domain.UserID) != 5 {
				t.Errorf("%s %s(%+v, %v), want the admin and user 5", what, tt.method, args[0], args[1])
			}
			if tt.method == "SetRole" {
				if got, want := args[2].(domain.Role), domain.Role(tt.form.Get("role")); got != want {
					t.Errorf("%s SetRole role = %q, want %q", what, got, want)
				}
			}
			if got := args[len(args)-1].(usecase.Client).UserAgent; got != "" {
				t.Errorf("%s client User-Agent = %q, want the request's (none)", what, got)
			}
			for _, m := range adminMethods {
				if m != tt.method {
					wantNoCall(t, &s.admin.Calls, m)
				}
			}
			if got := browser.get(t, "/admin/users?notice="+tt.wantNotice).notice(); got != notices[tt.wantNotice] || got == "" {
				t.Errorf("GET /admin/users?notice=%s notice = %q, want %q", tt.wantNotice, got, notices[tt.wantNotice])
			}
		})
	}
}

// TestAdminActionRefused protects the refusals of every action: the last
// admin's is the list again with a 409 and the reason, an unknown or
// malformed id the 404 page, a user's the 403 page, and a visitor goes to
// log in.
func TestAdminActionRefused(t *testing.T) {
	t.Parallel()
	for _, tt := range adminActions {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			target := "/admin/users/2" + tt.path
			form := url.Values{"q": {"ro"}, "page": {"3"}}
			for k, v := range tt.form {
				form[k] = v
			}

			s := newTestSite(t)
			s.admin.ActionErr = fmt.Errorf("admin: %w", domain.ErrLastAdmin)
			admin, _ := s.signIn(t, root())
			r := admin.post(t, target, form)
			what := "POST " + target + " (last admin)"
			if r.status != http.StatusConflict {
				t.Errorf("%s status = %d, want %d", what, r.status, http.StatusConflict)
			}
			if got, want := r.alert(), "The last admin cannot be demoted, disabled or deleted."; got != want {
				t.Errorf("%s alert = %q, want %q", what, got, want)
			}
			if got := r.heading(); got != "Users" {
				t.Errorf("%s heading = %q, want the list", what, got)
			}
			if list := callArgs(t, &s.admin.Calls, "List"); list[1] != "ro" || list[2] != 2 {
				t.Errorf("%s lists (%q, %v), want the form's search and page (%q, 2)", what, list[1], list[2], "ro")
			}

			s.admin.ActionErr = fmt.Errorf("admin: %w", domain.ErrNotFound)
			admin.post(t, target, form).wantPage(t, "POST "+target+" (unknown id)", http.StatusNotFound, "There is nothing at this address.")
			s.admin.ActionErr = errors.New("sqlstore: busy")
			admin.post(t, target, form).wantPage(t, "POST "+target+" (store fails)", http.StatusInternalServerError, "The server could not complete the request.")

			calls := s.admin.Count(tt.method)
			for _, id := range []string{"0", "02", "-2", "x"} {
				bad := "/admin/users/" + id + tt.path
				admin.post(t, bad, form).wantPage(t, "POST "+bad, http.StatusNotFound, "There is nothing at this address.")
			}
			if got := s.admin.Count(tt.method); got != calls {
				t.Errorf("POST with malformed ids called %s %d more times, want none", tt.method, got-calls)
			}

			user, _ := s.signIn(t, alice())
			r = user.post(t, target, form)
			r.wantPage(t, "POST "+target+" (user)", http.StatusForbidden, "You do not have access to this page.")
			if got := r.heading(); got != "Access denied" {
				t.Errorf("POST %s (user) heading = %q, want %q", target, got, "Access denied")
			}
			s.anonymous(t).post(t, target, form).wantRedirect(t, "POST "+target+" (anonymous)", "/login")
			if got := s.admin.Count(tt.method); got != calls {
				t.Errorf("POST %s by a user or a visitor called %s, want no call", target, tt.method)
			}
		})
	}
}

// TestAdminSetRoleBadForm protects that a role other than admin or user
// (or none) is the 422 page and reaches no use case.
func TestAdminSetRoleBadForm(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	browser, _ := s.signIn(t, root())
	for _, form := range []url.Values{{"role": {"superuser"}}, {"role": {"Admin "}}, {}} {
		what := "POST /admin/users/5/role (role " + fmt.Sprintf("%q", form.Get("role")) + ")"
		r := browser.post(t, "/admin/users/5/role", form)
		r.wantPage(t, what, http.StatusUnprocessableEntity, "The form contains characters that are not allowed, or is missing a field.")
	}
	wantNoCall(t, &s.admin.Calls, "SetRole")
}
