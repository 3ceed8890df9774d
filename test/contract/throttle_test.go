package contract

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/usecase"
)

// Client networks as usecase.ClientNetwork writes them.
const (
	netA = "192.0.2.1"
	netB = "2001:db8::/64"
)

// recordFailure records a failure that remembers everything (since is the
// zero time); recordFailureSince sets the memory.
func recordFailure(t *testing.T, s *sqlstore.ThrottleStore, account, network string, at time.Time) {
	t.Helper()
	recordFailureSince(t, s, account, network, at, time.Time{})
}

func recordFailureSince(t *testing.T, s *sqlstore.ThrottleStore, account, network string, at, since time.Time) {
	t.Helper()
	if err := s.RecordFailure(context.Background(), account, network, at, since); err != nil {
		t.Fatalf("RecordFailure(%q, %q, %v) error = %v", account, network, at, err)
	}
}

func addEvent(t *testing.T, s *sqlstore.ThrottleStore, kind, network string, at time.Time) {
	t.Helper()
	if err := s.AddEvent(context.Background(), kind, network, at); err != nil {
		t.Fatalf("AddEvent(%q, %q, %v) error = %v", kind, network, at, err)
	}
}

// checkFailures asserts what Failures reports for account from network
// since since.
func checkFailures(t *testing.T, s *sqlstore.ThrottleStore, account, network string, since time.Time, want int, wantLast time.Time) {
	t.Helper()
	got, last, err := s.Failures(context.Background(), account, network, since)
	if err != nil || got != want || last != wantLast {
		t.Errorf("Failures(%q, %q, %v) = %d, %v, %v, want %d, %v, nil", account, network, since, got, last, err, want, wantLast)
	}
}

// checkEvents asserts what CountEvents reports for kind from network
// since since.
func checkEvents(t *testing.T, s *sqlstore.ThrottleStore, kind, network string, since time.Time, want int, wantEarliest time.Time) {
	t.Helper()
	got, earliest, err := s.CountEvents(context.Background(), kind, network, since)
	if err != nil || got != want || earliest != wantEarliest {
		t.Errorf("CountEvents(%q, %q, %v) = %d, %v, %v, want %d, %v, nil", kind, network, since, got, earliest, err, want, wantEarliest)
	}
}

// countRows returns how many rows table holds.
func countRows(t *testing.T, db *bun.DB, table string) int {
	t.Helper()
	var n int
	if err := db.NewRaw("SELECT count(*) FROM ?", bun.Ident(table)).Scan(context.Background(), &n); err != nil {
		t.Fatalf("count rows of %s: %v", table, err)
	}
	return n
}

func TestThrottleStoreFailures(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		s := sqlstore.NewThrottleStore(b.newDB(t))
		last := t0.Add(2 * time.Second)
		recordFailure(t, s, "alice", netA, t0.In(jst))
		recordFailure(t, s, "alice", netA, t0.Add(time.Second).In(jst))
		recordFailure(t, s, "alice", netA, last.In(jst))
		recordFailure(t, s, "bob", netB, t0)

		tests := []struct {
			account, network string
			since            time.Time
			want             int
			wantLast         time.Time
		}{
			{"alice", netA, time.Time{}, 3, ms(last)},
			{"alice", netA, t0, 3, ms(last)},
			{"alice", netA, ms(last), 3, ms(last)}, // at since counts
			{"alice", netA, ms(last).In(jst), 3, ms(last)},
			{"alice", netA, ms(last).Add(time.Millisecond), 0, time.Time{}},
			{"alice", netB, time.Time{}, 0, time.Time{}},
			{"bob", netA, time.Time{}, 0, time.Time{}},
			{"bob", netB, time.Time{}, 1, ms(t0)},
			{"carol", netA, time.Time{}, 0, time.Time{}},
			{"", netA, time.Time{}, 0, time.Time{}},
		}
		for _, tt := range tests {
			checkFailures(t, s, tt.account, tt.network, tt.since, tt.want, tt.wantLast)
		}
	})
}

func TestThrottleStoreRecordFailureAddsEvent(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		db := b.newDB(t)
		s := sqlstore.NewThrottleStore(db)
		recordFailure(t, s, "alice", netA, t0)
		recordFailure(t, s, "", netA, t0.Add(time.Second)) // no valid username: event only

		checkEvents(t, s, usecase.ThrottleLoginFailure, netA, time.Time{}, 2, ms(t0))
		checkFailures(t, s, "alice", netA, time.Time{}, 1, ms(t0))
		checkFailures(t, s, "", netA, time.Time{}, 0, time.Time{})
		if n := countRows(t, db, "login_failures"); n != 1 {
			t.Errorf("login_failures rows after RecordFailure(%q) and RecordFailure(%q) = %d, want 1: an empty account has no counter", "alice", "", n)
		}
	})
}

