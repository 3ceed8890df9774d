// Package config reads gatehouse's settings from the environment. Every
// setting has a default; an invalid value is an error that names the
// variable and the form it expects.
package config

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/gatehouse/gatehouse/infrastructure/database"
)

// Config is every setting gatehouse reads at start.
type Config struct {
	// Addr is the TCP address the HTTP server listens on: LISTEN_HOST (empty for
	// every interface) and PORT.
	Addr string
	// DatabaseURL selects the store: sqlite:PATH, sqlite::memory: or a
	// postgres:// URL.
	DatabaseURL string
	// DatabaseMaxOpenConns, DatabaseMaxIdleConns and
	// DatabaseConnMaxLifetime size the connection pool; zero takes the
	// database's default (see database.DefaultPool).
	DatabaseMaxOpenConns    int
	DatabaseMaxIdleConns    int
	DatabaseConnMaxLifetime time.Duration
	// SecretKey signs cookies that must not be forged (last_visit).
	SecretKey []byte
	// SecretKeyGenerated is true when SECRET_KEY was unset and SecretKey
	// was made up at start; signed cookies then do not survive a restart.
	SecretKeyGenerated bool
	// CookieSecure adds Secure and the __Host- prefix to cookies (serve
	// behind TLS).
	CookieSecure bool
	// Require2FAForAdmins sends an admin without a second factor to its
	// enrollment before any admin page.
	Require2FAForAdmins bool

	SessionIdleTimeout     time.Duration
	SessionAbsoluteTimeout time.Duration
	RememberMeDuration     time.Duration
	LastVisitMaxAge        time.Duration

	Argon2MemoryKiB uint32
	Argon2Time      uint32
	Argon2Threads   uint8

	// TrustedProxies are the peers whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// LoginMaxFailures consecutive failures lock an account for one client.
	LoginMaxFailures int
	// LoginIPMaxFailuresPerHour caps failed logins per client network.
	LoginIPMaxFailuresPerHour int
	// LoginAccountMaxFailuresPerHour caps the failed logins per account
	// of clients without a device proof for it, across every network.
	LoginAccountMaxFailuresPerHour int
	// SignupMaxPerIPPerHour caps accounts created per client network.
	SignupMaxPerIPPerHour int

	// LogFormat is "text" or "json"; LogLevel the least severe level
	// logged.
	LogFormat string
	LogLevel  slog.Level
	// MetricsAddr is the TCP address of the Prometheus listener, such as
	// 127.0.0.1:9090; empty turns metrics off.
	MetricsAddr string
	// ShutdownTimeout bounds how long a stop waits for requests in flight.
	ShutdownTimeout time.Duration

	// Mail is where messages go (MAIL_URL); MailURLDefaulted is true when
	// MAIL_URL was unset and messages go to the pickup directory "mail".
	Mail             Mail
	MailURLDefaulted bool
	// MailFrom is the sender of every message (MAIL_FROM).
	MailFrom string
	// PublicURL is the service's address as its users reach it, without
	// a trailing slash: the start of every link in a message, never the
	// Host header.
	PublicURL string
	// WebAuthnRPID is the passkeys' relying party ID (WEBAUTHN_RP_ID, by
	// default PUBLIC_URL's host); empty when PUBLIC_URL is at an IP
	// address and no RP ID is set, which leaves passkeys off.
	WebAuthnRPID string
	// WebAuthnOrigins are the origins passkey answers may come from
	// (WEBAUTHN_ORIGINS, by default PUBLIC_URL's origin).
	WebAuthnOrigins []string
	// IdentityProviders are the providers people may sign in with
	// (OIDC_PROVIDERS and OIDC_<NAME>_*), in the order listed.
	IdentityProviders []IdentityProvider
}

// Default returns the settings used when no variable is set, except
// SecretKey, which Load generates.
func Default() Config {
	return Config{
		Addr:                   ":5000",
		DatabaseURL:            "sqlite:users.db",
		SessionIdleTimeout:     30 * time.Minute,
		SessionAbsoluteTimeout: 12 * time.Hour,
		RememberMeDuration:     720 * time.Hour,
		LastVisitMaxAge:        720 * time.Hour,
		Argon2MemoryKiB:        19456,
		Argon2Time:             2,
		Argon2Threads:          1,

		LoginMaxFailures:               5,
		LoginIPMaxFailuresPerHour:      100,
		LoginAccountMaxFailuresPerHour: 20,
		SignupMaxPerIPPerHour:          20,

		LogFormat:       "text",
		LogLevel:        slog.LevelInfo,
		ShutdownTimeout: 15 * time.Second,
	}
}

// MinSecretKeyLen is the shortest SECRET_KEY accepted, in bytes.
const MinSecretKeyLen = 32

