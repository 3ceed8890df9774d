package mail_test

import (
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/adapter/mail"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

func composer(t *testing.T) *mail.Composer {
	t.Helper()
	c, err := mail.NewComposer(mail.Settings{From: "no-reply@gatehouse.test", PublicURL: "https://login.example.org/"})
	if err != nil {
		t.Fatalf("NewComposer() error = %v", err)
	}
	return c
}

func TestComposeTest(t *testing.T) {
	t.Parallel()
	c := composer(t)
	a, err := c.Compose(domain.MailTest, "ops@example.com", usecase.MailData{})
	if err != nil {
		t.Fatalf("Compose(test) error = %v", err)
	}
	b, _ := c.Compose(domain.MailTest, "ops@example.com", usecase.MailData{})
	if a.To != "ops@example.com" || a.Subject != "gatehouse test message" {
		t.Errorf("Compose(test) = %q to %q, want the test subject to ops@example.com", a.Subject, a.To)
	}
	if !strings.Contains(a.Text, "https://login.example.org/") || !strings.Contains(a.HTML, `href="https://login.example.org/"`) {
		t.Errorf("Compose(test) bodies %q / %q, want links to PUBLIC_URL", a.Text, a.HTML)
	}
	if !strings.HasSuffix(a.MessageID, "@gatehouse.test") || len(a.MessageID) < 32+len("@gatehouse.test") || a.MessageID == b.MessageID {
		t.Errorf("Message-IDs %q and %q, want two random ids at the sender's domain", a.MessageID, b.MessageID)
	}
}

func TestComposeUnknownKind(t *testing.T) {
	t.Parallel()
	if _, err := composer(t).Compose("nonsense", "a@example.com", usecase.MailData{}); err == nil {
		t.Error("Compose(unknown kind) error = nil, want an error")
	}
}
