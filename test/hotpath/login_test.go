package hotpath

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/adapter/system"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// instantHasher accepts every password at once: with it, a login costs
// everything but the hash, which test/bench row (d) measures on its own.
type instantHasher struct{}

func (instantHasher) Hash(context.Context, domain.Password) (string, error) {
	return "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g", nil
}

func (instantHasher) Verify(context.Context, domain.Password, string) (bool, bool, error) {
	return true, false, nil
}

func (instantHasher) Saturated(context.Context) bool { return false }

// BenchmarkLoginWithoutHash times a successful login's own work on the
// real stores: the account read, the throttle's reservation and its
// release, the previous login, the new session and the security event.
// In test/bench row (c) this is what a login costs beyond the hash.
func BenchmarkLoginWithoutHash(b *testing.B) {
	db := seedFile(b)
	manager := newManager(db)
	throttles := sqlstore.NewThrottleStore(db.db)
	limits := usecase.ThrottlePolicy{
		MaxFailures: 5, BaseDelay: 30 * time.Second, MaxDelay: 15 * time.Minute, FailureMemory: 24 * time.Hour,
		NetworkMaxFailures: 1 << 30, AccountMaxFailures: 1 << 30, SignupMaxPerNetwork: 20, Window: time.Hour,
	}
	auth, err := usecase.NewAuthenticator(sqlstore.NewUserStore(db.db), instantHasher{}, manager,
		usecase.NewThrottle(throttles, fixedClock{}, limits), usecase.NewDeviceProofs(usecase.DeviceKey("hotpath")),
		usecase.NewLoginChallenges(sqlstore.NewTOTPStore(db.db), sqlstore.NewChallengeStore(db.db), system.NewTokens(), fixedClock{}), sqlstore.NewEventStore(db.db), system.NewTokens(), fixedClock{}, discard)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 3))
	b.ReportAllocs()
	b.ResetTimer()
	cpu := startCPU()
	for b.Loop() {
		in := usecase.LoginInput{
			Username: fmt.Sprintf("user%05d", rng.IntN(users)),
			Password: "correct horse battery staple",
			Client:   usecase.Client{IP: clientIP, UserAgent: "Mozilla/5.0"},
		}
		if res, err := auth.Login(ctx, in); err != nil || res.Session.ID == 0 {
			b.Fatalf("Login(%s) = %+v, %v; want a session", in.Username, res.Session, err)
		}
	}
	cpu.report(b)
}

var clientIP = netip.MustParseAddr("192.0.2.77")
