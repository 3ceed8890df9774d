package test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/gatehouse/gatehouse/test/idptest"
)

// appIDToken is a native app signing in with the provider's SDK: it gets
// an ID token for client, requested with nonce, for u.
func (r *socialRig) appIDToken(t *testing.T, client string, u idptest.User, nonce string) string {
	t.Helper()
	redirect := "http://127.0.0.1:1/app/callback"
	r.op.AddClient(client, client+"-secret", redirect)
	cfg := &oauth2.Config{ClientID: client, ClientSecret: client + "-secret", RedirectURL: redirect,
		Endpoint: oauth2.Endpoint{AuthURL: r.op.URL + "/auth", TokenURL: r.op.URL + "/oauth/token"}, Scopes: []string{"openid"}}
	verifier := oauth2.GenerateVerifier()
	b := r.srv.newBrowser()
	cb, err := url.Parse(r.op.SignIn(t, b.client, cfg.AuthCodeURL("s", oauth2.SetAuthURLParam("nonce", nonce), oauth2.S256ChallengeOption(verifier)), u.Username, u.Password))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tok, err := cfg.Exchange(ctx, cb.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("the app's token exchange: %v", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	return raw
}

// TestAPISessionFromIDToken: POST /sessions/oidc trades an ID token for a
// session only for an identity linked to an account (an unknown one is
// 404 identity_not_linked, creating nothing), for an audience among the
// client id and OIDC_<NAME>_AUDIENCES, and with the nonce of the
// request; GET /me/identities lists the sign-in methods and DELETE
// refuses the last one.
func TestAPISessionFromIDToken(t *testing.T) {
	t.Parallel()
	r := startSocial(t)
	api := r.srv.newAPIClient()
	body := func(provider, token, nonce string) map[string]string {
		return map[string]string{"provider": provider, "id_token": token, "nonce": nonce}
	}
	token := r.appIDToken(t, "mobile-app", opAda, "app-nonce-1")
	api.call(http.MethodPost, v1+"/sessions/oidc", body("test", token, "app-nonce-1")).
		wantError(t, "POST /sessions/oidc (identity of no account)", http.StatusNotFound, "identity_not_linked")
	if _, err := r.user(t, "ada"); err == nil {
		t.Errorf("POST /sessions/oidc created an account")
	}

	// Sign up on the site with the provider, then the app's token works.
	b := r.srv.newBrowser()
	r.opLogin(t, b, opAda, "")
	wantRedirect(t, "signup", b.post("/auth/continue/signup", url.Values{"username": {"ada"}}), http.StatusSeeOther, "/")
	res := api.call(http.MethodPost, v1+"/sessions/oidc", body("test", token, "app-nonce-1"))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("POST /sessions/oidc = %d, want 201; body: %s", res.StatusCode, res.Body)
	}
	var s apiSession
	res.decode(t, &s)
	if s.User.Username != "ada" || s.Token == "" {
		t.Errorf("POST /sessions/oidc = %+v, want ada's session", s)
	}
	for _, tt := range []struct{ what, provider, token, nonce string }{
		{"nonce mismatch", "test", token, "another-nonce"},
		{"foreign audience", "test", r.appIDToken(t, "other-app", opAda, "n"), "n"},
		{"not a token", "test", "a.b.c", "n"},
		{"GitHub issues none", "github", token, "app-nonce-1"},
	} {
		api.call(http.MethodPost, v1+"/sessions/oidc", body(tt.provider, tt.token, tt.nonce)).
			wantError(t, "POST /sessions/oidc ("+tt.what+")", http.StatusBadRequest, "provider_rejected")
	}
	api.call(http.MethodPost, v1+"/sessions/oidc", body("nosuch", token, "n")).
		wantError(t, "POST /sessions/oidc (unknown provider)", http.StatusNotFound, "not_found")
	api.call(http.MethodPost, v1+"/sessions/oidc", body("test", "", "")).
		wantError(t, "POST /sessions/oidc (empty)", http.StatusUnprocessableEntity, "invalid_input")

	me := api.withToken(s.Token)
	var list []struct {
		Provider, Label, Name string
		LinkedAt              time.Time `json:"linked_at"`
	}
	me.call(http.MethodGet, v1+"/me/identities", nil).decode(t, &list)
	if len(list) != 1 || list[0].Provider != "test" || list[0].Label != "Test ID" || list[0].Name != "ada" || list[0].LinkedAt.IsZero() {
		t.Errorf("GET /me/identities = %+v, want the test identity", list)
	}
	me.call(http.MethodDelete, v1+"/me/identities/test", nil).
		wantError(t, "DELETE /me/identities/test (the last way in)", http.StatusConflict, "last_sign_in_method")
	me.call(http.MethodDelete, v1+"/me/identities/github", nil).
		wantError(t, "DELETE /me/identities/github (none)", http.StatusNotFound, "not_found")
}
