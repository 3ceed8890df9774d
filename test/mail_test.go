package test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/infrastructure/config"
	"github.com/gatehouse/gatehouse/test/pgtest"
	"github.com/gatehouse/gatehouse/test/smtptest"
	"github.com/gatehouse/gatehouse/test/testserver"
	"github.com/gatehouse/gatehouse/usecase"
	"go.uber.org/fx"
)

// mailRig is a running gatehouse whose mail goes to a real SMTP server on
// loopback, and the ports a test enqueues through.
type mailRig struct {
	srv      *testServer
	smtp     *smtptest.Server
	outbox   usecase.MailOutbox
	composer usecase.MailComposer
	events   usecase.EventLog
}

func startMailRig(t *testing.T, smtp *smtptest.Server, opts ...option) mailRig {
	t.Helper()
	r := mailRig{smtp: smtp}
	opts = append(mailOptions(smtp), opts...)
	opts = append(opts, withFx(fx.Populate(&r.outbox, &r.composer, &r.events)))
	r.srv = startServer(t, opts...)
	return r
}

// mailOptions send a server's mail to smtp, with links to
// https://login.example.org.
func mailOptions(smtp *smtptest.Server) []option {
	mailOpt := new(fx.Option)
	return []option{
		withConfig(func(c *config.Config) {
			c.PublicURL, c.MailFrom = "https://login.example.org", "gatehouse <accounts@login.example.org>"
			*mailOpt = testserver.SMTP(c, smtp, 200*time.Millisecond)
		}),
		// Known only once the config function ran: startServer runs the
		// config functions before it builds the graph.
		withFxLazy(mailOpt),
	}
}

func (r mailRig) enqueue(t *testing.T, to string, user domain.UserID) domain.Email {
	t.Helper()
	e, err := r.composer.Compose(domain.MailTest, to, usecase.MailData{})
	if err != nil {
		t.Fatalf("Compose() error = %v", err)
	}
	if err := r.outbox.Enqueue(context.Background(), domain.QueuedMail{Kind: domain.MailTest, UserID: user, Email: e, CreatedAt: time.Now()}); err != nil {
		t.Fatalf("Enqueue() error = %v", err)
	}
	return e
}

