package usecase

import (
	"context"
	"time"

	"github.com/gatehouse/gatehouse/domain"
)

// This file holds every driven port of the use cases, grouped by area.
// Each doc comment says what an implementation must guarantee; the
// contract suite in test/contract holds the stores to it. Errors wrap the
// domain sentinels named, so callers test them with errors.Is.

// Accounts. One table, four ports: each is what one kind of use case may
// do to accounts, so signup cannot delete and login cannot demote.

// UserCreator stores new accounts. Create assigns the ID and returns an
// error wrapping domain.ErrUsernameTaken when another account has the same
// canonical username or the same skeleton (domain.Username.Skeleton), so
// that names are unique without regard to case or to letters that look
// alike, even when two signups race.
type UserCreator interface {
	Create(ctx context.Context, u domain.User) (domain.User, error)
}

// CredentialStore finds accounts by name for a login and replaces
// outdated hashes. ByUsername compares canonical names and returns
// domain.ErrNotFound for an unknown one.
type CredentialStore interface {
	ByUsername(ctx context.Context, name domain.Username) (domain.User, error)
	// UpdatePasswordHash replaces the hash old, the one a login verified,
	// by hash, and nothing else (it keeps MustChangePassword and the
	// credential version: the password is the same). It is a
	// compare-and-swap, one atomic step: when the account's hash is no
	// longer old (a newer password was set since) it changes nothing and
	// reports false, so a rehash never overwrites a newer password. It
	// returns domain.ErrNotFound for an unknown account.
	UpdatePasswordHash(ctx context.Context, id domain.UserID, old, hash string) (replaced bool, err error)
}

// AccountStore reads, changes and removes single accounts. The lookups
// return domain.ErrNotFound for an unknown account, ByUsername comparing
// canonical names.
type AccountStore interface {
	ByID(ctx context.Context, id domain.UserID) (domain.User, error)
	ByUsername(ctx context.Context, name domain.Username) (domain.User, error)
	// SetPassword replaces the hash, sets MustChangePassword and moves
	// the credential version on by one, in one atomic step, and returns
	// the new version. It is the only way to set a new password, so every
	// new password ends the sessions started before it (SessionStore).
	SetPassword(ctx context.Context, id domain.UserID, hash string, mustChange bool) (version int64, err error)
	// SetDisplayName replaces the account's display name by name, or
	// clears it when name is the zero DisplayName, and changes nothing
	// else: not the credential version, so no session ends. It returns
	// domain.ErrNotFound for an unknown account.
	SetDisplayName(ctx context.Context, id domain.UserID, name domain.DisplayName) error
	// Delete removes the account and, by cascade, its sessions; the name
	// becomes free. It returns domain.ErrLastAdmin, changing nothing,
	// when the account is the only enabled admin; the check and the
	// delete are one atomic step.
	Delete(ctx context.Context, id domain.UserID) error
}

// UserDirectory lists accounts and changes their standing. The guards on
// the last admin are the store's, each checked and applied atomically, so
// that two admins demoting or disabling each other at once cannot both
// succeed.
type UserDirectory interface {
	List(ctx context.Context, q UserQuery) (UserPage, error)
	// SetDisabled returns domain.ErrLastAdmin, changing nothing, when it
	// would disable the only enabled admin.
	SetDisabled(ctx context.Context, id domain.UserID, disabled bool) error
	// SetRole returns domain.ErrLastAdmin, changing nothing, when it would
	// demote the only enabled admin.
	SetRole(ctx context.Context, id domain.UserID, role domain.Role) error
}

// UserQuery selects a page of accounts.
type UserQuery struct {
	// Search matches canonical usernames containing it, without regard
	// to case; "" matches all.
	Search string
	Offset int
	Limit  int
	// Now decides which sessions count as active.
	Now time.Time
}