func TestThrottleStoreRecordFailureKeepsLatest(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		s := sqlstore.NewThrottleStore(b.newDB(t))
		later := t0.Add(time.Second)
		recordFailure(t, s, "alice", netA, later)
		recordFailure(t, s, "alice", netA, t0) // recorded late, e.g. by a slower instance
		checkFailures(t, s, "alice", netA, time.Time{}, 2, ms(later))
	})
}

// TestThrottleStoreFailuresRestartAfterTheMemory checks that a run of
// failures older than since is forgotten when the next failure comes,
// without waiting for Purge.
func TestThrottleStoreFailuresRestartAfterTheMemory(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		s := sqlstore.NewThrottleStore(b.newDB(t))
		dayLater := t0.Add(24 * time.Hour)
		for range 4 {
			recordFailureSince(t, s, "alice", netA, t0, t0.Add(-time.Hour))
		}
		checkFailures(t, s, "alice", netA, time.Time{}, 4, ms(t0))

		recordFailureSince(t, s, "alice", netA, dayLater, dayLater.Add(-time.Hour))
		checkFailures(t, s, "alice", netA, time.Time{}, 1, ms(dayLater))

		recordFailureSince(t, s, "alice", netA, dayLater.Add(time.Minute), dayLater.Add(-time.Hour))
		checkFailures(t, s, "alice", netA, time.Time{}, 2, ms(dayLater.Add(time.Minute)))
	})
}

func TestThrottleStoreResetFailures(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := sqlstore.NewThrottleStore(b.newDB(t))
		recordFailure(t, s, "alice", netA, t0)
		recordFailure(t, s, "alice", netA, t0)
		recordFailure(t, s, "alice", netB, t0)
		recordFailure(t, s, "bob", netA, t0)

		for range 2 { // the second reset finds nothing, which is no error
			if err := s.ResetFailures(ctx, "alice", netA); err != nil {
				t.Errorf("ResetFailures(%q, %q) error = %v, want nil", "alice", netA, err)
			}
		}
		if err := s.ResetFailures(ctx, "carol", netA); err != nil {
			t.Errorf("ResetFailures(%q, %q) without failures: error = %v, want nil", "carol", netA, err)
		}
		checkFailures(t, s, "alice", netA, time.Time{}, 0, time.Time{})
		checkFailures(t, s, "alice", netB, time.Time{}, 1, ms(t0))
		checkFailures(t, s, "bob", netA, time.Time{}, 1, ms(t0))
		// The per-network cap must not be cleared by one successful login.
		checkEvents(t, s, usecase.ThrottleLoginFailure, netA, time.Time{}, 3, ms(t0))
	})
}

func TestThrottleStoreCountEvents(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		s := sqlstore.NewThrottleStore(b.newDB(t))
		addEvent(t, s, usecase.ThrottleSignup, netA, t0.Add(2*time.Minute))
		addEvent(t, s, usecase.ThrottleSignup, netA, t0.In(jst))
		addEvent(t, s, usecase.ThrottleSignup, netA, t0.Add(time.Minute))
		addEvent(t, s, usecase.ThrottleLoginFailure, netA, t0.Add(time.Minute))
		addEvent(t, s, usecase.ThrottleSignup, netB, t0)

		tests := []struct {
			kind, network string
			since         time.Time
			want          int
			wantEarliest  time.Time
		}{
			{usecase.ThrottleSignup, netA, time.Time{}, 3, ms(t0)},
			{usecase.ThrottleSignup, netA, ms(t0), 3, ms(t0)}, // at since counts
			{usecase.ThrottleSignup, netA, ms(t0).Add(time.Millisecond), 2, ms(t0.Add(time.Minute))},
			{usecase.ThrottleSignup, netA, t0.Add(time.Minute).In(jst), 2, ms(t0.Add(time.Minute))},
			{usecase.ThrottleSignup, netA, t0.Add(3 * time.Minute), 0, time.Time{}},
			{usecase.ThrottleLoginFailure, netA, time.Time{}, 1, ms(t0.Add(time.Minute))},
			{usecase.ThrottleSignup, netB, time.Time{}, 1, ms(t0)},
			{usecase.ThrottleLoginFailure, netB, time.Time{}, 0, time.Time{}},
			{usecase.ThrottleSignup, "198.51.100.7", time.Time{}, 0, time.Time{}},
		}
		for _, tt := range tests {
			checkEvents(t, s, tt.kind, tt.network, tt.since, tt.want, tt.wantEarliest)
		}
	})
}

