package app

import (
	"log/slog"
	"time"

	"github.com/gatehouse/gatehouse/adapter/mail"
	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/infrastructure/config"
	"github.com/gatehouse/gatehouse/infrastructure/mailworker"
	"github.com/gatehouse/gatehouse/usecase"
	"go.uber.org/fx"
)

// mailPollInterval is how often the worker looks for due messages: a
// message is on its way within about this long, on any instance.
const mailPollInterval = 500 * time.Millisecond

// smtpTimeout bounds connecting to the mail server and each exchange.
const smtpTimeout = 10 * time.Second

// Mail provides the mailer MAIL_URL names (as usecase.Mailer), the
// composer of messages, the outbox and the postman that empties it.
var Mail = fx.Module("mail",
	fx.Provide(
		mailSettings,
		mailer,
		fx.Annotate(mail.NewComposer, fx.As(new(usecase.MailComposer))),
		fx.Annotate(sqlstore.NewOutboxStore, fx.As(new(usecase.MailOutbox))),
		usecase.DefaultMailPolicy,
		usecase.NewPostman,
	),
)

// MailWorker provides the background delivery of the outbox, and warns
// when MAIL_URL was unset (the server's start says so; a command of the
// command line, which sends nothing, does not).
var MailWorker = fx.Module("mailworker",
	fx.Provide(
		func(p *usecase.Postman) mailworker.Deliverer { return p },
		mailworkerSettings,
		mailworker.New,
	),
	fx.Invoke(warnMailPickup),
)

func mailSettings(c config.Config) mail.Settings {
	s := mail.Settings{
		Host: c.Mail.Host, Port: c.Mail.Port, Username: c.Mail.Username, Password: c.Mail.Password,
		Timeout: smtpTimeout, Dir: c.Mail.Dir, From: c.MailFrom, PublicURL: c.PublicURL,
	}
	switch c.Mail.Scheme {
	case "file":
		s.Transport = mail.TransportPickup
	case "smtps":
		s.Transport, s.TLS = mail.TransportSMTP, mail.TLSImplicit
	default:
		s.Transport, s.TLS = mail.TransportSMTP, mail.TLSStartTLS
		if c.Mail.Plain {
			s.TLS = mail.TLSNone
		}
	}
	return s
}

// mailer is the Mailer s's transport names.
func mailer(s mail.Settings) usecase.Mailer {
	if s.Transport == mail.TransportPickup {
		return mail.NewPickup(s.Dir, s.From)
	}
	return mail.NewSMTP(s)
}

func mailworkerSettings(p usecase.MailPolicy) mailworker.Settings {
	return mailworker.Settings{PollInterval: mailPollInterval, Batch: p.Batch}
}

func warnMailPickup(c config.Config, log *slog.Logger) {
	if c.MailURLDefaulted {
		log.Warn("MAIL_URL is not set: messages (address verification and recovery codes) are written as .eml files to the directory mail in the working directory and sent to nobody. Set MAIL_URL to an SMTP server (smtp://USER:PASSWORD@HOST:PORT) for real use.")
	}
}
