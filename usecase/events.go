package usecase

import (
	"context"
	"log/slog"

	"github.com/gatehouse/gatehouse/domain"
)

// recorder writes security events to the accounts' history; a failure to
// write one is logged to logger and never fails the action it describes,
// which has already happened.
type recorder struct {
	history EventLog
	clock   Clock
	logger  *slog.Logger
}

func (r recorder) record(ctx context.Context, kind domain.EventKind, user, actor domain.UserID, c Client, detail string) {
	e := r.event(kind, user, actor, c, detail)
	if err := r.history.Record(ctx, e); err != nil {
		r.logger.WarnContext(ctx, "usecase: record security event", "kind", kind, "user_id", user, "err", err)
	}
}

// event is the security event record would store, timed now, for a caller
// that stores it itself (with the session a login starts).
func (r recorder) event(kind domain.EventKind, user, actor domain.UserID, c Client, detail string) domain.SecurityEvent {
	return domain.SecurityEvent{
		Kind:      kind,
		UserID:    user,
		ActorID:   actor,
		IP:        c.ipText(),
		UserAgent: c.userAgent(),
		Detail:    detail,
		At:        r.clock.Now().UTC(),
	}
}
