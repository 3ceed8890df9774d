package database

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"
)

// pingTimeout bounds the first contact with a PostgreSQL server, so a
// server that does not answer fails the start rather than hanging it.
const pingTimeout = 10 * time.Second

// openPostgres connects to the PostgreSQL server d names with pool,
// already resolved.
func openPostgres(d DSN, pool Pool) (*bun.DB, error) {
	connector, err := newConnector(d.url)
	if err != nil {
		return nil, fmt.Errorf("database: open %s: %w", d, err)
	}
	sqldb := sql.OpenDB(connector)
	sqldb.SetMaxOpenConns(pool.MaxOpenConns)
	sqldb.SetMaxIdleConns(pool.MaxIdleConns)
	sqldb.SetConnMaxLifetime(pool.ConnMaxLifetime)
	ctx, cancel := context.WithTimeout(context.Background(), pingTimeout)
	defer cancel()
	if err := sqldb.PingContext(ctx); err != nil {
		_ = sqldb.Close()
		return nil, fmt.Errorf("database: open %s: %w", d, err)
	}
	return bun.NewDB(sqldb, pgdialect.New()), nil
}

// newConnector builds the driver's connector for rawURL, which ParseURL
// accepted. The driver panics on what it cannot use (an unreadable
// sslrootcert file, say); that becomes an error, which names a file but
// never the URL.
func newConnector(rawURL string) (c *pgdriver.Connector, err error) {
	defer func() {
		if r := recover(); r != nil {
			c, err = nil, fmt.Errorf("%v", r)
		}
	}()
	// No tracing: nothing here exports spans, and the hooks cost a little
	// on every query.
	return pgdriver.NewConnector(pgdriver.WithDSN(rawURL), pgdriver.WithTracing(false)), nil
}
