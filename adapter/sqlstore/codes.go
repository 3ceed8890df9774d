package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

var _ usecase.EmailStore = (*EmailStore)(nil)

// codeRow is a row of the one_time_codes table.
type codeRow struct {
	bun.BaseModel `bun:"table:one_time_codes,alias:oc"`

	ID               int64  `bun:"id,pk,autoincrement"`
	UserID           int64  `bun:"user_id,notnull"`
	Purpose          string `bun:"purpose,notnull"`
	Address          string `bun:"address,notnull"`
	AddressCanonical string `bun:"address_canonical,notnull"`
	CodeHash         []byte `bun:"code_hash,notnull"`
	Tries            int    `bun:"tries,notnull"`
	ExpiresAt        int64  `bun:"expires_at,notnull"`
	CreatedAt        int64  `bun:"created_at,notnull"`
	UsedAt           int64  `bun:"used_at,notnull"`
}

func (r codeRow) code() domain.PendingCode {
	return domain.PendingCode{
		ID: r.ID, UserID: domain.UserID(r.UserID), Purpose: domain.CodePurpose(r.Purpose),
		Address: domain.RestoreEmailAddress(r.Address), Hash: r.CodeHash, Tries: r.Tries,
		ExpiresAt: fromMillis(r.ExpiresAt), CreatedAt: fromMillis(r.CreatedAt),
	}
}

// EmailStore keeps accounts' verified addresses (in users) and their
// one-time codes (in one_time_codes).
type EmailStore struct {
	db         *bun.DB
	activeCode *preparedQuery
}

// activeCodeQuery is ActiveCode's statement; %s is the dialect's
// parameter (sessionWithUserParam). (user_id, purpose) is unique, so it
// reads one row at most.
const activeCodeQuery = `SELECT id, user_id, purpose, address, address_canonical, code_hash, tries, expires_at, created_at, used_at
FROM one_time_codes WHERE user_id = %[1]s AND purpose = %[1]s AND used_at = 0 AND expires_at > %[1]s`

// NewEmailStore returns an EmailStore on db, which must be migrated.
func NewEmailStore(db *bun.DB) *EmailStore {
	param := sessionWithUserParam(db.Dialect().Name() == dialect.PG)
	return &EmailStore{db: db, activeCode: newPreparedQuery(db, fmt.Sprintf(activeCodeQuery, param))}
}

// OwnerOf returns the account that verified a (without regard to case).
func (s *EmailStore) OwnerOf(ctx context.Context, a domain.EmailAddress) (domain.User, error) {
	var row userRow
	if err := s.db.NewSelect().Model(&row).Where("email_canonical = ?", a.Canonical()).Scan(ctx); err != nil {
		return domain.User{}, fmt.Errorf("sqlstore: owner of an address: %w", translate(err))
	}
	return row.user(), nil
}

// PutCode replaces user's code of c.Purpose by c and enqueues mails, in
// one transaction.
func (s *EmailStore) PutCode(ctx context.Context, c domain.PendingCode, mails ...domain.QueuedMail) error {
	row := codeRow{
		UserID: int64(c.UserID), Purpose: string(c.Purpose), Address: c.Address.String(),
		AddressCanonical: c.Address.Canonical(), CodeHash: c.Hash,
		ExpiresAt: toMillis(c.ExpiresAt), CreatedAt: toMillis(c.CreatedAt),
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*codeRow)(nil)).
			Where("user_id = ?", row.UserID).Where("purpose = ?", row.Purpose).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(&row).ExcludeColumn("id").Returning("NULL").Exec(ctx); err != nil {
			return err
		}
		return enqueueAll(ctx, tx, mails)
	})
	if err != nil {
		if isForeignKeyViolation(err) {
			err = domain.ErrNotFound
		}
		return fmt.Errorf("sqlstore: put %s code of user %d: %w", c.Purpose, c.UserID, translate(err))
	}
	return nil
}

// ActiveCode returns user's code of purpose that is unused and unexpired
// at now.
//
// It runs on every GET /api/v1/me and account page, so it is a prepared
// statement (see preparedQuery and sessionWithUserParam).
func (s *EmailStore) ActiveCode(ctx context.Context, user domain.UserID, purpose domain.CodePurpose, now time.Time) (domain.PendingCode, error) {
	var row codeRow
	r, err := s.activeCode.queryRow(ctx, int64(user), string(purpose), toMillis(now))
	if err == nil {
		err = r.Scan(&row.ID, &row.UserID, &row.Purpose, &row.Address, &row.AddressCanonical, &row.CodeHash,
			&row.Tries, &row.ExpiresAt, &row.CreatedAt, &row.UsedAt)
	}
	if err != nil {
		return domain.PendingCode{}, fmt.Errorf("sqlstore: %s code of user %d: %w", purpose, user, translate(err))
	}
	return row.code(), nil
}

