package domain_test

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
)

func TestNewPassword(t *testing.T) {
	alice, err := domain.NewUsername("Alice")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		raw     string
		owner   domain.Username
		wantErr string // substring of the field message; "" for valid
	}{
		{raw: "correct horse battery", owner: alice},
		{raw: "twelve chars", owner: alice},
		{raw: strings.Repeat("é", 12), owner: alice, wantErr: "repeated"},
		{raw: "ｐａｓｓｐｈｒａｓｅ１２", owner: alice}, // fullwidth, NFKC-normalized
		{raw: strings.Repeat("xy", 64), owner: alice},
		{raw: "", owner: alice, wantErr: "choose a password"},
		{raw: "short", owner: alice, wantErr: "at least 12"},
		{raw: "elevenchars", owner: alice, wantErr: "at least 12"},
		{raw: strings.Repeat("xy", 64) + "z", owner: alice, wantErr: "at most 128"},
		{raw: "aaaaaaaaaaaaaaa", owner: alice, wantErr: "repeated"},
		{raw: "my name is ALICE!", owner: alice, wantErr: "username"},
		{raw: "my name is alice!", owner: domain.Username{}},
		{raw: "bad utf8 \xff\xfe here", owner: alice, wantErr: "valid text"},
	}
	for _, tt := range tests {
		_, err := domain.NewPassword(tt.raw, tt.owner)
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("NewPassword(%q) error = %v, want nil", tt.raw, err)
			}
			continue
		}
		var invalid *domain.InvalidError
		if !errors.As(err, &invalid) || !strings.Contains(invalid.Message, tt.wantErr) {
			t.Errorf("NewPassword(%q) error = %v, want a password message containing %q", tt.raw, err, tt.wantErr)
		}
	}
}

func TestPasswordNeverPrints(t *testing.T) {
	p := domain.NormalizePassword("hunter2hunter2")
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("x", "password", p)
	for _, out := range []string{fmt.Sprint(p), fmt.Sprintf("%v %+v %#v %s", p, p, p, p), logged.String()} {
		if strings.Contains(out, "hunter2") {
			t.Errorf("formatted password = %q, want the secret redacted", out)
		}
	}
	if p.Reveal() != "hunter2hunter2" {
		t.Errorf("Reveal() = %q, want the plaintext", p.Reveal())
	}
}
