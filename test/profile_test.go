package test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestProfileOnTheSite runs the display name through the whole service on
// a real database: set on /account/profile (normalized), shown in the
// header and the greeting of every later request instead of the username,
// in the account's history, beside the username in the admin's list;
// refused with the form kept and nothing saved; cleared.
func TestProfileOnTheSite(t *testing.T) {
	t.Parallel()
	srv := startAdminServer(t)
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, false)

	res := b.post("/account/profile", url.Values{"display_name": {"  Ａｌｉｃｅ   <Liddell> "}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account?notice=display-name-saved" {
		t.Fatalf("POST /account/profile = %d to %q, want 303 to /account?notice=display-name-saved", res.StatusCode, res.Header.Get("Location"))
	}
	const shown = "Alice &lt;Liddell&gt;" // normalized, and escaped
	dash := b.get("/")
	for _, want := range []string{`Signed in as <strong dir="auto">` + shown + `</strong>`, "Welcome, " + shown + "</h1>"} {
		if !strings.Contains(dash.Body, want) {
			t.Errorf("GET / after setting the display name lacks %s", want)
		}
	}
	if strings.Contains(dash.Body, "Welcome, alice") || strings.Contains(dash.Body, "<Liddell>") {
		t.Errorf("GET / greets by the username, or shows the display name unescaped")
	}
	account := b.get("/account?notice=display-name-saved")
	checkFormsHaveTokens(t, "/account", account.Body)
	for _, want := range []string{"Your display name has been saved.", `id="display_name" value="` + shown + `"`, "Display name changed"} {
		if !strings.Contains(account.Body, want) {
			t.Errorf("GET /account after the change lacks %s", want)
		}
	}

	root := srv.rootBrowser(t)
	list := root.get("/admin/users?q=alice")
	if row := userRows(list.Body)["alice"]; !strings.Contains(row, `<span class="visually-hidden">, display name: </span><span dir="auto">`+shown+`</span>`) {
		t.Errorf("the admin's list row of alice lacks her display name:\n%s", row)
	}

	refused := b.post("/account/profile", url.Values{"display_name": {"Alice\u202Egnp.exe"}})
	if refused.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(refused.Body, "invisible formatting characters") ||
		!strings.Contains(refused.Body, `id="display_name" value="Alice`+"\u202E"+`gnp.exe"`) {
		t.Errorf("POST /account/profile with a right-to-left override = %d, want 422 with the message and the name as typed; body:\n%s", refused.StatusCode, refused.Body)
	}
	if !strings.Contains(b.get("/").Body, "Welcome, "+shown) {
		t.Errorf("a refused display name replaced the saved one")
	}

	cleared := b.post("/account/profile", url.Values{"display_name": {""}})
	if cleared.StatusCode != http.StatusSeeOther || cleared.Header.Get("Location") != "/account?notice=display-name-cleared" {
		t.Errorf("POST /account/profile (empty) = %d to %q, want 303 to /account?notice=display-name-cleared", cleared.StatusCode, cleared.Header.Get("Location"))
	}
	if dash := b.get("/"); !strings.Contains(dash.Body, "Welcome, alice") || !strings.Contains(dash.Body, `Signed in as <strong dir="auto">alice</strong>`) {
		t.Errorf("GET / after clearing the display name does not greet alice by her username")
	}
}

// TestProfileInTheAPI runs PATCH /me against the real service and
// openapi.json (the client checks every request and answer against it):
// set, seen by GET /me and by the site, refused with 422 and nothing
// saved, cleared with null.
func TestProfileInTheAPI(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	c := srv.newAPIClient()
	c.signup("alice", alicePassword)
	alice, _ := c.login("alice", alicePassword, false)

	res := alice.call(http.MethodPatch, v1+"/me", map[string]any{"display_name": " Alice  Liddell "})
	var me struct {
		DisplayName *string `json:"display_name"`
	}
	res.decode(t, &me)
	if res.StatusCode != http.StatusOK || me.DisplayName == nil || *me.DisplayName != "Alice Liddell" {
		t.Fatalf("PATCH /me = %d %s, want 200 with display_name Alice Liddell", res.StatusCode, res.Body)
	}
	if got := alice.call(http.MethodGet, v1+"/me", nil); !strings.Contains(string(got.Body), `"display_name":"Alice Liddell"`) {
		t.Errorf("GET /me after PATCH = %s, want the display name", got.Body)
	}
	site := srv.newBrowser()
	site.login("alice", alicePassword, false)
	if !strings.Contains(site.get("/").Body, "Welcome, Alice Liddell") {
		t.Errorf("the site does not greet by the display name set through the API")
	}

	refused := alice.call(http.MethodPatch, v1+"/me", map[string]any{"display_name": strings.Repeat("x", 65)})
	var problem struct {
		Error struct {
			Code   string            `json:"code"`
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	if err := json.Unmarshal(refused.Body, &problem); err != nil || refused.StatusCode != http.StatusUnprocessableEntity ||
		problem.Error.Code != "invalid_input" || problem.Error.Fields["display_name"] != "Display name must be at most 64 characters long." {
		t.Errorf("PATCH /me with 65 characters = %d %s, want 422 invalid_input on display_name", refused.StatusCode, refused.Body)
	}

	res = alice.call(http.MethodPatch, v1+"/me", map[string]any{"display_name": nil})
	me.DisplayName = nil
	res.decode(t, &me)
	if res.StatusCode != http.StatusOK || me.DisplayName != nil || !strings.Contains(string(res.Body), `"display_name":null`) {
		t.Errorf("PATCH /me with null = %d %s, want 200 with display_name null", res.StatusCode, res.Body)
	}
}
