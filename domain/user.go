package domain

import "time"

// UserID identifies a user. Zero means "not stored yet".
type UserID int64

// User is an account. PasswordHash is an encoded hash (a PHC string for
// argon2id); the plaintext never reaches an entity.
type User struct {
	ID       UserID
	Username Username
	// DisplayName is the name the owner chose to be greeted by; zero
	// when none was chosen (ShownName then falls back to the username).
	DisplayName  DisplayName
	PasswordHash string
	CreatedAt    time.Time
	Role         Role
	// Disabled accounts cannot log in and have no sessions.
	Disabled bool
	// MustChangePassword asks the user for a new password at the next
	// login (set for imported passwords the policy would now refuse).
	MustChangePassword bool
	// CredentialVersion counts the account's credential changes: it is 1
	// for a new account and goes up by one with every new password (the
	// owner's change, an admin's or the operator's reset), never with a
	// rehash of the same password. A session keeps the version it was
	// started under and counts only while the account still has it, so
	// no session started before a credential change outlives it.
	CredentialVersion int64
	// Email is the account's verified address, zero for none: an address
	// becomes the account's only once a code sent to it came back.
	Email EmailAddress
}

// FirstCredentialVersion is the credential version of a new account.
const FirstCredentialVersion = 1

// IsAdmin reports whether u may manage other accounts.
func (u User) IsAdmin() bool { return u.Role == RoleAdmin && !u.Disabled }

// ShownName is the name the account's owner is greeted by: the display
// name when one is set, the username otherwise.
func (u User) ShownName() string {
	if !u.DisplayName.IsZero() {
		return u.DisplayName.String()
	}
	return u.Username.String()
}
