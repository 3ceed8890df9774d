package usecase

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/gatehouse/gatehouse/domain"
)

// RecoveryPolicy bounds the codes that reset a forgotten password.
type RecoveryPolicy struct {
	// CodeFor is how long a recovery code is valid.
	CodeFor time.Duration
	// MaxTries is how many codes may be tried against one.
	MaxTries int
}

// DefaultRecoveryPolicy is ten minutes (OWASP ASVS 4.0.3 2.7.2 for codes
// sent out of band) and five tries.
func DefaultRecoveryPolicy() RecoveryPolicy {
	return RecoveryPolicy{CodeFor: 10 * time.Minute, MaxTries: 5}
}

// ResetInput is a password reset with a recovery code.
type ResetInput struct {
	Email, Code, NewPassword string
	Client                   Client
}

// Recovery lets someone who forgot their password set a new one with a
// code mailed to the account's verified address. Asking for a code
// answers the same, after the same work (one transaction that writes a
// message to the outbox), whether or not an account has the address:
// its owner gets a code, any other address a message that says no
// account has it.
type Recovery struct {
	store     EmailStore
	outbox    MailOutbox
	passwords *PasswordPolicy
	throttle  *Throttle
	composer  MailComposer
	codes     CodeSource
	key       CodeKey
	policy    RecoveryPolicy
	clock     Clock
	events    recorder
	log       *slog.Logger
}

// NewRecovery returns a Recovery; throttle limits the requests per
// address and per network.
func NewRecovery(store EmailStore, outbox MailOutbox, passwords *PasswordPolicy, throttle *Throttle, composer MailComposer, codes CodeSource, key CodeKey, policy RecoveryPolicy, history EventLog, clock Clock, log *slog.Logger) *Recovery {
	return &Recovery{
		store: store, outbox: outbox, passwords: passwords, throttle: throttle, composer: composer,
		codes: codes, key: key, policy: policy, clock: clock,
		events: recorder{history: history, clock: clock, logger: log}, log: log,
	}
}

