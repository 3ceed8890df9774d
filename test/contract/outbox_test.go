package contract

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/domain"
)

const lease = 2 * time.Minute

func queued(i int, at time.Time) domain.QueuedMail {
	return domain.QueuedMail{
		Kind:   domain.MailTest,
		UserID: domain.UserID(i),
		Email: domain.Email{
			To:        fmt.Sprintf("user%d@example.com", i),
			Subject:   fmt.Sprintf("subject %d", i),
			Text:      fmt.Sprintf("text %d", i),
			HTML:      fmt.Sprintf("<p>html %d</p>", i),
			MessageID: fmt.Sprintf("id%d@example.com", i),
		},
		CreatedAt: at,
	}
}

func enqueue(t *testing.T, outbox *sqlstore.OutboxStore, m domain.QueuedMail) {
	t.Helper()
	if err := outbox.Enqueue(context.Background(), m); err != nil {
		t.Fatalf("Enqueue(%s) error = %v", m.Email.To, err)
	}
}

func claim(t *testing.T, outbox *sqlstore.OutboxStore, now time.Time, n int) []domain.QueuedMail {
	t.Helper()
	got, err := outbox.Claim(context.Background(), now, lease, n)
	if err != nil {
		t.Fatalf("Claim(%v) error = %v", now, err)
	}
	return got
}

func TestOutboxClaimAndSettle(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		outbox := sqlstore.NewOutboxStore(b.newDB(t))
		enqueue(t, outbox, queued(1, t0))
		enqueue(t, outbox, queued(2, t0.Add(time.Second)))
		if got := claim(t, outbox, t0.Add(-time.Second), 10); len(got) != 0 {
			t.Errorf("Claim before the messages are due = %d messages, want 0", len(got))
		}
		got := claim(t, outbox, t0.Add(time.Second), 10)
		if len(got) != 2 {
			t.Fatalf("Claim = %d messages, want both due", len(got))
		}
		first := got[0]
		want := queued(1, t0)
		if first.Email != want.Email || first.Kind != want.Kind || first.UserID != want.UserID ||
			first.Attempts != 1 || first.Status != domain.MailPending || first.Claim == "" || !first.CreatedAt.Equal(ms(t0)) {
			t.Errorf("Claim()[0] = %+v, want the first message with one attempt and a claim", first)
		}
		if again := claim(t, outbox, t0.Add(time.Minute), 10); len(again) != 0 {
			t.Errorf("Claim during the lease = %d messages, want 0: a claimed message is no other worker's", len(again))
		}

		sent := first
		sent.Status, sent.SentAt = domain.MailSent, t0.Add(2*time.Second)
		if err := outbox.Settle(ctx, sent); err != nil {
			t.Fatalf("Settle(sent) error = %v", err)
		}
		if err := outbox.Settle(ctx, sent); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Settle(sent) twice error = %v, want ErrNotFound", err)
		}
		retry := got[1]
		retry.Status, retry.NextAttempt, retry.LastError = domain.MailPending, t0.Add(time.Hour), "451 try later"
		forged := retry
		forged.Claim = "not-the-claim"
		if err := outbox.Settle(ctx, forged); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Settle with another claim error = %v, want ErrNotFound", err)
		}
		if err := outbox.Settle(ctx, retry); err != nil {
			t.Fatalf("Settle(retry) error = %v", err)
		}
		if got := claim(t, outbox, t0.Add(30*time.Minute), 10); len(got) != 0 {
			t.Errorf("Claim before the retry is due = %d messages, want 0", len(got))
		}
		got = claim(t, outbox, t0.Add(time.Hour), 10)
		if len(got) != 1 || got[0].ID != retry.ID || got[0].Attempts != 2 || got[0].LastError != "451 try later" {
			t.Fatalf("Claim when the retry is due = %+v, want message %d at its second attempt", got, retry.ID)
		}

		list, err := outbox.List(ctx, nil, 10)
		if err != nil || len(list) != 2 {
			t.Fatalf("List() = %+v, %v, want 2 messages", list, err)
		}
		for _, m := range list {
			if m.Email.Text != "" || m.Email.HTML != "" {
				t.Errorf("List() message %d has bodies %q, %q, want none: the queue listing never shows a body", m.ID, m.Email.Text, m.Email.HTML)
			}
		}
		if list[1].ID != first.ID || list[1].Status != domain.MailSent || !list[1].SentAt.Equal(ms(sent.SentAt)) || list[1].Email.To != first.Email.To {
			t.Errorf("List()[1] = %+v, want message %d sent at %v", list[1], first.ID, sent.SentAt)
		}
		pending, err := outbox.List(ctx, []domain.MailStatus{domain.MailPending}, 10)
		if err != nil || len(pending) != 1 || pending[0].ID != retry.ID {
			t.Errorf("List(pending) = %+v, %v, want message %d only", pending, err, retry.ID)
		}
	})
}

