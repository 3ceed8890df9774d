package usecase_test

import (
	"context"
	"errors"
	"net/netip"
	"net/url"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// fakeProvider is an identity provider that vouches for whom the test
// says, and records what the use case sent it. (The real adapters are
// tested against a real OpenID provider in adapter/idp.)
type fakeProvider struct {
	next     domain.ExternalIdentity
	fail     error
	exchange []string // verifier + " " + nonce of each Exchange
}

func (p *fakeProvider) Name() string  { return "idp" }
func (p *fakeProvider) Label() string { return "The IdP" }
func (p *fakeProvider) Ready() bool   { return true }
func (p *fakeProvider) AuthURL(state, nonce, verifier string) (string, error) {
	return "https://idp.example/auth?" + url.Values{"state": {state}, "nonce": {nonce}, "v": {verifier}}.Encode(), nil
}
func (p *fakeProvider) Exchange(_ context.Context, code, verifier, nonce string) (domain.ExternalIdentity, error) {
	p.exchange = append(p.exchange, verifier+" "+nonce)
	return p.next, p.fail
}
func (p *fakeProvider) VerifyIDToken(context.Context, string, string) (domain.ExternalIdentity, error) {
	return p.next, p.fail
}

type socialFixture struct {
	*accountFixture
	idp    *fakeProvider
	social *usecase.SocialLogin
}

func newSocialFixture(t *testing.T) *socialFixture {
	t.Helper()
	f := newAccountFixture(t)
	idp := &fakeProvider{next: domain.ExternalIdentity{Provider: "idp", Subject: "s-1", Email: "ada@example.com", EmailVerified: true, PreferredName: "ada"}}
	s := usecase.NewSocialLogin(usecase.SocialDeps{
		Providers: []usecase.IdentityProvider{idp}, Identities: f.identities, Flows: f.flows, Emails: f.emails,
		Accounts: f.users, Auth: f.auth, Account: f.account, Sessions: f.manager, Throttle: f.throttle,
		Second: usecase.NewLoginChallenges(f.totp, f.challenges, &seqTokens{n: 100}, f.clock), Devices: testDevices,
		Tokens: &seqTokens{n: 50}, History: f.events, Clock: f.clock, Log: discard,
	})
	return &socialFixture{accountFixture: f, idp: idp, social: s}
}

// begin starts a login and returns the state the browser keeps.
func (f *socialFixture) begin(t *testing.T) (state string, u *url.URL) {
	t.Helper()
	start, err := f.social.Begin(context.Background(), "idp", "/next", home)
	if err != nil {
		t.Fatal(err)
	}
	u, _ = url.Parse(start.URL)
	if u.Query().Get("state") != start.State.Reveal() {
		t.Fatalf("the provider's URL carries state %q, the browser keeps %q", u.Query().Get("state"), start.State.Reveal())
	}
	return start.State.Reveal(), u
}

func (f *socialFixture) callback(state, cookie string) (usecase.CallbackResult, error) {
	return f.social.Callback(context.Background(), usecase.CallbackInput{Provider: "idp", State: state, Cookie: cookie, Code: "code", Client: home})
}

// TestSocialStateChecks: the callback checks the state against the
// browser's cookie before anything else, uses it once, refuses it after
// 10 minutes, and hands the provider the login's own verifier and nonce.
func TestSocialStateChecks(t *testing.T) {
	f := newSocialFixture(t)
	state, u := f.begin(t)
	if _, err := f.callback(state, "another-browser"); !errors.Is(err, domain.ErrProviderRejected) {
		t.Errorf("Callback(cookie not the state) error = %v, want %v", err, domain.ErrProviderRejected)
	}
	if len(f.idp.exchange) != 0 {
		t.Errorf("a state that failed its check reached the provider")
	}
	if _, err := f.callback(state, state); err != nil {
		t.Fatalf("Callback(right state) error = %v", err)
	}
	if want := u.Query().Get("v") + " " + u.Query().Get("nonce"); len(f.idp.exchange) != 1 || f.idp.exchange[0] != want {
		t.Errorf("Exchange got %q, want the login's own verifier and nonce %q", f.idp.exchange, want)
	}
	if _, err := f.callback(state, state); !errors.Is(err, domain.ErrProviderRejected) {
		t.Errorf("Callback(used state) error = %v, want %v", err, domain.ErrProviderRejected)
	}
	state, _ = f.begin(t)
	f.clock.Advance(usecase.SocialStateLifetime)
	if _, err := f.callback(state, state); !errors.Is(err, domain.ErrProviderRejected) {
		t.Errorf("Callback(state 10 minutes old) error = %v, want %v", err, domain.ErrProviderRejected)
	}
	state, _ = f.begin(t)
	_, err := f.social.Callback(context.Background(), usecase.CallbackInput{Provider: "idp", State: state, Cookie: state, Error: "access_denied", Client: home})
	if !errors.Is(err, domain.ErrProviderRejected) {
		t.Errorf("Callback(access_denied) error = %v, want %v", err, domain.ErrProviderRejected)
	}
	if _, err := f.callback(state, state); !errors.Is(err, domain.ErrProviderRejected) {
		t.Errorf("Callback(state of a denied login, again) error = %v, want %v: used once", err, domain.ErrProviderRejected)
	}
}

// TestSocialAddressNeverLinks: an identity whose verified address is an
// account's links nothing; an unverified one is not even matched, and a
// signup does not keep it.
func TestSocialAddressNeverLinks(t *testing.T) {
	f := newSocialFixture(t)
	ctx := context.Background()
	addr, _ := domain.NewEmailAddress("ada@example.com")
	if err := f.emails.SetEmail(ctx, f.user.ID, addr, nil); err != nil {
		t.Fatal(err)
	}
	state, _ := f.begin(t)
	res, err := f.callback(state, state)
	if err != nil || res.Outcome != usecase.SocialLinkExisting || res.Pending == "" {
		t.Fatalf("Callback(verified address of alice's) = %+v, %v, want link_existing with a pending identity", res, err)
	}
	if _, err := f.identities.BySubject(ctx, "idp", "s-1"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("BySubject() after the callback error = %v, want %v: nothing linked", err, domain.ErrNotFound)
	}
	// A wrong password links nothing; the right one links to alice.
	if _, _, err := f.social.LinkWithPassword(ctx, res.Pending.Reveal(), usecase.LoginInput{Username: "alice", Password: "wrong horse battery", Client: home}); !errors.Is(err, domain.ErrInvalidCredentials) {
		t.Errorf("LinkWithPassword(wrong password) error = %v, want %v", err, domain.ErrInvalidCredentials)
	}
	if _, err := f.identities.BySubject(ctx, "idp", "s-1"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("a wrong password linked the identity")
	}
	login, linked, err := f.social.LinkWithPassword(ctx, res.Pending.Reveal(), usecase.LoginInput{Username: "alice", Password: "correct horse battery", Client: home})
	if err != nil || login.User.ID != f.user.ID || linked.Name != "idp" {
		t.Fatalf("LinkWithPassword(right password) = %+v, %+v, %v", login.User, linked, err)
	}
	if id, err := f.identities.BySubject(ctx, "idp", "s-1"); err != nil || id.UserID != f.user.ID {
		t.Errorf("BySubject() after the password = %+v, %v, want alice's", id, err)
	}

	f.idp.next = domain.ExternalIdentity{Provider: "idp", Subject: "s-2", Email: "ada@example.com", EmailVerified: false, PreferredName: "Ada Lovelace"}
	state, _ = f.begin(t)
	res, err = f.callback(state, state)
	if err != nil || res.Outcome != usecase.SocialChooseUsername {
		t.Fatalf("Callback(unverified address of alice's) = %+v, %v, want choose_username", res, err)
	}
	view, err := f.social.Pending(ctx, res.Pending.Reveal())
	if err != nil || view.Existing || view.Suggested != "ada" {
		t.Errorf("Pending() = %+v, %v, want no existing account and the address's local part as the suggestion (the name has a space)", view, err)
	}
	got, err := f.social.Signup(ctx, usecase.SignupInput{Pending: res.Pending.Reveal(), Username: "ada", Client: home})
	if err != nil || got.User.HasPassword() || !got.User.Email.IsZero() {
		t.Fatalf("Signup() = %+v, %v, want an account without a password or an address", got.User, err)
	}
	if _, err := f.social.Signup(ctx, usecase.SignupInput{Pending: res.Pending.Reveal(), Username: "ada2", Client: home}); !errors.Is(err, usecase.ErrPendingGone) {
		t.Errorf("Signup(used pending identity) error = %v, want %v", err, usecase.ErrPendingGone)
	}
}

// TestPasswordlessAccount: no password logs in an account without one,
// at the cost of one verification (the decoy's); what asks for the
// current password takes a login of the last 15 minutes instead.
func TestPasswordlessAccount(t *testing.T) {
	f := newSocialFixture(t)
	ctx := context.Background()
	state, _ := f.begin(t)
	res, err := f.callback(state, state)
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.social.Signup(ctx, usecase.SignupInput{Pending: res.Pending.Reveal(), Username: "ada", Client: home})
	if err != nil || got.User.Email.String() != "ada@example.com" {
		t.Fatalf("Signup() = %+v, %v, want ada with her verified address", got.User, err)
	}
	for _, pw := range []string{"", " ", "v1:", "correct horse battery"} {
		before := f.hasher.verifies
		if _, err := f.auth.Login(ctx, usecase.LoginInput{Username: "ada", Password: pw, Client: home}); !errors.Is(err, domain.ErrInvalidCredentials) {
			t.Errorf("Login(ada, %q) error = %v, want %v", pw, err, domain.ErrInvalidCredentials)
		}
		if f.hasher.verifies != before+1 {
			t.Errorf("Login(ada, %q) ran %d verifications, want the decoy's one", pw, f.hasher.verifies-before)
		}
	}
	p := usecase.Principal{User: got.User, Session: got.Session}
	f.clock.Advance(usecase.RecentLoginWindow)
	var invalid *usecase.InvalidInputError
	if _, _, err := f.account.ChangePassword(ctx, p, "", "a long new passphrase", home); !errors.As(err, &invalid) {
		t.Errorf("ChangePassword(15 minutes after the login) error = %v, want an invalid current password", err)
	}
	if err := f.account.Delete(ctx, p, "", home); !errors.As(err, &invalid) {
		t.Errorf("Delete(15 minutes after the login) error = %v, want an invalid password", err)
	}
	f.clock.Advance(-time.Minute)
	if _, _, err := f.account.ChangePassword(ctx, p, "", "a long new passphrase", home); err != nil {
		t.Errorf("ChangePassword(14 minutes after the login) error = %v, want the password set", err)
	}
	if _, err := f.auth.Login(ctx, usecase.LoginInput{Username: "ada", Password: "a long new passphrase", Client: home}); err != nil {
		t.Errorf("Login(ada, the password set) error = %v", err)
	}
}

// TestSocialDisconnect: the last way to sign in stays.
func TestSocialDisconnect(t *testing.T) {
	f := newSocialFixture(t)
	ctx := context.Background()
	state, _ := f.begin(t)
	res, _ := f.callback(state, state)
	got, err := f.social.Signup(ctx, usecase.SignupInput{Pending: res.Pending.Reveal(), Username: "ada", Client: home})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.social.Disconnect(ctx, got.User.ID, "idp", 0, home); !errors.Is(err, domain.ErrLastSignInMethod) {
		t.Errorf("Disconnect(the only way in) error = %v, want %v", err, domain.ErrLastSignInMethod)
	}
	if err := f.social.Disconnect(ctx, f.user.ID, "idp", 0, home); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("Disconnect(none linked) error = %v, want %v", err, domain.ErrNotFound)
	}
}

