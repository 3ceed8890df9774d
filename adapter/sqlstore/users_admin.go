package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/gatehouse/gatehouse/domain"
)

// notLastAdmin is a WHERE condition that holds for every account except
// the only enabled admin. It is part of the one UPDATE or DELETE it
// guards: SQLite runs a single statement under the write lock, so two
// admins demoting each other at once cannot both pass it, which a read
// followed by a write could. A disabled admin counts as no admin.
const notLastAdmin = "NOT (?TableAlias.role = ? AND ?TableAlias.disabled = 0" +
	" AND (SELECT count(*) FROM users AS admins WHERE admins.role = ? AND admins.disabled = 0) <= 1)"

// Delete removes the account with id and, by cascade, its sessions; its
// security events stay, and its username becomes free. It returns an
// error wrapping domain.ErrLastAdmin, deleting nothing, when the account
// is the only enabled admin, and one wrapping domain.ErrNotFound when
// there is no such account.
func (s *UserStore) Delete(ctx context.Context, id domain.UserID) error {
	res, err := s.db.NewDelete().Model((*userRow)(nil)).
		Where("id = ?", int64(id)).
		Where(notLastAdmin, domain.RoleAdmin, domain.RoleAdmin).
		Exec(ctx)
	if err := s.guarded(ctx, id, res, err); err != nil {
		return fmt.Errorf("sqlstore: delete user %d: %w", id, err)
	}
	return nil
}

// SetDisabled disables or enables the account with id. It returns an
// error wrapping domain.ErrLastAdmin, changing nothing, when that would
// disable the only enabled admin, and one wrapping domain.ErrNotFound when
// there is no such account. It leaves the account's sessions alone.
func (s *UserStore) SetDisabled(ctx context.Context, id domain.UserID, disabled bool) error {
	q := s.db.NewUpdate().Model((*userRow)(nil)).
		Set("disabled = ?", disabled).
		Where("id = ?", int64(id))
	if !disabled {
		if err := affectedOne(q.Exec(ctx)); err != nil {
			return fmt.Errorf("sqlstore: enable user %d: %w", id, err)
		}
		return nil
	}
	res, err := q.Where(notLastAdmin, domain.RoleAdmin, domain.RoleAdmin).Exec(ctx)
	if err := s.guarded(ctx, id, res, err); err != nil {
		return fmt.Errorf("sqlstore: disable user %d: %w", id, err)
	}
	return nil
}

// SetRole gives the account with id role. It returns an error wrapping
// domain.ErrLastAdmin, changing nothing, when that would demote the only
// enabled admin, one wrapping domain.ErrNotFound when there is no such
// account, and an error for a role that is neither user nor admin.
func (s *UserStore) SetRole(ctx context.Context, id domain.UserID, role domain.Role) error {
	if _, err := domain.ParseRole(string(role)); err != nil {
		return fmt.Errorf("sqlstore: set role of user %d: %w", id, err)
	}
	q := s.db.NewUpdate().Model((*userRow)(nil)).
		Set("role = ?", role).
		Where("id = ?", int64(id))
	if role == domain.RoleAdmin {
		if err := affectedOne(q.Exec(ctx)); err != nil {
			return fmt.Errorf("sqlstore: set role of user %d to %s: %w", id, role, err)
		}
		return nil
	}
	res, err := q.Where(notLastAdmin, domain.RoleAdmin, domain.RoleAdmin).Exec(ctx)
	if err := s.guarded(ctx, id, res, err); err != nil {
		return fmt.Errorf("sqlstore: set role of user %d to %s: %w", id, role, err)
	}
	return nil
}

// guarded checks the outcome of a statement on the account with id that
// notLastAdmin guards: when no row changed, a follow-up read tells a
// missing account (domain.ErrNotFound) from the guard
// (domain.ErrLastAdmin).
func (s *UserStore) guarded(ctx context.Context, id domain.UserID, res sql.Result, err error) error {
	if err != nil {
		return translate(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return translate(err)
	}
	if n > 0 {
		return nil
	}
	exists, err := s.db.NewSelect().Model((*userRow)(nil)).Where("id = ?", int64(id)).Exists(ctx)
	switch {
	case err != nil:
		return translate(err)
	case !exists:
		return domain.ErrNotFound
	}
	return domain.ErrLastAdmin
}
