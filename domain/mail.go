package domain

import (
	"errors"
	"time"
)

// ErrMailRejected reports that a mail server refused a message for good
// (an SMTP 5xx answer): sending it again would be refused again.
var ErrMailRejected = errors.New("domain: mail rejected")

// MailKind names what a message is for: which template renders it and
// what the history records when it cannot be delivered.
type MailKind string

// The kinds of message gatehouse sends.
const (
	// MailTest is the operator's test message (gatehouse mail test).
	MailTest MailKind = "test"
	// MailVerifyEmail carries the code that verifies an address.
	MailVerifyEmail MailKind = "verify_email"
	// MailEmailChangeNotice tells the account's current address that
	// another address was asked for.
	MailEmailChangeNotice MailKind = "email_change_notice"
	// MailEmailTakenNotice tells an address's owner that another account
	// asked for it.
	MailEmailTakenNotice MailKind = "email_taken_notice"
	// MailEmailRemovedNotice tells an address it was removed.
	MailEmailRemovedNotice MailKind = "email_removed_notice"
	// MailRecoveryCode carries the code that resets a forgotten
	// password, to the account's verified address.
	MailRecoveryCode MailKind = "recovery_code"
	// MailRecoveryUnknown answers a recovery asked for an address that
	// no account has verified: it carries no code.
	MailRecoveryUnknown MailKind = "recovery_unknown"
	// MailPasswordResetNotice tells the account's address that its
	// password was reset with a recovery code.
	MailPasswordResetNotice MailKind = "password_reset_notice"
	// MailTwoFactorDisabled tells the account's address that two-factor
	// authentication was turned off.
	MailTwoFactorDisabled MailKind = "two_factor_disabled"
	// MailRecoveryCodeUsed tells the account's address that a recovery
	// code was used, and how many are left.
	MailRecoveryCodeUsed MailKind = "recovery_code_used"
)

// Email is one rendered message to one recipient: a plain text body and an
// HTML alternative of the same content. MessageID is the Message-ID
// header's value without its angle brackets, unique per message.
type Email struct {
	To        string
	Subject   string
	Text      string
	HTML      string
	MessageID string
}

// MailStatus is where a message of the outbox stands.
type MailStatus string

// The states of a queued message: pending until delivered (sent) or
// refused for good (failed).
const (
	MailPending MailStatus = "pending"
	MailSent    MailStatus = "sent"
	MailFailed  MailStatus = "failed"
)

// QueuedMail is a message in the outbox and its delivery so far.
type QueuedMail struct {
	ID    int64
	Kind  MailKind
	Email Email
	// UserID is the account the message is about, zero for none.
	UserID UserID
	Status MailStatus
	// Attempts counts the deliveries tried, this one included once
	// claimed.
	Attempts int
	// NextAttempt is when the message is due next.
	NextAttempt time.Time
	// LastError is the last failure's reason (a server's answer or a
	// network error), never a body.
	LastError string
	CreatedAt time.Time
	// SentAt is when it was delivered or marked failed; zero while
	// pending.
	SentAt time.Time
	// Claim identifies the worker's lease on a claimed message; settling
	// the message needs it.
	Claim string
}
