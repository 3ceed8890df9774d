package contract

import (
	"context"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/domain"
)

// t0 has nanoseconds on purpose: the stores keep milliseconds.
var t0 = time.Date(2026, 11, 26, 10, 0, 0, 123_456_789, time.UTC)

// jst is a zone other than UTC, to show that the stores return UTC.
var jst = time.FixedZone("JST", 9*60*60)

// ms truncates t to what the stores keep: UTC milliseconds.
func ms(t time.Time) time.Time { return t.Truncate(time.Millisecond).UTC() }

func username(t *testing.T, raw string) domain.Username {
	t.Helper()
	name, err := domain.NewUsername(raw)
	if err != nil {
		t.Fatalf("NewUsername(%q) error = %v", raw, err)
	}
	return name
}

// createUser stores an account named raw and returns it.
func createUser(t *testing.T, users *sqlstore.UserStore, raw string) domain.User {
	t.Helper()
	u, err := users.Create(context.Background(), domain.User{
		Username:     username(t, raw),
		PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
		CreatedAt:    t0,
	})
	if err != nil {
		t.Fatalf("Create(%q) error = %v", raw, err)
	}
	return u
}

// hashOf returns a distinct token hash for each seed.
func hashOf(seed byte) domain.TokenHash {
	return domain.NewToken([domain.TokenBytes]byte{seed}).Hash()
}
