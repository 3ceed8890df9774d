package test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// lastAdminMessage is the 409's explanation.
const lastAdminMessage = "The last admin cannot be demoted, disabled or deleted."

func TestAdminUsersAccess(t *testing.T) {
	t.Parallel()
	srv := startAdminServer(t)

	anonymous := srv.newBrowser().get("/admin/users?q=x")
	if anonymous.StatusCode != http.StatusSeeOther || anonymous.Header.Get("Location") != "/login?next=%2Fadmin%2Fusers%3Fq%3Dx" {
		t.Errorf("anonymous GET /admin/users = %d to %q, want 303 to the login page with next", anonymous.StatusCode, anonymous.Header.Get("Location"))
	}

	alice := srv.newBrowser()
	alice.signup("alice", alicePassword)
	alice.login("alice", alicePassword, false)
	denied := alice.get("/admin/users")
	if denied.StatusCode != http.StatusForbidden || !strings.Contains(denied.Body, "You do not have access to this page.") {
		t.Errorf("non-admin GET /admin/users = %d, want 403 saying so", denied.StatusCode)
	}
	if strings.Contains(denied.Body, csrfExplanation) {
		t.Errorf("non-admin 403 reads like the expired-form 403")
	}
	if strings.Contains(alice.get("/").Body, `href="/admin/users"`) {
		t.Errorf("a non-admin's nav links to /admin/users")
	}

	root := srv.rootBrowser(t)
	page := root.get("/admin/users")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("admin GET /admin/users = %d, want 200", page.StatusCode)
	}
	if cc := page.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("GET /admin/users Cache-Control = %q, want no-store", cc)
	}
	checkFormsHaveTokens(t, "/admin/users", page.Body)
	for _, want := range []string{`href="/admin/users"`, `href="/account"`, `<label for="q">`, `<th scope="col">Active sessions</th>`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("admin GET /admin/users lacks %s", want)
		}
	}

	// A non-admin's POST with a valid token is refused as well.
	aliceID := userID(t, page.Body, "alice")
	for _, action := range []string{"disable", "revoke-sessions", "role"} {
		res := alice.post("/admin/users/"+aliceID+"/"+action, url.Values{"role": {"admin"}})
		if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "You do not have access to this page.") {
			t.Errorf("non-admin POST %s = %d, want 403", action, res.StatusCode)
		}
	}
	if !loggedIn(t, alice) || alice.get("/admin/users").StatusCode != http.StatusForbidden {
		t.Errorf("a non-admin's refused POSTs changed alice's account")
	}
}

func TestAdminUsersSearchAndPages(t *testing.T) {
	t.Parallel()
	srv := startAdminServer(t)
	for i := 1; i <= 25; i++ {
		srv.createUser(t, fmt.Sprintf("user%02d", i), fmt.Sprintf("a fine password number %d", i), domain.RoleUser)
	}
	if res, err := srv.importer.Import(context.Background(), "legacy", "hunter2"); err != nil || res.Outcome != usecase.ImportedWeak {
		t.Fatalf("Import(legacy) = %v, %v; want a weak import", res, err)
	}
	root := srv.rootBrowser(t)

	tests := []struct {
		path        string
		wantUsers   []string
		wantCount   int
		wantSummary string
		wantLinks   []string
		wantNoLinks []string
	}{
		{"/admin/users", []string{"legacy", "root", "user01", "user18"}, 20, "27 accounts.",
			[]string{`href="/admin/users?page=2" rel="next"`}, []string{`rel="prev"`}},
		{"/admin/users?page=2", []string{"user19", "user25"}, 7, "27 accounts.",
			[]string{`href="/admin/users" rel="prev"`}, []string{`rel="next"`}},
		{"/admin/users?q=user1", []string{"user10", "user19"}, 10, "10 accounts match “user1”.",
			nil, []string{`rel="prev"`, `rel="next"`}},
		{"/admin/users?q=USER&page=2", []string{"user21", "user25"}, 5, "25 accounts match “USER”.",
			[]string{`href="/admin/users?q=USER" rel="prev"`}, []string{`rel="next"`}},
		{"/admin/users?q=nobody", nil, 0, "0 accounts match “nobody”.", nil, nil},
		{"/admin/users?page=abc", []string{"legacy"}, 20, "27 accounts.", nil, nil},
	}
	for _, tt := range tests {
		page := root.get(tt.path)
		if page.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", tt.path, page.StatusCode)
			continue
		}
		got := userRows(page.Body)
		if len(got) != tt.wantCount {
			t.Errorf("GET %s lists %d accounts, want %d", tt.path, len(got), tt.wantCount)
		}
		for _, name := range tt.wantUsers {
			if _, ok := got[name]; !ok {
				t.Errorf("GET %s lacks %s", tt.path, name)
			}
		}
		for _, want := range append([]string{tt.wantSummary}, tt.wantLinks...) {
			if !strings.Contains(page.Body, strings.ReplaceAll(want, "&", "&amp;")) {
				t.Errorf("GET %s lacks %s", tt.path, want)
			}
		}
		for _, unwanted := range tt.wantNoLinks {
			if strings.Contains(page.Body, unwanted) {
				t.Errorf("GET %s has %s", tt.path, unwanted)
			}
		}
	}

	rows := userRows(root.get("/admin/users").Body)
	for name, want := range map[string][]string{
		"root":   {"Admin", ">You<", "Active", "<td>1</td>"},
		"user01": {"User", "Never", "Active", "<td>0</td>", "Make admin", "Disable"},
		"legacy": {"Must change password"},
	} {
		for _, w := range want {
			if !strings.Contains(rows[name], w) {
				t.Errorf("row of %s lacks %q:\n%s", name, w, rows[name])
			}
		}
	}
	if strings.Contains(rows["root"], "Never") {
		t.Errorf("root's row says Never logged in, though root is logged in")
	}
}

