package database

import (
	"errors"
	"fmt"
	"time"
)

// Pool sizes the connection pool of a database. A zero field takes the
// default for the database (see DefaultPool).
type Pool struct {
	// MaxOpenConns caps the connections open at once (in use or idle).
	MaxOpenConns int
	// MaxIdleConns caps the connections kept open while idle; at most
	// MaxOpenConns, which is also its default.
	MaxIdleConns int
	// ConnMaxLifetime closes a connection this long after it opened;
	// zero in a resolved Pool means never.
	ConnMaxLifetime time.Duration
}

// Defaults for a PostgreSQL server. Ten connections serve one instance
// well (a request holds one for a few milliseconds, and argon2id, not the
// database, bounds logins); idle ones are kept so a burst opens none; the
// lifetime lets connections move to a new server after a failover. N
// instances need N × MaxOpenConns below the server's max_connections
// (100 by default).
const (
	pgMaxOpenConns    = 10
	pgConnMaxLifetime = 30 * time.Minute
)

// fileMaxOpenConns is the pool size for a SQLite database file. WAL lets
// readers run beside the one writer; more connections would only queue
// on the write lock.
const fileMaxOpenConns = 4

// DefaultPool returns the pool d gets when nothing is configured:
// PostgreSQL 10 open, 10 idle, 30 minutes; a SQLite file 4 open, 4 idle,
// no lifetime; an in-memory SQLite database exactly one connection,
// forever, since its data goes with its last connection.
func DefaultPool(d DSN) Pool {
	switch {
	case d.Kind == Postgres:
		return Pool{MaxOpenConns: pgMaxOpenConns, MaxIdleConns: pgMaxOpenConns, ConnMaxLifetime: pgConnMaxLifetime}
	case d.Memory:
		return Pool{MaxOpenConns: 1, MaxIdleConns: 1}
	}
	return Pool{MaxOpenConns: fileMaxOpenConns, MaxIdleConns: fileMaxOpenConns}
}

// ResolvePool fills the zero fields of p with d's defaults (MaxIdleConns
// with MaxOpenConns) and checks the result: no field negative,
// MaxIdleConns at most MaxOpenConns, and nothing set for an in-memory
// SQLite database. Errors name the DATABASE_* variables.
func ResolvePool(d DSN, p Pool) (Pool, error) {
	switch {
	case p.MaxOpenConns < 0 || p.MaxIdleConns < 0 || p.ConnMaxLifetime < 0:
		return Pool{}, errors.New("database: DATABASE_MAX_OPEN_CONNS, DATABASE_MAX_IDLE_CONNS and DATABASE_CONN_MAX_LIFETIME must not be negative")
	case d.Memory && p != Pool{}:
		return Pool{}, errors.New("database: DATABASE_MAX_OPEN_CONNS, DATABASE_MAX_IDLE_CONNS and DATABASE_CONN_MAX_LIFETIME do not apply to sqlite::memory:, which keeps its data on exactly one connection")
	}
	def := DefaultPool(d)
	if p.MaxOpenConns == 0 {
		p.MaxOpenConns = def.MaxOpenConns
	}
	if p.MaxIdleConns == 0 {
		p.MaxIdleConns = p.MaxOpenConns
	}
	if p.ConnMaxLifetime == 0 {
		p.ConnMaxLifetime = def.ConnMaxLifetime
	}
	if p.MaxIdleConns > p.MaxOpenConns {
		return Pool{}, fmt.Errorf("database: DATABASE_MAX_IDLE_CONNS (%d) must not exceed DATABASE_MAX_OPEN_CONNS (%d)", p.MaxIdleConns, p.MaxOpenConns)
	}
	return p, nil
}