func (r mailRig) waitStatus(t *testing.T, status domain.MailStatus, timeout time.Duration) domain.QueuedMail {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got, err := r.outbox.List(context.Background(), []domain.MailStatus{status}, 10)
		if err != nil {
			t.Fatalf("List() error = %v", err)
		}
		if len(got) > 0 {
			return got[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s message within %v", status, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestMailDeliveredWithinTwoSeconds(t *testing.T) {
	t.Parallel()
	r := startMailRig(t, smtptest.Start(t, smtptest.STARTTLS))
	start := time.Now()
	e := r.enqueue(t, "alice@example.com", 0)
	msgs := r.smtp.Wait(t, 1, 2*time.Second)
	t.Logf("delivered after %v", time.Since(start))
	got, err := smtptest.Parse(msgs[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	if !msgs[0].TLS || !msgs[0].Authed || got.Subject != e.Subject || got.MessageID != "<"+e.MessageID+">" ||
		!strings.Contains(got.Text, "https://login.example.org/") || !strings.Contains(got.HTML, `href="https://login.example.org/"`) {
		t.Errorf("delivered %+v (TLS %v, AUTH %v), want the message over STARTTLS after AUTH, with links from PUBLIC_URL", got, msgs[0].TLS, msgs[0].Authed)
	}
	if !strings.Contains(got.From, "<accounts@login.example.org>") || msgs[0].From != "accounts@login.example.org" {
		t.Errorf("From = %q (envelope %q), want MAIL_FROM", got.From, msgs[0].From)
	}
	r.waitStatus(t, domain.MailSent, time.Second)
}

// TestMailServerDownThenUp: a message enqueued while the mail server is
// down is delivered once it comes back, exactly once.
func TestMailServerDownThenUp(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Reserve(t, smtptest.STARTTLS)
	r := startMailRig(t, smtp)
	r.enqueue(t, "alice@example.com", 0)
	time.Sleep(1500 * time.Millisecond)
	m := r.waitStatus(t, domain.MailPending, time.Second)
	if m.Attempts == 0 || m.LastError == "" {
		t.Errorf("while the server is down the message is %+v, want pending with a failed attempt", m)
	}
	smtp.Resume(t)
	smtp.Wait(t, 1, 10*time.Second)
	r.waitStatus(t, domain.MailSent, 5*time.Second)
	time.Sleep(time.Second)
	if n := len(smtp.Messages()); n != 1 {
		t.Errorf("the server got the message %d times, want once", n)
	}
}

// TestMailRejectedIsFailedAndRecorded: a permanent 5xx marks the message
// failed, records it in the account's history and logs it, without the
// body.
func TestMailRejectedIsFailedAndRecorded(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t, smtptest.STARTTLS)
	smtp.Reject(550, "no such mailbox")
	r := startMailRig(t, smtp)
	r.enqueue(t, "nobody@example.com", 42)
	m := r.waitStatus(t, domain.MailFailed, 3*time.Second)
	if !strings.Contains(m.LastError, "550") || m.Attempts != 1 {
		t.Errorf("failed message = %+v, want one attempt and the server's 550", m)
	}
	events, err := r.events.ListByUser(context.Background(), 42, []domain.EventKind{domain.EventMailFailed}, 10)
	if err != nil || len(events) != 1 {
		t.Errorf("mail_failed events = %+v, %v, want one", events, err)
	}
	logs := r.srv.logs.String()
	if !strings.Contains(logs, "mail: failed for good") || strings.Contains(logs, "If you can read it") {
		t.Errorf("logs = %q, want the failure logged and no body", logs)
	}
}

// TestMailSlowServerDoesNotSlowTheSite: while the worker waits on a slow
// mail server, pages are served at their usual speed.
func TestMailSlowServerDoesNotSlowTheSite(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t, smtptest.STARTTLS)
	smtp.Delay(3 * time.Second)
	r := startMailRig(t, smtp)
	r.enqueue(t, "alice@example.com", 0)
	time.Sleep(700 * time.Millisecond) // the worker is now inside the slow delivery
	b := r.srv.newBrowser()
	start := time.Now()
	if res := b.get("/login"); res.StatusCode != 200 {
		t.Fatalf("GET /login = %d", res.StatusCode)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("GET /login took %v while the mail server was slow, want it unaffected", d)
	}
	smtp.Wait(t, 1, 10*time.Second)
}

// TestMailTwoInstancesDeliverOnce runs two whole services on one database:
// every message reaches the server once.
func TestMailTwoInstancesDeliverOnce(t *testing.T) {
	t.Parallel()
	databases := map[string]func(t *testing.T) string{
		"sqlite-file": func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "gatehouse.db") },
		"postgres":    func(t *testing.T) string { return pgtest.Schema(t) },
	}
	for name, url := range databases {
		t.Run(name, func(t *testing.T) {
			if name == "postgres" {
				pgtest.URL(t)
			}
			t.Parallel()
			dbURL := url(t)
			smtp := smtptest.Start(t, smtptest.STARTTLS)
			use := withConfig(func(c *config.Config) { c.DatabaseURL = dbURL })
			a := startMailRig(t, smtp, use)
			startMailRig(t, smtp, use)
			const n = 30
			for i := range n {
				a.enqueue(t, fmt.Sprintf("user%d@example.com", i), 0)
			}
			smtp.Wait(t, n, 20*time.Second)
			time.Sleep(time.Second)
			msgs := smtp.Messages()
			seen := map[string]int{}
			for _, m := range msgs {
				seen[m.To[0]]++
			}
			if len(msgs) != n || len(seen) != n {
				t.Errorf("the server got %d messages for %d recipients, want %d, each once", len(msgs), len(seen), n)
			}
		})
	}
}
