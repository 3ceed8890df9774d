package sqlstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

var _ usecase.MailOutbox = (*OutboxStore)(nil)

// outboxRow is a row of the mail_outbox table.
type outboxRow struct {
	bun.BaseModel `bun:"table:mail_outbox,alias:mo"`

	ID            int64  `bun:"id,pk,autoincrement"`
	Kind          string `bun:"kind,notnull"`
	UserID        int64  `bun:"user_id,notnull"`
	Recipient     string `bun:"recipient,notnull"`
	Subject       string `bun:"subject,notnull"`
	BodyText      string `bun:"body_text,notnull"`
	BodyHTML      string `bun:"body_html,notnull"`
	MessageID     string `bun:"message_id,notnull"`
	Status        string `bun:"status,notnull"`
	Attempts      int    `bun:"attempts,notnull"`
	NextAttemptAt int64  `bun:"next_attempt_at,notnull"`
	ClaimedUntil  int64  `bun:"claimed_until,notnull"`
	Claim         string `bun:"claim,notnull"`
	LastError     string `bun:"last_error,notnull"`
	CreatedAt     int64  `bun:"created_at,notnull"`
	SentAt        int64  `bun:"sent_at,notnull"`
}

func (r outboxRow) mail() domain.QueuedMail {
	m := domain.QueuedMail{
		ID:   r.ID,
		Kind: domain.MailKind(r.Kind),
		Email: domain.Email{
			To: r.Recipient, Subject: r.Subject, Text: r.BodyText, HTML: r.BodyHTML, MessageID: r.MessageID,
		},
		UserID:      domain.UserID(r.UserID),
		Status:      domain.MailStatus(r.Status),
		Attempts:    r.Attempts,
		NextAttempt: fromMillis(r.NextAttemptAt),
		LastError:   r.LastError,
		CreatedAt:   fromMillis(r.CreatedAt),
		Claim:       r.Claim,
	}
	if r.SentAt != 0 {
		m.SentAt = fromMillis(r.SentAt)
	}
	return m
}

// OutboxStore keeps the messages waiting for delivery in the mail_outbox
// table. Other stores enqueue theirs with enqueueMail, inside the
// transaction of the change that causes them.
type OutboxStore struct {
	db *bun.DB
}

// NewOutboxStore returns an OutboxStore on db, which must be migrated.
func NewOutboxStore(db *bun.DB) *OutboxStore {
	return &OutboxStore{db: db}
}

// Enqueue stores m as a pending message due at its CreatedAt.
func (s *OutboxStore) Enqueue(ctx context.Context, m domain.QueuedMail) error {
	if err := enqueueMail(ctx, s.db, m); err != nil {
		return fmt.Errorf("sqlstore: enqueue %s mail: %w", m.Kind, translate(err))
	}
	return nil
}

// enqueueMail inserts m as pending, due at m.CreatedAt, on db (the
// database or a transaction); its error is the driver's.
func enqueueMail(ctx context.Context, db bun.IDB, m domain.QueuedMail) error {
	row := outboxRow{
		Kind:          string(m.Kind),
		UserID:        int64(m.UserID),
		Recipient:     m.Email.To,
		Subject:       m.Email.Subject,
		BodyText:      m.Email.Text,
		BodyHTML:      m.Email.HTML,
		MessageID:     m.Email.MessageID,
		Status:        string(domain.MailPending),
		NextAttemptAt: toMillis(m.CreatedAt),
		CreatedAt:     toMillis(m.CreatedAt),
	}
	_, err := db.NewInsert().Model(&row).ExcludeColumn("id").Returning("NULL").Exec(ctx)
	return err
}

// outboxColumns are the columns Claim returns.
const outboxColumns = "id, kind, user_id, recipient, subject, body_text, body_html, message_id," +
	" status, attempts, next_attempt_at, claimed_until, claim, last_error, created_at, sent_at"

