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

// MethodPasskey names a passkey as a way to log in and as a second factor.
const MethodPasskey = "passkey"

// PasskeyChallengeLifetime is how long a WebAuthn ceremony may take.
const PasskeyChallengeLifetime = 5 * time.Minute

// InputPasskey names a passkey answer (the WebAuthn JSON a browser or app
// sends), InputPasskeyName a passkey's name.
const (
	InputPasskey     Input = "passkey"
	InputPasskeyName Input = "passkey_name"
)

// ErrPasskeyRefused is a passkey answer that does not verify.
var ErrPasskeyRefused = errors.New("usecase: passkey answer refused")

// ErrPasskeyNoUserVerification is a passkey answer whose authenticator
// did not verify the user: a passkey login requires it.
var ErrPasskeyNoUserVerification = fmt.Errorf("usecase: passkey answer without user verification: %w", ErrPasskeyRefused)

// ErrPasskeysOff reports that passkeys are not configured (no usable
// WebAuthn relying party ID).
var ErrPasskeysOff = fmt.Errorf("usecase: passkeys are off: %w", domain.ErrNotFound)

// ErrPasskeyLoginFailed is the one answer to a passkey login that fails:
// an unknown passkey, a bad signature, a used or expired challenge, no
// user verification or a counter that went backwards look the same.
var ErrPasskeyLoginFailed = fmt.Errorf("usecase: passkey login failed: %w", domain.ErrInvalidCredentials)

// Messages of the passkey inputs.
const (
	msgPasskeyName     = "Please give the passkey a name of 1 to 64 characters."
	msgPasskeyRefused  = "The passkey could not be added. Please try again."
	msgPasskeyExpired  = "The request took too long or was already used. Please try again."
	msgPasskeyTaken    = "That passkey is already registered."
	msgPasskeyNeedsUV  = "The passkey must be unlocked with your PIN, fingerprint or face. Please try again."
	maxPasskeyResponse = 8 << 10
)

// Passkeys is everything done with passkeys: a signed-in user adds,
// renames and removes them; anyone signs in with one (a discoverable
// credential, no username), or answers a login's second step with one.
// Challenges are kept server-side, used once, for five minutes; user
// verification is required; a signature counter that goes backwards
// refuses the login and is recorded as a possible clone.
type Passkeys struct {
	store      PasskeyStore
	challenges PasskeyChallengeStore
	ceremony   PasskeyCeremony
	accounts   AccountStore
	account    *Account
	sessions   *SessionManager
	throttle   *Throttle
	devices    *DeviceProofs
	pending    LoginChallengeStore
	tokens     TokenSource
	key        CodeKey
	clock      Clock
	events     recorder
	log        *slog.Logger
}

// NewPasskeys returns Passkeys; a nil ceremony turns passkeys off.
func NewPasskeys(store PasskeyStore, challenges PasskeyChallengeStore, ceremony PasskeyCeremony, accounts AccountStore, account *Account, sessions *SessionManager, throttle *Throttle, devices *DeviceProofs, pending LoginChallengeStore, tokens TokenSource, key CodeKey, history EventLog, clock Clock, log *slog.Logger) *Passkeys {
	return &Passkeys{
		store: store, challenges: challenges, ceremony: ceremony, accounts: accounts, account: account,
		sessions: sessions, throttle: throttle, devices: devices, pending: pending, tokens: tokens, key: key,
		clock: clock, events: recorder{history: history, clock: clock, logger: log}, log: log,
	}
}

// Enabled reports whether passkeys are configured.
func (k *Passkeys) Enabled() bool { return k.ceremony != nil }

// List returns p's passkeys, oldest first.
func (k *Passkeys) List(ctx context.Context, p Principal) ([]domain.Passkey, error) {
	if !k.Enabled() {
		return nil, nil
	}
	return k.store.ListByUser(ctx, p.User.ID)
}

