package usecase

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/domain"
)

// TOTPIssuer names the service in authenticator apps.
const TOTPIssuer = "gatehouse"

// Messages of the code field.
const (
	msgCodeMissing   = "Please enter the 6-digit code from your authenticator app."
	msgCodeWrong     = "That code is not correct. Check your device's clock and try the newest code."
	msgCodeReplayed  = "That code has already been used. Wait for the next one."
	msgNoEnrollment  = "There is no setup to confirm. Open the page again to start over."
	msgNotEnabled    = "Two-factor authentication is not on."
	maxCodeInputSize = 64
)

// TOTPState is what the account's two-factor page shows: either the
// authenticator app is on, or the pending secret to add to the app.
type TOTPState struct {
	Enabled bool
	// Secret and URI are the pending enrollment's, when not Enabled.
	Secret string
	URI    string
	// Status is the recovery codes' and the session's, when Enabled.
	Status TwoFactorStatus
}

// TwoFactor is what a signed-in user does with their second factor:
// enroll an authenticator app (TOTP), confirm it with a code, turn it off,
// and keep recovery codes for when the app is out of reach. Codes are
// checked on an injected clock, one step of skew either way; each time
// step is accepted once per account, each recovery code once, and every
// refused code counts in the login throttle like a wrong password.
type TwoFactor struct {
	store    TOTPStore
	passkeys PasskeyStore
	algo     TOTPAlgorithm
	sealer   SecretSealer
	recovery *RecoveryCodes
	composer MailComposer
	account  *Account
	sessions *SessionManager
	throttle *Throttle
	pending  LoginChallengeStore
	devices  *DeviceProofs
	clock    Clock
	events   recorder
	log      *slog.Logger
}

// NewTwoFactor returns a TwoFactor; composer renders the notices mailed
// to a verified address.
func NewTwoFactor(store TOTPStore, passkeys PasskeyStore, algo TOTPAlgorithm, sealer SecretSealer, recovery *RecoveryCodes, composer MailComposer, account *Account, sessions *SessionManager, throttle *Throttle, pending LoginChallengeStore, devices *DeviceProofs, history EventLog, clock Clock, log *slog.Logger) *TwoFactor {
	return &TwoFactor{
		store: store, passkeys: passkeys, algo: algo, sealer: sealer, recovery: recovery, composer: composer,
		account: account, sessions: sessions, throttle: throttle,
		pending: pending, devices: devices, clock: clock,
		events: recorder{history: history, clock: clock, logger: log}, log: log,
	}
}

// sealContext binds a sealed secret to its account.
func sealContext(user domain.UserID) []byte {
	return []byte("totp:" + strconv.FormatInt(int64(user), 10))
}

