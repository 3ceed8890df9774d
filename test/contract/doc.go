// Package contract holds the repository contract suite: one set of tests
// that every store behind the use cases' ports must pass. Each test runs
// once per store, as a subtest named after it: "sqlite" (in memory)
// always, "postgres" whenever TEST_POSTGRES_URL names a server (each test
// in a fresh schema of its own), and, for the tests about concurrent
// writes, also "sqlite-file", where statements run on several
// connections. The tests are independent and run in parallel.
//
// The suite holds what the ports promise: uniqueness without regard to
// case, counters that lose no concurrent write, the last-admin guards,
// expiry and purging, and the translation of database errors into domain
// errors. What only one database can show (SQLite's pragmas, its schema
// upgrade from older files) stays in adapter/sqlstore and
// infrastructure/database.
package contract
