package sqlstore

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

var (
	_ usecase.UserCreator     = (*UserStore)(nil)
	_ usecase.CredentialStore = (*UserStore)(nil)
	_ usecase.AccountStore    = (*UserStore)(nil)
	_ usecase.UserDirectory   = (*UserStore)(nil)
)

// userRow is a row of the users table.
type userRow struct {
	bun.BaseModel `bun:"table:users,alias:u"`

	ID                 int64  `bun:"id,pk,autoincrement"`
	Username           string `bun:"username,notnull"`
	UsernameCanonical  string `bun:"username_canonical,notnull"`
	UsernameSkeleton   string `bun:"username_skeleton,nullzero"`
	DisplayName        string `bun:"display_name,nullzero"`
	PasswordHash       string `bun:"password_hash,notnull"`
	CreatedAt          int64  `bun:"created_at,notnull"`
	Role               string `bun:"role,notnull"`
	Disabled           bool   `bun:"disabled,notnull"`
	MustChangePassword bool   `bun:"must_change_password,notnull"`
	CredentialVersion  int64  `bun:"credential_version,notnull"`
	Email              string `bun:"email,nullzero"`
	EmailCanonical     string `bun:"email_canonical,nullzero"`
}

// newUserRow converts u to a row; the username goes in all three forms.
func newUserRow(u domain.User) userRow {
	return userRow{
		ID:                 int64(u.ID),
		Username:           u.Username.String(),
		UsernameCanonical:  u.Username.Canonical(),
		UsernameSkeleton:   u.Username.Skeleton(),
		DisplayName:        u.DisplayName.String(),
		PasswordHash:       u.PasswordHash,
		CreatedAt:          toMillis(u.CreatedAt),
		Role:               string(u.Role),
		Disabled:           u.Disabled,
		MustChangePassword: u.MustChangePassword,
		CredentialVersion:  u.CredentialVersion,
		Email:              u.Email.String(),
		EmailCanonical:     emailCanonical(u.Email),
	}
}

// emailCanonical is a's canonical form, "" (stored as NULL) for none.
func emailCanonical(a domain.EmailAddress) string {
	if a.IsZero() {
		return ""
	}
	return a.Canonical()
}

// user converts r back to an entity, rebuilding the Username and the
// DisplayName (NULL is none).
func (r userRow) user() domain.User {
	return domain.User{
		ID:                 domain.UserID(r.ID),
		Username:           domain.RestoreUsername(r.Username),
		DisplayName:        domain.RestoreDisplayName(r.DisplayName),
		PasswordHash:       r.PasswordHash,
		CreatedAt:          fromMillis(r.CreatedAt),
		Role:               domain.Role(r.Role),
		Disabled:           r.Disabled,
		MustChangePassword: r.MustChangePassword,
		CredentialVersion:  r.CredentialVersion,
		Email:              domain.RestoreEmailAddress(r.Email),
	}
}

// UserStore keeps accounts in the users table.
type UserStore struct {
	db *bun.DB
}

// NewUserStore returns a UserStore on db, which must be migrated.
func NewUserStore(db *bun.DB) *UserStore {
	return &UserStore{db: db}
}

// Create stores u under a new ID and returns it as stored, with CreatedAt
// at millisecond precision in UTC, an empty Role stored as
// domain.RoleUser, and domain.FirstCredentialVersion. u.ID and
// u.CredentialVersion are ignored. It returns an error wrapping
// domain.ErrUsernameTaken when another account has the same canonical
// username or the same skeleton (two unique indexes decide, so two
// creations that race cannot both win), and an error for a Role that is
// neither user nor admin.
func (s *UserStore) Create(ctx context.Context, u domain.User) (domain.User, error) {
	if u.Role == "" {
		u.Role = domain.RoleUser
	}
	if _, err := domain.ParseRole(string(u.Role)); err != nil {
		return domain.User{}, fmt.Errorf("sqlstore: create user %q: %w", u.Username, err)
	}
	row := newUserRow(u)
	row.ID = 0
	row.CredentialVersion = domain.FirstCredentialVersion
	if _, err := s.db.NewInsert().Model(&row).Returning("id").Exec(ctx); err != nil {
		if isUsernameTaken(err) {
			return domain.User{}, fmt.Errorf("sqlstore: create user %q: %w", u.Username, domain.ErrUsernameTaken)
		}
		return domain.User{}, fmt.Errorf("sqlstore: create user %q: %w", u.Username, translate(err))
	}
	return row.user(), nil
}

