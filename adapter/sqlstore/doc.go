// Package sqlstore keeps users, sessions, throttling state and the
// security history of accounts in a SQL database through Bun: SQLite
// today (modernc.org/sqlite), PostgreSQL later. It owns the row types, the
// schema migrations and the translation of driver errors into domain
// errors, so nothing above it knows which database answered.
//
// Every time is stored as INTEGER unix milliseconds (UTC), which compares
// numerically in SQL and reads back at millisecond precision.
package sqlstore
