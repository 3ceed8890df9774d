package domain

import "time"

// EventKind names a security event.
type EventKind string

// The security events recorded for every account.
const (
	EventSignup       EventKind = "signup"
	EventLoginSuccess EventKind = "login_success"
	EventLoginFailure EventKind = "login_failure"
	// EventReauthFailure is a wrong current password given by a
	// signed-in session to change the password or delete the account.
	EventReauthFailure   EventKind = "reauth_failure"
	EventLogout          EventKind = "logout"
	EventPasswordChange  EventKind = "password_change"
	EventSessionRevoked  EventKind = "session_revoked"
	EventAccountDeleted  EventKind = "account_deleted"
	EventAdminDisable    EventKind = "admin_disable"
	EventAdminEnable     EventKind = "admin_enable"
	EventAdminClearLimit EventKind = "admin_clear_throttle"
	EventAdminRevokeAll  EventKind = "admin_revoke_sessions"
	EventAdminRole       EventKind = "admin_role"
	EventAdminPassword   EventKind = "admin_password"
	EventAdminCreate     EventKind = "admin_create"
	EventAdminDelete     EventKind = "admin_delete"
	EventImport          EventKind = "import"
	// EventMailFailed is a message about the account that the mail
	// server refused for good; Detail names the message's kind.
	EventMailFailed EventKind = "mail_failed"
	// EventEmailVerified is a new address verified (Detail empty);
	// EventEmailRemoved the address removed; EventEmailCodeFailure a
	// wrong verification code.
	EventEmailVerified    EventKind = "email_verified"
	EventEmailRemoved     EventKind = "email_removed"
	EventEmailCodeFailure EventKind = "email_code_failure"
	// EventTOTPEnabled and EventTOTPDisabled record the owner turning
	// the authenticator app on and off.
	EventTOTPEnabled  EventKind = "totp_enabled"
	EventTOTPDisabled EventKind = "totp_disabled"
	// EventTOTPFailure is a one-time code refused; Detail says why
	// (FailureBadCode, FailureReplayedCode, FailureThrottled).
	EventTOTPFailure EventKind = "totp_failure"
	// EventAdmin2FAReset is an admin or the operator removing the
	// account's second factors.
	EventAdmin2FAReset EventKind = "admin_2fa_reset"
	// EventRecoveryCodeUsed is a recovery code consumed to log in or to
	// confirm a change; EventRecoveryCodesNew a new set replacing the
	// old one.
	EventRecoveryCodeUsed EventKind = "recovery_code_used"
	EventRecoveryCodesNew EventKind = "recovery_codes_new"
)

// Reasons a login failed, kept in SecurityEvent.Detail.
const (
	FailureBadPassword = "bad_password"
	FailureThrottled   = "throttled"
	FailureDisabled    = "disabled"
	// FailureCredentialsChanged is a login whose password was right when
	// checked but changed before its session was stored.
	FailureCredentialsChanged = "credentials_changed"
	// FailureBadCode is a one-time code that matches no time step.
	FailureBadCode = "bad_code"
	// FailureReplayedCode is a one-time code of a time step already
	// used: someone may have seen it.
	FailureReplayedCode = "replayed_code"
	// FailureBadRecoveryCode is a recovery code that is none of the
	// account's unused ones.
	FailureBadRecoveryCode = "bad_recovery_code"
)

// SecurityEvent is one entry of an account's security history. It never
// holds a password or a token. A failed login for a name that matches no
// account is recorded about no account (UserID zero) and without the name
// (the typed name might be a password typed into the wrong field): it
// costs the same write as a failure for an account, and belongs to no
// account, not even one created later with that name.
type SecurityEvent struct {
	ID   int64
	Kind EventKind
	// UserID is the account the event is about; zero for a failed login
	// naming no account.
	UserID UserID
	// ActorID is the admin or operator who acted on UserID, when that is
	// not the user; zero otherwise (and for the command line).
	ActorID   UserID
	IP        string
	UserAgent string
	// Detail qualifies Kind: a failure reason, a new role, a session id.
	Detail string
	At     time.Time
}

// EventDisplayNameChange is the owner setting or clearing the account's
// display name; Detail says which, never the name.
const EventDisplayNameChange EventKind = "display_name_change"

// EventPasswordReset is the password set with a recovery code mailed to
// the account's verified address; EventRecoveryCodeFailure a wrong
// recovery code given for the account's address.
const (
	EventPasswordReset       EventKind = "password_reset"
	EventRecoveryCodeFailure EventKind = "recovery_code_failure"
)
