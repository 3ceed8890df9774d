package api

import "net/netip"

// Config holds the settings the API adapter reads. The body limit is the
// server's, shared with the site.
type Config struct {
	// TrustedProxies are the peers whose X-Forwarded-For is believed, as
	// on the site.
	TrustedProxies []netip.Prefix
}
