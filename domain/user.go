package domain

import "time"

// UserID identifies a user. Zero means "not stored yet".
type UserID int64

// User is an account. PasswordHash is an encoded hash (a PHC string for
// argon2id); the plaintext never reaches an entity.
type User struct {
	ID           UserID
	Username     Username
	PasswordHash string
	CreatedAt    time.Time
	Role         Role
	// Disabled accounts cannot log in and have no sessions.
	Disabled bool
	// MustChangePassword asks the user for a new password at the next
	// login (set for imported passwords the policy would now refuse).
	MustChangePassword bool
}

// IsAdmin reports whether u may manage other accounts.
func (u User) IsAdmin() bool { return u.Role == RoleAdmin && !u.Disabled }
