package contract

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/domain"
)

func record(t *testing.T, events *sqlstore.EventStore, e domain.SecurityEvent) {
	t.Helper()
	if err := events.Record(context.Background(), e); err != nil {
		t.Fatalf("Record(%s event of user %d) error = %v", e.Kind, e.UserID, err)
	}
}

func TestEventStoreRecord(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		events := sqlstore.NewEventStore(b.newDB(t))
		in := domain.SecurityEvent{
			ID:        99, // ignored: the store assigns IDs
			Kind:      domain.EventAdminRole,
			UserID:    7,
			ActorID:   1,
			IP:        "2001:db8::1",
			UserAgent: "Mozilla/5.0",
			Detail:    "admin",
			At:        t0.In(jst),
		}
		record(t, events, in)
		record(t, events, in)
		got, err := events.ListByUser(ctx, in.UserID, nil, 10)
		if err != nil || len(got) != 2 {
			t.Fatalf("ListByUser(%d) after two Record = %+v, %v, want 2 events", in.UserID, got, err)
		}
		if got[0].ID == got[1].ID || got[0].ID == 99 || got[1].ID == 99 {
			t.Errorf("Record twice gave IDs %d and %d, want two new distinct IDs", got[1].ID, got[0].ID)
		}
		want := in
		want.ID, want.At = got[0].ID, ms(in.At)
		if got[0] != want {
			t.Errorf("ListByUser(%d)[0] = %+v, want %+v", in.UserID, got[0], want)
		}
	})
}

func TestEventStoreListByUser(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		events := sqlstore.NewEventStore(b.newDB(t))
		const alice, bob domain.UserID = 1, 2
		// Detail labels each event; "e3" and "e4" share a time, so the later
		// recorded (higher ID) comes first.
		for _, e := range []domain.SecurityEvent{
			{Kind: domain.EventSignup, UserID: alice, Detail: "e1", At: t0},
			{Kind: domain.EventLoginSuccess, UserID: alice, Detail: "e2", At: t0.Add(time.Minute)},
			{Kind: domain.EventLoginFailure, UserID: alice, Detail: "e3", At: t0.Add(2 * time.Minute)},
			{Kind: domain.EventLoginSuccess, UserID: alice, Detail: "e4", At: t0.Add(2 * time.Minute)},
			{Kind: domain.EventLoginSuccess, UserID: bob, Detail: "b1", At: t0.Add(3 * time.Minute)},
			{Kind: domain.EventLogout, UserID: alice, Detail: "e5", At: t0.Add(4 * time.Minute)},
			{Kind: domain.EventPasswordChange, UserID: alice, Detail: "e0", At: t0.Add(-time.Minute)}, // recorded late
		} {
			record(t, events, e)
		}

		tests := []struct {
			user  domain.UserID
			kinds []domain.EventKind
			limit int
			want  []string
		}{
			{alice, nil, 10, []string{"e5", "e4", "e3", "e2", "e1", "e0"}},
			{alice, []domain.EventKind{}, 10, []string{"e5", "e4", "e3", "e2", "e1", "e0"}},
			{alice, nil, 3, []string{"e5", "e4", "e3"}},
			{alice, nil, 1, []string{"e5"}},
			{alice, nil, 0, nil},
			{alice, nil, -1, nil},
			{alice, []domain.EventKind{domain.EventLoginSuccess}, 10, []string{"e4", "e2"}},
			{alice, []domain.EventKind{domain.EventLoginSuccess}, 1, []string{"e4"}},
			{alice, []domain.EventKind{domain.EventLoginSuccess, domain.EventLoginFailure}, 10, []string{"e4", "e3", "e2"}},
			{alice, []domain.EventKind{domain.EventAdminDelete}, 10, nil},
			{bob, nil, 10, []string{"b1"}},
			{bob, []domain.EventKind{domain.EventLogout}, 10, nil},
			{404, nil, 10, nil},
		}
		for _, tt := range tests {
			got, err := events.ListByUser(ctx, tt.user, tt.kinds, tt.limit)
			var details []string
			for _, e := range got {
				details = append(details, e.Detail)
			}
			if err != nil || !slices.Equal(details, tt.want) {
				t.Errorf("ListByUser(%d, %q, %d) = %q, %v, want %q", tt.user, tt.kinds, tt.limit, details, err, tt.want)
			}
		}
	})
}

// TestEventStoreEventsAboutNoAccount: an event with UserID zero (a failed
// login for a name that matches no account) is stored, and it is in the
// history of no account, not even of one created afterwards.
func TestEventStoreEventsAboutNoAccount(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		events := sqlstore.NewEventStore(db)
		in := domain.SecurityEvent{Kind: domain.EventLoginFailure, IP: "192.0.2.1", Detail: domain.FailureBadPassword, At: t0}
		record(t, events, in)
		got, err := events.ListByUser(ctx, 0, nil, 10)
		if err != nil || len(got) != 1 || got[0].Kind != in.Kind || got[0].UserID != 0 {
			t.Fatalf("ListByUser(0) = %+v, %v, want the one event about no account", got, err)
		}
		alice := createUser(t, sqlstore.NewUserStore(db), "alice")
		if got, err := events.ListByUser(ctx, alice.ID, nil, 10); err != nil || len(got) != 0 {
			t.Errorf("ListByUser(%d), an account created after it, = %+v, %v, want none", alice.ID, got, err)
		}
	})
}
