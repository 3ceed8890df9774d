package flaskdb

import (
	"context"
	"fmt"
	"strings"
)

// hiddenRowid are the names under which SQLite offers a table's rowid
// unless a column takes the name.
var hiddenRowid = []string{"rowid", "oid", "_rowid_"}

// usersSchema is what checkSchema learns of the users table.
type usersSchema struct {
	kind    string // "table" or "view"; "" when there is none
	sql     string // its CREATE statement
	noRowid bool   // a WITHOUT ROWID table
	// columns maps each lower-cased column name to its pragma_table_xinfo
	// hidden value: 0 for an ordinary column, 2 or 3 for a generated one.
	columns map[string]int
}

// checkSchema checks that users is an ordinary table, with a rowid, that
// has the columns Rows reads, none of them generated; other columns are
// allowed. It reads only the schema: nothing of the file's runs.
func (f *File) checkSchema(ctx context.Context) error {
	var s usersSchema
	err := f.read(ctx, "read the schema of", func(ctx context.Context) error {
		var err error
		s, err = f.readSchema(ctx)
		return err
	})
	if err != nil {
		return err
	}
	switch {
	case s.kind == "":
		return fmt.Errorf("%w: %s", ErrNoUsersTable, f.path)
	case s.kind == "view":
		return fmt.Errorf("%w: %s: users is a view", ErrNotATable, f.path)
	case strings.HasPrefix(s.sql, "CREATE VIRTUAL TABLE"):
		return fmt.Errorf("%w: %s: users is a virtual table", ErrNotATable, f.path)
	case s.noRowid:
		return fmt.Errorf("%w: %s: users is a WITHOUT ROWID table", ErrUnexpectedSchema, f.path)
	}
	var missing []string
	for _, c := range columns {
		hidden, ok := s.columns[c]
		switch {
		case !ok:
			missing = append(missing, c)
		case hidden != 0:
			return fmt.Errorf("%w: %s: users.%s is a generated column", ErrUnexpectedSchema, f.path, c)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: %s: users has no column %s", ErrUnexpectedSchema, f.path, strings.Join(missing, ", "))
	}
	for _, c := range hiddenRowid {
		if _, ok := s.columns[c]; ok {
			return fmt.Errorf("%w: %s: users has a column named %s", ErrUnexpectedSchema, f.path, c)
		}
	}
	return nil
}

// readSchema reads what checkSchema judges. The type comes from
// sqlite_schema, which names a view without compiling it; the columns
// and the rowid are asked only of a table.
func (f *File) readSchema(ctx context.Context) (usersSchema, error) {
	var s usersSchema
	rows, err := f.db.QueryContext(ctx, `SELECT type, coalesce(sql, '') FROM sqlite_schema
		WHERE type IN ('table', 'view') AND name = 'users' COLLATE NOCASE`)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(&s.kind, &s.sql); err != nil {
			return s, err
		}
	}
	if err := rows.Err(); err != nil {
		return s, err
	}
	if s.kind != "table" || strings.HasPrefix(s.sql, "CREATE VIRTUAL TABLE") {
		return s, nil
	}
	if err := f.db.QueryRowContext(ctx, `SELECT wr FROM pragma_table_list('users') WHERE schema = 'main'`).Scan(&s.noRowid); err != nil {
		return s, err
	}
	cols, err := f.db.QueryContext(ctx, `SELECT name, hidden FROM pragma_table_xinfo('users')`)
	if err != nil {
		return s, err
	}
	defer cols.Close()
	s.columns = make(map[string]int)
	for cols.Next() {
		var (
			name   string
			hidden int
		)
		if err := cols.Scan(&name, &hidden); err != nil {
			return s, err
		}
		s.columns[strings.ToLower(name)] = hidden
	}
	return s, cols.Err()
}
