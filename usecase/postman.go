package usecase

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/domain"
)

// MailPolicy says how the outbox's messages are delivered.
type MailPolicy struct {
	// Lease is how long a claimed message stays the claimer's; it must
	// exceed SendTimeout, so that no other worker claims a message whose
	// delivery is still under way.
	Lease time.Duration
	// SendTimeout bounds one delivery attempt.
	SendTimeout time.Duration
	// BaseDelay is the wait after the first failed attempt; it doubles
	// per further attempt, up to MaxDelay.
	BaseDelay time.Duration
	MaxDelay  time.Duration
	// MaxAttempts is how many attempts a message gets before it is
	// marked failed even though every failure was temporary.
	MaxAttempts int
	// Batch is how many messages one round claims at most.
	Batch int
}

// DefaultMailPolicy is the policy of the running service: retries over
// about a day and a half (5 s, 10 s, ... then hourly).
func DefaultMailPolicy() MailPolicy {
	return MailPolicy{
		Lease:       2 * time.Minute,
		SendTimeout: 30 * time.Second,
		BaseDelay:   5 * time.Second,
		MaxDelay:    time.Hour,
		MaxAttempts: 45,
		Batch:       10,
	}
}

// Postman delivers the outbox's messages through the Mailer: it claims
// the messages that are due, sends each, and settles it as sent, to be
// retried later (with a backoff) or failed. Several postmen, in one
// process or in several instances, may run at once: the outbox's claim
// gives each message to one of them.
type Postman struct {
	outbox MailOutbox
	mailer Mailer
	clock  Clock
	policy MailPolicy
	log    *slog.Logger
	events recorder
}

// NewPostman returns a Postman that delivers outbox's messages through
// mailer as policy says, and records a refused message in history.
func NewPostman(outbox MailOutbox, mailer Mailer, history EventLog, clock Clock, policy MailPolicy, log *slog.Logger) *Postman {
	return &Postman{
		outbox: outbox, mailer: mailer, clock: clock, policy: policy, log: log,
		events: recorder{history: history, clock: clock, logger: log},
	}
}

// DeliverDue claims the messages due now (at most one batch), tries each
// once, and reports how many it claimed; a full batch means more may be
// due. Failures to deliver are settled, not returned: the error is the
// outbox's own.
func (p *Postman) DeliverDue(ctx context.Context) (int, error) {
	due, err := p.outbox.Claim(ctx, p.clock.Now().UTC(), p.policy.Lease, p.policy.Batch)
	if err != nil {
		return 0, fmt.Errorf("claim mail: %w", err)
	}
	for _, m := range due {
		if ctx.Err() != nil {
			// The lease runs out and another round takes the rest.
			break
		}
		p.deliver(ctx, m)
	}
	return len(due), nil
}

// deliver sends m once and settles it.
func (p *Postman) deliver(ctx context.Context, m domain.QueuedMail) {
	sendCtx, cancel := context.WithTimeout(ctx, p.policy.SendTimeout)
	err := p.mailer.Send(sendCtx, m.Email)
	cancel()
	now := p.clock.Now().UTC()
	switch {
	case err == nil:
		m.Status, m.SentAt, m.LastError = domain.MailSent, now, ""
		p.log.InfoContext(ctx, "mail: delivered", "mail_id", m.ID, "kind", m.Kind, "attempts", m.Attempts)
	case errors.Is(err, domain.ErrMailRejected) || m.Attempts >= p.policy.MaxAttempts:
		m.Status, m.SentAt, m.LastError = domain.MailFailed, now, reason(err)
		p.log.WarnContext(ctx, "mail: failed for good", "mail_id", m.ID, "kind", m.Kind, "attempts", m.Attempts, "user_id", m.UserID, "reason", m.LastError)
		if m.UserID != 0 {
			p.events.record(ctx, domain.EventMailFailed, m.UserID, 0, Client{}, string(m.Kind))
		}
	default:
		m.Status, m.NextAttempt, m.LastError = domain.MailPending, now.Add(p.backoff(m.Attempts)), reason(err)
		p.log.WarnContext(ctx, "mail: delivery failed, will retry", "mail_id", m.ID, "kind", m.Kind, "attempts", m.Attempts, "retry_at", m.NextAttempt, "reason", m.LastError)
	}
	if err := p.outbox.Settle(ctx, m); err != nil {
		p.log.WarnContext(ctx, "mail: settle", "mail_id", m.ID, "status", m.Status, "err", err)
	}
}

// backoff is the wait after the attempts-th failed attempt.
func (p *Postman) backoff(attempts int) time.Duration {
	d := p.policy.BaseDelay
	for i := 1; i < attempts && d < p.policy.MaxDelay; i++ {
		d *= 2
	}
	return min(d, p.policy.MaxDelay)
}

// maxReason bounds the failure reason kept with a message.
const maxReason = 300

// reason is err's text, shortened for the outbox. A Mailer's errors carry
// the server's answer or the network's complaint, never a body.
func reason(err error) string {
	s := err.Error()
	if len(s) > maxReason {
		s = strings.ToValidUTF8(s[:maxReason], "")
	}
	return s
}

// mailKeep is how long a settled message's record stays in the outbox
// (for `gatehouse mail queue`).
const mailKeep = 7 * 24 * time.Hour

// Purge deletes the records of messages settled more than a week ago.
func (p *Postman) Purge(ctx context.Context) (int64, error) {
	n, err := p.outbox.Purge(ctx, p.clock.Now().Add(-mailKeep))
	if err != nil {
		return 0, fmt.Errorf("purge mail: %w", err)
	}
	return n, nil
}
