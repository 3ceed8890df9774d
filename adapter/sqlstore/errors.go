package sqlstore

import (
	"database/sql"
	"errors"
	"fmt"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/gatehouse/gatehouse/domain"
)

// translate turns a driver error the domain has a word for into that word:
// a missing row becomes domain.ErrNotFound, and a busy or locked database
// an error wrapping both domain.ErrUnavailable and the driver's error.
// Anything else is returned unchanged.
func translate(err error) error {
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return domain.ErrNotFound
	case isBusy(err):
		return fmt.Errorf("%w: %w", domain.ErrUnavailable, err)
	}
	return err
}

// isBusy reports whether err is SQLITE_BUSY or SQLITE_LOCKED, in any of
// their extended forms: another connection holds a lock longer than the
// busy timeout, and a retry later may succeed.
func isBusy(err error) bool {
	code, ok := sqliteCode(err)
	return ok && (code&0xff == sqlite3.SQLITE_BUSY || code&0xff == sqlite3.SQLITE_LOCKED)
}

// isUniqueViolation reports whether err is a UNIQUE constraint failure.
// A PRIMARY KEY failure is not one: the store assigns every ID, so such a
// failure is a bug and must not read as a taken username.
func isUniqueViolation(err error) bool {
	code, ok := sqliteCode(err)
	return ok && code == sqlite3.SQLITE_CONSTRAINT_UNIQUE
}

// isForeignKeyViolation reports whether err is a FOREIGN KEY constraint
// failure.
func isForeignKeyViolation(err error) bool {
	code, ok := sqliteCode(err)
	return ok && code == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// sqliteCode returns the extended result code of the SQLite error in
// err's chain.
func sqliteCode(err error) (int, bool) {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return 0, false
	}
	return se.Code(), true
}

// affectedOne checks the outcome of an UPDATE or DELETE by primary key:
// it translates err, and reports domain.ErrNotFound when no row matched.
func affectedOne(res sql.Result, err error) error {
	if err != nil {
		return translate(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return translate(err)
	}
	if n == 0 {
		return domain.ErrNotFound
	}
	return nil
}
