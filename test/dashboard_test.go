package test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/infrastructure/config"
	"github.com/gatehouse/gatehouse/usecase"
	"go.uber.org/fx"
)

func TestDashboardRequiresLogin(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	res := srv.newBrowser().get("/")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?next=%2F" {
		t.Errorf("anonymous GET / = %d to %q, want 303 to /login?next=%%2F", res.StatusCode, res.Header.Get("Location"))
	}
}

var lastVisitText = regexp.MustCompile(`Your last visit was <time datetime="([^"]+)">`)

func TestDashboardShowsTheLastVisit(t *testing.T) {
	t.Parallel()
	clock := newTestClock()
	srv := startServer(t, withFx(fx.Decorate(func(usecase.Clock) usecase.Clock { return clock })))
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, false)

	first := b.get("/")
	if first.StatusCode != http.StatusOK {
		t.Fatalf("GET / status = %d, want 200", first.StatusCode)
	}
	if !strings.Contains(first.Body, "Welcome, alice") || !strings.Contains(first.Body, "This is your first visit") {
		t.Errorf("first GET / lacks the welcome or the first-visit text; body:\n%s", first.Body)
	}
	if cc := first.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("dashboard Cache-Control = %q, want no-store", cc)
	}
	lv := first.setCookie(t, "last_visit")
	if lv == nil || lv.MaxAge != 2592000 {
		t.Fatalf("last_visit cookie = %v, want Max-Age=2592000 (30 days)", lv)
	}
	checkCookieAttributes(t, lv, false)

	visited := clock.Now()
	clock.Advance(10 * time.Minute)
	second := b.get("/")
	m := lastVisitText.FindStringSubmatch(second.Body)
	if m == nil {
		t.Fatalf("second GET / shows no last visit; body:\n%s", second.Body)
	}
	if m[1] != visited.UTC().Format(time.RFC3339) {
		t.Errorf("last visit shown = %s, want the first visit's time %s", m[1], visited.UTC().Format(time.RFC3339))
	}
}

func TestLastVisitBelongsToItsAccount(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	b.signup("bobby", bobPassword)
	b.login("alice", alicePassword, false)
	b.get("/") // alice's visit sets last_visit

	b.login("bobby", bobPassword, false) // same browser, other account
	if res := b.get("/"); !strings.Contains(res.Body, "This is your first visit") {
		t.Errorf("bobby sees a last visit that alice's browser set; body:\n%s", res.Body)
	}
}

func TestLastVisitTamperedIsAbsent(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, false)
	b.get("/")
	good := b.cookie("last_visit").Value

	for _, bad := range []string{
		"2026-11-26 08:00:00",               // the seed's unsigned format
		strings.Replace(good, ".", ".9", 1), // edited
		good[:len(good)-1],                  // truncated signature
		"garbage",
	} {
		b.setCookie("last_visit", bad)
		if res := b.get("/"); !strings.Contains(res.Body, "This is your first visit") {
			t.Errorf("last_visit=%q was believed; body:\n%s", bad, res.Body)
		}
	}
}

func TestLastVisitMaxAgeFollowsConfig(t *testing.T) {
	t.Parallel()
	srv := startServer(t, withConfig(func(c *config.Config) { c.LastVisitMaxAge = time.Hour }))
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, false)
	if c := b.get("/").setCookie(t, "last_visit"); c == nil || c.MaxAge != 3600 {
		t.Errorf("last_visit cookie = %v, want Max-Age=3600 (LAST_VISIT_MAX_AGE=1h)", c)
	}
}
