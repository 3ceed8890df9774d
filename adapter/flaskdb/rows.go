package flaskdb

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"math"
)

// pageRows is how many rows one read of Rows fetches.
const pageRows = 256

// Row is one account of the Flask app.
type Row struct {
	ID       int64
	Username string
	// Password is the plaintext the Flask app stored.
	Password string
	// Skip, when not empty, says why the row cannot be imported (a
	// username or password over its limit, an id that is not a number);
	// Username and Password are then empty, never read.
	Skip string
}

// Count returns how many accounts the users table holds.
func (f *File) Count(ctx context.Context) (int, error) {
	var n int
	err := f.read(ctx, "count users in", func(ctx context.Context) error {
		return f.db.QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&n)
	})
	return n, err
}

// Rows streams the accounts in the order of their rowid (the id, in the
// Flask app's table), a page at a time, so that no read of the file stays
// open while the caller works on a row. It yields a non-nil error at most
// once, as its last pair; the caller may stop early. A NULL name or
// password, which the Flask app never writes, reads as "".
func (f *File) Rows(ctx context.Context) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		from := int64(math.MinInt64)
		for {
			page, last, err := f.page(ctx, from)
			if err != nil {
				yield(Row{}, err)
				return
			}
			for _, r := range page {
				if !yield(r, nil) {
					return
				}
			}
			if len(page) < pageRows || last == math.MaxInt64 {
				return
			}
			from = last + 1
		}
	}
}

// pageQuery reads the rows from a rowid on. The sizes are measured with
// octet_length, which SQLite answers from the record header without
// loading the value, and a value over its limit is never selected; nor
// is an id that is not an integer.
const pageQuery = `SELECT rowid,
	CASE WHEN typeof(id) = 'integer' THEN id END,
	CASE WHEN octet_length(username) <= ?2 THEN username END,
	CASE WHEN octet_length(password) <= ?3 THEN password END,
	typeof(id), octet_length(username), octet_length(password)
	FROM users WHERE rowid >= ?1 ORDER BY rowid LIMIT ?4`

// page reads up to pageRows rows from the rowid from on and returns them
// with the rowid of the last.
func (f *File) page(ctx context.Context, from int64) ([]Row, int64, error) {
	var (
		page []Row
		last int64
	)
	err := f.read(ctx, "read users from", func(ctx context.Context) error {
		rows, err := f.db.QueryContext(ctx, pageQuery, from, f.limits.UsernameBytes, f.limits.PasswordBytes, pageRows)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				rowid                  int64
				id, nameLen, passLen   sql.NullInt64
				name, password, idType sql.NullString
			)
			if err := rows.Scan(&rowid, &id, &name, &password, &idType, &nameLen, &passLen); err != nil {
				return err
			}
			last = rowid
			r := Row{ID: id.Int64, Username: name.String, Password: password.String}
			switch {
			case !id.Valid:
				r = Row{ID: rowid, Skip: fmt.Sprintf("the id is %s, not an integer (row %d of the table)", idType.String, rowid)}
			case nameLen.Int64 > int64(f.limits.UsernameBytes):
				r = Row{ID: r.ID, Skip: fmt.Sprintf("the username is %d bytes long, more than %d", nameLen.Int64, f.limits.UsernameBytes)}
			case passLen.Int64 > int64(f.limits.PasswordBytes):
				r = Row{ID: r.ID, Skip: fmt.Sprintf("the password is %d bytes long, more than %d", passLen.Int64, f.limits.PasswordBytes)}
			}
			page = append(page, r)
		}
		return rows.Err()
	})
	return page, last, err
}
