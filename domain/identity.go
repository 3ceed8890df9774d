package domain

import (
	"errors"
	"time"
)

// Identity is an account at another service (an OpenID Connect provider,
// GitHub) linked to a gatehouse account, so that logging in there logs
// the account in here. It is keyed by (Provider, Subject): the provider's
// own unchanging id of the person, never an address, which a provider may
// let its users change or reuse.
type Identity struct {
	UserID   UserID
	Provider string
	Subject  string
	// Name is the account's name at the provider (its preferred username
	// or address), shown to the owner only to tell identities apart.
	Name     string
	LinkedAt time.Time
}

// ExternalIdentity is what a provider vouched for at a login: who the
// person is there, and the address the provider knows, with whether the
// provider says it verified it.
type ExternalIdentity struct {
	Provider string
	Subject  string
	// Email is the provider's address of the person; EmailVerified is
	// the provider's word that its owner proved it (OIDC email_verified,
	// GitHub's verified flag). An unverified address is never trusted.
	Email         string
	EmailVerified bool
	// PreferredName is the provider's suggestion of a username
	// (preferred_username, GitHub's login), Name its display name.
	PreferredName string
	Name          string
}

// Errors of the social login.
var (
	// ErrIdentityTaken reports an identity already linked to another
	// account, or an account that already has an identity of the
	// provider.
	ErrIdentityTaken = errors.New("domain: identity already linked")
	// ErrLastSignInMethod reports an unlink that would leave the account
	// with no way to sign in (no password and no other identity).
	ErrLastSignInMethod = errors.New("domain: last way to sign in")
	// ErrProviderRejected reports a login the provider refused or that
	// failed its checks: the user denied it, the state was wrong, reused
	// or expired, the ID token's signature, issuer, audience, expiry or
	// nonce did not hold.
	ErrProviderRejected = errors.New("domain: sign-in with the provider failed")
	// ErrProviderUnavailable reports a provider that cannot be reached,
	// or that is not configured.
	ErrProviderUnavailable = errors.New("domain: provider unavailable")
)

// HasPassword reports whether the account can log in with a password. An
// account made through a provider has none (PasswordHash empty) until its
// owner sets one; no password ever matches it.
func (u User) HasPassword() bool { return u.PasswordHash != "" }

// Events of the social login; Detail names the provider.
const (
	EventIdentityLinked   EventKind = "identity_linked"
	EventIdentityUnlinked EventKind = "identity_unlinked"
	EventSocialLogin      EventKind = "social_login"
	// EventSocialLoginFailure is a sign-in at a provider that failed;
	// Detail names the provider and the reason.
	EventSocialLoginFailure EventKind = "social_login_failure"
)

// Purposes of a provider login.
const (
	// SocialPurposeLogin logs in (or signs up) whoever comes back.
	SocialPurposeLogin = "login"
	// SocialPurposeConnect links the identity that comes back to the
	// account that started the login (SocialState.UserID).
	SocialPurposeConnect = "connect"
)

// SocialState is a login started at a provider and not yet back. Only its
// state token's hash is kept; it is used once and expires. Nonce and
// Verifier (the PKCE code verifier) go with it so that the callback can
// check the ID token and redeem the code.
type SocialState struct {
	TokenHash TokenHash
	Provider  string
	Purpose   string
	// UserID is the account to connect to (SocialPurposeConnect), zero
	// for a login.
	UserID    UserID
	Nonce     string
	Verifier  string
	Next      string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// PendingIdentity is an identity a provider vouched for that is linked to
// no account yet, waiting for its owner to choose a username or to prove,
// with a password, which account is theirs. Only its token's hash is
// kept; it expires.
type PendingIdentity struct {
	TokenHash TokenHash
	External  ExternalIdentity
	Next      string
	CreatedAt time.Time
	ExpiresAt time.Time
}
