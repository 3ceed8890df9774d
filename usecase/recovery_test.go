package usecase_test

import (
	"context"
	"errors"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// recoveryFixture is alice, logged in, with alice@example.com verified,
// and a Recovery that hands out the given codes.
type recoveryFixture struct {
	*emailFixture
	recovery *usecase.Recovery
}

const (
	aliceAddress = "alice@example.com"
	newPassword  = "a brand new passphrase"
)

func newRecoveryFixture(t *testing.T, codes ...string) *recoveryFixture {
	t.Helper()
	f := newEmailFixture(t)
	address, _ := domain.NewEmailAddress(aliceAddress)
	if err := f.stores.emails.SetEmail(context.Background(), f.user.ID, address, nil); err != nil {
		t.Fatal(err)
	}
	policy := usecase.NewPasswordPolicy(f.hasher, fakeBlocklist{"password1234": true})
	r := usecase.NewRecovery(f.stores.emails, f.stores.outbox, policy, f.throttle, fakeComposer{}, &fakeCodes{codes: codes},
		usecase.CodeKey("test key"), usecase.DefaultRecoveryPolicy(), f.events, f.clock, discard)
	return &recoveryFixture{emailFixture: f, recovery: r}
}

func (f *recoveryFixture) reset(code, password string) error {
	return f.recovery.Reset(context.Background(), usecase.ResetInput{Email: aliceAddress, Code: code, NewPassword: password, Client: home})
}

// kinds lists the kinds of the queued messages to addr, oldest first.
func (f *recoveryFixture) kinds(t *testing.T, addr string) []domain.MailKind {
	t.Helper()
	var out []domain.MailKind
	list := f.queued(t)
	for i := len(list) - 1; i >= 0; i-- { // List is newest first
		if list[i].Email.To == addr {
			out = append(out, list[i].Kind)
		}
	}
	return out
}

func isThrottled(err error) bool {
	var throttled *domain.ThrottledError
	return errors.As(err, &throttled)
}

// TestRecoveryResetEffects: a reset sets the password, ends every
// session (remember-me included), moves the credential version on,
// clears the login lockout, consumes the code, records an event and mails
// a notice; the second factor stays, so the next login still asks for it.
func TestRecoveryResetEffects(t *testing.T) {
	f := newRecoveryFixture(t, "K7QW3MZP")
	ctx := context.Background()
	remembered, err := f.auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "correct horse battery", Remember: true, Client: home})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.stores.totp.PutPending(ctx, domain.TOTP{UserID: f.user.ID, Sealed: []byte("sealed"), CreatedAt: f.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.stores.totp.Enable(ctx, f.user.ID, 1, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	// An attacker locks alice out from her own network.
	for range 5 {
		f.auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "not her password", Client: home})
	}
	if _, err := f.auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "correct horse battery", Client: home}); !isThrottled(err) {
		t.Fatalf("Login() after 5 failures error = %v, want throttled (the lockout this test clears)", err)
	}
	before, _ := f.users.ByID(ctx, f.user.ID)

	if err := f.recovery.Request(ctx, aliceAddress, home); err != nil {
		t.Fatalf("Request() error = %v", err)
	}
	if err := f.reset("k7qw-3mzp", newPassword); err != nil {
		t.Fatalf("Reset() error = %v", err)
	}

	after, _ := f.users.ByID(ctx, f.user.ID)
	if after.PasswordHash != "v1:"+newPassword || after.MustChangePassword {
		t.Errorf("password hash after the reset = %q (must change %v), want the new password's", after.PasswordHash, after.MustChangePassword)
	}
	if after.CredentialVersion != before.CredentialVersion+1 {
		t.Errorf("credential version %d -> %d, want moved on by one", before.CredentialVersion, after.CredentialVersion)
	}
	if list, _ := f.stores.sessions.ListByUser(ctx, f.user.ID, f.clock.Now()); len(list) != 0 {
		t.Errorf("%d sessions left after the reset, want none", len(list))
	}
	for _, token := range []domain.Token{remembered.Token} {
		if _, err := f.manager.Resolve(ctx, token); err == nil {
			t.Errorf("Resolve(a session from before the reset) error = nil, want it ended")
		}
	}
	if _, err := f.manager.Resolve(ctx, remembered.Token); err == nil {
		t.Error("the remember-me session outlived the reset")
	}
	totp, err := f.stores.totp.ByUser(ctx, f.user.ID)
	if err != nil || !totp.Enabled() {
		t.Errorf("TOTP after the reset = %+v, %v, want it still enabled", totp, err)
	}
	_, err = f.auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: newPassword, Client: home})
	var second *usecase.SecondFactorRequiredError
	if !errors.As(err, &second) {
		t.Errorf("Login(new password) from the locked-out network error = %v, want the second factor asked (lockout cleared, 2FA kept)", err)
	}
	if err := f.reset("K7QW3MZP", "yet another passphrase"); !isCodeError(err) {
		t.Errorf("Reset() with the used code error = %v, want refused", err)
	}
	events, _ := f.events.ListByUser(ctx, f.user.ID, []domain.EventKind{domain.EventPasswordReset}, 10)
	if len(events) != 1 || events[0].IP != "192.0.2.10" {
		t.Errorf("password_reset events = %+v, want one, from the client", events)
	}
	if got := f.kinds(t, aliceAddress); len(got) != 2 || got[0] != domain.MailRecoveryCode || got[1] != domain.MailPasswordResetNotice {
		t.Errorf("mail to alice = %v, want the code then the notice", got)
	}
}

