package usecase_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// recordingComposer renders as fakeComposer does and keeps the data of
// each message.
type recordingComposer struct {
	mu   sync.Mutex
	data []usecase.MailData
}

func (c *recordingComposer) Compose(kind domain.MailKind, to string, data usecase.MailData) (domain.Email, error) {
	c.mu.Lock()
	c.data = append(c.data, data)
	c.mu.Unlock()
	return fakeComposer{}.Compose(kind, to, data)
}

func (c *recordingComposer) last() usecase.MailData {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.data) == 0 {
		return usecase.MailData{}
	}
	return c.data[len(c.data)-1]
}

// giveAliceAnAddress makes alice's verified address alice@example.com.
func (f *twoFactorFixture) giveAliceAnAddress(t *testing.T) {
	t.Helper()
	if err := f.stores.emails.SetEmail(context.Background(), f.user.ID, mustAddress(t, "alice@example.com"), nil); err != nil {
		t.Fatal(err)
	}
}

func mustAddress(t *testing.T, raw string) domain.EmailAddress {
	t.Helper()
	a, err := domain.NewEmailAddress(raw)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// mails returns the outbox's messages of kind.
func (f *twoFactorFixture) mails(t *testing.T, kind domain.MailKind) []domain.QueuedMail {
	t.Helper()
	list, err := f.stores.outbox.List(context.Background(), nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []domain.QueuedMail
	for _, m := range list {
		if m.Kind == kind {
			out = append(out, m)
		}
	}
	return out
}

func (f *twoFactorFixture) left(t *testing.T) int {
	t.Helper()
	n, err := f.recovery.Count(context.Background(), f.user.ID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestConfirmIssuesRecoveryCodes: enabling the app issues ten distinct
// codes of 60 bits, shown grouped, stored only as keyed hashes; the new
// session is marked two-factor at the confirmation, and the page state
// says ten are left and the second factor is recent.
func TestConfirmIssuesRecoveryCodes(t *testing.T) {
	f := newTwoFactorFixture(t)
	ctx := context.Background()
	p, _, codes := f.enrollWithCodes(t)
	if len(codes) != domain.RecoveryCodeCount {
		t.Fatalf("Confirm() issued %d recovery codes, want %d", len(codes), domain.RecoveryCodeCount)
	}
	seen := map[string]bool{}
	for _, c := range codes {
		n, ok := domain.NormalizeRecoveryCode(c)
		if !ok || len(c) != 14 || c[4] != '-' || c[9] != '-' {
			t.Errorf("recovery code %q, want 12 characters of the code alphabet in groups of four", c)
		}
		if seen[n] {
			t.Errorf("recovery code %q issued twice", c)
		}
		seen[n] = true
	}
	stored, err := f.recovery.List(ctx, p.User.ID)
	if err != nil || len(stored) != domain.RecoveryCodeCount {
		t.Fatalf("stored codes = %d, %v, want %d", len(stored), err, domain.RecoveryCodeCount)
	}
	for _, s := range stored {
		for _, c := range codes {
			n, _ := domain.NormalizeRecoveryCode(c)
			if strings.Contains(string(s.Hash), n) || len(s.Hash) != 32 {
				t.Fatalf("stored code %d is not a 32-byte keyed hash", s.ID)
			}
		}
	}
	if !p.Session.TwoFactor() || !p.Session.TwoFactorAt.Equal(f.clock.Now()) {
		t.Errorf("session after Confirm two-factor at %v, want %v", p.Session.TwoFactorAt, f.clock.Now())
	}
	state, err := f.tf.Setup(ctx, p)
	if err != nil || !state.Enabled || state.Status.RecoveryCodesLeft != 10 || !state.Status.Recent {
		t.Errorf("Setup(enabled) = %+v, %v, want enabled, 10 codes left, recent", state, err)
	}
}

// TestLoginWithRecoveryCode: a recovery code answers the login's
// challenge once (in any case and grouping), the session is two-factor,
// the login records the method, the code's use is recorded and mailed to
// the verified address with the count left; the same code again is
// refused and counts as a failure.
func TestLoginWithRecoveryCode(t *testing.T) {
	f := newTwoFactorFixture(t)
	ctx := context.Background()
	_, _, codes := f.enrollWithCodes(t)
	f.giveAliceAnAddress(t)

	ch := f.passwordStep(t, false)
	f.clock.Advance(time.Minute)
	typed := strings.ToLower(strings.ReplaceAll(codes[3], "-", " "))
	res, err := f.tf.CompleteLogin(ctx, usecase.SecondStepInput{Challenge: ch.Challenge.Reveal(), Code: typed, Client: home})
	if err != nil {
		t.Fatalf("CompleteLogin(recovery code %q) error = %v", typed, err)
	}
	if !res.Session.TwoFactor() || !res.Session.TwoFactorAt.Equal(f.clock.Now()) {
		t.Errorf("session of a recovery-code login two-factor at %v, want %v", res.Session.TwoFactorAt, f.clock.Now())
	}
	if n := f.left(t); n != 9 {
		t.Errorf("%d codes left after one login, want 9", n)
	}
	history := f.events.history(t, f.user.ID)
	var used, loggedIn bool
	for _, e := range history {
		used = used || e.Kind == domain.EventRecoveryCodeUsed
		loggedIn = loggedIn || (e.Kind == domain.EventLoginSuccess && e.Detail == usecase.MethodRecoveryCode)
	}
	if !used || !loggedIn {
		t.Errorf("history = %v, want %s and a login by %s", f.events.kinds(t, f.user.ID), domain.EventRecoveryCodeUsed, usecase.MethodRecoveryCode)
	}
	notices := f.mails(t, domain.MailRecoveryCodeUsed)
	if len(notices) != 1 || notices[0].Email.To != "alice@example.com" || f.composer.last().CodesLeft != 9 {
		t.Errorf("notices = %+v (data %+v), want one to alice@example.com saying 9 are left", notices, f.composer.last())
	}

	again := f.passwordStep(t, false)
	if _, err := f.tf.CompleteLogin(ctx, usecase.SecondStepInput{Challenge: again.Challenge.Reveal(), Code: codes[3], Client: home}); !codeRefused(err) {
		t.Errorf("CompleteLogin(used recovery code) error = %v, want refused", err)
	}
	if _, err := f.tf.CompleteLogin(ctx, usecase.SecondStepInput{Challenge: again.Challenge.Reveal(), Code: "AAAA-BBBB-CCCC", Client: home}); !codeRefused(err) {
		t.Errorf("CompleteLogin(unknown recovery code) error = %v, want refused", err)
	}
	bad := 0
	for _, e := range f.events.history(t, f.user.ID) {
		if e.Kind == domain.EventTOTPFailure && e.Detail == domain.FailureBadRecoveryCode {
			bad++
		}
	}
	if bad != 2 {
		t.Errorf("recorded %d bad recovery codes, want 2", bad)
	}
	if n := len(f.mails(t, domain.MailRecoveryCodeUsed)); n != 1 {
		t.Errorf("%d notices after refused codes, want still 1", n)
	}
	if _, err := f.tf.CompleteLogin(ctx, usecase.SecondStepInput{Challenge: again.Challenge.Reveal(), Code: codes[4], Client: home}); err != nil {
		t.Errorf("CompleteLogin(another recovery code) error = %v", err)
	}
}

// TestRecoveryCodeSingleUseUnderConcurrency: one code submitted by many
// logins at once (the real SQLite store, a shared in-memory database)
// logs in exactly one of them, and is gone.
func TestRecoveryCodeSingleUseUnderConcurrency(t *testing.T) {
	f := newTwoFactorFixture(t)
	ctx := context.Background()
	_, _, codes := f.enrollWithCodes(t)
	const racers = 4 // within the throttle's five tries
	challenges := make([]string, racers)
	for i := range challenges {
		challenges[i] = f.passwordStep(t, false).Challenge.Reveal()
	}
	var wg sync.WaitGroup
	errs := make([]error, racers)
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.tf.CompleteLogin(ctx, usecase.SecondStepInput{Challenge: challenges[i], Code: codes[0], Client: home})
		}()
	}
	wg.Wait()
	wins := 0
	for i, err := range errs {
		switch {
		case err == nil:
			wins++
		case !codeRefused(err):
			t.Errorf("racer %d error = %v, want success or a refused code", i, err)
		}
	}
	if wins != 1 {
		t.Errorf("%d logins passed with one recovery code, want exactly 1", wins)
	}
	if n := f.left(t); n != 9 {
		t.Errorf("%d codes left, want 9", n)
	}
}

// TestRegenerateRecoveryCodes: within 15 minutes of a two-factor login new
// codes need no code; later they need a current code (or a recovery code);
// the new set replaces the old one, moves the credential version on and
// ends the other sessions; a password-only session needs a code too.
func TestRegenerateRecoveryCodes(t *testing.T) {
	f := newTwoFactorFixture(t)
	ctx := context.Background()
	p, secret, old := f.enrollWithCodes(t)
	other := f.loginWithCode(t, secret)

	f.clock.Advance(usecase.RecentSecondFactor - 31*time.Second) // 30 s went by in loginWithCode
	issued, err := f.tf.RegenerateRecoveryCodes(ctx, p, "", home)
	if err != nil {
		t.Fatalf("RegenerateRecoveryCodes(recent, no code) error = %v", err)
	}
	if len(issued.RecoveryCodes) != 10 || issued.RecoveryCodes[0] == old[0] {
		t.Fatalf("RegenerateRecoveryCodes() = %v, want ten new codes", issued.RecoveryCodes)
	}
	if issued.Session.CredentialVersion != p.User.CredentialVersion+1 || !issued.Session.TwoFactorAt.Equal(p.Session.TwoFactorAt) {
		t.Errorf("new session version %d two-factor at %v, want %d and the old session's %v", issued.Session.CredentialVersion, issued.Session.TwoFactorAt, p.User.CredentialVersion+1, p.Session.TwoFactorAt)
	}
	if _, err := f.sessions.ByTokenHash(ctx, other.Session.TokenHash); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("other session after new recovery codes: lookup error = %v, want it ended", err)
	}
	if !contains(f.events.kinds(t, f.user.ID), domain.EventRecoveryCodesNew) {
		t.Errorf("no %s event", domain.EventRecoveryCodesNew)
	}
	ch := f.passwordStep(t, false)
	if _, err := f.tf.CompleteLogin(ctx, usecase.SecondStepInput{Challenge: ch.Challenge.Reveal(), Code: old[1], Client: home}); !codeRefused(err) {
		t.Errorf("CompleteLogin(code of the replaced set) error = %v, want refused", err)
	}

	p.Session, p.User.CredentialVersion = issued.Session, issued.Session.CredentialVersion
	f.clock.Advance(2 * time.Second) // now past 15 minutes since the second factor
	if _, err := f.tf.RegenerateRecoveryCodes(ctx, p, "", home); !codeRefused(err) {
		t.Fatalf("RegenerateRecoveryCodes(not recent, no code) error = %v, want a message on the code", err)
	}
	if _, err := f.tf.RegenerateRecoveryCodes(ctx, p, "000000", home); !codeRefused(err) {
		t.Fatalf("RegenerateRecoveryCodes(not recent, wrong code) error = %v, want refused", err)
	}
	f.clock.Advance(30 * time.Second)
	again, err := f.tf.RegenerateRecoveryCodes(ctx, p, f.code(t, secret, 0), home)
	if err != nil {
		t.Fatalf("RegenerateRecoveryCodes(not recent, current code) error = %v", err)
	}
	if !again.Session.TwoFactorAt.Equal(f.clock.Now()) {
		t.Errorf("session after a code two-factor at %v, want now %v", again.Session.TwoFactorAt, f.clock.Now())
	}

	p.Session, p.User.CredentialVersion = again.Session, again.Session.CredentialVersion
	f.clock.Advance(time.Hour)
	if _, err := f.tf.RegenerateRecoveryCodes(ctx, p, issued.RecoveryCodes[0], home); !codeRefused(err) {
		t.Errorf("RegenerateRecoveryCodes(a recovery code of the replaced set) error = %v, want refused", err)
	}
	if _, err := f.tf.RegenerateRecoveryCodes(ctx, p, again.RecoveryCodes[0], home); err != nil {
		t.Errorf("RegenerateRecoveryCodes(a current recovery code) error = %v", err)
	}
}

// TestRegenerateWithoutTwoFactor: an account without the app gets no
// recovery codes.
func TestRegenerateWithoutTwoFactor(t *testing.T) {
	f := newTwoFactorFixture(t)
	p := f.loginAlice(t)
	if _, err := f.tf.RegenerateRecoveryCodes(context.Background(), p, "AAAA-BBBB-CCCC", home); !codeRefused(err) {
		t.Errorf("RegenerateRecoveryCodes(no 2FA) error = %v, want refused", err)
	}
	if n := f.left(t); n != 0 {
		t.Errorf("%d recovery codes without 2FA, want 0", n)
	}
}

// TestDisableRemovesRecoveryCodesAndMails: turning the app off (here with
// a recovery code, for a lost phone) removes the codes and mails a notice
// to the verified address; the notice goes only to a verified address.
func TestDisableRemovesRecoveryCodesAndMails(t *testing.T) {
	f := newTwoFactorFixture(t)
	ctx := context.Background()
	p, _, codes := f.enrollWithCodes(t)
	f.giveAliceAnAddress(t)
	_, s, err := f.tf.Disable(ctx, p, "correct horse battery", codes[0], home)
	if err != nil {
		t.Fatalf("Disable(with a recovery code) error = %v", err)
	}
	if s.TwoFactor() {
		t.Errorf("session after Disable is still two-factor")
	}
	if n := f.left(t); n != 0 {
		t.Errorf("%d recovery codes after Disable, want 0", n)
	}
	notices := f.mails(t, domain.MailTwoFactorDisabled)
	if len(notices) != 1 || notices[0].Email.To != "alice@example.com" || notices[0].UserID != f.user.ID {
		t.Errorf("notices = %+v, want one to alice@example.com", notices)
	}

	// Without an address: no notice, and Reset removes the codes too.
	g := newTwoFactorFixture(t)
	g.enrollWithCodes(t)
	if ok, err := g.tf.Reset(ctx, usecase.Operator, g.user.ID, usecase.Client{}); err != nil || !ok {
		t.Fatalf("Reset() = %v, %v", ok, err)
	}
	if n := g.left(t); n != 0 {
		t.Errorf("%d recovery codes after Reset, want 0", n)
	}
	if n := len(g.mails(t, domain.MailTwoFactorDisabled)); n != 0 {
		t.Errorf("%d notices without a verified address, want 0", n)
	}
}

// TestPasswordChangeKeepsTheTwoFactorMark: a password change replaces the
// session by one that keeps its second factor and its time.
func TestPasswordChangeKeepsTheTwoFactorMark(t *testing.T) {
	f := newTwoFactorFixture(t)
	p, _ := f.enroll(t)
	_, s, err := f.account.ChangePassword(context.Background(), p, "correct horse battery", "another good passphrase", home)
	if err != nil {
		t.Fatal(err)
	}
	if !s.TwoFactorAt.Equal(p.Session.TwoFactorAt) {
		t.Errorf("session after a password change two-factor at %v, want %v", s.TwoFactorAt, p.Session.TwoFactorAt)
	}
}
