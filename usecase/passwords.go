package usecase

import (
	"context"

	"github.com/gatehouse/gatehouse/domain"
)

// PasswordPolicy checks new passwords (the domain's rules plus the list of
// common passwords) and hashes them: the one place every way of setting a
// password goes through, so signup, password change, the admin and the
// command line cannot drift apart.
type PasswordPolicy struct {
	hasher    PasswordHasher
	blocklist PasswordBlocklist
}

// NewPasswordPolicy returns a PasswordPolicy.
func NewPasswordPolicy(hasher PasswordHasher, blocklist PasswordBlocklist) *PasswordPolicy {
	return &PasswordPolicy{hasher: hasher, blocklist: blocklist}
}

// commonPassword is the message for a password on the list.
const commonPassword = "This password is on a list of commonly used passwords. Please choose another."

// Check returns raw as a Password when it may become owner's password, or
// a *domain.InvalidError saying why not; the caller names the input that
// held it.
func (p *PasswordPolicy) Check(raw string, owner domain.Username) (domain.Password, error) {
	pw, err := domain.NewPassword(raw, owner)
	if err != nil {
		return domain.Password{}, err
	}
	if p.blocklist.Contains(pw) {
		return domain.Password{}, &domain.InvalidError{Message: commonPassword}
	}
	return pw, nil
}

// Hash hashes a checked password.
func (p *PasswordPolicy) Hash(ctx context.Context, pw domain.Password) (string, error) {
	return p.hasher.Hash(ctx, pw)
}

// Verify reports whether pw matches encoded.
func (p *PasswordPolicy) Verify(ctx context.Context, pw domain.Password, encoded string) (bool, error) {
	match, _, err := p.hasher.Verify(ctx, pw, encoded)
	return match, err
}
