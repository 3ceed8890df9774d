package database

import "net/url"

// Redact returns rawURL with any password replaced, for log lines.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.User == nil {
		return rawURL
	}
	return u.Redacted()
}
