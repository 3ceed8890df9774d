package usecase_test

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/sealbox"
	"github.com/gatehouse/gatehouse/adapter/system"
	"github.com/gatehouse/gatehouse/adapter/totp"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// The second factor runs on the real store, the real TOTP algorithm and
// the real sealer; the clock is the fixture's, so the tests choose the
// time step a code is checked in.

type twoFactorFixture struct {
	*accountFixture
	sealer   *sealbox.Box
	composer *recordingComposer
	tf       *usecase.TwoFactor
}

func newTwoFactorFixture(t *testing.T) *twoFactorFixture {
	t.Helper()
	f := newAccountFixture(t)
	box, err := sealbox.New([]byte("0123456789abcdef0123456789abcdef"), "test totp")
	if err != nil {
		t.Fatal(err)
	}
	recovery := usecase.NewRecoveryCodes(f.recovery, system.NewTokens(), usecase.RecoveryKey("test recovery key"))
	composer := &recordingComposer{}
	tf := usecase.NewTwoFactor(f.totp, f.passkeys, totp.New(), box, recovery, composer, f.account, f.manager, f.throttle, f.challenges, testDevices, f.events, f.clock, discard)
	return &twoFactorFixture{accountFixture: f, sealer: box, composer: composer, tf: tf}
}

