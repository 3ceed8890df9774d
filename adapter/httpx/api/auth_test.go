package api

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
)

func TestBearer(t *testing.T) {
	tests := []struct {
		header string
		want   string
		ok     bool
	}{
		{"Bearer abc", "abc", true},
		{"bearer abc", "abc", true},
		{"BEARER   abc  ", "abc", true},
		{"Bearer", "", true},
		{"", "", false},
		{"Basic YWxpY2U6cHc=", "", false},
		{"Bearerabc", "", false},
		{"Token abc", "", false},
	}
	for _, tt := range tests {
		got, ok := bearer(tt.header)
		if got != tt.want || ok != tt.ok {
			t.Errorf("bearer(%q) = %q, %v, want %q, %v", tt.header, got, ok, tt.want, tt.ok)
		}
	}
}

// protectedEndpoints are the routes behind requireToken, each with a body
// it would accept.
var protectedEndpoints = []struct {
	method, path, body string
}{
	{http.MethodGet, sessionsPath, ""},
	{http.MethodHead, sessionsPath, ""},
	{http.MethodDelete, sessionsPath + "/current", ""},
	{http.MethodDelete, sessionsPath + "/40", ""},
	{http.MethodGet, mePath, ""},
	{http.MethodHead, mePath, ""},
	{http.MethodPut, passwordPath, `{"current_password":"correct horse battery staple","new_password":"purple monkey dishwasher"}`},
}

// accountMethods are every method of the Account port: none may run for a
// request without a live token.
var accountMethods = []string{"ChangePassword", "Sessions", "RevokeSession", "RevokeOtherSessions", "Logout", "Delete", "RecentActivity", "PreviousLogin"}

// TestRequireTokenRefuses calls every protected endpoint without a usable
// bearer token: a 401 unauthorized whose challenge says whether a token
// was missing or rejected, before any use case runs. Only the
// Authorization header's Bearer scheme is read: other schemes and cookies,
// even carrying a live token, are no token at all; a token of the wrong
// shape is refused without a lookup.
func TestRequireTokenRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		header        map[string]string
		resolveErr    error // what Resolve answers, nil for the fake's lookup
		wantMessage   string
		wantChallenge string
		wantResolved  domain.Token // "": Resolve must not be called
	}{
		{name: "no header", wantMessage: msgNoBearer, wantChallenge: challengeMissing},
		{name: "a live token in a cookie", header: map[string]string{"Cookie": "gatehouse_session=" + aliceToken.Reveal() + "; token=" + aliceToken.Reveal()},
			wantMessage: msgNoBearer, wantChallenge: challengeMissing},
		{name: "a live token as Basic", header: map[string]string{"Authorization": "Basic " + aliceToken.Reveal()},
			wantMessage: msgNoBearer, wantChallenge: challengeMissing},
		{name: "a live token as Token", header: map[string]string{"Authorization": "Token " + aliceToken.Reveal()},
			wantMessage: msgNoBearer, wantChallenge: challengeMissing},
		{name: "a live token without a scheme", header: map[string]string{"Authorization": aliceToken.Reveal()},
			wantMessage: msgNoBearer, wantChallenge: challengeMissing},
		{name: "a live token glued to the scheme", header: map[string]string{"Authorization": "Bearer" + aliceToken.Reveal()},
			wantMessage: msgNoBearer, wantChallenge: challengeMissing},
		{name: "empty token", header: map[string]string{"Authorization": "Bearer "},
			wantMessage: msgBadBearer, wantChallenge: challengeInvalidToken},
		{name: "malformed token", header: map[string]string{"Authorization": "Bearer not-a-token"},
			wantMessage: msgBadBearer, wantChallenge: challengeInvalidToken},
		{name: "a live token cut short", header: map[string]string{"Authorization": "Bearer " + aliceToken.Reveal()[:42]},
			wantMessage: msgBadBearer, wantChallenge: challengeInvalidToken},
		{name: "unknown token", header: map[string]string{"Authorization": "Bearer " + otherToken.Reveal()},
			wantMessage: msgBadBearer, wantChallenge: challengeInvalidToken, wantResolved: otherToken},
		{name: "expired token", header: map[string]string{"Authorization": "Bearer " + aliceToken.Reveal()},
			resolveErr:  fmt.Errorf("resolve: session expired: %w", domain.ErrUnauthenticated),
			wantMessage: msgBadBearer, wantChallenge: challengeInvalidToken, wantResolved: aliceToken},
	}
	for _, tt := range tests {
		for _, ep := range protectedEndpoints {
			t.Run(tt.name+"/"+ep.method+" "+ep.path, func(t *testing.T) {
				t.Parallel()
				api := newAPITest(t, Config{})
				api.sessions.ResolveErr = tt.resolveErr
				what := fmt.Sprintf("%s %s (%s)", ep.method, ep.path, tt.name)
				res := api.do(t, call{method: ep.method, path: ep.path, body: ep.body, header: tt.header})
				if ep.method == http.MethodHead {
					res.wantStatus(t, what, http.StatusUnauthorized)
					res.wantNoBody(t, what)
				} else {
					res.wantError(t, what, http.StatusUnauthorized, "unauthorized", tt.wantMessage, nil)
				}
				res.wantHeader(t, what, "WWW-Authenticate", tt.wantChallenge)
				if tt.wantResolved != "" {
					wantArgs(t, what, onlyCall(t, what, &api.sessions.Calls, "Resolve"), tt.wantResolved)
				} else {
					wantNoCall(t, what, &api.sessions.Calls, "Resolve")
				}
				wantNoCall(t, what, &api.account.Calls, accountMethods...)
			})
		}
	}
}

