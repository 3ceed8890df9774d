package usecase

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gatehouse/gatehouse/domain"
)

// MethodRecoveryCode names a recovery code as a second factor.
const MethodRecoveryCode = "recovery_code"

// RecentSecondFactor is how long after a session's second factor a
// change that needs one (new recovery codes) is allowed without a code.
const RecentSecondFactor = 15 * time.Minute

// Messages of the code field about recovery codes.
const (
	msgRecoveryWrong = "That recovery code is not correct, or it has been used already."
	msgRecentNeeded  = "Enter a current code from your authenticator app (or a recovery code): your last two-factor login was more than 15 minutes ago."
)

// RecoveryKey keys the hashes of recovery codes (derived from SECRET_KEY
// for them alone), so that the database alone cannot check a guess.
type RecoveryKey []byte

// RecoveryCodes makes an account's recovery codes, keeps them as keyed
// hashes, and consumes one at a time.
type RecoveryCodes struct {
	store  RecoveryCodeStore
	source RecoveryCodeSource
	key    RecoveryKey
}

// NewRecoveryCodes returns RecoveryCodes on store, whose codes come from
// source and are hashed under key.
func NewRecoveryCodes(store RecoveryCodeStore, source RecoveryCodeSource, key RecoveryKey) *RecoveryCodes {
	return &RecoveryCodes{store: store, source: source, key: key}
}

// Remaining returns how many unused codes user has.
func (r *RecoveryCodes) Remaining(ctx context.Context, user domain.UserID) (int, error) {
	n, err := r.store.Count(ctx, user)
	if err != nil {
		return 0, fmt.Errorf("recovery codes of user %d: %w", user, err)
	}
	return n, nil
}

// newSet returns domain.RecoveryCodeCount new codes for user, formatted
// to be shown once, and their hashes, to be stored.
func (r *RecoveryCodes) newSet(user domain.UserID) (shown []string, hashes [][]byte, err error) {
	for range domain.RecoveryCodeCount {
		code, err := r.source.NewRecoveryCode()
		if err != nil {
			return nil, nil, fmt.Errorf("recovery codes of user %d: %w", user, err)
		}
		shown = append(shown, domain.FormatRecoveryCode(code))
		hashes = append(hashes, r.hash(user, code))
	}
	return shown, hashes, nil
}

// match returns the code of user's whose hash is that of code (a
// normalized recovery code), comparing every stored hash in constant
// time, and how many codes user has.
func (r *RecoveryCodes) match(ctx context.Context, user domain.UserID, code string) (found domain.RecoveryCode, ok bool, count int, err error) {
	codes, err := r.store.List(ctx, user)
	if err != nil {
		return domain.RecoveryCode{}, false, 0, fmt.Errorf("recovery codes of user %d: %w", user, err)
	}
	h := r.hash(user, code)
	for _, c := range codes {
		if hmac.Equal(c.Hash, h) {
			found, ok = c, true
		}
	}
	return found, ok, len(codes), nil
}

// hash is the keyed hash of code, bound to its account.
func (r *RecoveryCodes) hash(user domain.UserID, code string) []byte {
	m := hmac.New(sha256.New, r.key)
	m.Write([]byte("recovery"))
	m.Write([]byte{0})
	m.Write([]byte(strconv.FormatInt(int64(user), 10)))
	m.Write([]byte{0})
	m.Write([]byte(code))
	return m.Sum(nil)
}

// IssuedCodes is what a change that issues recovery codes returns: the
// browser's new session (the credentials changed) and the codes, to be
// shown once.
type IssuedCodes struct {
	Token         domain.Token
	Session       domain.Session
	RecoveryCodes []string
}

// TwoFactorStatus is, beyond TOTPState, what the page of an enabled
// second factor shows.
type TwoFactorStatus struct {
	RecoveryCodesLeft int
	// Recent reports whether the session passed a second factor within
	// RecentSecondFactor, so that new recovery codes need no code.
	Recent bool
}

// recent reports whether s passed a second factor within
// RecentSecondFactor of now.
func recent(s domain.Session, now time.Time) bool {
	return s.TwoFactor() && !now.Before(s.TwoFactorAt) && now.Sub(s.TwoFactorAt) <= RecentSecondFactor
}