// code returns the code of secret d steps from the fixture's clock.
func (f *twoFactorFixture) code(t *testing.T, secret string, d int) string {
	t.Helper()
	c, err := totp.Code(secret, f.clock.Now().Add(time.Duration(d)*30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// enroll turns alice's authenticator app on and returns her new
// principal and the secret.
func (f *twoFactorFixture) enroll(t *testing.T) (usecase.Principal, string) {
	t.Helper()
	p, secret, _ := f.enrollWithCodes(t)
	return p, secret
}

// enrollWithCodes is enroll, also returning the recovery codes shown.
func (f *twoFactorFixture) enrollWithCodes(t *testing.T) (usecase.Principal, string, []string) {
	t.Helper()
	p := f.loginAlice(t)
	state, err := f.tf.Setup(context.Background(), p)
	if err != nil || state.Enabled || state.Secret == "" {
		t.Fatalf("Setup() = %+v, %v, want a pending secret", state, err)
	}
	issued, err := f.tf.Confirm(context.Background(), p, f.code(t, state.Secret, 0), home)
	if err != nil {
		t.Fatalf("Confirm(current code) error = %v", err)
	}
	if issued.Session.TokenHash != issued.Token.Hash() {
		t.Fatalf("Confirm returned session %d not for its token", issued.Session.ID)
	}
	p.Session = issued.Session
	p.User.CredentialVersion = issued.Session.CredentialVersion
	return p, state.Secret, issued.RecoveryCodes
}

// loginWithCode logs alice in with her password and, a step later, a
// code, and returns her principal.
func (f *twoFactorFixture) loginWithCode(t *testing.T, secret string) usecase.Principal {
	t.Helper()
	challenge := f.passwordStep(t, false)
	f.clock.Advance(30 * time.Second)
	res, err := f.tf.CompleteLogin(context.Background(), usecase.SecondStepInput{Challenge: challenge.Challenge.Reveal(), Code: f.code(t, secret, 0), Client: home})
	if err != nil {
		t.Fatalf("CompleteLogin() error = %v", err)
	}
	return usecase.Principal{User: res.User, Session: res.Session}
}

// passwordStep gives alice's password and returns the challenge.
func (f *twoFactorFixture) passwordStep(t *testing.T, remember bool) *usecase.SecondFactorRequiredError {
	t.Helper()
	before := f.sessions.count(t)
	_, err := f.auth.Login(context.Background(), usecase.LoginInput{Username: "alice", Password: "correct horse battery", Remember: remember, Client: home})
	var required *usecase.SecondFactorRequiredError
	if !errors.As(err, &required) || !slices.Equal(required.Methods, []string{usecase.MethodTOTP, usecase.MethodRecoveryCode}) || !errors.Is(err, domain.ErrUnauthenticated) {
		t.Fatalf("Login(right password, 2FA on) error = %v, want a *SecondFactorRequiredError for totp and recovery_code", err)
	}
	if after := f.sessions.count(t); after != before {
		t.Fatalf("the password step stored %d sessions, want none", after-before)
	}
	return required
}

// TestLoginSecondStep: with 2FA on the password starts no session but a
// challenge; a wrong code keeps it; the right code starts the session
// with the password step's "remember me", once; an expired challenge, or
// one from before a password change, is gone.
func TestLoginSecondStep(t *testing.T) {
	f := newTwoFactorFixture(t)
	ctx := context.Background()
	_, secret := f.enroll(t)

	ch := f.passwordStep(t, true)
	if !ch.ExpiresAt.Equal(f.clock.Now().Add(usecase.ChallengeLifetime)) {
		t.Errorf("challenge expires %v, want five minutes on", ch.ExpiresAt)
	}
	f.clock.Advance(30 * time.Second)
	in := usecase.SecondStepInput{Challenge: ch.Challenge.Reveal(), Code: "000000", Client: home}
	if _, err := f.tf.CompleteLogin(ctx, in); !codeRefused(err) {
		t.Fatalf("CompleteLogin(wrong code) error = %v, want refused", err)
	}
	in.Code = f.code(t, secret, 0)
	res, err := f.tf.CompleteLogin(ctx, in)
	if err != nil {
		t.Fatalf("CompleteLogin(right code after a wrong one) error = %v", err)
	}
	if !res.Session.Persistent || res.Session.TokenHash != res.Token.Hash() || res.Device == "" {
		t.Errorf("CompleteLogin() = %+v, want a persistent (remember me) session for its token and a device proof", res.Session)
	}
	f.clock.Advance(30 * time.Second)
	in.Code = f.code(t, secret, 0)
	if _, err := f.tf.CompleteLogin(ctx, in); !errors.Is(err, usecase.ErrChallengeGone) {
		t.Errorf("CompleteLogin(used challenge) error = %v, want %v", err, usecase.ErrChallengeGone)
	}
	for _, bad := range []string{"", "not a token", ch.Challenge.Reveal() + "x"} {
		if _, err := f.tf.CompleteLogin(ctx, usecase.SecondStepInput{Challenge: bad, Code: in.Code, Client: home}); !errors.Is(err, usecase.ErrChallengeGone) {
			t.Errorf("CompleteLogin(challenge %q) error = %v, want %v", bad, err, usecase.ErrChallengeGone)
		}
	}

	late := f.passwordStep(t, false)
	f.clock.Advance(usecase.ChallengeLifetime)
	if _, err := f.tf.CompleteLogin(ctx, usecase.SecondStepInput{Challenge: late.Challenge.Reveal(), Code: f.code(t, secret, 0), Client: home}); !errors.Is(err, usecase.ErrChallengeGone) {
		t.Errorf("CompleteLogin(after five minutes) error = %v, want %v", err, usecase.ErrChallengeGone)
	}
	purger := usecase.NewLoginChallenges(f.totp, f.challenges, &seqTokens{n: 160}, f.clock)
	if n, err := purger.Purge(ctx); err != nil || n != 1 {
		t.Errorf("Purge() = %d, %v, want the one expired challenge", n, err)
	}

	stale := f.passwordStep(t, false)
	if _, err := f.users.SetPassword(ctx, f.user.ID, "v1:correct horse battery", false); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(30 * time.Second)
	if _, err := f.tf.CompleteLogin(ctx, usecase.SecondStepInput{Challenge: stale.Challenge.Reveal(), Code: f.code(t, secret, 0), Client: home}); !errors.Is(err, usecase.ErrChallengeGone) {
		t.Errorf("CompleteLogin(challenge from before a password change) error = %v, want %v", err, usecase.ErrChallengeGone)
	}
}

func codeRefused(err error) bool {
	var invalid *usecase.InvalidInputError
	return errors.As(err, &invalid) && invalid.Fields[usecase.InputCode] != ""
}

// TestTOTPSetupKeepsThePendingSecretSealed: the page shows the same
// pending secret until it is confirmed, its URI names the account, and
// the store holds it only sealed, for this account alone.
func TestTOTPSetupKeepsThePendingSecretSealed(t *testing.T) {
	f := newTwoFactorFixture(t)
	ctx := context.Background()
	p := f.loginAlice(t)
	first, err := f.tf.Setup(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := f.tf.Setup(ctx, p)
	if again.Secret != first.Secret {
		t.Errorf("Setup() twice = %q then %q, want the pending secret again", first.Secret, again.Secret)
	}
	u, err := url.Parse(first.URI)
	if err != nil || u.Query().Get("secret") != first.Secret || u.Query().Get("issuer") != usecase.TOTPIssuer {
		t.Errorf("Setup().URI = %q, want the otpauth URI of the secret", first.URI)
	}
	stored, err := f.totp.ByUser(ctx, p.User.ID)
	if err != nil {
		t.Fatal(err)
	}
	if string(stored.Sealed) == first.Secret {
		t.Fatalf("the store holds the secret in clear")
	}
	if plain, err := f.sealer.Open(stored.Sealed, []byte("totp:999")); err == nil {
		t.Errorf("the sealed secret opened for another account: %q", plain)
	}
	png, err := f.tf.QRCode(ctx, p)
	if err != nil || len(png) < 8 || string(png[1:4]) != "PNG" {
		t.Errorf("QRCode(pending) = %d bytes, %v, want a PNG", len(png), err)
	}
}

// TestTOTPConfirm: a wrong code is refused, recorded and leaves the app
// off; the current code turns it on, moves the credential version on,
// ends every other session and starts a new one; the QR code is gone.
func TestTOTPConfirm(t *testing.T) {
	f := newTwoFactorFixture(t)
	ctx := context.Background()
	p := f.loginAlice(t)
	other := f.loginAlice(t)
	state, _ := f.tf.Setup(ctx, p)

	for _, code := range []string{"", "000000", f.code(t, state.Secret, 2), "12345678901234567890123456789012345678901234567890123456789012345"} {
		if _, err := f.tf.Confirm(ctx, p, code, home); !codeRefused(err) {
			t.Errorf("Confirm(%q) error = %v, want a message on the code", code, err)
		}
	}
	if on, _ := f.tf.Enabled(ctx, p.User.ID); on {
		t.Fatalf("Enabled() = true after wrong codes only")
	}
	if got := f.events.kinds(t, p.User.ID); !contains(got, domain.EventTOTPFailure) {
		t.Errorf("events after a wrong code = %v, want a %s", got, domain.EventTOTPFailure)
	}

	// A spaced code from the step before (skew) is accepted.
	code := f.code(t, state.Secret, -1)
	issued, err := f.tf.Confirm(ctx, p, code[:3]+" "+code[3:], home)
	s := issued.Session
	if err != nil {
		t.Fatalf("Confirm(code of the previous step, spaced) error = %v", err)
	}
	if on, _ := f.tf.Enabled(ctx, p.User.ID); !on {
		t.Errorf("Enabled() = false after a confirmed code")
	}
	if s.CredentialVersion != p.User.CredentialVersion+1 {
		t.Errorf("new session's credential version = %d, want %d", s.CredentialVersion, p.User.CredentialVersion+1)
	}
	for _, old := range []usecase.Principal{p, other} {
		if _, err := f.sessions.ByTokenHash(ctx, old.Session.TokenHash); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("session %d after enabling 2FA: lookup error = %v, want it ended", old.Session.ID, err)
		}
	}
	if _, err := f.tf.QRCode(ctx, p); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("QRCode(enabled) error = %v, want %v: the secret is not shown again", err, domain.ErrNotFound)
	}
	if state, _ := f.tf.Setup(ctx, p); !state.Enabled || state.Secret != "" {
		t.Errorf("Setup(enabled) = %+v, want Enabled and no secret", state)
	}
	if !contains(f.events.kinds(t, p.User.ID), domain.EventTOTPEnabled) {
		t.Errorf("no %s event", domain.EventTOTPEnabled)
	}
}

// TestTOTPCodeReplayRefused: a code's time step is accepted once; the
// same code again, or an older step's, is refused, recorded as a replay,
// and counts as a failure; the next step's code is accepted.
func TestTOTPCodeReplayRefused(t *testing.T) {
	f := newTwoFactorFixture(t)
	ctx := context.Background()
	p, secret := f.enroll(t) // used step 0
	f.clock.Advance(30 * time.Second)
	code := f.code(t, secret, 0)
	if err := f.tf.VerifyCode(ctx, p.User, code, home); err != nil {
		t.Fatalf("VerifyCode(new step) error = %v", err)
	}
	for _, replay := range []string{code, f.code(t, secret, -1)} {
		err := f.tf.VerifyCode(ctx, p.User, replay, home)
		if !codeRefused(err) {
			t.Errorf("VerifyCode(used step) error = %v, want refused", err)
		}
	}
	history := f.events.history(t, p.User.ID)
	replays := 0
	for _, e := range history {
		if e.Kind == domain.EventTOTPFailure && e.Detail == domain.FailureReplayedCode {
			replays++
		}
	}
	if replays != 2 {
		t.Errorf("recorded %d replays, want 2", replays)
	}
	if err := f.tf.VerifyCode(ctx, p.User, f.code(t, secret, 1), home); err != nil {
		t.Errorf("VerifyCode(next step, skew) error = %v, want accepted", err)
	}
}

// TestTOTPFailuresLockOut: wrong codes count in the login throttle: after
// five, a sixth code, even the right one, is refused unchecked with a
// wait, and the password login is refused too.
func TestTOTPFailuresLockOut(t *testing.T) {
	f := newTwoFactorFixture(t)
	ctx := context.Background()
	p, secret := f.enroll(t)
	f.clock.Advance(30 * time.Second)
	for i := range 5 {
		if err := f.tf.VerifyCode(ctx, p.User, "000000", home); !codeRefused(err) {
			t.Fatalf("VerifyCode(wrong #%d) error = %v, want refused", i+1, err)
		}
	}
	var throttled *domain.ThrottledError
	if err := f.tf.VerifyCode(ctx, p.User, f.code(t, secret, 0), home); !errors.As(err, &throttled) || throttled.RetryAfter <= 0 {
		t.Fatalf("VerifyCode(right code after 5 failures) error = %v, want a *domain.ThrottledError", err)
	}
	if _, err := f.auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "correct horse battery", Client: home}); !errors.As(err, &throttled) {
		t.Errorf("Login after 5 wrong codes error = %v, want throttled: codes and passwords share the counter", err)
	}
	f.clock.Advance(throttled.RetryAfter + time.Second)
	if err := f.tf.VerifyCode(ctx, p.User, f.code(t, secret, 0), home); err != nil {
		t.Errorf("VerifyCode(right code after the wait) error = %v", err)
	}
}

