package database

import (
	"net/url"
	"strings"
)

// Redact returns rawURL for a log line: a password in its user part or in
// a password parameter is replaced by "xxxxx", and a URL too malformed to
// tell where its password is shows only its scheme.
func Redact(rawURL string) string {
	scheme, _, ok := strings.Cut(rawURL, "://")
	if !ok {
		return rawURL // sqlite:PATH has no place for a password
	}
	u, err := url.Parse(rawURL)
	// A password with an unencoded '/' parses as a port and a path.
	if err != nil || u.User == nil && strings.Contains(u.Path, "@") {
		return scheme + "://(malformed URL not shown)"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}
