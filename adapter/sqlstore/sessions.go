package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

var _ usecase.SessionStore = (*SessionStore)(nil)

// sessionRow is a row of the sessions table.
type sessionRow struct {
	bun.BaseModel `bun:"table:sessions,alias:s"`

	ID                int64  `bun:"id,pk,autoincrement"`
	TokenHash         []byte `bun:"token_hash,notnull"`
	UserID            int64  `bun:"user_id,notnull"`
	Persistent        bool   `bun:"persistent,notnull"`
	CreatedAt         int64  `bun:"created_at,notnull"`
	LastSeenAt        int64  `bun:"last_seen_at,notnull"`
	ExpiresAt         int64  `bun:"expires_at,notnull"`
	AbsoluteExpiresAt int64  `bun:"absolute_expires_at,notnull"`
	IP                string `bun:"ip,notnull"`
	UserAgent         string `bun:"user_agent,notnull"`
	// The previous login: unknown (false) for sessions stored before it
	// was kept; a NULL time when the account had none.
	PreviousLoginKnown bool          `bun:"previous_login_known,notnull"`
	PreviousLoginAt    sql.NullInt64 `bun:"previous_login_at"`
	PreviousLoginIP    string        `bun:"previous_login_ip,notnull"`
	CredentialVersion  int64         `bun:"credential_version,notnull"`
	// TwoFactorAt is NULL for a password-only session.
	TwoFactorAt sql.NullInt64 `bun:"two_factor_at"`
}

// newSessionRow converts s to a row.
func newSessionRow(s domain.Session) sessionRow {
	return sessionRow{
		ID:                 int64(s.ID),
		TokenHash:          s.TokenHash[:],
		UserID:             int64(s.UserID),
		Persistent:         s.Persistent,
		CreatedAt:          toMillis(s.CreatedAt),
		LastSeenAt:         toMillis(s.LastSeenAt),
		ExpiresAt:          toMillis(s.ExpiresAt),
		AbsoluteExpiresAt:  toMillis(s.AbsoluteExpiresAt),
		IP:                 s.IP,
		UserAgent:          s.UserAgent,
		PreviousLoginKnown: s.PreviousLogin.Known,
		PreviousLoginAt:    sql.NullInt64{Int64: toMillis(s.PreviousLogin.At), Valid: s.PreviousLogin.Known && s.PreviousLogin.Exists()},
		PreviousLoginIP:    s.PreviousLogin.IP,
		CredentialVersion:  s.CredentialVersion,
		TwoFactorAt:        sql.NullInt64{Int64: toMillis(s.TwoFactorAt), Valid: s.TwoFactor()},
	}
}

// session converts r back to an entity. It fails on a token hash of the
// wrong length, which only a corrupted row can have.
func (r sessionRow) session() (domain.Session, error) {
	var h domain.TokenHash
	if len(r.TokenHash) != len(h) {
		return domain.Session{}, fmt.Errorf("sqlstore: session %d: token hash has %d bytes, want %d", r.ID, len(r.TokenHash), len(h))
	}
	copy(h[:], r.TokenHash)
	var twoFactorAt time.Time
	if r.TwoFactorAt.Valid {
		twoFactorAt = fromMillis(r.TwoFactorAt.Int64)
	}
	return domain.Session{
		ID:                domain.SessionID(r.ID),
		TokenHash:         h,
		UserID:            domain.UserID(r.UserID),
		Persistent:        r.Persistent,
		CreatedAt:         fromMillis(r.CreatedAt),
		LastSeenAt:        fromMillis(r.LastSeenAt),
		ExpiresAt:         fromMillis(r.ExpiresAt),
		AbsoluteExpiresAt: fromMillis(r.AbsoluteExpiresAt),
		IP:                r.IP,
		UserAgent:         r.UserAgent,
		PreviousLogin:     r.previousLogin(),
		CredentialVersion: r.CredentialVersion,
		TwoFactorAt:       twoFactorAt,
	}, nil
}

// previousLogin converts the previous-login columns back.
func (r sessionRow) previousLogin() domain.PreviousLogin {
	if !r.PreviousLoginKnown {
		return domain.PreviousLogin{}
	}
	p := domain.PreviousLogin{Known: true, IP: r.PreviousLoginIP}
	if r.PreviousLoginAt.Valid {
		p.At = fromMillis(r.PreviousLoginAt.Int64)
	}
	return p
}

// SessionStore keeps server-side sessions in the sessions table, which
// holds only the hashes of their tokens.
type SessionStore struct {
	db *bun.DB
	// withUser is the prepared lookup of ByTokenHashWithUser.
	withUser *preparedQuery
}

// NewSessionStore returns a SessionStore on db, which must be migrated
// before the store is first used.
func NewSessionStore(db *bun.DB) *SessionStore {
	return &SessionStore{db: db, withUser: newPreparedQuery(db, sessionWithUserQuery+sessionWithUserParam(db.Dialect().Name() == dialect.PG))}
}

// Create stores s under a new ID and returns it as stored, with times at
// millisecond precision in UTC. s.ID is ignored. It returns an error
// wrapping domain.ErrNotFound when s.UserID names no account, and one
// wrapping domain.ErrCredentialsChanged, storing nothing, when the
// account's credential version is no longer s.CredentialVersion. The
// check and the insert are one transaction, which holds the account's
// version until it ends (see lockCredentials), so a password change
// lands either before it (and the session is refused) or after it (and
// the session, already stored, stops counting). The events are inserted
// with the session in the same transaction, so that both or neither are
// stored.
func (s *SessionStore) Create(ctx context.Context, sess domain.Session, events ...domain.SecurityEvent) (domain.Session, error) {
	row := newSessionRow(sess)
	row.ID = 0
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := lockCredentials(ctx, tx, sess.UserID, sess.CredentialVersion); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(&row).Returning("id").Exec(ctx); err != nil {
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
		if isForeignKeyViolation(err) {
			err = domain.ErrNotFound
		}
		return domain.Session{}, fmt.Errorf("sqlstore: create session for user %d: %w", sess.UserID, translate(err))
	}
	return row.session()
}

