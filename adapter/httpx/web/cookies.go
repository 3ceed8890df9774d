package web

import (
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gofiber/fiber/v2"
)

// Cookie base names; with Config.CookieSecure they get the __Host- prefix,
// which browsers accept only with Secure, Path=/ and no Domain.
const (
	sessionCookieName   = "gatehouse_session"
	lastVisitCookieName = "last_visit"
	// deviceCookieName holds the device proof of the browser's last
	// successful login (usecase.DeviceProofs).
	deviceCookieName = "gatehouse_device"
	// challengeCookieName holds the token of a login waiting for its
	// second factor (usecase.LoginChallenges), for five minutes.
	challengeCookieName = "gatehouse_challenge"
	// socialStateCookieName binds a login sent to an identity provider
	// to this browser: it holds the state the provider must send back,
	// for ten minutes (usecase.SocialStateLifetime).
	socialStateCookieName = "gatehouse_oauth_state"
	// socialPendingCookieName holds the token of an identity that came
	// back linked to no account, while its owner chooses a username or
	// logs in with a password (usecase.PendingIdentityLifetime).
	socialPendingCookieName = "gatehouse_social"
)

// deviceCookieMaxAge is how long a browser keeps its device proof: a
// year, so that a browser that logs in now and then stays known.
const deviceCookieMaxAge = 365 * 24 * time.Hour

// cookieJar names, sets and clears the adapter's cookies with one set of
// attributes: HttpOnly, SameSite=Lax, Path=/, and Secure when configured.
type cookieJar struct {
	secure bool
}

func (j cookieJar) name(base string) string {
	if j.secure {
		return "__Host-" + base
	}
	return base
}

// set writes a cookie. A zero maxAge makes a browser-session cookie, which
// the browser drops when it closes.
func (j cookieJar) set(c *fiber.Ctx, base, value string, maxAge time.Duration) {
	c.Cookie(&fiber.Cookie{
		Name:     j.name(base),
		Value:    value,
		Path:     "/",
		MaxAge:   int(maxAge / time.Second),
		Secure:   j.secure,
		HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode,
	})
}

// setSession gives the browser the cookie of session s. Only a persistent
// ("remember me") session gets a Max-Age; any other cookie is a
// browser-session cookie, gone when the browser closes.
func (j cookieJar) setSession(c *fiber.Ctx, token domain.Token, s domain.Session) {
	var maxAge time.Duration
	if s.Persistent {
		maxAge = s.ExpiresAt.Sub(s.CreatedAt)
	}
	j.set(c, sessionCookieName, token.Reveal(), maxAge)
}

// clear tells the browser to drop a cookie now, with an Expires in the
// past. It sets no Max-Age: fasthttp writes an Expires only for a cookie
// without one.
func (j cookieJar) clear(c *fiber.Ctx, base string) {
	c.Cookie(&fiber.Cookie{
		Name:     j.name(base),
		Value:    "",
		Path:     "/",
		Expires:  time.Unix(0, 0),
		Secure:   j.secure,
		HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode,
	})
}

// get returns a cookie's value, or "" when absent.
func (j cookieJar) get(c *fiber.Ctx, base string) string {
	return c.Cookies(j.name(base))
}
