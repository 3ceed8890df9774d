package config

import (
	"net/url"
	"regexp"
	"strings"
)

// IdentityProvider is one provider of OIDC_PROVIDERS, with its
// OIDC_<NAME>_* settings.
type IdentityProvider struct {
	// Name is the provider's name in OIDC_PROVIDERS, lower case: it names
	// the routes (/auth/NAME) and the identities.
	Name string
	// GitHub is true for the provider named github (OAuth 2 and GitHub's
	// API); every other is an OpenID Connect issuer.
	GitHub       bool
	Label        string
	ClientID     string
	ClientSecret string
	// Issuer is an OpenID Connect provider's issuer, exactly as its
	// discovery document names it (google's default is Google's).
	Issuer string
	// Audiences are further client ids accepted in the ID tokens that
	// native apps trade at POST /api/v1/sessions/oidc.
	Audiences []string
	// BaseURL and APIURL are GitHub's roots (GitHub Enterprise); empty
	// is github.com's.
	BaseURL string
	APIURL  string
}

// GoogleIssuer is the issuer of the provider named google, unless
// OIDC_GOOGLE_ISSUER says otherwise.
const GoogleIssuer = "https://accounts.google.com"

var providerName = regexp.MustCompile(`^[a-z][a-z0-9]{0,31}$`)

// providers reads OIDC_PROVIDERS and each provider's settings.
func (r *reader) providers(dst *[]IdentityProvider) {
	v, ok := r.get("OIDC_PROVIDERS")
	if !ok {
		return
	}
	seen := map[string]bool{}
	for _, raw := range strings.Split(v, ",") {
		name := strings.ToLower(strings.TrimSpace(raw))
		if !providerName.MatchString(name) || seen[name] {
			r.fail("OIDC_PROVIDERS", "a comma-separated list of distinct provider names (a letter, then letters or digits, at most 32)", v)
			return
		}
		seen[name] = true
		p := IdentityProvider{Name: name, GitHub: name == "github", Label: defaultLabel(name)}
		prefix := "OIDC_" + strings.ToUpper(name) + "_"
		r.required(prefix+"CLIENT_ID", &p.ClientID)
		r.required(prefix+"CLIENT_SECRET", &p.ClientSecret)
		if l, ok := r.get(prefix + "LABEL"); ok {
			if len(l) > 64 {
				r.fail(prefix+"LABEL", "at most 64 bytes", l)
			}
			p.Label = l
		}
		if s, ok := r.get(prefix + "AUDIENCES"); ok {
			for _, a := range strings.Split(s, ",") {
				if a = strings.TrimSpace(a); a != "" {
					p.Audiences = append(p.Audiences, a)
				}
			}
		}
		if p.GitHub {
			r.rootURL(prefix+"BASE_URL", &p.BaseURL)
			r.rootURL(prefix+"API_URL", &p.APIURL)
		} else {
			if name == "google" {
				p.Issuer = GoogleIssuer
			}
			r.rootURL(prefix+"ISSUER", &p.Issuer)
			if p.Issuer == "" && r.err == nil {
				r.fail(prefix+"ISSUER", "the provider's issuer URL, such as https://login.example.com/realms/main", "")
			}
		}
		if r.err != nil {
			return
		}
		*dst = append(*dst, p)
	}
}

// required reads a value that must be set; it is never echoed (it may be
// a secret).
func (r *reader) required(name string, dst *string) {
	v, ok := r.get(name)
	if r.err != nil {
		return
	}
	if !ok {
		r.fail(name, "set for a provider listed in OIDC_PROVIDERS", "")
		return
	}
	*dst = v
}

// rootURL reads an absolute http or https URL without user, query or
// fragment, kept exactly as given (an issuer must match the provider's
// own spelling).
func (r *reader) rootURL(name string, dst *string) {
	v, ok := r.get(name)
	if !ok {
		return
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" ||
		u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		r.fail(name, "an absolute http or https URL without user, query or fragment", v)
		return
	}
	*dst = v
}

func defaultLabel(name string) string {
	switch name {
	case "google":
		return "Google"
	case "github":
		return "GitHub"
	}
	return strings.ToUpper(name[:1]) + name[1:]
}