// ByUsername returns the account whose canonical username equals name's,
// or an error wrapping domain.ErrNotFound.
func (s *UserStore) ByUsername(ctx context.Context, name domain.Username) (domain.User, error) {
	var row userRow
	err := s.db.NewSelect().Model(&row).
		Where("username_canonical = ?", name.Canonical()).
		Scan(ctx)
	if err != nil {
		return domain.User{}, fmt.Errorf("sqlstore: user %q: %w", name, translate(err))
	}
	return row.user(), nil
}

// ByID returns the account with id, or an error wrapping
// domain.ErrNotFound.
func (s *UserStore) ByID(ctx context.Context, id domain.UserID) (domain.User, error) {
	var row userRow
	if err := s.db.NewSelect().Model(&row).Where("id = ?", int64(id)).Scan(ctx); err != nil {
		return domain.User{}, fmt.Errorf("sqlstore: user %d: %w", id, translate(err))
	}
	return row.user(), nil
}

// UpdatePasswordHash replaces the password hash of the account with id by
// hash, provided it is still old, in one compare-and-swap statement, and
// reports whether it did. When the account has another hash by then (a
// newer password was set meanwhile) it changes nothing and reports false.
// It keeps the credential version: the password is the same, so the
// account's sessions stay valid.
// It returns an error wrapping domain.ErrNotFound when there is no such
// account.
func (s *UserStore) UpdatePasswordHash(ctx context.Context, id domain.UserID, old, hash string) (bool, error) {
	n, err := affected(s.db.NewUpdate().Model((*userRow)(nil)).
		Set("password_hash = ?", hash).
		Where("id = ?", int64(id)).
		Where("password_hash = ?", old).
		Exec(ctx))
	if err != nil {
		return false, fmt.Errorf("sqlstore: update password hash of user %d: %w", id, translate(err))
	}
	if n > 0 {
		return true, nil
	}
	// No row matched: the hash moved on, or the account is gone. Only
	// this rare path pays for the read that tells which.
	exists, err := s.db.NewSelect().Model((*userRow)(nil)).Where("id = ?", int64(id)).Exists(ctx)
	switch {
	case err != nil:
		return false, fmt.Errorf("sqlstore: update password hash of user %d: %w", id, translate(err))
	case !exists:
		return false, fmt.Errorf("sqlstore: update password hash of user %d: %w", id, domain.ErrNotFound)
	}
	return false, nil
}

// SetPassword replaces the password hash of the account with id, sets
// its MustChangePassword flag to mustChange and moves its credential
// version on by one, in one UPDATE, and returns the new version: every
// session started under an older version stops counting, and none can be
// started under one. It returns an error wrapping domain.ErrNotFound when
// there is no such account.
func (s *UserStore) SetPassword(ctx context.Context, id domain.UserID, hash string, mustChange bool) (int64, error) {
	version, err := setPassword(ctx, s.db, id, hash, mustChange)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: set password of user %d: %w", id, translate(err))
	}
	return version, nil
}

// setPassword is SetPassword's one UPDATE on db (the database or a
// transaction): the new version, or domain.ErrNotFound.
func setPassword(ctx context.Context, db bun.IDB, id domain.UserID, hash string, mustChange bool) (int64, error) {
	var version []int64
	err := db.NewUpdate().Model((*userRow)(nil)).
		Set("password_hash = ?", hash).
		Set("must_change_password = ?", mustChange).
		Set("credential_version = credential_version + 1").
		Where("id = ?", int64(id)).
		Returning("credential_version").
		Scan(ctx, &version)
	switch {
	case err != nil:
		return 0, err
	case len(version) == 0:
		return 0, domain.ErrNotFound
	}
	return version[0], nil
}

// SetDisplayName replaces the display name of the account with id by
// name, or clears it (NULL) when name is the zero DisplayName, and
// changes nothing else. It returns an error wrapping domain.ErrNotFound
// when there is no such account.
func (s *UserStore) SetDisplayName(ctx context.Context, id domain.UserID, name domain.DisplayName) error {
	var value any // NULL for none
	if !name.IsZero() {
		value = name.String()
	}
	res, err := s.db.NewUpdate().Model((*userRow)(nil)).
		Set("display_name = ?", value).
		Where("id = ?", int64(id)).
		Exec(ctx)
	if err := affectedOne(res, err); err != nil {
		return fmt.Errorf("sqlstore: set display name of user %d: %w", id, err)
	}
	return nil
}