// TryCode counts a try against user's active code of purpose, in one
// conditional UPDATE that also requires tries left, and returns the code
// as it is after the try.
func (s *EmailStore) TryCode(ctx context.Context, user domain.UserID, purpose domain.CodePurpose, now time.Time, maxTries int) (domain.PendingCode, error) {
	var rows []codeRow
	err := s.db.NewRaw("UPDATE one_time_codes SET tries = tries + 1"+
		" WHERE user_id = ? AND purpose = ? AND used_at = 0 AND expires_at > ? AND tries < ?"+
		" RETURNING id, user_id, purpose, address, address_canonical, code_hash, tries, expires_at, created_at, used_at",
		int64(user), string(purpose), toMillis(now), maxTries).Scan(ctx, &rows)
	if err != nil {
		return domain.PendingCode{}, fmt.Errorf("sqlstore: try %s code of user %d: %w", purpose, user, translate(err))
	}
	if len(rows) == 0 {
		return domain.PendingCode{}, fmt.Errorf("sqlstore: try %s code of user %d: %w", purpose, user, domain.ErrNotFound)
	}
	return rows[0].code(), nil
}

// ConfirmEmail consumes the code with id and makes its address user's
// verified one, with events and mails, in one transaction: the UPDATE
// that consumes requires the code unused, and its row count decides, so
// of two confirmations of one code one wins. It returns domain.ErrNotFound
// when the code is gone or used, and domain.ErrEmailTaken, changing
// nothing, when another account verified the address meanwhile.
func (s *EmailStore) ConfirmEmail(ctx context.Context, id int64, user domain.UserID, now time.Time, events []domain.SecurityEvent, mails ...domain.QueuedMail) (domain.EmailAddress, error) {
	var address domain.EmailAddress
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var rows []codeRow
		err := tx.NewRaw("UPDATE one_time_codes SET used_at = ? WHERE id = ? AND user_id = ? AND used_at = 0"+
			" RETURNING id, user_id, purpose, address, address_canonical, code_hash, tries, expires_at, created_at, used_at",
			toMillis(now), id, int64(user)).Scan(ctx, &rows)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return domain.ErrNotFound
		}
		address = domain.RestoreEmailAddress(rows[0].Address)
		res, err := tx.NewUpdate().Model((*userRow)(nil)).
			Set("email = ?", rows[0].Address).Set("email_canonical = ?", rows[0].AddressCanonical).
			Where("id = ?", int64(user)).Exec(ctx)
		if err := affectedOne(res, err); err != nil {
			if isUniqueViolation(err) {
				return domain.ErrEmailTaken
			}
			return err
		}
		if err := recordEvents(ctx, tx, events); err != nil {
			return err
		}
		return enqueueAll(ctx, tx, mails)
	})
	if err != nil {
		return domain.EmailAddress{}, fmt.Errorf("sqlstore: confirm address of user %d: %w", user, translate(err))
	}
	return address, nil
}

// SetEmail makes a user's verified address and deletes its pending
// verification, with events, in one transaction.
func (s *EmailStore) SetEmail(ctx context.Context, user domain.UserID, a domain.EmailAddress, events []domain.SecurityEvent) error {
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*userRow)(nil)).
			Set("email = ?", a.String()).Set("email_canonical = ?", a.Canonical()).Where("id = ?", int64(user)).Exec(ctx)
		if err := affectedOne(res, err); err != nil {
			if isUniqueViolation(err) {
				return domain.ErrEmailTaken
			}
			return err
		}
		if _, err := tx.NewDelete().Model((*codeRow)(nil)).
			Where("user_id = ?", int64(user)).Where("purpose = ?", string(domain.PurposeVerifyEmail)).Exec(ctx); err != nil {
			return err
		}
		return recordEvents(ctx, tx, events)
	})
	if err != nil {
		return fmt.Errorf("sqlstore: set address of user %d: %w", user, translate(err))
	}
	return nil
}

// RemoveEmail clears user's verified address and deletes its pending
// verification, with events and mails, in one transaction.
func (s *EmailStore) RemoveEmail(ctx context.Context, user domain.UserID, events []domain.SecurityEvent, mails ...domain.QueuedMail) error {
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*userRow)(nil)).
			Set("email = NULL").Set("email_canonical = NULL").Where("id = ?", int64(user)).Exec(ctx)
		if err := affectedOne(res, err); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*codeRow)(nil)).
			Where("user_id = ?", int64(user)).Where("purpose = ?", string(domain.PurposeVerifyEmail)).Exec(ctx); err != nil {
			return err
		}
		if err := recordEvents(ctx, tx, events); err != nil {
			return err
		}
		return enqueueAll(ctx, tx, mails)
	})
	if err != nil {
		return fmt.Errorf("sqlstore: remove address of user %d: %w", user, translate(err))
	}
	return nil
}

// PurgeCodes deletes codes expired or used before before.
func (s *EmailStore) PurgeCodes(ctx context.Context, before time.Time) (int64, error) {
	n, err := affected(s.db.NewDelete().Model((*codeRow)(nil)).
		WhereOr("expires_at < ?", toMillis(before)).
		WhereOr("used_at <> 0 AND used_at < ?", toMillis(before)).Exec(ctx))
	if err != nil {
		return 0, fmt.Errorf("sqlstore: purge codes: %w", translate(err))
	}
	return n, nil
}

// enqueueAll enqueues mails on tx.
func enqueueAll(ctx context.Context, tx bun.IDB, mails []domain.QueuedMail) error {
	for _, m := range mails {
		if err := enqueueMail(ctx, tx, m); err != nil {
			return err
		}
	}
	return nil
}
