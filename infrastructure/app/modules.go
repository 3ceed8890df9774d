// Package app lists every fx module of gatehouse, so cmd/gatehouse and the
// integration tests boot the same graph.
package app

import (
	"log/slog"

	"github.com/gatehouse/gatehouse/adapter/argon2id"
	"github.com/gatehouse/gatehouse/adapter/commonpasswords"
	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/adapter/httpx/api"
	"github.com/gatehouse/gatehouse/adapter/httpx/web"
	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/adapter/system"
	"github.com/gatehouse/gatehouse/adapter/totp"
	"github.com/gatehouse/gatehouse/infrastructure/config"
	"github.com/gatehouse/gatehouse/infrastructure/database"
	"github.com/gatehouse/gatehouse/infrastructure/housekeeping"
	"github.com/gatehouse/gatehouse/infrastructure/httpserver"
	"github.com/gatehouse/gatehouse/infrastructure/logging"
	"github.com/gatehouse/gatehouse/infrastructure/metrics"
	"github.com/gatehouse/gatehouse/usecase"
	"go.uber.org/fx"
)

// Settings provides each area's settings, derived from the supplied
// Config, and warns when SECRET_KEY was generated for this run.
var Settings = fx.Module("settings",
	fx.Provide(databaseSettings, serverSettings, metricsSettings, webConfig, apiConfig, sessionPolicy, throttlePolicy, deviceKey, codeKey, recoveryKey, argon2Params, poolLimits, housekeepingSettings),
	fx.Invoke(warnGeneratedSecret),
)

// Store provides the SQL repositories (SQLite or PostgreSQL, as
// DATABASE_URL says) as the use cases' driven ports, and the session store
// as the count the metrics read.
var Store = fx.Module("sqlstore",
	fx.Provide(
		fx.Annotate(sqlstore.NewUserStore,
			fx.As(new(usecase.UserCreator)), fx.As(new(usecase.CredentialStore)),
			fx.As(new(usecase.AccountStore)), fx.As(new(usecase.UserDirectory))),
		fx.Annotate(sqlstore.NewEventStore, fx.As(new(usecase.EventLog))),
		fx.Annotate(sqlstore.NewSessionStore, fx.As(new(usecase.SessionStore)), fx.As(new(metrics.SessionCounter))),
		fx.Annotate(sqlstore.NewThrottleStore, fx.As(new(usecase.ThrottleStore))),
		fx.Annotate(sqlstore.NewEmailStore, fx.As(new(usecase.EmailStore))),
		fx.Annotate(sqlstore.NewTOTPStore, fx.As(new(usecase.TOTPStore))),
		fx.Annotate(sqlstore.NewChallengeStore, fx.As(new(usecase.LoginChallengeStore))),
		fx.Annotate(sqlstore.NewRecoveryCodeStore, fx.As(new(usecase.RecoveryCodeStore))),
		fx.Annotate(sqlstore.NewPasskeyStore, fx.As(new(usecase.PasskeyStore))),
		fx.Annotate(sqlstore.NewPasskeyChallengeStore, fx.As(new(usecase.PasskeyChallengeStore))),
	),
)

// Security provides the bounded argon2id pool (itself, and as the use
// cases' usecase.PasswordHasher), the common-password list, the clock and
// the token source, the TOTP algorithm, the sealer of secrets at rest and
// the WebAuthn relying party (none when passkeys are off).
var Security = fx.Module("security",
	fx.Provide(
		argon2id.New,
		fx.Annotate(argon2id.NewPool, fx.As(fx.Self()), fx.As(new(usecase.PasswordHasher))),
		fx.Annotate(commonpasswords.New, fx.As(new(usecase.PasswordBlocklist))),
		fx.Annotate(func() system.Clock { return system.Clock{} }, fx.As(new(usecase.Clock))),
		fx.Annotate(system.NewTokens, fx.As(new(usecase.TokenSource)), fx.As(new(usecase.CodeSource)), fx.As(new(usecase.RecoveryCodeSource))),
		fx.Annotate(totp.New, fx.As(new(usecase.TOTPAlgorithm))),
		fx.Annotate(secretSealer, fx.As(new(usecase.SecretSealer))),
		passkeyCeremony,
	),
)

// UseCases provides the application logic: each use case the deliveries
// call as the httpx driving port it fits, and as itself where the command
// line, the background work or another use case needs it.
var UseCases = fx.Module("usecase",
	fx.Provide(
		usecase.NewPasswordPolicy,
		usecase.NewThrottle,
		usecase.NewDeviceProofs,
		usecase.NewImporter,
		usecase.NewLoginChallenges,
		usecase.NewRecoveryCodes,
		fx.Annotate(usecase.NewRegistrar, fx.As(new(httpx.Registrar))),
		fx.Annotate(usecase.NewAuthenticator, fx.As(fx.Self()), fx.As(new(httpx.Authenticator))),
		fx.Annotate(usecase.NewSessionManager, fx.As(fx.Self()), fx.As(new(httpx.Sessions))),
		fx.Annotate(usecase.NewAccount, fx.As(fx.Self()), fx.As(new(httpx.Account))),
		usecase.DefaultCodePolicy,
		fx.Annotate(usecase.NewAccountEmail, fx.As(fx.Self()), fx.As(new(httpx.AccountEmail))),
		usecase.DefaultRecoveryPolicy,
		fx.Annotate(usecase.NewRecovery, fx.As(new(httpx.Recovery))),
		fx.Annotate(usecase.NewAdmin, fx.As(fx.Self()), fx.As(new(httpx.Admin))),
		fx.Annotate(usecase.NewTwoFactor, fx.As(fx.Self()), fx.As(new(httpx.TwoFactor))),
		fx.Annotate(usecase.NewPasskeys, fx.As(fx.Self()), fx.As(new(httpx.Passkeys))),
	),
)

