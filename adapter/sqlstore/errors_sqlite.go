package sqlstore

import (
	"errors"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// isBusy reports whether err is SQLITE_BUSY or SQLITE_LOCKED, in any of
// their extended forms: another connection holds a lock longer than the
// busy timeout, and a retry later may succeed.
func isBusy(err error) bool {
	code, ok := sqliteCode(err)
	return ok && (code&0xff == sqlite3.SQLITE_BUSY || code&0xff == sqlite3.SQLITE_LOCKED)
}

// isSQLiteFault reports whether err says SQLite could not write the file:
// the disk is full, the file or its directory is read-only, or an I/O
// error. An operator can clear each, and the service resumes by itself.
func isSQLiteFault(err error) bool {
	code, ok := sqliteCode(err)
	switch code & 0xff {
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN:
		return ok
	}
	return false
}

// isSQLiteUniqueViolation reports whether err is a SQLite UNIQUE
// constraint failure. A PRIMARY KEY failure has a code of its own.
func isSQLiteUniqueViolation(err error) bool {
	code, ok := sqliteCode(err)
	return ok && code == sqlite3.SQLITE_CONSTRAINT_UNIQUE
}

// isSQLiteUniqueViolationOf reports whether err is a SQLite UNIQUE
// constraint failure on exactly column, which SQLite's message names as
// "table.column".
func isSQLiteUniqueViolationOf(err error, column string) bool {
	var se *sqlite.Error
	if !isSQLiteUniqueViolation(err) || !errors.As(err, &se) {
		return false
	}
	const marker = "UNIQUE constraint failed: "
	_, columns, ok := strings.Cut(se.Error(), marker)
	columns, _, _ = strings.Cut(columns, " (") // the code follows
	return ok && columns == column
}

// isSQLiteForeignKeyViolation reports whether err is a SQLite FOREIGN KEY
// constraint failure.
func isSQLiteForeignKeyViolation(err error) bool {
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
