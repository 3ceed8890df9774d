package database

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/uptrace/bun"
	"go.uber.org/fx"
)

// Settings selects the database.
type Settings struct {
	// URL is a DATABASE_URL value, such as sqlite:users.db or
	// postgres://gatehouse:PASSWORD@db.internal:5432/gatehouse.
	URL string
	// Pool sizes the connection pool; zero fields take the defaults.
	Pool Pool
}

// Module provides the *bun.DB, opened when the graph is built. The hook it
// appends as it opens migrates the database when the app starts and closes
// it when the app stops; being built before anything that uses it, it is
// the first hook to start and the last to stop.
var Module = fx.Module("database",
	fx.Provide(newDB),
)

func newDB(lc fx.Lifecycle, s Settings, log *slog.Logger) (*bun.DB, error) {
	db, err := openWith(s.URL, s.Pool, log)
	if err != nil {
		return nil, err
	}
	lc.Append(fx.Hook{
		OnStart: func(ctx context.Context) error {
			if err := sqlstore.Migrate(ctx, db); err != nil {
				return fmt.Errorf("database: migrate: %w", err)
			}
			log.InfoContext(ctx, "database ready", "url", Redact(s.URL))
			return nil
		},
		OnStop: func(context.Context) error {
			return db.Close()
		},
	})
	return db, nil
}
