// Package app lists every fx module of gatehouse, so cmd/gatehouse and the
// integration tests boot the same graph.
package app

import (
	"log/slog"

	"github.com/gatehouse/gatehouse/adapter/argon2id"
	"github.com/gatehouse/gatehouse/adapter/commonpasswords"
	"github.com/gatehouse/gatehouse/adapter/httpx/api"
	"github.com/gatehouse/gatehouse/adapter/httpx/web"
	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/adapter/system"
	"github.com/gatehouse/gatehouse/infrastructure/config"
	"github.com/gatehouse/gatehouse/infrastructure/database"
	"github.com/gatehouse/gatehouse/infrastructure/housekeeping"
	"github.com/gatehouse/gatehouse/infrastructure/httpserver"
	"github.com/gatehouse/gatehouse/infrastructure/logging"
	"github.com/gatehouse/gatehouse/infrastructure/metrics"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/uptrace/bun"
	"go.uber.org/fx"
)

// Settings derives each area's settings from the Config.
var Settings = fx.Module("settings",
	fx.Provide(databaseSettings, serverSettings, webConfig, apiConfig, sessionPolicy, throttlePolicy, argon2Params, poolLimits, housekeepingSettings),
	fx.Invoke(warnGeneratedSecret),
)

// Store binds the SQL repositories (SQLite or PostgreSQL, as DATABASE_URL
// says) to the use cases' ports.
var Store = fx.Module("sqlstore",
	fx.Provide(
		fx.Annotate(sqlstore.NewUserStore,
			fx.As(new(usecase.UserCreator)), fx.As(new(usecase.CredentialStore)),
			fx.As(new(usecase.AccountStore)), fx.As(new(usecase.UserDirectory))),
		fx.Annotate(sqlstore.NewEventStore, fx.As(new(usecase.EventLog))),
		fx.Annotate(sqlstore.NewSessionStore, fx.As(new(usecase.SessionStore))),
		fx.Annotate(sqlstore.NewThrottleStore, fx.As(new(usecase.ThrottleStore))),
	),
)

// Security provides the bounded password hasher, the common-password
// list, the clock and the token source.
var Security = fx.Module("security",
	fx.Provide(
		argon2id.New,
		argon2id.NewPool,
		func(p *argon2id.Pool) usecase.PasswordHasher { return p },
		fx.Annotate(commonpasswords.New, fx.As(new(usecase.PasswordBlocklist))),
		fx.Annotate(func() system.Clock { return system.Clock{} }, fx.As(new(usecase.Clock))),
		fx.Annotate(system.NewTokens, fx.As(new(usecase.TokenSource))),
	),
)

// UseCases provides the application logic.
var UseCases = fx.Module("usecase",
	fx.Provide(
		usecase.NewPasswordPolicy, usecase.NewThrottle, usecase.NewRegistrar, usecase.NewSessionManager,
		usecase.NewAuthenticator, usecase.NewAccount, usecase.NewAdmin, usecase.NewImporter,
	),
)

// Web provides the HTML site on top of the use cases.
var Web = fx.Module("web",
	fx.Provide(fx.Annotate(web.NewHandler,
		fx.From(new(*metrics.Signups), new(*metrics.Logins), new(*usecase.SessionManager),
			new(*usecase.Account), new(*usecase.Admin)))),
)

// API provides the JSON API on the same use cases as the site.
var API = fx.Module("api",
	fx.Provide(fx.Annotate(api.NewHandler,
		fx.From(new(*metrics.Signups), new(*metrics.Logins), new(*usecase.SessionManager),
			new(*usecase.Account)))),
)

// Metrics counts requests, logins, hashing, throttling and sessions by
// wrapping the ports the adapters call (the use cases stay unaware), and
// serves them on METRICS_ADDR when it is set. The hasher decorator is
// applied in Modules, at the root, so that it reaches the use cases.
var Metrics = fx.Module("metrics",
	fx.Provide(
		func(db *bun.DB) metrics.SessionCounter { return sqlstore.NewSessionStore(db) },
		metrics.New,
		metrics.NewLogins,
		metrics.NewSignups,
		func(m *metrics.Metrics) httpserver.RequestObserver { return m },
		func(c config.Config, m *metrics.Metrics, log *slog.Logger) *metrics.Server {
			return metrics.NewServer(c.MetricsAddr, m, log)
		},
	),
	fx.Invoke(func(lc fx.Lifecycle, s *metrics.Server) {
		lc.Append(fx.StartStopHook(s.Start, s.Stop))
	}),
)

// Health provides the readiness check behind /readyz.
var Health = fx.Module("health",
	fx.Provide(
		database.NewReadiness,
		func(r *database.Readiness) httpserver.ReadinessChecker { return r },
	),
)

// Housekeeping purges expired sessions and stale throttling state in the
// background.
var Housekeeping = fx.Module("housekeeping",
	fx.Provide(
		fx.Annotate(func(m *usecase.SessionManager) housekeeping.Purger { return m }, fx.ResultTags(`group:"purgers"`)),
		fx.Annotate(func(t *usecase.Throttle) housekeeping.Purger { return t }, fx.ResultTags(`group:"purgers"`)),
		fx.Annotate(housekeeping.NewLoop, fx.ParamTags(`group:"purgers"`)),
	),
	fx.Invoke(housekeeping.Run),
)

// Core is the service without its delivery: configuration, database,
// adapters and use cases. The command line runs its commands on it.
func Core(cfg config.Config) []fx.Option {
	return []fx.Option{
		fx.Supply(cfg),
		logging.Module,
		Settings,
		database.Module,
		Store,
		Security,
		UseCases,
	}
}

// Modules is the whole service for cfg, in the order main runs it: the
// core plus metrics, the health check, the web site, the JSON API, the
// HTTP server and the background work. ReleaseStartupMemory goes just
// before the HTTP server, so that it runs once everything is built and
// before the first request.
func Modules(cfg config.Config) []fx.Option {
	return append(Core(cfg),
		Metrics,
		fx.Decorate(metrics.TimeHasher),
		Health,
		Web,
		API,
		ReleaseStartupMemory,
		httpserver.Module,
		Housekeeping,
	)
}

func warnGeneratedSecret(cfg config.Config, log *slog.Logger) {
	if cfg.SecretKeyGenerated {
		log.Warn("SECRET_KEY is not set: generated a random one for this run; last_visit cookies will not survive a restart, and with several instances each has its own key, so a CSRF token or last_visit cookie from one is refused by the others. Set SECRET_KEY to at least 32 random characters, the same on every instance.")
	}
}
