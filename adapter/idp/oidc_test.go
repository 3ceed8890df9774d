package idp_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/gatehouse/gatehouse/adapter/idp"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/test/idptest"
)

const redirect = "http://127.0.0.1:1/auth/test/callback"

var (
	ada    = idptest.User{ID: "sub-ada", Username: "ada", Password: "op-password", Email: "ada@example.com", EmailVerified: true, First: "Ada", Last: "L"}
	gus    = idptest.User{ID: "sub-gus", Username: "gus", Password: "op-password", Email: "gus@example.com", EmailVerified: false}
	silent = slog.New(slog.NewTextHandler(io.Discard, nil))
)

// browser is a cookie-keeping client that does not follow redirects.
func browser(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func startOP(t *testing.T) (*idptest.OP, *idp.OIDC) {
	t.Helper()
	op := idptest.StartOP(t, ada, gus)
	op.AddClient("gatehouse", "gatehouse-secret", redirect)
	op.AddClient("mobile-app", "mobile-secret", redirect)
	p := idp.NewOIDC(idp.Settings{Name: "test", Label: "Test", ClientID: "gatehouse", ClientSecret: "gatehouse-secret",
		RedirectURL: redirect, Issuer: op.URL, Audiences: []string{"ios-app"}})
	if err := p.Discover(context.Background()); err != nil {
		t.Fatalf("Discover() error = %v", err)
	}
	return op, p
}

// login runs a login at op for user and returns the code.
func login(t *testing.T, op *idptest.OP, authURL string, user idptest.User, wantState string) string {
	t.Helper()
	back := op.SignIn(t, browser(t), authURL, user.Username, user.Password)
	u, err := url.Parse(back)
	if err != nil || !strings.HasPrefix(back, redirect) {
		t.Fatalf("SignIn() came back to %q, want the redirect URI", back)
	}
	if got := u.Query().Get("state"); got != wantState {
		t.Fatalf("state came back %q, want %q", got, wantState)
	}
	return u.Query().Get("code")
}

// TestOIDCLogin: discovery finds the endpoints, the authorization request
// carries state, nonce and an S256 challenge, and the code redeemed with
// the verifier gives the verified identity, its address and whether it
// is verified read from userinfo (this provider puts them only there).
func TestOIDCLogin(t *testing.T) {
	op, p := startOP(t)
	if !p.Ready() || p.Name() != "test" || p.Label() != "Test" {
		t.Fatalf("after Discover: Ready() = %v, Name() = %q, Label() = %q", p.Ready(), p.Name(), p.Label())
	}
	verifier := oauth2.GenerateVerifier()
	authURL, err := p.AuthURL("state-1", "nonce-1", verifier)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := url.Parse(authURL)
	if !strings.HasPrefix(authURL, op.URL+"/auth?") || q.Query().Get("nonce") != "nonce-1" ||
		q.Query().Get("code_challenge_method") != "S256" || q.Query().Get("code_challenge") != oauth2.S256ChallengeFromVerifier(verifier) {
		t.Fatalf("AuthURL() = %s, want the discovered endpoint with nonce and an S256 challenge", authURL)
	}
	code := login(t, op, authURL, ada, "state-1")
	ext, err := p.Exchange(context.Background(), code, verifier, "nonce-1")
	if err != nil {
		t.Fatalf("Exchange() error = %v", err)
	}
	want := domain.ExternalIdentity{Provider: "test", Subject: "sub-ada", Email: "ada@example.com", EmailVerified: true, PreferredName: "ada", Name: "Ada L"}
	if ext != want {
		t.Errorf("Exchange() = %+v, want %+v", ext, want)
	}
	// The code is single use.
	if _, err := p.Exchange(context.Background(), code, verifier, "nonce-1"); !errors.Is(err, domain.ErrProviderRejected) {
		t.Errorf("Exchange(used code) error = %v, want %v", err, domain.ErrProviderRejected)
	}

	// An address the provider did not verify is not called verified.
	verifier = oauth2.GenerateVerifier()
	authURL, _ = p.AuthURL("state-2", "nonce-2", verifier)
	ext, err = p.Exchange(context.Background(), login(t, op, authURL, gus, "state-2"), verifier, "nonce-2")
	if err != nil || ext.Subject != "sub-gus" || ext.Email != "gus@example.com" || ext.EmailVerified {
		t.Errorf("Exchange(gus) = %+v, %v, want gus's unverified address", ext, err)
	}
}

// TestOIDCRefusals: the wrong PKCE verifier, a nonce that is not the
// login's, and an ID token past its expiry are each refused as
// domain.ErrProviderRejected.
func TestOIDCRefusals(t *testing.T) {
	op, p := startOP(t)
	tests := []struct {
		name     string
		exchange func(code, verifier string) error
	}{
		{"wrong verifier (PKCE)", func(code, _ string) error {
			_, err := p.Exchange(context.Background(), code, oauth2.GenerateVerifier(), "nonce")
			return err
		}},
		{"nonce mismatch", func(code, verifier string) error {
			_, err := p.Exchange(context.Background(), code, verifier, "another-nonce")
			return err
		}},
		{"expired ID token", func(code, verifier string) error {
			p.SetClock(func() time.Time { return time.Now().Add(2 * time.Hour) })
			defer p.SetClock(time.Now)
			_, err := p.Exchange(context.Background(), code, verifier, "nonce")
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			verifier := oauth2.GenerateVerifier()
			authURL, _ := p.AuthURL("s", "nonce", verifier)
			err := tt.exchange(login(t, op, authURL, ada, "s"), verifier)
			if !errors.Is(err, domain.ErrProviderRejected) {
				t.Errorf("Exchange() error = %v, want %v", err, domain.ErrProviderRejected)
			}
		})
	}
}

// idToken gets an ID token from op for client with nonce, as a native
// app's SDK would.
func idToken(t *testing.T, op *idptest.OP, client, secret, nonce string) string {
	t.Helper()
	cfg := &oauth2.Config{ClientID: client, ClientSecret: secret, RedirectURL: redirect,
		Endpoint: oauth2.Endpoint{AuthURL: op.URL + "/auth", TokenURL: op.URL + "/oauth/token"}, Scopes: []string{"openid"}}
	verifier := oauth2.GenerateVerifier()
	authURL := cfg.AuthCodeURL("s", oauth2.SetAuthURLParam("nonce", nonce), oauth2.S256ChallengeOption(verifier))
	code := login(t, op, authURL, ada, "s")
	tok, err := cfg.Exchange(context.Background(), code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("token for %s: %v", client, err)
	}
	raw, _ := tok.Extra("id_token").(string)
	return raw
}

// TestOIDCVerifyIDToken: a native app's ID token is accepted for the
// client id (RS256, checked against the issuer's keys) and refused when
// it is for another client, from another issuer, tampered with, or its
// nonce is not the one given.
func TestOIDCVerifyIDToken(t *testing.T) {
	op, p := startOP(t)
	raw := idToken(t, op, "gatehouse", "gatehouse-secret", "n-1")
	ext, err := p.VerifyIDToken(context.Background(), raw, "n-1")
	if err != nil || ext.Subject != "sub-ada" {
		t.Fatalf("VerifyIDToken() = %+v, %v, want ada", ext, err)
	}
	other := idptest.StartOP(t, ada)
	other.AddClient("gatehouse", "gatehouse-secret", redirect)
	parts := strings.Split(raw, ".")
	tampered := parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2]))
	for _, tt := range []struct{ name, token, nonce string }{
		{"nonce mismatch", raw, "n-2"},
		{"no nonce", raw, ""},
		{"foreign audience", idToken(t, op, "mobile-app", "mobile-secret", "n-1"), "n-1"},
		{"foreign issuer", idToken(t, other, "gatehouse", "gatehouse-secret", "n-1"), "n-1"},
		{"bad signature", tampered, "n-1"},
		{"not a JWT", "garbage", "n-1"},
	} {
		if _, err := p.VerifyIDToken(context.Background(), tt.token, tt.nonce); !errors.Is(err, domain.ErrProviderRejected) {
			t.Errorf("VerifyIDToken(%s) error = %v, want %v", tt.name, err, domain.ErrProviderRejected)
		}
	}
	// A listed audience is accepted.
	op.AddClient("ios-app", "ios-secret", redirect)
	if _, err := p.VerifyIDToken(context.Background(), idToken(t, op, "ios-app", "ios-secret", "n-3"), "n-3"); err != nil {
		t.Errorf("VerifyIDToken(listed audience) error = %v", err)
	}
}