// Claim leases at most n due messages in one UPDATE: the rows it picks
// are those pending, due and not leased at now, and the same conditions
// hold again in the UPDATE's own WHERE, so a row another claimer leased in
// between is left alone. On PostgreSQL the rows are picked FOR UPDATE
// SKIP LOCKED, so concurrent claimers take different rows instead of
// waiting for each other; SQLite runs one writing statement at a time.
func (s *OutboxStore) Claim(ctx context.Context, now time.Time, lease time.Duration, n int) ([]domain.QueuedMail, error) {
	if n <= 0 {
		return nil, nil
	}
	claim, err := newClaim()
	if err != nil {
		return nil, err
	}
	lock := ""
	if s.db.Dialect().Name() == dialect.PG {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	at, until := toMillis(now), toMillis(now.Add(lease))
	query := "UPDATE mail_outbox SET claimed_until = ?, claim = ?, attempts = attempts + 1" +
		" WHERE id IN (SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= ? AND claimed_until <= ?" +
		" ORDER BY next_attempt_at, id LIMIT ?" + lock + ")" +
		" AND status = 'pending' AND claimed_until <= ?" +
		" RETURNING " + outboxColumns
	var rows []outboxRow
	if err := s.db.NewRaw(query, until, claim, at, at, n, at).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("sqlstore: claim mail: %w", translate(err))
	}
	mails := make([]domain.QueuedMail, len(rows))
	for i, r := range rows {
		mails[i] = r.mail()
	}
	return mails, nil
}

// newClaim returns a random claim token.
func newClaim() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("sqlstore: claim token: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// Settle records m's outcome, if m's claim is still the row's.
func (s *OutboxStore) Settle(ctx context.Context, m domain.QueuedMail) error {
	q := s.db.NewUpdate().Model((*outboxRow)(nil)).
		Set("claimed_until = 0").Set("claim = ''").
		Set("last_error = ?", m.LastError).
		Where("id = ?", m.ID).Where("claim = ?", m.Claim).Where("claim <> ''").
		Where("status = ?", string(domain.MailPending))
	switch m.Status {
	case domain.MailSent, domain.MailFailed:
		// The bodies are erased: they may hold a one-time code, which
		// has no business in the database once its message is settled.
		q = q.Set("status = ?", string(m.Status)).Set("sent_at = ?", toMillis(m.SentAt)).
			Set("body_text = ''").Set("body_html = ''")
	case domain.MailPending:
		q = q.Set("next_attempt_at = ?", toMillis(m.NextAttempt))
	default:
		return fmt.Errorf("sqlstore: settle mail %d: unknown status %q", m.ID, m.Status)
	}
	if err := affectedOne(q.Exec(ctx)); err != nil {
		return fmt.Errorf("sqlstore: settle mail %d (a lost claim is not found): %w", m.ID, err)
	}
	return nil
}

// List returns the messages in statuses, newest first, without bodies.
func (s *OutboxStore) List(ctx context.Context, statuses []domain.MailStatus, limit int) ([]domain.QueuedMail, error) {
	if limit <= 0 {
		return nil, nil
	}
	var rows []outboxRow
	q := s.db.NewSelect().Model(&rows).ExcludeColumn("body_text", "body_html").
		OrderExpr("id DESC").Limit(int64(limit))
	if len(statuses) > 0 {
		q = q.Where("status IN (?)", bun.List(statuses))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: list mail: %w", translate(err))
	}
	mails := make([]domain.QueuedMail, len(rows))
	for i, r := range rows {
		mails[i] = r.mail()
	}
	return mails, nil
}

// Purge deletes the settled messages settled before before.
func (s *OutboxStore) Purge(ctx context.Context, before time.Time) (int64, error) {
	n, err := affected(s.db.NewDelete().Model((*outboxRow)(nil)).
		Where("status <> ?", string(domain.MailPending)).
		Where("sent_at < ?", toMillis(before)).Exec(ctx))
	if err != nil {
		return 0, fmt.Errorf("sqlstore: purge mail: %w", translate(err))
	}
	return n, nil
}