// Metrics provides the metrics (as themselves and as the server's
// httpserver.RequestObserver) and their listener on METRICS_ADDR, and
// wraps three ports to count what passes through them, the use cases
// none the wiser: httpx.Authenticator (logins by outcome),
// httpx.Registrar (throttled signups) and usecase.PasswordHasher (hash
// and verify times). The decorators sit outside the fx.Module on purpose:
// a module's decorators reach only that module and its children, and these
// must reach the use cases, the site and the API.
var Metrics = fx.Options(
	fx.Module("metrics",
		fx.Provide(
			fx.Annotate(metrics.New, fx.As(fx.Self()), fx.As(new(httpserver.RequestObserver))),
			metrics.NewServer,
		),
	),
	fx.Decorate(
		fx.Annotate(metrics.NewLogins, fx.As(new(httpx.Authenticator))),
		fx.Annotate(metrics.NewSignups, fx.As(new(httpx.Registrar))),
		fx.Annotate(metrics.NewTimedHasher, fx.As(new(usecase.PasswordHasher))),
	),
)

// Health provides the database readiness check behind /readyz.
var Health = fx.Module("health",
	fx.Provide(fx.Annotate(database.NewReadiness, fx.As(new(httpserver.ReadinessChecker)))),
)

// Web provides the HTML site's handler, on the httpx driving ports.
//
// The site's sign-in with identity providers is turned on by a decorator
// outside the module, so that it reaches the server that registers the
// site (a module's decorators reach only that module).
var Web = fx.Options(fx.Module("web", fx.Provide(web.NewHandler)), fx.Decorate(withSocialLogin))

// API provides the JSON API's handler, on the same ports as the site.
var API = fx.Options(fx.Module("api", fx.Provide(api.NewHandler)), fx.Decorate(withAPISocialLogin))

// Housekeeping provides the background loop that purges expired sessions,
// expired login challenges and passkey ceremonies, and stale throttling
// state.
var Housekeeping = fx.Module("housekeeping",
	fx.Provide(
		fx.Annotate(func(m *usecase.SessionManager) housekeeping.Purger { return m }, fx.ResultTags(`group:"purgers"`)),
		fx.Annotate(func(t *usecase.Throttle) housekeeping.Purger { return t }, fx.ResultTags(`group:"purgers"`)),
		fx.Annotate(func(p *usecase.Postman) housekeeping.Purger { return p }, fx.ResultTags(`group:"purgers"`)),
		fx.Annotate(func(e *usecase.AccountEmail) housekeeping.Purger { return e }, fx.ResultTags(`group:"purgers"`)),
		fx.Annotate(func(l *usecase.LoginChallenges) housekeeping.Purger { return l }, fx.ResultTags(`group:"purgers"`)),
		fx.Annotate(func(k *usecase.Passkeys) housekeeping.Purger { return k }, fx.ResultTags(`group:"purgers"`)),
		fx.Annotate(func(s *usecase.SocialLogin) housekeeping.Purger { return s }, fx.ResultTags(`group:"purgers"`)),
		fx.Annotate(housekeeping.NewLoop, fx.ParamTags(`group:"purgers"`)),
	),
)

// Core is the service without its delivery: configuration, logging,
// database, stores, hashing and use cases. Starting it migrates the
// database; the command line runs its commands on it.
func Core(cfg config.Config) []fx.Option {
	return []fx.Option{
		fx.Supply(cfg),
		logging.Module,
		Settings,
		database.Module,
		Store,
		Security,
		Mail,
		UseCases,
		Identity,
	}
}

// Modules is the whole service for cfg: the core, the metrics around its
// ports, the health check, the site, the API, the HTTP server, the
// background work (the mail worker, the purges), and last the Lifecycle that starts and stops them.
// Only Lifecycle sets the start order; this list reads as the service is
// built.
func Modules(cfg config.Config) []fx.Option {
	return append(Core(cfg),
		Metrics,
		Health,
		Web,
		API,
		httpserver.Module,
		MailWorker,
		Housekeeping,
		Lifecycle,
	)
}

func warnGeneratedSecret(cfg config.Config, log *slog.Logger) {
	if cfg.SecretKeyGenerated {
		log.Warn("SECRET_KEY is not set: generated a random one for this run; last_visit cookies will not survive a restart, and with several instances each has its own key, so a CSRF token or last_visit cookie from one is refused by the others. Set SECRET_KEY to at least 32 random characters, the same on every instance.")
	}
}