// Enabled reports whether user's authenticator app is on.
func (f *TwoFactor) Enabled(ctx context.Context, user domain.UserID) (bool, error) {
	t, err := f.store.ByUser(ctx, user)
	if errors.Is(err, domain.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return t.Enabled(), nil
}

// Setup returns p's state: on, or the pending secret, made now when there
// is none, so that reloading the page shows the same secret.
func (f *TwoFactor) Setup(ctx context.Context, p Principal) (TOTPState, error) {
	t, err := f.store.ByUser(ctx, p.User.ID)
	switch {
	case err == nil && t.Enabled():
		left, err := f.recovery.Remaining(ctx, p.User.ID)
		if err != nil {
			return TOTPState{}, err
		}
		return TOTPState{Enabled: true, Status: TwoFactorStatus{
			RecoveryCodesLeft: left, Recent: recent(p.Session, f.clock.Now().UTC()),
		}}, nil
	case err == nil:
		secret, err := f.open(t)
		if err == nil {
			uri, err := f.algo.URI(TOTPIssuer, p.User.Username.String(), secret)
			if err != nil {
				return TOTPState{}, err
			}
			return TOTPState{Secret: secret, URI: uri}, nil
		}
		// A pending secret that no longer opens (SECRET_KEY changed) is
		// replaced below.
		f.log.WarnContext(ctx, "usecase: pending totp secret does not open; making a new one", "user_id", p.User.ID)
	case !errors.Is(err, domain.ErrNotFound):
		return TOTPState{}, err
	}
	secret, err := f.algo.NewSecret()
	if err != nil {
		return TOTPState{}, err
	}
	uri, err := f.algo.URI(TOTPIssuer, p.User.Username.String(), secret)
	if err != nil {
		return TOTPState{}, err
	}
	sealed, err := f.sealer.Seal([]byte(secret), sealContext(p.User.ID))
	if err != nil {
		return TOTPState{}, fmt.Errorf("totp setup of user %d: %w", p.User.ID, err)
	}
	stored, err := f.store.PutPending(ctx, domain.TOTP{UserID: p.User.ID, Sealed: sealed, CreatedAt: f.clock.Now().UTC()})
	if err != nil {
		return TOTPState{}, err
	}
	if !stored { // enabled meanwhile, from another tab
		return TOTPState{Enabled: true}, nil
	}
	return TOTPState{Secret: secret, URI: uri}, nil
}

// QRCode returns p's pending secret as a PNG QR code, or
// domain.ErrNotFound when there is no pending enrollment.
func (f *TwoFactor) QRCode(ctx context.Context, p Principal) ([]byte, error) {
	t, err := f.store.ByUser(ctx, p.User.ID)
	if err != nil {
		return nil, err
	}
	if t.Enabled() {
		return nil, fmt.Errorf("totp qr code of user %d: enabled: %w", p.User.ID, domain.ErrNotFound)
	}
	secret, err := f.open(t)
	if err != nil {
		return nil, fmt.Errorf("totp qr code of user %d: %w", p.User.ID, domain.ErrNotFound)
	}
	uri, err := f.algo.URI(TOTPIssuer, p.User.Username.String(), secret)
	if err != nil {
		return nil, err
	}
	return f.algo.QRCode(uri)
}

// Confirm turns the pending secret on when code is its current code, with
// a new set of recovery codes, which it returns to be shown once. That
// changes the account's credentials: every other session ends and this
// one is replaced by a new session, with a new token, marked as
// two-factor (the code just passed).
func (f *TwoFactor) Confirm(ctx context.Context, p Principal, code string, c Client) (IssuedCodes, error) {
	code, err := cleanCode(code)
	if err != nil {
		return IssuedCodes{}, err
	}
	t, err := f.store.ByUser(ctx, p.User.ID)
	if errors.Is(err, domain.ErrNotFound) || (err == nil && t.Enabled()) {
		return IssuedCodes{}, invalidInput(InputCode, msgNoEnrollment)
	}
	if err != nil {
		return IssuedCodes{}, err
	}
	secret, err := f.open(t)
	if err != nil {
		return IssuedCodes{}, invalidInput(InputCode, msgNoEnrollment)
	}
	ticket, err := f.reserve(ctx, p.User, c)
	if err != nil {
		return IssuedCodes{}, err
	}
	step, ok := f.algo.Match(secret, code, f.clock.Now())
	if !ok {
		f.events.record(ctx, domain.EventTOTPFailure, p.User.ID, 0, c, domain.FailureBadCode)
		return IssuedCodes{}, invalidInput(InputCode, msgCodeWrong)
	}
	shown, hashes, err := f.recovery.newSet(p.User.ID)
	if err != nil {
		return IssuedCodes{}, err
	}
	now := f.clock.Now().UTC()
	version, ok, err := f.store.Enable(ctx, p.User.ID, step, now, hashes...)
	if err != nil {
		return IssuedCodes{}, err
	}
	if !ok { // confirmed or removed meanwhile
		return IssuedCodes{}, invalidInput(InputCode, msgNoEnrollment)
	}
	f.release(ctx, p.User, ticket)
	f.events.record(ctx, domain.EventTOTPEnabled, p.User.ID, 0, c, "")
	token, s, err := f.sessions.Restart(ctx, p, version, c, now)
	if err != nil {
		return IssuedCodes{}, err
	}
	return IssuedCodes{Token: token, Session: s, RecoveryCodes: shown}, nil
}

// Disable turns the authenticator app off, and removes the recovery
// codes, after checking the password and a current code (or a recovery
// code). Every other session ends; this one is replaced by a new session,
// which it returns. A verified address gets a notice.
func (f *TwoFactor) Disable(ctx context.Context, p Principal, password, code string, c Client) (domain.Token, domain.Session, error) {
	ctx = WithHashingKey(ctx, ClientAllocation(c.IP))
	if err := f.account.reauthenticate(ctx, p, password, InputCurrentPassword, c); err != nil {
		return "", domain.Session{}, err
	}
	if _, err := f.verifySecondFactor(ctx, p.User, code, c); err != nil {
		return "", domain.Session{}, err
	}
	mails, err := f.notice(ctx, p.User.ID, domain.MailTwoFactorDisabled, 0)
	if err != nil {
		return "", domain.Session{}, err
	}
	version, err := f.store.Delete(ctx, p.User.ID, mails...)
	if errors.Is(err, domain.ErrNotFound) {
		return "", domain.Session{}, invalidInput(InputCode, msgNotEnabled)
	}
	if err != nil {
		return "", domain.Session{}, err
	}
	f.events.record(ctx, domain.EventTOTPDisabled, p.User.ID, 0, c, "")
	return f.sessions.Restart(ctx, p, version, c, time.Time{})
}

// VerifyCode checks code against u's enabled secret and uses its time
// step, which no later call accepts again. A wrong or replayed code is an
// invalid InputCode, recorded, and counts in the login throttle as a
// failure; a throttled account's code is refused without being checked.
func (f *TwoFactor) VerifyCode(ctx context.Context, u domain.User, code string, c Client) error {
	code, err := cleanCode(code)
	if err != nil {
		return err
	}
	t, err := f.store.ByUser(ctx, u.ID)
	if errors.Is(err, domain.ErrNotFound) || (err == nil && !t.Enabled()) {
		return invalidInput(InputCode, msgNotEnabled)
	}
	if err != nil {
		return err
	}
	secret, err := f.open(t)
	if err != nil {
		return fmt.Errorf("totp of user %d: %w", u.ID, err)
	}
	ticket, err := f.reserve(ctx, u, c)
	if err != nil {
		return err
	}
	step, ok := f.algo.Match(secret, code, f.clock.Now())
	if !ok {
		f.events.record(ctx, domain.EventTOTPFailure, u.ID, 0, c, domain.FailureBadCode)
		return invalidInput(InputCode, msgCodeWrong)
	}
	used, err := f.store.UseStep(ctx, u.ID, step)
	if err != nil {
		return err
	}
	if !used {
		f.events.record(ctx, domain.EventTOTPFailure, u.ID, 0, c, domain.FailureReplayedCode)
		return invalidInput(InputCode, msgCodeReplayed)
	}
	f.release(ctx, u, ticket)
	return nil
}

// Reset removes the second factors of the account id for actor (an admin,
// or the operator at the command line): the authenticator app and every
// passkey. It ends every session of the account and records it; the
// account logs in with its password alone again. It reports false,
// changing and recording nothing, when the account has no second factor;
// an unknown account is domain.ErrNotFound.
func (f *TwoFactor) Reset(ctx context.Context, actor Actor, id domain.UserID, c Client) (bool, error) {
	if err := actor.check(); err != nil {
		return false, err
	}
	if _, err := f.account.accounts.ByID(ctx, id); err != nil {
		return false, fmt.Errorf("reset second factors of user %d: %w", id, err)
	}
	removed := true
	if _, err := f.store.Delete(ctx, id); err != nil {
		if !errors.Is(err, domain.ErrNotFound) {
			return false, fmt.Errorf("reset second factors of user %d: %w", id, err)
		}
		removed = false
	}
	n, err := f.passkeys.RemoveAll(ctx, id)
	if err != nil {
		return removed, fmt.Errorf("reset passkeys of user %d: %w", id, err)
	}
	if !removed && n == 0 {
		return false, nil
	}
	// The credential version moved on with the deletes: no session of
	// the account counts any more; they are removed too.
	if _, err := f.sessions.RevokeAll(ctx, id, 0); err != nil {
		return true, err
	}
	f.events.record(ctx, domain.EventAdmin2FAReset, id, actor.id(), c, "")
	return true, nil
}

// SecondStepInput answers a login's challenge.
type SecondStepInput struct {
	// Challenge is the token Login returned in its
	// *SecondFactorRequiredError.
	Challenge string
	Code      string
	// Previous is the session token the client held, revoked on success.
	Previous domain.Token
	Client   Client
}

// CompleteLogin finishes a login whose password was right: when the code
// (from the app, or a recovery code, consumed) is right it consumes the
// challenge (once: of two racing answers one wins) and starts the session,
// marked as two-factor, with the "remember me" of the password step, and
// returns it as Login would. A wrong code keeps the challenge
// (the login throttle bounds the tries); an unknown, expired or used
// challenge, or one opened before the account's credentials changed, is
// ErrChallengeGone.
func (f *TwoFactor) CompleteLogin(ctx context.Context, in SecondStepInput) (LoginResult, error) {
	token, ok := domain.ParseToken(in.Challenge)
	if !ok {
		return LoginResult{}, ErrChallengeGone
	}
	ch, err := f.pending.Get(ctx, token.Hash(), f.clock.Now().UTC())
	if errors.Is(err, domain.ErrNotFound) {
		return LoginResult{}, ErrChallengeGone
	}
	if err != nil {
		return LoginResult{}, err
	}
	u, err := f.account.accounts.ByID(ctx, ch.UserID)
	if errors.Is(err, domain.ErrNotFound) {
		return LoginResult{}, ErrChallengeGone
	}
	if err != nil {
		return LoginResult{}, err
	}
	if u.CredentialVersion != ch.CredentialVersion {
		return LoginResult{}, ErrChallengeGone
	}
	if u.Disabled {
		f.events.record(ctx, domain.EventLoginFailure, u.ID, 0, in.Client, domain.FailureDisabled)
		return LoginResult{}, domain.ErrAccountDisabled
	}
	method, err := f.verifySecondFactor(ctx, u, in.Code, in.Client)
	if err != nil {
		return LoginResult{}, err
	}
	if err := f.pending.Consume(ctx, token.Hash(), f.clock.Now().UTC()); err != nil {
		if errors.Is(err, domain.ErrNotFound) {
			return LoginResult{}, ErrChallengeGone
		}
		return LoginResult{}, err
	}
	success := f.events.event(domain.EventLoginSuccess, u.ID, 0, in.Client, method)
	sessionToken, s, err := f.sessions.StartTwoFactor(ctx, u, ch.Remember, in.Client, lastLogin(ctx, f.events.history, f.log, u.ID), f.clock.Now(), success)
	if errors.Is(err, domain.ErrCredentialsChanged) {
		return LoginResult{}, ErrChallengeGone
	}
	if err != nil {
		return LoginResult{}, fmt.Errorf("second step of login of user %d: %w", u.ID, err)
	}
	if in.Previous != "" {
		if err := f.sessions.Revoke(ctx, in.Previous); err != nil {
			f.log.WarnContext(ctx, "usecase: revoke previous session at login", "user_id", u.ID, "err", err)
		}
	}
	return LoginResult{User: u, Session: s, Token: sessionToken, Device: f.devices.Issue(u.ID)}, nil
}

// reserve counts a code check as a login attempt of u's from c before it
// runs; a refusal is recorded.
func (f *TwoFactor) reserve(ctx context.Context, u domain.User, c Client) (ThrottleTicket, error) {
	ticket, err := f.throttle.ReserveLogin(ctx, LoginAttempt{Account: u.Username.Canonical(), Client: c.IP})
	if err != nil && retryAfterOf(err) > 0 {
		f.events.record(ctx, domain.EventTOTPFailure, u.ID, 0, c, domain.FailureThrottled)
	}
	return ticket, err
}

// release gives back the reservation of a code that was right.
func (f *TwoFactor) release(ctx context.Context, u domain.User, ticket ThrottleTicket) {
	if err := f.throttle.ReleaseLogin(ctx, ticket); err != nil {
		f.log.WarnContext(ctx, "usecase: release a code check's reservation", "user_id", u.ID, "err", err)
	}
}

func (f *TwoFactor) open(t domain.TOTP) (string, error) {
	plain, err := f.sealer.Open(t.Sealed, sealContext(t.UserID))
	if err != nil {
		return "", err
	}
	return string(plain), nil
}

// cleanCode removes the spaces and dashes people type inside codes and
// refuses an empty or oversized one.
func cleanCode(code string) (string, error) {
	if len(code) > maxCodeInputSize {
		return "", invalidInput(InputCode, msgCodeWrong)
	}
	code = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, code)
	if code == "" {
		return "", invalidInput(InputCode, msgCodeMissing)
	}
	return code, nil
}
