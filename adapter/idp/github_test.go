package idp_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/gatehouse/gatehouse/adapter/idp"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/test/idptest"
)

// TestGitHub: against the stand-in at OIDC_GITHUB_BASE_URL / _API_URL,
// the login sends state and an S256 challenge, the code is redeemed with
// the secret and the verifier, the subject is the numeric id, and the
// address is the primary one only when verified; a wrong verifier or a
// used code is refused; no ID token is ever accepted.
func TestGitHub(t *testing.T) {
	gh := idptest.StartGitHub(t, "gh-client", "gh-secret",
		idptest.GitHubUser{ID: 1001, Login: "octo", Name: "Octo Cat", Emails: []idptest.GitHubEmail{
			{Email: "old@example.com", Primary: false, Verified: true},
			{Email: "octo@example.com", Primary: true, Verified: true},
		}},
		idptest.GitHubUser{ID: 1002, Login: "unverified", Emails: []idptest.GitHubEmail{{Email: "u@example.com", Primary: true, Verified: false}}},
	)
	p := idp.NewGitHub(idp.Settings{Name: "github", Label: "GitHub", ClientID: "gh-client", ClientSecret: "gh-secret",
		RedirectURL: redirect, BaseURL: gh.URL, APIURL: gh.APIURL()})
	if !p.Ready() {
		t.Fatal("Ready() = false")
	}
	run := func(login, verifier string) string {
		authURL, err := p.AuthURL("st", "", oauth2.GenerateVerifier())
		if verifier != "" {
			authURL, err = p.AuthURL("st", "", verifier)
		}
		if err != nil {
			t.Fatal(err)
		}
		q, _ := url.Parse(authURL)
		if q.Query().Get("state") != "st" || q.Query().Get("code_challenge_method") != "S256" || q.Query().Get("client_id") != "gh-client" {
			t.Fatalf("AuthURL() = %s, want state, client id and an S256 challenge", authURL)
		}
		back, _ := url.Parse(gh.Authorize(t, browser(t), authURL, login))
		if !strings.HasPrefix(back.String(), redirect) || back.Query().Get("state") != "st" {
			t.Fatalf("authorize came back to %s", back)
		}
		return back.Query().Get("code")
	}
	verifier := oauth2.GenerateVerifier()
	code := run("octo", verifier)
	ext, err := p.Exchange(context.Background(), code, verifier, "")
	want := domain.ExternalIdentity{Provider: "github", Subject: "1001", Email: "octo@example.com", EmailVerified: true, PreferredName: "octo", Name: "Octo Cat"}
	if err != nil || ext != want {
		t.Fatalf("Exchange() = %+v, %v, want %+v", ext, err, want)
	}
	if _, err := p.Exchange(context.Background(), code, verifier, ""); !errors.Is(err, domain.ErrProviderRejected) {
		t.Errorf("Exchange(used code) error = %v, want %v", err, domain.ErrProviderRejected)
	}
	verifier = oauth2.GenerateVerifier()
	code = run("octo", verifier)
	if _, err := p.Exchange(context.Background(), code, oauth2.GenerateVerifier(), ""); !errors.Is(err, domain.ErrProviderRejected) {
		t.Errorf("Exchange(wrong verifier) error = %v, want %v", err, domain.ErrProviderRejected)
	}
	verifier = oauth2.GenerateVerifier()
	ext, err = p.Exchange(context.Background(), run("unverified", verifier), verifier, "")
	if err != nil || ext.Subject != "1002" || ext.Email != "" || ext.EmailVerified {
		t.Errorf("Exchange(unverified primary) = %+v, %v, want no address", ext, err)
	}
	if _, err := p.VerifyIDToken(context.Background(), "x.y.z", "n"); !errors.Is(err, domain.ErrProviderRejected) {
		t.Errorf("VerifyIDToken() error = %v, want %v", err, domain.ErrProviderRejected)
	}
}
