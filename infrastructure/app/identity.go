package app

import (
	"log/slog"
	"time"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/adapter/httpx/api"
	"github.com/gatehouse/gatehouse/adapter/httpx/web"
	"github.com/gatehouse/gatehouse/adapter/idp"
	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/infrastructure/config"
	"github.com/gatehouse/gatehouse/usecase"
	"go.uber.org/fx"
)

// discoveryRetry is how often the discovery of an OpenID Connect provider
// that failed is tried again.
const discoveryRetry = 30 * time.Second

// Identity provides the identity providers OIDC_PROVIDERS lists (as the
// use cases' usecase.IdentityProvider list, and the Discoverer that
// reads their discovery documents), the stores of identities and of
// provider logins under way, and the SocialLogin use case (as itself and
// as httpx.SocialLogin).
var Identity = fx.Module("identity",
	fx.Provide(
		identityProviders,
		fx.Annotate(sqlstore.NewIdentityStore, fx.As(new(usecase.IdentityStore))),
		fx.Annotate(sqlstore.NewSocialFlowStore, fx.As(new(usecase.SocialFlowStore))),
		fx.Annotate(newSocialLogin, fx.As(fx.Self()), fx.As(new(httpx.SocialLogin))),
	),
)

// providerSet is the configured providers, and the Discoverer of those
// that are OpenID Connect issuers.
type providerSet struct {
	fx.Out
	Providers  []usecase.IdentityProvider
	Discoverer *idp.Discoverer
}

// identityProviders builds each provider of cfg; the redirect URI is
// PUBLIC_URL/auth/NAME/callback.
func identityProviders(cfg config.Config, log *slog.Logger) providerSet {
	var out providerSet
	var issuers []*idp.OIDC
	for _, p := range cfg.IdentityProviders {
		s := idp.Settings{
			Name: p.Name, Label: p.Label, ClientID: p.ClientID, ClientSecret: p.ClientSecret,
			RedirectURL: cfg.PublicURL + "/auth/" + p.Name + "/callback",
			Issuer:      p.Issuer, Audiences: p.Audiences, BaseURL: p.BaseURL, APIURL: p.APIURL,
		}
		if p.GitHub {
			out.Providers = append(out.Providers, idp.NewGitHub(s))
			continue
		}
		o := idp.NewOIDC(s)
		issuers = append(issuers, o)
		out.Providers = append(out.Providers, o)
	}
	out.Discoverer = idp.NewDiscoverer(issuers, discoveryRetry, log)
	return out
}

// socialParams are what the SocialLogin works with.
type socialParams struct {
	fx.In
	Providers  []usecase.IdentityProvider
	Identities usecase.IdentityStore
	Flows      usecase.SocialFlowStore
	Emails     usecase.EmailStore
	Accounts   usecase.AccountStore
	Auth       *usecase.Authenticator
	Account    *usecase.Account
	Sessions   *usecase.SessionManager
	Throttle   *usecase.Throttle
	Second     *usecase.LoginChallenges
	Devices    *usecase.DeviceProofs
	Tokens     usecase.TokenSource
	History    usecase.EventLog
	Clock      usecase.Clock
	Log        *slog.Logger
}

func newSocialLogin(p socialParams) *usecase.SocialLogin {
	return usecase.NewSocialLogin(usecase.SocialDeps{
		Providers: p.Providers, Identities: p.Identities, Flows: p.Flows, Emails: p.Emails, Accounts: p.Accounts,
		Auth: p.Auth, Account: p.Account, Sessions: p.Sessions, Throttle: p.Throttle, Second: p.Second,
		Devices: p.Devices, Tokens: p.Tokens, History: p.History, Clock: p.Clock, Log: p.Log,
	})
}

// withSocialLogin turns the site's sign-in with providers on.
func withSocialLogin(h *web.Handler, s httpx.SocialLogin) *web.Handler {
	h.EnableSocialLogin(s)
	return h
}

// withAPISocialLogin turns the API's provider endpoints on.
func withAPISocialLogin(h *api.Handler, s httpx.SocialLogin) *api.Handler {
	h.EnableSocialLogin(s)
	return h
}
