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

// TestComposeRecovery: the recovery code is in the message but never in
// its link (a link that resets a password is what mail scanners use up
// and proxies log), while a verification link still fills its code in.
func TestComposeRecovery(t *testing.T) {
	t.Parallel()
	c := composer(t)
	m, err := c.Compose(domain.MailRecoveryCode, "alice@example.com", usecase.MailData{Username: "alice", Code: "K7QW3MZP"})
	if err != nil {
		t.Fatalf("Compose(recovery_code) error = %v", err)
	}
	if strings.Contains(m.Subject, "K7QW3MZP") {
		t.Errorf("recovery subject %q holds the code: it shows on locked screens", m.Subject)
	}
	if !strings.Contains(m.Text, "K7QW3MZP") || !strings.Contains(m.HTML, "K7QW3MZP") {
		t.Errorf("recovery bodies lack the code: %q", m.Text)
	}
	if !strings.Contains(m.Text, "https://login.example.org/recover/reset\n") || !strings.Contains(m.HTML, `href="https://login.example.org/recover/reset"`) ||
		strings.Contains(m.Text, "code=") || strings.Contains(m.HTML, "code=") {
		t.Errorf("recovery link in %q, want /recover/reset from PUBLIC_URL without the code", m.Text)
	}
	v, _ := c.Compose(domain.MailVerifyEmail, "alice@example.com", usecase.MailData{Username: "alice", Code: "K7QW3MZP"})
	if !strings.Contains(v.Text, "/account/email/verify?code=K7QW3MZP") {
		t.Errorf("verification text %q lost the code in its link", v.Text)
	}
	for _, kind := range []domain.MailKind{domain.MailRecoveryUnknown, domain.MailPasswordResetNotice} {
		n, err := c.Compose(kind, "alice@example.com", usecase.MailData{Username: "alice", Address: "alice@example.com"})
		if err != nil || !strings.Contains(n.Text, "https://login.example.org/recover") {
			t.Errorf("Compose(%s) = %q, %v, want a link to /recover", kind, n.Text, err)
		}
	}
}

// TestComposeTwoFactorNotices: the notices of a recovery code used (with
// the count left, singular or plural) and of 2FA turned off name the
// account and link to its two-factor page under PUBLIC_URL.
func TestComposeTwoFactorNotices(t *testing.T) {
	t.Parallel()
	c := composer(t)
	tests := []struct {
		kind    domain.MailKind
		left    int
		subject string
		says    string
	}{
		{domain.MailRecoveryCodeUsed, 9, "A recovery code was used", "9 recovery codes are left"},
		{domain.MailRecoveryCodeUsed, 1, "A recovery code was used", "1 recovery code is left"},
		{domain.MailTwoFactorDisabled, 0, "Two-factor authentication was turned off", "recovery codes were removed"},
	}
	for _, tt := range tests {
		m, err := c.Compose(tt.kind, "alice@example.com", usecase.MailData{Username: "alice", CodesLeft: tt.left})
		if err != nil {
			t.Fatalf("Compose(%s) error = %v", tt.kind, err)
		}
		link := "https://login.example.org/account/2fa"
		if !strings.HasPrefix(m.Subject, tt.subject) || !strings.Contains(m.Text, "Hello alice") ||
			!strings.Contains(strings.Join(strings.Fields(m.Text), " "), tt.says) || !strings.Contains(strings.Join(strings.Fields(m.HTML), " "), tt.says) ||
			!strings.Contains(m.Text, link) || !strings.Contains(m.HTML, `href="`+link+`"`) {
			t.Errorf("Compose(%s, %d left) = %q\n%s\nwant it to say %q and link to %s", tt.kind, tt.left, m.Subject, m.Text, tt.says, link)
		}
	}
}
