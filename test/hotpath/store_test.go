package hotpath

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
)

// BenchmarkStoreSessionWithUser times the store's part of Resolve alone,
// from a token hash to the session and its account, on a SQLite file and,
// with TEST_POSTGRES_URL set, on PostgreSQL.
func BenchmarkStoreSessionWithUser(b *testing.B) {
	backends := []struct {
		name string
		seed func(*testing.B) seeded
	}{
		{"sqlite-file", seedFile},
		{"sqlite-file-analyzed", seedAnalyzedFile},
		{"postgres", seedPostgres},
	}
	for _, backend := range backends {
		b.Run(backend.name, func(b *testing.B) {
			db := backend.seed(b)
			sessions := sqlstore.NewSessionStore(db.db)
			ctx := context.Background()
			rng := rand.New(rand.NewPCG(3, 3))
			b.ReportAllocs()
			b.ResetTimer()
			cpu := startCPU()
			for b.Loop() {
				token := db.tokens[rng.IntN(len(db.tokens))]
				if _, _, err := sessions.ByTokenHashWithUser(ctx, token.Hash()); err != nil {
					b.Fatalf("ByTokenHashWithUser() error = %v", err)
				}
			}
			cpu.report(b)
		})
	}
}
