package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

var _ usecase.SocialFlowStore = (*SocialFlowStore)(nil)

// socialStateRow is a row of the social_states table.
type socialStateRow struct {
	bun.BaseModel `bun:"table:social_states,alias:ss"`

	TokenHash []byte `bun:"token_hash,pk"`
	Provider  string `bun:"provider,notnull"`
	Purpose   string `bun:"purpose,notnull"`
	UserID    int64  `bun:"user_id,nullzero"`
	Nonce     string `bun:"nonce,notnull"`
	Verifier  string `bun:"verifier,notnull"`
	Next      string `bun:"next,notnull"`
	CreatedAt int64  `bun:"created_at,notnull"`
	ExpiresAt int64  `bun:"expires_at,notnull"`
}

// socialPendingRow is a row of the social_pending table.
type socialPendingRow struct {
	bun.BaseModel `bun:"table:social_pending,alias:sp"`

	TokenHash     []byte `bun:"token_hash,pk"`
	Provider      string `bun:"provider,notnull"`
	Subject       string `bun:"subject,notnull"`
	Email         string `bun:"email,notnull"`
	EmailVerified bool   `bun:"email_verified,notnull"`
	PreferredName string `bun:"preferred_name,notnull"`
	Name          string `bun:"name,notnull"`
	Next          string `bun:"next,notnull"`
	CreatedAt     int64  `bun:"created_at,notnull"`
	ExpiresAt     int64  `bun:"expires_at,notnull"`
}

func tokenHash(b []byte) (domain.TokenHash, error) {
	var h domain.TokenHash
	if len(b) != len(h) {
		return h, fmt.Errorf("sqlstore: token hash has %d bytes, want %d", len(b), len(h))
	}
	copy(h[:], b)
	return h, nil
}

// SocialFlowStore keeps provider logins under way in the social_states
// and social_pending tables.
type SocialFlowStore struct {
	db *bun.DB
}

// NewSocialFlowStore returns a SocialFlowStore on db, which must be
// migrated.
func NewSocialFlowStore(db *bun.DB) *SocialFlowStore {
	return &SocialFlowStore{db: db}
}

// CreateState stores st.
func (s *SocialFlowStore) CreateState(ctx context.Context, st domain.SocialState) error {
	row := socialStateRow{
		TokenHash: st.TokenHash[:], Provider: st.Provider, Purpose: st.Purpose, UserID: int64(st.UserID),
		Nonce: st.Nonce, Verifier: st.Verifier, Next: st.Next,
		CreatedAt: toMillis(st.CreatedAt), ExpiresAt: toMillis(st.ExpiresAt),
	}
	if _, err := s.db.NewInsert().Model(&row).Returning("NULL").Exec(ctx); err != nil {
		if isForeignKeyViolation(err) {
			err = domain.ErrNotFound
		}
		return fmt.Errorf("sqlstore: create social login state: %w", translate(err))
	}
	return nil
}

// ConsumeState deletes and returns the state with hash h still open at
// now: one DELETE ... RETURNING, whose returned row decides.
func (s *SocialFlowStore) ConsumeState(ctx context.Context, h domain.TokenHash, now time.Time) (domain.SocialState, error) {
	var rows []socialStateRow
	_, err := s.db.NewDelete().Model(&rows).
		Where("token_hash = ?", h[:]).Where("expires_at > ?", toMillis(now)).
		Returning("*").Exec(ctx)
	if err == nil && len(rows) == 0 {
		err = domain.ErrNotFound
	}
	if err != nil {
		return domain.SocialState{}, fmt.Errorf("sqlstore: consume social login state: %w", translate(err))
	}
	r := rows[0]
	th, err := tokenHash(r.TokenHash)
	if err != nil {
		return domain.SocialState{}, err
	}
	return domain.SocialState{
		TokenHash: th, Provider: r.Provider, Purpose: r.Purpose, UserID: domain.UserID(r.UserID),
		Nonce: r.Nonce, Verifier: r.Verifier, Next: r.Next,
		CreatedAt: fromMillis(r.CreatedAt), ExpiresAt: fromMillis(r.ExpiresAt),
	}, nil
}

// CreatePending stores p.
func (s *SocialFlowStore) CreatePending(ctx context.Context, p domain.PendingIdentity) error {
	e := p.External
	row := socialPendingRow{
		TokenHash: p.TokenHash[:], Provider: e.Provider, Subject: e.Subject, Email: e.Email,
		EmailVerified: e.EmailVerified, PreferredName: e.PreferredName, Name: e.Name, Next: p.Next,
		CreatedAt: toMillis(p.CreatedAt), ExpiresAt: toMillis(p.ExpiresAt),
	}
	if _, err := s.db.NewInsert().Model(&row).Returning("NULL").Exec(ctx); err != nil {
		return fmt.Errorf("sqlstore: create pending identity: %w", translate(err))
	}
	return nil
}

// Pending returns the pending identity with hash h still open at now.
func (s *SocialFlowStore) Pending(ctx context.Context, h domain.TokenHash, now time.Time) (domain.PendingIdentity, error) {
	var r socialPendingRow
	err := s.db.NewSelect().Model(&r).Where("token_hash = ?", h[:]).Where("expires_at > ?", toMillis(now)).Scan(ctx)
	if err != nil {
		return domain.PendingIdentity{}, fmt.Errorf("sqlstore: pending identity: %w", translate(err))
	}
	th, err := tokenHash(r.TokenHash)
	if err != nil {
		return domain.PendingIdentity{}, err
	}
	return domain.PendingIdentity{
		TokenHash: th,
		External: domain.ExternalIdentity{
			Provider: r.Provider, Subject: r.Subject, Email: r.Email, EmailVerified: r.EmailVerified,
			PreferredName: r.PreferredName, Name: r.Name,
		},
		Next: r.Next, CreatedAt: fromMillis(r.CreatedAt), ExpiresAt: fromMillis(r.ExpiresAt),
	}, nil
}

// ConsumePending deletes the pending identity with hash h: one
// conditional DELETE, whose row count decides.
func (s *SocialFlowStore) ConsumePending(ctx context.Context, h domain.TokenHash) error {
	if err := affectedOne(s.db.NewDelete().Model((*socialPendingRow)(nil)).Where("token_hash = ?", h[:]).Exec(ctx)); err != nil {
		return fmt.Errorf("sqlstore: consume pending identity: %w", err)
	}
	return nil
}

// DeleteExpired deletes the states and pending identities expired at now.
func (s *SocialFlowStore) DeleteExpired(ctx context.Context, now time.Time) (int64, error) {
	var total int64
	for _, model := range []any{(*socialStateRow)(nil), (*socialPendingRow)(nil)} {
		n, err := affected(s.db.NewDelete().Model(model).Where("expires_at <= ?", toMillis(now)).Exec(ctx))
		if err != nil {
			return total, fmt.Errorf("sqlstore: delete expired social logins: %w", translate(err))
		}
		total += n
	}
	return total, nil
}
