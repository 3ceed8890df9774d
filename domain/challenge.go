package domain

import "time"

// LoginChallenge is a login half done: the password was right, the second
// factor is still to come. Only its token's hash is kept; it is used once
// and expires.
type LoginChallenge struct {
	TokenHash TokenHash
	UserID    UserID
	// CredentialVersion is the account's when the password was checked:
	// the session the challenge ends in is started under it.
	CredentialVersion int64
	// Remember is the login form's "remember me", kept for the session.
	Remember  bool
	CreatedAt time.Time
	ExpiresAt time.Time
}