// UserSummary is one row of the admin's list.
type UserSummary struct {
	User           domain.User
	LastLoginAt    time.Time // zero when never
	ActiveSessions int
	// PendingEmail is the address waiting for verification, if any;
	// User.Email is the verified one.
	PendingEmail domain.EmailAddress
	// TwoFactor reports whether a second factor is on (not how many
	// recovery codes are left: that is the owner's business).
	TwoFactor bool
	// Passkeys is how many passkeys the account has.
	Passkeys int
	// Providers names the identity providers linked to the account, in
	// order.
	Providers []string
}

// SignInMethods lists how the account signs in: "password" when it has
// one, then each linked identity provider; none is an empty list.
func (s UserSummary) SignInMethods() []string {
	var ways []string
	if s.User.HasPassword() {
		ways = append(ways, "password")
	}
	return append(ways, s.Providers...)
}

// UserPage is one page of accounts, ordered by username, and how many
// match in all.
type UserPage struct {
	Users []UserSummary
	Total int
}

// Passwords.

// PasswordHasher turns passwords into encoded hashes and checks them.
// Verify reports whether password matches encoded and, when it does,
// whether encoded was made with parameters other than the current ones.
// Both may wait for capacity; when none comes in time they return an
// error wrapping domain.ErrUnavailable. Capacity is shared fairly: the
// calls whose ctx carries one hashing key (WithHashingKey) may hold only
// a bounded share of it, running or waiting, and a call beyond its key's
// share is refused at once the same way, so one client cannot take the
// capacity of all the others; calls with no key are bounded only by the
// whole. Saturated reports whether a hash asked for now with ctx would be
// refused at once for want of capacity, its key's share included, so that
// work bound to be refused can be refused before it costs anything else.
type PasswordHasher interface {
	Hash(ctx context.Context, password domain.Password) (string, error)
	Verify(ctx context.Context, password domain.Password, encoded string) (match, needsRehash bool, err error)
	Saturated(ctx context.Context) bool
}

// PasswordBlocklist knows passwords too common to accept (NIST SP 800-63B
// 5.1.1.2: compare against values known to be commonly used).
type PasswordBlocklist interface {
	Contains(password domain.Password) bool
}

// Sessions.

// SessionStore keeps server-side sessions; tokens are stored only as
// hashes, so the store never sees a token that would open a session.
// ByTokenHash returns domain.ErrNotFound for an unknown hash.
type SessionStore interface {
	// Create stores s and returns it with its ID. It stores nothing and
	// returns an error wrapping domain.ErrCredentialsChanged when the
	// account's credential version is no longer s.CredentialVersion,
	// checked atomically with the insert, so that a session is never
	// stored under credentials already replaced. The events, if any, are
	// stored in the same transaction: both or neither. A login's session
	// and the event that records it then cost one durable commit, not
	// two (with SQLite, a commit holds the database's one write lock for
	// an fsync, and logins queue behind it).
	Create(ctx context.Context, s domain.Session, events ...domain.SecurityEvent) (domain.Session, error)
	ByTokenHash(ctx context.Context, h domain.TokenHash) (domain.Session, error)
	// ByTokenHashWithUser returns the session whose token hashes to h and
	// the account it belongs to, read together in one round trip, or
	// domain.ErrNotFound. Expired sessions and disabled accounts come
	// back too: judging them is Resolve's business.
	ByTokenHashWithUser(ctx context.Context, h domain.TokenHash) (domain.Session, domain.User, error)
	// Touch and Delete return domain.ErrNotFound when the session is gone.
	Touch(ctx context.Context, id domain.SessionID, lastSeen, expires time.Time) error
	Delete(ctx context.Context, id domain.SessionID) error
	DeleteExpired(ctx context.Context, now time.Time) (int64, error)
	// ListByUser returns user's sessions still active at now, newest
	// first.
	ListByUser(ctx context.Context, user domain.UserID, now time.Time) ([]domain.Session, error)
	// DeleteByUser deletes every session of user except the one with ID
	// except (zero deletes them all) and reports how many went.
	DeleteByUser(ctx context.Context, user domain.UserID, except domain.SessionID) (int64, error)
}

// TokenSource makes new session tokens from a cryptographic random
// source: every token is new and unguessable.
type TokenSource interface {
	NewToken() (domain.Token, error)
}

