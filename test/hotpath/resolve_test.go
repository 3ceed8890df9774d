package hotpath

import (
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"testing"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/adapter/system"
	"github.com/gatehouse/gatehouse/usecase"
)

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// newManager returns a SessionManager over the real stores on db.
func newManager(db seeded) *usecase.SessionManager {
	return usecase.NewSessionManager(sqlstore.NewSessionStore(db.db), system.NewTokens(), fixedClock{}, policy, discard)
}

// BenchmarkResolve times what every authenticated request does first:
// resolving a session token, picked at random, to its session and account.
func BenchmarkResolve(b *testing.B) {
	db := seedFile(b)
	manager := newManager(db)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(2, 2))
	b.ReportAllocs()
	b.ResetTimer()
	cpu := startCPU()
	for b.Loop() {
		token := db.tokens[rng.IntN(len(db.tokens))]
		p, err := manager.Resolve(ctx, token)
		if err != nil || p.User.ID == 0 {
			b.Fatalf("Resolve() = %+v, %v; want a principal", p, err)
		}
	}
	cpu.report(b)
}

// BenchmarkDashboardReads times the database work behind the dashboard
// and GET /api/v1/me: Resolve, then the previous login.
func BenchmarkDashboardReads(b *testing.B) {
	db := seedFile(b)
	manager := newManager(db)
	account := usecase.NewAccount(sqlstore.NewUserStore(db.db), manager, nil, nil, sqlstore.NewEventStore(db.db), fixedClock{}, discard)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(2, 2))
	b.ReportAllocs()
	b.ResetTimer()
	cpu := startCPU()
	for b.Loop() {
		token := db.tokens[rng.IntN(len(db.tokens))]
		p, err := manager.Resolve(ctx, token)
		if err != nil {
			b.Fatalf("Resolve() error = %v", err)
		}
		if _, ok, err := account.PreviousLogin(ctx, p); !ok || err != nil {
			b.Fatalf("PreviousLogin() = %v, %v; want the login before this session's", ok, err)
		}
	}
	cpu.report(b)
}
