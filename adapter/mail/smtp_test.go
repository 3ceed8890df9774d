package mail_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/mail"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/test/smtptest"
)

func settingsFor(srv *smtptest.Server, tls mail.TLS) mail.Settings {
	return mail.Settings{
		Transport: mail.TransportSMTP,
		Host:      srv.Host,
		Port:      srv.Port,
		Username:  smtptest.User,
		Password:  smtptest.Password,
		TLS:       tls,
		RootCAs:   srv.Roots,
		Timeout:   2 * time.Second,
		From:      "no-reply@gatehouse.test",
		PublicURL: "https://gatehouse.test",
	}
}

var letter = domain.Email{
	To:        "alice@example.com",
	Subject:   "Your code",
	Text:      "Your code is ABCD2345.\n",
	HTML:      "<p>Your code is <b>ABCD2345</b>.</p>",
	MessageID: "0123456789abcdef@gatehouse.test",
}

func checkDelivered(t *testing.T, got smtptest.Message, wantTLS bool) {
	t.Helper()
	if got.From != "no-reply@gatehouse.test" || len(got.To) != 1 || got.To[0] != letter.To {
		t.Errorf("envelope = %q -> %q, want no-reply@gatehouse.test -> %s", got.From, got.To, letter.To)
	}
	if got.TLS != wantTLS {
		t.Errorf("delivered over TLS = %v, want %v", got.TLS, wantTLS)
	}
	p, err := smtptest.Parse(got.Data)
	if err != nil {
		t.Fatal(err)
	}
	if p.Subject != letter.Subject || p.MessageID != "<"+letter.MessageID+">" || !strings.Contains(p.To, letter.To) {
		t.Errorf("headers: subject %q, Message-ID %q, To %q; want %q, <%s>, %s", p.Subject, p.MessageID, p.To, letter.Subject, letter.MessageID, letter.To)
	}
	if strings.TrimSpace(p.Text) != strings.TrimSpace(letter.Text) || strings.TrimSpace(p.HTML) != letter.HTML {
		t.Errorf("bodies: text %q, html %q; want %q and the HTML alternative %q", p.Text, p.HTML, letter.Text, letter.HTML)
	}
}

func TestSMTPStartTLSAndAuth(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t, smtptest.STARTTLS)
	if err := mail.NewSMTP(settingsFor(srv, mail.TLSStartTLS)).Send(context.Background(), letter); err != nil {
		t.Fatalf("Send() error = %v", err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 || !msgs[0].Authed {
		t.Fatalf("server got %d messages (authenticated: %v), want 1 after AUTH", len(msgs), len(msgs) == 1 && msgs[0].Authed)
	}
	checkDelivered(t, msgs[0], true)
}

func TestSMTPImplicitTLS(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t, smtptest.Implicit)
	if err := mail.NewSMTP(settingsFor(srv, mail.TLSImplicit)).Send(context.Background(), letter); err != nil {
		t.Fatalf("Send() error = %v", err)
	}
	checkDelivered(t, srv.Wait(t, 1, time.Second)[0], true)
}

func TestSMTPPlainOnLoopback(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t, smtptest.Plain)
	s := settingsFor(srv, mail.TLSNone)
	s.Username, s.Password = "", ""
	if err := mail.NewSMTP(s).Send(context.Background(), letter); err != nil {
		t.Fatalf("Send() with tls=none error = %v", err)
	}
	checkDelivered(t, srv.Wait(t, 1, time.Second)[0], false)
}

// TestSMTPRequiresStartTLS: by default a server that offers no STARTTLS
// gets nothing, not even the password.
func TestSMTPRequiresStartTLS(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t, smtptest.Plain)
	err := mail.NewSMTP(settingsFor(srv, mail.TLSStartTLS)).Send(context.Background(), letter)
	if err == nil || errors.Is(err, domain.ErrMailRejected) {
		t.Errorf("Send() to a server without STARTTLS error = %v, want a temporary failure", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("server without STARTTLS got %d messages, want 0", n)
	}
}

func TestSMTPUntrustedCertificate(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t, smtptest.STARTTLS)
	s := settingsFor(srv, mail.TLSStartTLS)
	s.RootCAs = nil // the system's roots do not know the test's certificate
	if err := mail.NewSMTP(s).Send(context.Background(), letter); err == nil || len(srv.Messages()) != 0 {
		t.Errorf("Send() to an untrusted certificate error = %v, %d delivered; want a failure and nothing delivered", err, len(srv.Messages()))
	}
}

func TestSMTPWrongPassword(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t, smtptest.STARTTLS)
	s := settingsFor(srv, mail.TLSStartTLS)
	s.Password = "wrong"
	err := mail.NewSMTP(s).Send(context.Background(), letter)
	if err == nil || len(srv.Messages()) != 0 {
		t.Errorf("Send() with a wrong password error = %v, %d delivered; want a failure", err, len(srv.Messages()))
	}
	if err != nil && strings.Contains(err.Error(), "wrong") {
		t.Errorf("Send() error %q shows the password", err)
	}
}

func TestSMTPAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code      int
		permanent bool
	}{
		{550, true},
		{554, true},
		{451, false},
		{421, false},
	}
	for _, tt := range tests {
		srv := smtptest.Start(t, smtptest.STARTTLS)
		srv.Reject(tt.code, "refused for the test")
		err := mail.NewSMTP(settingsFor(srv, mail.TLSStartTLS)).Send(context.Background(), letter)
		if err == nil || errors.Is(err, domain.ErrMailRejected) != tt.permanent {
			t.Errorf("Send() answered %d: error = %v, want ErrMailRejected: %v", tt.code, err, tt.permanent)
		}
	}
}

func TestSMTPServerDown(t *testing.T) {
	t.Parallel()
	srv := smtptest.Reserve(t, smtptest.STARTTLS)
	err := mail.NewSMTP(settingsFor(srv, mail.TLSStartTLS)).Send(context.Background(), letter)
	if err == nil || errors.Is(err, domain.ErrMailRejected) {
		t.Errorf("Send() to a server that is down error = %v, want a temporary failure", err)
	}
}

func TestSMTPTimeout(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t, smtptest.STARTTLS)
	srv.Delay(5 * time.Second)
	s := settingsFor(srv, mail.TLSStartTLS)
	s.Timeout = 300 * time.Millisecond
	start := time.Now()
	err := mail.NewSMTP(s).Send(context.Background(), letter)
	if err == nil || errors.Is(err, domain.ErrMailRejected) {
		t.Errorf("Send() to a slow server error = %v, want a temporary failure", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Send() to a slow server took %v, want it to give up after the timeout", d)
	}
}
