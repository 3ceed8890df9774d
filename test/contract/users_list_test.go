package contract

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// names returns the usernames on page, as typed.
func names(page usecase.UserPage) []string {
	var out []string
	for _, s := range page.Users {
		out = append(out, s.User.Username.String())
	}
	return out
}

func TestUserStoreList(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		users := sqlstore.NewUserStore(b.newDB(t))
		// Created out of order: List sorts by canonical username.
		for _, name := range []string{"Zoë", "carol_x", "Alice", "Straße", "dave.y", "bob", "Erin-z"} {
			createUser(t, users, name)
		}
		all := []string{"Alice", "bob", "carol_x", "dave.y", "Erin-z", "Straße", "Zoë"}

		tests := []struct {
			search        string
			offset, limit int
			want          []string
			wantTotal     int
		}{
			{"", 0, 10, all, 7},
			{"", 0, 3, all[:3], 7},
			{"", 3, 3, all[3:6], 7},
			{"", 6, 3, all[6:], 7},
			{"", 7, 3, nil, 7},
			{"", -1, 2, all[:2], 7},
			{"", 0, 0, nil, 7}, // the total only
			{"a", 0, 10, []string{"Alice", "carol_x", "dave.y", "Straße"}, 4},
			{"a", 1, 2, []string{"carol_x", "dave.y"}, 4},
			{"ALI", 0, 10, []string{"Alice"}, 1},
			{" ali ", 0, 10, []string{"Alice"}, 1},
			{"ß", 0, 10, []string{"Straße"}, 1},
			{"STRASSE", 0, 10, []string{"Straße"}, 1},
			{"ZOË", 0, 10, []string{"Zoë"}, 1},
			{"ë", 0, 10, []string{"Zoë"}, 1},
			// LIKE's wildcards and escape character match only themselves.
			{"_", 0, 10, []string{"carol_x"}, 1},
			{"l_x", 0, 10, []string{"carol_x"}, 1},
			{"a_", 0, 10, nil, 0},
			{"%", 0, 10, nil, 0},
			{"a%e", 0, 10, nil, 0},
			{`\`, 0, 10, nil, 0},
			{`\_`, 0, 10, nil, 0},
			{".", 0, 10, []string{"dave.y"}, 1},
			{"nobody", 0, 10, nil, 0},
		}
		for _, tt := range tests {
			q := usecase.UserQuery{Search: tt.search, Offset: tt.offset, Limit: tt.limit, Now: t0}
			got, err := users.List(ctx, q)
			if err != nil || !slices.Equal(names(got), tt.want) || got.Total != tt.wantTotal {
				t.Errorf("List(%q, offset %d, limit %d) = %q, total %d, %v, want %q, total %d",
					tt.search, tt.offset, tt.limit, names(got), got.Total, err, tt.want, tt.wantTotal)
			}
		}
	})
}

func TestUserStoreListSummaries(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users, sessions, events := sqlstore.NewUserStore(db), sqlstore.NewSessionStore(db), sqlstore.NewEventStore(db)
		alice := createAccount(t, users, "alice", domain.RoleAdmin, false)
		bob := createAccount(t, users, "bob", domain.RoleUser, true)
		carol := createUser(t, users, "carol")
		now := t0.Add(24 * time.Hour)

		lastLogin := t0.Add(time.Hour + time.Microsecond)
		for _, e := range []domain.SecurityEvent{
			{Kind: domain.EventLoginSuccess, UserID: alice.ID, At: t0},
			{Kind: domain.EventLoginSuccess, UserID: alice.ID, At: lastLogin},
			{Kind: domain.EventLoginFailure, UserID: alice.ID, At: t0.Add(2 * time.Hour)}, // not a login
			{Kind: domain.EventLogout, UserID: alice.ID, At: t0.Add(3 * time.Hour)},
			{Kind: domain.EventLoginFailure, UserID: bob.ID, At: t0},
			{Kind: domain.EventSignup, UserID: carol.ID, At: t0},
			{Kind: domain.EventLoginSuccess, UserID: carol.ID, At: t0.Add(-time.Hour), ActorID: alice.ID},
		} {
			record(t, events, e)
		}
		createSession(t, sessions, session(alice.ID, 1, now.Add(time.Hour)))
		createSession(t, sessions, session(alice.ID, 2, now.Add(time.Millisecond)))
		createSession(t, sessions, session(alice.ID, 3, now)) // ends at now: not active
		createSession(t, sessions, session(alice.ID, 4, now.Add(-time.Hour)))
		createSession(t, sessions, session(bob.ID, 5, now.Add(-time.Hour)))
		createSession(t, sessions, session(carol.ID, 6, now.Add(time.Hour)))

		got, err := users.List(ctx, usecase.UserQuery{Limit: 10, Now: now})
		want := []usecase.UserSummary{
			{User: alice, LastLoginAt: ms(lastLogin), ActiveSessions: 2},
			{User: bob, LastLoginAt: time.Time{}, ActiveSessions: 0},
			{User: carol, LastLoginAt: ms(t0.Add(-time.Hour)), ActiveSessions: 1},
		}
		if err != nil || !reflect.DeepEqual(got.Users, want) || got.Total != len(want) {
			t.Errorf("List(now %v) = %+v, %v, want %+v, total %d", now, got, err, want, len(want))
		}
	})
}
