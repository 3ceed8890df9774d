// Package hotpath times the database work of an authenticated request,
// which every page and API call pays: resolving the session token to its
// session and account, and reading the previous login that the dashboard
// and GET /api/v1/me show; and a login's own work, everything but the
// password hash. It runs on a SQLite file opened as production
// opens it (infrastructure/database) and filled with a few thousand
// accounts and sessions, so a comparison before and after a change means
// something:
//
//	go test ./test/hotpath -run '^$' -bench . -count 6 | tee new.txt
//	benchstat old.txt new.txt
//
// With TEST_POSTGRES_URL set, the store benchmark also runs on PostgreSQL.
// Besides the wall-clock ns/op, each benchmark reports cpu-ns/op, the CPU
// time the process spent per iteration, which varies less when other work
// shares the machine.
package hotpath
