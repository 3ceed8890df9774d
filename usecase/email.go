package usecase

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/gatehouse/gatehouse/domain"
)

// CodeKey keys the hashes of one-time codes (derived from SECRET_KEY), so
// that the database alone cannot check a guess.
type CodeKey []byte

// CodePolicy bounds the one-time codes of address verification.
type CodePolicy struct {
	// VerifyFor is how long a verification code is valid.
	VerifyFor time.Duration
	// MaxTries is how many codes may be tried against one.
	MaxTries int
}

// DefaultCodePolicy is an hour and five tries.
func DefaultCodePolicy() CodePolicy {
	return CodePolicy{VerifyFor: time.Hour, MaxTries: 5}
}

// badCode is the one answer for a wrong, expired, used or spent code.
const badCode = "This code is not right, or it has expired or been used too often. Check it, or ask for a new one."

// EmailStatus is an account's address and the one waiting for
// verification, if any.
type EmailStatus struct {
	Verified domain.EmailAddress
	Pending  domain.EmailAddress
	// PendingUntil is when the pending address's code expires.
	PendingUntil time.Time
}

// AccountEmail manages accounts' addresses: adding or changing one
// (mailing it a code), verifying it with the code, sending the code
// again, removing it.
type AccountEmail struct {
	store    EmailStore
	accounts AccountStore
	account  *Account
	throttle *Throttle
	composer MailComposer
	codes    CodeSource
	key      CodeKey
	policy   CodePolicy
	clock    Clock
	events   recorder
	log      *slog.Logger
}

// NewAccountEmail returns an AccountEmail; account checks current
// passwords, and throttle limits how often a code is sent again.
func NewAccountEmail(store EmailStore, accounts AccountStore, account *Account, throttle *Throttle, composer MailComposer, codes CodeSource, key CodeKey, policy CodePolicy, history EventLog, clock Clock, log *slog.Logger) *AccountEmail {
	return &AccountEmail{
		store: store, accounts: accounts, account: account, throttle: throttle, composer: composer, codes: codes, key: key,
		policy: policy, clock: clock, events: recorder{history: history, clock: clock, logger: log}, log: log,
	}
}

// Status returns p's verified address, as read with p for this request
// (Principal.User), and the pending one: one read of the codes.
func (e *AccountEmail) Status(ctx context.Context, p Principal) (EmailStatus, error) {
	st := EmailStatus{Verified: p.User.Email}
	code, err := e.store.ActiveCode(ctx, p.User.ID, domain.PurposeVerifyEmail, e.clock.Now())
	switch {
	case err == nil:
		st.Pending, st.PendingUntil = code.Address, code.ExpiresAt
	case !errors.Is(err, domain.ErrNotFound):
		return EmailStatus{}, fmt.Errorf("email of user %d: %w", p.User.ID, err)
	}
	return st, nil
}

// Change checks p's current password and starts the verification of raw:
// a code goes to the new address, and a notice to the current one. An
// address another account has verified is treated the same to the
// requester, but its owner gets a notice instead of a code.
func (e *AccountEmail) Change(ctx context.Context, p Principal, raw, currentPassword string, c Client) error {
	ctx = WithHashingKey(ctx, ClientAllocation(c.IP))
	address, addrErr := domain.NewEmailAddress(raw)
	if err := asInput(InputEmail, addrErr); err != nil {
		return err
	}
	if err := e.account.reauthenticate(ctx, p, currentPassword, InputCurrentPassword, c); err != nil {
		return err
	}
	u, err := e.accounts.ByID(ctx, p.User.ID)
	if err != nil {
		return fmt.Errorf("change email of user %d: %w", p.User.ID, err)
	}
	var notices []domain.QueuedMail
	if !u.Email.IsZero() && u.Email.Canonical() != address.Canonical() {
		n, err := e.mail(domain.MailEmailChangeNotice, u.Email, u, MailData{Username: u.Username.String(), Address: address.String()})
		if err != nil {
			return err
		}
		notices = append(notices, n)
	}
	return e.startVerification(ctx, u, address, notices...)
}

