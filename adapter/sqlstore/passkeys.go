package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

var _ usecase.PasskeyStore = (*PasskeyStore)(nil)

// webauthnUserRow is a row of the webauthn_users table.
type webauthnUserRow struct {
	bun.BaseModel `bun:"table:webauthn_users,alias:wu"`

	UserID int64  `bun:"user_id,pk"`
	Handle []byte `bun:"handle,notnull"`
}

// passkeyRow is a row of the passkeys table.
type passkeyRow struct {
	bun.BaseModel `bun:"table:passkeys,alias:pk"`

	ID                int64  `bun:"id,pk,autoincrement"`
	UserID            int64  `bun:"user_id,notnull"`
	CredentialID      []byte `bun:"credential_id,notnull"`
	PublicKey         []byte `bun:"public_key,notnull"`
	SignCount         int64  `bun:"sign_count,notnull"`
	Transports        string `bun:"transports,notnull"`
	AAGUID            []byte `bun:"aaguid,notnull"`
	AttestationType   string `bun:"attestation_type,notnull"`
	AttestationFormat string `bun:"attestation_format,notnull"`
	UserVerified      bool   `bun:"user_verified,notnull"`
	BackupEligible    bool   `bun:"backup_eligible,notnull"`
	BackupState       bool   `bun:"backup_state,notnull"`
	Name              string `bun:"name,notnull"`
	CreatedAt         int64  `bun:"created_at,notnull"`
	LastUsedAt        int64  `bun:"last_used_at,notnull"`
}

func newPasskeyRow(p domain.Passkey) passkeyRow {
	aaguid := p.AAGUID
	if aaguid == nil {
		aaguid = []byte{}
	}
	return passkeyRow{
		UserID: int64(p.UserID), CredentialID: p.CredentialID, PublicKey: p.PublicKey,
		SignCount: int64(p.SignCount), Transports: strings.Join(p.Transports, ","), AAGUID: aaguid,
		AttestationType: p.AttestationType, AttestationFormat: p.AttestationFormat,
		UserVerified: p.UserVerified, BackupEligible: p.BackupEligible, BackupState: p.BackupState,
		Name: p.Name.String(), CreatedAt: toMillis(p.CreatedAt), LastUsedAt: optionalMillis(p.LastUsedAt),
	}
}

func (r passkeyRow) passkey() domain.Passkey {
	p := domain.Passkey{
		ID: domain.PasskeyID(r.ID), UserID: domain.UserID(r.UserID), CredentialID: r.CredentialID,
		PublicKey: r.PublicKey, SignCount: uint32(r.SignCount), AAGUID: r.AAGUID,
		AttestationType: r.AttestationType, AttestationFormat: r.AttestationFormat,
		UserVerified: r.UserVerified, BackupEligible: r.BackupEligible, BackupState: r.BackupState,
		Name: domain.PasskeyNameFromStore(r.Name), CreatedAt: fromMillis(r.CreatedAt),
	}
	if r.Transports != "" {
		p.Transports = strings.Split(r.Transports, ",")
	}
	if r.LastUsedAt != 0 {
		p.LastUsedAt = fromMillis(r.LastUsedAt)
	}
	return p
}

// optionalMillis is t in unix milliseconds, 0 for the zero time.
func optionalMillis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return toMillis(t)
}

// PasskeyStore keeps passkeys in the passkeys table and user handles in
// webauthn_users.
type PasskeyStore struct {
	db *bun.DB
}

// NewPasskeyStore returns a PasskeyStore on db, which must be migrated.
func NewPasskeyStore(db *bun.DB) *PasskeyStore {
	return &PasskeyStore{db: db}
}

// UserHandle inserts fresh unless the account has a handle (a conflict
// that changes nothing), then reads the one stored.
func (s *PasskeyStore) UserHandle(ctx context.Context, user domain.UserID, fresh []byte) ([]byte, error) {
	row := webauthnUserRow{UserID: int64(user), Handle: fresh}
	_, err := s.db.NewInsert().Model(&row).On("CONFLICT (user_id) DO NOTHING").Returning("NULL").Exec(ctx)
	if err != nil {
		if isForeignKeyViolation(err) {
			err = domain.ErrNotFound
		}
		return nil, fmt.Errorf("sqlstore: user handle of user %d: %w", user, translate(err))
	}
	var stored webauthnUserRow
	if err := s.db.NewSelect().Model(&stored).Where("user_id = ?", int64(user)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: user handle of user %d: %w", user, translate(err))
	}
	return stored.Handle, nil
}