// Request mails a recovery code to raw when an account has it as its
// verified address, replacing any earlier code of that account, and
// otherwise mails raw a notice without a code. The answer is the same
// either way: nil, an invalid email input for text that is no address,
// or a *domain.ThrottledError when the address or the client's network
// asked too often recently (counted whether or not an account has it).
func (r *Recovery) Request(ctx context.Context, raw string, c Client) error {
	address, err := domain.NewEmailAddress(raw)
	if err != nil {
		return asInput(InputEmail, err)
	}
	if err := r.throttle.ReserveRecovery(ctx, r.addressKey(address), c.IP); err != nil {
		return err
	}
	code, err := r.codes.NewCode()
	if err != nil {
		return err
	}
	now := r.clock.Now().UTC()
	owner, err := r.store.OwnerOf(ctx, address)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		// The same work as for an owner: a code made and hashed, a
		// message composed and written in one transaction.
		_ = r.key.hash(domain.PurposeRecover, 0, code)
		m, err := r.mail(domain.MailRecoveryUnknown, address, 0, MailData{Address: address.String()})
		if err != nil {
			return err
		}
		if err := r.outbox.Enqueue(ctx, m); err != nil {
			return fmt.Errorf("recovery for an unknown address: %w", err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("recovery: owner of an address: %w", err)
	}
	m, err := r.mail(domain.MailRecoveryCode, address, owner.ID, MailData{Username: owner.Username.String(), Code: code})
	if err != nil {
		return err
	}
	pending := domain.PendingCode{
		UserID: owner.ID, Purpose: domain.PurposeRecover, Address: address,
		Hash: r.key.hash(domain.PurposeRecover, owner.ID, code), ExpiresAt: now.Add(r.policy.CodeFor), CreatedAt: now,
	}
	if err := r.store.PutCode(ctx, pending, m); err != nil {
		return fmt.Errorf("recovery for user %d: %w", owner.ID, err)
	}
	return nil
}

// Reset sets a new password for the account whose verified address is
// in.Email, when in.Code is its recovery code: unused, unexpired, mailed
// to that address, and with tries left (each call counts one). The new
// password must pass the policy. A reset ends every session of the
// account, moves its credential version on, cancels its other recovery
// codes, records an event and mails a notice, all in one transaction,
// and then clears the account's login lockout. It keeps the account's
// second factor: the next login still asks for it. Every wrong, expired,
// used or spent code, and an address no account has, is the same
// invalid code input.
func (r *Recovery) Reset(ctx context.Context, in ResetInput) error {
	address, addrErr := domain.NewEmailAddress(in.Email)
	// The rules that need no account first, so a short password costs
	// no try; the username rule only once the code proved the account.
	_, pwErr := r.passwords.Check(in.NewPassword, domain.Username{})
	if err := mergeInvalid(asInput(InputEmail, addrErr), asInput(InputNewPassword, pwErr)); err != nil {
		return err
	}
	now := r.clock.Now().UTC()
	owner, err := r.store.OwnerOf(ctx, address)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return fmt.Errorf("reset: owner of an address: %w", err)
	}
	// With no owner, owner.ID is 0 and no code is found: the same
	// statement runs either way.
	pending, err := r.store.TryCode(ctx, owner.ID, domain.PurposeRecover, now, r.policy.MaxTries)
	if errors.Is(err, domain.ErrNotFound) {
		return invalidInput(InputCode, badCode)
	}
	if err != nil {
		return fmt.Errorf("reset password of user %d: %w", owner.ID, err)
	}
	code, ok := domain.NormalizeCode(in.Code)
	if !ok || pending.Address.Canonical() != address.Canonical() ||
		!hmac.Equal(pending.Hash, r.key.hash(domain.PurposeRecover, owner.ID, code)) {
		r.events.record(ctx, domain.EventRecoveryCodeFailure, owner.ID, 0, in.Client, "")
		return invalidInput(InputCode, badCode)
	}
	pw, err := r.passwords.Check(in.NewPassword, owner.Username)
	if err != nil {
		return asInput(InputNewPassword, err)
	}
	hash, err := r.passwords.Hash(WithHashingKey(ctx, ClientAllocation(in.Client.IP)), pw)
	if err != nil {
		return fmt.Errorf("reset password of user %d: %w", owner.ID, err)
	}
	notice, err := r.mail(domain.MailPasswordResetNotice, owner.Email, owner.ID, MailData{Username: owner.Username.String()})
	if err != nil {
		return err
	}
	event := r.events.event(domain.EventPasswordReset, owner.ID, 0, in.Client, "")
	_, err = r.store.ResetPassword(ctx, pending.ID, owner.ID, hash, r.clock.Now().UTC(), []domain.SecurityEvent{event}, notice)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		// Used by a concurrent reset, or expired while the password was
		// hashed.
		return invalidInput(InputCode, badCode)
	case err != nil:
		return fmt.Errorf("reset password of user %d: %w", owner.ID, err)
	}
	// The owner proved the account: the lockout its attacker caused
	// ends. The password is set whatever happens here.
	if err := r.throttle.ClearAccount(ctx, owner.Username.Canonical()); err != nil {
		r.log.WarnContext(ctx, "usecase: clear the login lockout after a reset", "user_id", owner.ID, "err", err)
	}
	return nil
}

// addressKey is the throttle's key for address: a keyed hash of its
// canonical form, so the throttle keeps no address in clear, not even
// of someone without an account.
func (r *Recovery) addressKey(address domain.EmailAddress) string {
	m := hmac.New(sha256.New, r.key)
	m.Write([]byte("recovery throttle\x00"))
	m.Write([]byte(address.Canonical()))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// mail renders kind to address about user, ready for the outbox.
func (r *Recovery) mail(kind domain.MailKind, address domain.EmailAddress, user domain.UserID, data MailData) (domain.QueuedMail, error) {
	m, err := r.composer.Compose(kind, address.String(), data)
	if err != nil {
		return domain.QueuedMail{}, fmt.Errorf("compose %s: %w", kind, err)
	}
	return domain.QueuedMail{Kind: kind, UserID: user, Email: m, CreatedAt: r.clock.Now().UTC()}, nil
}
