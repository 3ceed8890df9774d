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

var _ usecase.LoginChallengeStore = (*ChallengeStore)(nil)

// challengeRow is a row of the login_challenges table.
type challengeRow struct {
	bun.BaseModel `bun:"table:login_challenges,alias:lc"`

	TokenHash         []byte `bun:"token_hash,pk"`
	UserID            int64  `bun:"user_id,notnull"`
	CredentialVersion int64  `bun:"credential_version,notnull"`
	Remember          bool   `bun:"remember,notnull"`
	CreatedAt         int64  `bun:"created_at,notnull"`
	ExpiresAt         int64  `bun:"expires_at,notnull"`
}

func (r challengeRow) challenge() (domain.LoginChallenge, error) {
	var h domain.TokenHash
	if len(r.TokenHash) != len(h) {
		return domain.LoginChallenge{}, fmt.Errorf("sqlstore: login challenge: token hash has %d bytes, want %d", len(r.TokenHash), len(h))
	}
	copy(h[:], r.TokenHash)
	return domain.LoginChallenge{
		TokenHash: h, UserID: domain.UserID(r.UserID), CredentialVersion: r.CredentialVersion,
		Remember: r.Remember, CreatedAt: fromMillis(r.CreatedAt), ExpiresAt: fromMillis(r.ExpiresAt),
	}, nil
}

// ChallengeStore keeps half-done logins in the login_challenges table.
type ChallengeStore struct {
	db *bun.DB
}

// NewChallengeStore returns a ChallengeStore on db, which must be migrated.
func NewChallengeStore(db *bun.DB) *ChallengeStore {
	return &ChallengeStore{db: db}
}

// Create stores c.
func (s *ChallengeStore) Create(ctx context.Context, c domain.LoginChallenge) error {
	row := challengeRow{
		TokenHash: c.TokenHash[:], UserID: int64(c.UserID), CredentialVersion: c.CredentialVersion,
		Remember: c.Remember, CreatedAt: toMillis(c.CreatedAt), ExpiresAt: toMillis(c.ExpiresAt),
	}
	if _, err := s.db.NewInsert().Model(&row).Returning("NULL").Exec(ctx); err != nil {
		if isForeignKeyViolation(err) {
			err = domain.ErrNotFound
		}
		return fmt.Errorf("sqlstore: create login challenge for user %d: %w", c.UserID, translate(err))
	}
	return nil
}

// Get returns the challenge with hash h still open at now.
func (s *ChallengeStore) Get(ctx context.Context, h domain.TokenHash, now time.Time) (domain.LoginChallenge, error) {
	var row challengeRow
	err := s.db.NewSelect().Model(&row).Where("token_hash = ?", h[:]).Where("expires_at > ?", toMillis(now)).Scan(ctx)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			err = domain.ErrNotFound
		}
		return domain.LoginChallenge{}, fmt.Errorf("sqlstore: login challenge: %w", translate(err))
	}
	return row.challenge()
}

// Consume deletes the challenge with hash h if still open at now: one
// conditional DELETE, whose row count decides.
func (s *ChallengeStore) Consume(ctx context.Context, h domain.TokenHash, now time.Time) error {
	err := affectedOne(s.db.NewDelete().Model((*challengeRow)(nil)).
		Where("token_hash = ?", h[:]).Where("expires_at > ?", toMillis(now)).Exec(ctx))
	if err != nil {
		return fmt.Errorf("sqlstore: consume login challenge: %w", err)
	}
	return nil
}

// DeleteExpired deletes the challenges expired at now.
func (s *ChallengeStore) DeleteExpired(ctx context.Context, now time.Time) (int64, error) {
	n, err := affected(s.db.NewDelete().Model((*challengeRow)(nil)).Where("expires_at <= ?", toMillis(now)).Exec(ctx))
	if err != nil {
		return 0, fmt.Errorf("sqlstore: delete expired login challenges: %w", translate(err))
	}
	return n, nil
}
