package hotpath

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/infrastructure/database"
	"github.com/gatehouse/gatehouse/test/pgtest"
	"github.com/gatehouse/gatehouse/usecase"
)

// The size of the seeded database: every account has sessionsPerUser
// sessions and a history of loginsPerUser successful logins (and one
// failure), so the previous login is there to find.
const (
	users           = 3000
	sessionsPerUser = 2
	loginsPerUser   = 3
)

// now is the benchmarks' frozen clock: every session was last seen at
// now, so Resolve never writes and the benchmarks time the reads alone.
var now = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

// policy is the production default lifetimes.
var policy = usecase.SessionPolicy{
	IdleTimeout:     30 * time.Minute,
	AbsoluteTimeout: 12 * time.Hour,
	RememberFor:     30 * 24 * time.Hour,
	TouchInterval:   time.Minute,
}

type fixedClock struct{}

func (fixedClock) Now() time.Time { return now }

// seeded is a filled database and the tokens of its sessions.
type seeded struct {
	db     *bun.DB
	tokens []domain.Token
}

// seedFile fills a new SQLite file in b's temporary directory through the
// stores, then opens it as production does (WAL, synchronous FULL, a pool
// of four) and returns that handle.
func seedFile(b *testing.B) seeded { return seedSQLite(b, false) }

// seedAnalyzedFile is seedFile after ANALYZE, as an operator (or PRAGMA
// optimize) may leave a database: with statistics, SQLite may choose a
// plan by a parameter's value, and a statement whose plan could change
// is compiled again whenever its parameters do.
func seedAnalyzedFile(b *testing.B) seeded { return seedSQLite(b, true) }

func seedSQLite(b *testing.B, analyze bool) seeded {
	b.Helper()
	path := filepath.Join(b.TempDir(), "gatehouse.db")
	// Filling runs without fsync, or the setup would take longer than the
	// benchmark; the file is then opened with production's settings.
	sqldb, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)&_pragma=foreign_keys(1)")
	if err != nil {
		b.Fatal(err)
	}
	fill := bun.NewDB(sqldb, sqlitedialect.New())
	tokens := seed(b, fill)
	if analyze {
		if _, err := fill.Exec("ANALYZE"); err != nil {
			b.Fatal(err)
		}
	}
	if err := fill.Close(); err != nil {
		b.Fatal(err)
	}
	db, err := database.Open("sqlite:" + path)
	if err != nil {
		b.Fatalf("database.Open() error = %v", err)
	}
	b.Cleanup(func() { db.Close() })
	return seeded{db: db, tokens: tokens}
}

// seedPostgres fills a new schema of TEST_POSTGRES_URL's database through
// the stores and returns a handle opened as production opens it; it skips
// b without a server.
func seedPostgres(b *testing.B) seeded {
	b.Helper()
	db, err := database.Open(pgtest.Schema(b))
	if err != nil {
		b.Fatalf("database.Open() error = %v", err)
	}
	b.Cleanup(func() { db.Close() })
	return seeded{db: db, tokens: seed(b, db)}
}

// seed migrates db and fills it; it returns the session tokens.
func seed(b *testing.B, db *bun.DB) []domain.Token {
	b.Helper()
	ctx := context.Background()
	if err := sqlstore.Migrate(ctx, db); err != nil {
		b.Fatalf("Migrate() error = %v", err)
	}
	userStore, sessionStore, events := sqlstore.NewUserStore(db), sqlstore.NewSessionStore(db), sqlstore.NewEventStore(db)
	rng := rand.New(rand.NewPCG(1, 1))
	var tokens []domain.Token
	for i := range users {
		u, err := userStore.Create(ctx, domain.User{
			Username:     domain.RestoreUsername(fmt.Sprintf("user%05d", i)),
			PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
			CreatedAt:    now.Add(-90 * 24 * time.Hour),
			Role:         domain.RoleUser,
		})
		if err != nil {
			b.Fatalf("Create(user %d) error = %v", i, err)
		}
		var previous domain.PreviousLogin // before the latest login, which started the sessions
		for j := range loginsPerUser {
			at := now.Add(-time.Duration(loginsPerUser-j) * 24 * time.Hour)
			ip := fmt.Sprintf("192.0.2.%d", j+1)
			if j == loginsPerUser-2 {
				previous = domain.PreviousLogin{Known: true, At: at, IP: ip}
			}
			if j == loginsPerUser-1 {
				if err := events.Record(ctx, domain.SecurityEvent{Kind: domain.EventLoginFailure, UserID: u.ID, IP: ip, Detail: domain.FailureBadPassword, At: at.Add(-time.Minute)}); err != nil {
					b.Fatal(err)
				}
			}
			if err := events.Record(ctx, domain.SecurityEvent{Kind: domain.EventLoginSuccess, UserID: u.ID, IP: ip, UserAgent: "Mozilla/5.0", At: at}); err != nil {
				b.Fatal(err)
			}
		}
		for range sessionsPerUser {
			var raw [domain.TokenBytes]byte
			for k := range raw {
				raw[k] = byte(rng.Uint32())
			}
			token := domain.NewToken(raw)
			started := now.Add(-24 * time.Hour)
			if _, err := sessionStore.Create(ctx, newSession(u.ID, token, started, previous)); err != nil {
				b.Fatalf("Create(session of user %d) error = %v", u.ID, err)
			}
			tokens = append(tokens, token)
		}
	}
	return tokens
}

// newSession is a remembered session of user for token, started at
// started after the login previous and last seen at now.
func newSession(user domain.UserID, token domain.Token, started time.Time, previous domain.PreviousLogin) domain.Session {
	return domain.Session{
		TokenHash:         token.Hash(),
		UserID:            user,
		Persistent:        true,
		CreatedAt:         started,
		LastSeenAt:        now,
		ExpiresAt:         started.Add(policy.RememberFor),
		AbsoluteExpiresAt: started.Add(policy.RememberFor),
		IP:                "192.0.2.3",
		UserAgent:         "Mozilla/5.0 (X11; Linux x86_64)",
		PreviousLogin:     previous,
		CredentialVersion: domain.FirstCredentialVersion,
	}
}
