package idp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

var _ usecase.IdentityProvider = (*OIDC)(nil)

// OIDC is an OpenID Connect provider found by discovery. Until discovery
// succeeds it is not Ready; Discover retries it.
type OIDC struct {
	s      Settings
	client *http.Client
	now    func() time.Time

	mu       sync.RWMutex
	provider *oidc.Provider
}

// NewOIDC returns the provider of s, not yet discovered.
func NewOIDC(s Settings) *OIDC {
	return &OIDC{s: s, client: httpClient, now: time.Now}
}

// SetClock makes the ID token checks use now (tests).
func (p *OIDC) SetClock(now func() time.Time) { p.now = now }

// SetHTTPClient makes every call to the provider use c (tests).
func (p *OIDC) SetHTTPClient(c *http.Client) { p.client = c }

// Name is the provider's configured name.
func (p *OIDC) Name() string { return p.s.Name }

// Label is the provider's button text.
func (p *OIDC) Label() string { return p.s.Label }

// Ready reports whether discovery has succeeded.
func (p *OIDC) Ready() bool {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.provider != nil
}

// Discover reads the issuer's discovery document, once it succeeds: the
// issuer it names must be the configured one exactly.
func (p *OIDC) Discover(ctx context.Context) error {
	if p.Ready() {
		return nil
	}
	ctx, cancel := context.WithTimeout(withClient(ctx, p.client), requestTimeout)
	defer cancel()
	provider, err := oidc.NewProvider(ctx, p.s.Issuer)
	if err != nil {
		return fmt.Errorf("idp: discovery of %s at %s: %w", p.s.Name, p.s.Issuer, err)
	}
	p.mu.Lock()
	p.provider = provider
	p.mu.Unlock()
	return nil
}

func (p *OIDC) discovered() (*oidc.Provider, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.provider == nil {
		return nil, fmt.Errorf("idp: %s: discovery has not succeeded yet: %w", p.s.Name, domain.ErrProviderUnavailable)
	}
	return p.provider, nil
}

func (p *OIDC) config(provider *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{
		ClientID: p.s.ClientID, ClientSecret: p.s.ClientSecret, RedirectURL: p.s.RedirectURL,
		Endpoint: provider.Endpoint(),
		Scopes:   []string{oidc.ScopeOpenID, "email", "profile"},
	}
}

// AuthURL returns the provider's authorization URL for one login.
func (p *OIDC) AuthURL(state, nonce, verifier string) (string, error) {
	provider, err := p.discovered()
	if err != nil {
		return "", err
	}
	return p.config(provider).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), nil
}

// claims are the ID token's and userinfo's claims read here.
type claims struct {
	Subject           string `json:"sub"`
	Nonce             string `json:"nonce"`
	Email             string `json:"email"`
	EmailVerified     *bool  `json:"email_verified"`
	PreferredUsername string `json:"preferred_username"`
	Name              string `json:"name"`
}

// Exchange redeems code with verifier, verifies the ID token
// (signature, issuer, audience = the client id, expiry, nonce), and
// reads userinfo for what the token does not say (some providers give the
// address and whether it is verified only there).
func (p *OIDC) Exchange(ctx context.Context, code, verifier, nonce string) (domain.ExternalIdentity, error) {
	provider, err := p.discovered()
	if err != nil {
		return domain.ExternalIdentity{}, err
	}
	ctx, cancel := context.WithTimeout(withClient(ctx, p.client), requestTimeout)
	defer cancel()
	cfg := p.config(provider)
	tok, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return domain.ExternalIdentity{}, exchangeError(p.s.Name, err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return domain.ExternalIdentity{}, fmt.Errorf("idp: %s sent no ID token: %w", p.s.Name, domain.ErrProviderRejected)
	}
	c, err := p.verify(ctx, provider, raw, nonce, []string{p.s.ClientID})
	if err != nil {
		return domain.ExternalIdentity{}, err
	}
	if c.Email == "" || c.EmailVerified == nil {
		info, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
		if err != nil {
			return domain.ExternalIdentity{}, fmt.Errorf("idp: %s userinfo: %v: %w", p.s.Name, err, domain.ErrProviderUnavailable)
		}
		var u claims
		if err := info.Claims(&u); err != nil || u.Subject != c.Subject {
			// Userinfo about someone else is no information about this
			// person (OpenID Connect Core 5.3.2).
			return domain.ExternalIdentity{}, fmt.Errorf("idp: %s userinfo is about another subject: %w", p.s.Name, domain.ErrProviderRejected)
		}
		if c.Email == "" {
			c.Email, c.EmailVerified = u.Email, u.EmailVerified
		} else if c.EmailVerified == nil && u.Email == c.Email {
			c.EmailVerified = u.EmailVerified
		}
		if c.PreferredUsername == "" {
			c.PreferredUsername = u.PreferredUsername
		}
		if c.Name == "" {
			c.Name = u.Name
		}
	}
	return p.identity(c), nil
}

