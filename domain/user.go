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
}