func TestOutboxSettleErasesBodies(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		outbox := sqlstore.NewOutboxStore(db)
		enqueue(t, outbox, queued(1, t0))
		enqueue(t, outbox, queued(2, t0))
		got := claim(t, outbox, t0, 10)
		got[0].Status, got[0].SentAt = domain.MailSent, t0
		got[1].Status, got[1].SentAt, got[1].LastError = domain.MailFailed, t0, "550 no such user"
		for _, m := range got {
			if err := outbox.Settle(ctx, m); err != nil {
				t.Fatalf("Settle(%s) error = %v", m.Status, err)
			}
		}
		var bodies int
		if err := db.NewRaw("SELECT count(*) FROM mail_outbox WHERE body_text <> '' OR body_html <> ''").Scan(ctx, &bodies); err != nil || bodies != 0 {
			t.Errorf("settled messages with a body = %d, %v, want 0: a code must not stay in the database once its message is settled", bodies, err)
		}
		failed, err := outbox.List(ctx, []domain.MailStatus{domain.MailFailed}, 10)
		if err != nil || len(failed) != 1 || failed[0].LastError != "550 no such user" {
			t.Errorf("List(failed) = %+v, %v, want the failed message with its reason", failed, err)
		}
	})
}

func TestOutboxLeaseEnds(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		outbox := sqlstore.NewOutboxStore(b.newDB(t))
		enqueue(t, outbox, queued(1, t0))
		old := claim(t, outbox, t0, 1)
		again := claim(t, outbox, t0.Add(lease), 1)
		if len(old) != 1 || len(again) != 1 || again[0].ID != old[0].ID || again[0].Claim == old[0].Claim || again[0].Attempts != 2 {
			t.Fatalf("Claim after the lease ended = %+v, want message %d under a new claim (a crashed worker's message is retried)", again, old[0].ID)
		}
		old[0].Status, old[0].SentAt = domain.MailSent, t0
		if err := outbox.Settle(ctx, old[0]); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Settle under the lapsed claim error = %v, want ErrNotFound", err)
		}
	})
}

func TestOutboxPurge(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		outbox := sqlstore.NewOutboxStore(b.newDB(t))
		enqueue(t, outbox, queued(1, t0))
		enqueue(t, outbox, queued(2, t0))
		got := claim(t, outbox, t0, 1)
		got[0].Status, got[0].SentAt = domain.MailSent, t0
		if err := outbox.Settle(ctx, got[0]); err != nil {
			t.Fatalf("Settle error = %v", err)
		}
		n, err := outbox.Purge(ctx, t0.Add(time.Hour))
		if err != nil || n != 1 {
			t.Errorf("Purge() = %d, %v, want 1: the sent message goes, the pending one stays", n, err)
		}
		if left, _ := outbox.List(ctx, nil, 10); len(left) != 1 || left[0].Status != domain.MailPending {
			t.Errorf("after Purge, List() = %+v, want the pending message only", left)
		}
	})
}

// TestOutboxOneClaimerPerMessage runs several claimers at once, each with
// a database handle of its own where the backend allows (two instances of
// the service), until the outbox is empty: every message is claimed
// exactly once.
func TestOutboxOneClaimerPerMessage(t *testing.T) {
	forEachConcurrentStore(t, func(t *testing.T, b backend) {
		const messages, claimers = 60, 4
		url := b.url(t)
		first := b.open(t, url)
		if err := sqlstore.Migrate(context.Background(), first); err != nil {
			t.Fatalf("Migrate() error = %v", err)
		}
		stores := []*sqlstore.OutboxStore{sqlstore.NewOutboxStore(first)}
		for range claimers - 1 {
			if b.name == sqliteMemory.name {
				// One in-memory database cannot be opened twice.
				stores = append(stores, sqlstore.NewOutboxStore(first))
			} else {
				stores = append(stores, sqlstore.NewOutboxStore(b.open(t, url)))
			}
		}
		for i := range messages {
			enqueue(t, stores[0], queued(i+1, t0))
		}
		var (
			mu     sync.Mutex
			counts = map[int64]int{}
			wg     sync.WaitGroup
		)
		for _, s := range stores {
			wg.Go(func() {
				for {
					got, err := s.Claim(context.Background(), t0, lease, 3)
					if err != nil {
						t.Errorf("Claim() error = %v", err)
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, m := range got {
						counts[m.ID]++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(counts) != messages {
			t.Errorf("claimed %d distinct messages, want %d", len(counts), messages)
		}
		for id, n := range counts {
			if n != 1 {
				t.Errorf("message %d claimed %d times, want once", id, n)
			}
		}
	})
}
