package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

var _ usecase.PasskeyChallengeStore = (*PasskeyChallengeStore)(nil)

// passkeyChallengeRow is a row of the webauthn_challenges table.
type passkeyChallengeRow struct {
	bun.BaseModel `bun:"table:webauthn_challenges,alias:wc"`

	ChallengeHash []byte        `bun:"challenge_hash,pk"`
	Purpose       string        `bun:"purpose,notnull"`
	UserID        sql.NullInt64 `bun:"user_id"`
	State         []byte        `bun:"state,notnull"`
	CreatedAt     int64         `bun:"created_at,notnull"`
	ExpiresAt     int64         `bun:"expires_at,notnull"`
}

// PasskeyChallengeStore keeps WebAuthn ceremonies in the
// webauthn_challenges table.
type PasskeyChallengeStore struct {
	db *bun.DB
}

// NewPasskeyChallengeStore returns a PasskeyChallengeStore on db, which
// must be migrated.
func NewPasskeyChallengeStore(db *bun.DB) *PasskeyChallengeStore {
	return &PasskeyChallengeStore{db: db}
}

// Create stores c.
func (s *PasskeyChallengeStore) Create(ctx context.Context, c domain.PasskeyChallenge) error {
	row := passkeyChallengeRow{
		ChallengeHash: c.Hash[:], Purpose: string(c.Purpose), State: c.State,
		CreatedAt: toMillis(c.CreatedAt), ExpiresAt: toMillis(c.ExpiresAt),
	}
	if c.UserID != 0 {
		row.UserID = sql.NullInt64{Int64: int64(c.UserID), Valid: true}
	}
	if _, err := s.db.NewInsert().Model(&row).Returning("NULL").Exec(ctx); err != nil {
		if isForeignKeyViolation(err) {
			err = domain.ErrNotFound
		}
		return fmt.Errorf("sqlstore: create passkey challenge: %w", translate(err))
	}
	return nil
}

// Consume deletes and returns the challenge: one conditional DELETE ...
// RETURNING, whose rows decide.
func (s *PasskeyChallengeStore) Consume(ctx context.Context, h domain.TokenHash, purpose domain.PasskeyPurpose, now time.Time) (domain.PasskeyChallenge, error) {
	var rows []passkeyChallengeRow
	err := s.db.NewDelete().Model((*passkeyChallengeRow)(nil)).
		Where("challenge_hash = ?", h[:]).Where("purpose = ?", string(purpose)).Where("expires_at > ?", toMillis(now)).
		Returning("challenge_hash, purpose, user_id, state, created_at, expires_at").
		Scan(ctx, &rows)
	if err != nil {
		return domain.PasskeyChallenge{}, fmt.Errorf("sqlstore: consume passkey challenge: %w", translate(err))
	}
	if len(rows) == 0 {
		return domain.PasskeyChallenge{}, fmt.Errorf("sqlstore: consume passkey challenge: %w", domain.ErrNotFound)
	}
	r := rows[0]
	c := domain.PasskeyChallenge{
		Hash: h, Purpose: domain.PasskeyPurpose(r.Purpose), State: r.State,
		CreatedAt: fromMillis(r.CreatedAt), ExpiresAt: fromMillis(r.ExpiresAt),
	}
	if r.UserID.Valid {
		c.UserID = domain.UserID(r.UserID.Int64)
	}
	return c, nil
}

// DeleteExpired deletes the challenges expired at now.
func (s *PasskeyChallengeStore) DeleteExpired(ctx context.Context, now time.Time) (int64, error) {
	n, err := affected(s.db.NewDelete().Model((*passkeyChallengeRow)(nil)).Where("expires_at <= ?", toMillis(now)).Exec(ctx))
	if err != nil {
		return 0, fmt.Errorf("sqlstore: delete expired passkey challenges: %w", translate(err))
	}
	return n, nil
}