// Throttling.

// ThrottleStore keeps throttling state in the database, so it survives
// restarts and holds across instances. Failure counters are keyed by an
// account, the canonical form of the name a login gave whether or not an
// account has it, and a key: a client network from ClientNetwork, or a
// device that logged in before (DeviceProofs). Windowed counts are keyed
// by a kind and a key: a client network from ClientAllocation, or an
// account.
type ThrottleStore interface {
	// Reserve checks every limit of r and, when none refuses, counts r in
	// all of them, as one atomic step: however many reservations run at
	// once, on however many instances, no limit is passed. A refused
	// reservation changes nothing and reports when the latest of the
	// limits it met frees a place (refusedUntil); an accepted one returns
	// the ticket that gives it back.
	Reserve(ctx context.Context, r ThrottleReservation) (t ThrottleTicket, refusedUntil time.Time, err error)
	// Release gives back what the reservation of t counted: it forgets
	// t's failure counter altogether (a success resets the run of
	// failures) and removes the events t added. Releasing twice, or what
	// a purge already removed, is no error.
	Release(ctx context.Context, t ThrottleTicket) error
	// ClearAccount forgets the failure counters of username from every
	// network and device, and its account-wide failures, and reports how
	// many counters went.
	ClearAccount(ctx context.Context, username string) (int64, error)
	// Purge deletes events before eventsBefore and failure counters whose
	// last failure is before failuresBefore, and reports how many rows went.
	Purge(ctx context.Context, eventsBefore, failuresBefore time.Time) (int64, error)
}

// Second factors.

// TOTPStore keeps each account's authenticator-app secret, sealed (the
// store never sees it in clear), one per account, removed with the
// account. Every change that makes or unmakes a second factor moves the
// account's credential version on in the same transaction, so no session
// started before it keeps counting.
type TOTPStore interface {
	// ByUser returns user's secret, enabled or pending, or
	// domain.ErrNotFound.
	ByUser(ctx context.Context, user domain.UserID) (domain.TOTP, error)
	// PutPending stores t as its account's pending enrollment, replacing
	// a pending one, with LastStep 0. It changes nothing and reports
	// false when the account's secret is already enabled.
	PutPending(ctx context.Context, t domain.TOTP) (stored bool, err error)
	// Enable marks user's pending secret enabled at at, with step as its
	// last used step, stores recovery (keyed hashes) as the account's
	// recovery codes in place of any, and moves the credential version
	// on, atomically, returning the new version. It changes nothing and
	// reports false when there is no pending secret (none, or enabled
	// already).
	Enable(ctx context.Context, user domain.UserID, step int64, at time.Time, recovery ...[]byte) (version int64, ok bool, err error)
	// UseStep records step as used by user's enabled secret when it is
	// newer than the last used one, as one conditional UPDATE: of any
	// number of concurrent calls with one step, one reports true. It
	// reports false, changing nothing, for a step not newer (a replay)
	// or when user has no enabled secret.
	UseStep(ctx context.Context, user domain.UserID, step int64) (bool, error)
	// Delete removes user's secret, enabled or pending, and its recovery
	// codes, moves the credential version on and enqueues mails,
	// atomically, returning the new version; it returns
	// domain.ErrNotFound, changing nothing, when there is no secret.
	Delete(ctx context.Context, user domain.UserID, mails ...domain.QueuedMail) (version int64, err error)
}

// RecoveryCodeStore keeps each account's unused recovery codes, only as
// keyed hashes, removed with the account and with its secret
// (TOTPStore.Delete).
type RecoveryCodeStore interface {
	// List returns user's unused codes, none when it has none.
	List(ctx context.Context, user domain.UserID) ([]domain.RecoveryCode, error)
	// Count returns how many unused codes user has.
	Count(ctx context.Context, user domain.UserID) (int, error)
	// Use consumes user's code id as one conditional DELETE whose row
	// count decides: of any number of concurrent calls with one code,
	// one reports true; the others, and a call for a code gone, report
	// false, changing nothing. With the code go the events and mails,
	// in the same transaction: all or nothing.
	Use(ctx context.Context, user domain.UserID, id int64, events []domain.SecurityEvent, mails ...domain.QueuedMail) (bool, error)
	// Replace stores hashes as user's codes in place of all the others,
	// records events and moves the credential version on, atomically,
	// returning the new version. It returns domain.ErrNotFound, changing
	// nothing, when user has no enabled authenticator app.
	Replace(ctx context.Context, user domain.UserID, hashes [][]byte, at time.Time, events ...domain.SecurityEvent) (version int64, err error)
}