// hash is the keyed hash a challenge is stored under.
func (k *Passkeys) hash(challenge string) domain.TokenHash {
	m := hmac.New(sha256.New, k.key)
	m.Write([]byte("webauthn challenge\x00"))
	m.Write([]byte(challenge))
	var h domain.TokenHash
	copy(h[:], m.Sum(nil))
	return h
}

// begin stores the state of a ceremony started for user (zero for a
// login) and returns its options for the client.
func (k *Passkeys) begin(ctx context.Context, o PasskeyOptions, purpose domain.PasskeyPurpose, user domain.UserID) ([]byte, error) {
	now := k.clock.Now().UTC()
	c := domain.PasskeyChallenge{
		Hash: k.hash(o.Challenge), Purpose: purpose, UserID: user, State: o.State,
		CreatedAt: now, ExpiresAt: now.Add(PasskeyChallengeLifetime),
	}
	if err := k.challenges.Create(ctx, c); err != nil {
		return nil, fmt.Errorf("passkey %s challenge: %w", purpose, err)
	}
	return o.JSON, nil
}

// consume takes the open challenge of purpose that challenge names, once.
func (k *Passkeys) consume(ctx context.Context, challenge string, purpose domain.PasskeyPurpose) (domain.PasskeyChallenge, error) {
	return k.challenges.Consume(ctx, k.hash(challenge), purpose, k.clock.Now().UTC())
}

// subject returns u as a ceremony sees it, making its user handle when it
// has none.
func (k *Passkeys) subject(ctx context.Context, u domain.User) (PasskeyAccount, error) {
	fresh, err := k.tokens.NewToken()
	if err != nil {
		return PasskeyAccount{}, fmt.Errorf("user handle of user %d: %w", u.ID, err)
	}
	// The handle is 32 random bytes (the hash of a new random token):
	// it names the account to authenticators without being its ID.
	h := fresh.Hash()
	handle, err := k.store.UserHandle(ctx, u.ID, h[:])
	if err != nil {
		return PasskeyAccount{}, fmt.Errorf("user handle of user %d: %w", u.ID, err)
	}
	list, err := k.store.ListByUser(ctx, u.ID)
	if err != nil {
		return PasskeyAccount{}, err
	}
	display := u.Username.String()
	if !u.DisplayName.IsZero() {
		display = u.DisplayName.String()
	}
	return PasskeyAccount{Handle: handle, Name: u.Username.String(), DisplayName: display, Passkeys: list}, nil
}

// BeginRegistration starts adding a passkey to p's account and returns
// the options for the browser.
func (k *Passkeys) BeginRegistration(ctx context.Context, p Principal) ([]byte, error) {
	if !k.Enabled() {
		return nil, ErrPasskeysOff
	}
	a, err := k.subject(ctx, p.User)
	if err != nil {
		return nil, err
	}
	o, err := k.ceremony.BeginRegistration(a)
	if err != nil {
		return nil, fmt.Errorf("begin passkey registration of user %d: %w", p.User.ID, err)
	}
	return k.begin(ctx, o, domain.PasskeyRegister, p.User.ID)
}

