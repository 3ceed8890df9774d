package idp

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/oauth2"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

var _ usecase.IdentityProvider = (*GitHub)(nil)

// GitHub's public roots, the defaults of Settings.BaseURL and APIURL.
const (
	GitHubBaseURL = "https://github.com"
	GitHubAPIURL  = "https://api.github.com"
)

// maxAPIBody bounds what is read of a GitHub API answer.
const maxAPIBody = 1 << 20

// GitHub signs people in with GitHub's OAuth 2 (GitHub is no OpenID
// Connect provider): the subject is GitHub's numeric user id, which never
// changes (the login name can), and the address is the primary one from
// /user/emails, and only when GitHub marks it verified.
type GitHub struct {
	s      Settings
	cfg    *oauth2.Config
	client *http.Client
}

// NewGitHub returns the GitHub provider of s (empty BaseURL and APIURL
// are github.com's).
func NewGitHub(s Settings) *GitHub {
	if s.BaseURL == "" {
		s.BaseURL = GitHubBaseURL
	}
	if s.APIURL == "" {
		s.APIURL = GitHubAPIURL
	}
	s.BaseURL, s.APIURL = strings.TrimRight(s.BaseURL, "/"), strings.TrimRight(s.APIURL, "/")
	return &GitHub{s: s, client: httpClient, cfg: &oauth2.Config{
		ClientID: s.ClientID, ClientSecret: s.ClientSecret, RedirectURL: s.RedirectURL,
		Endpoint: oauth2.Endpoint{
			AuthURL: s.BaseURL + "/login/oauth/authorize", TokenURL: s.BaseURL + "/login/oauth/access_token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
		Scopes: []string{"read:user", "user:email"},
	}}
}

// SetHTTPClient makes every call to GitHub use c (tests).
func (g *GitHub) SetHTTPClient(c *http.Client) { g.client = c }

// Name is the provider's configured name.
func (g *GitHub) Name() string { return g.s.Name }

// Label is the provider's button text.
func (g *GitHub) Label() string { return g.s.Label }

// Ready is always true: GitHub has no discovery.
func (g *GitHub) Ready() bool { return true }

// AuthURL returns GitHub's authorization URL for one login, with state
// and the PKCE challenge (GitHub has no nonce: it issues no ID token).
func (g *GitHub) AuthURL(state, _, verifier string) (string, error) {
	return g.cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier)), nil
}

// Exchange redeems code with verifier and reads the user and its
// addresses with the access token, which is then dropped.
func (g *GitHub) Exchange(ctx context.Context, code, verifier, _ string) (domain.ExternalIdentity, error) {
	ctx, cancel := context.WithTimeout(withClient(ctx, g.client), requestTimeout)
	defer cancel()
	tok, err := g.cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return domain.ExternalIdentity{}, exchangeError(g.s.Name, err)
	}
	var user struct {
		ID    int64  `json:"id"`
		Login string `json:"login"`
		Name  string `json:"name"`
	}
	if err := g.get(ctx, tok, "/user", &user); err != nil {
		return domain.ExternalIdentity{}, err
	}
	if user.ID <= 0 {
		return domain.ExternalIdentity{}, fmt.Errorf("idp: %s /user has no id: %w", g.s.Name, domain.ErrProviderRejected)
	}
	var emails []struct {
		Email    string `json:"email"`
		Primary  bool   `json:"primary"`
		Verified bool   `json:"verified"`
	}
	if err := g.get(ctx, tok, "/user/emails", &emails); err != nil {
		return domain.ExternalIdentity{}, err
	}
	ext := domain.ExternalIdentity{Provider: g.s.Name, Subject: strconv.FormatInt(user.ID, 10), PreferredName: user.Login, Name: user.Name}
	for _, e := range emails {
		if e.Primary && e.Verified {
			ext.Email, ext.EmailVerified = e.Email, true
		}
	}
	return ext, nil
}

// get reads the API resource path into v.
func (g *GitHub) get(ctx context.Context, tok *oauth2.Token, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, g.s.APIURL+path, nil)
	if err != nil {
		return fmt.Errorf("idp: %s %s: %w", g.s.Name, path, err)
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	tok.SetAuthHeader(req)
	resp, err := g.client.Do(req)
	if err != nil {
		return fmt.Errorf("idp: %s %s: %v: %w", g.s.Name, path, err, domain.ErrProviderUnavailable)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAPIBody))
	if err != nil {
		return fmt.Errorf("idp: %s %s: %v: %w", g.s.Name, path, err, domain.ErrProviderUnavailable)
	}
	switch {
	case resp.StatusCode >= 500:
		return fmt.Errorf("idp: %s %s answered %d: %w", g.s.Name, path, resp.StatusCode, domain.ErrProviderUnavailable)
	case resp.StatusCode != http.StatusOK:
		return fmt.Errorf("idp: %s %s answered %d: %w", g.s.Name, path, resp.StatusCode, domain.ErrProviderRejected)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("idp: %s %s: %v: %w", g.s.Name, path, err, domain.ErrProviderRejected)
	}
	return nil
}

// VerifyIDToken refuses: GitHub issues no ID tokens.
func (g *GitHub) VerifyIDToken(context.Context, string, string) (domain.ExternalIdentity, error) {
	return domain.ExternalIdentity{}, fmt.Errorf("idp: %s issues no ID tokens: %w", g.s.Name, domain.ErrProviderRejected)
}
