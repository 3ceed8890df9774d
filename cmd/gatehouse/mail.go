package main

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/infrastructure/config"
	"github.com/gatehouse/gatehouse/usecase"
	"go.uber.org/fx"
)

// mailTestTimeout bounds the test message's delivery.
const mailTestTimeout = 30 * time.Second

// mailQueueLimit is how many messages mail queue lists at most.
const mailQueueLimit = 100

// mailTest runs "gatehouse mail test".
func mailTest(c *cli, args []string) error {
	cl := c.command("mail test", "ADDRESS", `
Sends one test message to ADDRESS through MAIL_URL at once (not through the
outbox) and says what happened: accepted by the mail server (or written to
the pickup directory), refused for good (a 5xx answer, shown), or failed
for now (no connection, no STARTTLS, a failed AUTH, a 4xx answer, shown).`)
	pos, err := cl.parse(args, 1)
	if err != nil {
		return err
	}
	to, err := mail.ParseAddress(pos[0])
	if err != nil || to.Name != "" || to.Address != pos[0] {
		return cl.fail("mail test: %q is not an email address such as name@example.com", pos[0])
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	var (
		composer usecase.MailComposer
		mailer   usecase.Mailer
	)
	return c.withCore(cfg, func(ctx context.Context) error {
		m, err := composer.Compose(domain.MailTest, to.Address, usecase.MailData{})
		if err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(ctx, mailTestTimeout)
		defer cancel()
		err = mailer.Send(ctx, m)
		switch {
		case errors.Is(err, domain.ErrMailRejected):
			return fmt.Errorf("mail test: refused for good: %w", err)
		case err != nil:
			return fmt.Errorf("mail test: not sent (a later attempt may succeed): %w", err)
		}
		fmt.Fprintf(c.stdout, "%s: test message to %s, Message-ID <%s>\n", delivered(cfg.Mail), to.Address, m.MessageID)
		return nil
	}, fx.Populate(&composer, &mailer))
}

// delivered says where an accepted message went.
func delivered(m config.Mail) string {
	if m.Scheme == "file" {
		return "written to the pickup directory " + m.Dir
	}
	return fmt.Sprintf("accepted by %s:%d", m.Host, m.Port)
}

// mailQueue runs "gatehouse mail queue".
func mailQueue(c *cli, args []string) error {
	cl := c.command("mail queue", "", fmt.Sprintf(`
Lists the messages of the outbox still pending and those that failed, newest
first, at most %d: recipient, kind, attempts, when the next attempt is due
(or when it failed) and the last reason. Never their bodies. Times are UTC.`, mailQueueLimit))
	if _, err := cl.parse(args, 0); err != nil {
		return err
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	var outbox usecase.MailOutbox
	return c.withCore(cfg, func(ctx context.Context) error {
		list, err := outbox.List(ctx, []domain.MailStatus{domain.MailPending, domain.MailFailed}, mailQueueLimit)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			fmt.Fprintln(c.stdout, "no pending or failed messages")
			return nil
		}
		tw := tabwriter.NewWriter(c.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSTATUS\tKIND\tTO\tATTEMPTS\tNEXT / FAILED\tLAST ERROR")
		for _, m := range list {
			when := m.NextAttempt
			if m.Status == domain.MailFailed {
				when = m.SentAt
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%s\n", m.ID, m.Status, m.Kind, m.Email.To, m.Attempts,
				when.UTC().Format("2006-01-02 15:04:05"), oneLine(m.LastError))
		}
		return tw.Flush()
	}, fx.Populate(&outbox))
}

// oneLine keeps a reason on its row: line breaks become spaces, and an
// empty reason a dash.
func oneLine(s string) string {
	if s == "" {
		return "-"
	}
	return strings.Join(strings.Fields(s), " ")
}
