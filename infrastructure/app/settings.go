package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"log/slog"
	"time"

	"github.com/gatehouse/gatehouse/adapter/argon2id"
	"github.com/gatehouse/gatehouse/adapter/httpx/api"
	"github.com/gatehouse/gatehouse/adapter/httpx/web"
	"github.com/gatehouse/gatehouse/adapter/sealbox"
	"github.com/gatehouse/gatehouse/adapter/webauthn"
	"github.com/gatehouse/gatehouse/infrastructure/config"
	"github.com/gatehouse/gatehouse/infrastructure/database"
	"github.com/gatehouse/gatehouse/infrastructure/housekeeping"
	"github.com/gatehouse/gatehouse/infrastructure/httpserver"
	"github.com/gatehouse/gatehouse/infrastructure/metrics"
	"github.com/gatehouse/gatehouse/usecase"
)

// Fixed settings that are not worth a variable.
const (
	// bodyLimit caps request bodies; a login form is far smaller.
	bodyLimit = 16 << 10
	// touchInterval bounds session writes to one a minute per session.
	touchInterval = time.Minute
	// purgeInterval is how often expired sessions are deleted.
	purgeInterval = 10 * time.Minute
)

// Each area reads its own settings type; these functions derive them all
// from the one Config, so a test replaces the Config and every area follows.

func databaseSettings(c config.Config) database.Settings {
	return database.Settings{URL: c.DatabaseURL, Pool: c.DatabasePool()}
}

func serverSettings(c config.Config) httpserver.Settings {
	return httpserver.Settings{Addr: c.Addr, BodyLimit: bodyLimit}
}

func metricsSettings(c config.Config) metrics.Settings {
	return metrics.Settings{Addr: c.MetricsAddr}
}

func webConfig(c config.Config) web.Config {
	return web.Config{
		CookieSecure:    c.CookieSecure,
		RememberFor:     c.RememberMeDuration,
		LastVisitMaxAge: c.LastVisitMaxAge,
		SecretKey:       c.SecretKey,
		TrustedProxies:  c.TrustedProxies,

		Require2FAForAdmins: c.Require2FAForAdmins,
	}
}

func apiConfig(c config.Config) api.Config {
	return api.Config{TrustedProxies: c.TrustedProxies}
}

func throttlePolicy(c config.Config) usecase.ThrottlePolicy {
	return usecase.ThrottlePolicy{
		MaxFailures:         c.LoginMaxFailures,
		BaseDelay:           30 * time.Second,
		MaxDelay:            15 * time.Minute,
		FailureMemory:       24 * time.Hour,
		NetworkMaxFailures:  c.LoginIPMaxFailuresPerHour,
		AccountMaxFailures:  c.LoginAccountMaxFailuresPerHour,
		SignupMaxPerNetwork: c.SignupMaxPerIPPerHour,
		Window:              time.Hour,
		// Fixed by issue 17: 3 recovery requests per address per 15
		// minutes; a network asks for at most 10 (one household or
		// office); a resend of a verification code 3 times.
		RecoveryMaxPerAddress: 3,
		RecoveryMaxPerNetwork: 10,
		ResendMaxPerAccount:   3,
		MailWindow:            15 * time.Minute,
	}
}

func deviceKey(c config.Config) usecase.DeviceKey {
	return usecase.DeviceKey(c.SecretKey)
}

// codeKey keys the hashes of one-time codes: derived from SECRET_KEY for
// this use alone, so that it is never the key of anything else.
func codeKey(c config.Config) usecase.CodeKey {
	m := hmac.New(sha256.New, c.SecretKey)
	m.Write([]byte("gatehouse one-time codes v1"))
	return usecase.CodeKey(m.Sum(nil))
}

// recoveryKey keys the hashes of recovery codes: derived from SECRET_KEY
// for this use alone.
func recoveryKey(c config.Config) usecase.RecoveryKey {
	m := hmac.New(sha256.New, c.SecretKey)
	m.Write([]byte("gatehouse recovery codes v1"))
	return usecase.RecoveryKey(m.Sum(nil))
}

func poolLimits(config.Config) argon2id.PoolLimits {
	return argon2id.DefaultPoolLimits()
}

func sessionPolicy(c config.Config) usecase.SessionPolicy {
	return usecase.SessionPolicy{
		IdleTimeout:     c.SessionIdleTimeout,
		AbsoluteTimeout: c.SessionAbsoluteTimeout,
		RememberFor:     c.RememberMeDuration,
		TouchInterval:   touchInterval,
	}
}

func argon2Params(c config.Config) argon2id.Params {
	return argon2id.Params{MemoryKiB: c.Argon2MemoryKiB, Time: c.Argon2Time, Threads: c.Argon2Threads}
}

func housekeepingSettings(config.Config) housekeeping.Settings {
	return housekeeping.Settings{PurgeInterval: purgeInterval}
}

// totpSealPurpose is the HKDF info of the key that seals TOTP secrets:
// the key derived from SECRET_KEY for it seals nothing else.
const totpSealPurpose = "gatehouse totp secret v1"

func secretSealer(c config.Config) (*sealbox.Box, error) {
	return sealbox.New(c.SecretKey, totpSealPurpose)
}

// passkeyCeremony is the WebAuthn relying party of WEBAUTHN_RP_ID and
// WEBAUTHN_ORIGINS, or none (passkeys off, with a warning) when
// PUBLIC_URL is at an IP address and no RP ID is set.
func passkeyCeremony(c config.Config, log *slog.Logger) (usecase.PasskeyCeremony, error) {
	if c.WebAuthnRPID == "" {
		log.Warn("passkeys are off: PUBLIC_URL is at an IP address, which browsers refuse as a WebAuthn RP ID; set WEBAUTHN_RP_ID (and PUBLIC_URL) to a domain name to offer them")
		return nil, nil
	}
	return webauthn.New(webauthn.Settings{
		RPID: c.WebAuthnRPID, Origins: c.WebAuthnOrigins, DisplayName: "gatehouse",
		Timeout: usecase.PasskeyChallengeLifetime,
	})
}
