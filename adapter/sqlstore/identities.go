package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

var _ usecase.IdentityStore = (*IdentityStore)(nil)

// identityRow is a row of the identities table.
type identityRow struct {
	bun.BaseModel `bun:"table:identities,alias:i"`

	ID       int64  `bun:"id,pk,autoincrement"`
	UserID   int64  `bun:"user_id,notnull"`
	Provider string `bun:"provider,notnull"`
	Subject  string `bun:"subject,notnull"`
	Name     string `bun:"name,notnull"`
	LinkedAt int64  `bun:"linked_at,notnull"`
}

func (r identityRow) identity() domain.Identity {
	return domain.Identity{
		UserID: domain.UserID(r.UserID), Provider: r.Provider, Subject: r.Subject,
		Name: r.Name, LinkedAt: fromMillis(r.LinkedAt),
	}
}

func newIdentityRow(id domain.Identity) identityRow {
	return identityRow{
		UserID: int64(id.UserID), Provider: id.Provider, Subject: id.Subject,
		Name: id.Name, LinkedAt: toMillis(id.LinkedAt),
	}
}

// IdentityStore keeps the identities linked to accounts in the identities
// table.
type IdentityStore struct {
	db *bun.DB
}

// NewIdentityStore returns an IdentityStore on db, which must be migrated.
func NewIdentityStore(db *bun.DB) *IdentityStore {
	return &IdentityStore{db: db}
}

// BySubject returns the identity of provider with subject.
func (s *IdentityStore) BySubject(ctx context.Context, provider, subject string) (domain.Identity, error) {
	var row identityRow
	err := s.db.NewSelect().Model(&row).Where("provider = ?", provider).Where("subject = ?", subject).Scan(ctx)
	if err != nil {
		return domain.Identity{}, fmt.Errorf("sqlstore: %s identity: %w", provider, translate(err))
	}
	return row.identity(), nil
}

// ListByUser returns user's identities ordered by provider.
func (s *IdentityStore) ListByUser(ctx context.Context, user domain.UserID) ([]domain.Identity, error) {
	var rows []identityRow
	if err := s.db.NewSelect().Model(&rows).Where("user_id = ?", int64(user)).Order("provider").Scan(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: identities of user %d: %w", user, translate(err))
	}
	out := make([]domain.Identity, len(rows))
	for i, r := range rows {
		out[i] = r.identity()
	}
	return out, nil
}

// insertIdentity stores id in tx, translating the unique indexes into
// domain.ErrIdentityTaken and a missing account into domain.ErrNotFound.
func insertIdentity(ctx context.Context, tx bun.IDB, id domain.Identity) error {
	row := newIdentityRow(id)
	if _, err := tx.NewInsert().Model(&row).Returning("NULL").Exec(ctx); err != nil {
		switch {
		case isUniqueViolation(err):
			return domain.ErrIdentityTaken
		case isForeignKeyViolation(err):
			return domain.ErrNotFound
		}
		return err
	}
	return nil
}

// Link stores id and events in one transaction.
func (s *IdentityStore) Link(ctx context.Context, id domain.Identity, events ...domain.SecurityEvent) error {
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := insertIdentity(ctx, tx, id); err != nil {
			return err
		}
		return recordEvents(ctx, tx, events)
	})
	if err != nil {
		return fmt.Errorf("sqlstore: link %s identity to user %d: %w", id.Provider, id.UserID, translate(err))
	}
	return nil
}

// CreateAccount creates u, links id to it and stores events with the new
// account's id, in one transaction.
func (s *IdentityStore) CreateAccount(ctx context.Context, u domain.User, id domain.Identity, events ...domain.SecurityEvent) (domain.User, error) {
	if u.Role == "" {
		u.Role = domain.RoleUser
	}
	if _, err := domain.ParseRole(string(u.Role)); err != nil {
		return domain.User{}, fmt.Errorf("sqlstore: create user %q: %w", u.Username, err)
	}
	row := newUserRow(u)
	row.ID = 0
	row.CredentialVersion = domain.FirstCredentialVersion
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(&row).Returning("id").Exec(ctx); err != nil {
			switch {
			case isUsernameTaken(err):
				return domain.ErrUsernameTaken
			case isUniqueViolation(err):
				return domain.ErrEmailTaken
			}
			return err
		}
		id.UserID = domain.UserID(row.ID)
		if err := insertIdentity(ctx, tx, id); err != nil {
			return err
		}
		for i := range events {
			events[i].UserID = id.UserID
		}
		return recordEvents(ctx, tx, events)
	})
	if err != nil {
		return domain.User{}, fmt.Errorf("sqlstore: create user %q with a %s identity: %w", u.Username, id.Provider, translate(err))
	}
	return row.user(), nil
}

// Unlink deletes user's identity of provider while the account keeps a
// password or another identity: the condition is in the DELETE itself.
func (s *IdentityStore) Unlink(ctx context.Context, user domain.UserID, provider string, events ...domain.SecurityEvent) error {
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewDelete().Model((*identityRow)(nil)).
			Where("user_id = ?", int64(user)).Where("provider = ?", provider).
			Where("(EXISTS (SELECT 1 FROM users AS u WHERE u.id = ? AND u.password_hash <> '')"+
				" OR EXISTS (SELECT 1 FROM identities AS other WHERE other.user_id = ? AND other.provider <> ?))",
				int64(user), int64(user), provider).
			Exec(ctx)
		if err := affectedOne(res, err); err != nil {
			if !errors.Is(err, domain.ErrNotFound) {
				return err
			}
			n, err := tx.NewSelect().Model((*identityRow)(nil)).Where("user_id = ?", int64(user)).Where("provider = ?", provider).Count(ctx)
			if err != nil {
				return err
			}
			if n > 0 {
				return domain.ErrLastSignInMethod
			}
			return domain.ErrNotFound
		}
		return recordEvents(ctx, tx, events)
	})
	if err != nil {
		return fmt.Errorf("sqlstore: unlink %s from user %d: %w", provider, user, translate(err))
	}
	return nil
}

// recordEvents stores events in tx.
func recordEvents(ctx context.Context, tx bun.IDB, events []domain.SecurityEvent) error {
	for _, e := range events {
		if err := recordEvent(ctx, tx, e); err != nil {
			return err
		}
	}
	return nil
}
