package database

import (
	"fmt"
	"strings"
)

// Kind names the database engine a DATABASE_URL selects.
type Kind string

// The engines gatehouse runs on.
const (
	// SQLite is a database file or an in-memory database inside the
	// process (modernc.org/sqlite, pure Go).
	SQLite Kind = "sqlite"
	// Postgres is a PostgreSQL server (bun's pgdriver, pure Go).
	Postgres Kind = "postgres"
)

// urlForms names the DATABASE_URL values Open accepts, for error messages.
const urlForms = "sqlite:PATH, sqlite::memory: or postgres://USER:PASSWORD@HOST:PORT/DATABASE"

// DSN is a validated DATABASE_URL.
type DSN struct {
	// Kind is the engine.
	Kind Kind
	// Path is the SQLite database file, relative to the working directory
	// or absolute; it is empty for an in-memory database and for
	// PostgreSQL.
	Path string
	// Memory reports an in-memory SQLite database that lives as long as
	// the *bun.DB that Open returns.
	Memory bool

	// url is a PostgreSQL URL as given, password included; String
	// redacts it.
	url string
}

// ParseURL checks that rawURL has one of the forms Open accepts:
// "sqlite:PATH" (relative or absolute), "sqlite::memory:", or a
// PostgreSQL URL "postgres://USER:PASSWORD@HOST:PORT/DATABASE?PARAMS"
// ("postgresql://" also). The error names the expected forms and never
// repeats rawURL, which may carry a password.
func ParseURL(rawURL string) (DSN, error) {
	switch {
	case rawURL == "":
		return DSN{}, badURL("is empty")
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		return parsePostgres(rawURL)
	}
	path, ok := strings.CutPrefix(rawURL, "sqlite:")
	switch {
	case !ok:
		return DSN{}, badURL("has an unsupported scheme")
	case path == ":memory:":
		return DSN{Kind: SQLite, Memory: true}, nil
	case path == "":
		return DSN{}, badURL("has no path")
	case strings.HasPrefix(path, "//"):
		return DSN{}, badURL(`has a host part ("sqlite://"); write an absolute path as sqlite:/path`)
	case strings.ContainsAny(path, "?#\x00"):
		return DSN{}, badURL("has a '?', '#' or NUL in its path; settings are not accepted in the URL")
	}
	return DSN{Kind: SQLite, Path: path}, nil
}

// String returns the DATABASE_URL that d stands for, safe for a log line:
// a PostgreSQL password is replaced by "xxxxx".
func (d DSN) String() string {
	switch {
	case d.Kind == Postgres:
		return Redact(d.url)
	case d.Memory:
		return "sqlite::memory:"
	}
	return "sqlite:" + d.Path
}

// badURL reports a DATABASE_URL with problem and names the forms Open
// accepts.
func badURL(problem string) error {
	return fmt.Errorf("database: DATABASE_URL %s; it must look like %s", problem, urlForms)
}