// StartVerification mails u a code for address, as at signup.
func (e *AccountEmail) StartVerification(ctx context.Context, u domain.User, address domain.EmailAddress) error {
	return e.startVerification(ctx, u, address)
}

// startVerification stores a new code for address and enqueues its mail
// with the others, in one transaction; when another account owns the
// address, its owner gets a notice instead (same work otherwise).
func (e *AccountEmail) startVerification(ctx context.Context, u domain.User, address domain.EmailAddress, others ...domain.QueuedMail) error {
	code, err := e.codes.NewCode()
	if err != nil {
		return err
	}
	owner, err := e.store.OwnerOf(ctx, address)
	taken := err == nil && owner.ID != u.ID
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return fmt.Errorf("change email of user %d: %w", u.ID, err)
	}
	var m domain.QueuedMail
	if taken {
		m, err = e.mail(domain.MailEmailTakenNotice, address, owner, MailData{Username: owner.Username.String()})
	} else {
		m, err = e.mail(domain.MailVerifyEmail, address, u, MailData{Username: u.Username.String(), Code: code})
	}
	if err != nil {
		return err
	}
	now := e.clock.Now().UTC()
	pending := domain.PendingCode{
		UserID: u.ID, Purpose: domain.PurposeVerifyEmail, Address: address,
		Hash: e.key.hash(domain.PurposeVerifyEmail, u.ID, code), ExpiresAt: now.Add(e.policy.VerifyFor), CreatedAt: now,
	}
	if err := e.store.PutCode(ctx, pending, append(others, m)...); err != nil {
		return fmt.Errorf("change email of user %d: %w", u.ID, err)
	}
	return nil
}

// Resend replaces p's pending code by a new one, mailed to the same
// address. Without a pending address it is an invalid email input; an
// account that asked too often recently gets a *domain.ThrottledError
// and no mail.
func (e *AccountEmail) Resend(ctx context.Context, p Principal, c Client) error {
	pending, err := e.store.ActiveCode(ctx, p.User.ID, domain.PurposeVerifyEmail, e.clock.Now())
	if errors.Is(err, domain.ErrNotFound) {
		return invalidInput(InputEmail, "There is no address waiting for verification. Enter the address again.")
	}
	if err != nil {
		return fmt.Errorf("resend code of user %d: %w", p.User.ID, err)
	}
	if err := e.throttle.ReserveResend(ctx, p.User.ID); err != nil {
		return err
	}
	u, err := e.accounts.ByID(ctx, p.User.ID)
	if err != nil {
		return fmt.Errorf("resend code of user %d: %w", p.User.ID, err)
	}
	return e.startVerification(ctx, u, pending.Address)
}

// Verify checks raw against p's pending code and, when it matches, makes
// the pending address p's, consuming the code: a code works once, at most
// MaxTries codes are tried against one, and it expires.
func (e *AccountEmail) Verify(ctx context.Context, p Principal, raw string, c Client) error {
	code, ok := domain.NormalizeCode(raw)
	now := e.clock.Now().UTC()
	pending, err := e.store.TryCode(ctx, p.User.ID, domain.PurposeVerifyEmail, now, e.policy.MaxTries)
	if errors.Is(err, domain.ErrNotFound) {
		return invalidInput(InputCode, badCode)
	}
	if err != nil {
		return fmt.Errorf("verify email of user %d: %w", p.User.ID, err)
	}
	if !ok || !hmac.Equal(pending.Hash, e.key.hash(domain.PurposeVerifyEmail, p.User.ID, code)) {
		e.events.record(ctx, domain.EventEmailCodeFailure, p.User.ID, 0, c, "")
		return invalidInput(InputCode, badCode)
	}
	event := e.events.event(domain.EventEmailVerified, p.User.ID, 0, c, "")
	_, err = e.store.ConfirmEmail(ctx, pending.ID, p.User.ID, now, []domain.SecurityEvent{event})
	switch {
	case errors.Is(err, domain.ErrNotFound), errors.Is(err, domain.ErrEmailTaken):
		// Used by a concurrent submission, or verified by another
		// account meanwhile: to the requester, a code that did not work.
		return invalidInput(InputCode, badCode)
	case err != nil:
		return fmt.Errorf("verify email of user %d: %w", p.User.ID, err)
	}
	return nil
}

