package usecase

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/gatehouse/gatehouse/domain"
)

// BeginLogin starts a passkey login that names no account (a
// discoverable credential) and returns the options for the client.
func (k *Passkeys) BeginLogin(ctx context.Context) ([]byte, error) {
	if !k.Enabled() {
		return nil, ErrPasskeysOff
	}
	o, err := k.ceremony.BeginLogin(nil)
	if err != nil {
		return nil, fmt.Errorf("begin passkey login: %w", err)
	}
	return k.begin(ctx, o, domain.PasskeyLogin, 0)
}

// PasskeyLoginInput is a passkey login's answer, and from where.
type PasskeyLoginInput struct {
	// Response is the WebAuthn JSON of the assertion.
	Response []byte
	Remember bool
	// Previous is the session token the client held, revoked on success.
	Previous domain.Token
	Client   Client
	// Device is the device proof the client presented, if any.
	Device string
}

// Login signs in with a passkey: the answer to BeginLogin names its
// credential and account (by the random user handle). The login throttle
// counts the attempt as it does a password's; user verification is
// required, so the login counts as two factors and asks for no other.
// Every failure is ErrPasskeyLoginFailed and is recorded with its reason
// (a counter that went backwards as a possible clone); a disabled
// account is domain.ErrAccountDisabled.
func (k *Passkeys) Login(ctx context.Context, in PasskeyLoginInput) (LoginResult, error) {
	if !k.Enabled() {
		return LoginResult{}, ErrPasskeysOff
	}
	if len(in.Response) == 0 || len(in.Response) > maxPasskeyResponse {
		return LoginResult{}, ErrPasskeyLoginFailed
	}
	a, err := k.ceremony.ReadAssertion(in.Response)
	if err != nil {
		return LoginResult{}, ErrPasskeyLoginFailed
	}
	ch, err := k.consume(ctx, a.Challenge, domain.PasskeyLogin)
	if errors.Is(err, domain.ErrNotFound) {
		k.events.record(ctx, domain.EventPasskeyFailure, 0, 0, in.Client, domain.FailureBadAssertion)
		return LoginResult{}, ErrPasskeyLoginFailed
	}
	if err != nil {
		return LoginResult{}, err
	}
	id, err := k.store.UserByHandle(ctx, a.UserHandle)
	if errors.Is(err, domain.ErrNotFound) {
		k.events.record(ctx, domain.EventPasskeyFailure, 0, 0, in.Client, domain.FailureUnknownPasskey)
		return LoginResult{}, ErrPasskeyLoginFailed
	}
	if err != nil {
		return LoginResult{}, err
	}
	u, err := k.accounts.ByID(ctx, id)
	if errors.Is(err, domain.ErrNotFound) {
		return LoginResult{}, ErrPasskeyLoginFailed
	}
	if err != nil {
		return LoginResult{}, err
	}
	device, _ := k.devices.Verify(in.Device, u.ID)
	if err := k.verify(ctx, u, ch, a, in.Response, device, in.Client); err != nil {
		return LoginResult{}, err
	}
	if u.Disabled {
		k.events.record(ctx, domain.EventLoginFailure, u.ID, 0, in.Client, domain.FailureDisabled)
		return LoginResult{}, domain.ErrAccountDisabled
	}
	success := k.events.event(domain.EventLoginSuccess, u.ID, 0, in.Client, MethodPasskey)
	token, s, err := k.sessions.StartTwoFactor(ctx, u, in.Remember, in.Client, lastLogin(ctx, k.events.history, k.log, u.ID), k.clock.Now(), success)
	if errors.Is(err, domain.ErrCredentialsChanged) {
		return LoginResult{}, ErrPasskeyLoginFailed
	}
	if err != nil {
		return LoginResult{}, fmt.Errorf("passkey login of user %d: %w", u.ID, err)
	}
	k.revokePrevious(ctx, u.ID, in.Previous)
	return LoginResult{User: u, Session: s, Token: token, Device: k.devices.Issue(u.ID)}, nil
}

