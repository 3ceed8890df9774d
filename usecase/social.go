package usecase

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/domain"
)

// Lifetimes of the provider logins under way.
const (
	// SocialStateLifetime is how long a login sent to a provider may take
	// to come back.
	SocialStateLifetime = 10 * time.Minute
	// PendingIdentityLifetime is how long an identity linked to no
	// account waits for a username or a password.
	PendingIdentityLifetime = 10 * time.Minute
)

// Reasons a provider login failed, kept in the failure event's Detail
// after the provider's name.
const (
	FailureState        = "state"
	FailureProviderDeny = "denied"
	FailureToken        = "token"
	FailureUnavailable  = "unavailable"
)

// ErrIdentityNotLinked answers a provider login (the API's) whose
// identity belongs to no account.
var ErrIdentityNotLinked = fmt.Errorf("usecase: identity linked to no account: %w", domain.ErrNotFound)

// ErrPendingGone answers a username or password given for a provider
// login that expired, was used, or never was.
var ErrPendingGone = fmt.Errorf("usecase: provider login expired or used: %w", domain.ErrProviderRejected)

// ErrUnknownProvider answers a provider name that is not configured.
var ErrUnknownProvider = fmt.Errorf("usecase: unknown provider: %w", domain.ErrNotFound)

// ProviderInfo is a provider as the pages show it.
type ProviderInfo struct {
	Name  string
	Label string
}

// SocialStart is a provider login begun: the browser goes to URL,
// carrying State back, and keeps State in a cookie to prove it is the
// browser that left.
type SocialStart struct {
	URL   string
	State domain.Token
}

// CallbackInput is a provider's answer as the browser brings it back.
type CallbackInput struct {
	Provider string
	// State is the state the provider sent back; Cookie the one the
	// browser kept when it left.
	State  string
	Cookie string
	Code   string
	// Error is the provider's error code (access_denied), if any.
	Error string
	// Principal is the browser's current login, if any (a connect must
	// come back to the account that started it).
	Principal *Principal
	Previous  domain.Token
	Device    string
	Client    Client
}

// Outcomes of a provider login.
const (
	// SocialLoggedIn: a known identity; Login holds the session.
	SocialLoggedIn = "logged_in"
	// SocialConnected: the identity was linked to the account that
	// asked.
	SocialConnected = "connected"
	// SocialLinkExisting: an unknown identity whose verified address
	// belongs to an account: nothing was linked; its owner may log in
	// with the password to link it.
	SocialLinkExisting = "link_existing"
	// SocialChooseUsername: an unknown identity and no account has its
	// address: a new account may be made with a chosen username.
	SocialChooseUsername = "choose_username"
)

// CallbackResult is what a provider login came to.
type CallbackResult struct {
	Outcome  string
	Provider ProviderInfo
	Next     string
	// Login is the new session (SocialLoggedIn).
	Login LoginResult
	// Pending is the token of the pending identity (SocialLinkExisting,
	// SocialChooseUsername), for the client only.
	Pending domain.Token
}

// PendingView is what the pages show of a pending identity.
type PendingView struct {
	Provider ProviderInfo
	// Email is the provider's address of the person, "" for none.
	Email string
	// Suggested prefills the username field.
	Suggested string
	// Existing is true when an account has the identity's verified
	// address (the password login links it).
	Existing bool
	Next     string
}

// SocialLogin logs people in with identity providers and links their
// identities to accounts. Identities are keyed by (provider, subject);
// an address is never enough to link one: an unknown identity whose
// verified address belongs to an account is linked only after a login
// with that account's password, or from the account's own page.
type SocialLogin struct {
	order      []IdentityProvider
	providers  map[string]IdentityProvider
	identities IdentityStore
	flows      SocialFlowStore
	emails     EmailStore
	accounts   AccountStore
	auth       *Authenticator
	account    *Account
	sessions   *SessionManager
	throttle   *Throttle
	second     *LoginChallenges
	devices    *DeviceProofs
	tokens     TokenSource
	clock      Clock
	events     recorder
	log        *slog.Logger
}

// SocialDeps are the parts a SocialLogin works with.
type SocialDeps struct {
	Providers  []IdentityProvider
	Identities IdentityStore
	Flows      SocialFlowStore
	Emails     EmailStore
	Accounts   AccountStore
	Auth       *Authenticator
	Account    *Account
	Sessions   *SessionManager
	Throttle   *Throttle
	Second     *LoginChallenges
	Devices    *DeviceProofs
	Tokens     TokenSource
	History    EventLog
	Clock      Clock
	Log        *slog.Logger
}

