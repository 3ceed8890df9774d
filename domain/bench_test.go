package domain_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/domain"
)

// sinkUsername, sinkPassword and sinkHash keep the compiler from dropping
// the work a benchmark measures.
var (
	sinkUsername domain.Username
	sinkPassword domain.Password
	sinkHash     domain.TokenHash
	sinkSkeleton string
)

// BenchmarkNewUsername measures normalizing and validating a name, which
// every login and sign-up does once: an ASCII name, the common case, and
// a name that NFKC and case folding both change.
func BenchmarkNewUsername(b *testing.B) {
	for _, bm := range []struct{ name, raw string }{
		{"ascii", "Alice.Smith_42"},
		{"nonascii", "Ｊürgen-Straße"},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				u, err := domain.NewUsername(bm.raw)
				if err != nil {
					b.Fatalf("NewUsername(%q) error = %v, want nil", bm.raw, err)
				}
				sinkUsername = u
			}
		})
	}
}

// BenchmarkNewPassword measures the password policy on a new password,
// including the check that it does not contain the owner's name.
func BenchmarkNewPassword(b *testing.B) {
	owner, err := domain.NewUsername("alice")
	if err != nil {
		b.Fatalf("NewUsername(%q) error = %v, want nil", "alice", err)
	}
	const raw = "correct-horse-battery-9"
	b.ReportAllocs()
	for b.Loop() {
		p, err := domain.NewPassword(raw, owner)
		if err != nil {
			b.Fatalf("NewPassword(%q) error = %v, want nil", raw, err)
		}
		sinkPassword = p
	}
}

// BenchmarkTokenHash measures hashing a session token (SHA-256), which
// every authenticated request does to find its session.
func BenchmarkTokenHash(b *testing.B) {
	var raw [domain.TokenBytes]byte
	for i := range raw {
		raw[i] = byte(i * 7)
	}
	tok := domain.NewToken(raw)
	b.ReportAllocs()
	for b.Loop() {
		sinkHash = tok.Hash()
	}
}

// BenchmarkChooseUsername measures the rules a new name passes at signup,
// on a Latin name and a Japanese one.
func BenchmarkChooseUsername(b *testing.B) {
	for _, raw := range []string{"alice.example", "やまだ太郎タワー"} {
		b.Run(raw, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				u, err := domain.ChooseUsername(raw)
				if err != nil {
					b.Fatalf("ChooseUsername(%q) error = %v, want nil", raw, err)
				}
				sinkUsername = u
			}
		})
	}
}

// BenchmarkSkeleton measures the uniqueness key computed at every
// account creation.
func BenchmarkSkeleton(b *testing.B) {
	u := domain.RestoreUsername("Alice.Example")
	b.ReportAllocs()
	for b.Loop() {
		sinkSkeleton = u.Skeleton()
	}
}
