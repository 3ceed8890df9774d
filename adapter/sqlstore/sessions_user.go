package sqlstore

import (
	"context"
	"fmt"

	"github.com/gatehouse/gatehouse/domain"
)

// sessionWithUserQuery reads a session by its token hash together with
// its account: the one query behind every authenticated request. The
// join is on the primary key of users, and token_hash is UNIQUE, so it
// reads one row of each through their indexes.
const sessionWithUserQuery = `SELECT
 s.id, s.token_hash, s.user_id, s.persistent, s.created_at, s.last_seen_at, s.expires_at, s.absolute_expires_at,
 s.ip, s.user_agent, s.previous_login_known, s.previous_login_at, s.previous_login_ip,
 u.username, u.password_hash, u.created_at, u.role, u.disabled, u.must_change_password
FROM sessions AS s JOIN users AS u ON u.id = s.user_id
WHERE s.token_hash = ?`

// ByTokenHashWithUser returns the session whose token hashes to h and
// the account it belongs to, read in one round trip on a prepared
// statement, or an error wrapping domain.ErrNotFound. Like ByTokenHash it
// returns expired sessions, and disabled accounts too: judging them is
// the caller's business. Nothing is cached: every call reads the rows as
// they are now.
func (s *SessionStore) ByTokenHashWithUser(ctx context.Context, h domain.TokenHash) (domain.Session, domain.User, error) {
	var (
		sr sessionRow
		ur userRow
	)
	row, err := s.withUser.queryRow(ctx, h[:])
	if err == nil {
		err = row.Scan(
			&sr.ID, &sr.TokenHash, &sr.UserID, &sr.Persistent, &sr.CreatedAt, &sr.LastSeenAt, &sr.ExpiresAt, &sr.AbsoluteExpiresAt,
			&sr.IP, &sr.UserAgent, &sr.PreviousLoginKnown, &sr.PreviousLoginAt, &sr.PreviousLoginIP,
			&ur.Username, &ur.PasswordHash, &ur.CreatedAt, &ur.Role, &ur.Disabled, &ur.MustChangePassword)
	}
	if err != nil {
		return domain.Session{}, domain.User{}, fmt.Errorf("sqlstore: session and user by token hash: %w", translate(err))
	}
	sess, err := sr.session()
	if err != nil {
		return domain.Session{}, domain.User{}, err
	}
	ur.ID = sr.UserID
	return sess, ur.user(), nil
}