// RecoveryCodeSource makes recovery codes: domain.RecoveryCodeLength
// characters of domain.CodeAlphabet, each drawn uniformly from a
// cryptographic random source.
type RecoveryCodeSource interface {
	NewRecoveryCode() (string, error)
}

// LoginChallengeStore keeps logins whose password was right and whose
// second factor is still to come, by the hash of their token only.
type LoginChallengeStore interface {
	// Create stores c; domain.ErrNotFound when its account is gone.
	Create(ctx context.Context, c domain.LoginChallenge) error
	// Get returns the challenge with hash h still open at now (expiring
	// after it), or domain.ErrNotFound.
	Get(ctx context.Context, h domain.TokenHash, now time.Time) (domain.LoginChallenge, error)
	// Consume removes the challenge with hash h when still open at now,
	// as one conditional DELETE: of any number of concurrent calls, one
	// succeeds; the others, and any call for a challenge gone or
	// expired, return domain.ErrNotFound.
	Consume(ctx context.Context, h domain.TokenHash, now time.Time) error
	// DeleteExpired removes the challenges expired at now and reports
	// how many went.
	DeleteExpired(ctx context.Context, now time.Time) (int64, error)
}

// TOTPAlgorithm makes and checks RFC 6238 codes (SHA-1, 6 digits, 30 s
// steps, what authenticator apps understand).
type TOTPAlgorithm interface {
	// NewSecret returns a new 160-bit secret from a cryptographic random
	// source, base32 without padding.
	NewSecret() (secret string, err error)
	// URI returns the otpauth:// URI of secret naming issuer and account,
	// what a QR code gives an authenticator app.
	URI(issuer, account, secret string) (string, error)
	// Match reports the time step, among the one holding at and one
	// either side (clock skew), whose code for secret is code, compared
	// in constant time; ok is false when none is.
	Match(secret, code string, at time.Time) (step int64, ok bool)
	// QRCode renders uri as a PNG image of a QR code.
	QRCode(uri string) ([]byte, error)
}

// SecretSealer seals secrets kept at rest (AES-GCM under a key kept for
// this purpose). Open fails on anything Seal did not return for the same
// context, so a sealed secret copied to another account does not open.
type SecretSealer interface {
	Seal(plain, context []byte) ([]byte, error)
	Open(sealed, context []byte) ([]byte, error)
}

// Passkeys.