func TestAdminDisableAndEnable(t *testing.T) {
	t.Parallel()
	srv := startAdminServer(t)
	bob := srv.newBrowser()
	bob.signup("bobby", bobPassword)
	bob.login("bobby", bobPassword, false)
	root := srv.rootBrowser(t)
	id := userID(t, root.get("/admin/users").Body, "bobby")

	res := root.post("/admin/users/"+id+"/disable", url.Values{"q": {"bob"}, "page": {"1"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/users?notice=user-disabled&q=bob" {
		t.Fatalf("POST disable = %d to %q, want 303 back to the list with q", res.StatusCode, res.Header.Get("Location"))
	}
	page := root.get(res.Header.Get("Location"))
	if !strings.Contains(page.Body, "The account has been disabled") || !strings.Contains(userRows(page.Body)["bobby"], "Disabled") {
		t.Errorf("list after disable lacks the confirmation or the Disabled status")
	}
	if loggedIn(t, bob) {
		t.Errorf("the disabled user's session still works")
	}
	disabled := loginAttempt(srv.newBrowser(), "bobby", bobPassword)
	if disabled.StatusCode != http.StatusForbidden || !strings.Contains(disabled.Body, "This account has been disabled.") {
		t.Errorf("login to a disabled account = %d, want 403 saying it is disabled", disabled.StatusCode)
	}
	if res := loginAttempt(srv.newBrowser(), "bobby", "a wrong password"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong password for a disabled account = %d, want the generic 401", res.StatusCode)
	}

	res = root.post("/admin/users/"+id+"/enable", url.Values{"page": {"2"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/users?notice=user-enabled&page=2" {
		t.Fatalf("POST enable = %d to %q, want 303 back to page 2", res.StatusCode, res.Header.Get("Location"))
	}
	bob.login("bobby", bobPassword, false)
}

func TestAdminClearThrottle(t *testing.T) {
	t.Parallel()
	srv := startAdminServer(t)
	bob := srv.newBrowser()
	bob.signup("bobby", bobPassword)
	for range 5 {
		loginAttempt(bob, "bobby", "a wrong password")
	}
	if res := loginAttempt(bob, "bobby", bobPassword); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("login after 5 failures = %d, want 429", res.StatusCode)
	}
	root := srv.rootBrowser(t)
	id := userID(t, root.get("/admin/users").Body, "bobby")
	res := root.post("/admin/users/"+id+"/clear-throttle", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/users?notice=throttle-cleared" {
		t.Fatalf("POST clear-throttle = %d to %q, want 303 back to the list", res.StatusCode, res.Header.Get("Location"))
	}
	bob.login("bobby", bobPassword, false)
}

func TestAdminRevokeSessions(t *testing.T) {
	t.Parallel()
	srv := startAdminServer(t)
	bob, bobElsewhere := srv.newBrowser(), srv.newBrowser()
	bob.signup("bobby", bobPassword)
	bob.login("bobby", bobPassword, false)
	bobElsewhere.login("bobby", bobPassword, true)
	root := srv.rootBrowser(t)
	page := root.get("/admin/users")
	if row := userRows(page.Body)["bobby"]; !strings.Contains(row, "<td>2</td>") {
		t.Errorf("bobby's row does not count 2 active sessions:\n%s", row)
	}

	res := root.post("/admin/users/"+userID(t, page.Body, "bobby")+"/revoke-sessions", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/users?notice=user-sessions-revoked" {
		t.Fatalf("POST revoke-sessions = %d to %q, want 303 back to the list", res.StatusCode, res.Header.Get("Location"))
	}
	if loggedIn(t, bob) || loggedIn(t, bobElsewhere) {
		t.Errorf("a session of bobby's survived revoke-sessions")
	}
	if row := userRows(root.get("/admin/users").Body)["bobby"]; !strings.Contains(row, "<td>0</td>") {
		t.Errorf("bobby's row after revoke-sessions does not count 0:\n%s", row)
	}
	if !loggedIn(t, root) {
		t.Errorf("revoking bobby's sessions logged the admin out")
	}
}

func TestAdminRoles(t *testing.T) {
	t.Parallel()
	srv := startAdminServer(t)
	bob := srv.newBrowser()
	bob.signup("bobby", bobPassword)
	bob.login("bobby", bobPassword, false)
	root := srv.rootBrowser(t)
	page := root.get("/admin/users")
	bobID, rootID := userID(t, page.Body, "bobby"), userID(t, page.Body, "root")

	tests := []struct {
		name, id, action, role string
		wantStatus             int
		wantLocation           string
		bobIsAdmin             bool
	}{
		{"make bobby admin", bobID, "role", "admin", http.StatusSeeOther, "/admin/users?notice=role-admin", true},
		{"make bobby a user", bobID, "role", "user", http.StatusSeeOther, "/admin/users?notice=role-user", false},
		{"demote the last admin", rootID, "role", "user", http.StatusConflict, "", false},
		{"disable the last admin", rootID, "disable", "", http.StatusConflict, "", false},
		{"unknown role", bobID, "role", "superuser", http.StatusUnprocessableEntity, "", false},
		{"unknown account", "987654", "disable", "", http.StatusNotFound, "", false},
		{"malformed id", "x1", "disable", "", http.StatusNotFound, "", false},
	}
	for _, tt := range tests {
		res := root.post("/admin/users/"+tt.id+"/"+tt.action, url.Values{"role": {tt.role}})
		if res.StatusCode != tt.wantStatus || res.Header.Get("Location") != tt.wantLocation {
			t.Errorf("%s: POST = %d to %q, want %d to %q", tt.name, res.StatusCode, res.Header.Get("Location"), tt.wantStatus, tt.wantLocation)
		}
		if tt.wantStatus == http.StatusConflict {
			if !strings.Contains(res.Body, lastAdminMessage) || len(userRows(res.Body)) != 2 {
				t.Errorf("%s: the 409 is not the list with the reason; body:\n%s", tt.name, res.Body)
			}
		}
		if tt.action == "role" && tt.wantStatus == http.StatusSeeOther {
			// A privilege change ends the account's sessions: the next
			// one starts with a new token under the new role.
			if res := bob.get("/"); res.StatusCode != http.StatusSeeOther {
				t.Errorf("%s: bobby's session survived the role change (GET / = %d)", tt.name, res.StatusCode)
			}
			bob.login("bobby", bobPassword, false)
		}
		bobAdmin := bob.get("/admin/users").StatusCode == http.StatusOK
		if bobAdmin != tt.bobIsAdmin {
			t.Errorf("%s: bobby may see /admin/users = %v, want %v", tt.name, bobAdmin, tt.bobIsAdmin)
		}
	}
	if root.get("/admin/users").StatusCode != http.StatusOK {
		t.Errorf("root lost the admin role")
	}
	if row := userRows(root.get("/admin/users").Body)["root"]; !strings.Contains(row, "Admin") || strings.Contains(row, "Disabled") {
		t.Errorf("root's row changed after the refused requests:\n%s", row)
	}
}

func TestAdminPostsRequireCSRF(t *testing.T) {
	t.Parallel()
	srv := startAdminServer(t)
	bob := srv.newBrowser()
	bob.signup("bobby", bobPassword)
	bob.login("bobby", bobPassword, false)
	root := srv.rootBrowser(t)
	id := userID(t, root.get("/admin/users").Body, "bobby")

	for _, action := range []string{"disable", "enable", "clear-throttle", "revoke-sessions", "role"} {
		for _, token := range []string{"", "forged-token", bob.csrfToken()} {
			form := url.Values{"role": {"admin"}}
			if token != "" {
				form.Set("csrf_token", token)
			}
			res := root.postRaw("/admin/users/"+id+"/"+action, form, map[string]string{"Origin": srv.origin()})
			if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, csrfExplanation) {
				t.Errorf("POST %s with token %q = %d, want 403 Form expired", action, token, res.StatusCode)
			}
		}
	}
	if !loggedIn(t, bob) || bob.get("/admin/users").StatusCode != http.StatusForbidden {
		t.Errorf("a refused POST changed bobby's account")
	}
}