// VerifyIDToken checks an ID token a native app obtained: signature,
// issuer, expiry, nonce, and an audience among the client id and the
// configured audiences.
func (p *OIDC) VerifyIDToken(ctx context.Context, raw, nonce string) (domain.ExternalIdentity, error) {
	provider, err := p.discovered()
	if err != nil {
		return domain.ExternalIdentity{}, err
	}
	ctx, cancel := context.WithTimeout(withClient(ctx, p.client), requestTimeout)
	defer cancel()
	c, err := p.verify(ctx, provider, raw, nonce, append([]string{p.s.ClientID}, p.s.Audiences...))
	if err != nil {
		return domain.ExternalIdentity{}, err
	}
	return p.identity(c), nil
}

// verify checks raw with go-oidc (signature, issuer, expiry), then that
// one of its audiences is among audiences and its nonce is nonce.
func (p *OIDC) verify(ctx context.Context, provider *oidc.Provider, raw, nonce string, audiences []string) (claims, error) {
	v := provider.VerifierContext(ctx, &oidc.Config{SkipClientIDCheck: true, Now: p.now})
	tok, err := v.Verify(ctx, raw)
	if err != nil {
		return claims{}, fmt.Errorf("idp: %s ID token: %v: %w", p.s.Name, err, domain.ErrProviderRejected)
	}
	if !slices.ContainsFunc(tok.Audience, func(a string) bool { return slices.Contains(audiences, a) }) {
		return claims{}, fmt.Errorf("idp: %s ID token is for another client: %w", p.s.Name, domain.ErrProviderRejected)
	}
	var c claims
	if err := tok.Claims(&c); err != nil {
		return claims{}, fmt.Errorf("idp: %s ID token claims: %v: %w", p.s.Name, err, domain.ErrProviderRejected)
	}
	if nonce == "" || c.Nonce != nonce {
		return claims{}, fmt.Errorf("idp: %s ID token nonce does not match: %w", p.s.Name, domain.ErrProviderRejected)
	}
	if c.Subject == "" {
		return claims{}, fmt.Errorf("idp: %s ID token has no subject: %w", p.s.Name, domain.ErrProviderRejected)
	}
	return c, nil
}

func (p *OIDC) identity(c claims) domain.ExternalIdentity {
	return domain.ExternalIdentity{
		Provider: p.s.Name, Subject: c.Subject, Email: c.Email,
		EmailVerified: c.EmailVerified != nil && *c.EmailVerified && c.Email != "",
		PreferredName: c.PreferredUsername, Name: c.Name,
	}
}

// exchangeError tells a provider that refused the code (4xx: a used,
// expired or forged code) from one that could not be reached.
func exchangeError(name string, err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode < 500 {
		return fmt.Errorf("idp: %s refused the code (%s): %w", name, re.ErrorCode, domain.ErrProviderRejected)
	}
	return fmt.Errorf("idp: %s token endpoint: %v: %w", name, err, domain.ErrProviderUnavailable)
}

// Discoverer retries the discovery of the providers not yet discovered,
// so a provider that was down at start joins the login page once it is
// back.
type Discoverer struct {
	providers []*OIDC
	interval  time.Duration
	log       *slog.Logger
	stop      chan struct{}
	done      chan struct{}
}

// NewDiscoverer returns a Discoverer of providers retrying every
// interval.
func NewDiscoverer(providers []*OIDC, interval time.Duration, log *slog.Logger) *Discoverer {
	return &Discoverer{providers: providers, interval: interval, log: log}
}

// Start tries every provider once, logging each failure, and keeps
// retrying the failed ones in the background until Stop.
func (d *Discoverer) Start(ctx context.Context) {
	d.stop, d.done = make(chan struct{}), make(chan struct{})
	pending := d.round(ctx)
	go func() {
		defer close(d.done)
		t := time.NewTicker(d.interval)
		defer t.Stop()
		for pending {
			select {
			case <-d.stop:
				return
			case <-t.C:
				pending = d.round(context.Background())
			}
		}
	}()
}

// round tries each provider not yet discovered and reports whether any
// is still not.
func (d *Discoverer) round(ctx context.Context) bool {
	pending := false
	for _, p := range d.providers {
		if p.Ready() {
			continue
		}
		if err := p.Discover(ctx); err != nil {
			d.log.WarnContext(ctx, "idp: discovery failed; the provider is left off the login page and retried", "provider", p.Name(), "retry_in", d.interval.String(), "err", err)
			pending = true
			continue
		}
		d.log.InfoContext(ctx, "idp: provider discovered", "provider", p.Name())
	}
	return pending
}

// Stop ends the retries.
func (d *Discoverer) Stop() {
	if d.stop == nil {
		return
	}
	close(d.stop)
	<-d.done
}