// lockCredentials checks, inside tx, that the account with id still has
// credential version want, and keeps it so until tx ends: it returns
// domain.ErrCredentialsChanged when the version has moved on and
// domain.ErrNotFound when there is no such account. On PostgreSQL the
// account's row is locked FOR SHARE, so a password change (an UPDATE of
// the row) waits for tx, and a change that committed first is seen: READ
// COMMITTED reads the row again after the wait. SQLite needs no lock: tx
// began holding the database's write lock (_txlock=immediate).
func lockCredentials(ctx context.Context, tx bun.Tx, id domain.UserID, want int64) error {
	var versions []int64
	q := tx.NewSelect().Model((*userRow)(nil)).Column("credential_version").Where("id = ?", int64(id))
	if tx.Dialect().Name() == dialect.PG {
		q = q.For("SHARE")
	}
	if err := q.Scan(ctx, &versions); err != nil {
		return err
	}
	switch {
	case len(versions) == 0:
		return domain.ErrNotFound
	case versions[0] != want:
		return fmt.Errorf("account's credential version is %d, the session's %d: %w", versions[0], want, domain.ErrCredentialsChanged)
	}
	return nil
}

// ByTokenHash returns the session whose token hashes to h, or an error
// wrapping domain.ErrNotFound. It returns expired sessions too: judging
// them is the caller's business.
func (s *SessionStore) ByTokenHash(ctx context.Context, h domain.TokenHash) (domain.Session, error) {
	var row sessionRow
	if err := s.db.NewSelect().Model(&row).Where("token_hash = ?", h[:]).Scan(ctx); err != nil {
		return domain.Session{}, fmt.Errorf("sqlstore: session by token hash: %w", translate(err))
	}
	return row.session()
}

// Touch records activity on the session with id: its last-seen time and
// its new deadline. It returns an error wrapping domain.ErrNotFound when
// there is no such session.
func (s *SessionStore) Touch(ctx context.Context, id domain.SessionID, lastSeen, expires time.Time) error {
	res, err := s.db.NewUpdate().Model((*sessionRow)(nil)).
		Set("last_seen_at = ?", toMillis(lastSeen)).
		Set("expires_at = ?", toMillis(expires)).
		Where("id = ?", int64(id)).
		Exec(ctx)
	if err := affectedOne(res, err); err != nil {
		return fmt.Errorf("sqlstore: touch session %d: %w", id, err)
	}
	return nil
}

// Delete removes the session with id. It returns an error wrapping
// domain.ErrNotFound when there is no such session.
func (s *SessionStore) Delete(ctx context.Context, id domain.SessionID) error {
	res, err := s.db.NewDelete().Model((*sessionRow)(nil)).Where("id = ?", int64(id)).Exec(ctx)
	if err := affectedOne(res, err); err != nil {
		return fmt.Errorf("sqlstore: delete session %d: %w", id, err)
	}
	return nil
}

// DeleteExpired removes every session whose deadline is at or before now
// and reports how many it removed.
func (s *SessionStore) DeleteExpired(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.db.NewDelete().Model((*sessionRow)(nil)).
		Where("expires_at <= ?", toMillis(now)).
		Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: delete expired sessions: %w", translate(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlstore: delete expired sessions: %w", translate(err))
	}
	return n, nil
}

// ListByUser returns the sessions of user still active at now (their
// deadline is after now), the most recently created first.
func (s *SessionStore) ListByUser(ctx context.Context, user domain.UserID, now time.Time) ([]domain.Session, error) {
	var rows []sessionRow
	err := s.db.NewSelect().Model(&rows).
		Where("user_id = ?", int64(user)).
		Where("expires_at > ?", toMillis(now)).
		OrderExpr("created_at DESC, id DESC").
		Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: sessions of user %d: %w", user, translate(err))
	}
	sessions := make([]domain.Session, 0, len(rows))
	for _, r := range rows {
		sess, err := r.session()
		if err != nil {
			return nil, err
		}
		sessions = append(sessions, sess)
	}
	return sessions, nil
}

// DeleteByUser removes every session of user except the one with ID
// except (zero removes them all), expired or not, and reports how many it
// removed.
func (s *SessionStore) DeleteByUser(ctx context.Context, user domain.UserID, except domain.SessionID) (int64, error) {
	n, err := affected(s.db.NewDelete().Model((*sessionRow)(nil)).
		Where("user_id = ?", int64(user)).
		Where("id <> ?", int64(except)).
		Exec(ctx))
	if err != nil {
		return 0, fmt.Errorf("sqlstore: delete sessions of user %d: %w", user, translate(err))
	}
	return n, nil
}

// CountActive returns how many sessions are active at now (their deadline
// is after now), across every user. It reads only the expiry index.
func (s *SessionStore) CountActive(ctx context.Context, now time.Time) (int, error) {
	n, err := s.db.NewSelect().Model((*sessionRow)(nil)).Where("expires_at > ?", toMillis(now)).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: count active sessions: %w", translate(err))
	}
	return int(n), nil
}