func TestThrottleStorePurge(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := sqlstore.NewThrottleStore(b.newDB(t))
		recordFailure(t, s, "alice", netA, t0)                  // counter and event at t0
		recordFailure(t, s, "bob", netA, t0.Add(2*time.Minute)) // counter and event at t0+2m
		addEvent(t, s, usecase.ThrottleSignup, netB, t0.Add(time.Minute))

		tests := []struct {
			eventsBefore, failuresBefore time.Time
			want                         int64
		}{
			{t0.Add(time.Minute), t0.Add(time.Minute), 2}, // alice's event and counter
			{t0.Add(time.Minute), t0.Add(time.Minute), 0},
			{time.Time{}, t0.Add(3 * time.Minute), 1}, // bob's counter only
			{t0.Add(3 * time.Minute), time.Time{}, 2}, // the last two events only
			{t0.Add(time.Hour), t0.Add(time.Hour), 0},
		}
		for i, tt := range tests {
			got, err := s.Purge(ctx, tt.eventsBefore, tt.failuresBefore)
			if err != nil || got != tt.want {
				t.Errorf("Purge #%d (%v, %v) = %d, %v, want %d, nil", i, tt.eventsBefore, tt.failuresBefore, got, err, tt.want)
			}
			if i == 0 { // what the first purge leaves: everything at or after the cutoffs
				checkFailures(t, s, "alice", netA, time.Time{}, 0, time.Time{})
				checkFailures(t, s, "bob", netA, time.Time{}, 1, ms(t0.Add(2*time.Minute)))
				checkEvents(t, s, usecase.ThrottleLoginFailure, netA, time.Time{}, 1, ms(t0.Add(2*time.Minute)))
				checkEvents(t, s, usecase.ThrottleSignup, netB, time.Time{}, 1, ms(t0.Add(time.Minute)))
			}
		}
	})
}

// TestThrottleStoreWritesAreAtomic makes the second statement of each
// two-statement write fail, and checks that the first left no trace.
func TestThrottleStoreWritesAreAtomic(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		s := sqlstore.NewThrottleStore(db)
		recordFailure(t, s, "alice", netA, t0)

		refuse(t, b, db, "INSERT", "throttle_events")
		if err := s.RecordFailure(ctx, "alice", netA, t0.Add(time.Second), time.Time{}); err == nil {
			t.Fatalf("RecordFailure() with events refused: error = nil, want one")
		}
		checkFailures(t, s, "alice", netA, time.Time{}, 1, ms(t0))

		refuse(t, b, db, "DELETE", "login_failures")
		if _, err := s.Purge(ctx, t0.Add(time.Hour), t0.Add(time.Hour)); err == nil {
			t.Fatalf("Purge() with counters refused: error = nil, want one")
		}
		checkEvents(t, s, usecase.ThrottleLoginFailure, netA, time.Time{}, 1, ms(t0))
	})
}

// refuse makes every event (INSERT, DELETE) on table fail, with a trigger
// written in b's dialect.
func refuse(t *testing.T, b backend, db *bun.DB, event, table string) {
	t.Helper()
	name := "refuse_" + strings.ToLower(event)
	queries := []string{"CREATE TRIGGER " + name + " BEFORE " + event + " ON " + table + " BEGIN SELECT RAISE(ABORT, 'refused'); END"}
	if b.isPostgres() {
		queries = []string{
			"CREATE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$",
			"CREATE TRIGGER " + name + " BEFORE " + event + " ON " + table + " FOR EACH ROW EXECUTE FUNCTION " + name + "()",
		}
	}
	for _, q := range queries {
		if _, err := db.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// TestThrottleStoreRecordFailureConcurrently records 20 failures of one
// account at once: the counter and the per-network events lose none.
func TestThrottleStoreRecordFailureConcurrently(t *testing.T) {
	forEachConcurrentStore(t, func(t *testing.T, b backend) {
		s := sqlstore.NewThrottleStore(b.newDB(t))
		const n = 20
		errs := make([]error, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				<-start
				errs[i] = s.RecordFailure(context.Background(), "alice", netA, t0.Add(time.Duration(i)*time.Millisecond), time.Time{})
			})
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("concurrent RecordFailure #%d error = %v, want nil", i, err)
			}
		}
		last := ms(t0.Add((n - 1) * time.Millisecond))
		checkFailures(t, s, "alice", netA, time.Time{}, n, last)
		checkEvents(t, s, usecase.ThrottleLoginFailure, netA, time.Time{}, n, ms(t0))
	})
}

func TestThrottleStoreClearAccount(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		s := sqlstore.NewThrottleStore(db)
		recordFailure(t, s, "alice", netA, t0)
		recordFailure(t, s, "alice", netA, t0)
		recordFailure(t, s, "alice", netB, t0)
		recordFailure(t, s, "bob", netA, t0)

		tests := []struct {
			account string
			want    int64
		}{
			{"alice", 2}, // one counter per network
			{"alice", 0}, // nothing left, no error
			{"carol", 0},
		}
		for _, tt := range tests {
			if got, err := s.ClearAccount(ctx, tt.account); err != nil || got != tt.want {
				t.Errorf("ClearAccount(%q) = %d, %v, want %d, nil", tt.account, got, err, tt.want)
			}
		}
		checkFailures(t, s, "alice", netA, time.Time{}, 0, time.Time{})
		checkFailures(t, s, "alice", netB, time.Time{}, 0, time.Time{})
		checkFailures(t, s, "bob", netA, time.Time{}, 1, ms(t0))
		// The per-network events stay: clearing an account is no amnesty for
		// the network that sprayed it.
		checkEvents(t, s, usecase.ThrottleLoginFailure, netA, time.Time{}, 3, ms(t0))
	})
}
