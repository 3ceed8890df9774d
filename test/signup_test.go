package test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

func TestSignupThenLoginPageConfirms(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()

	form := b.get("/signup")
	if form.StatusCode != http.StatusOK {
		t.Fatalf("GET /signup status = %d, want 200", form.StatusCode)
	}
	for _, want := range []string{`name="username"`, `name="password"`, `autocomplete="username"`, `autocomplete="new-password"`, `<label for="username"`, `<label for="password"`} {
		if !strings.Contains(form.Body, want) {
			t.Errorf("GET /signup body lacks %s", want)
		}
	}

	res := b.post("/signup", url.Values{"username": {"alice"}, "password": {alicePassword}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?notice=created" {
		t.Fatalf("POST /signup = %d to %q, want 303 to /login?notice=created", res.StatusCode, res.Header.Get("Location"))
	}
	page := b.get(res.Header.Get("Location"))
	if !strings.Contains(page.Body, "Account created, please log in.") {
		t.Errorf("login page after signup lacks the confirmation; body:\n%s", page.Body)
	}
	b.login("alice", alicePassword, false)
}

func TestSignupRejections(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	srv.newBrowser().signup("Alice", alicePassword)

	tests := []struct {
		name         string
		username     string
		password     string
		wantStatus   int
		wantMessages []string
	}{
		{"taken", "Alice", bobPassword, http.StatusConflict, []string{"That username is already taken."}},
		{"taken in another case", "aLiCe", bobPassword, http.StatusConflict, []string{"That username is already taken."}},
		{"looks like a taken name", "AIice", bobPassword, http.StatusConflict, []string{"That username is already taken."}},       // capital I for l
		{"mixed scripts", "r\u043e\u043et", bobPassword, http.StatusUnprocessableEntity, []string{"Use letters from one script"}}, // Cyrillic о
		{"short password", "bob", "short", http.StatusUnprocessableEntity, []string{"at least 12 characters"}},
		{"bad username and password", "b!", "", http.StatusUnprocessableEntity, []string{"Username must be 3 to 32 characters", "Please choose a password."}},
		{"password contains username", "bobby", "bobby-is-my-password", http.StatusUnprocessableEntity, []string{"must not contain your username"}},
		{"missing fields", "", "", http.StatusUnprocessableEntity, []string{"Please choose a username.", "Please choose a password."}},
	}
	// The cases run one after another: they share srv, whose browsers
	// report failures to the parent test.
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := srv.newBrowser().post("/signup", url.Values{"username": {tt.username}, "password": {tt.password}})
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("POST /signup %q status = %d, want %d", tt.username, res.StatusCode, tt.wantStatus)
			}
			for _, msg := range tt.wantMessages {
				if !strings.Contains(res.Body, strings.ReplaceAll(msg, "'", "&#39;")) {
					t.Errorf("POST /signup %q body lacks %q", tt.username, msg)
				}
			}
			if tt.username != "" && !strings.Contains(res.Body, `value="`+tt.username+`"`) {
				t.Errorf("POST /signup %q: the form does not keep the username", tt.username)
			}
			if tt.password != "" && strings.Contains(res.Body, tt.password) {
				t.Errorf("POST /signup %q: the response echoes the password", tt.username)
			}
		})
	}
}

func TestSignupEscapesWhatItEchoes(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	evil := `"><script>alert(1)</script>`
	res := srv.newBrowser().post("/signup", url.Values{"username": {evil}, "password": {alicePassword}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("POST /signup %q status = %d, want 422", evil, res.StatusCode)
	}
	if strings.Contains(res.Body, "<script>alert(1)") {
		t.Errorf("POST /signup echoed the username unescaped")
	}
}

// TestSignupRace submits one name 16 times at once: exactly one account,
// fifteen 409s, no 5xx.
func TestSignupRace(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	const n = 16
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := srv.newBrowser().post("/signup", url.Values{"username": {"racer"}, "password": {alicePassword}})
			statuses[i] = res.StatusCode
		}()
	}
	wg.Wait()
	counts := map[int]int{}
	for _, s := range statuses {
		counts[s]++
	}
	if counts[http.StatusSeeOther] != 1 || counts[http.StatusConflict] != n-1 {
		t.Fatalf("16 simultaneous signups of one name gave statuses %v, want one 303 and fifteen 409", counts)
	}
	srv.newBrowser().login("RACER", alicePassword, false)
}
