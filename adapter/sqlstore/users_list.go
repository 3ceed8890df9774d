package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// summaryRow is a users row with what the admin's list shows beside it.
type summaryRow struct {
	userRow `bun:",extend"`

	LastLoginAt    sql.NullInt64  `bun:"last_login_at,scanonly"`
	ActiveSessions int            `bun:"active_sessions,scanonly"`
	PendingEmail   sql.NullString `bun:"pending_email,scanonly"`
	TwoFactor      int            `bun:"two_factor,scanonly"`
	Passkeys       int            `bun:"passkeys,scanonly"`
}

// likeEscaper escapes the characters LIKE treats specially, with '\' as
// the escape character.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// List returns the page of accounts q selects, ordered by canonical
// username, and how many match in all. q.Search, trimmed and case-folded
// like a username, matches canonical usernames that contain it literally
// ('%' and '_' are no wildcards); "" matches all. A q.Limit of zero or less
// returns no accounts, only the total; a negative q.Offset counts as zero.
// Each summary carries the time of the account's last successful login
// (zero when never), how many of its sessions are active at q.Now, and
// the address waiting for verification at q.Now, if any, whether a
// second factor is on and how many passkeys it has.
func (s *UserStore) List(ctx context.Context, q usecase.UserQuery) (usecase.UserPage, error) {
	search := strings.TrimSpace(q.Search)
	filter := func(sq *bun.SelectQuery) *bun.SelectQuery {
		if search == "" {
			return sq
		}
		pattern := likeEscaper.Replace(domain.RestoreUsername(search).Canonical())
		return sq.Where(`?TableAlias.username_canonical LIKE '%' || ? || '%' ESCAPE '\'`, pattern)
	}

	total, err := s.db.NewSelect().Model((*userRow)(nil)).Apply(filter).Count(ctx)
	if err != nil {
		return usecase.UserPage{}, fmt.Errorf("sqlstore: count users matching %q: %w", search, translate(err))
	}
	page := usecase.UserPage{Total: int(total)}
	if q.Limit <= 0 || total == 0 {
		return page, nil
	}

	var rows []summaryRow
	err = s.db.NewSelect().Model(&rows).
		ColumnExpr("?TableAlias.*").
		ColumnExpr("(SELECT max(se.at) FROM security_events AS se"+
			" WHERE se.user_id = ?TableAlias.id AND se.kind = ?) AS last_login_at", domain.EventLoginSuccess).
		ColumnExpr("(SELECT count(*) FROM sessions AS ss"+
			" WHERE ss.user_id = ?TableAlias.id AND ss.expires_at > ?) AS active_sessions", toMillis(q.Now)).
		ColumnExpr("(SELECT oc.address FROM one_time_codes AS oc WHERE oc.user_id = ?TableAlias.id AND oc.purpose = ?"+
			" AND oc.used_at = 0 AND oc.expires_at > ?) AS pending_email", string(domain.PurposeVerifyEmail), toMillis(q.Now)).
		ColumnExpr("(SELECT count(*) FROM totp_secrets AS ts WHERE ts.user_id = ?TableAlias.id AND ts.enabled_at IS NOT NULL) AS two_factor").
		ColumnExpr("(SELECT count(*) FROM passkeys AS pk WHERE pk.user_id = ?TableAlias.id) AS passkeys").
		Apply(filter).
		Order("username_canonical").
		Limit(int64(q.Limit)).
		Offset(int64(max(q.Offset, 0))).
		Scan(ctx)
	if err != nil {
		return usecase.UserPage{}, fmt.Errorf("sqlstore: list users matching %q: %w", search, translate(err))
	}
	page.Users = make([]usecase.UserSummary, len(rows))
	for i, r := range rows {
		page.Users[i] = usecase.UserSummary{User: r.user(), ActiveSessions: r.ActiveSessions,
			PendingEmail: domain.RestoreEmailAddress(r.PendingEmail.String), TwoFactor: r.TwoFactor > 0, Passkeys: r.Passkeys}
		if r.LastLoginAt.Valid {
			page.Users[i].LastLoginAt = fromMillis(r.LastLoginAt.Int64)
		}
	}
	if err := s.addProviders(ctx, page.Users); err != nil {
		return usecase.UserPage{}, err
	}
	return page, nil
}

// addProviders fills in the providers linked to each account of users,
// in one query for the page.
func (s *UserStore) addProviders(ctx context.Context, users []usecase.UserSummary) error {
	if len(users) == 0 {
		return nil
	}
	index := make(map[int64]int, len(users))
	ids := make([]int64, len(users))
	for i, u := range users {
		index[int64(u.User.ID)], ids[i] = i, int64(u.User.ID)
	}
	var rows []identityRow
	err := s.db.NewSelect().Model(&rows).Column("user_id", "provider").
		Where("user_id IN (?)", bun.List(ids)).Order("user_id", "provider").Scan(ctx)
	if err != nil {
		return fmt.Errorf("sqlstore: providers of the listed users: %w", translate(err))
	}
	for _, r := range rows {
		i := index[r.UserID]
		users[i].Providers = append(users[i].Providers, r.Provider)
	}
	return nil
}
