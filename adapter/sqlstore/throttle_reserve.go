package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"github.com/gatehouse/gatehouse/usecase"
)

// Reserve checks every limit of r and, when none refuses, counts r in all
// of them, in one transaction that no other reservation of the same
// counter or count can interleave with: on SQLite every transaction takes
// the database's write lock at BEGIN (the connections are opened with
// _txlock=immediate), on PostgreSQL the transaction first takes an
// advisory lock per counter and count, in a fixed order so that two
// reservations never wait for each other. Both hold across processes on
// one database. A refused reservation writes nothing and reports when the
// latest of the limits it met frees a place.
func (s *ThrottleStore) Reserve(ctx context.Context, r usecase.ThrottleReservation) (usecase.ThrottleTicket, time.Time, error) {
	var (
		ticket usecase.ThrottleTicket
		until  time.Time
	)
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		ticket, until = usecase.ThrottleTicket{}, time.Time{}
		if err := lockKeys(ctx, tx, reservationKeys(r)); err != nil {
			return err
		}
		counted, err := judgeCounter(ctx, tx, r)
		if err != nil {
			return err
		}
		until = later(until, counted)
		for _, w := range r.Windows {
			full, err := judgeWindow(ctx, tx, r.At, w)
			if err != nil {
				return err
			}
			until = later(until, full)
		}
		if !until.IsZero() {
			return nil // refused: nothing written, the transaction commits nothing
		}
		if r.Counter.Account != "" {
			if err := countFailure(ctx, tx, r); err != nil {
				return err
			}
			ticket.Account, ticket.Key = r.Counter.Account, r.Counter.Key
		}
		for _, w := range r.Windows {
			row := eventRow{Kind: w.Kind, Network: w.Key, At: toMillis(r.At)}
			if _, err := tx.NewInsert().Model(&row).Returning("id").Exec(ctx); err != nil {
				return err
			}
			ticket.Events = append(ticket.Events, row.ID)
		}
		return nil
	})
	if err != nil {
		return usecase.ThrottleTicket{}, time.Time{}, fmt.Errorf("sqlstore: reserve a throttled attempt: %w", translate(err))
	}
	return ticket, until, nil
}

// Release deletes the failure counter of t and the events t added, in one
// transaction; rows already gone are no error.
func (s *ThrottleStore) Release(ctx context.Context, t usecase.ThrottleTicket) error {
	if t.Account == "" && len(t.Events) == 0 {
		return nil
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if t.Account != "" {
			_, err := tx.NewDelete().Model((*failureRow)(nil)).
				Where("account = ?", t.Account).
				Where("network = ?", t.Key).
				Exec(ctx)
			if err != nil {
				return err
			}
		}
		if len(t.Events) > 0 {
			_, err := tx.NewDelete().Model((*eventRow)(nil)).
				Where("id IN (?)", bun.List(t.Events)).
				Exec(ctx)
			return err
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlstore: release a throttled attempt: %w", translate(err))
	}
	return nil
}

// reservationKeys names what r counts, sorted: the order the locks are
// taken in.
func reservationKeys(r usecase.ThrottleReservation) []string {
	var keys []string
	if r.Counter.Account != "" {
		keys = append(keys, "counter|"+r.Counter.Account+"|"+r.Counter.Key)
	}
	for _, w := range r.Windows {
		keys = append(keys, "window|"+w.Kind+"|"+w.Key)
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// lockKeys takes, on PostgreSQL, a transaction-scoped advisory lock per
// key, in the order given. On SQLite the transaction already holds the
// write lock: there is nothing to add.
func lockKeys(ctx context.Context, tx bun.Tx, keys []string) error {
	if tx.Dialect().Name() != dialect.PG {
		return nil
	}
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", k); err != nil {
			return err
		}
	}
	return nil
}

// judgeCounter returns the time r's failure counter is locked until, the
// zero time when it is not locked at r.At (or r has none).
func judgeCounter(ctx context.Context, tx bun.Tx, r usecase.ThrottleReservation) (time.Time, error) {
	c := r.Counter
	if c.Account == "" {
		return time.Time{}, nil
	}
	var row failureRow
	err := tx.NewSelect().Model(&row).
		Where("account = ?", c.Account).
		Where("network = ?", c.Key).
		Where("last_failure_at >= ?", toMillis(c.Since)).
		Scan(ctx)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return time.Time{}, nil
	case err != nil:
		return time.Time{}, err
	}
	if until := c.Lock.Until(row.Failures, fromMillis(row.LastFailureAt)); until.After(r.At) {
		return until, nil
	}
	return time.Time{}, nil
}

// judgeWindow returns the time w's window frees a place, the zero time
// when it has one at at. The window is (at-Window, at]; times are kept in
// milliseconds, hence the 1 ms.
func judgeWindow(ctx context.Context, tx bun.Tx, at time.Time, w usecase.WindowCount) (time.Time, error) {
	var (
		count    int
		earliest sql.NullInt64
	)
	err := tx.NewSelect().Model((*eventRow)(nil)).
		ColumnExpr("count(*)").
		ColumnExpr("min(at)").
		Where("kind = ?", w.Kind).
		Where("network = ?", w.Key).
		Where("at >= ?", toMillis(at.Add(-w.Window+time.Millisecond))).
		Scan(ctx, &count, &earliest)
	if err != nil {
		return time.Time{}, err
	}
	if count < w.Max || !earliest.Valid {
		return time.Time{}, nil
	}
	return fromMillis(earliest.Int64).Add(w.Window), nil
}

// countFailure adds one failure to r's counter. A run whose last failure
// is before r.Counter.Since starts again from one; the last failure never
// moves back in time, so failures counted out of order keep the latest.
func countFailure(ctx context.Context, tx bun.Tx, r usecase.ThrottleReservation) error {
	row := failureRow{Account: r.Counter.Account, Network: r.Counter.Key, Failures: 1, LastFailureAt: toMillis(r.At)}
	_, err := tx.NewInsert().Model(&row).
		On("CONFLICT (account, network) DO UPDATE").
		Set("failures = CASE WHEN ?TableAlias.last_failure_at < ? THEN 1 ELSE ?TableAlias.failures + 1 END", toMillis(r.Counter.Since)).
		Set("last_failure_at = CASE WHEN EXCLUDED.last_failure_at > ?TableAlias.last_failure_at" +
			" THEN EXCLUDED.last_failure_at ELSE ?TableAlias.last_failure_at END").
		Exec(ctx)
	return err
}

// later returns the later of a and b, the zero time counting as earliest.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