// NewSocialLogin returns a SocialLogin over the providers in d, in their
// order.
func NewSocialLogin(d SocialDeps) *SocialLogin {
	byName := make(map[string]IdentityProvider, len(d.Providers))
	for _, p := range d.Providers {
		byName[p.Name()] = p
	}
	return &SocialLogin{
		order: d.Providers, providers: byName, identities: d.Identities, flows: d.Flows, emails: d.Emails,
		accounts: d.Accounts, auth: d.Auth, account: d.Account, sessions: d.Sessions, throttle: d.Throttle,
		second: d.Second, devices: d.Devices, tokens: d.Tokens, clock: d.Clock,
		events: recorder{history: d.History, clock: d.Clock, logger: d.Log}, log: d.Log,
	}
}

// Providers lists the providers ready to use, in configuration order.
func (s *SocialLogin) Providers() []ProviderInfo {
	var out []ProviderInfo
	for _, p := range s.order {
		if p.Ready() {
			out = append(out, info(p))
		}
	}
	return out
}

// Label returns the label of the provider named name, name itself when
// it is not configured (an identity of a provider since removed).
func (s *SocialLogin) Label(name string) string {
	if p, ok := s.providers[name]; ok {
		return p.Label()
	}
	return name
}

func info(p IdentityProvider) ProviderInfo { return ProviderInfo{Name: p.Name(), Label: p.Label()} }

// provider returns the ready provider named name.
func (s *SocialLogin) provider(name string) (IdentityProvider, error) {
	p, ok := s.providers[name]
	if !ok {
		return nil, ErrUnknownProvider
	}
	if !p.Ready() {
		return nil, fmt.Errorf("usecase: provider %s not ready: %w", name, domain.ErrProviderUnavailable)
	}
	return p, nil
}

// Begin starts a login at the provider named provider for client, to
// come back to next. A network that started ProviderLoginsPerNetwork
// logins within the throttle's window gets a *domain.ThrottledError.
func (s *SocialLogin) Begin(ctx context.Context, provider, next string, client Client) (SocialStart, error) {
	if _, err := s.provider(provider); err != nil {
		return SocialStart{}, err
	}
	if err := s.throttle.ReserveProviderLogin(ctx, client.IP); err != nil {
		return SocialStart{}, err
	}
	return s.begin(ctx, provider, domain.SocialPurposeLogin, 0, next)
}

// BeginConnect starts linking an identity at provider to p's account.
// Linking is a change of credentials, so it needs a login within
// RecentLoginWindow, or else the account's password (an account without
// a password must log in again). An account that has an identity of
// provider already gets domain.ErrIdentityTaken.
func (s *SocialLogin) BeginConnect(ctx context.Context, p Principal, provider, password string, c Client) (SocialStart, error) {
	if _, err := s.provider(provider); err != nil {
		return SocialStart{}, err
	}
	if !recentLogin(p, s.clock.Now()) {
		ctx = WithHashingKey(ctx, ClientAllocation(c.IP))
		if err := s.account.reauthenticate(ctx, p, password, InputCurrentPassword, c); err != nil {
			return SocialStart{}, err
		}
	}
	list, err := s.identities.ListByUser(ctx, p.User.ID)
	if err != nil {
		return SocialStart{}, err
	}
	for _, id := range list {
		if id.Provider == provider {
			return SocialStart{}, fmt.Errorf("connect %s to user %d: %w", provider, p.User.ID, domain.ErrIdentityTaken)
		}
	}
	return s.begin(ctx, provider, domain.SocialPurposeConnect, p.User.ID, "/account")
}

func (s *SocialLogin) begin(ctx context.Context, provider, purpose string, user domain.UserID, next string) (SocialStart, error) {
	p, err := s.provider(provider)
	if err != nil {
		return SocialStart{}, err
	}
	state, err := s.tokens.NewToken()
	if err != nil {
		return SocialStart{}, fmt.Errorf("social login state: %w", err)
	}
	nonce, err := s.tokens.NewToken()
	if err != nil {
		return SocialStart{}, fmt.Errorf("social login nonce: %w", err)
	}
	verifier, err := s.tokens.NewToken()
	if err != nil {
		return SocialStart{}, fmt.Errorf("social login verifier: %w", err)
	}
	url, err := p.AuthURL(state.Reveal(), nonce.Reveal(), verifier.Reveal())
	if err != nil {
		return SocialStart{}, err
	}
	now := s.clock.Now().UTC()
	err = s.flows.CreateState(ctx, domain.SocialState{
		TokenHash: state.Hash(), Provider: provider, Purpose: purpose, UserID: user,
		Nonce: nonce.Reveal(), Verifier: verifier.Reveal(), Next: next,
		CreatedAt: now, ExpiresAt: now.Add(SocialStateLifetime),
	})
	if err != nil {
		return SocialStart{}, fmt.Errorf("social login state: %w", err)
	}
	return SocialStart{URL: url, State: state}, nil
}