// UserByHandle returns the account whose handle is handle.
func (s *PasskeyStore) UserByHandle(ctx context.Context, handle []byte) (domain.UserID, error) {
	var row webauthnUserRow
	err := s.db.NewSelect().Model(&row).Where("handle = ?", handle).Scan(ctx)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			err = domain.ErrNotFound
		}
		return 0, fmt.Errorf("sqlstore: account of a user handle: %w", translate(err))
	}
	return domain.UserID(row.UserID), nil
}

// ListByUser returns user's passkeys, oldest first.
func (s *PasskeyStore) ListByUser(ctx context.Context, user domain.UserID) ([]domain.Passkey, error) {
	var rows []passkeyRow
	if err := s.db.NewSelect().Model(&rows).Where("user_id = ?", int64(user)).Order("id ASC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: passkeys of user %d: %w", user, translate(err))
	}
	list := make([]domain.Passkey, len(rows))
	for i, r := range rows {
		list[i] = r.passkey()
	}
	return list, nil
}

// Add inserts p, moves the credential version on and records events, in
// one transaction.
func (s *PasskeyStore) Add(ctx context.Context, p domain.Passkey, events ...domain.SecurityEvent) (domain.Passkey, int64, error) {
	row := newPasskeyRow(p)
	var version int64
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(&row).Returning("id").Exec(ctx); err != nil {
			return err
		}
		var err error
		if version, err = bumpCredentials(ctx, tx, p.UserID); err != nil {
			return err
		}
		for _, e := range events {
			e.Detail = fmt.Sprint(row.ID)
			if err := recordEvent(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		switch {
		case isUniqueViolation(err):
			err = domain.ErrPasskeyTaken
		case isForeignKeyViolation(err):
			err = domain.ErrNotFound
		}
		return domain.Passkey{}, 0, fmt.Errorf("sqlstore: add passkey of user %d: %w", p.UserID, translate(err))
	}
	return row.passkey(), version, nil
}

// Rename sets the name of user's passkey id.
func (s *PasskeyStore) Rename(ctx context.Context, user domain.UserID, id domain.PasskeyID, name domain.PasskeyName) error {
	err := affectedOne(s.db.NewUpdate().Model((*passkeyRow)(nil)).Set("name = ?", name.String()).
		Where("id = ?", int64(id)).Where("user_id = ?", int64(user)).Exec(ctx))
	if err != nil {
		return fmt.Errorf("sqlstore: rename passkey %d of user %d: %w", id, user, err)
	}
	return nil
}

// Remove deletes user's passkey id, moves the credential version on and
// records events, in one transaction.
func (s *PasskeyStore) Remove(ctx context.Context, user domain.UserID, id domain.PasskeyID, events ...domain.SecurityEvent) (int64, error) {
	var version int64
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := affectedOne(tx.NewDelete().Model((*passkeyRow)(nil)).
			Where("id = ?", int64(id)).Where("user_id = ?", int64(user)).Exec(ctx)); err != nil {
			return err
		}
		var err error
		if version, err = bumpCredentials(ctx, tx, user); err != nil {
			return err
		}
		for _, e := range events {
			if err := recordEvent(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("sqlstore: remove passkey %d of user %d: %w", id, user, translate(err))
	}
	return version, nil
}

// RemoveAll deletes user's passkeys and, when any went, moves the
// credential version on, in one transaction.
func (s *PasskeyStore) RemoveAll(ctx context.Context, user domain.UserID) (int64, error) {
	var n int64
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		n, err = affected(tx.NewDelete().Model((*passkeyRow)(nil)).Where("user_id = ?", int64(user)).Exec(ctx))
		if err != nil || n == 0 {
			return err
		}
		_, err = bumpCredentials(ctx, tx, user)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("sqlstore: remove passkeys of user %d: %w", user, translate(err))
	}
	return n, nil
}

// RecordUse is one conditional UPDATE: the row count decides.
func (s *PasskeyStore) RecordUse(ctx context.Context, id domain.PasskeyID, signCount uint32, backupState bool, at time.Time) (bool, error) {
	n, err := affected(s.db.NewUpdate().Model((*passkeyRow)(nil)).
		Set("sign_count = ?", int64(signCount)).
		Set("backup_state = ?", backupState).
		Set("last_used_at = ?", toMillis(at)).
		Where("id = ?", int64(id)).
		WhereGroup(" AND ", func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Where("sign_count < ?", int64(signCount)).WhereOr("sign_count = 0 AND ? = 0", int64(signCount))
		}).
		Exec(ctx))
	if err != nil {
		return false, fmt.Errorf("sqlstore: record use of passkey %d: %w", id, translate(err))
	}
	return n == 1, nil
}
