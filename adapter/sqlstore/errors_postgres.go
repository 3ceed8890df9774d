package sqlstore

import (
	"errors"

	"github.com/uptrace/bun/driver/pgdriver"
)

// PostgreSQL error codes (SQLSTATE) that the store tells apart.
const (
	pgUniqueViolation     = "23505"
	pgForeignKeyViolation = "23503"
	pgDuplicateTable      = "42P07"
	// pgDuplicateObject is what a CREATE TABLE IF NOT EXISTS can fail
	// with when another session creates the table's row type at the same
	// moment (the pg_type entry is checked before the table's).
	pgDuplicateObject = "42710"
)

// pgTransient lists the SQLSTATEs after which the same work may succeed
// if tried again a moment later: the database is busy, overloaded or
// restarting, not wrong. They are PostgreSQL's counterpart of SQLite's
// busy and locked.
var pgTransient = map[string]string{
	"40001": "serialization_failure",
	"40P01": "deadlock_detected",
	"55P03": "lock_not_available",
	"57014": "query_canceled", // statement_timeout or lock_timeout ran out
	"53300": "too_many_connections",
	"53000": "insufficient_resources",
	"57P01": "admin_shutdown",
	"57P02": "crash_shutdown",
	"57P03": "cannot_connect_now",
	"08000": "connection_exception",
	"08003": "connection_does_not_exist",
	"08006": "connection_failure",
	"08001": "sqlclient_unable_to_establish_sqlconnection",
	"08004": "sqlserver_rejected_establishment_of_sqlconnection",
}

// postgresState returns the SQLSTATE of the PostgreSQL error in err's
// chain, or "" when there is none.
func postgresState(err error) string {
	var pe pgdriver.Error
	if !errors.As(err, &pe) {
		return ""
	}
	return pe.Field('C')
}

// isPostgresTransient reports whether err is a PostgreSQL error listed in
// pgTransient.
func isPostgresTransient(err error) bool {
	_, ok := pgTransient[postgresState(err)]
	return ok
}

// isPostgresViolationOf reports whether err is a PostgreSQL error with
// state on the constraint or index named constraint.
func isPostgresViolationOf(err error, state, constraint string) bool {
	var pe pgdriver.Error
	return errors.As(err, &pe) && pe.Field('C') == state && pe.Field('n') == constraint
}
