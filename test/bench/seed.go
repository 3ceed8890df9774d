package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	_ "modernc.org/sqlite" // the driver gatehouse itself uses
)

// benchPassword is every seeded account's password.
const benchPassword = "correct-horse-battery-9"

// account is a seeded user and its session's cookie value.
type account struct {
	username string
	token    string
}

// benchUsername is the name of seeded account i.
func benchUsername(i int) string { return fmt.Sprintf("user%07d", i) }

// benchToken is seeded session i's token: 32 bytes in base64url like
// gatehouse's own, derived from i so the benchmark can present it.
func benchToken(i int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("gatehouse-bench-session/%d", i)))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// seedGatehouse adds n accounts and one live "remember me" session for
// each straight into the migrated SQLite database at path, in one
// transaction (the bulk path, not HTTP). Every account gets the same
// argon2id hash, taken from an account the CLI created, so logins cost
// exactly what a real login costs. It returns the accounts.
func seedGatehouse(ctx context.Context, path, templateUser string, n int) ([]account, error) {
	db, err := openFile(path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "PRAGMA synchronous = OFF"); err != nil {
		return nil, err
	}
	var hash string
	var firstID int64
	if err := db.QueryRowContext(ctx, "SELECT password_hash FROM users WHERE username_canonical = ?", templateUser).Scan(&hash); err != nil {
		return nil, fmt.Errorf("read the template account's hash: %w", err)
	}
	if err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) + 1 FROM users").Scan(&firstID); err != nil {
		return nil, err
	}
	extra, err := extraSessionColumns(ctx, db)
	if err != nil {
		return nil, err
	}

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	// username_skeleton too: a server fills in the skeleton of every
	// account that lacks one at start, one UPDATE (and one fsync) each,
	// which took minutes for a thousand seeded accounts.
	users, err := tx.PrepareContext(ctx, `INSERT INTO users
		(id, username, username_canonical, username_skeleton, password_hash, created_at, role, disabled, must_change_password)
		VALUES (?, ?, ?, ?, ?, ?, 'user', 0, 0)`)
	if err != nil {
		return nil, err
	}
	sessions, err := tx.PrepareContext(ctx, `INSERT INTO sessions
		(token_hash, user_id, persistent, created_at, last_seen_at, expires_at, absolute_expires_at, ip, user_agent`+extra.columns+`)
		VALUES (?, ?, 1, ?, ?, ?, ?, '127.0.0.1', 'wrk/4.1.0'`+extra.values+`)`)
	if err != nil {
		return nil, err
	}
	now := time.Now().UnixMilli()
	expires := time.Now().Add(30 * 24 * time.Hour).UnixMilli()
	accounts := make([]account, n)
	for i := range n {
		id := firstID + int64(i)
		name := benchUsername(i)
		if _, err := users.ExecContext(ctx, id, name, name, domain.RestoreUsername(name).Skeleton(), hash, now); err != nil {
			return nil, fmt.Errorf("seed user %d: %w", i, err)
		}
		token := benchToken(i)
		sum := sha256.Sum256([]byte(token))
		args := []any{sum[:], id, now, now, expires, expires}
		args = append(args, extra.args(now)...)
		if _, err := sessions.ExecContext(ctx, args...); err != nil {
			return nil, fmt.Errorf("seed session %d: %w", i, err)
		}
		accounts[i] = account{username: name, token: token}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	// Fresh statistics, as a database that has lived for a while has.
	if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
		return nil, err
	}
	return accounts, nil
}

// markSeen records the sessions of accounts as seen now, straight in the
// database at path while the server runs. A session is written back
// ("touched") when a request comes a minute or more after its last one;
// seeding and analyzing a million rows, starting the server and preparing
// the requests can take longer than that, and the touches then fell in the
// middle of a load (66–89% of the small database's figure in some runs).
// Marking the sessions a load uses just before it measures both databases
// alike: no touches during a load of less than a minute.
func markSeen(ctx context.Context, path string, accounts []account) error {
	db, err := openFile(path)
	if err != nil {
		return err
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	touch, err := tx.PrepareContext(ctx, "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?")
	if err != nil {
		return err
	}
	now := time.Now().UnixMilli()
	for _, a := range accounts {
		sum := sha256.Sum256([]byte(a.token))
		res, err := touch.ExecContext(ctx, now, sum[:])
		if err != nil {
			return fmt.Errorf("mark %s's session seen: %w", a.username, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("mark %s's session seen: %d rows, %v", a.username, n, err)
		}
	}
	return tx.Commit()
}

// sessionExtras fills session columns added by later migrations that a
// real login sets (the previous login shown on the dashboard).
type sessionExtras struct {
	columns, values string
	names           []string
}

func (e sessionExtras) args(now int64) []any {
	out := make([]any, 0, len(e.names))
	for _, name := range e.names {
		switch {
		case strings.HasSuffix(name, "_known"):
			out = append(out, 1)
		case strings.HasSuffix(name, "_at"):
			out = append(out, now-24*time.Hour.Milliseconds())
		default:
			out = append(out, "192.0.2.10")
		}
	}
	return out
}

// extraSessionColumns finds the previous-login columns of sessions, if
// the schema has them.
func extraSessionColumns(ctx context.Context, db *sql.DB) (sessionExtras, error) {
	rows, err := db.QueryContext(ctx, "SELECT name FROM pragma_table_info('sessions')")
	if err != nil {
		return sessionExtras{}, err
	}
	defer rows.Close()
	var e sessionExtras
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return sessionExtras{}, err
		}
		if strings.HasPrefix(name, "previous_login") {
			e.names = append(e.names, name)
			e.columns += ", " + name
			e.values += ", ?"
		}
	}
	return e, rows.Err()
}

// seedFlask adds n accounts to the seed app's database, the way it
// stores them (plain text: the seed's own flaw, kept for comparison).
func seedFlask(ctx context.Context, path string, n int) error {
	db, err := openFile(path)
	if err != nil {
		return err
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY AUTOINCREMENT,
		username TEXT UNIQUE NOT NULL, password TEXT NOT NULL)`); err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO users (username, password) VALUES (?, ?)")
	if err != nil {
		return err
	}
	for i := range n {
		if _, err := stmt.ExecContext(ctx, benchUsername(i), benchPassword); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// openFile opens the SQLite file at path for the benchmark's own writes
// while a server may have it open: one connection (each helper runs one
// transaction), waiting up to 10 s for the server's write lock.
func openFile(path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}