// TestRecoveryCodeExpires: a code works for ten minutes and not after.
func TestRecoveryCodeExpires(t *testing.T) {
	f := newRecoveryFixture(t, "K7QW3MZP", "H4XN9RTA")
	ctx := context.Background()
	if err := f.recovery.Request(ctx, aliceAddress, home); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(10 * time.Minute)
	if err := f.reset("K7QW3MZP", newPassword); !isCodeError(err) {
		t.Errorf("Reset() after ten minutes error = %v, want the code refused", err)
	}
	if u, _ := f.users.ByID(ctx, f.user.ID); u.PasswordHash != "v1:correct horse battery" {
		t.Errorf("password after a refused reset = %q, want unchanged", u.PasswordHash)
	}
	if err := f.recovery.Request(ctx, aliceAddress, home); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(10*time.Minute - time.Second)
	if err := f.reset("H4XN9RTA", newPassword); err != nil {
		t.Errorf("Reset() a second before expiry error = %v, want it to work", err)
	}
}

// TestRecoverySixthTryRefused: five wrong codes spend it; the right code
// as the sixth try is refused and the password stays.
func TestRecoverySixthTryRefused(t *testing.T) {
	f := newRecoveryFixture(t, "K7QW3MZP")
	ctx := context.Background()
	if err := f.recovery.Request(ctx, aliceAddress, home); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if err := f.reset("ZZZZZZZZ", newPassword); !isCodeError(err) {
			t.Fatalf("wrong code %d error = %v, want refused", i+1, err)
		}
	}
	if err := f.reset("K7QW3MZP", newPassword); !isCodeError(err) {
		t.Errorf("the right code as the 6th try error = %v, want refused", err)
	}
	if u, _ := f.users.ByID(ctx, f.user.ID); u.PasswordHash != "v1:correct horse battery" {
		t.Errorf("password = %q, want unchanged", u.PasswordHash)
	}
	failures, _ := f.events.ListByUser(ctx, f.user.ID, []domain.EventKind{domain.EventRecoveryCodeFailure}, 10)
	if len(failures) != 5 {
		t.Errorf("%d recovery_code_failure events, want one per wrong code (5)", len(failures))
	}
}