// PasskeyStore keeps the accounts' passkeys (WebAuthn credentials) and
// each account's random user handle, removed with the account. Adding or
// removing a passkey moves the account's credential version on in the
// same transaction, with its events, so no session started before it
// keeps counting.
type PasskeyStore interface {
	// UserHandle returns user's handle, storing fresh as it when it has
	// none yet, atomically: of two racing calls both return the one
	// stored. It returns domain.ErrNotFound for an unknown account.
	UserHandle(ctx context.Context, user domain.UserID, fresh []byte) ([]byte, error)
	// UserByHandle returns the account whose handle is handle, or
	// domain.ErrNotFound.
	UserByHandle(ctx context.Context, handle []byte) (domain.UserID, error)
	// ListByUser returns user's passkeys, oldest first.
	ListByUser(ctx context.Context, user domain.UserID) ([]domain.Passkey, error)
	// Add stores p (its ID ignored) and moves the credential version on,
	// with events, atomically, returning the stored passkey and the new
	// version. A credential ID already stored, for any account, is
	// domain.ErrPasskeyTaken, changing nothing.
	Add(ctx context.Context, p domain.Passkey, events ...domain.SecurityEvent) (domain.Passkey, int64, error)
	// Rename names user's passkey id; domain.ErrNotFound when user has
	// no such passkey.
	Rename(ctx context.Context, user domain.UserID, id domain.PasskeyID, name domain.PasskeyName) error
	// Remove deletes user's passkey id and moves the credential version
	// on, with events, atomically, returning the new version;
	// domain.ErrNotFound, changing nothing, when user has no such passkey.
	Remove(ctx context.Context, user domain.UserID, id domain.PasskeyID, events ...domain.SecurityEvent) (int64, error)
	// RemoveAll deletes every passkey of user and reports how many went;
	// when any did, it moves the credential version on in the same
	// transaction.
	RemoveAll(ctx context.Context, user domain.UserID) (int64, error)
	// RecordUse stores a login's signature counter and backup state and
	// the time of use, as one conditional UPDATE that requires the
	// counter to move forward (or to stay zero when the authenticator
	// keeps none): of two answers with one counter value one is
	// recorded. It reports false, changing nothing, when the counter did
	// not move forward or the passkey is gone.
	RecordUse(ctx context.Context, id domain.PasskeyID, signCount uint32, backupState bool, at time.Time) (bool, error)
}

// PasskeyChallengeStore keeps the WebAuthn ceremonies under way, by a
// keyed hash of their challenge only.
type PasskeyChallengeStore interface {
	// Create stores c; domain.ErrNotFound when its account is gone.
	Create(ctx context.Context, c domain.PasskeyChallenge) error
	// Consume removes and returns the challenge with hash h and purpose,
	// when still open at now, as one conditional DELETE: of any number of
	// concurrent calls one gets it; the others, and any call for a
	// challenge unknown, of another purpose, used or expired, return
	// domain.ErrNotFound.
	Consume(ctx context.Context, h domain.TokenHash, purpose domain.PasskeyPurpose, now time.Time) (domain.PasskeyChallenge, error)
	// DeleteExpired removes the challenges expired at now and reports how
	// many went.
	DeleteExpired(ctx context.Context, now time.Time) (int64, error)
}

// PasskeyAccount is an account as a WebAuthn ceremony sees it.
type PasskeyAccount struct {
	// Handle is the account's random user handle, never its ID.
	Handle      []byte
	Name        string
	DisplayName string
	Passkeys    []domain.Passkey
}

// PasskeyOptions is the start of a ceremony: the options for the client
// (the WebAuthn JSON of PublicKeyCredentialCreationOptions or
// PublicKeyCredentialRequestOptions, under "publicKey"), the challenge
// in them, and the state the finish needs, which holds no challenge.
type PasskeyOptions struct {
	JSON      []byte
	Challenge string
	State     []byte
}

// PasskeyAssertion is what an answer to a login says before it is
// checked: the challenge it signs, the credential and the user handle.
type PasskeyAssertion struct {
	Challenge    string
	CredentialID []byte
	UserHandle   []byte
}

// PasskeyUse is a verified login answer.
type PasskeyUse struct {
	CredentialID []byte
	SignCount    uint32
	UserVerified bool
	BackupState  bool
	// CloneWarning is true when the signature counter did not move
	// forward.
	CloneWarning bool
}

// PasskeyCeremony runs the WebAuthn ceremonies of one relying party (the
// RP ID and origins configured), requiring a resident key at
// registration and user verification throughout; it keeps the WebAuthn
// library's types inside. Answers are WebAuthn JSON
// (PublicKeyCredential as the browser's toJSON gives it). Bad answers
// are errors wrapping ErrPasskeyRefused, and an answer whose
// authenticator did not verify the user wraps ErrPasskeyNoUserVerification.
type PasskeyCeremony interface {
	// BeginRegistration starts adding a passkey to a, excluding the
	// passkeys a has.
	BeginRegistration(a PasskeyAccount) (PasskeyOptions, error)
	// RegistrationChallenge reads the challenge an attestation answers.
	RegistrationChallenge(response []byte) (string, error)
	// FinishRegistration checks response against state and challenge
	// and returns the new passkey (without name, owner or times).
	FinishRegistration(a PasskeyAccount, state []byte, challenge string, response []byte) (domain.Passkey, error)
	// BeginLogin starts a login: for a's passkeys, or for any
	// discoverable credential when a is nil.
	BeginLogin(a *PasskeyAccount) (PasskeyOptions, error)
	// ReadAssertion reads what a login answer names, unchecked.
	ReadAssertion(response []byte) (PasskeyAssertion, error)
	// FinishLogin checks response, signed by one of a's passkeys,
	// against state and challenge.
	FinishLogin(a PasskeyAccount, state []byte, challenge string, response []byte) (PasskeyUse, error)
}