// RegenerateRecoveryCodes replaces p's recovery codes by new ones, shown
// once. It needs a recent two-factor login (the session passed a second
// factor within RecentSecondFactor), or else code: a current code from
// the app or a recovery code, checked as at login. New codes change the
// credentials: every other session ends, and this one is replaced.
func (f *TwoFactor) RegenerateRecoveryCodes(ctx context.Context, p Principal, code string, c Client) (IssuedCodes, error) {
	now := f.clock.Now().UTC()
	twoFactorAt := p.Session.TwoFactorAt
	if !recent(p.Session, now) {
		if code == "" {
			return IssuedCodes{}, invalidInput(InputCode, msgRecentNeeded)
		}
		if _, err := f.verifySecondFactor(ctx, p.User, code, c); err != nil {
			return IssuedCodes{}, err
		}
		twoFactorAt = now
	}
	shown, hashes, err := f.recovery.newSet(p.User.ID)
	if err != nil {
		return IssuedCodes{}, err
	}
	event := f.events.event(domain.EventRecoveryCodesNew, p.User.ID, 0, c, "")
	version, err := f.recovery.store.Replace(ctx, p.User.ID, hashes, now, event)
	if errors.Is(err, domain.ErrNotFound) {
		return IssuedCodes{}, invalidInput(InputCode, msgNotEnabled)
	}
	if err != nil {
		return IssuedCodes{}, err
	}
	token, s, err := f.sessions.Restart(ctx, p, version, c, twoFactorAt)
	if err != nil {
		return IssuedCodes{}, err
	}
	return IssuedCodes{Token: token, Session: s, RecoveryCodes: shown}, nil
}

// verifySecondFactor checks code as u's second factor: a recovery code
// (consumed) when it has the shape of one, else a code from the app
// (VerifyCode). It returns the method that passed.
func (f *TwoFactor) verifySecondFactor(ctx context.Context, u domain.User, code string, c Client) (string, error) {
	if len(code) <= maxCodeInputSize {
		if normalized, ok := domain.NormalizeRecoveryCode(code); ok {
			return MethodRecoveryCode, f.useRecoveryCode(ctx, u, normalized, c)
		}
	}
	return MethodTOTP, f.VerifyCode(ctx, u, code, c)
}

// useRecoveryCode consumes u's recovery code, normalized: the check
// counts in the login throttle like a wrong password until it passes;
// the consumption is one conditional DELETE, so of two submissions of a
// code one passes. The event and the notice to a verified address go with
// the code, in one transaction.
func (f *TwoFactor) useRecoveryCode(ctx context.Context, u domain.User, code string, c Client) error {
	ticket, err := f.reserve(ctx, u, c)
	if err != nil {
		return err
	}
	found, ok, count, err := f.recovery.match(ctx, u.ID, code)
	if err != nil {
		return err
	}
	if !ok {
		f.events.record(ctx, domain.EventTOTPFailure, u.ID, 0, c, domain.FailureBadRecoveryCode)
		return invalidInput(InputCode, msgRecoveryWrong)
	}
	mails, err := f.notice(ctx, u.ID, domain.MailRecoveryCodeUsed, count-1)
	if err != nil {
		return err
	}
	event := f.events.event(domain.EventRecoveryCodeUsed, u.ID, 0, c, "")
	used, err := f.recovery.store.Use(ctx, u.ID, found.ID, []domain.SecurityEvent{event}, mails...)
	if err != nil {
		return err
	}
	if !used { // a concurrent submission of the same code won
		f.events.record(ctx, domain.EventTOTPFailure, u.ID, 0, c, domain.FailureBadRecoveryCode)
		return invalidInput(InputCode, msgRecoveryWrong)
	}
	f.release(ctx, u, ticket)
	return nil
}

// notice returns the message of kind to the account's verified address,
// none when it has none.
func (f *TwoFactor) notice(ctx context.Context, user domain.UserID, kind domain.MailKind, codesLeft int) ([]domain.QueuedMail, error) {
	u, err := f.account.accounts.ByID(ctx, user)
	if err != nil {
		return nil, fmt.Errorf("notice %s to user %d: %w", kind, user, err)
	}
	if u.Email.IsZero() {
		return nil, nil
	}
	m, err := f.composer.Compose(kind, u.Email.String(), MailData{Username: u.Username.String(), CodesLeft: max(codesLeft, 0)})
	if err != nil {
		return nil, fmt.Errorf("compose %s: %w", kind, err)
	}
	return []domain.QueuedMail{{Kind: kind, UserID: u.ID, Email: m, CreatedAt: f.clock.Now().UTC()}}, nil
}