// TestRecoveryOneActiveCode: a new request replaces the account's code.
func TestRecoveryOneActiveCode(t *testing.T) {
	f := newRecoveryFixture(t, "K7QW3MZP", "H4XN9RTA")
	ctx := context.Background()
	for range 2 {
		if err := f.recovery.Request(ctx, aliceAddress, home); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.reset("K7QW3MZP", newPassword); !isCodeError(err) {
		t.Errorf("Reset(the replaced code) error = %v, want refused", err)
	}
	if err := f.reset("H4XN9RTA", newPassword); err != nil {
		t.Errorf("Reset(the newest code) error = %v", err)
	}
}

// TestRecoveryConcurrentResetsOneWins: two resets with one code at once:
// exactly one succeeds.
func TestRecoveryConcurrentResetsOneWins(t *testing.T) {
	f := newRecoveryFixture(t, "K7QW3MZP")
	if err := f.recovery.Request(context.Background(), aliceAddress, home); err != nil {
		t.Fatal(err)
	}
	f.hasher.delay = 20 * time.Millisecond // both past the code check before either stores
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, pw := range []string{"first new passphrase", "second new passphrase"} {
		wg.Go(func() { errs[i] = f.reset("K7QW3MZP", pw) })
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !isCodeError(err):
			t.Errorf("the losing reset error = %v, want the code refused", err)
		}
	}
	if ok != 1 {
		t.Errorf("two resets with one code: %d succeeded (%v), want exactly one", ok, errs)
	}
}

// TestRecoveryLimits: 3 requests per address per 15 minutes, whether or
// not an account has it, and 10 per network.
func TestRecoveryLimits(t *testing.T) {
	f := newRecoveryFixture(t)
	ctx := context.Background()
	other := usecase.Client{IP: netip.MustParseAddr("198.51.100.7")}
	for _, addr := range []string{aliceAddress, "nobody@example.com"} {
		for i := range 3 {
			if err := f.recovery.Request(ctx, addr, other); err != nil {
				t.Fatalf("Request(%s) #%d error = %v", addr, i+1, err)
			}
		}
		if err := f.recovery.Request(ctx, addr, home); !isThrottled(err) {
			t.Errorf("Request(%s) #4, from another network, error = %v, want throttled", addr, err)
		}
	}
	f.clock.Advance(15 * time.Minute)
	if err := f.recovery.Request(ctx, aliceAddress, home); err != nil {
		t.Errorf("Request() 15 minutes later error = %v, want accepted", err)
	}
	// Ten addresses fill a network's 15 minutes.
	for i := range 10 {
		if err := f.recovery.Request(ctx, string(rune('a'+i))+"@example.com", other); err != nil {
			t.Fatalf("the network's request #%d error = %v", i+1, err)
		}
	}
	if err := f.recovery.Request(ctx, "z@example.com", other); !isThrottled(err) {
		t.Errorf("the network's 11th request error = %v, want throttled", err)
	}
	if err := f.recovery.Request(ctx, "z@example.com", home); err != nil {
		t.Errorf("the same address from another network error = %v, want accepted", err)
	}
}

// TestRecoveryOnlyVerifiedAddresses: an address no account has, or one
// only pending verification, gets a message without a code, and no code
// is stored; the answer is the same nil.
func TestRecoveryOnlyVerifiedAddresses(t *testing.T) {
	f := newRecoveryFixture(t, "H4XN9RTA")
	ctx := context.Background()
	bob, err := f.users.Create(ctx, domain.User{Username: domain.RestoreUsername("bob"), PasswordHash: "v1:x", Role: domain.RoleUser})
	if err != nil {
		t.Fatal(err)
	}
	pendingAddr, _ := domain.NewEmailAddress("bob@example.com")
	if err := f.emails.StartVerification(ctx, bob, pendingAddr); err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{"bob@example.com", "nobody@example.com"} {
		if err := f.recovery.Request(ctx, addr, home); err != nil {
			t.Errorf("Request(%s) error = %v, want nil as for any address", addr, err)
		}
		if got := f.kinds(t, addr); got[len(got)-1] != domain.MailRecoveryUnknown {
			t.Errorf("mail to %s = %v, want the notice without a code last", addr, got)
		}
	}
	if _, err := f.stores.emails.ActiveCode(ctx, bob.ID, domain.PurposeRecover, f.clock.Now()); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("bob's recovery code: %v, want none for an unverified address", err)
	}
	err = f.recovery.Reset(ctx, usecase.ResetInput{Email: "nobody@example.com", Code: "H4XN9RTA", NewPassword: newPassword, Client: home})
	if !isCodeError(err) {
		t.Errorf("Reset(an address no account has) error = %v, want the code refused", err)
	}
}

