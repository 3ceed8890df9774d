package usecase

import (
	"context"
	"time"

	"github.com/gatehouse/gatehouse/domain"
)

// AccountStore changes and removes accounts.
type AccountStore interface {
	ByID(ctx context.Context, id domain.UserID) (domain.User, error)
	ByUsername(ctx context.Context, name domain.Username) (domain.User, error)
	// SetPassword replaces the hash and sets MustChangePassword.
	SetPassword(ctx context.Context, id domain.UserID, hash string, mustChange bool) error
	// Delete removes the account and, by cascade, its sessions; the name
	// becomes free. It returns domain.ErrLastAdmin, changing nothing,
	// when the account is the only enabled admin.
	Delete(ctx context.Context, id domain.UserID) error
}

// UserDirectory lists accounts and changes their standing. The guards on
// the last admin are the store's, so that two admins demoting each other
// at once cannot both succeed.
type UserDirectory interface {
	List(ctx context.Context, q UserQuery) (UserPage, error)
	// SetDisabled returns domain.ErrLastAdmin, changing nothing, when it
	// would disable the only enabled admin.
	SetDisabled(ctx context.Context, id domain.UserID, disabled bool) error
	// SetRole returns domain.ErrLastAdmin, changing nothing, when it would
	// demote the only enabled admin.
	SetRole(ctx context.Context, id domain.UserID, role domain.Role) error
}

// UserQuery selects a page of accounts.
type UserQuery struct {
	// Search matches canonical usernames containing it; "" matches all.
	Search string
	Offset int
	Limit  int
	// Now decides which sessions count as active.
	Now time.Time
}

// UserSummary is one row of the admin's list.
type UserSummary struct {
	User           domain.User
	LastLoginAt    time.Time // zero when never
	ActiveSessions int
}

// UserPage is one page of accounts, ordered by username, and how many
// match in all.
type UserPage struct {
	Users []UserSummary
	Total int
}
