package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"

	gomail "github.com/wneessen/go-mail"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

var _ usecase.Mailer = (*SMTP)(nil)

// SMTP sends each message over a new connection to one SMTP server.
type SMTP struct {
	s Settings
}

// NewSMTP returns an SMTP mailer for s; it connects only to send.
func NewSMTP(s Settings) *SMTP {
	return &SMTP{s: s}
}

// Send delivers e. A refusal for good (a 5xx answer) wraps
// domain.ErrMailRejected; every other failure (no connection, no
// STARTTLS, a failed AUTH, a 4xx, a timeout) may pass on a later attempt.
func (m *SMTP) Send(ctx context.Context, e domain.Email) error {
	msg, err := build(m.s.From, e)
	if err != nil {
		return fmt.Errorf("%w: %w", domain.ErrMailRejected, err)
	}
	client, err := gomail.NewClient(m.s.Host, m.options()...)
	if err != nil {
		return fmt.Errorf("mail: smtp client: %w", err)
	}
	err = client.DialAndSendWithContext(ctx, msg)
	if err == nil {
		return nil
	}
	var se *gomail.SendError
	if errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 {
		return fmt.Errorf("mail: smtp %s: %w: %w", m.s.Host, domain.ErrMailRejected, err)
	}
	return fmt.Errorf("mail: smtp %s: %w", m.s.Host, err)
}

// options are the client's settings: the port, the timeout, the TLS
// policy and, with a username, AUTH (the best mechanism the server
// offers; go-mail refuses a clear-text one over an unencrypted connection
// to anything but localhost). Debug logging stays off: it would log the
// message.
func (m *SMTP) options() []gomail.Option {
	opts := []gomail.Option{
		gomail.WithPort(m.s.Port),
		gomail.WithTimeout(m.s.Timeout),
		gomail.WithTLSConfig(&tls.Config{ServerName: m.s.Host, RootCAs: m.s.RootCAs, MinVersion: tls.VersionTLS12}),
	}
	switch m.s.TLS {
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if m.s.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(m.s.Username), gomail.WithPassword(m.s.Password))
	}
	return opts
}
