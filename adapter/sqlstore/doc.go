// Package sqlstore keeps users, sessions, throttling state and the
// security history of accounts in a SQL database through Bun: SQLite
// (modernc.org/sqlite) or PostgreSQL (bun's pgdriver), whichever dialect
// the *bun.DB it is given speaks. It owns the row types, the schema
// migrations (one directory per dialect, with the same steps under the
// same names) and the translation of driver errors into domain errors, so
// nothing above it knows which database answered.
//
// The row types are the same for both: every time is stored as unix
// milliseconds (UTC) in an INTEGER (SQLite) or BIGINT (PostgreSQL) column,
// which compares numerically in SQL and reads back at millisecond
// precision; flags are INTEGER 0/1 or BOOLEAN and token hashes BLOB or
// BYTEA, which Bun writes and reads as Go bool and []byte; IDs come from
// AUTOINCREMENT or an identity column and are never reused.
//
// The contract suite in test/contract specifies the stores' behaviour and
// runs against both databases.
package sqlstore
