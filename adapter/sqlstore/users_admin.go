package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"github.com/gatehouse/gatehouse/domain"
)

// notLastAdmin is a WHERE condition that holds for every account except
// the only enabled admin. It is part of the one UPDATE or DELETE it
// guards, which runs in a transaction that first serializes every guarded
// change (see lockAdmins): two admins demoting each other at once cannot
// both pass it, which a read followed by a write could. A disabled admin
// counts as no admin.
const notLastAdmin = "NOT (?TableAlias.role = ? AND NOT ?TableAlias.disabled" +
	" AND (SELECT count(*) FROM users AS admins WHERE admins.role = ? AND NOT admins.disabled) <= 1)"

// Delete removes the account with id and, by cascade, its sessions; its
// security events stay, and its username becomes free. It returns an
// error wrapping domain.ErrLastAdmin, deleting nothing, when the account
// is the only enabled admin, and one wrapping domain.ErrNotFound when
// there is no such account.
func (s *UserStore) Delete(ctx context.Context, id domain.UserID) error {
	err := s.guard(ctx, id, func(ctx context.Context, tx bun.Tx) (sql.Result, error) {
		return tx.NewDelete().Model((*userRow)(nil)).
			Where("id = ?", int64(id)).
			Where(notLastAdmin, domain.RoleAdmin, domain.RoleAdmin).
			Exec(ctx)
	})
	if err != nil {
		return fmt.Errorf("sqlstore: delete user %d: %w", id, err)
	}
	return nil
}

// SetDisabled disables or enables the account with id. It returns an
// error wrapping domain.ErrLastAdmin, changing nothing, when that would
// disable the only enabled admin, and one wrapping domain.ErrNotFound when
// there is no such account. It leaves the account's sessions alone.
func (s *UserStore) SetDisabled(ctx context.Context, id domain.UserID, disabled bool) error {
	if !disabled {
		res, err := s.db.NewUpdate().Model((*userRow)(nil)).
			Set("disabled = ?", false).
			Where("id = ?", int64(id)).
			Exec(ctx)
		if err := affectedOne(res, err); err != nil {
			return fmt.Errorf("sqlstore: enable user %d: %w", id, err)
		}
		return nil
	}
	err := s.guard(ctx, id, func(ctx context.Context, tx bun.Tx) (sql.Result, error) {
		return tx.NewUpdate().Model((*userRow)(nil)).
			Set("disabled = ?", true).
			Where("id = ?", int64(id)).
			Where(notLastAdmin, domain.RoleAdmin, domain.RoleAdmin).
			Exec(ctx)
	})
	if err != nil {
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
	if role == domain.RoleAdmin {
		res, err := s.db.NewUpdate().Model((*userRow)(nil)).
			Set("role = ?", role).
			Where("id = ?", int64(id)).
			Exec(ctx)
		if err := affectedOne(res, err); err != nil {
			return fmt.Errorf("sqlstore: set role of user %d to %s: %w", id, role, err)
		}
		return nil
	}
	err := s.guard(ctx, id, func(ctx context.Context, tx bun.Tx) (sql.Result, error) {
		return tx.NewUpdate().Model((*userRow)(nil)).
			Set("role = ?", role).
			Where("id = ?", int64(id)).
			Where(notLastAdmin, domain.RoleAdmin, domain.RoleAdmin).
			Exec(ctx)
	})
	if err != nil {
		return fmt.Errorf("sqlstore: set role of user %d to %s: %w", id, role, err)
	}
	return nil
}

// guard runs change, a statement on the account with id that notLastAdmin
// guards, in a transaction after lockAdmins. When no row changed, a
// follow-up read tells a missing account (domain.ErrNotFound) from the
// guard (domain.ErrLastAdmin). Driver errors come back translated.
func (s *UserStore) guard(ctx context.Context, id domain.UserID, change func(context.Context, bun.Tx) (sql.Result, error)) error {
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := lockAdmins(ctx, tx); err != nil {
			return err
		}
		n, err := affected(change(ctx, tx))
		if err != nil || n > 0 {
			return err
		}
		exists, err := tx.NewSelect().Model((*userRow)(nil)).Where("id = ?", int64(id)).Exists(ctx)
		switch {
		case err != nil:
			return err
		case !exists:
			return domain.ErrNotFound
		}
		return domain.ErrLastAdmin
	})
	return translate(err)
}

// lockAdmins makes the guarded changes of concurrent transactions run one
// after the other, so each counts the admins the one before it left.
// PostgreSQL, whose transactions run side by side, locks the rows of the
// enabled admins until tx ends, in ID order so that two transactions
// never deadlock; a second change waits, and its statement then sees the
// first one's result. SQLite needs nothing: BEGIN takes the database's
// write lock (_txlock=immediate).
func lockAdmins(ctx context.Context, tx bun.Tx) error {
	if tx.Dialect().Name() != dialect.PG {
		return nil
	}
	var ids []int64
	return tx.NewSelect().Model((*userRow)(nil)).
		Column("id").
		Where("role = ?", domain.RoleAdmin).
		Where("NOT disabled").
		OrderExpr("id").
		For("UPDATE").
		Scan(ctx, &ids)
}