// FinishRegistration checks the browser's answer to BeginRegistration and
// stores the new passkey under name. That changes the account's
// credentials: every other session ends, and this one is replaced by a
// new session, which it returns.
func (k *Passkeys) FinishRegistration(ctx context.Context, p Principal, name string, response []byte, c Client) (domain.Token, domain.Session, error) {
	if !k.Enabled() {
		return "", domain.Session{}, ErrPasskeysOff
	}
	n, err := domain.NewPasskeyName(name)
	if err != nil {
		return "", domain.Session{}, invalidInput(InputPasskeyName, msgPasskeyName)
	}
	if len(response) == 0 || len(response) > maxPasskeyResponse {
		return "", domain.Session{}, invalidInput(InputPasskey, msgPasskeyRefused)
	}
	challenge, err := k.ceremony.RegistrationChallenge(response)
	if err != nil {
		return "", domain.Session{}, invalidInput(InputPasskey, msgPasskeyRefused)
	}
	ch, err := k.consume(ctx, challenge, domain.PasskeyRegister)
	if errors.Is(err, domain.ErrNotFound) || err == nil && ch.UserID != p.User.ID {
		return "", domain.Session{}, invalidInput(InputPasskey, msgPasskeyExpired)
	}
	if err != nil {
		return "", domain.Session{}, err
	}
	a, err := k.subject(ctx, p.User)
	if err != nil {
		return "", domain.Session{}, err
	}
	pk, err := k.ceremony.FinishRegistration(a, ch.State, challenge, response)
	if errors.Is(err, ErrPasskeyNoUserVerification) {
		return "", domain.Session{}, invalidInput(InputPasskey, msgPasskeyNeedsUV)
	}
	if err != nil {
		k.log.InfoContext(ctx, "usecase: passkey registration refused", "user_id", p.User.ID, "err", err)
		return "", domain.Session{}, invalidInput(InputPasskey, msgPasskeyRefused)
	}
	if !pk.UserVerified {
		return "", domain.Session{}, invalidInput(InputPasskey, msgPasskeyNeedsUV)
	}
	now := k.clock.Now().UTC()
	pk.UserID, pk.Name, pk.CreatedAt, pk.LastUsedAt = p.User.ID, n, now, time.Time{}
	added := k.events.event(domain.EventPasskeyAdded, p.User.ID, 0, c, "")
	stored, version, err := k.store.Add(ctx, pk, added)
	if errors.Is(err, domain.ErrPasskeyTaken) {
		return "", domain.Session{}, invalidInput(InputPasskey, msgPasskeyTaken)
	}
	if err != nil {
		return "", domain.Session{}, err
	}
	k.log.InfoContext(ctx, "usecase: passkey added", "user_id", p.User.ID, "passkey_id", stored.ID)
	return k.sessions.Restart(ctx, p, version, c, p.Session.TwoFactorAt)
}

// Rename gives p's passkey id a new name.
func (k *Passkeys) Rename(ctx context.Context, p Principal, id domain.PasskeyID, name string, c Client) error {
	n, err := domain.NewPasskeyName(name)
	if err != nil {
		return invalidInput(InputPasskeyName, msgPasskeyName)
	}
	if err := k.store.Rename(ctx, p.User.ID, id, n); err != nil {
		return fmt.Errorf("rename passkey %d of user %d: %w", id, p.User.ID, err)
	}
	k.events.record(ctx, domain.EventPasskeyRenamed, p.User.ID, 0, c, strconv.FormatInt(int64(id), 10))
	return nil
}

// Remove deletes p's passkey id after checking p's current password: a
// session left open on a shared computer must not remove its owner's
// passkeys. That changes the account's credentials: every other session
// ends, and this one is replaced by a new session, which it returns.
func (k *Passkeys) Remove(ctx context.Context, p Principal, id domain.PasskeyID, password string, c Client) (domain.Token, domain.Session, error) {
	ctx = WithHashingKey(ctx, ClientAllocation(c.IP))
	if err := k.account.reauthenticate(ctx, p, password, InputCurrentPassword, c); err != nil {
		return "", domain.Session{}, err
	}
	removed := k.events.event(domain.EventPasskeyRemoved, p.User.ID, 0, c, strconv.FormatInt(int64(id), 10))
	version, err := k.store.Remove(ctx, p.User.ID, id, removed)
	if err != nil {
		return "", domain.Session{}, fmt.Errorf("remove passkey %d of user %d: %w", id, p.User.ID, err)
	}
	return k.sessions.Restart(ctx, p, version, c, p.Session.TwoFactorAt)
}

// HasPasskeys reports whether user has a passkey, so that a login's
// second step can offer one.
func (k *Passkeys) HasPasskeys(ctx context.Context, user domain.UserID) (bool, error) {
	if !k.Enabled() {
		return false, nil
	}
	list, err := k.store.ListByUser(ctx, user)
	return len(list) > 0, err
}
