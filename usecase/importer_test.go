package usecase_test

import (
	"context"
	"errors"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

func TestImport(t *testing.T) {
	f := newAuthFixture(t)
	ctx := context.Background()
	policy := usecase.NewPasswordPolicy(f.hasher, fakeBlocklist{"password1234": true})
	im := usecase.NewImporter(f.users, f.users, policy, f.events, f.clock, discard)

	rows := []struct {
		name, password string
		want           usecase.ImportOutcome
	}{
		{"bob", "a long secret phrase", usecase.Imported},
		{"carol", "password1234", usecase.ImportedWeak},
		{"dave", "short", usecase.ImportedWeak},
		{"Bob", "another passphrase", usecase.Clash},                // same name as bob, other case
		{"ALICE", "correct horse battery", usecase.AlreadyImported}, // same account, same password
		{"alice", "not her password", usecase.Clash},
		{"bad name!", "whatever passphrase", usecase.InvalidName},
	}
	for _, r := range rows {
		res, err := im.Import(ctx, r.name, r.password)
		if err != nil || res.Outcome != r.want {
			t.Errorf("Import(%q) = %+v, %v; want outcome %d", r.name, res, err, r.want)
		}
		if (r.want == usecase.Clash || r.want == usecase.InvalidName || r.want == usecase.ImportedWeak) && res.Reason == "" {
			t.Errorf("Import(%q) gave no reason", r.name)
		}
	}
	carol, err := f.users.ByUsername(ctx, domain.RestoreUsername("carol"))
	if err != nil || !carol.MustChangePassword {
		t.Errorf("weak import = %+v, %v; want MustChangePassword", carol, err)
	}
	if bob, _ := f.users.ByUsername(ctx, domain.RestoreUsername("bob")); bob.MustChangePassword {
		t.Errorf("a strong import is flagged")
	}
	// The Flask app had no display names: the imported accounts have none.
	for _, name := range []string{"bob", "carol", "dave"} {
		if u, err := f.users.ByUsername(ctx, domain.RestoreUsername(name)); err != nil || !u.DisplayName.IsZero() {
			t.Errorf("imported %s display name = %q, %v; want none", name, u.DisplayName, err)
		}
	}
	// The imported users log in with the passwords they had.
	for _, r := range [][2]string{{"bob", "a long secret phrase"}, {"carol", "password1234"}, {"dave", "short"}} {
		if _, err := f.auth.Login(ctx, usecase.LoginInput{Username: r[0], Password: r[1]}); err != nil {
			t.Errorf("Login(%q) after import error = %v", r[0], err)
		}
	}
	// A second run changes nothing.
	for _, r := range rows[:3] {
		if res, err := im.Import(ctx, r.name, r.password); err != nil || res.Outcome != usecase.AlreadyImported {
			t.Errorf("second Import(%q) = %+v, %v; want AlreadyImported", r.name, res, err)
		}
	}
	f.hasher.fail = domain.ErrUnavailable
	if _, err := im.Import(ctx, "erin", "erins passphrase"); !errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("Import with a failing hasher error = %v, want it passed on", err)
	}
}
