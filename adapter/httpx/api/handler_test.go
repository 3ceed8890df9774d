package api

import (
	"fmt"
	"net/http"
	"net/netip"
	"testing"

	"github.com/gatehouse/gatehouse/adapter/httpx/httpxtest"
	"github.com/gatehouse/gatehouse/usecase"
)

// TestClientAddress logs in from several peers, through proxies and
// around them: the use case gets the socket's peer, unless
// Config.TrustedProxies holds the peer; then the right-most
// X-Forwarded-For entry that is not itself a trusted proxy. What a client
// writes into the header on its own is never believed.
func TestClientAddress(t *testing.T) {
	t.Parallel()
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8::/64")}
	tests := []struct {
		name         string
		trusted      []netip.Prefix
		peer         string
		forwardedFor string
		wantClientIP string
	}{
		{"no proxy", nil, "203.0.113.50", "", "203.0.113.50"},
		{"forged header, no proxy configured", nil, "203.0.113.50", "198.51.100.1", "203.0.113.50"},
		{"forged header from an untrusted peer", proxies, "203.0.113.50", "198.51.100.1", "203.0.113.50"},
		{"a trusted proxy forwards", proxies, "10.0.0.5", "198.51.100.1", "198.51.100.1"},
		{"a trusted proxy forwards a forged entry", proxies, "10.0.0.5", "192.0.2.66, 198.51.100.1", "198.51.100.1"},
		{"two trusted proxies", proxies, "10.0.0.5", "192.0.2.66, 198.51.100.1, 10.0.0.9", "198.51.100.1"},
		{"a trusted proxy without the header", proxies, "10.0.0.5", "", "10.0.0.5"},
		{"a trusted proxy with a garbled header", proxies, "10.0.0.5", "not-an-address", "10.0.0.5"},
		{"a garbled hop stops the trust", proxies, "10.0.0.5", "198.51.100.1, garbage", "10.0.0.5"},
		{"an IPv4-mapped entry", proxies, "10.0.0.5", "::ffff:198.51.100.1", "198.51.100.1"},
		{"IPv6 proxy and client", proxies, "2001:db8::5", "2001:db8:1::7", "2001:db8:1::7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := newAPITest(t, Config{TrustedProxies: tt.trusted})
			var header map[string]string
			if tt.forwardedFor != "" {
				header = map[string]string{"X-Forwarded-For": tt.forwardedFor}
			}
			what := fmt.Sprintf("POST /api/v1/sessions (%s: peer %s, X-Forwarded-For %q)", tt.name, tt.peer, tt.forwardedFor)
			res := api.doFrom(t, netip.MustParseAddr(tt.peer), call{method: http.MethodPost, path: sessionsPath,
				body: `{"username":"alice","password":"correct horse battery staple"}`, header: header})
			res.wantStatus(t, what, http.StatusCreated)
			in, _ := onlyCall(t, what, &api.auth.Calls, "Login").Args[0].(usecase.LoginInput)
			want := usecase.Client{IP: netip.MustParseAddr(tt.wantClientIP), UserAgent: testUserAgent}
			if in.Client != want {
				t.Errorf("%s: Login client = %+v, want %+v", what, in.Client, want)
			}
		})
	}
}

// TestClientAddressEveryRoute checks that every handler that hands a
// client to its use case applies the same rule: a trusted proxy's
// forwarded address, not the proxy's.
func TestClientAddressEveryRoute(t *testing.T) {
	t.Parallel()
	want := usecase.Client{IP: netip.MustParseAddr("198.51.100.1"), UserAgent: testUserAgent}
	tests := []struct {
		call    call
		calls   func(*apiTest) *httpxtest.Calls
		method  string
		clientN int // the position of the client among the call's arguments
	}{
		{call{method: http.MethodPost, path: usersPath, body: `{"username":"alice","password":"correct horse battery staple"}`},
			func(a *apiTest) *httpxtest.Calls { return &a.registrar.Calls }, "Register", -1},
		{call{method: http.MethodDelete, path: sessionsPath + "/current", token: aliceToken},
			func(a *apiTest) *httpxtest.Calls { return &a.account.Calls }, "Logout", 1},
		{call{method: http.MethodDelete, path: sessionsPath + "/40", token: aliceToken},
			func(a *apiTest) *httpxtest.Calls { return &a.account.Calls }, "RevokeSession", 2},
		{call{method: http.MethodDelete, path: sessionsPath + "/41", token: aliceToken},
			func(a *apiTest) *httpxtest.Calls { return &a.account.Calls }, "Logout", 1},
		{call{method: http.MethodPut, path: passwordPath, token: aliceToken,
			body: `{"current_password":"correct horse battery staple","new_password":"purple monkey dishwasher"}`},
			func(a *apiTest) *httpxtest.Calls { return &a.account.Calls }, "ChangePassword", 3},
	}
	for _, tt := range tests {
		t.Run(tt.call.method+" "+tt.call.path, func(t *testing.T) {
			t.Parallel()
			api := newAPITest(t, Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})
			tt.call.header = map[string]string{"X-Forwarded-For": "198.51.100.1"}
			what := fmt.Sprintf("%s %s (through a trusted proxy)", tt.call.method, tt.call.path)
			res := api.doFrom(t, netip.MustParseAddr("10.0.0.5"), tt.call)
			if res.status >= 300 {
				t.Fatalf("%s status = %d, want success; body: %s", what, res.status, res.body)
			}
			args := onlyCall(t, what, tt.calls(api), tt.method).Args
			var got any
			if tt.clientN < 0 {
				in, _ := args[0].(usecase.RegisterInput)
				got = in.Client
			} else {
				got = args[tt.clientN]
			}
			if got != want {
				t.Errorf("%s: %s client = %+v, want %+v", what, tt.method, got, want)
			}
		})
	}
}
