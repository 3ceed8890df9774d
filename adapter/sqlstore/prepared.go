package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
)

// preparedQuery is a statement that runs on every request, kept
// prepared. Bun writes each query's arguments into its text, so every
// call is a new statement that the database must parse and plan again;
// a prepared statement is parsed once per connection, and its arguments
// travel apart from it. It is prepared on first use rather than by the
// constructor, because stores are built before the schema is migrated,
// and a failed preparation (the database unreachable, say) is tried again
// on the next call rather than kept.
type preparedQuery struct {
	db    *sql.DB
	query string

	mu   sync.Mutex // serializes preparation
	stmt atomic.Pointer[sql.Stmt]
}

// newPreparedQuery returns query, written with ? placeholders, for db;
// on PostgreSQL the placeholders become $1, $2, and so on. query must
// hold no other question mark.
func newPreparedQuery(db *bun.DB, query string) *preparedQuery {
	if db.Dialect().Name() == dialect.PG {
		query = numberPlaceholders(query)
	}
	return &preparedQuery{db: db.DB, query: query}
}

// queryRow runs the statement with args, preparing it first if need be.
// Errors, from preparing or from the row, are untranslated driver
// errors.
func (q *preparedQuery) queryRow(ctx context.Context, args ...any) (*sql.Row, error) {
	stmt, err := q.prepared(ctx)
	if err != nil {
		return nil, err
	}
	return stmt.QueryRowContext(ctx, args...), nil
}

// prepared returns the prepared statement, preparing it once. database/sql
// then prepares it again, by itself, on each pooled connection it runs on.
func (q *preparedQuery) prepared(ctx context.Context) (*sql.Stmt, error) {
	if stmt := q.stmt.Load(); stmt != nil {
		return stmt, nil
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if stmt := q.stmt.Load(); stmt != nil {
		return stmt, nil
	}
	stmt, err := q.db.PrepareContext(ctx, q.query)
	if err != nil {
		return nil, err
	}
	q.stmt.Store(stmt)
	return stmt, nil
}

// numberPlaceholders turns each ? in query into PostgreSQL's $n, counting
// from 1.
func numberPlaceholders(query string) string {
	var b strings.Builder
	n := 0
	for {
		before, after, found := strings.Cut(query, "?")
		b.WriteString(before)
		if !found {
			return b.String()
		}
		n++
		b.WriteString("$" + strconv.Itoa(n))
		query = after
	}
}
