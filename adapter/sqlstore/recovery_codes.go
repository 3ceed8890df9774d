package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

var _ usecase.RecoveryCodeStore = (*RecoveryCodeStore)(nil)

// recoveryRow is a row of the recovery_codes table.
type recoveryRow struct {
	bun.BaseModel `bun:"table:recovery_codes,alias:rc"`

	ID        int64  `bun:"id,pk,autoincrement"`
	UserID    int64  `bun:"user_id,notnull"`
	CodeHash  []byte `bun:"code_hash,notnull"`
	CreatedAt int64  `bun:"created_at,notnull"`
}

// RecoveryCodeStore keeps the hashes of unused recovery codes in the
// recovery_codes table.
type RecoveryCodeStore struct {
	db *bun.DB
}

// NewRecoveryCodeStore returns a RecoveryCodeStore on db, which must be
// migrated.
func NewRecoveryCodeStore(db *bun.DB) *RecoveryCodeStore {
	return &RecoveryCodeStore{db: db}
}

// List returns user's unused codes, oldest first.
func (s *RecoveryCodeStore) List(ctx context.Context, user domain.UserID) ([]domain.RecoveryCode, error) {
	var rows []recoveryRow
	if err := s.db.NewSelect().Model(&rows).Where("user_id = ?", int64(user)).OrderExpr("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: recovery codes of user %d: %w", user, translate(err))
	}
	codes := make([]domain.RecoveryCode, 0, len(rows))
	for _, r := range rows {
		codes = append(codes, domain.RecoveryCode{ID: r.ID, UserID: domain.UserID(r.UserID), Hash: r.CodeHash, CreatedAt: fromMillis(r.CreatedAt)})
	}
	return codes, nil
}

// Count returns how many unused codes user has.
func (s *RecoveryCodeStore) Count(ctx context.Context, user domain.UserID) (int, error) {
	n, err := s.db.NewSelect().Model((*recoveryRow)(nil)).Where("user_id = ?", int64(user)).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: count recovery codes of user %d: %w", user, translate(err))
	}
	return int(n), nil
}

// Use deletes the code id of user; the DELETE's row count decides, and
// the events and mails go in the same transaction only when it was this
// call that deleted it.
func (s *RecoveryCodeStore) Use(ctx context.Context, user domain.UserID, id int64, events []domain.SecurityEvent, mails ...domain.QueuedMail) (bool, error) {
	var used bool
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		n, err := affected(tx.NewDelete().Model((*recoveryRow)(nil)).
			Where("id = ?", id).Where("user_id = ?", int64(user)).Exec(ctx))
		if err != nil || n == 0 {
			return err
		}
		used = true
		if err := recordEvents(ctx, tx, events); err != nil {
			return err
		}
		return enqueueAll(ctx, tx, mails)
	})
	if err != nil {
		return false, fmt.Errorf("sqlstore: use recovery code of user %d: %w", user, translate(err))
	}
	return used, nil
}

// Replace swaps user's codes for hashes, records events and moves the
// credential version on, in one transaction that first requires an
// enabled authenticator app.
func (s *RecoveryCodeStore) Replace(ctx context.Context, user domain.UserID, hashes [][]byte, at time.Time, events ...domain.SecurityEvent) (int64, error) {
	var version int64
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		n, err := tx.NewSelect().Model((*totpRow)(nil)).
			Where("user_id = ?", int64(user)).Where("enabled_at IS NOT NULL").Count(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return domain.ErrNotFound
		}
		if err := replaceRecoveryCodes(ctx, tx, user, hashes, at); err != nil {
			return err
		}
		if err := recordEvents(ctx, tx, events); err != nil {
			return err
		}
		version, err = bumpCredentials(ctx, tx, user)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("sqlstore: replace recovery codes of user %d: %w", user, translate(err))
	}
	return version, nil
}

// replaceRecoveryCodes deletes user's codes and inserts hashes, inside
// tx.
func replaceRecoveryCodes(ctx context.Context, tx bun.Tx, user domain.UserID, hashes [][]byte, at time.Time) error {
	if err := deleteRecoveryCodes(ctx, tx, user); err != nil {
		return err
	}
	if len(hashes) == 0 {
		return nil
	}
	rows := make([]recoveryRow, 0, len(hashes))
	for _, h := range hashes {
		rows = append(rows, recoveryRow{UserID: int64(user), CodeHash: h, CreatedAt: toMillis(at)})
	}
	_, err := tx.NewInsert().Model(&rows).ExcludeColumn("id").Returning("NULL").Exec(ctx)
	return err
}

// deleteRecoveryCodes deletes user's codes inside tx.
func deleteRecoveryCodes(ctx context.Context, tx bun.Tx, user domain.UserID) error {
	_, err := tx.NewDelete().Model((*recoveryRow)(nil)).Where("user_id = ?", int64(user)).Exec(ctx)
	return err
}
