package usecase_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/usecase"
)

// TestStoredUserAgentIsClean checks that what a delivery passes as the
// client's User-Agent is stored cut to 512 bytes, without control
// characters or invalid UTF-8, whatever it was.
func TestStoredUserAgentIsClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Mozilla/5.0 (X11; Linux x86_64)", "Mozilla/5.0 (X11; Linux x86_64)"},
		{"evil\r\nheader\x00", "evilheader"},
		{"bad \xff utf8", "bad  utf8"},
		{strings.Repeat("a", 600), strings.Repeat("a", 512)},
		{strings.Repeat("a", 511) + "é", strings.Repeat("a", 511)}, // a cut through a character drops it
	}
	clock := &fakeClock{now: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)}
	s := newStores(t)
	r := usecase.NewRegistrar(s.users, usecase.NewPasswordPolicy(&fakeHasher{version: "v1"}, fakeBlocklist{}), newTestThrottle(s.throttles, clock), s.events, clock, discard, nil)
	for i, tt := range tests {
		name := "user" + strings.Repeat("x", i)
		u, err := r.Register(context.Background(), usecase.RegisterInput{Username: name, Password: "correct horse battery", Client: usecase.Client{UserAgent: tt.in}})
		if err != nil {
			t.Fatalf("Register(%s) error = %v", name, err)
		}
		events := s.events.history(t, u.ID)
		if len(events) != 1 {
			t.Fatalf("Register recorded %d events, want 1", len(events))
		}
		if got := events[0].UserAgent; got != tt.want {
			t.Errorf("stored User-Agent for %.20q = %.20q (%d bytes), want %.20q", tt.in, got, len(got), tt.want)
		}
	}
}
