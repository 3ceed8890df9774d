package usecase

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/gatehouse/gatehouse/domain"
)

// ImportOutcome says what became of one imported account.
type ImportOutcome int

// The outcomes of Importer.Import.
const (
	// Imported: the account was created.
	Imported ImportOutcome = iota
	// ImportedWeak: created, but its password breaks today's policy, so
	// the user must choose a new one at the next login.
	ImportedWeak
	// AlreadyImported: an account of that name with that password exists
	// (an earlier run); nothing changed.
	AlreadyImported
	// Clash: another account already has the name, without regard to
	// case, or one that looks the same (domain.Username.Skeleton);
	// skipped.
	Clash
	// InvalidName: the name breaks the username rules; skipped.
	InvalidName
)

// ImportResult is the outcome for one account, with a reason for skips
// and weak passwords.
type ImportResult struct {
	Outcome ImportOutcome
	Reason  string
}

// Importer brings accounts over from another system that kept plaintext
// passwords (the Flask app gatehouse replaces), so their users keep
// logging in with what they know.
type Importer struct {
	accounts  AccountStore
	creator   UserCreator
	passwords *PasswordPolicy
	clock     Clock
	events    recorder
}

// NewImporter returns an Importer.
func NewImporter(accounts AccountStore, creator UserCreator, passwords *PasswordPolicy, history EventLog, clock Clock, log *slog.Logger) *Importer {
	return &Importer{accounts: accounts, creator: creator, passwords: passwords, clock: clock,
		events: recorder{history: history, clock: clock, logger: log}}
}

// Import creates the account name with an argon2id hash of password. It
// is idempotent: an account already imported is reported, not changed.
func (im *Importer) Import(ctx context.Context, name, password string) (ImportResult, error) {
	username, err := domain.NewUsername(name)
	if err != nil {
		var invalid *domain.InvalidError
		if errors.As(err, &invalid) {
			return ImportResult{Outcome: InvalidName, Reason: invalid.Message}, nil
		}
		return ImportResult{}, err
	}
	pw := domain.NormalizePassword(password)
	existing, err := im.accounts.ByUsername(ctx, username)
	switch {
	case err == nil:
		return im.compare(ctx, existing, pw)
	case !errors.Is(err, domain.ErrNotFound):
		return ImportResult{}, fmt.Errorf("import %q: %w", username, err)
	}
	// Only a name new to this service must meet the rules for new names,
	// so that a run again finds the accounts an earlier run created.
	if err := username.Choosable(); err != nil {
		var invalid *domain.InvalidError
		if errors.As(err, &invalid) {
			return ImportResult{Outcome: InvalidName, Reason: invalid.Message}, nil
		}
		return ImportResult{}, err
	}
	res := ImportResult{Outcome: Imported}
	if _, err := im.passwords.Check(password, username); err != nil {
		var invalid *domain.InvalidError
		if !errors.As(err, &invalid) {
			return ImportResult{}, err
		}
		res = ImportResult{Outcome: ImportedWeak, Reason: invalid.Message}
	}
	hash, err := im.passwords.Hash(ctx, pw)
	if err != nil {
		return ImportResult{}, fmt.Errorf("import %q: %w", username, err)
	}
	u, err := im.creator.Create(ctx, domain.User{
		Username:           username,
		PasswordHash:       hash,
		CreatedAt:          im.clock.Now().UTC(),
		Role:               domain.RoleUser,
		MustChangePassword: res.Outcome == ImportedWeak,
	})
	if errors.Is(err, domain.ErrUsernameTaken) {
		// Another row of the same file, or a signup, got there first.
		return ImportResult{Outcome: Clash, Reason: "another account has this name or one that looks the same"}, nil
	}
	if err != nil {
		return ImportResult{}, fmt.Errorf("import %q: %w", username, err)
	}
	im.events.record(ctx, domain.EventImport, u.ID, 0, Client{}, "")
	return res, nil
}

// compare tells an earlier import of the same account from a different
// account that has the name.
func (im *Importer) compare(ctx context.Context, existing domain.User, pw domain.Password) (ImportResult, error) {
	match, err := im.passwords.Verify(ctx, pw, existing.PasswordHash)
	if err != nil {
		return ImportResult{}, fmt.Errorf("import %q: %w", existing.Username, err)
	}
	if match {
		return ImportResult{Outcome: AlreadyImported}, nil
	}
	return ImportResult{Outcome: Clash, Reason: fmt.Sprintf("the name is taken by the account %q", existing.Username)}, nil
}