// verify checks a's answer, signed by one of u's passkeys, against the
// challenge ch it consumed, under the login throttle, and records the
// use. Refusals are recorded and are ErrPasskeyLoginFailed.
func (k *Passkeys) verify(ctx context.Context, u domain.User, ch domain.PasskeyChallenge, a PasskeyAssertion, response []byte, device string, c Client) error {
	ticket, err := k.throttle.ReserveLogin(ctx, LoginAttempt{Account: u.Username.Canonical(), Client: c.IP, Device: device})
	if err != nil {
		if retryAfterOf(err) > 0 {
			k.events.record(ctx, domain.EventPasskeyFailure, u.ID, 0, c, domain.FailureThrottled)
		}
		return err
	}
	fail := func(reason string) error {
		k.events.record(ctx, domain.EventPasskeyFailure, u.ID, 0, c, reason)
		return ErrPasskeyLoginFailed
	}
	subject, err := k.subject(ctx, u)
	if err != nil {
		return err
	}
	var pk *domain.Passkey
	for i := range subject.Passkeys {
		if bytes.Equal(subject.Passkeys[i].CredentialID, a.CredentialID) {
			pk = &subject.Passkeys[i]
		}
	}
	if pk == nil {
		return fail(domain.FailureUnknownPasskey)
	}
	use, err := k.ceremony.FinishLogin(subject, ch.State, a.Challenge, response)
	switch {
	case errors.Is(err, ErrPasskeyNoUserVerification):
		return fail(domain.FailureNoUserVerification)
	case err != nil:
		k.log.InfoContext(ctx, "usecase: passkey answer refused", "user_id", u.ID, "err", err)
		return fail(domain.FailureBadAssertion)
	case !use.UserVerified:
		return fail(domain.FailureNoUserVerification)
	case use.CloneWarning:
		return fail(domain.FailurePossibleClone)
	}
	recorded, err := k.store.RecordUse(ctx, pk.ID, use.SignCount, use.BackupState, k.clock.Now().UTC())
	if err != nil {
		return err
	}
	if !recorded { // the counter moved on meanwhile: another answer with this count won
		return fail(domain.FailurePossibleClone)
	}
	if err := k.throttle.ReleaseLogin(ctx, ticket); err != nil {
		k.log.WarnContext(ctx, "usecase: release a passkey login's reservation", "user_id", u.ID, "err", err)
	}
	return nil
}

func (k *Passkeys) revokePrevious(ctx context.Context, user domain.UserID, previous domain.Token) {
	if previous == "" {
		return
	}
	if err := k.sessions.Revoke(ctx, previous); err != nil {
		k.log.WarnContext(ctx, "usecase: revoke previous session at login", "user_id", user, "err", err)
	}
}

// openChallenge returns the login challenge whose token is token and its
// account, when it is still open and the account's credentials did not
// change since; otherwise ErrChallengeGone.
func (k *Passkeys) openChallenge(ctx context.Context, token string) (domain.Token, domain.LoginChallenge, domain.User, error) {
	t, ok := domain.ParseToken(token)
	if !ok {
		return "", domain.LoginChallenge{}, domain.User{}, ErrChallengeGone
	}
	ch, err := k.pending.Get(ctx, t.Hash(), k.clock.Now().UTC())
	if errors.Is(err, domain.ErrNotFound) {
		return "", domain.LoginChallenge{}, domain.User{}, ErrChallengeGone
	}
	if err != nil {
		return "", domain.LoginChallenge{}, domain.User{}, err
	}
	u, err := k.accounts.ByID(ctx, ch.UserID)
	if errors.Is(err, domain.ErrNotFound) || err == nil && u.CredentialVersion != ch.CredentialVersion {
		return "", domain.LoginChallenge{}, domain.User{}, ErrChallengeGone
	}
	if err != nil {
		return "", domain.LoginChallenge{}, domain.User{}, err
	}
	return t, ch, u, nil
}

// BeginSecondStep starts a passkey answer to the login challenge token
// (the password was right; the account has a passkey) and returns the
// options for the client, listing the account's passkeys.
func (k *Passkeys) BeginSecondStep(ctx context.Context, token string) ([]byte, error) {
	if !k.Enabled() {
		return nil, ErrPasskeysOff
	}
	_, _, u, err := k.openChallenge(ctx, token)
	if err != nil {
		return nil, err
	}
	subject, err := k.subject(ctx, u)
	if err != nil {
		return nil, err
	}
	if len(subject.Passkeys) == 0 {
		return nil, fmt.Errorf("second step of user %d: no passkey: %w", u.ID, ErrPasskeysOff)
	}
	o, err := k.ceremony.BeginLogin(&subject)
	if err != nil {
		return nil, fmt.Errorf("begin passkey second step: %w", err)
	}
	return k.begin(ctx, o, domain.PasskeySecondStep, u.ID)
}