// TestSocialBeginIsThrottled: one network may start
// ProviderLoginsPerNetwork provider logins per window; the next is
// refused, storing nothing, and another network is not held back.
func TestSocialBeginIsThrottled(t *testing.T) {
	f := newSocialFixture(t)
	ctx := context.Background()
	for i := range usecase.ProviderLoginsPerNetwork {
		if _, err := f.social.Begin(ctx, "idp", "/", home); err != nil {
			t.Fatalf("Begin() #%d error = %v", i+1, err)
		}
	}
	var throttled *domain.ThrottledError
	if _, err := f.social.Begin(ctx, "idp", "/", home); !errors.As(err, &throttled) || throttled.RetryAfter <= 0 {
		t.Errorf("Begin() past the cap error = %v, want a *domain.ThrottledError with a wait", err)
	}
	other := usecase.Client{IP: netip.MustParseAddr("198.51.100.7")}
	if _, err := f.social.Begin(ctx, "idp", "/", other); err != nil {
		t.Errorf("Begin() from another network error = %v", err)
	}
	if _, err := f.social.Begin(ctx, "nosuch", "/", other); !errors.Is(err, usecase.ErrUnknownProvider) {
		t.Errorf("Begin(unknown provider) error = %v, want %v", err, usecase.ErrUnknownProvider)
	}
}
