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

// eventRow is a row of the throttle_events table.
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
// and the time of the last one, when that time is at or after since;
// without such a failure it returns 0 and the zero time.
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

// RecordFailure counts one failed login for username from network at at,
// and adds one usecase.ThrottleLoginFailure event for network, in one
// transaction. A counter whose last failure is before since starts again
// from one. An empty username (no valid username was given) adds the event
// only. The counter's last failure never moves back in time, so failures
// recorded out of order keep the latest.
func (s *ThrottleStore) RecordFailure(ctx context.Context, username, network string, at, since time.Time) error {
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if username != "" {
			row := failureRow{Account: username, Network: network, Failures: 1, LastFailureAt: toMillis(at)}
			_, err := tx.NewInsert().Model(&row).
				On("CONFLICT (account, network) DO UPDATE").
				Set("failures = CASE WHEN ?TableAlias.last_failure_at < ? THEN 1 ELSE ?TableAlias.failures + 1 END", toMillis(since)).
				Set("last_failure_at = CASE WHEN EXCLUDED.last_failure_at > ?TableAlias.last_failure_at" +
					" THEN EXCLUDED.last_failure_at ELSE ?TableAlias.last_failure_at END").
				Exec(ctx)
			if err != nil {
				return err
			}
		}
		return insertEvent(ctx, tx, usecase.ThrottleLoginFailure, network, at)
	})
	if err != nil {
		return fmt.Errorf("sqlstore: record login failure from %s: %w", network, translate(err))
	}
	return nil
}

// ResetFailures deletes the failure counter of username from network; it
// is not an error when there is none.
func (s *ThrottleStore) ResetFailures(ctx context.Context, username, network string) error {
	_, err := s.db.NewDelete().Model((*failureRow)(nil)).
		Where("account = ?", username).
		Where("network = ?", network).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("sqlstore: reset login failures from %s: %w", network, translate(err))
	}
	return nil
}

// ClearAccount deletes the failure counters of username from every
// network and reports how many it deleted; none is no error.
func (s *ThrottleStore) ClearAccount(ctx context.Context, username string) (int64, error) {
	n, err := affected(s.db.NewDelete().Model((*failureRow)(nil)).
		Where("account = ?", username).
		Exec(ctx))
	if err != nil {
		return 0, fmt.Errorf("sqlstore: clear login failures of account: %w", translate(err))
	}
	return n, nil
}

// CountEvents returns how many events of kind network had at or after
// since, and the time of the earliest of them (the zero time when there
// are none).
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

// AddEvent records one event of kind for network at at.
func (s *ThrottleStore) AddEvent(ctx context.Context, kind, network string, at time.Time) error {
	if err := insertEvent(ctx, s.db, kind, network, at); err != nil {
		return fmt.Errorf("sqlstore: add %s event from %s: %w", kind, network, translate(err))
	}
	return nil
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

// insertEvent adds one row to throttle_events through db, which may be a
// transaction.
func insertEvent(ctx context.Context, db bun.IDB, kind, network string, at time.Time) error {
	row := eventRow{Kind: kind, Network: network, At: toMillis(at)}
	_, err := db.NewInsert().Model(&row).Returning("NULL").Exec(ctx) // no need for the id
	return err
}