// Load reads the settings through lookup (os.LookupEnv in production).
// It returns the first invalid variable as an error.
func Load(lookup func(string) (string, bool)) (Config, error) {
	c := Default()
	r := reader{lookup: lookup}
	host, port := "", "5000"
	if p, ok := r.port("PORT"); ok {
		port = strconv.Itoa(p)
	}
	if h, ok := r.ipAddress("LISTEN_HOST"); ok {
		host = h
	}
	c.Addr = net.JoinHostPort(host, port)
	r.databaseURL("DATABASE_URL", &c.DatabaseURL)
	r.connections("DATABASE_MAX_OPEN_CONNS", &c.DatabaseMaxOpenConns)
	r.connections("DATABASE_MAX_IDLE_CONNS", &c.DatabaseMaxIdleConns)
	r.duration("DATABASE_CONN_MAX_LIFETIME", &c.DatabaseConnMaxLifetime)
	r.secret("SECRET_KEY", &c.SecretKey)
	r.boolean("COOKIE_SECURE", &c.CookieSecure)
	r.boolean("REQUIRE_2FA_FOR_ADMINS", &c.Require2FAForAdmins)
	r.duration("SESSION_IDLE_TIMEOUT", &c.SessionIdleTimeout)
	r.duration("SESSION_ABSOLUTE_TIMEOUT", &c.SessionAbsoluteTimeout)
	r.duration("REMEMBER_ME_DURATION", &c.RememberMeDuration)
	r.duration("LAST_VISIT_MAX_AGE", &c.LastVisitMaxAge)
	r.uint32("ARGON2_MEMORY_KIB", &c.Argon2MemoryKiB, 8, 4<<20)
	r.uint32("ARGON2_TIME", &c.Argon2Time, 1, 1<<16)
	threads := uint32(c.Argon2Threads)
	r.uint32("ARGON2_THREADS", &threads, 1, 255)
	c.Argon2Threads = uint8(threads)
	r.prefixes("TRUSTED_PROXIES", &c.TrustedProxies)
	r.count("LOGIN_MAX_FAILURES", &c.LoginMaxFailures)
	r.count("LOGIN_IP_MAX_FAILURES_PER_HOUR", &c.LoginIPMaxFailuresPerHour)
	r.count("LOGIN_ACCOUNT_MAX_FAILURES_PER_HOUR", &c.LoginAccountMaxFailuresPerHour)
	r.count("SIGNUP_MAX_PER_IP_PER_HOUR", &c.SignupMaxPerIPPerHour)
	r.oneOf("LOG_FORMAT", &c.LogFormat, "text", "json")
	r.level("LOG_LEVEL", &c.LogLevel)
	r.hostPort("METRICS_ADDR", &c.MetricsAddr)
	r.duration("SHUTDOWN_TIMEOUT", &c.ShutdownTimeout)
	c.PublicURL = "http://localhost:" + port
	r.publicURL("PUBLIC_URL", &c.PublicURL)
	r.mailURL("MAIL_URL", &c.Mail, &c.MailURLDefaulted)
	c.MailFrom = defaultSender(c.PublicURL)
	r.address("MAIL_FROM", &c.MailFrom)
	r.webauthn(&c)
	r.providers(&c.IdentityProviders)
	if r.err != nil {
		return Config{}, r.err
	}
	if c.Argon2MemoryKiB < 8*uint32(c.Argon2Threads) {
		return Config{}, fmt.Errorf("config: ARGON2_MEMORY_KIB must be at least 8 × ARGON2_THREADS (%d), got %d", 8*uint32(c.Argon2Threads), c.Argon2MemoryKiB)
	}
	if err := c.checkDatabasePool(); err != nil {
		return Config{}, err
	}
	if c.SessionIdleTimeout > c.SessionAbsoluteTimeout {
		return Config{}, fmt.Errorf("config: SESSION_IDLE_TIMEOUT (%s) must not exceed SESSION_ABSOLUTE_TIMEOUT (%s)", c.SessionIdleTimeout, c.SessionAbsoluteTimeout)
	}
	if c.SecretKey == nil {
		c.SecretKey = make([]byte, MinSecretKeyLen)
		if _, err := rand.Read(c.SecretKey); err != nil {
			return Config{}, fmt.Errorf("config: generate SECRET_KEY: %w", err)
		}
		c.SecretKeyGenerated = true
	}
	return c, nil
}

// DatabasePool returns the pool settings for database.OpenWith; zero
// fields take the database's defaults.
func (c Config) DatabasePool() database.Pool {
	return database.Pool{
		MaxOpenConns:    c.DatabaseMaxOpenConns,
		MaxIdleConns:    c.DatabaseMaxIdleConns,
		ConnMaxLifetime: c.DatabaseConnMaxLifetime,
	}
}

// checkDatabasePool checks the pool settings against each other and the
// database they are for.
func (c Config) checkDatabasePool() error {
	dsn, err := database.ParseURL(c.DatabaseURL)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if _, err := database.ResolvePool(dsn, c.DatabasePool()); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	return nil
}
