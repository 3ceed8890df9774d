package contract

import (
	"context"
	"fmt"
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

// unlimited is a lock that never locks; the helpers below count without
// limits, to set up the state the tests then judge.
var unlimited = usecase.LockRule{Max: 1 << 30, Base: time.Second, Cap: time.Second}

// failure is the reservation of one failed login of account from network
// at at, forgetting runs whose last failure is before since, with no
// limit: a failure counter and a usecase.ThrottleLoginFailure event.
func failure(account, network string, at, since time.Time) usecase.ThrottleReservation {
	r := usecase.ThrottleReservation{At: at, Windows: []usecase.WindowCount{{Kind: usecase.ThrottleLoginFailure, Key: network, Max: 1 << 30, Window: 1000 * time.Hour}}}
	if account != "" {
		r.Counter = usecase.FailureCounter{Account: account, Key: network, Since: since, Lock: unlimited}
	}
	return r
}

// recordFailure reserves a failure that remembers everything (since is
// the zero time); recordFailureSince sets the memory.
func recordFailure(t *testing.T, s *sqlstore.ThrottleStore, account, network string, at time.Time) usecase.ThrottleTicket {
	t.Helper()
	return recordFailureSince(t, s, account, network, at, time.Time{})
}

func recordFailureSince(t *testing.T, s *sqlstore.ThrottleStore, account, network string, at, since time.Time) usecase.ThrottleTicket {
	t.Helper()
	ticket, until, err := s.Reserve(context.Background(), failure(account, network, at, since))
	if err != nil || !until.IsZero() {
		t.Fatalf("Reserve(failure of %q from %q at %v) = %v, %v, want accepted", account, network, at, until, err)
	}
	return ticket
}

func addEvent(t *testing.T, s *sqlstore.ThrottleStore, kind, network string, at time.Time) {
	t.Helper()
	r := usecase.ThrottleReservation{At: at, Windows: []usecase.WindowCount{{Kind: kind, Key: network, Max: 1 << 30, Window: 1000 * time.Hour}}}
	if _, until, err := s.Reserve(context.Background(), r); err != nil || !until.IsZero() {
		t.Fatalf("Reserve(%q event from %q at %v) = %v, %v, want accepted", kind, network, at, until, err)
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

func TestThrottleStoreReserveAddsEvent(t *testing.T) {
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

func TestThrottleStoreReserveKeepsLatest(t *testing.T) {
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

// TestThrottleStoreRelease: a ticket's release forgets its counter
// altogether and removes the events it added, and nothing else.
func TestThrottleStoreRelease(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := sqlstore.NewThrottleStore(b.newDB(t))
		recordFailure(t, s, "alice", netA, t0)
		ticket := recordFailure(t, s, "alice", netA, t0.Add(time.Second))
		recordFailure(t, s, "alice", netB, t0)
		recordFailure(t, s, "bob", netA, t0)

		for range 2 { // the second release finds nothing, which is no error
			if err := s.Release(ctx, ticket); err != nil {
				t.Errorf("Release(%+v) error = %v, want nil", ticket, err)
			}
		}
		if err := s.Release(ctx, usecase.ThrottleTicket{}); err != nil {
			t.Errorf("Release(empty ticket) error = %v, want nil", err)
		}
		checkFailures(t, s, "alice", netA, time.Time{}, 0, time.Time{})
		checkFailures(t, s, "alice", netB, time.Time{}, 1, ms(t0))
		checkFailures(t, s, "bob", netA, time.Time{}, 1, ms(t0))
		// Only the released attempt's event goes: the network's other
		// failures still count against its cap.
		checkEvents(t, s, usecase.ThrottleLoginFailure, netA, time.Time{}, 2, ms(t0))
	})
}

// TestThrottleStoreReserveRefuses: a reservation that meets a locked
// counter or a full window is refused, writes nothing, and says when the
// latest of them frees a place.
func TestThrottleStoreReserveRefuses(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		s := sqlstore.NewThrottleStore(db)
		lock := usecase.LockRule{Max: 2, Base: time.Minute, Cap: time.Hour}
		login := func(at time.Time, windowMax int) usecase.ThrottleReservation {
			return usecase.ThrottleReservation{
				At:      at,
				Counter: usecase.FailureCounter{Account: "alice", Key: netA, Lock: lock},
				Windows: []usecase.WindowCount{{Kind: usecase.ThrottleLoginFailure, Key: netA, Max: windowMax, Window: time.Hour}},
			}
		}
		tests := []struct {
			at        time.Time
			windowMax int
			wantUntil time.Time
		}{
			{t0, 10, time.Time{}},
			{t0.Add(time.Second), 10, time.Time{}},                                // the 2nd failure locks the counter...
			{t0.Add(30 * time.Second), 10, ms(t0.Add(time.Second + time.Minute))}, // ...for a minute from it
			{t0.Add(30 * time.Second), 2, ms(t0.Add(time.Hour))},                  // the window, full, frees later
			{t0.Add(time.Second + time.Minute), 10, time.Time{}},                  // the lock has passed
			{t0.Add(time.Second + time.Minute), 10, ms(t0.Add(time.Second + 3*time.Minute))},
		}
		for i, tt := range tests {
			_, until, err := s.Reserve(ctx, login(tt.at, tt.windowMax))
			if err != nil || !until.Equal(tt.wantUntil) {
				t.Errorf("Reserve #%d at %v = %v, %v, want %v, nil", i, tt.at, until, err, tt.wantUntil)
			}
		}
		// The two refusals in the middle wrote nothing.
		checkFailures(t, s, "alice", netA, time.Time{}, 3, ms(t0.Add(time.Second+time.Minute)))
		checkEvents(t, s, usecase.ThrottleLoginFailure, netA, time.Time{}, 3, ms(t0))
	})
}

// TestThrottleStoreReserveConcurrently fires bursts of reservations at
// once, each burst on its own: 25 of one failure counter (locked at 5),
// 30 of one window (20 places), and 25 logins as a login reserves them,
// each from its own network, against one account's window (20 places).
// Exactly 5, 20 and 20 are accepted, however the database interleaves
// them, and the state counts exactly those.
func TestThrottleStoreReserveConcurrently(t *testing.T) {
	forEachConcurrentStore(t, func(t *testing.T, b backend) {
		s := sqlstore.NewThrottleStore(b.newDB(t))
		lock := usecase.LockRule{Max: 5, Base: time.Minute, Cap: time.Hour}
		bursts := []struct {
			name    string
			n, want int
			r       func(i int) usecase.ThrottleReservation
		}{
			{"failures", 25, 5, func(int) usecase.ThrottleReservation {
				return usecase.ThrottleReservation{At: t0, Counter: usecase.FailureCounter{Account: "alice", Key: netA, Lock: lock}}
			}},
			{"signups", 30, 20, func(int) usecase.ThrottleReservation {
				return usecase.ThrottleReservation{At: t0, Windows: []usecase.WindowCount{{Kind: usecase.ThrottleSignup, Key: netB, Max: 20, Window: time.Hour}}}
			}},
			{"rotating networks", 25, 20, func(i int) usecase.ThrottleReservation {
				network := fmt.Sprintf("198.18.0.%d", i+1)
				return usecase.ThrottleReservation{
					At:      t0,
					Counter: usecase.FailureCounter{Account: "bob", Key: network, Lock: lock},
					Windows: []usecase.WindowCount{
						{Kind: usecase.ThrottleLoginFailure, Key: network, Max: 100, Window: time.Hour},
						{Kind: usecase.ThrottleAccountFailure, Key: "bob", Max: 20, Window: time.Hour},
					},
				}
			}},
		}
		for _, burst := range bursts {
			accepted := make([]bool, burst.n)
			errs := make([]error, burst.n)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range burst.n {
				wg.Go(func() {
					<-start
					var until time.Time
					_, until, errs[i] = s.Reserve(context.Background(), burst.r(i))
					accepted[i] = errs[i] == nil && until.IsZero()
				})
			}
			close(start)
			wg.Wait()
			got := 0
			for i := range burst.n {
				if errs[i] != nil {
					t.Errorf("%s: concurrent Reserve #%d error = %v, want nil", burst.name, i, errs[i])
				}
				if accepted[i] {
					got++
				}
			}
			if got != burst.want {
				t.Errorf("%s: %d concurrent Reserves accepted %d, want %d", burst.name, burst.n, got, burst.want)
			}
		}
		checkFailures(t, s, "alice", netA, time.Time{}, 5, ms(t0))
		checkEvents(t, s, usecase.ThrottleSignup, netB, time.Time{}, 20, ms(t0))
		checkEvents(t, s, usecase.ThrottleAccountFailure, "bob", time.Time{}, 20, ms(t0))
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
		if _, _, err := s.Reserve(ctx, failure("alice", netA, t0.Add(time.Second), time.Time{})); err == nil {
			t.Fatalf("Reserve() with events refused: error = nil, want one")
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

func TestThrottleStoreClearAccount(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		s := sqlstore.NewThrottleStore(db)
		recordFailure(t, s, "alice", netA, t0)
		recordFailure(t, s, "alice", netA, t0)
		recordFailure(t, s, "alice", netB, t0)
		recordFailure(t, s, "bob", netA, t0)
		addEvent(t, s, usecase.ThrottleAccountFailure, "alice", t0)
		addEvent(t, s, usecase.ThrottleAccountFailure, "bob", t0)

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
		// The account's budget for unknown devices is whole again; another
		// account's is not.
		checkEvents(t, s, usecase.ThrottleAccountFailure, "alice", time.Time{}, 0, time.Time{})
		checkEvents(t, s, usecase.ThrottleAccountFailure, "bob", time.Time{}, 1, ms(t0))
		// The per-network events stay: clearing an account is no amnesty for
		// the network that sprayed it.
		checkEvents(t, s, usecase.ThrottleLoginFailure, netA, time.Time{}, 3, ms(t0))
	})
}
