package sqlstore

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

var _ usecase.EventLog = (*EventStore)(nil)

// securityEventRow is a row of the security_events table.
type securityEventRow struct {
	bun.BaseModel `bun:"table:security_events,alias:se"`

	ID        int64  `bun:"id,pk,autoincrement"`
	Kind      string `bun:"kind,notnull"`
	UserID    int64  `bun:"user_id,notnull"`
	ActorID   int64  `bun:"actor_id,notnull"`
	IP        string `bun:"ip,notnull"`
	UserAgent string `bun:"user_agent,notnull"`
	Detail    string `bun:"detail,notnull"`
	At        int64  `bun:"at,notnull"`
}

// event converts r back to an entity.
func (r securityEventRow) event() domain.SecurityEvent {
	return domain.SecurityEvent{
		ID:        r.ID,
		Kind:      domain.EventKind(r.Kind),
		UserID:    domain.UserID(r.UserID),
		ActorID:   domain.UserID(r.ActorID),
		IP:        r.IP,
		UserAgent: r.UserAgent,
		Detail:    r.Detail,
		At:        fromMillis(r.At),
	}
}

// EventStore keeps the security history of accounts in the
// security_events table. Events refer to accounts by ID without a foreign
// key, so the history of a deleted account stays.
type EventStore struct {
	db *bun.DB
}

// NewEventStore returns an EventStore on db, which must be migrated.
func NewEventStore(db *bun.DB) *EventStore {
	return &EventStore{db: db}
}

// Record stores e under a new ID, with At at millisecond precision; e.ID
// is ignored, and the new ID is not reported back.
func (s *EventStore) Record(ctx context.Context, e domain.SecurityEvent) error {
	if err := recordEvent(ctx, s.db, e); err != nil {
		return fmt.Errorf("sqlstore: record %s event of user %d: %w", e.Kind, e.UserID, translate(err))
	}
	return nil
}

// recordEvent inserts e on db (the database or a transaction); its error
// is the driver's.
func recordEvent(ctx context.Context, db bun.IDB, e domain.SecurityEvent) error {
	row := securityEventRow{
		Kind:      string(e.Kind),
		UserID:    int64(e.UserID),
		ActorID:   int64(e.ActorID),
		IP:        e.IP,
		UserAgent: e.UserAgent,
		Detail:    e.Detail,
		At:        toMillis(e.At),
	}
	_, err := db.NewInsert().Model(&row).Returning("NULL").Exec(ctx)
	return err
}

// ListByUser returns the events about user, newest first (by time, then
// by ID), at most limit of them, and only those of kinds when kinds is not
// empty. A limit of zero or less returns none.
func (s *EventStore) ListByUser(ctx context.Context, user domain.UserID, kinds []domain.EventKind, limit int) ([]domain.SecurityEvent, error) {
	if limit <= 0 {
		return nil, nil
	}
	var rows []securityEventRow
	q := s.db.NewSelect().Model(&rows).
		Where("user_id = ?", int64(user)).
		OrderExpr("at DESC, id DESC").
		Limit(int64(limit))
	if len(kinds) > 0 {
		q = q.Where("kind IN (?)", bun.List(kinds))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: events of user %d: %w", user, translate(err))
	}
	events := make([]domain.SecurityEvent, len(rows))
	for i, r := range rows {
		events[i] = r.event()
	}
	return events, nil
}
