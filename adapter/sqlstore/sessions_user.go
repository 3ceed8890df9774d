package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/gatehouse/gatehouse/domain"
)

// sessionWithUserQuery reads a session by its token hash together with
// its account: the one query behind every authenticated request. The
// join is on the primary key of users, and token_hash is UNIQUE, so it
// reads one row of each through their indexes.
const sessionWithUserQuery = `SELECT
 s.id, s.token_hash, s.user_id, s.persistent, s.created_at, s.last_seen_at, s.expires_at, s.absolute_expires_at,
 s.ip, s.user_agent, s.previous_login_known, s.previous_login_at, s.previous_login_ip, s.credential_version, s.two_factor_at,
 u.username, u.display_name, u.password_hash, u.created_at, u.role, u.disabled, u.must_change_password, u.credential_version,
 u.email
FROM sessions AS s JOIN users AS u ON u.id = s.user_id
WHERE s.token_hash = `

// sessionWithUserParam is the query's one parameter, per dialect. On
// SQLite it is wrapped in a scalar subquery, so the plan cannot depend on
// its value: once a database has statistics (ANALYZE, or PRAGMA optimize
// run by an operator), SQLite built with STAT4, as this driver is,
// compiles a prepared statement again every time a parameter compared
// with an indexed column changes (sqlite3_prepare_v2, "the specific value
// bound to a host parameter ... might influence the choice of query
// plan"), which tripled the cost of every authenticated request on an
// analyzed database (BenchmarkStoreSessionWithUser/sqlite-file-analyzed
// in test/hotpath). The subquery is evaluated once and the lookup still
// uses the token_hash index. PostgreSQL plans a prepared statement by
// its own rules, and would type an untyped parameter in a subquery as
// text.
func sessionWithUserParam(pg bool) string {
	if pg {
		return "?"
	}
	return "(SELECT ?)"
}

// ByTokenHashWithUser returns the session whose token hashes to h and
// the account it belongs to (all of it, its verified address included), read in one round trip on a prepared
// statement, or an error wrapping domain.ErrNotFound. Like ByTokenHash it
// returns expired sessions, disabled accounts, and sessions whose
// credential version the account no longer has: judging them is the
// caller's business. Nothing is cached: every call reads the rows as
// they are now.
func (s *SessionStore) ByTokenHashWithUser(ctx context.Context, h domain.TokenHash) (domain.Session, domain.User, error) {
	var (
		sr          sessionRow
		ur          userRow
		displayName sql.NullString
		email       sql.NullString
	)
	row, err := s.withUser.queryRow(ctx, h[:])
	if err == nil {
		err = row.Scan(
			&sr.ID, &sr.TokenHash, &sr.UserID, &sr.Persistent, &sr.CreatedAt, &sr.LastSeenAt, &sr.ExpiresAt, &sr.AbsoluteExpiresAt,
			&sr.IP, &sr.UserAgent, &sr.PreviousLoginKnown, &sr.PreviousLoginAt, &sr.PreviousLoginIP, &sr.CredentialVersion, &sr.TwoFactorAt,
			&ur.Username, &displayName, &ur.PasswordHash, &ur.CreatedAt, &ur.Role, &ur.Disabled, &ur.MustChangePassword, &ur.CredentialVersion,
			&email)
	}
	if err != nil {
		return domain.Session{}, domain.User{}, fmt.Errorf("sqlstore: session and user by token hash: %w", translate(err))
	}
	sess, err := sr.session()
	if err != nil {
		return domain.Session{}, domain.User{}, err
	}
	ur.ID, ur.DisplayName, ur.Email = sr.UserID, displayName.String, email.String
	return sess, ur.user(), nil
}