// Callback finishes a provider login: it checks the state against the
// browser's cookie (constant time) and consumes it (single use), then has
// the provider redeem the code and verify who signed in. A known identity
// logs its account in, as a password login would (a disabled account is
// refused, the throttle's lockout holds, a second factor opens the same
// challenge: *SecondFactorRequiredError). An unknown one links nothing:
// see CallbackResult's outcomes. Every failure wraps
// domain.ErrProviderRejected (or domain.ErrProviderUnavailable), is
// recorded, and creates nothing.
func (s *SocialLogin) Callback(ctx context.Context, in CallbackInput) (CallbackResult, error) {
	p, ok := s.providers[in.Provider]
	if !ok {
		return CallbackResult{}, ErrUnknownProvider
	}
	state, okState := domain.ParseToken(in.State)
	if !okState || subtle.ConstantTimeCompare([]byte(in.State), []byte(in.Cookie)) != 1 {
		return CallbackResult{}, s.fail(ctx, in, 0, FailureState, "the state does not match this browser's")
	}
	st, err := s.flows.ConsumeState(ctx, state.Hash(), s.clock.Now().UTC())
	if errors.Is(err, domain.ErrNotFound) {
		return CallbackResult{}, s.fail(ctx, in, 0, FailureState, "the state is unknown, used or expired")
	}
	if err != nil {
		return CallbackResult{}, err
	}
	if st.Provider != in.Provider {
		return CallbackResult{}, s.fail(ctx, in, st.UserID, FailureState, "the state is another provider's")
	}
	if in.Error != "" {
		return CallbackResult{}, s.fail(ctx, in, st.UserID, FailureProviderDeny, "the provider answered "+in.Error)
	}
	if in.Code == "" {
		return CallbackResult{}, s.fail(ctx, in, st.UserID, FailureToken, "the provider sent no code")
	}
	ext, err := p.Exchange(ctx, in.Code, st.Verifier, st.Nonce)
	if err != nil {
		reason := FailureToken
		if errors.Is(err, domain.ErrProviderUnavailable) {
			reason = FailureUnavailable
		}
		s.events.record(ctx, domain.EventSocialLoginFailure, st.UserID, 0, in.Client, in.Provider+": "+reason)
		return CallbackResult{}, err
	}
	res := CallbackResult{Provider: info(p), Next: st.Next}
	if st.Purpose == domain.SocialPurposeConnect {
		if in.Principal == nil || in.Principal.User.ID != st.UserID {
			return CallbackResult{}, s.fail(ctx, in, st.UserID, FailureState, "the connect came back to another login")
		}
		if err := s.link(ctx, st.UserID, ext, in.Client); err != nil {
			return CallbackResult{}, err
		}
		res.Outcome = SocialConnected
		return res, nil
	}
	id, err := s.identities.BySubject(ctx, ext.Provider, ext.Subject)
	switch {
	case err == nil:
		u, err := s.accounts.ByID(ctx, id.UserID)
		if err != nil {
			return CallbackResult{}, err
		}
		login, err := s.loginAs(ctx, u, ext.Provider, in.Previous, in.Device, in.Client)
		if err != nil {
			// Next goes with a *SecondFactorRequiredError, for the page
			// that asks for the code.
			return CallbackResult{Next: st.Next}, err
		}
		res.Outcome, res.Login = SocialLoggedIn, login
		return res, nil
	case !errors.Is(err, domain.ErrNotFound):
		return CallbackResult{}, err
	}
	existing, err := s.addressOwner(ctx, ext)
	if err != nil {
		return CallbackResult{}, err
	}
	token, err := s.tokens.NewToken()
	if err != nil {
		return CallbackResult{}, err
	}
	now := s.clock.Now().UTC()
	err = s.flows.CreatePending(ctx, domain.PendingIdentity{
		TokenHash: token.Hash(), External: ext, Next: st.Next, CreatedAt: now, ExpiresAt: now.Add(PendingIdentityLifetime),
	})
	if err != nil {
		return CallbackResult{}, err
	}
	res.Pending, res.Outcome = token, SocialChooseUsername
	if existing {
		res.Outcome = SocialLinkExisting
	}
	return res, nil
}

