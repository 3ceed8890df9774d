package usecase_test

import (
	"context"
	"errors"
	"net/netip"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// mixed is "rооt" with two Cyrillic о: a name no one may choose any more.
const mixed = "r\u043e\u043et"

// TestAccountWithAMixedScriptNameStillLogsIn: an account whose name was
// stored before new names had to use one script keeps logging in, in any
// case, and an import run again finds it rather than refusing its name.
func TestAccountWithAMixedScriptNameStillLogsIn(t *testing.T) {
	f := newAuthFixture(t)
	ctx := context.Background()
	name, err := domain.NewUsername(mixed)
	if err != nil {
		t.Fatalf("NewUsername(%q) error = %v, want nil: lookups parse every stored name", mixed, err)
	}
	if _, err := f.users.Create(ctx, domain.User{Username: name, PasswordHash: "v1:an older passphrase", CreatedAt: f.clock.now}); err != nil {
		t.Fatalf("Create(%q) error = %v", mixed, err)
	}
	for _, typed := range []string{mixed, "R\u041e\u041eT"} {
		if _, err := f.auth.Login(ctx, usecase.LoginInput{Username: typed, Password: "an older passphrase"}); err != nil {
			t.Errorf("Login(%q) error = %v, want nil: existing accounts must not be locked out", typed, err)
		}
	}
	im := usecase.NewImporter(f.users, f.users, usecase.NewPasswordPolicy(f.hasher, fakeBlocklist{}), f.events, f.clock, discard)
	if res, err := im.Import(ctx, mixed, "an older passphrase"); err != nil || res.Outcome != usecase.AlreadyImported {
		t.Errorf("Import(%q) of the stored account = %+v, %v, want AlreadyImported", mixed, res, err)
	}
}

// TestImportRefusesNewNamesThatMixScriptsOrLookTaken: an import creates
// new names, so the rules for new names hold there too.
func TestImportRefusesNewNamesThatMixScriptsOrLookTaken(t *testing.T) {
	f := newAuthFixture(t) // alice exists
	ctx := context.Background()
	im := usecase.NewImporter(f.users, f.users, usecase.NewPasswordPolicy(f.hasher, fakeBlocklist{}), f.events, f.clock, discard)
	tests := []struct {
		name string
		want usecase.ImportOutcome
	}{
		{mixed, usecase.InvalidName},
		{"aIice", usecase.Clash}, // capital I for l: looks like alice
		{"root", usecase.Imported},
	}
	for _, tt := range tests {
		res, err := im.Import(ctx, tt.name, "a long secret phrase")
		if err != nil || res.Outcome != tt.want {
			t.Errorf("Import(%q) = %+v, %v, want outcome %d", tt.name, res, err, tt.want)
		}
		if tt.want != usecase.Imported && res.Reason == "" {
			t.Errorf("Import(%q) gave no reason", tt.name)
		}
	}
}

// TestAdminCreateRefusesMixedScripts: an admin (or the command line)
// creating an account chooses a new name, under the signup's rules.
func TestAdminCreateRefusesMixedScripts(t *testing.T) {
	f := newAdminFixture(t)
	_, err := f.admin.Create(context.Background(), usecase.Operator, mixed, "a long secret phrase", domain.RoleUser, usecase.Client{IP: netip.MustParseAddr("127.0.0.1")})
	var invalid *usecase.InvalidInputError
	if !errors.As(err, &invalid) || invalid.Fields[usecase.InputUsername] == "" {
		t.Errorf("Create(%q) error = %v, want a username message", mixed, err)
	}
}
