package testserver

import (
	"time"

	"github.com/gatehouse/gatehouse/adapter/mail"
	"github.com/gatehouse/gatehouse/infrastructure/config"
	"github.com/gatehouse/gatehouse/test/smtptest"
	"github.com/gatehouse/gatehouse/usecase"
	"go.uber.org/fx"
)

// SMTP points cfg's mail at srv, with its credentials and STARTTLS, and
// returns the fx option that makes the mailer trust srv's certificate
// and retry a failed delivery after retry (doubling from there) instead
// of the production's seconds.
func SMTP(cfg *config.Config, srv *smtptest.Server, retry time.Duration) fx.Option {
	cfg.Mail = config.Mail{Scheme: "smtp", Host: srv.Host, Port: srv.Port, Username: smtptest.User, Password: smtptest.Password}
	cfg.MailURLDefaulted = false
	return fx.Options(
		fx.Decorate(func(s mail.Settings) mail.Settings {
			s.RootCAs = srv.Roots
			return s
		}),
		fx.Decorate(func(p usecase.MailPolicy) usecase.MailPolicy {
			p.BaseDelay = retry
			return p
		}),
	)
}
