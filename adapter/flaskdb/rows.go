package flaskdb

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
)

// Row is one account of the Flask app.
type Row struct {
	ID       int64
	Username string
	// Password is the plaintext the Flask app stored.
	Password string
}

// Count returns how many accounts the users table holds.
func (f *File) Count(ctx context.Context) (int, error) {
	var n int
	if err := f.db.QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
		return 0, fmt.Errorf("flaskdb: count users in %s: %w", f.path, err)
	}
	return n, nil
}

// Rows streams the accounts in the order of their id, holding one at a
// time. It yields a non-nil error at most once, as its last pair; the
// caller may stop early. A NULL name or password, which the Flask app
// never writes, reads as "".
func (f *File) Rows(ctx context.Context) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		rows, err := f.db.QueryContext(ctx, "SELECT id, username, password FROM users ORDER BY id")
		if err != nil {
			yield(Row{}, fmt.Errorf("flaskdb: read users from %s: %w", f.path, err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var (
				r              Row
				name, password sql.NullString
			)
			if err := rows.Scan(&r.ID, &name, &password); err != nil {
				yield(Row{}, fmt.Errorf("flaskdb: read users from %s: %w", f.path, err))
				return
			}
			r.Username, r.Password = name.String, password.String
			if !yield(r, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(Row{}, fmt.Errorf("flaskdb: read users from %s: %w", f.path, err))
		}
	}
}
