package domain

import "time"

// TOTP is an account's authenticator-app secret (RFC 6238), sealed: the
// store never holds it in clear.
type TOTP struct {
	UserID UserID
	// Sealed is the secret as the sealer returned it.
	Sealed []byte
	// EnabledAt is zero while the enrollment awaits its first code.
	EnabledAt time.Time
	// LastStep is the newest time step whose code was accepted; a code
	// of that step or an older one is refused.
	LastStep  int64
	CreatedAt time.Time
}

// Enabled reports whether a code confirmed the secret, so that logins
// ask for one.
func (t TOTP) Enabled() bool { return !t.EnabledAt.IsZero() }
