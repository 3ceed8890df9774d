package idptest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// GitHubUser is an account at the GitHub stand-in.
type GitHubUser struct {
	ID     int64
	Login  string
	Name   string
	Emails []GitHubEmail
}

// GitHubEmail is one of a GitHub account's addresses.
type GitHubEmail struct {
	Email    string `json:"email"`
	Primary  bool   `json:"primary"`
	Verified bool   `json:"verified"`
}

// GitHub is a stand-in for github.com on loopback serving what the login
// uses, as GitHub documents it: GET /login/oauth/authorize (a page where
// the user picks an account and authorizes), POST
// /login/oauth/access_token (code, client secret and PKCE verifier
// checked; errors as GitHub sends them, status 200 with an error field),
// and the API's GET /user and /user/emails under /api.
type GitHub struct {
	URL          string
	ClientID     string
	ClientSecret string

	mu     sync.Mutex
	users  map[string]GitHubUser // by login
	codes  map[string]ghCode
	tokens map[string]string // access token -> login
}

type ghCode struct {
	login, clientID, redirect, challenge string
}

// StartGitHub starts the stand-in for one OAuth app, stopped when t ends.
func StartGitHub(t testing.TB, clientID, clientSecret string, accounts ...GitHubUser) *GitHub {
	t.Helper()
	g := &GitHub{ClientID: clientID, ClientSecret: clientSecret, users: map[string]GitHubUser{},
		codes: map[string]ghCode{}, tokens: map[string]string{}}
	for _, u := range accounts {
		g.users[u.Login] = u
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login/oauth/authorize", g.authorizePage)
	mux.HandleFunc("POST /login/oauth/authorize", g.authorize)
	mux.HandleFunc("POST /login/oauth/access_token", g.accessToken)
	mux.HandleFunc("GET /api/user", g.user)
	mux.HandleFunc("GET /api/user/emails", g.emails)
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	g.URL = srv.URL
	return g
}

// APIURL is the stand-in's API root (OIDC_GITHUB_API_URL).
func (g *GitHub) APIURL() string { return g.URL + "/api" }

var authorizeTmpl = template.Must(template.New("a").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to GitHub</title></head>
<body><main><h1>Sign in to GitHub</h1>
<form method="post" action="/login/oauth/authorize">
<input type="hidden" name="query" value="{{.Query}}">
<label for="login">Username</label> <input id="login" name="login" autocomplete="username">
<button type="submit">Authorize</button>
</form></main></body></html>`))

func (g *GitHub) authorizePage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = authorizeTmpl.Execute(w, struct{ Query string }{r.URL.RawQuery})
}

func (g *GitHub) authorize(w http.ResponseWriter, r *http.Request) {
	q, err := url.ParseQuery(r.PostFormValue("query"))
	if err != nil || q.Get("client_id") != g.ClientID || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
		http.Error(w, "bad authorization request", http.StatusBadRequest)
		return
	}
	login := r.PostFormValue("login")
	g.mu.Lock()
	_, ok := g.users[login]
	g.mu.Unlock()
	if !ok {
		http.Error(w, "no such user", http.StatusUnauthorized)
		return
	}
	code := random()
	g.mu.Lock()
	g.codes[code] = ghCode{login: login, clientID: q.Get("client_id"), redirect: q.Get("redirect_uri"), challenge: q.Get("code_challenge")}
	g.mu.Unlock()
	to, _ := url.Parse(q.Get("redirect_uri"))
	v := to.Query()
	v.Set("code", code)
	v.Set("state", q.Get("state"))
	to.RawQuery = v.Encode()
	http.Redirect(w, r, to.String(), http.StatusFound)
}

// Authorize is the browser at the authorize page: it authorizes login
// for the request in authURL and returns the callback address.
func (g *GitHub) Authorize(t testing.TB, client *http.Client, authURL, login string) string {
	t.Helper()
	u, err := url.Parse(authURL)
	if err != nil || !strings.HasPrefix(authURL, g.URL+"/login/oauth/authorize") {
		t.Fatalf("idptest: %q is not the stand-in's authorize URL", authURL)
	}
	resp, err := client.PostForm(g.URL+"/login/oauth/authorize", url.Values{"query": {u.RawQuery}, "login": {login}})
	if err != nil {
		t.Fatalf("idptest: authorize: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("idptest: authorize: status %d, want 302", resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

func (g *GitHub) accessToken(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	c, ok := g.codes[r.PostFormValue("code")]
	delete(g.codes, r.PostFormValue("code"))
	g.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
	switch {
	case r.PostFormValue("client_id") != g.ClientID || r.PostFormValue("client_secret") != g.ClientSecret:
		ghError(w, "incorrect_client_credentials")
		return
	case !ok || c.redirect != r.PostFormValue("redirect_uri"):
		ghError(w, "bad_verification_code")
		return
	case base64.RawURLEncoding.EncodeToString(sum[:]) != c.challenge:
		ghError(w, "bad_verification_code")
		return
	}
	tok := random()
	g.mu.Lock()
	g.tokens[tok] = c.login
	g.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"access_token": tok, "token_type": "bearer", "scope": "read:user,user:email"})
}

// ghError answers like GitHub: status 200 with an error field.
func ghError(w http.ResponseWriter, code string) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": code})
}

func (g *GitHub) bearer(w http.ResponseWriter, r *http.Request) (GitHubUser, bool) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	g.mu.Lock()
	defer g.mu.Unlock()
	login, found := g.tokens[tok]
	if !ok || !found {
		http.Error(w, `{"message":"Bad credentials"}`, http.StatusUnauthorized)
		return GitHubUser{}, false
	}
	return g.users[login], true
}

func (g *GitHub) user(w http.ResponseWriter, r *http.Request) {
	u, ok := g.bearer(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"id": u.ID, "login": u.Login, "name": u.Name})
}

func (g *GitHub) emails(w http.ResponseWriter, r *http.Request) {
	u, ok := g.bearer(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	list := u.Emails
	if list == nil {
		list = []GitHubEmail{}
	}
	_ = json.NewEncoder(w).Encode(list)
}

func random() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
