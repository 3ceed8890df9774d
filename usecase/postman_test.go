package usecase_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/infrastructure/database"
	"github.com/gatehouse/gatehouse/usecase"
)

// fakeMailer answers each Send with the next of its answers (nil when
// they run out) and keeps what it was given.
type fakeMailer struct {
	mu      sync.Mutex
	answers []error
	sent    []domain.Email
}

func (m *fakeMailer) Send(_ context.Context, e domain.Email) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var err error
	if len(m.answers) > 0 {
		err, m.answers = m.answers[0], m.answers[1:]
	}
	if err == nil {
		m.sent = append(m.sent, e)
	}
	return err
}

type postmanRig struct {
	outbox *sqlstore.OutboxStore
	events *sqlstore.EventStore
	mailer *fakeMailer
	clock  *fakeClock
	logs   *bytes.Buffer
	p      *usecase.Postman
}

func newPostmanRig(t *testing.T, answers ...error) postmanRig {
	t.Helper()
	db, err := database.Open("sqlite::memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := sqlstore.Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	r := postmanRig{
		outbox: sqlstore.NewOutboxStore(db),
		events: sqlstore.NewEventStore(db),
		mailer: &fakeMailer{answers: answers},
		clock:  &fakeClock{now: time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)},
		logs:   &bytes.Buffer{},
	}
	policy := usecase.DefaultMailPolicy()
	policy.MaxAttempts = 4
	r.p = usecase.NewPostman(r.outbox, r.mailer, r.events, r.clock, policy, slog.New(slog.NewTextHandler(r.logs, nil)))
	return r
}

const secretBody = "code K7QW-CANARY"

func (r postmanRig) enqueue(t *testing.T, user domain.UserID) {
	t.Helper()
	err := r.outbox.Enqueue(context.Background(), domain.QueuedMail{
		Kind: domain.MailTest, UserID: user, CreatedAt: r.clock.Now(),
		Email: domain.Email{To: "a@example.com", Subject: "s", Text: secretBody, HTML: "<p>" + secretBody + "</p>", MessageID: "x@example.com"},
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (r postmanRig) deliver(t *testing.T) int {
	t.Helper()
	n, err := r.p.DeliverDue(context.Background())
	if err != nil {
		t.Fatalf("DeliverDue() error = %v", err)
	}
	return n
}

func (r postmanRig) status(t *testing.T) domain.QueuedMail {
	t.Helper()
	got, err := r.outbox.List(context.Background(), nil, 10)
	if err != nil || len(got) != 1 {
		t.Fatalf("List() = %+v, %v, want one message", got, err)
	}
	return got[0]
}

func TestPostmanDelivers(t *testing.T) {
	t.Parallel()
	r := newPostmanRig(t)
	r.enqueue(t, 7)
	if n := r.deliver(t); n != 1 || len(r.mailer.sent) != 1 || r.mailer.sent[0].Text != secretBody {
		t.Fatalf("DeliverDue() = %d, sent %d, want the message delivered once", n, len(r.mailer.sent))
	}
	if m := r.status(t); m.Status != domain.MailSent || m.Attempts != 1 {
		t.Errorf("after delivery the message is %s after %d attempts, want sent after 1", m.Status, m.Attempts)
	}
	if n := r.deliver(t); n != 0 || len(r.mailer.sent) != 1 {
		t.Errorf("DeliverDue() again = %d, want nothing: a sent message is not sent twice", n)
	}
}

func TestPostmanRetriesWithBackoff(t *testing.T) {
	t.Parallel()
	down := errors.New("dial tcp 127.0.0.1:25: connection refused")
	r := newPostmanRig(t, down, fmt.Errorf("451 try later"))
	r.enqueue(t, 7)
	r.deliver(t)
	m := r.status(t)
	if m.Status != domain.MailPending || !m.NextAttempt.Equal(r.clock.Now().Add(5*time.Second)) || !strings.Contains(m.LastError, "connection refused") {
		t.Fatalf("after a refused connection the message is %+v, want pending, due in 5 s, with the reason", m)
	}
	r.clock.Advance(4 * time.Second)
	if n := r.deliver(t); n != 0 {
		t.Errorf("DeliverDue() before the backoff ends = %d, want 0", n)
	}
	r.clock.Advance(time.Second)
	r.deliver(t) // 451
	if m := r.status(t); m.Status != domain.MailPending || !m.NextAttempt.Equal(r.clock.Now().Add(10*time.Second)) {
		t.Fatalf("after a 4xx the message is %+v, want pending and due in 10 s (the backoff doubles)", m)
	}
	r.clock.Advance(10 * time.Second)
	r.deliver(t)
	if m := r.status(t); m.Status != domain.MailSent || m.Attempts != 3 || len(r.mailer.sent) != 1 {
		t.Errorf("third attempt left the message %s after %d attempts (%d sent), want sent once after 3", m.Status, m.Attempts, len(r.mailer.sent))
	}
}

func TestPostmanRejectedMarksFailedAndRecords(t *testing.T) {
	t.Parallel()
	r := newPostmanRig(t, fmt.Errorf("550 no such mailbox: %w", domain.ErrMailRejected))
	r.enqueue(t, 7)
	r.deliver(t)
	if m := r.status(t); m.Status != domain.MailFailed || !strings.Contains(m.LastError, "550") {
		t.Errorf("after a 5xx the message is %+v, want failed with the server's answer", m)
	}
	events, err := r.events.ListByUser(context.Background(), 7, []domain.EventKind{domain.EventMailFailed}, 10)
	if err != nil || len(events) != 1 || events[0].Detail != string(domain.MailTest) {
		t.Errorf("events after a 5xx = %+v, %v, want one mail_failed event naming the kind", events, err)
	}
	if n := r.deliver(t); n != 0 {
		t.Errorf("DeliverDue() after failure = %d, want 0: a failed message is not retried", n)
	}
	if logs := r.logs.String(); !strings.Contains(logs, "mail: failed for good") || strings.Contains(logs, "K7QW") {
		t.Errorf("logs = %q, want the failure logged without the body", logs)
	}
}

func TestPostmanGivesUpAfterMaxAttempts(t *testing.T) {
	t.Parallel()
	down := errors.New("connection refused")
	r := newPostmanRig(t, down, down, down, down, down)
	r.enqueue(t, 7)
	for range 4 {
		r.deliver(t)
		r.clock.Advance(time.Hour)
	}
	if m := r.status(t); m.Status != domain.MailFailed || m.Attempts != 4 {
		t.Errorf("after 4 temporary failures the message is %s after %d attempts, want failed after 4 (MaxAttempts)", m.Status, m.Attempts)
	}
	if strings.Contains(r.logs.String(), "K7QW") {
		t.Errorf("logs show a body: %q", r.logs.String())
	}
}

func TestPostmanPurge(t *testing.T) {
	t.Parallel()
	r := newPostmanRig(t)
	r.enqueue(t, 7)
	r.deliver(t)
	r.clock.Advance(6 * 24 * time.Hour)
	if n, err := r.p.Purge(context.Background()); err != nil || n != 0 {
		t.Errorf("Purge() after 6 days = %d, %v, want 0", n, err)
	}
	r.clock.Advance(2 * 24 * time.Hour)
	if n, err := r.p.Purge(context.Background()); err != nil || n != 1 {
		t.Errorf("Purge() after 8 days = %d, %v, want 1", n, err)
	}
}
