package test

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"go.uber.org/fx"
)

// Helpers for the account and admin pages: they read the HTML the way a
// person reads the page, by row and by button.

// chromeOnWindows is a real browser's User-Agent header.
const chromeOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"

const (
	rootPassword = "keeper of the keys since 2026"
	newPassword  = "a brand new passphrase of hers"
)

var (
	revokeButton  = regexp.MustCompile(`action="/account/sessions/(\d+)/revoke"`)
	activityEvent = regexp.MustCompile(`<tr class="activity">\s*<td>.*?</td>\s*<th scope="row">([^<]*)</th>`)
	userRowStart  = regexp.MustCompile(`<tr id="user-(\d+)">`)
)

// revokableSessions returns the ids of the account page's revoke buttons:
// every session of the user's but the current one.
func revokableSessions(body string) []string {
	var ids []string
	for _, m := range revokeButton.FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// activity returns the event texts of the account page's recent
// activity, in the order shown.
func activity(body string) []string {
	var events []string
	for _, m := range activityEvent.FindAllStringSubmatch(body, -1) {
		events = append(events, html.UnescapeString(m[1]))
	}
	return events
}

// rows splits body at each <tr that starts with prefix and returns the
// rows' HTML.
func rows(body, prefix string) []string {
	var out []string
	for {
		i := strings.Index(body, prefix)
		if i < 0 {
			return out
		}
		body = body[i:]
		end := strings.Index(body, "</tr>")
		if end < 0 {
			return out
		}
		out = append(out, body[:end])
		body = body[end:]
	}
}

// sessionRows returns the rows of the account page's sessions table.
func sessionRows(body string) []string {
	return rows(body, `<tr class="session">`)
}

// userRows returns the rows of the admin's list, by username.
func userRows(body string) map[string]string {
	out := map[string]string{}
	for _, row := range rows(body, `<tr id="user-`) {
		_, rest, _ := strings.Cut(row, `<th scope="row">`)
		name, _, _ := strings.Cut(rest, "<")
		out[strings.TrimSpace(name)] = row
	}
	return out
}

// userID returns the id of username's row in the admin's list.
func userID(t *testing.T, body, username string) string {
	t.Helper()
	row, ok := userRows(body)[username]
	if !ok {
		t.Fatalf("the list of users has no row for %q; body:\n%s", username, body)
	}
	return userRowStart.FindStringSubmatch(row)[1]
}

// adminServer is a running gatehouse with one admin, root, made by the
// operator as the command line does, and the use cases the test drives
// directly.
type adminServer struct {
	*testServer
	admin    *usecase.Admin
	importer *usecase.Importer
}

func startAdminServer(t *testing.T, opts ...option) adminServer {
	t.Helper()
	var s adminServer
	opts = append(opts, withFx(fx.Populate(&s.admin, &s.importer)))
	s.testServer = startServer(t, opts...)
	s.createUser(t, "root", rootPassword, domain.RoleAdmin)
	return s
}

// createUser makes an account through the admin use case, past the signup
// limits.
func (s adminServer) createUser(t *testing.T, name, password string, role domain.Role) {
	t.Helper()
	if _, err := s.admin.Create(context.Background(), usecase.Operator, name, password, role, usecase.Client{}); err != nil {
		t.Fatalf("Admin.Create(%q, %s) error = %v", name, role, err)
	}
}

// rootBrowser is a browser logged in as root.
func (s adminServer) rootBrowser(t *testing.T) *browser {
	t.Helper()
	b := s.newBrowser()
	b.login("root", rootPassword, false)
	return b
}

// loggedIn reports whether b's session still opens the dashboard.
func loggedIn(t *testing.T, b *browser) bool {
	t.Helper()
	res := b.get("/")
	switch res.StatusCode {
	case http.StatusOK:
		return true
	case http.StatusSeeOther:
		if !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Fatalf("GET / = 303 to %q, want the dashboard or the login page", res.Header.Get("Location"))
		}
		return false
	}
	t.Fatalf("GET / = %d, want 200 or 303", res.StatusCode)
	return false
}
