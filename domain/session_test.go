package domain_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
)

func TestTokenRoundTrip(t *testing.T) {
	var raw [domain.TokenBytes]byte
	for i := range raw {
		raw[i] = byte(i * 7)
	}
	tok := domain.NewToken(raw)
	if len(tok.Reveal()) != 43 {
		t.Fatalf("len(NewToken) = %d, want 43", len(tok.Reveal()))
	}
	got, ok := domain.ParseToken(tok.Reveal())
	if !ok || got != tok {
		t.Errorf("ParseToken(%q) = %q, %v; want the token back", tok.Reveal(), got.Reveal(), ok)
	}
	if got.Hash() != tok.Hash() || got.Hash() == (domain.TokenHash{}) {
		t.Errorf("Hash() differs for equal tokens or is zero")
	}
	if s := fmt.Sprintf("%v %s", tok, tok); strings.Contains(s, tok.Reveal()) {
		t.Errorf("formatted token = %q, want it redacted", s)
	}
}

func TestParseTokenRejectsMalformed(t *testing.T) {
	for _, raw := range []string{
		"",
		"short",
		strings.Repeat("A", 42),
		strings.Repeat("A", 44),
		strings.Repeat("A", 42) + "+", // not base64url
		strings.Repeat("A", 42) + "=",
		strings.Repeat("é", 21) + "A",
	} {
		if _, ok := domain.ParseToken(raw); ok {
			t.Errorf("ParseToken(%q) ok = true, want false", raw)
		}
	}
}

func TestSessionActive(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	s := domain.Session{ExpiresAt: now}
	if s.Active(now) {
		t.Errorf("Active(at ExpiresAt) = true, want false")
	}
	if !s.Active(now.Add(-time.Nanosecond)) {
		t.Errorf("Active(before ExpiresAt) = false, want true")
	}
}