// History.

// EventLog keeps the security history of accounts. It keeps the events
// of a deleted account, so the history outlives what it describes. An
// event about no account (UserID zero: a failed login naming none) is
// stored like any other and is in no account's list.
type EventLog interface {
	// Record stores e (its ID is ignored).
	Record(ctx context.Context, e domain.SecurityEvent) error
	// ListByUser returns the newest events about user, newest first, at
	// most limit, only of the given kinds when kinds is not empty.
	ListByUser(ctx context.Context, user domain.UserID, kinds []domain.EventKind, limit int) ([]domain.SecurityEvent, error)
}

// Mail.

// Mailer hands one rendered message to the mail system. Send returns nil
// once the system accepted the message; an error wrapping
// domain.ErrMailRejected when it refused the message for good (an SMTP 5xx
// answer), so that sending it again is pointless; and any other error for
// a failure a later attempt may overcome (the server down, unreachable,
// too slow, or answering 4xx). It gives up when ctx ends. It never logs a
// message's body.
type Mailer interface {
	Send(ctx context.Context, m domain.Email) error
}

// MailComposer renders the message of a kind to one recipient from
// embedded templates, as plain text with an HTML alternative. Every link
// in it starts with the service's public URL, never with anything a
// request said, and every message gets a new, unique Message-ID. It
// returns an error for a kind it has no template for.
type MailComposer interface {
	Compose(kind domain.MailKind, to string, data MailData) (domain.Email, error)
}

// MailData is what a message's template may show: the account's name, a
// one-time code (and the link that carries it), an address.
type MailData struct {
	Username string
	Code     string
	Address  string
	// CodesLeft is how many recovery codes the account has left.
	CodesLeft int
}

// MailOutbox keeps messages in the database until a worker delivers them,
// so that a message outlives a crash or a mail server that is down, and
// no request waits for the mail server. The stores that change accounts
// enqueue their messages in the same transaction as the change that
// causes them: both or neither.
type MailOutbox interface {
	// Enqueue stores m as pending, due at once (its ID, Status, Attempts,
	// Claim and SentAt are ignored).
	Enqueue(ctx context.Context, m domain.QueuedMail) error
	// Claim leases at most n pending messages due at now (oldest first)
	// to the caller until now+lease, counts an attempt on each, and
	// returns them with a Claim of their own. A message leased to one
	// caller is given to no other, in this process or another instance,
	// until its lease ends: the claim is one atomic step.
	Claim(ctx context.Context, now time.Time, lease time.Duration, n int) ([]domain.QueuedMail, error)
	// Settle records the outcome of the claimed message m: Status sent
	// or failed (with SentAt, and LastError for failed) ends it, and a
	// sent message's bodies are erased; pending puts it back, due at
	// m.NextAttempt, with m.LastError. It changes nothing and returns
	// domain.ErrNotFound when m's claim is no longer the message's (its
	// lease ran out and another worker claimed it).
	Settle(ctx context.Context, m domain.QueuedMail) error
	// List returns the messages in statuses (all when empty), newest
	// first, at most limit, without their bodies.
	List(ctx context.Context, statuses []domain.MailStatus, limit int) ([]domain.QueuedMail, error)
	// Purge deletes the messages sent or failed before before, and
	// reports how many went.
	Purge(ctx context.Context, before time.Time) (int64, error)
}

// Addresses and one-time codes.

