package web

import (
	"net/netip"
	"time"
)

// Config holds the settings the web adapter reads.
type Config struct {
	// CookieSecure marks cookies Secure and gives them the __Host- prefix;
	// it also turns on Strict-Transport-Security. Set it behind TLS.
	CookieSecure bool
	// RememberFor is the Max-Age of a "remember me" session cookie.
	RememberFor time.Duration
	// LastVisitMaxAge is the Max-Age of the last_visit cookie.
	LastVisitMaxAge time.Duration
	// SecretKey keys the HMACs of the last_visit cookie and CSRF tokens.
	SecretKey []byte
	// TrustedProxies are the peers whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// Require2FAForAdmins sends an admin without a second factor to
	// /account/2fa before any admin page.
	Require2FAForAdmins bool
}
