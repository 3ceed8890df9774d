package idp

import (
	"context"
	"net/http"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Settings configures one provider.
type Settings struct {
	// Name is the provider's name in URLs and configuration, lower case.
	Name string
	// Label is the button text's provider name.
	Label        string
	ClientID     string
	ClientSecret string
	// RedirectURL is PUBLIC_URL/auth/NAME/callback.
	RedirectURL string
	// Issuer is an OpenID Connect provider's issuer URL (discovery reads
	// Issuer/.well-known/openid-configuration).
	Issuer string
	// Audiences are the client ids besides ClientID whose ID tokens a
	// native app may trade for a session.
	Audiences []string
	// BaseURL and APIURL are GitHub's (or a GitHub Enterprise server's)
	// web and API roots.
	BaseURL string
	APIURL  string
}

// requestTimeout bounds every call to a provider.
const requestTimeout = 10 * time.Second

// httpClient is the client every provider call uses: bounded in time, so
// a provider that hangs fails the login instead of holding it.
var httpClient = &http.Client{Timeout: requestTimeout}

// withClient makes oauth2 and go-oidc use client.
func withClient(ctx context.Context, client *http.Client) context.Context {
	ctx = context.WithValue(ctx, oauth2.HTTPClient, client)
	return oidc.ClientContext(ctx, client)
}