// TestTOTPDisable: turning it off needs the password and a current code;
// then the secret is gone, the credential version moves on and the other
// sessions end.
func TestTOTPDisable(t *testing.T) {
	f := newTwoFactorFixture(t)
	ctx := context.Background()
	p, secret := f.enroll(t)
	other := f.loginWithCode(t, secret)
	f.clock.Advance(30 * time.Second)
	tests := []struct {
		password, code string
		want           usecase.Input
	}{
		{"wrong password!", f.code(t, secret, 0), usecase.InputCurrentPassword},
		{"", f.code(t, secret, 0), usecase.InputCurrentPassword},
		{"correct horse battery", "111111", usecase.InputCode},
		{"correct horse battery", "", usecase.InputCode},
	}
	for _, tt := range tests {
		_, _, err := f.tf.Disable(ctx, p, tt.password, tt.code, home)
		var invalid *usecase.InvalidInputError
		if !errors.As(err, &invalid) || invalid.Fields[tt.want] == "" {
			t.Errorf("Disable(%q, %q) error = %v, want a message on %s", tt.password, tt.code, err, tt.want)
		}
	}
	if on, _ := f.tf.Enabled(ctx, p.User.ID); !on {
		t.Fatalf("refused Disable turned 2FA off")
	}
	_, s, err := f.tf.Disable(ctx, p, "correct horse battery", f.code(t, secret, 0), home)
	if err != nil {
		t.Fatalf("Disable() error = %v", err)
	}
	if on, _ := f.tf.Enabled(ctx, p.User.ID); on {
		t.Errorf("Enabled() = true after Disable")
	}
	if s.CredentialVersion != p.User.CredentialVersion+1 {
		t.Errorf("session after Disable has credential version %d, want %d", s.CredentialVersion, p.User.CredentialVersion+1)
	}
	if _, err := f.sessions.ByTokenHash(ctx, other.Session.TokenHash); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("other session after Disable: lookup error = %v, want it ended", err)
	}
	if !contains(f.events.kinds(t, p.User.ID), domain.EventTOTPDisabled) {
		t.Errorf("no %s event", domain.EventTOTPDisabled)
	}
}

func contains(kinds []domain.EventKind, k domain.EventKind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}