// OffersPasskey reports whether the login challenge token is open and
// its account has a passkey to answer it with.
func (k *Passkeys) OffersPasskey(ctx context.Context, token string) bool {
	if !k.Enabled() {
		return false
	}
	_, _, u, err := k.openChallenge(ctx, token)
	if err != nil {
		return false
	}
	ok, err := k.HasPasskeys(ctx, u.ID)
	if err != nil {
		k.log.WarnContext(ctx, "usecase: read the passkeys of a login", "user_id", u.ID, "err", err)
	}
	return ok
}

// PasskeySecondStepInput answers a login challenge with a passkey.
type PasskeySecondStepInput struct {
	// Challenge is the login challenge's token.
	Challenge string
	Response  []byte
	Previous  domain.Token
	Client    Client
}

// CompleteLogin finishes a login whose password was right with a passkey
// of the account instead of a code: the answer must be to BeginSecondStep
// of the same account. On success it consumes the login challenge (once)
// and starts the session, as TwoFactor.CompleteLogin does.
func (k *Passkeys) CompleteLogin(ctx context.Context, in PasskeySecondStepInput) (LoginResult, error) {
	if !k.Enabled() {
		return LoginResult{}, ErrPasskeysOff
	}
	token, ch, u, err := k.openChallenge(ctx, in.Challenge)
	if err != nil {
		return LoginResult{}, err
	}
	if u.Disabled {
		k.events.record(ctx, domain.EventLoginFailure, u.ID, 0, in.Client, domain.FailureDisabled)
		return LoginResult{}, domain.ErrAccountDisabled
	}
	if len(in.Response) == 0 || len(in.Response) > maxPasskeyResponse {
		return LoginResult{}, ErrPasskeyLoginFailed
	}
	a, err := k.ceremony.ReadAssertion(in.Response)
	if err != nil {
		return LoginResult{}, ErrPasskeyLoginFailed
	}
	pc, err := k.consume(ctx, a.Challenge, domain.PasskeySecondStep)
	if errors.Is(err, domain.ErrNotFound) || err == nil && pc.UserID != u.ID {
		k.events.record(ctx, domain.EventPasskeyFailure, u.ID, 0, in.Client, domain.FailureBadAssertion)
		return LoginResult{}, ErrPasskeyLoginFailed
	}
	if err != nil {
		return LoginResult{}, err
	}
	if err := k.verify(ctx, u, pc, a, in.Response, "", in.Client); err != nil {
		return LoginResult{}, err
	}
	if err := k.pending.Consume(ctx, token.Hash(), k.clock.Now().UTC()); err != nil {
		if errors.Is(err, domain.ErrNotFound) {
			return LoginResult{}, ErrChallengeGone
		}
		return LoginResult{}, err
	}
	success := k.events.event(domain.EventLoginSuccess, u.ID, 0, in.Client, MethodPasskey)
	sessionToken, s, err := k.sessions.StartTwoFactor(ctx, u, ch.Remember, in.Client, lastLogin(ctx, k.events.history, k.log, u.ID), k.clock.Now(), success)
	if errors.Is(err, domain.ErrCredentialsChanged) {
		return LoginResult{}, ErrChallengeGone
	}
	if err != nil {
		return LoginResult{}, fmt.Errorf("passkey second step of user %d: %w", u.ID, err)
	}
	k.revokePrevious(ctx, u.ID, in.Previous)
	return LoginResult{User: u, Session: s, Token: sessionToken, Device: k.devices.Issue(u.ID)}, nil
}

// Purge deletes the expired ceremonies.
func (k *Passkeys) Purge(ctx context.Context) (int64, error) {
	n, err := k.challenges.DeleteExpired(ctx, k.clock.Now().UTC())
	if err != nil {
		return 0, fmt.Errorf("purge passkey challenges: %w", err)
	}
	return n, nil
}