// TestOIDCDiscoveryFailure: a provider whose discovery fails (down, or an
// issuer that is not exactly the configured one) is not Ready and
// refuses to start a login; the Discoverer retries it until it is back.
func TestOIDCDiscoveryFailure(t *testing.T) {
	op := idptest.StartOP(t, ada)
	mismatch := idp.NewOIDC(idp.Settings{Name: "m", Issuer: strings.Replace(op.URL, "127.0.0.1", "localhost", 1)})
	if err := mismatch.Discover(context.Background()); err == nil || mismatch.Ready() {
		t.Errorf("Discover(issuer not the provider's own) error = %v, Ready() = %v; want an error, not ready", err, mismatch.Ready())
	}
	op.SetDown(true)
	p := idp.NewOIDC(idp.Settings{Name: "test", Issuer: op.URL, ClientID: "gatehouse", RedirectURL: redirect})
	d := idp.NewDiscoverer([]*idp.OIDC{p}, 20*time.Millisecond, silent)
	d.Start(context.Background())
	defer d.Stop()
	if p.Ready() {
		t.Fatal("Ready() = true while the provider is down")
	}
	if _, err := p.AuthURL("s", "n", "v"); !errors.Is(err, domain.ErrProviderUnavailable) {
		t.Errorf("AuthURL() before discovery error = %v, want %v", err, domain.ErrProviderUnavailable)
	}
	op.SetDown(false)
	deadline := time.Now().Add(5 * time.Second)
	for !p.Ready() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !p.Ready() {
		t.Fatal("Ready() = false 5 s after the provider came back, want the Discoverer to have retried")
	}
}
