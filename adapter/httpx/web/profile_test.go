package web

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// displayNameValue is the value of the profile form's field.
var displayNameValue = regexp.MustCompile(`id="display_name" value="([^"]*)"`)

// withDisplayName is p with the display name name.
func withDisplayName(p usecase.Principal, name string) usecase.Principal {
	p.User.DisplayName = domain.RestoreDisplayName(name)
	return p
}

// TestShownName protects where the display name replaces the username:
// the header and the dashboard's greeting, escaped like any text, and the
// username without one.
func TestShownName(t *testing.T) {
	t.Parallel()
	const markup = `<img src=x onerror=alert(1)> & "Al"`
	tests := []struct {
		name      string
		principal usecase.Principal
		want      string
	}{
		{"without a display name", alice(), "alice"},
		{"with a display name", withDisplayName(alice(), "Alice Liddell"), "Alice Liddell"},
		{"with markup", withDisplayName(alice(), markup), markup},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t)
			browser, _ := s.signIn(t, tt.principal)
			for _, target := range []string{"/", "/account"} {
				r := browser.get(t, target)
				what := "GET " + target + " (" + tt.name + ")"
				r.wantPage(t, what, http.StatusOK, "Signed in as "+tt.want+" Account")
				if strings.Contains(r.body, "<img src=x") {
					t.Errorf("%s holds the display name unescaped", what)
				}
			}
			r := browser.get(t, "/")
			if got := r.heading(); got != "Welcome, "+tt.want {
				t.Errorf("GET / (%s) heading = %q, want %q", tt.name, got, "Welcome, "+tt.want)
			}
		})
	}
}

// TestProfileForm protects the Profile section of /account: the field
// holds the current display name (empty without one), escaped, and posts
// to /account/profile with the session's CSRF token; a user who must
// change the password first is not offered it.
func TestProfileForm(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	for _, tt := range []struct {
		principal usecase.Principal
		want      string
	}{
		{alice(), ""},
		{withDisplayName(alice(), `Al "the" <Cat>`), `Al "the" <Cat>`},
	} {
		browser, _ := s.signIn(t, tt.principal)
		r := browser.get(t, "/account")
		what := "GET /account (display name " + tt.want + ")"
		r.wantPage(t, what, http.StatusOK, "Profile Display name")
		if got := r.first(displayNameValue); got != tt.want || !strings.Contains(r.body, `action="/account/profile"`) {
			t.Errorf("%s display_name field = %q (form there: %t), want %q", what, got, strings.Contains(r.body, `action="/account/profile"`), tt.want)
		}
		if !strings.Contains(r.body, `<form class="form-column" method="post" action="/account/profile">
      <input type="hidden" name="csrf_token" value="`+browser.csrf+`">`) {
			t.Errorf("%s profile form lacks the session's CSRF token", what)
		}
	}

	p := alice()
	p.User.MustChangePassword = true
	browser, _ := s.signIn(t, p)
	if r := browser.get(t, "/account"); strings.Contains(r.body, `action="/account/profile"`) || r.says("Display name") {
		t.Errorf("GET /account (must change password) offers the profile form, want the password first")
	}
}

// TestSaveProfile protects a successful POST /account/profile: the use
// case gets the principal, the field as typed and the client, and the
// account page says whether the name was saved or removed.
func TestSaveProfile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, typed, stored string
		wantNotice          string
		wantText            string
	}{
		{"set", "  Alice Liddell ", "Alice Liddell", "display-name-saved", "Your display name has been saved."},
		{"cleared", "", "", "display-name-cleared", "Your display name has been removed: you are greeted by your username."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t)
			browser, p := s.signIn(t, withDisplayName(alice(), "Old Name"))
			s.account.SetDisplayNameFunc = func(p usecase.Principal, raw string) (domain.User, error) {
				u := p.User
				u.DisplayName = domain.RestoreDisplayName(tt.stored)
				return u, nil
			}
			what := "POST /account/profile (" + tt.name + ")"
			r := browser.post(t, "/account/profile", url.Values{"display_name": {tt.typed}})
			r.wantRedirect(t, what, "/account?notice="+tt.wantNotice)
			args := callArgs(t, &s.account.Calls, "SetDisplayName")
			if args[0].(usecase.Principal) != p || args[1] != tt.typed {
				t.Errorf("%s SetDisplayName(%v, %q), want the principal and %q", what, args[0], args[1], tt.typed)
			}
			if len(r.cookies) != 0 {
				t.Errorf("%s set cookies %v, want none: the session stays", what, r.cookies)
			}
			if got := browser.get(t, "/account?notice="+tt.wantNotice).notice(); got != tt.wantText {
				t.Errorf("GET /account?notice=%s notice = %q, want %q", tt.wantNotice, got, tt.wantText)
			}
		})
	}
}