// TestRequireTokenAccepts resolves the bearer token of the Authorization
// header, its scheme named in any case, and hands its principal to the
// handler (here GET /me, which shows it).
func TestRequireTokenAccepts(t *testing.T) {
	t.Parallel()
	for _, header := range []string{
		"Bearer " + aliceToken.Reveal(),
		"bearer " + aliceToken.Reveal(),
		"BEARER  " + aliceToken.Reveal() + " ",
	} {
		t.Run(header, func(t *testing.T) {
			t.Parallel()
			api := newAPITest(t, Config{})
			what := fmt.Sprintf("GET /api/v1/me (Authorization: %q)", header)
			res := api.do(t, call{method: http.MethodGet, path: mePath, header: map[string]string{"Authorization": header}})
			res.wantStatus(t, what, http.StatusOK)
			res.wantHeader(t, what, "WWW-Authenticate", "")
			wantArgs(t, what, onlyCall(t, what, &api.sessions.Calls, "Resolve"), aliceToken)
			wantArgs(t, what, onlyCall(t, what, &api.account.Calls, "PreviousLogin"), alice)
		})
	}
}

// TestRequireTokenUnavailable is a token lookup the store cannot answer:
// a 503 with Retry-After, not a 401 that would send the client to log in
// again, and the handler does not run.
func TestRequireTokenUnavailable(t *testing.T) {
	t.Parallel()
	api := newAPITest(t, Config{})
	api.sessions.ResolveErr = fmt.Errorf("resolve: %w", domain.ErrUnavailable)
	const what = "GET /api/v1/me (store unavailable)"
	res := api.do(t, call{method: http.MethodGet, path: mePath, token: aliceToken})
	res.wantError(t, what, http.StatusServiceUnavailable, "unavailable", msgUnavailable, nil)
	res.wantHeader(t, what, "Retry-After", "5")
	res.wantHeader(t, what, "WWW-Authenticate", "")
	wantNoCall(t, what, &api.account.Calls, accountMethods...)
}

// TestPublicEndpointsReadNoToken calls the endpoints that need no token
// with a rejected one: they answer as without it, and never look it up.
func TestPublicEndpointsReadNoToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method, path, body string
		wantStatus         int
	}{
		{http.MethodPost, usersPath, `{"username":"alice","password":"correct horse battery staple"}`, http.StatusCreated},
		{http.MethodPost, sessionsPath, `{"username":"alice","password":"correct horse battery staple"}`, http.StatusCreated},
		{http.MethodGet, openAPIPath, "", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			t.Parallel()
			api := newAPITest(t, Config{})
			what := fmt.Sprintf("%s %s (a rejected bearer token)", tt.method, tt.path)
			res := api.do(t, call{method: tt.method, path: tt.path, body: tt.body, token: otherToken})
			res.wantStatus(t, what, tt.wantStatus)
			res.wantHeader(t, what, "WWW-Authenticate", "")
			wantNoCall(t, what, &api.sessions.Calls, "Resolve")
		})
	}
}