// CodeSource makes one-time codes: domain.CodeLength characters of
// domain.CodeAlphabet, each drawn uniformly from a cryptographic random
// source.
type CodeSource interface {
	NewCode() (string, error)
}

// EmailStore keeps the accounts' verified addresses, unique without
// regard to case, and each account's one active one-time code per
// purpose, stored only as a keyed hash. The lookups return
// domain.ErrNotFound when there is nothing to find. The methods that
// change something enqueue their mails (MailOutbox) and record their
// events in the same transaction: all or nothing.
type EmailStore interface {
	// OwnerOf returns the account whose verified address is a.
	OwnerOf(ctx context.Context, a domain.EmailAddress) (domain.User, error)
	// PutCode stores c (its ID and Tries ignored) as its account's one
	// code of its purpose, replacing any other.
	PutCode(ctx context.Context, c domain.PendingCode, mails ...domain.QueuedMail) error
	// ActiveCode returns user's code of purpose, unused and unexpired at
	// now.
	ActiveCode(ctx context.Context, user domain.UserID, purpose domain.CodePurpose, now time.Time) (domain.PendingCode, error)
	// TryCode counts one try against user's active code of purpose and
	// returns it, in one atomic step that requires fewer than maxTries
	// tries so far: however many tries race, at most maxTries are
	// counted, and a code with none left is not found.
	TryCode(ctx context.Context, user domain.UserID, purpose domain.CodePurpose, now time.Time, maxTries int) (domain.PendingCode, error)
	// ConfirmEmail consumes the verification code with id (in one atomic
	// step that requires it unused, so of two confirmations of one code
	// only one succeeds; the other gets domain.ErrNotFound) and makes
	// its address user's verified one, replacing any other. It returns
	// domain.ErrEmailTaken, changing nothing, when another account has
	// that address.
	ConfirmEmail(ctx context.Context, id int64, user domain.UserID, now time.Time, events []domain.SecurityEvent, mails ...domain.QueuedMail) (domain.EmailAddress, error)
	// SetEmail makes a user's verified address at once (the operator's
	// word for it) and drops its pending verification; it returns
	// domain.ErrEmailTaken, changing nothing, when another account has
	// that address.
	SetEmail(ctx context.Context, user domain.UserID, a domain.EmailAddress, events []domain.SecurityEvent) error
	// RemoveEmail clears user's verified address and its pending
	// verification.
	RemoveEmail(ctx context.Context, user domain.UserID, events []domain.SecurityEvent, mails ...domain.QueuedMail) error
	// PurgeCodes deletes the codes that expired, or were used, before
	// before, and reports how many went.
	PurgeCodes(ctx context.Context, before time.Time) (int64, error)
	// ResetPassword consumes user's recovery code with id and sets the
	// account's password, in one transaction: the code is consumed by
	// one atomic step that requires it unused and unexpired at now (of
	// two resets with one code only one succeeds; the other, and a code
	// gone, used or expired, get domain.ErrNotFound and change nothing);
	// the password hash becomes hash, MustChangePassword false and the
	// credential version moves on by one (returned); every session of
	// the account is deleted and its other recovery codes too; the
	// events are recorded and the mails enqueued. Nothing else changes:
	// the account's second factor stays.
	ResetPassword(ctx context.Context, id int64, user domain.UserID, hash string, now time.Time, events []domain.SecurityEvent, mails ...domain.QueuedMail) (version int64, err error)
}

// Time.

// Clock tells the current time; tests supply a fixed or stepping one.
type Clock interface {
	Now() time.Time
}

// Identity providers.

