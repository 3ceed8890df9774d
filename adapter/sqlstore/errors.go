package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	"github.com/gatehouse/gatehouse/domain"
)

// translate turns a driver error the domain has a word for into that word:
// a missing row becomes domain.ErrNotFound, and a database that cannot
// answer now but may in a moment (see isUnavailable) an error wrapping
// both domain.ErrUnavailable and the driver's error. Anything else is
// returned unchanged.
func translate(err error) error {
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return domain.ErrNotFound
	case isUnavailable(err):
		return fmt.Errorf("%w: %w", domain.ErrUnavailable, err)
	}
	return err
}

// isUnavailable reports whether err says the database cannot do the work
// now, though a retry later may succeed: SQLite busy or locked, SQLite
// unable to write (disk full, read-only, I/O error), a
// PostgreSQL conflict, lock timeout, overload or shutdown, or a lost
// connection. The web answers these with 503 and Retry-After.
func isUnavailable(err error) bool {
	return isBusy(err) || isSQLiteFault(err) || isPostgresTransient(err) || isConnectionLost(err)
}

// isConnectionLost reports whether err says the connection to the
// database server broke or could not be made: the server closed it (EOF),
// the network failed or timed out, or database/sql gave up on a bad
// connection. The caller's own context ending is not one: its deadline
// error would pass for a network timeout.
func isConnectionLost(err error) bool {
	var netErr net.Error
	switch {
	case err == nil, errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return false
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return true
	case errors.As(err, &netErr):
		return true
	}
	return false
}

// isUniqueViolation reports whether err is a UNIQUE constraint failure in
// either database. isUsernameTaken is the narrower test for users.
func isUniqueViolation(err error) bool {
	return isSQLiteUniqueViolation(err) || postgresState(err) == pgUniqueViolation
}

// isUsernameTaken reports whether err is a violation of the unique index
// on users.username_canonical or users.username_skeleton, and only that:
// a primary key failure is a bug and must not read as a taken username.
func isUsernameTaken(err error) bool {
	return isSQLiteUniqueViolationOf(err, "users.username_canonical") ||
		isSQLiteUniqueViolationOf(err, "users.username_skeleton") ||
		isPostgresViolationOf(err, pgUniqueViolation, "users_username_canonical_key") ||
		isPostgresViolationOf(err, pgUniqueViolation, "users_username_skeleton_key")
}

// isForeignKeyViolation reports whether err is a FOREIGN KEY constraint
// failure in either database.
func isForeignKeyViolation(err error) bool {
	return isSQLiteForeignKeyViolation(err) || postgresState(err) == pgForeignKeyViolation
}