// Remove checks p's current password and removes the address (and any
// pending one); the removed address gets a notice.
func (e *AccountEmail) Remove(ctx context.Context, p Principal, currentPassword string, c Client) error {
	ctx = WithHashingKey(ctx, ClientAllocation(c.IP))
	if err := e.account.reauthenticate(ctx, p, currentPassword, InputCurrentPassword, c); err != nil {
		return err
	}
	u, err := e.accounts.ByID(ctx, p.User.ID)
	if err != nil {
		return fmt.Errorf("remove email of user %d: %w", p.User.ID, err)
	}
	var mails []domain.QueuedMail
	if !u.Email.IsZero() {
		m, err := e.mail(domain.MailEmailRemovedNotice, u.Email, u, MailData{Username: u.Username.String(), Address: u.Email.String()})
		if err != nil {
			return err
		}
		mails = append(mails, m)
	}
	event := e.events.event(domain.EventEmailRemoved, u.ID, 0, c, "")
	if err := e.store.RemoveEmail(ctx, u.ID, []domain.SecurityEvent{event}, mails...); err != nil {
		return fmt.Errorf("remove email of user %d: %w", u.ID, err)
	}
	return nil
}

// SetByOperator gives u the address raw: verified at once when verified
// (the operator vouches for it; domain.ErrEmailTaken when another account
// has it), else by mailing it a code as a signup does.
func (e *AccountEmail) SetByOperator(ctx context.Context, u domain.User, raw string, verified bool) error {
	address, err := domain.NewEmailAddress(raw)
	if err != nil {
		return asInput(InputEmail, err)
	}
	if !verified {
		// The operator may know what a visitor may not: whose it is.
		if owner, err := e.store.OwnerOf(ctx, address); err == nil && owner.ID != u.ID {
			return fmt.Errorf("set email of user %d: %w", u.ID, domain.ErrEmailTaken)
		}
		return e.startVerification(ctx, u, address)
	}
	event := e.events.event(domain.EventEmailVerified, u.ID, 0, Client{}, "operator")
	if err := e.store.SetEmail(ctx, u.ID, address, []domain.SecurityEvent{event}); err != nil {
		return fmt.Errorf("set email of user %d: %w", u.ID, err)
	}
	return nil
}

// Purge deletes the codes expired or used more than a day ago.
func (e *AccountEmail) Purge(ctx context.Context) (int64, error) {
	return e.store.PurgeCodes(ctx, e.clock.Now().Add(-24*time.Hour))
}

// mail renders kind to address about u, ready for the outbox.
func (e *AccountEmail) mail(kind domain.MailKind, address domain.EmailAddress, u domain.User, data MailData) (domain.QueuedMail, error) {
	m, err := e.composer.Compose(kind, address.String(), data)
	if err != nil {
		return domain.QueuedMail{}, fmt.Errorf("compose %s: %w", kind, err)
	}
	return domain.QueuedMail{Kind: kind, UserID: u.ID, Email: m, CreatedAt: e.clock.Now().UTC()}, nil
}

// hash is the HMAC-SHA-256 under k of code, bound to its purpose and
// account: a code's hash is worth nothing for another purpose or account.
func (k CodeKey) hash(purpose domain.CodePurpose, user domain.UserID, code string) []byte {
	m := hmac.New(sha256.New, k)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(strconv.FormatInt(int64(user), 10)))
	m.Write([]byte{0})
	m.Write([]byte(code))
	return m.Sum(nil)
}