// fail records a failed provider login and returns the error that says
// so.
func (s *SocialLogin) fail(ctx context.Context, in CallbackInput, user domain.UserID, reason, why string) error {
	s.events.record(ctx, domain.EventSocialLoginFailure, user, 0, in.Client, in.Provider+": "+reason)
	return fmt.Errorf("social login with %s: %s: %w", in.Provider, why, domain.ErrProviderRejected)
}

// addressOwner reports whether an account has ext's address as its
// verified one, when the provider says it verified it too.
func (s *SocialLogin) addressOwner(ctx context.Context, ext domain.ExternalIdentity) (bool, error) {
	if !ext.EmailVerified {
		return false, nil
	}
	a, err := domain.NewEmailAddress(ext.Email)
	if err != nil {
		return false, nil
	}
	_, err = s.emails.OwnerOf(ctx, a)
	if errors.Is(err, domain.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, nil
}

// link links ext to user and records it.
func (s *SocialLogin) link(ctx context.Context, user domain.UserID, ext domain.ExternalIdentity, c Client) error {
	id := domain.Identity{UserID: user, Provider: ext.Provider, Subject: ext.Subject, Name: identityName(ext), LinkedAt: s.clock.Now().UTC()}
	ev := s.events.event(domain.EventIdentityLinked, user, 0, c, ext.Provider)
	if err := s.identities.Link(ctx, id, ev); err != nil {
		return fmt.Errorf("link %s identity to user %d: %w", ext.Provider, user, err)
	}
	return nil
}

// identityName is what the account page shows of an identity.
func identityName(ext domain.ExternalIdentity) string {
	name := ext.PreferredName
	if name == "" {
		name = ext.Email
	}
	if len(name) > 200 {
		name = name[:200]
	}
	return strings.ToValidUTF8(name, "")
}

// loginAs logs u in after a provider vouched for its identity: refused
// for a disabled account, or while the throttle locks the account out; a
// second factor opens a challenge instead of a session.
func (s *SocialLogin) loginAs(ctx context.Context, u domain.User, provider string, previous domain.Token, device string, c Client) (LoginResult, error) {
	if u.Disabled {
		s.events.record(ctx, domain.EventLoginFailure, u.ID, 0, c, domain.FailureDisabled)
		return LoginResult{}, domain.ErrAccountDisabled
	}
	proof, _ := s.devices.Verify(device, u.ID)
	ticket, err := s.throttle.ReserveLogin(ctx, LoginAttempt{Account: u.Username.Canonical(), Client: c.IP, Device: proof})
	if err != nil {
		if retryAfterOf(err) > 0 {
			s.events.record(ctx, domain.EventLoginFailure, u.ID, 0, c, domain.FailureThrottled)
		}
		return LoginResult{}, err
	}
	if err := s.throttle.ReleaseLogin(ctx, ticket); err != nil {
		s.log.WarnContext(ctx, "usecase: release a social login's reservation", "user_id", u.ID, "err", err)
	}
	methods, err := s.second.required(ctx, u)
	if err != nil {
		return LoginResult{}, err
	}
	if len(methods) > 0 {
		s.events.record(ctx, domain.EventSocialLogin, u.ID, 0, c, provider+": second factor required")
		return LoginResult{}, s.second.open(ctx, u, false, methods)
	}
	social := s.events.event(domain.EventSocialLogin, u.ID, 0, c, provider)
	success := s.events.event(domain.EventLoginSuccess, u.ID, 0, c, provider)
	token, sess, err := s.sessions.Start(ctx, u, false, c, lastLogin(ctx, s.events.history, s.log, u.ID), social, success)
	if err != nil {
		return LoginResult{}, fmt.Errorf("social login of user %d: %w", u.ID, err)
	}
	if previous != "" {
		if err := s.sessions.Revoke(ctx, previous); err != nil {
			s.log.WarnContext(ctx, "usecase: revoke previous session at social login", "user_id", u.ID, "err", err)
		}
	}
	return LoginResult{User: u, Session: sess, Token: token, Device: s.devices.Issue(u.ID)}, nil
}

// Pending returns what the pages show of the pending identity token, or
// ErrPendingGone.
func (s *SocialLogin) Pending(ctx context.Context, token string) (PendingView, error) {
	pend, err := s.pending(ctx, token)
	if err != nil {
		return PendingView{}, err
	}
	existing, err := s.addressOwner(ctx, pend.External)
	if err != nil {
		return PendingView{}, err
	}
	return PendingView{
		Provider: ProviderInfo{Name: pend.External.Provider, Label: s.Label(pend.External.Provider)},
		Email:    pend.External.Email, Suggested: suggestUsername(pend.External), Existing: existing, Next: pend.Next,
	}, nil
}

func (s *SocialLogin) pending(ctx context.Context, token string) (domain.PendingIdentity, error) {
	t, ok := domain.ParseToken(token)
	if !ok {
		return domain.PendingIdentity{}, ErrPendingGone
	}
	p, err := s.flows.Pending(ctx, t.Hash(), s.clock.Now().UTC())
	if errors.Is(err, domain.ErrNotFound) {
		return domain.PendingIdentity{}, ErrPendingGone
	}
	return p, err
}

// suggestUsername is the provider's preferred name, or the address's
// local part, when it makes a valid username; "" otherwise.
func suggestUsername(ext domain.ExternalIdentity) string {
	for _, raw := range []string{ext.PreferredName, strings.SplitN(ext.Email, "@", 2)[0]} {
		if n, err := domain.ChooseUsername(raw); err == nil {
			return n.String()
		}
	}
	return ""
}

// LinkWithPassword logs in with a password (Authenticator.Login: the
// throttle, the generic failure and a second factor all hold) and, when
// that starts a session, links the pending identity to the account that
// logged in. A login that needs a second factor links nothing: its owner
// connects the provider from the account page once logged in.
func (s *SocialLogin) LinkWithPassword(ctx context.Context, pendingToken string, in LoginInput) (LoginResult, ProviderInfo, error) {
	pend, err := s.pending(ctx, pendingToken)
	if err != nil {
		return LoginResult{}, ProviderInfo{}, err
	}
	res, err := s.auth.Login(ctx, in)
	if err != nil {
		return LoginResult{}, ProviderInfo{}, err
	}
	t, _ := domain.ParseToken(pendingToken)
	if err := s.flows.ConsumePending(ctx, t.Hash()); err != nil {
		// Used meanwhile by another request: the login stands, the link
		// is that request's.
		s.log.WarnContext(ctx, "usecase: pending identity used meanwhile", "user_id", res.User.ID, "err", err)
		return res, ProviderInfo{}, nil
	}
	if err := s.link(ctx, res.User.ID, pend.External, in.Client); err != nil {
		if errors.Is(err, domain.ErrIdentityTaken) {
			s.log.WarnContext(ctx, "usecase: identity linked meanwhile", "user_id", res.User.ID)
			return res, ProviderInfo{}, nil
		}
		return LoginResult{}, ProviderInfo{}, err
	}
	return res, ProviderInfo{Name: pend.External.Provider, Label: s.Label(pend.External.Provider)}, nil
}

// SignupInput is a new account for a pending identity.
type SignupInput struct {
	Pending  string
	Username string
	Previous domain.Token
	Client   Client
}

// Signup creates an account without a password for the pending identity,
// named username (the signup's username rules and per-client limit
// apply), links the identity, keeps the provider's address as the
// account's verified one only when the provider verified it (and no other
// account has it), and logs the account in. Account, identity and events
// are one transaction.
func (s *SocialLogin) Signup(ctx context.Context, in SignupInput) (LoginResult, error) {
	pend, err := s.pending(ctx, in.Pending)
	if err != nil {
		return LoginResult{}, err
	}
	name, err := domain.ChooseUsername(in.Username)
	if err != nil {
		return LoginResult{}, asInput(InputUsername, err)
	}
	ticket, err := s.throttle.ReserveSignup(ctx, in.Client.IP)
	if err != nil {
		return LoginResult{}, err
	}
	ext := pend.External
	now := s.clock.Now().UTC()
	u := domain.User{Username: name, CreatedAt: now, Role: domain.RoleUser}
	if owned, err := s.addressOwner(ctx, ext); err == nil && !owned && ext.EmailVerified {
		u.Email, _ = domain.NewEmailAddress(ext.Email)
	}
	id := domain.Identity{Provider: ext.Provider, Subject: ext.Subject, Name: identityName(ext), LinkedAt: now}
	events := []domain.SecurityEvent{
		s.events.event(domain.EventSignup, 0, 0, in.Client, ext.Provider),
		s.events.event(domain.EventIdentityLinked, 0, 0, in.Client, ext.Provider),
	}
	created, err := s.identities.CreateAccount(ctx, u, id, events...)
	if errors.Is(err, domain.ErrEmailTaken) {
		// Another account verified the address meanwhile: the account is
		// made without it.
		u.Email = domain.EmailAddress{}
		created, err = s.identities.CreateAccount(ctx, u, id, events...)
	}
	if err != nil {
		if !errors.Is(err, domain.ErrUsernameTaken) {
			if rerr := s.throttle.ReleaseSignup(ctx, ticket); rerr != nil {
				s.log.WarnContext(ctx, "usecase: release a signup's reservation", "err", rerr)
			}
		}
		return LoginResult{}, fmt.Errorf("signup with %s: %w", ext.Provider, err)
	}
	t, _ := domain.ParseToken(in.Pending)
	if err := s.flows.ConsumePending(ctx, t.Hash()); err != nil && !errors.Is(err, domain.ErrNotFound) {
		s.log.WarnContext(ctx, "usecase: consume pending identity", "user_id", created.ID, "err", err)
	}
	return s.loginAs(ctx, created, ext.Provider, in.Previous, "", in.Client)
}

// TokenLoginInput is a native app trading a provider's ID token for a
// session.
type TokenLoginInput struct {
	Provider string
	IDToken  string
	Nonce    string
	Device   string
	Client   Client
}

// LoginWithIDToken verifies an ID token a native app got from the
// provider (IdentityProvider.VerifyIDToken) and logs in its identity's
// account, as Callback does a known identity. An identity linked to no
// account is ErrIdentityNotLinked: nothing is created or linked.
func (s *SocialLogin) LoginWithIDToken(ctx context.Context, in TokenLoginInput) (LoginResult, error) {
	p, err := s.provider(in.Provider)
	if err != nil {
		return LoginResult{}, err
	}
	if in.IDToken == "" || in.Nonce == "" {
		return LoginResult{}, mergeInvalid(
			asInput("id_token", emptyErr(in.IDToken, "Please send the provider's ID token.")),
			asInput("nonce", emptyErr(in.Nonce, "Please send the nonce the ID token was requested with.")))
	}
	ext, err := p.VerifyIDToken(ctx, in.IDToken, in.Nonce)
	if err != nil {
		s.events.record(ctx, domain.EventSocialLoginFailure, 0, 0, in.Client, in.Provider+": "+FailureToken)
		return LoginResult{}, err
	}
	id, err := s.identities.BySubject(ctx, ext.Provider, ext.Subject)
	if errors.Is(err, domain.ErrNotFound) {
		return LoginResult{}, ErrIdentityNotLinked
	}
	if err != nil {
		return LoginResult{}, err
	}
	u, err := s.accounts.ByID(ctx, id.UserID)
	if err != nil {
		return LoginResult{}, err
	}
	return s.loginAs(ctx, u, ext.Provider, "", in.Device, in.Client)
}

func emptyErr(v, msg string) error {
	if v != "" {
		return nil
	}
	return &domain.InvalidError{Message: msg}
}

// Identities lists the identities linked to p's account.
func (s *SocialLogin) Identities(ctx context.Context, user domain.UserID) ([]domain.Identity, error) {
	return s.identities.ListByUser(ctx, user)
}

// Disconnect unlinks user's identity of provider, refused with
// domain.ErrLastSignInMethod when it is the account's last way to sign
// in. actor is the admin or operator doing it, zero for the owner.
func (s *SocialLogin) Disconnect(ctx context.Context, user domain.UserID, provider string, actor domain.UserID, c Client) error {
	ev := s.events.event(domain.EventIdentityUnlinked, user, actor, c, provider)
	if err := s.identities.Unlink(ctx, user, provider, ev); err != nil {
		return fmt.Errorf("unlink %s from user %d: %w", provider, user, err)
	}
	return nil
}

// Purge deletes the expired states and pending identities.
func (s *SocialLogin) Purge(ctx context.Context) (int64, error) {
	n, err := s.flows.DeleteExpired(ctx, s.clock.Now().UTC())
	if err != nil {
		return 0, fmt.Errorf("purge social logins: %w", err)
	}
	return n, nil
}