// TestRecoveryPasswordPolicy: the full policy applies. The rules that
// need no account are checked before the code, costing no try; the
// username rule only once the code is right.
func TestRecoveryPasswordPolicy(t *testing.T) {
	f := newRecoveryFixture(t, "K7QW3MZP")
	ctx := context.Background()
	if err := f.recovery.Request(ctx, aliceAddress, home); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		for _, bad := range []string{"short", "password1234", "aaaaaaaaaaaaa"} {
			err := f.reset("K7QW3MZP", bad)
			var invalid *usecase.InvalidInputError
			if !errors.As(err, &invalid) || invalid.Fields[usecase.InputNewPassword] == "" {
				t.Fatalf("Reset(password %q) error = %v, want a message on new_password", bad, err)
			}
		}
	}
	err := f.reset("ZZZZZZZZ", "alice in wonderland!")
	if !isCodeError(err) {
		t.Errorf("Reset(wrong code, password with the username) error = %v, want the code refused first: the username is not told", err)
	}
	err = f.reset("K7QW3MZP", "alice in wonderland!")
	var invalid *usecase.InvalidInputError
	if !errors.As(err, &invalid) || invalid.Fields[usecase.InputNewPassword] == "" {
		t.Errorf("Reset(right code, password with the username) error = %v, want refused on new_password", err)
	}
	if err := f.reset("K7QW3MZP", newPassword); err != nil {
		t.Errorf("Reset() after 15 policy refusals and 2 code tries error = %v, want it to work", err)
	}
	if err := f.recovery.Request(ctx, "not an address", home); err == nil {
		t.Error("Request(not an address) error = nil, want an invalid email")
	}
}

// TestRecoveryCodeBoundToTheAddress: a code works only with the address
// it was mailed to, while that address is still the account's.
func TestRecoveryCodeBoundToTheAddress(t *testing.T) {
	f := newRecoveryFixture(t, "K7QW3MZP")
	ctx := context.Background()
	if err := f.recovery.Request(ctx, aliceAddress, home); err != nil {
		t.Fatal(err)
	}
	moved, _ := domain.NewEmailAddress("alice@example.net")
	if err := f.stores.emails.SetEmail(ctx, f.user.ID, moved, nil); err != nil {
		t.Fatal(err)
	}
	err := f.recovery.Reset(ctx, usecase.ResetInput{Email: "alice@example.net", Code: "K7QW3MZP", NewPassword: newPassword, Client: home})
	if !isCodeError(err) {
		t.Errorf("Reset(the account's new address, a code mailed to the old one) error = %v, want refused", err)
	}
}

// TestEmailResendLimited: resending a verification code is limited per
// account, 3 per 15 minutes.
func TestEmailResendLimited(t *testing.T) {
	f := newEmailFixture(t, "AAAAAAAA", "BBBBBBBB", "CCCCCCCC", "DDDDDDDD", "EEEEEEEE")
	ctx := context.Background()
	if err := f.emails.Change(ctx, f.p, "alice@example.com", "correct horse battery", home); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := f.emails.Resend(ctx, f.p, home); err != nil {
			t.Fatalf("Resend() #%d error = %v", i+1, err)
		}
	}
	if err := f.emails.Resend(ctx, f.p, home); !isThrottled(err) {
		t.Errorf("Resend() #4 error = %v, want throttled", err)
	}
	if n := len(f.queued(t)); n != 4 {
		t.Errorf("%d messages queued, want 4 (the refused resend sends none)", n)
	}
	f.clock.Advance(15 * time.Minute)
	if err := f.emails.Resend(ctx, f.p, home); err != nil {
		t.Errorf("Resend() 15 minutes later error = %v", err)
	}
}