// TestSaveProfileRefused protects the refusals: an invalid name re-renders
// the account page with 422, the message next to the field and the name
// as typed (escaped), and the header unchanged; a form without the field,
// or from a user who must change the password first, never reaches the
// use case; a failing use case is the error page.
func TestSaveProfileRefused(t *testing.T) {
	t.Parallel()
	const typed = "<b>Alice</b>\u202Egnp.exe"
	msg := "Display name may not contain control characters or invisible formatting characters, such as those that change the direction of text."
	s := newTestSite(t)
	browser, _ := s.signIn(t, withDisplayName(alice(), "Old Name"))
	s.account.SetDisplayNameFunc = func(usecase.Principal, string) (domain.User, error) {
		return domain.User{}, &usecase.InvalidInputError{Fields: map[usecase.Input]string{usecase.InputDisplayName: msg}}
	}
	const what = "POST /account/profile (invalid)"
	r := browser.post(t, "/account/profile", url.Values{"display_name": {typed}})
	if r.status != http.StatusUnprocessableEntity || r.heading() != "Your account" {
		t.Errorf("%s = %d %q, want 422 and the account page", what, r.status, r.heading())
	}
	if got := r.alert(); got != "Some fields are not valid. Please correct them and try again." {
		t.Errorf("%s alert = %q", what, got)
	}
	if got := r.fieldError("display_name"); got != msg {
		t.Errorf("%s message of display_name = %q, want %q", what, got, msg)
	}
	if got := r.first(displayNameValue); got != typed {
		t.Errorf("%s display_name field = %q, want the name as typed, %q", what, got, typed)
	}
	if strings.Contains(r.body, "<b>Alice") {
		t.Errorf("%s holds the typed name unescaped", what)
	}
	if !r.says("Signed in as Old Name") {
		t.Errorf("%s header does not show the unchanged display name", what)
	}
	for _, attr := range []string{`aria-invalid="true"`, `aria-describedby="display_name-hint display_name-error"`} {
		if !strings.Contains(r.body, attr) {
			t.Errorf("%s display_name field lacks %s", what, attr)
		}
	}

	calls := s.account.Count("SetDisplayName")
	r = browser.post(t, "/account/profile", url.Values{"other": {"x"}})
	r.wantPage(t, "POST /account/profile (no display_name field)", http.StatusUnprocessableEntity, "is missing a field")
	p := alice()
	p.User.MustChangePassword = true
	changing, _ := s.signIn(t, p)
	changing.post(t, "/account/profile", url.Values{"display_name": {"Alice"}}).
		wantRedirect(t, "POST /account/profile (must change password)", "/account?notice=must-change-password")
	s.anonymous(t).post(t, "/account/profile", url.Values{"display_name": {"Alice"}}).
		wantRedirect(t, "POST /account/profile (anonymous)", "/login")
	s.do(t, browser.request(http.MethodPost, "/account/profile", url.Values{"display_name": {"Alice"}})).
		wantFormExpired(t, "POST /account/profile (no CSRF token)")
	if n := s.account.Count("SetDisplayName"); n != calls {
		t.Errorf("the refused posts reached SetDisplayName %d times, want none", n-calls)
	}

	s.account.SetDisplayNameFunc = func(usecase.Principal, string) (domain.User, error) {
		return domain.User{}, errors.Join(errors.New("set display name of user 1"), domain.ErrUnavailable)
	}
	browser.post(t, "/account/profile", url.Values{"display_name": {"Alice"}}).
		wantPage(t, "POST /account/profile (store unavailable)", http.StatusServiceUnavailable, "The service is busy.")
}

// TestAdminListShowsDisplayName protects the admin's list: a display name
// beside the username, none where the account has none.
func TestAdminListShowsDisplayName(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	browser, _ := s.signIn(t, root())
	s.admin.ListFunc = func(usecase.Actor, string, int) (usecase.UserPage, error) {
		return usecase.UserPage{Total: 2, Users: []usecase.UserSummary{
			{User: withDisplayName(alice(), "Alice Liddell").User},
			{User: principal(3, "bob", domain.RoleUser).User},
		}}, nil
	}
	r := browser.get(t, "/admin/users")
	for id, want := range map[string]string{"user-1": "alice, display name: Alice Liddell —", "user-3": "bob —"} {
		m := regexp.MustCompile(`(?s)<tr id="` + id + `">\s*<th scope="row">(.*?)</td>`).FindStringSubmatch(r.body)
		if m == nil {
			t.Fatalf("GET /admin/users lacks row %s", id)
		}
		if got := (&result{body: m[1]}).text(); got != want {
			t.Errorf("GET /admin/users row %s starts %q, want %q", id, got, want)
		}
	}
}