// IdentityProvider is one configured provider that people sign in with
// (an OpenID Connect issuer, GitHub). It keeps the protocol's types and
// tokens inside: nothing it returns is a provider token, and it stores
// none. Its errors wrap domain.ErrProviderRejected when the provider or
// its answer failed a check, and domain.ErrProviderUnavailable when it
// could not be reached or is not ready.
type IdentityProvider interface {
	// Name is the provider's name in configuration and URLs (lower case).
	Name() string
	// Label is the provider's name as the login page shows it.
	Label() string
	// Ready reports whether the provider can be used now: an OpenID
	// Connect provider whose discovery failed is not, until a retry
	// reads it.
	Ready() bool
	// AuthURL returns the address of the provider's login page for one
	// login: it carries state, nonce (where the protocol has one) and
	// the S256 PKCE challenge of verifier.
	AuthURL(state, nonce, verifier string) (string, error)
	// Exchange redeems code with verifier and returns who signed in. For
	// an OpenID Connect provider it verifies the ID token's signature,
	// issuer, audience, expiry and nonce before it believes any claim.
	Exchange(ctx context.Context, code, verifier, nonce string) (domain.ExternalIdentity, error)
	// VerifyIDToken checks an ID token that a native app obtained from
	// the provider itself: signature, issuer, expiry, nonce, and an
	// audience that is the configured client id or one of the configured
	// audiences. A provider without ID tokens (GitHub) refuses every one.
	VerifyIDToken(ctx context.Context, rawIDToken, nonce string) (domain.ExternalIdentity, error)
}

// IdentityStore keeps the identities linked to accounts, unique by
// (provider, subject), at most one per provider and account, removed
// with their account. The methods that change something store their
// events in the same transaction: all or nothing.
type IdentityStore interface {
	// BySubject returns the identity of provider with subject, or
	// domain.ErrNotFound.
	BySubject(ctx context.Context, provider, subject string) (domain.Identity, error)
	// ListByUser returns user's identities ordered by provider.
	ListByUser(ctx context.Context, user domain.UserID) ([]domain.Identity, error)
	// Link stores id. It returns domain.ErrIdentityTaken, changing
	// nothing, when the identity is linked to any account or id's
	// account has one of the provider already, and domain.ErrNotFound
	// when the account is gone.
	Link(ctx context.Context, id domain.Identity, events ...domain.SecurityEvent) error
	// CreateAccount creates u (as UserCreator.Create does, with
	// u.Email as its verified address when set) and links id to it, in
	// one transaction; the events get the new account's id. It returns
	// domain.ErrUsernameTaken, domain.ErrEmailTaken or
	// domain.ErrIdentityTaken, storing nothing.
	CreateAccount(ctx context.Context, u domain.User, id domain.Identity, events ...domain.SecurityEvent) (domain.User, error)
	// Unlink removes user's identity of provider, as one conditional
	// DELETE that requires the account to keep another way to sign in
	// (a password or another identity), so that two unlinks racing
	// cannot leave it with none. It returns domain.ErrLastSignInMethod,
	// changing nothing, when it would, and domain.ErrNotFound when there
	// is no such identity.
	Unlink(ctx context.Context, user domain.UserID, provider string, events ...domain.SecurityEvent) error
}

// SocialFlowStore keeps the provider logins under way: the states of the
// logins sent to a provider, and the identities that came back linked to
// no account. Both are kept by the hash of their token only, single use,
// and expire.
type SocialFlowStore interface {
	// CreateState stores s.
	CreateState(ctx context.Context, s domain.SocialState) error
	// ConsumeState removes and returns the state with hash h still open
	// at now, as one conditional DELETE: of any number of concurrent
	// calls one gets it; the others, and a call for a state unknown,
	// used or expired, get domain.ErrNotFound.
	ConsumeState(ctx context.Context, h domain.TokenHash, now time.Time) (domain.SocialState, error)
	// CreatePending stores p.
	CreatePending(ctx context.Context, p domain.PendingIdentity) error
	// Pending returns the pending identity with hash h still open at
	// now, or domain.ErrNotFound.
	Pending(ctx context.Context, h domain.TokenHash, now time.Time) (domain.PendingIdentity, error)
	// ConsumePending removes the pending identity with hash h, as one
	// conditional DELETE; domain.ErrNotFound when it is gone.
	ConsumePending(ctx context.Context, h domain.TokenHash) error
	// DeleteExpired removes the states and pending identities expired at
	// now and reports how many went.
	DeleteExpired(ctx context.Context, now time.Time) (int64, error)
}
