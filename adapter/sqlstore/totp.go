package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

var _ usecase.TOTPStore = (*TOTPStore)(nil)

// totpRow is a row of the totp_secrets table.
type totpRow struct {
	bun.BaseModel `bun:"table:totp_secrets,alias:ts"`

	UserID    int64         `bun:"user_id,pk"`
	Sealed    []byte        `bun:"sealed,notnull"`
	EnabledAt sql.NullInt64 `bun:"enabled_at"`
	LastStep  int64         `bun:"last_step,notnull"`
	CreatedAt int64         `bun:"created_at,notnull"`
}

func (r totpRow) totp() domain.TOTP {
	t := domain.TOTP{UserID: domain.UserID(r.UserID), Sealed: r.Sealed, LastStep: r.LastStep, CreatedAt: fromMillis(r.CreatedAt)}
	if r.EnabledAt.Valid {
		t.EnabledAt = fromMillis(r.EnabledAt.Int64)
	}
	return t
}

// TOTPStore keeps authenticator-app secrets in the totp_secrets table.
type TOTPStore struct {
	db *bun.DB
}

// NewTOTPStore returns a TOTPStore on db, which must be migrated.
func NewTOTPStore(db *bun.DB) *TOTPStore {
	return &TOTPStore{db: db}
}

// ByUser returns user's secret or domain.ErrNotFound.
func (s *TOTPStore) ByUser(ctx context.Context, user domain.UserID) (domain.TOTP, error) {
	var row totpRow
	err := s.db.NewSelect().Model(&row).Where("user_id = ?", int64(user)).Scan(ctx)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			err = domain.ErrNotFound
		}
		return domain.TOTP{}, fmt.Errorf("sqlstore: totp of user %d: %w", user, translate(err))
	}
	return row.totp(), nil
}

// PutPending inserts t's secret, or replaces a pending one, in one
// statement whose conflict clause leaves an enabled secret alone.
func (s *TOTPStore) PutPending(ctx context.Context, t domain.TOTP) (bool, error) {
	row := totpRow{UserID: int64(t.UserID), Sealed: t.Sealed, CreatedAt: toMillis(t.CreatedAt)}
	n, err := affected(s.db.NewInsert().Model(&row).
		On("CONFLICT (user_id) DO UPDATE").
		Set("sealed = EXCLUDED.sealed").
		Set("created_at = EXCLUDED.created_at").
		Set("last_step = 0").
		Where("ts.enabled_at IS NULL").
		Returning("NULL").
		Exec(ctx))
	if err != nil {
		if isForeignKeyViolation(err) {
			err = domain.ErrNotFound
		}
		return false, fmt.Errorf("sqlstore: put pending totp of user %d: %w", t.UserID, translate(err))
	}
	return n == 1, nil
}

// Enable marks the pending secret enabled, replaces the recovery codes by
// recovery and moves the credential version on in one transaction.
func (s *TOTPStore) Enable(ctx context.Context, user domain.UserID, step int64, at time.Time, recovery ...[]byte) (int64, bool, error) {
	var version int64
	var ok bool
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		n, err := affected(tx.NewUpdate().Model((*totpRow)(nil)).
			Set("enabled_at = ?", toMillis(at)).
			Set("last_step = ?", step).
			Where("user_id = ?", int64(user)).
			Where("enabled_at IS NULL").
			Exec(ctx))
		if err != nil || n == 0 {
			return err
		}
		ok = true
		if err := replaceRecoveryCodes(ctx, tx, user, recovery, at); err != nil {
			return err
		}
		version, err = bumpCredentials(ctx, tx, user)
		return err
	})
	if err != nil {
		return 0, false, fmt.Errorf("sqlstore: enable totp of user %d: %w", user, translate(err))
	}
	return version, ok, nil
}

// UseStep is one conditional UPDATE: the row count decides.
func (s *TOTPStore) UseStep(ctx context.Context, user domain.UserID, step int64) (bool, error) {
	n, err := affected(s.db.NewUpdate().Model((*totpRow)(nil)).
		Set("last_step = ?", step).
		Where("user_id = ?", int64(user)).
		Where("enabled_at IS NOT NULL").
		Where("last_step < ?", step).
		Exec(ctx))
	if err != nil {
		return false, fmt.Errorf("sqlstore: use totp step of user %d: %w", user, translate(err))
	}
	return n == 1, nil
}

// Delete removes the secret and the recovery codes, moves the credential
// version on and enqueues mails in one transaction.
func (s *TOTPStore) Delete(ctx context.Context, user domain.UserID, mails ...domain.QueuedMail) (int64, error) {
	var version int64
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := affectedOne(tx.NewDelete().Model((*totpRow)(nil)).Where("user_id = ?", int64(user)).Exec(ctx)); err != nil {
			return err
		}
		if err := deleteRecoveryCodes(ctx, tx, user); err != nil {
			return err
		}
		var err error
		if version, err = bumpCredentials(ctx, tx, user); err != nil {
			return err
		}
		return enqueueAll(ctx, tx, mails)
	})
	if err != nil {
		return 0, fmt.Errorf("sqlstore: delete totp of user %d: %w", user, translate(err))
	}
	return version, nil
}

// bumpCredentials moves user's credential version on by one inside tx and
// returns the new version, or domain.ErrNotFound.
func bumpCredentials(ctx context.Context, tx bun.Tx, user domain.UserID) (int64, error) {
	var version []int64
	err := tx.NewUpdate().Model((*userRow)(nil)).
		Set("credential_version = credential_version + 1").
		Where("id = ?", int64(user)).
		Returning("credential_version").
		Scan(ctx, &version)
	if err != nil {
		return 0, err
	}
	if len(version) == 0 {
		return 0, domain.ErrNotFound
	}
	return version[0], nil
}
