package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/usecase"
)

var _ usecase.ThrottleStore = (*ThrottleStore)(nil)

// failureRow is a row of the login_failures table.
type failureRow struct {
	bun.BaseModel `bun:"table:login_failures,alias:lf"`

	// Account is the canonical username a login named, whether or not an
	// account has it.
	Account       string `bun:"account,pk"`
	Network       string `bun:"network,pk"`
	Failures      int    `bun:"failures,notnull"`
	LastFailureAt int64  `bun:"last_failure_at,notnull"`
}

// eventRow is a row of the throttle_events table. Its network column
// holds the key of the count: a client network, or an account for
// usecase.ThrottleAccountFailure. Its network column
// holds the key of the count: a client network, or an account for
// usecase.ThrottleAccountFailure.
type eventRow struct {
	bun.BaseModel `bun:"table:throttle_events,alias:te"`

	ID      int64  `bun:"id,pk,autoincrement"`
	Kind    string `bun:"kind,notnull"`
	Network string `bun:"network,notnull"`
	At      int64  `bun:"at,notnull"`
}

// ThrottleStore keeps throttling state in two tables: login_failures, one
// counter per username and client network (in its account column), and throttle_events, one row per
// counted event per client network. Times are kept at millisecond
// precision and returned in UTC.
type ThrottleStore struct {
	db *bun.DB
}

// NewThrottleStore returns a ThrottleStore on db, which must be migrated.
func NewThrottleStore(db *bun.DB) *ThrottleStore {
	return &ThrottleStore{db: db}
}

// Failures returns the failed logins counted for username from network
// (or any other key of a failure counter) and the time of the last one,
// when that time is at or after since; without such a failure it returns
// 0 and the zero time. It reads the state Reserve judges, for those who
// inspect it (the contract suite); the use cases only reserve.
func (s *ThrottleStore) Failures(ctx context.Context, username, network string, since time.Time) (int, time.Time, error) {
	var row failureRow
	err := s.db.NewSelect().Model(&row).
		Where("account = ?", username).
		Where("network = ?", network).
		Where("last_failure_at >= ?", toMillis(since)).
		Scan(ctx)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, time.Time{}, nil
	case err != nil:
		return 0, time.Time{}, fmt.Errorf("sqlstore: login failures from %s: %w", network, translate(err))
	}
	return row.Failures, fromMillis(row.LastFailureAt), nil
}

// ClearAccount deletes the failure counters of username from every
// network and device, and its usecase.ThrottleAccountFailure events, in one
// transaction, and reports how many counters it deleted; none is no error.
func (s *ThrottleStore) ClearAccount(ctx context.Context, username string) (int64, error) {
	var n int64
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		n, err = affected(tx.NewDelete().Model((*failureRow)(nil)).
			Where("account = ?", username).
			Exec(ctx))
		if err != nil {
			return err
		}
		_, err = tx.NewDelete().Model((*eventRow)(nil)).
			Where("kind = ?", usecase.ThrottleAccountFailure).
			Where("network = ?", username).
			Exec(ctx)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("sqlstore: clear login failures of account: %w", translate(err))
	}
	return n, nil
}

// CountEvents returns how many events of kind network (or any other key
// of a windowed count) had at or after since, and the time of the
// earliest of them (the zero time when there are none). Like Failures, it
// reads what Reserve judges.
func (s *ThrottleStore) CountEvents(ctx context.Context, kind, network string, since time.Time) (int, time.Time, error) {
	var (
		count    int
		earliest sql.NullInt64
	)
	err := s.db.NewSelect().Model((*eventRow)(nil)).
		ColumnExpr("count(*)").
		ColumnExpr("min(at)").
		Where("kind = ?", kind).
		Where("network = ?", network).
		Where("at >= ?", toMillis(since)).
		Scan(ctx, &count, &earliest)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("sqlstore: count %s events from %s: %w", kind, network, translate(err))
	}
	if count == 0 || !earliest.Valid {
		return 0, time.Time{}, nil
	}
	return count, fromMillis(earliest.Int64), nil
}

// Purge deletes, in one transaction, the events before eventsBefore and
// the failure counters whose last failure is before failuresBefore, and
// reports how many rows it deleted in all.
func (s *ThrottleStore) Purge(ctx context.Context, eventsBefore, failuresBefore time.Time) (int64, error) {
	var total int64
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		events, err := affected(tx.NewDelete().Model((*eventRow)(nil)).
			Where("at < ?", toMillis(eventsBefore)).
			Exec(ctx))
		if err != nil {
			return err
		}
		failures, err := affected(tx.NewDelete().Model((*failureRow)(nil)).
			Where("last_failure_at < ?", toMillis(failuresBefore)).
			Exec(ctx))
		if err != nil {
			return err
		}
		total = events + failures
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("sqlstore: purge throttle state: %w", translate(err))
	}
	return total, nil
}
