package web

import "time"

// Config holds the settings the web adapter reads.
type Config struct {
	// CookieSecure marks cookies Secure and gives them the __Host- prefix;
	// it also turns on Strict-Transport-Security. Set it behind TLS.
	CookieSecure bool
	// RememberFor is the Max-Age of a "remember me" session cookie.
	RememberFor time.Duration
	// LastVisitMaxAge is the Max-Age of the last_visit cookie.
	LastVisitMaxAge time.Duration
	// SecretKey signs the last_visit cookie.
	SecretKey []byte
}
