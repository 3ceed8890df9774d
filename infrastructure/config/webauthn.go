package config

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// webauthn reads WEBAUTHN_RP_ID and WEBAUTHN_ORIGINS into c, defaulting
// from c.PublicURL: the RP ID is its host, the origin its scheme, host
// and port. An IP address is never an RP ID (browsers refuse one): set
// explicitly it stops the start; derived from a PUBLIC_URL at an IP it
// leaves passkeys off (WebAuthnRPID empty).
func (r *reader) webauthn(c *Config) {
	public, _ := url.Parse(c.PublicURL)
	rpID := ""
	if public != nil {
		rpID = strings.ToLower(public.Hostname())
	}
	if _, err := netip.ParseAddr(rpID); err == nil {
		rpID = ""
	}
	if v, ok := r.get("WEBAUTHN_RP_ID"); ok {
		id, err := parseRPID(v)
		if err != nil {
			r.err = fmt.Errorf("config: WEBAUTHN_RP_ID must be %v, got %q", err, v)
			return
		}
		rpID = id
	}
	var origins []string
	if public != nil && public.Host != "" {
		origins = []string{public.Scheme + "://" + strings.ToLower(public.Host)}
	}
	if v, ok := r.get("WEBAUTHN_ORIGINS"); ok {
		origins = nil
		for _, part := range strings.Split(v, ",") {
			o, err := parseOrigin(strings.TrimSpace(part))
			if err != nil {
				r.err = fmt.Errorf("config: WEBAUTHN_ORIGINS must be %v, got %q", err, v)
				return
			}
			origins = append(origins, o)
		}
	}
	if r.err != nil {
		return
	}
	if rpID != "" {
		for _, o := range origins {
			u, _ := url.Parse(o)
			if h := u.Hostname(); h != rpID && !strings.HasSuffix(h, "."+rpID) {
				r.err = fmt.Errorf("config: WEBAUTHN_ORIGINS: the origin %s is not on the RP ID %s (WEBAUTHN_RP_ID, or PUBLIC_URL's host) nor a subdomain of it: browsers would refuse every passkey", o, rpID)
				return
			}
		}
	}
	c.WebAuthnRPID, c.WebAuthnOrigins = rpID, origins
}

// parseRPID checks a relying party ID: a domain name, lower case, without
// scheme, port or path.
func parseRPID(v string) (string, error) {
	const want = "a domain name such as login.example.com (no scheme, port or path)"
	v = strings.ToLower(v)
	if _, err := netip.ParseAddr(strings.Trim(v, "[]")); err == nil {
		return "", fmt.Errorf("%s, not an IP address: browsers refuse an IP address as a WebAuthn RP ID", want)
	}
	if v == "" || len(v) > 253 || strings.HasPrefix(v, ".") || strings.HasSuffix(v, ".") || strings.Contains(v, "..") {
		return "", fmt.Errorf("%s", want)
	}
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return "", fmt.Errorf("%s", want)
		}
	}
	return v, nil
}

// parseOrigin checks a web origin: http or https, a host, an optional
// port, nothing else.
func parseOrigin(v string) (string, error) {
	const want = "comma-separated origins such as https://login.example.com (scheme, host and port only)"
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return "", fmt.Errorf("%s", want)
	}
	return u.Scheme + "://" + strings.ToLower(u.Host), nil
}
